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
    "invalid",
    "not_found",
]


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Any = _Omit()


@dataclass(frozen=True)
class GoValue:
    """A bad value already rendered the way Go's ``%#v`` would print it."""

    text: str


def go_repr(value: Any) -> str:
    """Render a bad value as ``field.Error.ErrorBody`` does (``%v``/``%q``/``%#v``)."""
    if isinstance(value, GoValue):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        items = ", ".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in sorted(value.items()))
        return "map[string]string{" + items + "}"
    if isinstance(value, list):
        return "[]string{" + ", ".join(json.dumps(v) for v in value) + "}"
    return str(value)


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
    detail = "supported values: " + ", ".join(json.dumps(s) for s in supported)
    return FieldError("Unsupported value", path, value, detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("Duplicate value", path, value)


def forbidden_field(path: str, detail: str) -> FieldError:
    return FieldError("Forbidden", path, OMIT, detail)


def too_long(path: str, limit: int) -> FieldError:
    return FieldError("Too long", path, OMIT, f"may not be more than {limit} bytes")


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
    message = f'{qualified} "{name}" is invalid: {aggregate(errors)}'
    return StatusError(422, "Invalid", message, kind=kind, name=name, group=group,
                       causes=list(errors))


def bad_request(message: str) -> StatusError:
    return StatusError(400, "BadRequest", message)


def forbidden(resource: str, name: str, detail: str) -> StatusError:
    return StatusError(403, "Forbidden", f'{resource} "{name}" is forbidden: {detail}', name=name)
