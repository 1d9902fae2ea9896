"""Resource quantities: ``100m``, ``1.5``, ``128Mi``, ``1e3`` (apimachinery ``pkg/api/resource``).

``parse`` turns a quantity string into an exact :class:`fractions.Fraction`; ``milli`` and
``value`` give the integer forms the scheduler and kubelet use (CPU in millicores, memory in
bytes, rounding up as ``MilliValue``/``Value`` do). ``canonical`` prints a quantity the way the
apiserver normalises it (``1000m`` → ``1``, ``1024Mi`` → ``1Gi``, ``0.5`` → ``500m``).

Errors carry the apimachinery message: ``quantities must match the regular expression
'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'``.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

__all__ = ["QuantityError", "canonical", "milli", "parse", "value"]

_REGEX_TEXT = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
_RE = re.compile(r"^([+-]?[0-9]*\.?[0-9]*)([eEinumkKMGTP]*[-+]?[0-9]*)$")

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL: dict[str, int | Fraction] = {
    "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000), "": 1,
    "k": 10**3, "M": 10**6, "G": 10**9, "T": 10**12, "P": 10**15, "E": 10**18}


class QuantityError(ValueError):
    def __init__(self) -> None:
        super().__init__(f"quantities must match the regular expression '{_REGEX_TEXT}'")


def _split(text: str) -> tuple[str, str]:
    m = _RE.match(text.strip())
    if not m or not m.group(1) or m.group(1) in ("+", "-", ".", "+.", "-."):
        raise QuantityError()
    return m.group(1), m.group(2)


# Parsed strings (Fractions are immutable): node capacities and pod requests are the same few
# strings, parsed again at every node status update and every scheduling decision.
_PARSED: dict[str, Fraction] = {}


def parse(text: str | int | float) -> Fraction:
    """Exact value of a quantity."""
    if type(text) is str:
        hit = _PARSED.get(text)
        if hit is not None:
            return hit
        value = _parse(text)
        if len(_PARSED) >= 4096:
            _PARSED.clear()
        _PARSED[text] = value
        return value
    return _parse(text)


def _parse(text: str | int | float) -> Fraction:
    if isinstance(text, bool):
        raise QuantityError()
    if isinstance(text, int):
        return Fraction(text)
    if isinstance(text, float):
        return Fraction(str(text))
    number, suffix = _split(text)
    base = Fraction(number)
    if suffix in _BINARY:
        return base * _BINARY[suffix]
    if suffix in _DECIMAL:
        return base * _DECIMAL[suffix]
    if suffix[:1] in ("e", "E"):
        try:
            exp = int(suffix[1:])
        except ValueError:
            raise QuantityError() from None
        return base * Fraction(10) ** exp
    raise QuantityError()


def milli(text: str | int | float) -> int:
    """``Quantity.MilliValue()``: thousandths, rounded up (``0.1`` CPU → 100)."""
    return math.ceil(parse(text) * 1000)


def value(text: str | int | float) -> int:
    """``Quantity.Value()``: rounded up to an integer (bytes for memory)."""
    return math.ceil(parse(text))


def canonical(text: str | int | float) -> str:
    """The canonical string the apiserver stores (binary stays binary, decimal decimal)."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    _, suffix = _split(str(text))
    amount = parse(text)
    if amount == 0:
        return "0"
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if suffix in _BINARY and amount.denominator == 1:
        n = int(amount)
        for unit in ("Ei", "Pi", "Ti", "Gi", "Mi", "Ki"):
            if n % _BINARY[unit] == 0:
                return f"{sign}{n // _BINARY[unit]}{unit}"
        return f"{sign}{n}"
    exp_form = suffix[:1] in ("e", "E")
    # Decimal SI: pick the largest suffix that keeps an integer mantissa (nano is the floor).
    for unit, factor in (("E", 10**18), ("P", 10**15), ("T", 10**12), ("G", 10**9),
                         ("M", 10**6), ("k", 10**3), ("", 1), ("m", Fraction(1, 1000)),
                         ("u", Fraction(1, 10**6)), ("n", Fraction(1, 10**9))):
        scaled = amount / factor
        if scaled.denominator == 1:
            if exp_form and unit not in ("", "m", "u", "n"):
                exp = {"k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}[unit]
                return f"{sign}{int(scaled)}e{exp}"
            return f"{sign}{int(scaled)}{unit}"
    return f"{sign}{math.ceil(amount * 10**9)}n"
