"""How Go prints JSON-like values, for the printers that show them.

kubectl decodes objects into ``map[string]interface{}`` (numbers become ``int64`` or
``float64``) and then prints them with Go's own formatting. The printers need that exact text:

- :func:`json_float` — ``encoding/json`` (``-o json``): ``'f'`` format unless the magnitude is
  below 1e-6 or at least 1e21, then ``'e'`` with the exponent's leading zero dropped;
- :func:`g_float` — ``strconv.FormatFloat(f, 'g', -1, 64)``, which is also ``fmt``'s ``%v``
  (go-yaml's float scalars, jsonpath and custom-columns cells): ``1e+06``, ``0.5``;
- :func:`sprint` — ``fmt.Sprint`` (``%v``): ``map[a:1 b:[x y]]``, ``<nil>``;
- :func:`gosyntax` — ``fmt``'s ``%#v``: ``map[string]interface {}{"a":1}`` (jsonpath's error
  message dumps the object this way);
- :func:`quote` — ``strconv.Quote``.

Map keys are printed sorted, as ``fmt`` and ``encoding/json`` both do (byte order, which for
Python strings is code point order).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

__all__ = ["g_float", "gosyntax", "json_float", "quote", "sprint"]


def _digits(f: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``abs(f)`` and the decimal point position."""
    d = Decimal(repr(abs(f)))
    _, digits, exp = d.as_tuple()
    text = "".join(str(x) for x in digits).rstrip("0")
    assert isinstance(exp, int)
    if not text:
        return "0", 1
    # digits * 10**exp, trailing zeros moved into the exponent
    stripped = len("".join(str(x) for x in digits)) - len(text)
    exp += stripped
    return text, len(text) + exp


def _fmt_e(digits: str, dp: int, min_exp_digits: int = 2) -> str:
    exp = dp - 1 if digits != "0" else 0
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{mant}e{sign}{abs(exp):0{min_exp_digits}d}"


def _fmt_f(digits: str, dp: int) -> str:
    if digits == "0":
        return "0"
    if dp <= 0:
        return "0." + "0" * (-dp) + digits
    if dp >= len(digits):
        return digits + "0" * (dp - len(digits))
    return digits[:dp] + "." + digits[dp:]


def g_float(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    digits, dp = _digits(f)
    exp = dp - 1
    if digits != "0" and (exp < -4 or exp >= 6):
        return sign + _fmt_e(digits, dp)
    return sign + _fmt_f(digits, dp)


def json_float(f: float) -> str:
    """``encoding/json``'s float encoding."""
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    digits, dp = _digits(f)
    a = abs(f)
    if a != 0 and (a < 1e-6 or a >= 1e21):
        text = _fmt_e(digits, dp)
        # encoding/json cleans up e-09 to e-9
        if len(text) >= 4 and text[-4] == "e" and text[-3] == "-" and text[-2] == "0":
            text = text[:-2] + text[-1]
        return sign + text
    return sign + _fmt_f(digits, dp)


def quote(s: str) -> str:
    """``strconv.Quote``: double quotes, Go escapes, printable Unicode kept."""
    out = ['"']
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif ch.isprintable():
            out.append(ch)
        elif ch in _SHORT:
            out.append(_SHORT[ch])
        else:
            code = ord(ch)
            if code < 0x20 or code == 0x7F:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_SHORT = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
          "\v": "\\v"}


def sprint(value: Any) -> str:
    """``fmt.Sprint`` of a decoded JSON value."""
    if value is None:
        return "<nil>"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return g_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{sprint(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, (list, tuple)):
        return "[" + " ".join(sprint(v) for v in value) + "]"
    return str(value)


def gosyntax(value: Any, top: bool = True) -> str:
    """``fmt.Sprintf("%#v", v)`` of a decoded JSON value (``interface{}`` elements)."""
    if value is None:
        return "interface {}(nil)"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return g_float(value)
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, dict):
        inner = ", ".join(f"{quote(k)}:{gosyntax(value[k], False)}" for k in sorted(value))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}{" + ", ".join(gosyntax(v, False) for v in value) + "}"
    return quote(str(value))
