"""The kubelet: one per node (``k8s.io/kubernetes/pkg/kubelet``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..config import NodeConfig

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["Kubelet"]


class Kubelet:
    def __init__(self, cluster: Cluster, node: NodeConfig) -> None:
        self.cluster = cluster
        self.node = node
        self.name = f"kubelet/{node.name}"

    def start(self) -> None:
        """Register the Node object and begin heart-beating."""
