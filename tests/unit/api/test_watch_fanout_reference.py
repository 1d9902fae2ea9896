"""Watch delivery against a reference model: every watch with a buffer of its own.

The store keeps the events of a kind once, in a log its unfiltered watches read from their own
positions (``k8slab.api.store._Fanout``). The model is the design it replaced: each watch
buffers its events, a write wakes the watches not yet woken, grouped by latency into one loop
callback that flushes them in registration order and puts the rest back first in line when a
``run_while`` stops between two of them.

Seeded random programs register watches with different latencies on two kinds; their handlers
write again, stop watches (their own too), register new ones and run the loop from inside a
callback, while the driver writes and runs the loop with ``run_while`` (stopping mid-batch),
``run_until`` and ``step``. Both must call the same handlers with the same events at the same
virtual times, in the same order.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import pytest

from k8slab.api.kinds import by_gvk
from k8slab.api.store import APIServer
from k8slab.sim.clock import Loop
from k8slab.sim.rand import Streams
from k8slab.sim.trace import Trace

KINDS = (by_gvk("v1", "ConfigMap"), by_gvk("v1", "Secret"))
Handler = Callable[[str, Any, Any], None]


class _RefWatch:
    def __init__(self, loop: Loop, handler: Handler, latency: int) -> None:
        self.loop, self.handler, self.latency = loop, handler, latency
        self.active, self.buffer, self.scheduled = True, [], False

    def flush(self) -> None:
        self.scheduled = False
        buffer, self.buffer = self.buffer, []
        for event, obj, old in buffer:
            if not self.active:
                return
            self.handler(event, obj, old)

    def stop(self) -> None:
        self.active, self.buffer = False, []


class _RefHub:
    """The store's watch delivery before the fan-out (k8slab 0.x, commit c8cf23a)."""

    def __init__(self, loop: Loop) -> None:
        self.loop = loop
        self.watches: dict[Any, list[_RefWatch]] = {}

    def watch(self, kind: Any, handler: Handler, latency: int) -> _RefWatch:
        w = _RefWatch(self.loop, handler, latency)
        self.watches.setdefault(kind, []).append(w)
        return w

    def notify(self, kind: Any, event: str, obj: Any) -> None:
        batches: dict[int, list[_RefWatch]] = {}
        for w in self.watches.get(kind, ()):
            if w.active:
                w.buffer.append((event, obj, None))
                if not w.scheduled:
                    w.scheduled = True
                    if w.latency not in batches:
                        batches[w.latency] = [w]
                        self.loop.call_later(w.latency, self.deliver, batches[w.latency])
                    else:
                        batches[w.latency].append(w)

    def deliver(self, batch: list[_RefWatch]) -> None:
        for i, w in enumerate(batch):
            w.flush()
            if i < len(batch) - 1 and self.loop.pausing():
                self.loop.call_first(self.deliver, batch[i + 1:])
                return


class _StoreHub:
    """The same calls on the store (its _notify is what every write ends with)."""

    def __init__(self, loop: Loop) -> None:
        self.api = APIServer(loop, Streams(0), Trace())

    def watch(self, kind: Any, handler: Handler, latency: int) -> Any:
        return self.api.watch(kind, handler, latency=latency)

    def notify(self, kind: Any, event: str, obj: Any) -> None:
        self.api._notify(kind, event, obj, None)


def _program(make_hub: Callable[[Loop], Any], seed: int) -> list[tuple[Any, ...]]:
    rng = random.Random(seed)
    loop = Loop(0)
    hub = make_hub(loop)
    seen: list[tuple[Any, ...]] = []
    watches: list[Any] = []
    writes = [0]
    depth = [0]

    def write() -> None:
        if writes[0] >= 400:  # a bounded program
            return
        writes[0] += 1
        # objects as the store has them (dicts: the compiled store checks its arguments)
        hub.notify(rng.choice(KINDS), rng.choice(("ADDED", "MODIFIED")), {"n": writes[0]})

    def register() -> None:
        number = len(watches)
        watches.append(hub.watch(rng.choice(KINDS), lambda e, o, _o, n=number: handle(n, e, o),
                                 rng.choice((0, 2, 2, 2, 3))))

    def handle(number: int, event: str, obj: dict[str, int]) -> None:
        seen.append((loop.now, number, event, obj["n"]))
        if rng.random() < 0.3:
            write()
        if rng.random() < 0.04:
            rng.choice(watches).stop()
        if rng.random() < 0.04:
            register()
        if rng.random() < 0.03 and depth[0] < 2:
            depth[0] += 1  # a nested run, as a kubectl command's inside a callback
            loop.run_until(loop.now + rng.choice((0, 2, 5)))
            depth[0] -= 1

    for _ in range(rng.randint(2, 9)):
        register()
    for _ in range(80):
        how = rng.random()
        for _ in range(rng.choice((0, 1, 1, 3))):
            write()
        if how < 0.4:
            stop_after = len(seen) + rng.randint(1, 5)
            loop.run_while(lambda s=stop_after: len(seen) < s, limit=rng.choice((1, 3, 100)),
                           poll=rng.choice((1, 50)))
        elif how < 0.7:
            loop.run_until(loop.now + rng.choice((0, 1, 2, 3, 10)))
        else:
            loop.step()
        seen.append((loop.now, "driver"))
    loop.run_until(loop.now + 100)
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_the_store_delivers_what_buffers_of_their_own_deliver(seed: int) -> None:
    delivered = _program(_StoreHub, seed)
    assert sum(1 for entry in delivered if entry[1] != "driver") > 10
    assert delivered == _program(_RefHub, seed)


def test_the_log_is_dropped_once_every_watch_has_taken_it() -> None:
    loop = Loop(0)
    api = APIServer(loop, Streams(0), Trace())
    got: list[int] = []
    api.watch(KINDS[0], lambda e, o, _o: got.append(o["n"]), latency=2)
    stopped = api.watch(KINDS[0], lambda e, o, _o: None, latency=2)
    for n in range(3):
        api._notify(KINDS[0], "ADDED", {"n": n}, None)
    fanout = api._fanouts[KINDS[0]][0]
    assert len(fanout.log) == 3
    stopped.stop()  # a stopped watch holds nothing back
    loop.run_until(10)
    assert got == [0, 1, 2]
    assert fanout.log == [] and fanout.base == 3 and fanout.idle == 1
