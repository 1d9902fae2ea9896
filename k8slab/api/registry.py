"""Per-kind REST strategies, as in ``k8s.io/kubernetes/pkg/registry/<group>/<kind>/strategy.go``.

A :class:`Strategy` tells the apiserver how to treat one kind: how to default it
(``pkg/apis/<group>/v1/defaults.go``), how to validate a create and an update
(``pkg/apis/<group>/validation``), whether status is a separate subresource, whether
``metadata.generation`` tracks spec changes, and what to reset on create. Group modules
(:mod:`k8slab.api.groups.core`, ``apps`` …) register their strategies here; kinds without one get
:data:`DEFAULT` (schema decoding and metadata validation only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import FieldError

__all__ = ["DEFAULT", "STRATEGIES", "Strategy", "register", "strategy_for"]

Obj = dict[str, Any]


def _no_errors(*_: Any) -> list[FieldError]:
    return []


@dataclass
class Strategy:
    """How the apiserver stores one kind."""

    #: fills in API defaults in place on a private copy of the object
    default: Callable[[Obj], None] | None = None
    #: validation of a new object (after defaulting and admission)
    validate: Callable[[Obj], list[FieldError]] = _no_errors
    #: validation of an update; receives (new, old)
    validate_update: Callable[[Obj, Obj], list[FieldError]] = _no_errors
    #: validation of a status update; receives (new, old)
    validate_status_update: Callable[[Obj, Obj], list[FieldError]] = _no_errors
    #: ``status`` is only written through the status subresource
    status_subresource: bool = True
    #: ``metadata.generation`` starts at 1 and grows when the spec changes
    generation: bool = False
    #: top-level fields whose change bumps the generation
    spec_fields: tuple[str, ...] = ("spec",)
    #: builds the initial status on create (PrepareForCreate); None keeps ``{}`` away
    initial_status: Callable[[Obj], Any] | None = None
    #: extra hook run on create before validation (PrepareForCreate beyond status)
    prepare_create: Callable[[Obj], None] | None = None
    #: extra hook run on update before validation; receives (new, old)
    prepare_update: Callable[[Obj, Obj], None] | None = None
    #: metadata keys a write to the status subresource may change (the Deployment status
    #: strategy only resets spec and labels, so the controller records its revision
    #: annotation through …/status without bumping the generation)
    status_metadata: tuple[str, ...] = ()
    #: which top-level keys survive a plain update untouched (besides metadata)
    extra: dict[str, Any] = field(default_factory=dict)


DEFAULT = Strategy(status_subresource=False)
STRATEGIES: dict[tuple[str, str], Strategy] = {}


def register(group: str, kind: str, strategy: Strategy) -> Strategy:
    STRATEGIES[(group, kind)] = strategy
    return strategy


def strategy_for(group: str, kind: str) -> Strategy:
    return STRATEGIES.get((group, kind), DEFAULT)
