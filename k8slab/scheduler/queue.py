"""The scheduling queue (``pkg/scheduler/backend/queue/scheduling_queue.go``).

Three places a pending pod can wait:

- **activeQ** — ready to be tried, ordered by the PrioritySort plugin: higher
  ``spec.priority`` first, then the earlier queue timestamp;
- **backoffQ** — failed recently and waits out its back-off: 1 s after the first unschedulable
  attempt, doubling to at most 10 s (``podInitialBackoffSeconds`` / ``podMaxBackoffSeconds``);
  a ticker moves expired pods to activeQ every second. When activeQ is empty the scheduler may
  pop the head of backoffQ directly (``SchedulerPopFromBackoffQ``, on by default since 1.33);
- **unschedulablePods** — rejected by some plugins; a cluster event whose queueing hint says
  it may help (a node added or changed, an assigned pod deleted, the pod itself updated) moves
  it to activeQ or, if still backing off, to backoffQ. Every 30 s pods that have waited longer
  than 5 min (``podMaxInUnschedulablePodsDuration``) are moved regardless.

Pods with ``schedulingGates`` are kept aside until the gates are removed (SchedulingGates
PreEnqueue plugin).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

from ..sim.clock import MINUTE, SECOND, Loop, Timer
from .framework import PodInfo

__all__ = ["QueuedPodInfo", "SchedulingQueue"]

Obj = dict[str, Any]

INITIAL_BACKOFF = 1 * SECOND
MAX_BACKOFF = 10 * SECOND
MAX_IN_UNSCHEDULABLE = 5 * MINUTE
BACKOFF_FLUSH_PERIOD = 1 * SECOND
UNSCHEDULABLE_FLUSH_PERIOD = 30 * SECOND


class QueuedPodInfo:
    """A pending pod and its scheduling history."""

    __slots__ = ("attempts", "info", "initial_attempt", "key", "plugins", "seq", "timestamp",
                 "unschedulable_count", "where")

    def __init__(self, info: PodInfo, now: int) -> None:
        self.key = info.key
        self.info = info
        self.timestamp = now
        self.initial_attempt = 0
        self.attempts = 0
        self.unschedulable_count = 0
        self.plugins: tuple[str, ...] = ()
        self.seq = 0
        self.where = ""

    def backoff_expiry(self) -> int:
        count = self.unschedulable_count
        if count == 0:
            return self.timestamp
        duration = INITIAL_BACKOFF
        for _ in range(1, count):
            if duration > MAX_BACKOFF - duration:
                duration = MAX_BACKOFF
                break
            duration += duration
        return self.timestamp + duration


class SchedulingQueue:
    """activeQ, backoffQ and unschedulablePods for one scheduler."""

    def __init__(self, loop: Loop, on_active: Callable[[], None]) -> None:
        self.loop = loop
        self.start = loop.now
        self.on_active = on_active
        self.pods: dict[str, QueuedPodInfo] = {}
        self._active: list[tuple[int, int, int, str]] = []
        self._backoff: list[tuple[int, int, str]] = []
        self.unschedulable: dict[str, QueuedPodInfo] = {}
        self.gated: dict[str, QueuedPodInfo] = {}
        self._seq = 0
        self._backoff_timer: Timer | None = None
        self._leftover_timer: Timer | None = None

    # ------------------------------------------------------------------ helpers

    def __len__(self) -> int:
        return len(self.pods)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _tick_after(self, period: int) -> int:
        """The next tick of a ticker started with the scheduler (at or after now)."""
        elapsed = self.loop.now - self.start
        ticks = -(-elapsed // period)
        when = self.start + ticks * period
        return when if when > self.loop.now else when + period

    def _to_active(self, qpi: QueuedPodInfo) -> None:
        qpi.where = "active"
        qpi.seq = self._next_seq()
        heapq.heappush(self._active, (-qpi.info.priority, qpi.timestamp, qpi.seq, qpi.key))
        self.on_active()

    def _to_backoff(self, qpi: QueuedPodInfo) -> None:
        qpi.where = "backoff"
        qpi.seq = self._next_seq()
        heapq.heappush(self._backoff, (qpi.backoff_expiry(), qpi.seq, qpi.key))
        self._arm_backoff()
        self.on_active()

    def _to_unschedulable(self, qpi: QueuedPodInfo) -> None:
        qpi.where = "unschedulable"
        self.unschedulable[qpi.key] = qpi
        self._arm_leftover()

    def _arm_backoff(self) -> None:
        if self._backoff_timer is None and self._backoff:
            self._backoff_timer = self.loop.call_at(self._tick_after(BACKOFF_FLUSH_PERIOD),
                                                    self._flush_backoff)

    def _arm_leftover(self) -> None:
        if self._leftover_timer is None and self.unschedulable:
            self._leftover_timer = self.loop.call_at(
                self._tick_after(UNSCHEDULABLE_FLUSH_PERIOD), self._flush_leftover)

    # ------------------------------------------------------------------ events from informers

    def add(self, info: PodInfo) -> None:
        qpi = self.pods.get(info.key)
        if qpi is not None:
            self.update(info)
            return
        qpi = QueuedPodInfo(info, self.loop.now)
        self.pods[info.key] = qpi
        if info.gated:
            qpi.where = "gated"
            self.gated[qpi.key] = qpi
            return
        self._to_active(qpi)

    def update(self, info: PodInfo) -> None:
        """The pending pod changed; an unschedulable pod whose spec changed is retried."""
        qpi = self.pods.get(info.key)
        if qpi is None:
            self.add(info)
            return
        old = qpi.info
        qpi.info = info
        if qpi.where == "gated":
            if not info.gated:
                del self.gated[qpi.key]
                self._to_active(qpi)
            return
        if qpi.where == "active" and old.priority != info.priority:
            self._to_active(qpi)
        elif qpi.where == "unschedulable" and (old.pod.get("spec") is not info.pod.get("spec")
                                               or old.labels != info.labels):
            del self.unschedulable[qpi.key]
            self._requeue(qpi)

    def delete(self, key: str) -> None:
        qpi = self.pods.pop(key, None)
        if qpi is None:
            return
        self.unschedulable.pop(key, None)
        self.gated.pop(key, None)
        qpi.where = ""

    # ------------------------------------------------------------------ the scheduling loop

    def pop(self) -> QueuedPodInfo | None:
        while self._active:
            _, _, seq, key = heapq.heappop(self._active)
            qpi = self.pods.get(key)
            if qpi is not None and qpi.where == "active" and qpi.seq == seq:
                return self._popped(qpi)
        while self._backoff:
            _, seq, key = heapq.heappop(self._backoff)
            qpi = self.pods.get(key)
            if qpi is not None and qpi.where == "backoff" and qpi.seq == seq:
                return self._popped(qpi)
        return None

    def _popped(self, qpi: QueuedPodInfo) -> QueuedPodInfo:
        qpi.where = "in-flight"
        qpi.attempts += 1
        if qpi.initial_attempt == 0:
            qpi.initial_attempt = self.loop.now
        return qpi

    def has_work(self) -> bool:
        return bool(self._active or self._backoff)

    def done(self, key: str) -> None:
        """The pod was scheduled (or vanished): forget it."""
        self.pods.pop(key, None)

    def add_unschedulable(self, qpi: QueuedPodInfo, plugins: tuple[str, ...]) -> None:
        """``AddUnschedulableIfNotPresent`` after a failed attempt."""
        if self.pods.get(qpi.key) is not qpi:
            return
        qpi.timestamp = self.loop.now
        qpi.unschedulable_count += 1
        qpi.plugins = plugins
        if plugins:
            self._to_unschedulable(qpi)
        else:
            # An error rather than a rejection: retry after the back-off.
            self._to_backoff(qpi)

    def _requeue(self, qpi: QueuedPodInfo) -> None:
        if self.loop.now < qpi.backoff_expiry():
            self._to_backoff(qpi)
        else:
            self._to_active(qpi)

    def move(self, hint: Callable[[QueuedPodInfo], bool]) -> int:
        """``MoveAllToActiveOrBackoffQueue``: retry the unschedulable pods the event may help."""
        moved = [qpi for qpi in self.unschedulable.values() if hint(qpi)]
        for qpi in moved:
            del self.unschedulable[qpi.key]
            self._requeue(qpi)
        return len(moved)

    # ------------------------------------------------------------------ tickers

    def _flush_backoff(self) -> None:
        self._backoff_timer = None
        now = self.loop.now
        while self._backoff and self._backoff[0][0] <= now:
            _, seq, key = heapq.heappop(self._backoff)
            qpi = self.pods.get(key)
            if qpi is not None and qpi.where == "backoff" and qpi.seq == seq:
                self._to_active(qpi)
        self._arm_backoff()

    def _flush_leftover(self) -> None:
        self._leftover_timer = None
        now = self.loop.now
        stale = [q for q in self.unschedulable.values()
                 if now - q.timestamp > MAX_IN_UNSCHEDULABLE]
        for qpi in stale:
            del self.unschedulable[qpi.key]
            self._requeue(qpi)
        self._arm_leftover()
