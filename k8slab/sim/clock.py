"""The discrete-event loop that owns virtual time.

Everything that "happens later" in the lab — an image pull finishing, a probe period elapsing,
a watch event reaching a controller, a request's latency — is a callback on this loop. Time is an
integer count of nanoseconds since the Unix epoch, so it never drifts the way summed floats do,
and it only moves when the loop is told to run.

Modelled on SimPy's ``Environment``: a heap of ``(time, sequence, callback)`` entries where the
monotonically increasing sequence number breaks ties in insertion order. Two callbacks due at the
same instant therefore always run in the order they were scheduled, in any process.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable
from typing import Any

__all__ = ["MILLISECOND", "MINUTE", "SECOND", "Loop", "Timer"]

SECOND = 1_000_000_000
MILLISECOND = 1_000_000
MINUTE = 60 * SECOND


class Timer:
    """A scheduled callback that can be cancelled before it runs."""

    __slots__ = ("args", "callback", "cancelled", "when")

    def __init__(self, when: int, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        # Lazy deletion: the heap entry stays and is skipped when popped, which keeps
        # cancellation O(1) for the many probe and back-off timers that get replaced.
        self.cancelled = True


class Loop:
    """Virtual clock plus event heap. ``now`` is nanoseconds since the Unix epoch."""

    def __init__(self, start: int) -> None:
        self.now = start
        self.start = start
        self._heap: list[tuple[int, int, Timer]] = []
        self._seq = 0
        self.steps = 0

    def call_at(self, when: int, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at virtual time ``when`` (never earlier than now)."""
        if when < self.now:
            when = self.now
        timer = Timer(when, callback, args)
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, timer))
        return timer

    def call_later(self, delay: int, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` after ``delay`` nanoseconds of virtual time."""
        return self.call_at(self.now + max(0, int(delay)), callback, *args)

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at the current instant, after what is already due now."""
        return self.call_at(self.now, callback, *args)

    def peek(self) -> int | None:
        """Time of the next pending callback, or None when nothing is scheduled."""
        heap = self._heap
        while heap and heap[0][2].cancelled:
            heapq.heappop(heap)
        return heap[0][0] if heap else None

    def step(self) -> bool:
        """Run the next due callback; return False when the heap is empty."""
        heap = self._heap
        while heap:
            when, _, timer = heapq.heappop(heap)
            if timer.cancelled:
                continue
            self.now = when
            self.steps += 1
            timer.callback(*timer.args)
            return True
        return False

    def run_until(self, when: int) -> None:
        """Run every callback due at or before ``when``, then leave the clock at ``when``."""
        heap = self._heap
        pop = heapq.heappop
        while heap and heap[0][0] <= when:
            t, _, timer = pop(heap)
            if timer.cancelled:
                continue
            self.now = t
            self.steps += 1
            timer.callback(*timer.args)
        if when > self.now:
            self.now = when

    def advance(self, delay: int) -> None:
        """Let ``delay`` nanoseconds of virtual time pass."""
        self.run_until(self.now + max(0, int(delay)))

    def run_while(
        self, condition: Callable[[], bool], *, limit: int, poll: int = 100 * MILLISECOND
    ) -> bool:
        """Advance until ``condition()`` is false or ``limit`` ns have passed.

        The condition is checked after every callback and at least every ``poll`` ns, so a
        condition that depends only on time (not on a callback) still ends the wait.
        Returns True if the condition became false before the limit.
        """
        deadline = self.now + limit
        while condition():
            nxt = self.peek()
            if self.now >= deadline:
                return False
            target = min(deadline, self.now + poll)
            if nxt is not None and nxt <= target:
                self.step()
            else:
                self.now = target
        return True
