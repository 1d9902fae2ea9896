"""API errors as the apiserver returns them (``k8s.io/apimachinery/pkg/api/errors``).

::

    StatusError                 a failed request: HTTP code, reason, message, details
    ├── reason NotFound         404  pods "x" not found
    ├── reason AlreadyExists    409  deployments.apps "x" already exists
    ├── reason Conflict         409  Operation cannot be fulfilled on …: the object has been…
    ├── reason Invalid          422  Deployment.apps "x" is invalid: <field errors>
    ├── reason BadRequest       400  decoding errors, bad selectors
    ├── reason Forbidden        403  namespace terminating, quota exceeded
    └── reason MethodNotAllowed 405

A :class:`FieldError` is one ``field.Error`` from the validation packages; its text follows
``field.Error.Error()`` (``spec.replicas: Invalid value: -1: must be greater than or equal to 0``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = [
    "OMIT",
    "FieldError",
    "GoValue",
    "StatusError",
    "aggregate",
    "already_exists",
    "bad_request",
    "conflict",
    "forbidden",
    "go_json",
    "go_quote",
    "go_repr",
    "go_struct",
    "invalid",
    "not_found",
    "too_long",
    "too_many",
]


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()


@dataclass(frozen=True)
class GoValue:
    """A bad value already rendered the way ``field.Error.ErrorBody`` prints it."""

    text: str


def go_quote(text: str) -> str:
    """Go's ``%q`` / ``strconv.Quote``: printable runes kept, the rest escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
               "\t": "\\t", "\v": "\\v"}


def go_float(value: float) -> str:
    """Go's ``%v`` for a float64: shortest digits, ``%e`` form when the exponent is < -4 or
    >= 6 (``strconv.FormatFloat(f, 'g', -1, 64)``): ``0.5``, ``100``, ``1e+06``."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    exp = len(text) + exponent - 1
    neg = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{neg}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    point = exp + 1
    if point <= 0:
        return f"{neg}0.{'0' * -point}{text}"
    if point >= len(text):
        return f"{neg}{text}{'0' * (point - len(text))}"
    return f"{neg}{text[:point]}.{text[point:]}"


def go_json(value: Any) -> str:
    """``encoding/json.Marshal``: compact, map keys sorted, ``<>&`` escaped as ``\\u003c``…"""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def go_struct(fields: list[tuple[str, Any]]) -> GoValue:
    """A Go struct without json tags (an internal API type) as ``json.Marshal`` prints it:
    exported field names, declaration order (``{"Name":"","Protocol":"TCP",…}``)."""
    body = ",".join(f"{go_json(k)}:{v.text if isinstance(v, GoValue) else go_json(v)}"
                    for k, v in fields)
    return GoValue("{" + body + "}")


def go_repr(value: Any) -> str:
    """Render a bad value as ``field.Error.ErrorBody`` does since apimachinery 1.31.

    ``int32``/``int64``/``float``/``bool`` print with ``%v``, strings with ``%q``, and
    everything else (maps, slices, structs, pointers, ``nil``) through ``json.Marshal``:
    ``{"app":"web"}``, ``["a","b"]``, ``null``.
    """
    if isinstance(value, GoValue):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    return go_json(value)


@dataclass(frozen=True)
class FieldError:
    """One validation failure, ``field.Error``.

    ``type`` is the ErrorType text: ``Required value``, ``Invalid value``, ``Unsupported value``,
    ``Duplicate value``, ``Forbidden``, ``Too long``, ``Too many``, ``Not found``,
    ``Internal error``.
    """

    type: str
    field: str
    bad_value: Any = OMIT
    detail: str = ""

    def body(self) -> str:
        if self.type in ("Required value", "Forbidden", "Too long", "Internal error") or (
            self.bad_value is OMIT
        ):
            text = self.type
        else:
            text = f"{self.type}: {go_repr(self.bad_value)}"
        if self.detail:
            text += f": {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("Required value", path, OMIT, detail)


def invalid_value(path: str, value: Any, detail: str) -> FieldError:
    return FieldError("Invalid value", path, value, detail)


def unsupported(path: str, value: Any, supported: list[str]) -> FieldError:
    """``field.NotSupported``: the supported values are quoted with ``strconv.Quote``."""
    detail = "supported values: " + ", ".join(go_quote(s) for s in supported) if supported else ""
    return FieldError("Unsupported value", path, value, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("Duplicate value", path, value)


def forbidden_field(path: str, detail: str) -> FieldError:
    return FieldError("Forbidden", path, OMIT, detail)


def too_long(path: str, limit: int) -> FieldError:
    """``field.TooLong``: the value itself is never printed."""
    unit = "byte" if limit == 1 else "bytes"
    return FieldError("Too long", path, OMIT, f"may not be more than {limit} {unit}")


def too_many(path: str, actual: int, limit: int) -> FieldError:
    return FieldError("Too many", path, actual, f"must have at most {limit} items")


def not_found_field(path: str, value: Any, detail: str = "") -> FieldError:
    """``field.NotFound`` (``Not found: "x"``)."""
    return FieldError("Not found", path, value, detail)


def internal_field(path: str, detail: str) -> FieldError:
    return FieldError("Internal error", path, OMIT, detail)


def aggregate(errors: list[FieldError]) -> str:
    """``ErrorList.ToAggregate().Error()``: one message, or ``[a, b]`` for several."""
    texts: list[str] = []
    for e in errors:
        t = str(e)
        if t not in texts:
            texts.append(t)
    if len(texts) == 1:
        return texts[0]
    return "[" + ", ".join(texts) + "]"


@dataclass
class StatusError(Exception):
    """A failed API request, ``metav1.Status`` with ``status: Failure``."""

    code: int
    reason: str
    message: str
    kind: str = ""
    name: str = ""
    group: str = ""
    causes: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message


def not_found(resource: str, name: str) -> StatusError:
    return StatusError(404, "NotFound", f'{resource} "{name}" not found', name=name)


def already_exists(resource: str, name: str) -> StatusError:
    return StatusError(409, "AlreadyExists", f'{resource} "{name}" already exists', name=name)


def conflict(resource: str, name: str, detail: str) -> StatusError:
    return StatusError(
        409, "Conflict", f'Operation cannot be fulfilled on {resource} "{name}": {detail}',
        name=name,
    )


def invalid(kind: str, group: str, name: str, errors: list[FieldError]) -> StatusError:
    qualified = f"{kind}.{group}" if group else kind
    message = f"{qualified} {go_quote(name)} is invalid: {aggregate(errors)}"
    return StatusError(422, "Invalid", message, kind=kind, name=name, group=group,
                       causes=list(errors))


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def forbidden(resource: str, name: str, detail: str) -> StatusError:
    return StatusError(403, "Forbidden", f'{resource} "{name}" is forbidden: {detail}', name=name)
