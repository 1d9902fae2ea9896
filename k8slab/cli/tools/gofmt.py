"""Go's number formatting, for fortio's output: ``%g`` (shortest and fixed precision) and
``encoding/json`` floats.

``strconv.FormatFloat(x, 'g', -1, 64)`` prints the shortest digits that round-trip (Python's
``repr`` digits) and switches to exponent form when the exponent is < -4 or >= 6 (C's %g rule
with precision 6; ``strconv/ftoa.go``: "if precision was the shortest possible, use
precision 6 for this decision"). With an explicit precision Go's ``%.Ng`` matches C's, as
Python's ``format(x, ".Ng")`` does. JSON uses ``'f'`` unless the exponent is < -6 or >= 21
(``encoding/json/encode.go`` ``floatEncoder``), with ``e-07`` cleaned to ``e-7``.
"""

from __future__ import annotations

import math

__all__ = ["go_g", "go_gp", "json_float"]


def _digits(x: float) -> tuple[str, int]:
    """Shortest round-trip digits of |x| and the decimal point position (digits × 10^(dp-n))."""
    text = repr(abs(x))
    mantissa, _, exp = text.partition("e")
    exponent = int(exp) if exp else 0
    whole, _, frac = mantissa.partition(".")
    if frac == "0":
        frac = ""
    digits = (whole + frac).lstrip("0")
    lead = len(whole + frac) - len((whole + frac).lstrip("0"))
    dp = len(whole) + exponent - lead
    digits = digits.rstrip("0") or "0"
    return digits, dp


def _exp_form(digits: str, exp: int) -> str:
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    return f"{mant}e{'-' if exp < 0 else '+'}{abs(exp):02d}"


def go_g(x: float) -> str:
    """Go ``%g`` / ``%v`` of a float64 (shortest representation)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    if x == 0:
        return "-0" if math.copysign(1.0, x) < 0 else "0"
    digits, dp = _digits(x)
    sign = "-" if x < 0 else ""
    exp = dp - 1
    if exp < -4 or exp >= 6:
        return sign + _exp_form(digits, exp)
    if dp <= 0:
        return f"{sign}0.{'0' * (-dp)}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def go_gp(x: float, precision: int) -> str:
    """Go ``%.Ng``."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    return format(x, f".{precision}g")


def json_float(x: float) -> str:
    """``encoding/json`` for a float64."""
    if x == 0:
        return "0"
    a = abs(x)
    if a < 1e-6 or a >= 1e21:
        digits, dp = _digits(x)
        text = _exp_form(digits, dp - 1)
        if text[-3:-1] == "-0":
            text = text[:-2] + text[-1]
        return ("-" if x < 0 else "") + text
    digits, dp = _digits(x)
    sign = "-" if x < 0 else ""
    if dp <= 0:
        return f"{sign}0.{'0' * (-dp)}{digits}"
    if dp >= len(digits):
        return f"{sign}{digits}{'0' * (dp - len(digits))}"
    return f"{sign}{digits[:dp]}.{digits[dp:]}"
