"""kube-scheduler (``k8s.io/kubernetes/pkg/scheduler``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["Scheduler"]


class Scheduler:
    name = "default-scheduler"

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
