"""Node IPAM controller (models pkg/controller/nodeipam). Stub: to be implemented."""

from __future__ import annotations

from .base import Controller

__all__ = ["NodeIpamController"]


class NodeIpamController(Controller):
    name = "node-ipam-controller"

    def sync(self, key: str) -> None:
        return None
