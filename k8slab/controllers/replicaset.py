"""ReplicaSet controller (models pkg/controller/replicaset). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["ReplicaSetController"]


class ReplicaSetController(Controller):
    name = "replicaset-controller"

    def sync(self, key: str) -> None:
        return None
