"""NodeName (``plugins/nodename``): a pod that names its node fits only there."""

from __future__ import annotations

from ..framework import UNRESOLVABLE, NodeInfo, PodInfo, Status

__all__ = ["NAME", "filter"]

NAME = "NodeName"
REASON = "node(s) didn't match the requested node name"


def filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    wanted = (pod.pod.get("spec") or {}).get("nodeName")
    if wanted and wanted != ni.name:
        return Status(UNRESOLVABLE, REASON, plugin=NAME)
    return None
