"""The core ("") API group: Pod, Service, Namespace, Node, ConfigMap, Secret, Event…

Models ``pkg/apis/core/v1/defaults.go``, ``pkg/apis/core/validation/validation.go`` and the
strategies in ``pkg/registry/core/*``.
"""

from __future__ import annotations

from typing import Any

from ..store import APIServer

__all__ = ["install"]

Obj = dict[str, Any]


def install(api: APIServer) -> None:
    """Register trace digests for core kinds."""
