"""The apps/v1 API group: Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision.

Models ``pkg/apis/apps/v1/defaults.go``, ``pkg/apis/apps/validation/validation.go`` and the
strategies in ``pkg/registry/apps/*``.
"""

from __future__ import annotations

from typing import Any

from ..store import APIServer

__all__ = ["install"]

Obj = dict[str, Any]


def install(api: APIServer) -> None:
    """Register trace digests for apps kinds."""
