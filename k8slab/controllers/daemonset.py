"""DaemonSet controller (models pkg/controller/daemon). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["DaemonSetController"]


class DaemonSetController(Controller):
    name = "daemonset-controller"

    def sync(self, key: str) -> None:
        return None
