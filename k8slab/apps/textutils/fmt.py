"""``printf`` formatting, shared by the ``printf`` command and awk's ``printf``/``sprintf``.

Conversions follow C's ``printf`` as coreutils/bash use it (``%d %i %u %o %x %X %f %F %e %E
%g %G %c %s %%``, flags ``-+ #0``, width, precision, ``*``) plus the shell's ``%b`` and ``%q``.
Escapes in a shell format are bash's ``printf`` escapes (``builtins/printf.def``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Spec", "backslash_escapes", "parse_format", "render"]

_SPEC = re.compile(r"%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?([hlLqjzt]*)([diouxXfFeEgGcsbqaA%])")
_SIMPLE = {"a": "\a", "b": "\b", "e": "\x1b", "E": "\x1b", "f": "\f", "n": "\n", "r": "\r",
           "t": "\t", "v": "\v", "\\": "\\", '"': '"', "'": "'", "?": "?"}


@dataclass(slots=True)
class Spec:
    flags: str
    width: str | None
    prec: str | None
    conv: str
    text: str


def parse_format(fmt: str) -> list[str | Spec]:
    """Split a format into literal text and conversion specifications."""
    pieces: list[str | Spec] = []
    pos = 0
    while True:
        k = fmt.find("%", pos)
        if k < 0:
            if pos < len(fmt):
                pieces.append(fmt[pos:])
            return pieces
        if k > pos:
            pieces.append(fmt[pos:k])
        m = _SPEC.match(fmt, k)
        if m is None:
            pieces.append(fmt[k:k + 1])
            pos = k + 1
            continue
        if m.group(5) == "%":
            pieces.append("%")
        else:
            pieces.append(Spec(m.group(1), m.group(2), m.group(3), m.group(5), m.group(0)))
        pos = m.end()


def backslash_escapes(text: str, percent_b: bool = False) -> tuple[str, bool]:
    """Process printf's backslash escapes; returns (text, stop) where stop means ``\\c``."""
    if "\\" not in text:
        return text, False
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c != "\\" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        d = text[i + 1]
        if d in _SIMPLE:
            out.append(_SIMPLE[d])
            i += 2
        elif d == "c" and percent_b:
            return "".join(out), True
        elif d in "01234567":
            j = i + 1
            limit = 4 if (percent_b and d == "0") else 3
            while j < n and j - (i + 1) < limit and text[j] in "01234567":
                j += 1
            out.append(chr(int(text[i + 1:j], 8) & 0xFF))
            i = j
        elif d == "x":
            m = re.compile(r"[0-9A-Fa-f]{1,2}").match(text, i + 2)
            if m:
                out.append(chr(int(m.group(0), 16)))
                i = m.end()
            else:
                out.append("\\x")
                i += 2
        elif d in "uU":
            digits = 4 if d == "u" else 8
            m = re.compile(f"[0-9A-Fa-f]{{1,{digits}}}").match(text, i + 2)
            if m:
                out.append(chr(int(m.group(0), 16)))
                i = m.end()
            else:
                out.append("\\" + d)
                i += 2
        else:
            out.append("\\" + d)
            i += 2
    return "".join(out), False


def _shell_quote(value: str) -> str:
    if value == "":
        return "''"
    if re.fullmatch(r"[A-Za-z0-9_./:@%+,=-]+", value):
        return value
    return re.sub(r"([^A-Za-z0-9_./:@%+,=-])", r"\\\1", value)


def render(spec: Spec, value: object, width: int | None = None, prec: int | None = None) -> str:
    """Format one value. Numbers for numeric conversions, text otherwise."""
    flags = spec.flags
    conv = spec.conv
    if width is None and spec.width not in (None, "*"):
        width = int(spec.width)  # type: ignore[arg-type]
    if prec is None and spec.prec not in (None, "*"):
        prec = int(spec.prec or 0)
    if width is not None and width < 0:
        flags += "-"
        width = -width
    fmt = "%" + flags + (str(width) if width is not None else "") + (
        "." + str(prec) if prec is not None else "")
    if conv in "di":
        return (fmt + "d") % int(value)  # type: ignore[call-overload]
    if conv in "ouxX":
        v = int(value)  # type: ignore[call-overload]
        if v < 0:
            v &= (1 << 64) - 1
        return (fmt + ("d" if conv == "u" else conv)) % v
    if conv in "fFeEgGaA":
        v = float(value)  # type: ignore[arg-type]
        if conv in "aA":
            conv = "e"
        if math.isinf(v) or math.isnan(v):
            text = ("inf" if math.isinf(v) else "nan")
            if v < 0:
                text = "-" + text
            elif "+" in flags:
                text = "+" + text
            if conv.isupper():
                text = text.upper()
            return text.rjust(width or 0) if "-" not in flags else text.ljust(width or 0)
        return (fmt + conv) % v
    if conv == "c":
        text = str(value)[:1]
        return ("%" + flags.replace("0", "") + (str(width) if width else "") + "s") % text
    text = str(value)
    if conv == "q":
        text = _shell_quote(text)
    left = "-" if "-" in flags else ""
    return ("%" + left + (str(width) if width is not None else "")
            + ("." + str(prec) if prec is not None else "") + "s") % text
