"""flowcontrol.Backoff as the kubelet uses it (kubernetes.md §4.4: 10 s doubling to 300 s,
reset after 10 minutes)."""

from __future__ import annotations

from k8slab.kubelet.backoff import Backoff
from k8slab.sim.clock import SECOND


class Clock:
    def __init__(self) -> None:
        self.now = 0

    def __call__(self) -> int:
        return self.now


def test_doubles_to_the_cap() -> None:
    clock = Clock()
    b = Backoff(clock)
    seen = []
    for _ in range(8):
        b.next("k", clock.now)
        seen.append(b.get("k") // SECOND)
        clock.now += 1 * SECOND
    assert seen == [10, 20, 40, 80, 160, 300, 300, 300]


def test_in_backoff_since_event() -> None:
    clock = Clock()
    b = Backoff(clock)
    assert not b.in_backoff_since("k", 0)
    b.next("k", 0)
    clock.now = 9 * SECOND
    assert b.in_backoff_since("k", 0)
    clock.now = 10 * SECOND
    assert not b.in_backoff_since("k", 0)


def test_resets_after_twice_the_maximum() -> None:
    clock = Clock()
    b = Backoff(clock)
    for _ in range(4):
        b.next("k", clock.now)
    assert b.get("k") == 80 * SECOND
    event = clock.now + 601 * SECOND
    clock.now = event
    assert not b.in_backoff_since("k", event)
    b.next("k", event)
    assert b.get("k") == 10 * SECOND
