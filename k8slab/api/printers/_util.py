"""Formatting helpers shared by the server-side printers (and by ``kubectl describe``).

Each one ports a small apimachinery/kubernetes helper the printers call:

- :func:`age` — ``translateTimestampSince``: ``<unknown>`` for a zero time, else
  ``duration.HumanDuration(now - t)``;
- :func:`format_labels` — ``labels.FormatLabels``: sorted ``k=v`` joined by ``,``, ``<none>``;
- :func:`selector_string` / :func:`format_label_selector` — ``LabelSelectorAsSelector(s).String()``
  and ``metav1.FormatLabelSelector`` (requirements sorted by key, ``env in (a,b)``, ``!key``;
  ``<none>`` for an empty selector, ``<error>`` for a bad operator);
- :func:`quantity` — ``resource.Quantity.String()`` (canonical form), :func:`quantity_sum` —
  ``Quantity.Add`` keeping the first operand's format;
- :func:`intstr` — ``intstr.IntOrString.String()``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from ...sim.timefmt import human_duration, parse_rfc3339
from .. import quantity as _quantity

__all__ = [
    "access_modes",
    "age",
    "format_label_selector",
    "format_labels",
    "intstr",
    "quantity",
    "quantity_sum",
    "selector_string",
    "ts",
]

Obj = dict[str, Any]


def ts(text: Any) -> int | None:
    """A stored RFC 3339 timestamp in ns, or None for a zero/missing time."""
    if not text or not isinstance(text, str):
        return None
    try:
        return parse_rfc3339(text)
    except ValueError:
        return None


def age(text: Any, now: int) -> str:
    t = ts(text)
    if t is None:
        return "<unknown>"
    return human_duration(now - t)


def format_labels(labels: dict[str, Any] | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


_OPS = {"In": " in ", "NotIn": " notin ", "Exists": "", "DoesNotExist": ""}


def _requirements(sel: Obj) -> list[tuple[str, str]] | None:
    reqs: list[tuple[str, str]] = []
    for key in sorted(sel.get("matchLabels") or {}):
        reqs.append((key, f"{key}={(sel.get('matchLabels') or {})[key]}"))
    for expr in sel.get("matchExpressions") or []:
        op = expr.get("operator")
        key = str(expr.get("key", ""))
        values = [str(v) for v in expr.get("values") or []]
        if op not in _OPS:
            return None
        if op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, "!" + key))
        else:
            if not values:
                return None
            reqs.append((key, f"{key}{_OPS[op]}({','.join(sorted(values))})"))
    reqs.sort(key=lambda r: r[0])
    return reqs


def selector_string(sel: Obj | None) -> str:
    """``metav1.LabelSelectorAsSelector(sel).String()`` (``<invalid>`` on error, as printers do)."""
    if not sel:
        return ""
    reqs = _requirements(sel)
    if reqs is None:
        return "<invalid>"
    return ",".join(r for _, r in reqs)


def format_label_selector(sel: Obj | None) -> str:
    """``metav1.FormatLabelSelector``."""
    if not sel:
        return "<none>"
    reqs = _requirements(sel)
    if reqs is None:
        return "<error>"
    text = ",".join(r for _, r in reqs)
    return text or "<none>"


def quantity(value: Any) -> str:
    """``Quantity.String()`` of a stored quantity; the zero Quantity prints ``0``."""
    if value is None or value == "":
        return "0"
    try:
        return _quantity.canonical(value)
    except _quantity.QuantityError:
        return str(value)


def _is_binary(value: Any) -> bool:
    text = str(value)
    return any(text.endswith(u) for u in ("Ki", "Mi", "Gi", "Ti", "Pi", "Ei"))


def format_amount(amount: Fraction, binary: bool) -> str:
    """A quantity's canonical text for an exact amount in BinarySI or DecimalSI format."""
    if amount == 0:
        return "0"
    if binary and amount.denominator == 1 and abs(amount) >= 1024:
        n = int(amount)
        for unit, factor in (("Ei", 2**60), ("Pi", 2**50), ("Ti", 2**40), ("Gi", 2**30),
                             ("Mi", 2**20), ("Ki", 2**10)):
            if n % factor == 0:
                return f"{n // factor}{unit}"
        return str(n)
    if amount.denominator == 1:
        return _quantity.canonical(str(int(amount)))
    milli = amount * 1000
    if milli.denominator == 1:
        return _quantity.canonical(f"{int(milli)}m")
    micro = amount * 10**6
    if micro.denominator == 1:
        return _quantity.canonical(f"{int(micro)}u")
    nano = -((-amount * 10**9) // 1)
    return _quantity.canonical(f"{int(nano)}n")


def quantity_sum(values: list[Any]) -> str:
    """Sum of quantities printed in the format of the first one (``Quantity.Add``)."""
    values = [v for v in values if v not in (None, "")]
    if not values:
        return "0"
    total = sum((_quantity.parse(v) for v in values), Fraction(0))
    return format_amount(total, _is_binary(values[0]))


def intstr(value: Any) -> str:
    if value is None:
        return ""
    return str(value)


def access_modes(modes: list[str] | None) -> str:
    """``GetAccessModesAsString``: RWO, ROX, RWX, RWOP in that order."""
    have = set(modes or [])
    out = []
    for mode, short in (("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"),
                        ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")):
        if mode in have:
            out.append(short)
    return ",".join(out)
