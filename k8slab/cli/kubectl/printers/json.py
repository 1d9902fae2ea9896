"""``kubectl … -o json``: the object as Go's ``json.MarshalIndent`` writes it.

kubectl's JSON printer (``k8s.io/cli-runtime/pkg/printers/json.go``) marshals the object it got
from the server — an unstructured ``map[string]interface{}`` — with
``json.MarshalIndent(obj, "", "    ")`` and appends a newline. So, byte for byte:

- keys sorted, four-space indentation, ``"key": value``, empty objects and arrays as ``{}``/``[]``;
- strings escaped like ``encoding/json``: ``\\"``, ``\\\\``, ``\\n``, ``\\r``, ``\\t``, ``\\b``,
  ``\\f``, other control characters as ``\\u00XX``, and — because HTML escaping is on —
  ``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\u003c``, ``\\u003e``, ``\\u0026``, ``\\u2028``,
  ``\\u2029``; everything else (including non-ASCII) raw;
- numbers: integers in decimal, floats as ``encoding/json`` formats them (:func:`gofmt.json_float`).

Interface: ``to_json(obj) -> str`` (with the trailing newline) and ``compact(obj) -> str`` (what
``json.Marshal`` gives, used by jsonpath for maps and lists). Objects are never mutated.
"""

from __future__ import annotations

from typing import Any

from .gofmt import json_float

__all__ = ["compact", "encode_string", "to_json"]

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def encode_string(s: str) -> str:
    out = ['"']
    for ch in s:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch < " ":
            out.append(f"\\u{ord(ch):04x}")
        elif "\ud800" <= ch <= "\udfff":
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return json_float(value)
    if isinstance(value, str):
        return encode_string(value)
    return encode_string(str(value))


def _indent(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        pad = "    " * (level + 1)
        out.append("{\n")
        keys = sorted(value)
        for i, k in enumerate(keys):
            out.append(pad)
            out.append(encode_string(str(k)))
            out.append(": ")
            _indent(value[k], level + 1, out)
            out.append(",\n" if i < len(keys) - 1 else "\n")
        out.append("    " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        pad = "    " * (level + 1)
        out.append("[\n")
        for i, item in enumerate(value):
            out.append(pad)
            _indent(item, level + 1, out)
            out.append(",\n" if i < len(value) - 1 else "\n")
        out.append("    " * level + "]")
    else:
        out.append(_scalar(value))


def to_json(obj: Any) -> str:
    """``json.MarshalIndent(obj, "", "    ")`` plus the newline kubectl adds."""
    out: list[str] = []
    _indent(obj, 0, out)
    out.append("\n")
    return "".join(out)


def compact(obj: Any) -> str:
    """``json.Marshal(obj)``."""
    if isinstance(obj, dict):
        return "{" + ",".join(
            f"{encode_string(str(k))}:{compact(obj[k])}" for k in sorted(obj)
        ) + "}"
    if isinstance(obj, (list, tuple)):
        return "[" + ",".join(compact(v) for v in obj) + "]"
    return _scalar(obj)
