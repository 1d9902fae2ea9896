"""The loop against a reference model: a single heap of ``(time, sequence)`` entries, SimPy's
design, which ``k8slab.sim.clock`` replaced by per-instant lists for speed.

Random programs (seeded) schedule, cancel and re-schedule timers from inside callbacks, put
work first in line with ``call_first``, peek and run the loop from inside callbacks, and drive
the loop with ``run_until``, ``run_while`` (stopping mid-instant and at its deadline) and
``step``. Both must run the same callbacks at the same times in the
same order.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from typing import Any

import pytest

from k8slab.sim.clock import Loop


class _RefTimer:
    def __init__(self, when: int, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.when, self.callback, self.args, self.cancelled = when, callback, args, False

    def cancel(self) -> None:
        self.cancelled = True


class _RefLoop:
    """One heap of (when, seq, timer); call_first takes a sequence below what is due now."""

    def __init__(self, start: int) -> None:
        self.now = start
        self._heap: list[tuple[int, int, _RefTimer]] = []
        self._seq = 0
        self._condition: Callable[[], bool] | None = None

    def call_later(self, delay: int, callback: Callable[..., Any], *args: Any) -> _RefTimer:
        when = self.now + max(0, delay)
        timer = _RefTimer(when, callback, args)
        self._seq += 1
        heapq.heappush(self._heap, (when, self._seq, timer))
        return timer

    def call_first(self, callback: Callable[..., Any], *args: Any) -> _RefTimer:
        timer = _RefTimer(self.now, callback, args)
        due_now = [s for w, s, _ in self._heap if w == self.now]
        heapq.heappush(self._heap, (self.now, min(due_now, default=1) - 1, timer))
        return timer

    def pausing(self) -> bool:
        return self._condition is not None and not self._condition()

    def _next(self, limit: int) -> _RefTimer | None:
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        if self._heap and self._heap[0][0] <= limit:
            return heapq.heappop(self._heap)[2]
        return None

    def peek(self) -> int | None:
        while self._heap and self._heap[0][2].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def step(self) -> bool:
        timer = self._next(1 << 62)
        if timer is None:
            return False
        self.now = timer.when
        timer.callback(*timer.args)
        return True

    def run_until(self, when: int) -> None:
        outer, self._condition = self._condition, None
        while (timer := self._next(when)) is not None:
            self.now = timer.when
            timer.callback(*timer.args)
        self._condition = outer
        self.now = max(self.now, when)

    def run_while(self, condition: Callable[[], bool], *, limit: int, poll: int) -> bool:
        outer, self._condition = self._condition, condition
        deadline = self.now + limit
        try:
            while condition():
                if self.now >= deadline:
                    return False
                target = min(self.now + poll, deadline)
                timer = self._next(target)
                if timer is None:
                    self.now = target
                    continue
                self.now = timer.when
                timer.callback(*timer.args)
            return True
        finally:
            self._condition = outer


def _program(loop: Any, seed: int) -> list[tuple[int, int]]:
    """Run a random program on ``loop``; return (time, timer number) in the order run."""
    rng = random.Random(seed)
    seen: list[tuple[int, int]] = []
    pending: list[Any] = []
    counter = [0]
    depth = [0]

    def schedule(delay: int, first: bool = False) -> None:
        if counter[0] >= 600:  # a bounded program
            return
        counter[0] += 1
        number = counter[0]
        if first:
            pending.append(loop.call_first(fire, number))
        else:
            pending.append(loop.call_later(delay, fire, number))

    def fire(number: int) -> None:
        seen.append((loop.now, number))
        for _ in range(rng.choice((0, 0, 1, 2, 3))):
            schedule(rng.choice((0, 0, 1, 3, 50, 10_000)))
        if pending and rng.random() < 0.25:
            rng.choice(pending).cancel()
        if rng.random() < 0.15:
            schedule(0, first=True)
        if rng.random() < 0.1 and loop.pausing():
            schedule(0, first=True)
        if rng.random() < 0.08 and depth[0] < 2:
            depth[0] += 1  # a nested run, as a kubectl command's inside a callback
            how = rng.random()
            if how < 0.5:
                loop.run_until(loop.now + rng.choice((0, 2, 40)))
            elif how < 0.8:
                stop_after = len(seen) + rng.randint(1, 4)
                loop.run_while(lambda s=stop_after: len(seen) < s, limit=rng.choice((0, 3, 90)),
                               poll=rng.choice((1, 50)))
            else:
                loop.step()
            depth[0] -= 1
        if rng.random() < 0.1:
            seen.append((loop.now, -1 - (loop.peek() or 0)))  # peeking drops cancelled timers

    for _ in range(20):
        schedule(rng.choice((0, 1, 5, 100)))
    for _ in range(60):
        how = rng.random()
        if how < 0.4:
            stop_after = len(seen) + rng.randint(1, 6)
            loop.run_while(lambda s=stop_after: len(seen) < s, limit=rng.choice((5, 500, 50_000)),
                           poll=rng.choice((1, 7, 100)))
        elif how < 0.7:
            loop.run_until(loop.now + rng.choice((0, 1, 3, 60, 5_000)))
        else:
            loop.step()
        seen.append((loop.now, 0))  # where the driver left the clock
        if rng.random() < 0.3:
            schedule(rng.choice((0, 2, 30)))
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_the_loop_runs_what_a_single_heap_runs(seed: int) -> None:
    ran = _program(Loop(0), seed)
    assert len(ran) > 60
    assert ran == _program(_RefLoop(0), seed)
