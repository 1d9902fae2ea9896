"""PodTopologySpread (``plugins/podtopologyspread``): spread a workload's pods over domains.

A pod without ``topologySpreadConstraints`` gets the system defaults (``plugin.go``
``systemDefaultConstraints``): ``kubernetes.io/hostname`` maxSkew 3 and
``topology.kubernetes.io/zone`` maxSkew 5, both ScheduleAnyway, selecting the pods matched by the
Services, ReplicationController, ReplicaSet or StatefulSet that select this pod
(``helper.DefaultSelector``). With no such selector the plugin is skipped.

Scoring (``scoring.go``): for every constraint whose key the node has, ``count × log(size + 2) +
(maxSkew − 1)``, rounded; ``size`` is the number of scored nodes for the hostname key and the
number of distinct values for the others. Nodes are then normalised so the emptiest gets 100:
``100 × (max + min − s) / max``. For the per-node (hostname) count of a pod that has an owner,
upstream counts the pods on the node with the same first owner reference
(``NodeInfo.PodsWithOwnerRef``); the lab does that for the system defaults.

Filter (explicit DoNotSchedule constraints only): the skew of the node's domain after adding the
pod must not exceed maxSkew.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from ...api.selectors import Selector, from_label_selector
from ..framework import (
    HOSTNAME_LABEL,
    MAX_NODE_SCORE,
    UNRESOLVABLE,
    UNSCHEDULABLE,
    ZONE_LABEL,
    NodeInfo,
    PodInfo,
    Status,
    tolerated,
)
from .nodeaffinity import matches as affinity_matches

__all__ = [
    "NAME",
    "Constraint",
    "HardState",
    "count_matching",
    "default_constraints",
    "explicit_constraints",
    "go_round",
    "hard_filter",
    "hard_prefilter",
    "spread_scores",
]

NAME = "PodTopologySpread"
REASON = "node(s) didn't match pod topology spread constraints"
REASON_MISSING = "node(s) didn't match pod topology spread constraints (missing required label)"
SYSTEM_DEFAULTS = ((HOSTNAME_LABEL, 3), (ZONE_LABEL, 5))


class Constraint:
    __slots__ = ("by_owner", "hard", "honor_affinity", "honor_taints", "key", "max_skew",
                 "min_domains", "selector")

    def __init__(self, key: str, max_skew: int, selector: Selector | None, *, hard: bool = False,
                 by_owner: bool = False, min_domains: int = 1, honor_affinity: bool = True,
                 honor_taints: bool = False) -> None:
        self.key = key
        self.max_skew = max_skew
        self.selector = selector
        self.hard = hard
        self.by_owner = by_owner
        self.min_domains = min_domains
        self.honor_affinity = honor_affinity
        self.honor_taints = honor_taints

    def includes(self, pod: PodInfo, ni: NodeInfo) -> bool:
        """``matchNodeInclusionPolicies``: nodeAffinityPolicy Honor, nodeTaintsPolicy Ignore."""
        if self.honor_affinity and not affinity_matches(pod, ni.name, ni.labels):
            return False
        if self.honor_taints:
            for taint in ni.taints:
                if taint[2] in ("NoSchedule", "NoExecute") and not tolerated(pod.tolerations,
                                                                             taint):
                    return False
        return True


def default_constraints(pod: PodInfo, selector: Selector | None) -> list[Constraint]:
    if selector is None or selector.empty() or selector.nothing:
        return []
    by_owner = bool(pod.owner_uid)
    return [Constraint(key, skew, selector, by_owner=by_owner) for key, skew in SYSTEM_DEFAULTS]


def explicit_constraints(pod: PodInfo) -> list[Constraint]:
    out = []
    for c in pod.spread_constraints:
        out.append(Constraint(
            c.get("topologyKey", ""), int(c.get("maxSkew") or 1),
            from_label_selector(c.get("labelSelector")),
            hard=c.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule",
            min_domains=int(c.get("minDomains") or 1),
            honor_affinity=c.get("nodeAffinityPolicy", "Honor") == "Honor",
            honor_taints=c.get("nodeTaintsPolicy", "Ignore") == "Honor",
        ))
    return out


def count_matching(c: Constraint, pod: PodInfo, ni: NodeInfo) -> int:
    """Pods on ``ni`` that the constraint counts (terminating pods excluded, kubernetes#87621)."""
    if c.by_owner:
        return ni.owners.get(pod.owner_uid, 0)
    sel = c.selector
    if sel is None:
        return 0
    return sum(1 for e in ni.pods.values()
               if not e.terminating and e.namespace == pod.namespace and sel.matches(e.labels))


def go_round(x: float) -> int:
    """Go's ``math.Round``: halves away from zero (Python's round() is banker's rounding)."""
    return math.floor(x + 0.5) if x >= 0 else -math.floor(-x + 0.5)


def spread_scores(
    constraints: list[Constraint],
    items: list[tuple[NodeInfo, int]],
    require_all: bool,
    host_count: Callable[[Constraint, NodeInfo], int],
    domain_count: Callable[[int, str], int],
) -> list[int]:
    """Normalised PodTopologySpread scores for ``items`` (a node and how many nodes it stands for).

    ``domain_count(i, value)`` is the number of matching pods in the domain ``value`` of the
    i-th constraint, counted over all nodes as PreScore does.
    """
    indexed = list(enumerate(constraints))
    if not require_all:
        # A key no scored node has adds nothing to any node's score.
        indexed = [(i, c) for i, c in indexed if any(c.key in ni.labels for ni, _ in items)]
    keys = [c.key for c in constraints]
    ignored = [require_all and any(k not in ni.labels for k in keys) for ni, _ in items]
    weights: dict[int, float] = {}
    for i, c in indexed:
        if c.key == HOSTNAME_LABEL:
            size = sum(n for (ni, n), ign in zip(items, ignored, strict=True) if not ign)
        else:
            size = len({ni.labels.get(c.key, "") for (ni, _), ign in zip(items, ignored,
                                                                          strict=True)
                        if not ign})
        weights[i] = math.log(size + 2)
    raw: list[int | None] = []
    for (ni, _), ign in zip(items, ignored, strict=True):
        if ign:
            raw.append(None)
            continue
        total = 0.0
        for i, c in indexed:
            value = ni.labels.get(c.key)
            if value is None:
                continue
            cnt = host_count(c, ni) if c.key == HOSTNAME_LABEL else domain_count(i, value)
            total += cnt * weights[i] + (c.max_skew - 1)
        raw.append(go_round(total))
    valid = [s for s in raw if s is not None]
    lo = min(valid, default=0)
    hi = max(valid, default=0)
    out = []
    for s in raw:
        if s is None:
            out.append(0)
        elif hi == 0:
            out.append(MAX_NODE_SCORE)
        else:
            out.append(MAX_NODE_SCORE * (hi + lo - s) // hi)
    return out


def domain_counts(constraints: list[Constraint], pod: PodInfo, nodes: Iterable[NodeInfo],
                  require_all: bool) -> list[dict[str, int]]:
    """PreScore's ``TopologyValueToPodCounts`` for the non-hostname keys, over all nodes."""
    keys = [c.key for c in constraints]
    counts: list[dict[str, int]] = [{} for _ in constraints]
    for ni in nodes:
        if require_all and any(k not in ni.labels for k in keys):
            continue
        for i, c in enumerate(constraints):
            if c.key == HOSTNAME_LABEL or not c.includes(pod, ni):
                continue
            value = ni.labels.get(c.key, "")
            counts[i][value] = counts[i].get(value, 0) + count_matching(c, pod, ni)
    return counts


class HardState:
    """PreFilter state of the DoNotSchedule constraints: matching pods per domain, minimums."""

    __slots__ = ("constraints", "counts", "minimums", "self_match")

    def __init__(self, constraints: list[Constraint], counts: list[dict[str, int]],
                 minimums: list[int], self_match: list[int]) -> None:
        self.constraints = constraints
        self.counts = counts
        self.minimums = minimums
        self.self_match = self_match


def hard_prefilter(pod: PodInfo, nodes: Iterable[NodeInfo]) -> HardState | None:
    constraints = [c for c in explicit_constraints(pod) if c.hard]
    if not constraints:
        return None
    keys = [c.key for c in constraints]
    counts: list[dict[str, int]] = [{} for _ in constraints]
    for ni in nodes:
        if any(k not in ni.labels for k in keys):
            continue
        for i, c in enumerate(constraints):
            if not c.includes(pod, ni):
                continue
            value = ni.labels[c.key]
            counts[i][value] = counts[i].get(value, 0) + count_matching(c, pod, ni)
    minimums = []
    for i, c in enumerate(constraints):
        values = counts[i].values()
        low = min(values, default=0)
        if len(counts[i]) < c.min_domains:
            low = 0
        minimums.append(low)
    self_match = [1 if c.selector is not None and c.selector.matches(pod.labels) else 0
                  for c in constraints]
    return HardState(constraints, counts, minimums, self_match)


def hard_filter(state: HardState, pod: PodInfo, ni: NodeInfo) -> Status | None:
    for i, c in enumerate(state.constraints):
        value = ni.labels.get(c.key)
        if value is None:
            return Status(UNRESOLVABLE, REASON_MISSING, plugin=NAME)
        skew = state.counts[i].get(value, 0) + state.self_match[i] - state.minimums[i]
        if skew > c.max_skew:
            return Status(UNSCHEDULABLE, REASON, plugin=NAME)
    return None


def constraint_summary(constraints: list[Constraint]) -> Any:
    return [(c.key, c.max_skew, c.hard) for c in constraints]
