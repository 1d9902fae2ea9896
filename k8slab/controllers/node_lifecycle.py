"""Node lifecycle controller (models pkg/controller/nodelifecycle). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["NodeLifecycleController"]


class NodeLifecycleController(Controller):
    name = "node-controller"

    def sync(self, key: str) -> None:
        return None
