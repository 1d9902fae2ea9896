"""POSIX regular expressions (BRE for ``grep``/``sed``, ERE for ``grep -E``/``sed -E``/awk)
translated to Python's ``re``.

Translation rules follow POSIX XBD chapter 9 plus the GNU extensions grep and sed document
(``\\w``, ``\\s``, ``\\b``, ``\\<``, ``\\>``, ``\\|``, ``\\+``, ``\\?`` in BREs). Bracket
expressions keep their POSIX meaning (``[:alpha:]`` classes, ``]`` first is literal, a
backslash is literal except in awk). Known difference: Python picks the leftmost *first*
alternative where POSIX picks the leftmost *longest* match (``docs/realism.md``).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["RegexError", "compile_bre", "compile_ere", "to_python"]

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
    "cntrl": r"\x00-\x1f\x7f", "print": r" -~", "graph": r"!-~",
}
_AWK_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v", "a": "\a", "b": "\b",
                "/": "/", '"': '"'}
_INTERVAL = re.compile(r"\{(\d*)(?:(,)(\d*))?\}")
_BRE_INTERVAL = re.compile(r"\\\{(\d*)(?:(,)(\d*))?\\\}")


class RegexError(Exception):
    """An invalid expression; ``str()`` is GNU grep's wording (``Unmatched [, [^, …``)."""


def _bracket(p: str, i: int, awk: bool) -> tuple[str, int]:
    n = len(p)
    j = i + 1
    neg = False
    if j < n and p[j] == "^":
        neg = True
        j += 1
    items: list[str] = []
    first = True
    while j < n:
        c = p[j]
        if c == "]" and not first:
            break
        first = False
        if p.startswith("[:", j):
            k = p.find(":]", j + 2)
            if k >= 0:
                name = p[j + 2:k]
                if name not in _CLASSES:
                    raise RegexError("Invalid character class name")
                items.append(_CLASSES[name])
                j = k + 2
                continue
        if p.startswith("[=", j) or p.startswith("[.", j):
            close = "=]" if p[j + 1] == "=" else ".]"
            k = p.find(close, j + 2)
            if k >= 0:
                items.append(re.escape(p[j + 2:k]))
                j = k + 2
                continue
        if c == "\\" and awk and j + 1 < n:
            d = p[j + 1]
            items.append(re.escape(_AWK_ESCAPES.get(d, d)))
            j += 2
            continue
        if c == "-" and items and j + 1 < n and p[j + 1] != "]":
            items.append("-")
        elif c in "\\]^[-":
            items.append("\\" + c)
        else:
            items.append(c)
        j += 1
    if j >= n:
        raise RegexError("Unmatched [, [^, [:, [., or [=")
    return "[" + ("^" if neg else "") + "".join(items) + "]", j + 1


def to_python(pattern: str, extended: bool, awk: bool = False) -> str:
    """Translate a BRE (``extended=False``) or ERE to Python syntax."""
    out: list[str] = []
    p = pattern
    n = len(p)
    i = 0
    can_repeat = False
    last_quant = False
    depth = 0

    def quantifier(q: str) -> None:
        nonlocal can_repeat, last_quant
        if not can_repeat:
            out.append(re.escape(q[0]) + q[1:] if len(q) > 1 and q[0] == "{" else re.escape(q))
            can_repeat = True
            last_quant = False
            return
        if last_quant:
            return  # `a**` is `a*`
        out.append(q)
        last_quant = True

    while i < n:
        c = p[i]
        if c == "\\":
            if i + 1 >= n:
                raise RegexError("Trailing backslash")
            d = p[i + 1]
            i += 2
            if not extended and d in "(){}|+?":
                if d == "(":
                    out.append("(")
                    depth += 1
                    can_repeat = last_quant = False
                elif d == ")":
                    if depth == 0:
                        raise RegexError("Unmatched ) or \\)")
                    depth -= 1
                    out.append(")")
                    can_repeat, last_quant = True, False
                elif d == "|":
                    out.append("|")
                    can_repeat = last_quant = False
                elif d == "{":
                    m = _BRE_INTERVAL.match(p, i - 2)
                    if not m:
                        raise RegexError("Unmatched \\{")
                    quantifier("{" + m.group(1) + (m.group(2) or "") + (m.group(3) or "") + "}")
                    i = m.end()
                elif d in "+?":
                    quantifier(d)
                else:
                    out.append(re.escape(d))
                continue
            last_quant = False
            if d in "<>":
                out.append(r"\b")
                continue
            if d in "wWsSbB":
                out.append("\\" + d)
                can_repeat = d not in "bB"
                continue
            if d.isdigit() and d != "0":
                out.append("\\" + d)
                can_repeat = True
                continue
            if d == "`":
                out.append(r"\A")
                continue
            if d == "'":
                out.append(r"\Z")
                continue
            if awk and d in _AWK_ESCAPES:
                out.append(re.escape(_AWK_ESCAPES[d]))
            else:
                out.append(re.escape(d))
            can_repeat = True
            continue
        if c == "[":
            text, i = _bracket(p, i, awk)
            out.append(text)
            can_repeat, last_quant = True, False
            continue
        if c == "*":
            if not extended and (not out or out[-1] in ("(", "|", "^")):
                out.append(r"\*")
                can_repeat, last_quant = True, False
            else:
                quantifier("*")
            i += 1
            continue
        if extended and c in "+?":
            quantifier(c)
            i += 1
            continue
        if extended and c == "{":
            m = _INTERVAL.match(p, i)
            if m and (m.group(1) or m.group(3)):
                quantifier(m.group(0))
                i = m.end()
            else:
                out.append(r"\{")
                can_repeat, last_quant = True, False
                i += 1
            continue
        if extended and c == "(":
            out.append("(")
            depth += 1
            can_repeat = last_quant = False
            i += 1
            continue
        if extended and c == ")":
            if depth == 0:
                out.append(r"\)")
                can_repeat, last_quant = True, False
            else:
                depth -= 1
                out.append(")")
                can_repeat, last_quant = True, False
            i += 1
            continue
        if extended and c == "|":
            out.append("|")
            can_repeat = last_quant = False
            i += 1
            continue
        if c == "^":
            if extended or not out or out[-1] in ("(", "|"):
                out.append("^")
                can_repeat = last_quant = False
            else:
                out.append(r"\^")
                can_repeat, last_quant = True, False
            i += 1
            continue
        if c == "$":
            at_end = i + 1 == n or (not extended and (p.startswith("\\)", i + 1)
                                                      or p.startswith("\\|", i + 1)))
            if extended or at_end:
                out.append(r"(?!\n)\Z" if not awk else r"\Z")
                can_repeat = last_quant = False
            else:
                out.append(r"\$")
                can_repeat, last_quant = True, False
            i += 1
            continue
        if c == ".":
            out.append(".")
        else:
            out.append(re.escape(c))
        can_repeat, last_quant = True, False
        i += 1
    if depth:
        raise RegexError("Unmatched ( or \\(")
    return "".join(out)


@lru_cache(maxsize=512)
def compile_ere(pattern: str, icase: bool = False, awk: bool = False) -> re.Pattern[str]:
    try:
        return re.compile(to_python(pattern, True, awk), (re.IGNORECASE if icase else 0)
                          | (re.DOTALL if awk else 0))
    except re.error as err:
        raise RegexError(str(err)) from None


@lru_cache(maxsize=512)
def compile_bre(pattern: str, icase: bool = False) -> re.Pattern[str]:
    try:
        return re.compile(to_python(pattern, False), re.IGNORECASE if icase else 0)
    except re.error as err:
        raise RegexError(str(err)) from None
