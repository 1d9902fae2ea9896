"""ServiceAccount controller (models pkg/controller/serviceaccount). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["ServiceAccountController"]


class ServiceAccountController(Controller):
    name = "service-account-controller"

    def sync(self, key: str) -> None:
        return None
