"""NodeUnschedulable (``plugins/nodeunschedulable``): cordoned nodes take no new pods."""

from __future__ import annotations

from ..framework import UNRESOLVABLE, NodeInfo, PodInfo, Status, tolerated

__all__ = ["NAME", "filter"]

NAME = "NodeUnschedulable"
REASON = "node(s) were unschedulable"
_TAINT = ("node.kubernetes.io/unschedulable", "", "NoSchedule")


def filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    if ni.unschedulable and not tolerated(pod.tolerations, _TAINT):
        return Status(UNRESOLVABLE, REASON, plugin=NAME)
    return None
