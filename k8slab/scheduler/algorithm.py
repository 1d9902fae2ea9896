"""One scheduling cycle's algorithm: filter, score, pick (``pkg/scheduler/schedule_one.go``).

``schedulePod`` as upstream does it:

1. PreFilter — NodeAffinity may pin the pod to named nodes (DaemonSet pods); explicit
   DoNotSchedule spread constraints count matching pods per domain.
2. Filter — nodes are checked round-robin starting where the previous cycle stopped
   (``nextStartNodeIndex``) until ``numFeasibleNodesToFind`` feasible nodes are found: every node
   below 100 nodes, else ``max(5, 50 − nodes/125)`` percent of them but at least 100
   (``percentageOfNodesToScore`` left at its adaptive default).
3. Score — each plugin scores the feasible nodes 0–100, some normalise across them, and the
   weighted sum decides; equal totals are broken uniformly at random (upstream gives each node a
   random ``Randomizer``; the lab draws from the seeded ``scheduler`` stream).
4. No feasible node → a :class:`Diagnosis` whose message is ``FitError.Error()``, and PostFilter
   (DefaultPreemption) tries to make room.

**The fast path.** Scanning and scoring hundreds of nodes per pod is too slow for 30,000 pods in
Python, so nodes that are indistinguishable for the pod are evaluated once: a
:class:`~.cache.Partition` groups them by everything filters and scores read. The round-robin
window, the number of nodes scored, the normalisations (which only need the minimum and
maximum) and the random tie-break (the r-th tied node in scan order, r drawn the same way) are
reproduced exactly, so the fast path places every pod on the very node the node-by-node path
would; ``tests/unit/scheduler/test_fast_path.py`` checks it. Pods with explicit spread
constraints, inter-pod affinity, node-name pins, or while nominated pods exist take the
node-by-node path.
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from ..api.selectors import Selector
from .cache import Partition, SchedulerCache
from .framework import (
    UNRESOLVABLE,
    ZONE_LABEL,
    NodeInfo,
    PodEntry,
    PodInfo,
    Status,
    fit_error_message,
)
from .plugins import FILTERS, imagelocality, nodeaffinity, noderesources, tainttoleration
from .plugins import podtopologyspread as spread

__all__ = ["Algorithm", "Diagnosis", "num_feasible_nodes_to_find"]

MIN_FEASIBLE_NODES = 100
MIN_FEASIBLE_PERCENTAGE = 5
_CACHE_LIMIT = 100_000
# The filter cache's "not yet run" (a Status of its own, told apart by identity).
_UNKNOWN = Status(-1, plugin="<unknown>")


def num_feasible_nodes_to_find(num_all: int, percentage: int = 0) -> int:
    """``numFeasibleNodesToFind`` with the adaptive default percentage."""
    if num_all < MIN_FEASIBLE_NODES:
        return num_all
    if percentage == 0:
        percentage = max(50 - num_all // 125, MIN_FEASIBLE_PERCENTAGE)
    return max(num_all * percentage // 100, MIN_FEASIBLE_NODES)


class Diagnosis:
    """Why a pod fits nowhere: per-node statuses plus one status for the nodes not listed."""

    __slots__ = ("absent", "num_all", "plugins", "post_filter_msg", "pre_filter_msg", "statuses")

    def __init__(self, num_all: int) -> None:
        self.num_all = num_all
        self.statuses: dict[str, Status] = {}
        self.absent: Status | None = None
        self.pre_filter_msg = ""
        self.post_filter_msg = ""
        self.plugins: list[str] = []

    def add(self, node: str, status: Status) -> None:
        self.statuses[node] = status
        if status.plugin and status.plugin not in self.plugins:
            self.plugins.append(status.plugin)

    def status_of(self, node: str) -> Status | None:
        return self.statuses.get(node, self.absent)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for status in self.statuses.values():
            for reason in status.reasons:
                out[reason] = out.get(reason, 0) + 1
        missing = self.num_all - len(self.statuses)
        if self.absent is not None and missing > 0:
            for reason in self.absent.reasons:
                out[reason] = out.get(reason, 0) + missing
        return out

    def message(self) -> str:
        return fit_error_message(self.num_all, self.counts(), self.pre_filter_msg,
                                 self.post_filter_msg)


class SpreadContext:
    """What PodTopologySpread needs for one pod: its constraints and how to count."""

    __slots__ = ("by_owner", "constraints", "key", "require_all")

    def __init__(self, constraints: list[spread.Constraint], require_all: bool) -> None:
        self.constraints = constraints
        self.require_all = require_all
        self.by_owner = bool(constraints) and all(c.by_owner for c in constraints)
        # What scoring reads of constraints that count the owner's pods (the fast path's).
        self.key = (require_all, tuple((c.key, c.max_skew, c.by_owner) for c in constraints))


class Algorithm:
    """Filters and scores nodes for one pod at a time, against the scheduler cache."""

    def __init__(
        self,
        cache: SchedulerCache,
        rng: random.Random,
        default_selector: Callable[[PodInfo], Selector | None],
        nominated: Callable[[str], list[PodInfo]],
    ) -> None:
        self.cache = cache
        self.rng = rng
        self.default_selector = default_selector
        self.nominated = nominated
        self.any_nominated: Callable[[], bool] = lambda: False
        self.next_start = 0
        self.force_slow = False
        # How many cycles took each path (tests check the fast path is really used).
        self.paths = {"fast": 0, "node-by-node": 0}
        # signature id → class id → the filters' verdict
        self._filter_cache: dict[int, dict[int, Status | None]] = {}
        self._score_cache: dict[tuple[Any, ...], tuple[int, int, int, int]] = {}
        self._totals_cache: dict[tuple[Any, ...], list[int]] = {}
        self._signature_ids: dict[tuple[Any, ...], int] = {}
        self._next_signature_id = 0
        # default spreading constraints per DefaultSelector (held, so its id stays unique)
        self._defaults: dict[int, tuple[Any, bool, SpreadContext]] = {}

    # ------------------------------------------------------------------ plugins

    def run_filters(self, pod: PodInfo, ni: NodeInfo,
                    hard: spread.HardState | None = None) -> Status | None:
        for _, fn in FILTERS:
            status = fn(pod, ni)
            if status is not None:
                return status
        if hard is not None:
            return spread.hard_filter(hard, pod, ni)
        return None

    def _filter_with_nominated(self, pod: PodInfo, ni: NodeInfo,
                               hard: spread.HardState | None) -> Status | None:
        """``RunFilterPluginsWithNominatedPods``: higher-or-equal priority nominated pods count."""
        others = [p for p in self.nominated(ni.name)
                  if p.key != pod.key and p.priority >= pod.priority]
        if others:
            with_them = ni.clone()
            for p in others:
                with_them.add(PodEntry(p.pod, ni.name))
            status = self.run_filters(pod, with_them, hard)
            if status is not None:
                return status
        return self.run_filters(pod, ni, hard)

    def _raw(self, pod: PodInfo, ni: NodeInfo) -> tuple[int, int, int, int]:
        """Raw scores of the plugins whose score depends only on the pod and the node."""
        return (
            tainttoleration.score(pod, ni),
            nodeaffinity.score(pod, ni) if pod.preferred else 0,
            noderesources.least_allocated(pod, ni),
            0 if noderesources.balanced_skip(pod) else noderesources.balanced_score(pod, ni),
        )

    def _spread_context(self, pod: PodInfo) -> SpreadContext:
        if pod.spread_constraints:
            soft = [c for c in spread.explicit_constraints(pod) if not c.hard]
            return SpreadContext(soft, require_all=True)
        selector = self.default_selector(pod)
        owned = bool(pod.owner_uid)
        hit = self._defaults.get(id(selector))
        if hit is not None and hit[0] is selector and hit[1] == owned:
            return hit[2]
        ctx = SpreadContext(spread.default_constraints(pod, selector), require_all=False)
        if len(self._defaults) > 1000:
            self._defaults.clear()
        self._defaults[id(selector)] = (selector, owned, ctx)
        return ctx

    def _totals(self, pod: PodInfo, items: list[tuple[NodeInfo, int]],
                raws: list[tuple[int, int, int, int]], ctx: SpreadContext,
                domain_count: Callable[[int, str], int]) -> list[int]:
        taint = tainttoleration.normalize([r[0] for r in raws])
        affinity = (nodeaffinity.normalize([r[1] for r in raws]) if pod.preferred
                    else [0] * len(raws))
        if ctx.constraints:
            spread_scores = spread.spread_scores(
                ctx.constraints, items, ctx.require_all,
                lambda c, ni: spread.count_matching(c, pod, ni), domain_count)
        else:
            spread_scores = [0] * len(raws)
        total_nodes = len(self.cache.nodes)
        image_nodes = self.cache.image_nodes
        totals = []
        for i, (ni, _) in enumerate(items):
            image = (imagelocality.score(pod, ni, total_nodes, image_nodes) if image_nodes
                     else 0)
            totals.append(3 * taint[i] + 2 * affinity[i] + raws[i][2] + 2 * spread_scores[i]
                          + raws[i][3] + image)
        return totals

    # ------------------------------------------------------------------ the cycle

    def fast_path_applies(self, pod: PodInfo, ctx: SpreadContext) -> bool:
        if self.force_slow or pod.spread_constraints or pod.has_pod_affinity or pod.names_hostname:
            return False
        if pod.required_names is not None or self.any_nominated():
            return False
        if ctx.constraints and not ctx.by_owner:
            return False
        return not (self.cache.zoned_nodes and (pod.node_selector or pod.required is not None))

    def schedule(self, pod: PodInfo) -> tuple[str | None, Diagnosis]:
        """Pick a node for ``pod``; None and the diagnosis when none fits."""
        order = self.cache.node_order()
        diagnosis = Diagnosis(len(order))
        if not order:
            diagnosis.pre_filter_msg = "no nodes available to schedule pods"
            return None, diagnosis
        ctx = self._spread_context(pod)
        if self.fast_path_applies(pod, ctx):
            self.paths["fast"] += 1
            return self._fast(pod, ctx, order, diagnosis)
        self.paths["node-by-node"] += 1
        nodes = order
        if pod.required_names is not None:
            if not pod.required_names:
                diagnosis.pre_filter_msg = nodeaffinity.REASON_CONFLICT
                diagnosis.absent = Status(UNRESOLVABLE, nodeaffinity.REASON_CONFLICT,
                                          plugin=nodeaffinity.NAME)
                diagnosis.plugins.append(nodeaffinity.NAME)
                return None, diagnosis
            # The pinned nodes (distinct names) in scan order, looked up by name rather than by
            # scanning every node for each DaemonSet pod: positions index ``order``.
            known = self.cache.nodes
            nodes = sorted((known[name] for name in pod.required_names if name in known),
                           key=_position)
            diagnosis.absent = Status(UNRESOLVABLE, nodeaffinity.REASON_PREFILTER,
                                      plugin=nodeaffinity.NAME)
            diagnosis.plugins.append(nodeaffinity.NAME)
            if not nodes:
                return None, diagnosis
        return self._slow(pod, ctx, order, nodes, diagnosis)

    def _slow(self, pod: PodInfo, ctx: SpreadContext, order: list[NodeInfo],
              nodes: list[NodeInfo], diagnosis: Diagnosis) -> tuple[str | None, Diagnosis]:
        hard = spread.hard_prefilter(pod, order) if pod.spread_constraints else None
        n = len(nodes)
        k = num_feasible_nodes_to_find(n)
        start = self.next_start % n
        feasible: list[NodeInfo] = []
        processed = n
        for i in range(n):
            ni = nodes[(start + i) % n]
            status = self._filter_with_nominated(pod, ni, hard)
            if status is None:
                feasible.append(ni)
                if len(feasible) == k:
                    processed = i + 1
                    break
            else:
                diagnosis.add(ni.name, status)
        self.next_start = (self.next_start + processed) % len(order)
        if not feasible:
            return None, diagnosis
        if len(feasible) == 1:
            return feasible[0].name, diagnosis
        items = [(ni, 1) for ni in feasible]
        raws = [self._raw(pod, ni) for ni in feasible]
        counts = (spread.domain_counts(ctx.constraints, pod, order, ctx.require_all)
                  if ctx.constraints else [])
        totals = self._totals(pod, items, raws, ctx,
                              lambda i, value: counts[i].get(value, 0))
        best = max(totals)
        tied = [ni for ni, t in zip(feasible, totals, strict=True) if t == best]
        if len(tied) == 1:
            return tied[0].name, diagnosis
        return tied[self.rng.randrange(len(tied))].name, diagnosis

    def _fast(self, pod: PodInfo, ctx: SpreadContext, order: list[NodeInfo],
              diagnosis: Diagnosis) -> tuple[str | None, Diagnosis]:
        owner = pod.owner_uid if ctx.by_owner else ""
        part = self.cache.partition(owner)
        n = len(order)
        k = num_feasible_nodes_to_find(n)
        start = self.next_start % n
        feasible: list[tuple[int, list[int]]] = []
        infeasible: list[tuple[list[int], Status]] = []
        filter_cache = self._filter_cache
        if len(filter_cache) > _CACHE_LIMIT:
            filter_cache.clear()
            self._score_cache.clear()
            self._totals_cache.clear()
        sig = self._signature_id(pod)
        # One table of verdicts per signature: the loop below looks classes up by their id
        # alone instead of building a (signature, class) key for each.
        verdicts = filter_cache.get(sig)
        if verdicts is None or len(verdicts) > _CACHE_LIMIT:
            verdicts = filter_cache[sig] = {}
        total = 0
        for key, positions in part.members.items():
            status = verdicts.get(key, _UNKNOWN)
            if status is _UNKNOWN:
                status = verdicts[key] = self.run_filters(pod, order[positions[0]])
            if status is None:
                feasible.append((key, positions))
                total += len(positions)
            else:
                infeasible.append((positions, status))
        if total == 0:
            self.next_start = (self.next_start + n) % n
            for positions, status in infeasible:
                for p in positions:
                    diagnosis.add(order[p].name, status)
            return None, diagnosis
        if total <= k:
            span = n
        else:
            span = k
            while True:
                skipped = sum(_count_in(p, start, span, n) for p, _ in infeasible)
                if k + skipped == span:
                    break
                span = k + skipped
        self.next_start = (self.next_start + span) % n
        window: list[tuple[int, list[int], int]] = []
        scored = 0
        for key, positions in feasible:
            count = _count_in(positions, start, span, n)
            if count:
                window.append((key, positions, count))
                scored += count
        if scored == 1:
            return order[_nth_in(window[0][1], start, 0, n)].name, diagnosis
        totals = self._window_totals(pod, sig, ctx, part, order, window, scored)
        best = max(totals)
        tied = [w for w, t in zip(window, totals, strict=True) if t == best]
        ties = sum(w[2] for w in tied)
        r = self.rng.randrange(ties) if ties > 1 else 0
        if len(tied) == 1:
            return order[_nth_in(tied[0][1], start, r, n)].name, diagnosis
        return order[_nth_of_many([w[1] for w in tied], start, r, span, n)].name, diagnosis

    def _signature_id(self, pod: PodInfo) -> int:
        """A small integer standing for the pod's signature in the caches (ids are never
        reused, so the table can be dropped when it grows)."""
        sid = self._signature_ids.get(pod.signature)
        if sid is None:
            if len(self._signature_ids) > _CACHE_LIMIT:
                self._signature_ids.clear()
            self._next_signature_id += 1
            sid = self._signature_ids[pod.signature] = self._next_signature_id
        return sid

    def _window_totals(self, pod: PodInfo, sig: int, ctx: SpreadContext, part: Partition,
                       order: list[NodeInfo], window: list[tuple[int, list[int], int]],
                       scored: int) -> list[int]:
        """The weighted score of each class in the window, one node standing for its class.

        Remembered per pod signature, window classes and number of nodes scored: the classes
        fix every node-dependent input (labels, taints, images, sums, the owner's pods there)
        and the spreading weights depend on how many nodes are scored, not on how they split
        between the classes. Image spread is cluster-wide, so it is part of the key; windows
        with zone-labelled nodes, whose zone counts change with every pod, are not remembered.
        """
        image_nodes = self.cache.image_nodes
        memo_key: tuple[Any, ...] | None = None
        if (not self.cache.zone_label_nodes
                or not any(ZONE_LABEL in order[w[1][0]].labels for w in window)):
            memo_key = (sig, ctx.key, scored, *[w[0] for w in window])
            if image_nodes:
                memo_key = (memo_key, pod.images, pod.num_containers, len(self.cache.nodes),
                            tuple([image_nodes.get(image, 0) for image in pod.images]))
            hit = self._totals_cache.get(memo_key)
            if hit is not None:
                return hit
        items = [(order[positions[0]], count) for _, positions, count in window]
        raws = []
        score_cache = self._score_cache
        for (key, _, _), (ni, _) in zip(window, items, strict=True):
            ck = (sig, key)
            raw = score_cache.get(ck)
            if raw is None:
                raw = score_cache[ck] = self._raw(pod, ni)
            raws.append(raw)
        totals = self._totals(pod, items, raws, ctx, _zone_counter(part, ctx))
        if memo_key is not None:
            if len(self._totals_cache) > _CACHE_LIMIT:
                self._totals_cache.clear()
            self._totals_cache[memo_key] = totals
        return totals


def _position(ni: NodeInfo) -> int:
    return ni.pos


def _count_in(positions: list[int], start: int, span: int, n: int) -> int:
    """How many of the sorted ``positions`` lie in the circular range [start, start+span)."""
    if span >= n:
        return len(positions)
    end = start + span
    if end <= n:
        return bisect_left(positions, end) - bisect_left(positions, start)
    return len(positions) - bisect_left(positions, start) + bisect_left(positions, end - n)


def _nth_in(positions: list[int], start: int, r: int, n: int) -> int:
    """The r-th position at or after ``start`` in circular order."""
    i = bisect_left(positions, start)
    return positions[(i + r) % len(positions)]


def _nth_of_many(classes: list[list[int]], start: int, r: int, span: int, n: int) -> int:
    """The r-th position at or after ``start`` in circular order among several classes' sorted
    positions, all within the window [start, start+span): the smallest offset from ``start``
    with more than r of them at or before it (a binary search instead of merging the window).
    """
    lo, hi = 0, span - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if sum(_count_in(positions, start, mid + 1, n) for positions in classes) > r:
            hi = mid
        else:
            lo = mid + 1
    return (start + lo) % n


def _zone_counter(part: Partition, ctx: SpreadContext) -> Callable[[int, str], int]:
    def count(i: int, value: str) -> int:
        return part.zone_counts.get(value, 0)
    return count
