"""The discrete-event loop that owns virtual time.

Everything that "happens later" in the lab — an image pull finishing, a probe period elapsing,
a watch event reaching a controller, a request's latency — is a callback on this loop. Time is an
integer count of nanoseconds since the Unix epoch, so it never drifts the way summed floats do,
and it only moves when the loop is told to run.

Modelled on SimPy's ``Environment``, where a heap of ``(time, sequence, callback)`` entries runs
callbacks due at the same instant in the order they were scheduled, in any process. Here the
heap holds the instants only, as plain integers, and each instant keeps its timers in a list in
scheduling order: the same order, without a tuple per timer or tuple comparisons in the heap
(callbacks come in bursts at the same instant — the watchers a write wakes, a work queue's
items — so half of the timers join an instant already waited for).

A process that sleeps ``FOREVER`` (every server's PID 1) holds no timer at all (see
:mod:`k8slab.sim.process`), so nothing far ahead sits in the heap.

**Garbage collection while time runs.** A run of the loop allocates long-lived objects (stored
objects, containers, trace records) and almost never garbage cycles (a 30,000-pod rollout makes
a few hundred objects' worth), yet CPython walks each new object when it collects the young
generation, walks every survivor again when it collects the middle one, and walks every tracked
object in the process when the old generation has grown by a quarter: a 30,000-pod rollout spent
more time in those walks than in several of its controllers. So while :meth:`Loop.run_until` or
:meth:`Loop.run_while` runs:

- young collections wait until ten million new objects have accumulated (``_YOUNG_LIMIT``), so
  a run that does make garbage cycles still frees them, in batches;
- middle and full collections are deferred (their ``gc`` thresholds are raised);
- when the outermost run returns, what survived moves to the old generation without a walk
  (``gc.freeze()`` then ``gc.unfreeze()``, which only relink lists), as a middle collection
  would have moved it; a cycle that died meanwhile waits for the next full collection. If the
  process had frozen objects of its own, they are left alone: the survivors then stay in the
  young and middle generations and are collected at the interpreter's pace.

The thresholds found on entry are put back when the outermost run returns, so a notebook kernel
keeps the interpreter's settings between commands and collects at its own pace.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["MILLISECOND", "MINUTE", "SECOND", "Loop", "Timer"]

SECOND = 1_000_000_000
MILLISECOND = 1_000_000
MINUTE = 60 * SECOND


# See the module docstring. Nested runs (a process driving the loop from a callback) keep the
# outermost run's saved thresholds.
_DEFERRED = 1_000_000_000
# A 30,000-pod rollout keeps about five million new objects; each young collection below this
# limit would walk them once more (about 7 % of that run) to find a few hundred dead ones.
_YOUNG_LIMIT = 10_000_000
_runs = 0
_saved_thresholds: tuple[int, ...] = ()
_promote = False


@contextmanager
def _collections_deferred() -> Iterator[None]:
    global _runs, _saved_thresholds, _promote
    _runs += 1
    if _runs == 1:
        _saved_thresholds = gc.get_threshold()
        gc.set_threshold(_YOUNG_LIMIT, _DEFERRED, _DEFERRED)
        # Cheap when nothing is frozen (the count walks the permanent generation).
        _promote = gc.get_freeze_count() == 0
    try:
        yield
    finally:
        _runs -= 1
        if _runs == 0:
            if _promote:
                gc.freeze()
                gc.unfreeze()
            gc.set_threshold(*_saved_thresholds)


class Timer:
    """A scheduled callback that can be cancelled before it runs."""

    __slots__ = ("args", "callback", "cancelled", "when")

    def __init__(self, when: int, callback: Callable[..., Any], args: tuple[Any, ...]) -> None:
        self.when = when
        self.callback = callback
        self.args = args
        self.cancelled = False

    def cancel(self) -> None:
        # Lazy deletion: the timer stays in its instant's list and is skipped when reached,
        # which keeps cancellation O(1) for the many probe and back-off timers replaced.
        self.cancelled = True


class Loop:
    """Virtual clock plus event queue. ``now`` is nanoseconds since the Unix epoch."""

    def __init__(self, start: int) -> None:
        self.now = start
        self.start = start
        # The instants something is due at, a heap of ints, and each instant's timers in the
        # order they were scheduled. The earliest instant's timers before _pos have run or
        # were skipped (a run can stop between two timers due at the same instant).
        self._whens: list[int] = []
        self._due: dict[int, list[Timer]] = {}
        self._pos = 0
        # callbacks run (a run_while adds its own when it returns)
        self.steps = 0
        # The condition of the run_while in progress (None in run_until): see pausing().
        self._condition: Callable[[], bool] | None = None

    def call_at(self, when: int, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at virtual time ``when`` (never earlier than now)."""
        return self.call_later(when - self.now, callback, *args)

    def call_later(self, delay: int, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` after ``delay`` nanoseconds of virtual time."""
        # The one place timers are scheduled in order (call_at and call_soon come here):
        # every watch delivery, work queue and process step does.
        if type(delay) is not int:
            delay = int(delay)
        when = self.now + delay if delay > 0 else self.now
        timer = Timer(when, callback, args)
        due = self._due.get(when)
        if due is None:
            self._due[when] = [timer]
            heapq.heappush(self._whens, when)
        else:
            due.append(timer)
        return timer

    def call_soon(self, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at the current instant, after what is already due now."""
        return self.call_later(0, callback, *args)

    def call_first(self, callback: Callable[..., Any], *args: Any) -> Timer:
        """Run ``callback(*args)`` at the current instant, before what is already due now.

        For a callback that stands for several (see :meth:`pausing`): the rest of its work
        goes back on the loop ahead of everything scheduled after it.
        """
        now = self.now
        due = self._due.get(now)
        if due is None:  # nothing else due now: first in line anyway
            return self.call_later(0, callback, *args)
        timer = Timer(now, callback, args)
        # Due now is the earliest instant: ahead of its timers not yet run.
        due.insert(self._pos if self._whens[0] == now else 0, timer)
        return timer

    def pausing(self) -> bool:
        """Inside a callback: whether the run in progress stops after it.

        A callback that does the work of several consecutive ones in one step (the store
        delivers the watches one write wakes together) asks this between them, so that
        :meth:`run_while` still stops exactly where it would have stopped between steps: the
        rest goes back on the loop with :meth:`call_first`.
        """
        condition = self._condition
        return condition is not None and not condition()

    def _head(self) -> Timer | None:
        """The next timer to run (not taken), dropping cancelled ones.

        A cancelled timer is removed from its list rather than passed: the instant may lie
        ahead of the clock, and an earlier instant scheduled meanwhile must find _pos at 0
        (only the instant the clock is at has timers before _pos).
        """
        whens, due_at = self._whens, self._due
        while whens:
            due = due_at[whens[0]]
            pos = self._pos
            timer = due[pos]
            if not timer.cancelled:
                return timer
            if pos + 1 == len(due):
                del due_at[heapq.heappop(whens)]
                self._pos = 0
            else:
                del due[pos]
        return None

    def _drop_head(self) -> None:
        """Move past the next timer. An instant goes with its last timer (what that timer's
        callback schedules for the same instant starts a new list), so the earliest instant's
        list always has a timer at _pos."""
        pos = self._pos + 1
        if pos == len(self._due[self._whens[0]]):
            del self._due[heapq.heappop(self._whens)]
            self._pos = 0
        else:
            self._pos = pos

    def peek(self) -> int | None:
        """Time of the next pending callback, or None when nothing is scheduled."""
        timer = self._head()
        return timer.when if timer is not None else None

    def step(self) -> bool:
        """Run the next due callback; return False when nothing is scheduled."""
        timer = self._head()
        if timer is None:
            return False
        self._drop_head()
        self.now = timer.when
        self.steps += 1
        timer.callback(*timer.args)
        return True

    def run_until(self, when: int) -> None:
        """Run every callback due at or before ``when``, then leave the clock at ``when``."""
        head = self._head
        # A run_until inside a run_while's callback runs everything due, as one step would.
        outer, self._condition = self._condition, None
        try:
            with _collections_deferred():
                while True:
                    timer = head()
                    if timer is None or timer.when > when:
                        break
                    self._drop_head()
                    self.now = timer.when
                    self.steps += 1
                    timer.callback(*timer.args)
        finally:
            self._condition = outer
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
        outer, self._condition = self._condition, condition
        try:
            with _collections_deferred():
                return self._run_while(condition, limit, poll)
        finally:
            self._condition = outer

    def _run_while(self, condition: Callable[[], bool], limit: int, poll: int) -> bool:
        whens, due_at = self._whens, self._due
        pop = heapq.heappop
        deadline = self.now + limit
        # Counted here and added on the way out (runs nested in a callback add their own).
        steps = 0
        try:
            while condition():
                now = self.now
                if now >= deadline:
                    return False
                target = now + poll
                if target > deadline:
                    target = deadline
                # _head() and _drop_head(), inlined: the next timer not cancelled, if due by
                # target; else the clock moves to target
                while whens:
                    when = whens[0]
                    if when > target:
                        self.now = target
                        break
                    due = due_at[when]
                    pos = self._pos
                    timer = due[pos]
                    if pos + 1 == len(due):
                        del due_at[pop(whens)]
                        self._pos = 0
                    else:
                        self._pos = pos + 1
                    if timer.cancelled:
                        continue
                    self.now = when
                    steps += 1
                    timer.callback(*timer.args)
                    break
                else:
                    self.now = target
            return True
        finally:
            self.steps += steps
