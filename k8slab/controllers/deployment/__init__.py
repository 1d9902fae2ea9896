"""Deployment controller (models pkg/controller/deployment). Stub: to be implemented."""

from __future__ import annotations

from ..base import Controller

__all__ = ["DeploymentController"]


class DeploymentController(Controller):
    name = "deployment-controller"

    def sync(self, key: str) -> None:
        return None
