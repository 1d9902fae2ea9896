"""TaintToleration (``plugins/tainttoleration``).

Filter: a NoSchedule or NoExecute taint the pod does not tolerate rejects the node. Since
kubernetes#134740 (1.35, back-ported to 1.34) the reason no longer names the taint: it is
``node(s) had untolerated taint(s)``. Score: the number of PreferNoSchedule taints the pod does
not tolerate, normalised in reverse (fewer is better).
"""

from __future__ import annotations

from ..framework import UNRESOLVABLE, NodeInfo, PodInfo, Status, Toleration, tolerated
from .helper import default_normalize

__all__ = ["NAME", "filter", "normalize", "score"]

NAME = "TaintToleration"
REASON = "node(s) had untolerated taint(s)"


def filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    for taint in ni.taints:
        if taint[2] in ("NoSchedule", "NoExecute") and not tolerated(pod.tolerations, taint):
            return Status(UNRESOLVABLE, REASON, plugin=NAME)
    return None


def _prefer_tolerations(pod: PodInfo) -> tuple[Toleration, ...]:
    return tuple(t for t in pod.tolerations if t[3] in ("", "PreferNoSchedule"))


def score(pod: PodInfo, ni: NodeInfo) -> int:
    tolerations = _prefer_tolerations(pod)
    return sum(1 for t in ni.taints
               if t[2] == "PreferNoSchedule" and not tolerated(tolerations, t))


def normalize(scores: list[int]) -> list[int]:
    return default_normalize(scores, reverse=True)
