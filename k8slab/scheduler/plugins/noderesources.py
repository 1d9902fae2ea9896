"""NodeResourcesFit and NodeResourcesBalancedAllocation (``plugins/noderesources``).

Fit filter: the pod count against ``allocatable.pods`` (``Too many pods``), then each requested
resource against allocatable minus what is already requested (``Insufficient cpu`` …). Every
shortfall is reported; a request larger than the whole node is UnschedulableAndUnresolvable
(preemption could not help).

Fit score (LeastAllocated, cpu and memory weight 1): per resource ``(allocatable − requested) ×
100 / allocatable`` using the non-zero requests (100m / 200Mi for a container that asks for
nothing), averaged. BalancedAllocation: ``(1 − |f_cpu − f_mem| / 2) × 100`` on the real
requests, skipped for pods that request nothing (kubernetes#129138).
"""

from __future__ import annotations

from ..framework import MAX_NODE_SCORE, UNRESOLVABLE, UNSCHEDULABLE, NodeInfo, PodInfo, Status

__all__ = ["BALANCED", "FIT", "balanced_score", "balanced_skip", "fit_filter", "least_allocated"]

FIT = "NodeResourcesFit"
BALANCED = "NodeResourcesBalancedAllocation"


def fit_filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    reasons: list[str] = []
    unresolvable = False
    if len(ni.pods) + 1 > ni.alloc_pods:
        reasons.append("Too many pods")
    cpu, mem, eph = pod.requests
    if cpu or mem or eph:
        if cpu > 0 and cpu > ni.alloc_cpu - ni.req_cpu:
            reasons.append("Insufficient cpu")
            unresolvable = unresolvable or cpu > ni.alloc_cpu
        if mem > 0 and mem > ni.alloc_mem - ni.req_mem:
            reasons.append("Insufficient memory")
            unresolvable = unresolvable or mem > ni.alloc_mem
        if eph > 0 and eph > ni.alloc_eph - ni.req_eph:
            reasons.append("Insufficient ephemeral-storage")
            unresolvable = unresolvable or eph > ni.alloc_eph
    if not reasons:
        return None
    return Status(UNRESOLVABLE if unresolvable else UNSCHEDULABLE, *reasons, plugin=FIT)


def _least(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return (capacity - requested) * MAX_NODE_SCORE // capacity


def least_allocated(pod: PodInfo, ni: NodeInfo) -> int:
    total = weights = 0
    if ni.alloc_cpu:
        total += _least(ni.nz_cpu + pod.nonzero[0], ni.alloc_cpu)
        weights += 1
    if ni.alloc_mem:
        total += _least(ni.nz_mem + pod.nonzero[1], ni.alloc_mem)
        weights += 1
    return total // weights if weights else 0


def balanced_skip(pod: PodInfo) -> bool:
    """PreScore returns Skip for a pod that requests neither cpu nor memory."""
    return pod.requests[0] == 0 and pod.requests[1] == 0


def balanced_score(pod: PodInfo, ni: NodeInfo) -> int:
    fractions = []
    for requested, alloc in ((ni.req_cpu + pod.requests[0], ni.alloc_cpu),
                             (ni.req_mem + pod.requests[1], ni.alloc_mem)):
        if alloc == 0:
            continue
        fractions.append(min(requested / alloc, 1.0))
    std = abs((fractions[0] - fractions[1]) / 2) if len(fractions) == 2 else 0.0
    return int((1 - std) * MAX_NODE_SCORE)
