"""Namespace controller (models pkg/controller/namespace). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["NamespaceController"]


class NamespaceController(Controller):
    name = "namespace-controller"

    def sync(self, key: str) -> None:
        return None
