"""NodeAffinity (``plugins/nodeaffinity``): nodeSelector and node affinity.

Filter: the pod's ``nodeSelector`` and required node affinity must both match the node.
PreFilter narrows the candidates when required terms pin ``metadata.name`` (how DaemonSet pods
target their node); nodes outside that set get ``node(s) didn't satisfy plugin(s)
[NodeAffinity]``. Score: the sum of the weights of the preferred terms the node matches,
normalised by the maximum.
"""

from __future__ import annotations

from ..framework import UNRESOLVABLE, NodeInfo, PodInfo, Status, term_matches
from .helper import default_normalize

__all__ = ["NAME", "filter", "matches", "normalize", "score"]

NAME = "NodeAffinity"
REASON = "node(s) didn't match Pod's node affinity/selector"
REASON_CONFLICT = "pod affinity terms conflict"
REASON_PREFILTER = "node(s) didn't satisfy plugin(s) [NodeAffinity]"


def matches(pod: PodInfo, name: str, labels: dict[str, str]) -> bool:
    """``nodeaffinity.GetRequiredNodeAffinity(pod).Match(node)``."""
    for k, v in pod.node_selector.items():
        if labels.get(k) != v:
            return False
    if pod.required is not None:
        return any(term_matches(t, name, labels) for t in pod.required)
    return True


def filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    if not pod.node_selector and pod.required is None:
        return None
    if matches(pod, ni.name, ni.labels):
        return None
    return Status(UNRESOLVABLE, REASON, plugin=NAME)


def score(pod: PodInfo, ni: NodeInfo) -> int:
    return sum(w for w, term in pod.preferred if term_matches(term, ni.name, ni.labels))


def normalize(scores: list[int]) -> list[int]:
    return default_normalize(scores)
