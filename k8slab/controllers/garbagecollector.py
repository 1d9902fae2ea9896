"""Garbage collector (models pkg/controller/garbagecollector). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["GarbageCollector"]


class GarbageCollector(Controller):
    name = "garbage-collector-controller"

    def sync(self, key: str) -> None:
        return None
