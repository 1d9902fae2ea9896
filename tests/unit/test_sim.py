"""The simulation core: virtual time, tie-breaking, seeded streams, formats."""

from __future__ import annotations

from k8slab.sim.clock import SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import (
    FOREVER,
    Buffer,
    ExecContext,
    Sleep,
    WaitFor,
    run_blocking,
    spawn,
)
from k8slab.sim.rand import NAME_ALPHABET, Streams
from k8slab.sim.timefmt import go_duration, human_duration, parse_rfc3339, rfc3339


def test_same_instant_runs_in_scheduling_order() -> None:
    loop = Loop(0)
    seen: list[str] = []
    for name in "abc":
        loop.call_at(5, seen.append, name)
    loop.call_at(1, seen.append, "first")
    loop.run_until(10)
    assert seen == ["first", "a", "b", "c"]
    assert loop.now == 10


def test_cancelled_timer_never_runs() -> None:
    loop = Loop(0)
    seen: list[int] = []
    t = loop.call_later(3, seen.append, 1)
    t.cancel()
    loop.advance(10)
    assert seen == []


def test_streams_are_independent_and_stable() -> None:
    a, b = Streams(7), Streams(7)
    a("scheduler").random()  # a draw elsewhere must not shift the names stream
    assert a.suffix("names") == b.suffix("names")
    assert set(a.suffix("names", 200)) <= set(NAME_ALPHABET)
    assert Streams(1).uuid() != Streams(2).uuid()
    assert Streams(3).uuid()[14] == "4"  # version 4


def test_human_duration_matches_apimachinery() -> None:
    # kubernetes.md §0.2
    cases = {5: "5s", 119: "119s", 150: "2m30s", 300: "5m", 600: "10m", 179 * 60: "179m",
             3 * 3600 + 15 * 60: "3h15m", 5 * 3600: "5h", 47 * 3600: "47h",
             (2 * 24 + 5) * 3600: "2d5h", 7 * 86400: "7d", 400 * 86400: "400d",
             (3 * 365 + 12) * 86400: "3y12d"}
    for seconds, text in cases.items():
        assert human_duration(seconds * SECOND) == text, seconds
    assert human_duration(-2 * SECOND) == "<invalid>"


def test_go_duration() -> None:
    assert go_duration(60 * SECOND) == "1m0s"
    assert go_duration(59_852_400) == "59.8524ms"
    assert go_duration(5 * SECOND) == "5s"
    assert go_duration(3_723_500_000_000) == "1h2m3.5s"


def test_rfc3339_round_trip() -> None:
    ns = parse_rfc3339("2026-06-01T08:00:00Z")
    assert rfc3339(ns + 90 * SECOND) == "2026-06-01T08:01:30Z"


def test_blocking_process_moves_the_clock_and_spawned_ones_can_be_killed() -> None:
    loop = Loop(0)
    out = Buffer()
    ctx = ExecContext("", out, out, {}, "/", MemoryFS(), loop)

    def prog(c: ExecContext, argv: list[str]):
        c.stdout.write("start\n")
        yield Sleep(2 * SECOND)
        ok = yield WaitFor(lambda: loop.now >= 3 * SECOND, timeout=10 * SECOND)
        c.stdout.write(f"waited {ok}\n")
        return 3

    assert run_blocking(loop, prog(ctx, [])) == 3
    assert loop.now >= 3 * SECOND
    assert out.getvalue() == "start\nwaited True\n"

    codes: list[int] = []
    handle = spawn(loop, prog(ctx, []), codes.append)
    loop.advance(SECOND)
    handle.kill(137)
    loop.advance(60 * SECOND)
    assert codes == [137]


def test_a_process_sleeping_forever_is_parked_without_a_timer_until_killed() -> None:
    loop = Loop(0)
    events: list[str] = []

    def server():
        try:
            events.append("listening")
            yield Sleep(FOREVER)
            events.append("woke")  # never: only a kill ends it
        finally:
            events.append("closed")
        return 0

    codes: list[int] = []
    handle = spawn(loop, server(), codes.append)
    loop.advance(SECOND)
    assert events == ["listening"] and handle.running
    assert loop.peek() is None  # nothing left on the loop for it
    handle.kill(137)
    assert events == ["listening", "closed"] and codes == [137]
    assert not handle.running


def test_peeking_past_a_cancelled_timer_then_scheduling_earlier_keeps_the_order() -> None:
    loop = Loop(0)
    ran: list[str] = []
    cancelled = loop.call_later(100, ran.append, "cancelled")
    loop.call_later(100, ran.append, "later")
    cancelled.cancel()
    assert loop.peek() == 100  # looks past the cancelled timer, 100 ns ahead of the clock
    loop.call_later(10, ran.append, "earlier")  # an instant before the one peeked at
    loop.run_until(200)
    assert ran == ["earlier", "later"]


def test_runs_defer_collections_and_promote_survivors() -> None:
    """sim/clock.py's GC policy: young collections wait for ten million new objects during a
    run, middle and full ones wait, survivors end in the old generation, and the kernel's
    thresholds come back."""
    import gc

    saved = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    kept: list[list[int]] = []

    def allocate() -> None:
        seen.append(gc.get_threshold())
        kept.extend([i] for i in range(5000))  # more than a young generation's worth

    def old_generation_holds(objs: list[list[int]]) -> bool:
        old = {id(o) for o in gc.get_objects(generation=2)}
        return all(id(o) in old for o in objs)

    try:
        gc.collect()
        loop = Loop(0)
        loop.call_later(SECOND, allocate)
        loop.advance(2 * SECOND)
        assert seen[0][0] == 10**7                        # young collections wait
        assert seen[0][1] > 10**6 and seen[0][2] > 10**6  # middle and full ones deferred
        assert gc.get_threshold() == saved
        assert old_generation_holds([kept[0], kept[-1]])
        assert gc.get_freeze_count() == 0

        # Objects the process froze itself stay frozen; the run's survivors are not moved.
        kept.clear()
        gc.freeze()
        frozen = gc.get_freeze_count()
        loop.call_later(SECOND, allocate)
        loop.advance(2 * SECOND)
        # (refcounting may free a frozen object meanwhile; a freeze would add 5,000)
        assert frozen - 100 < gc.get_freeze_count() <= frozen
        assert not old_generation_holds([kept[-1]])
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)


def test_a_run_still_collects_garbage_cycles_beyond_the_young_limit(monkeypatch) -> None:
    """The young generation's wait is bounded: past ``_YOUNG_LIMIT`` new objects a run
    collects, so a run that makes garbage cycles does not keep them all until it returns."""
    import gc
    import weakref

    from k8slab.sim import clock

    class Node:
        def __init__(self) -> None:
            self.me = self  # a cycle: only the collector frees it

    monkeypatch.setattr(clock, "_YOUNG_LIMIT", 2000)
    watched: list[weakref.ref[Node]] = []
    freed_during_run: list[bool] = []

    def churn() -> None:
        watched.append(weakref.ref(Node()))
        for _ in range(5000):
            Node()
        freed_during_run.append(watched[0]() is None)

    saved = gc.get_threshold()
    try:
        loop = Loop(0)
        loop.call_later(SECOND, churn)
        loop.advance(2 * SECOND)
        assert freed_during_run == [True]
        assert gc.get_threshold() == saved
    finally:
        gc.set_threshold(*saved)


def test_timers_run_by_instant_then_in_scheduling_order_however_the_loop_is_driven() -> None:
    """sim/clock.py keeps each instant's timers in a list: timers scheduled for one instant at
    different moments (far ahead first, then near), cancelled ones among them, must run where
    a single heap of (time, sequence) entries would have run them, whether the loop is driven
    by run_until, run_while or step."""
    _FAR = 3600 * SECOND  # an hour: instants reached long after they were scheduled

    def schedule(loop: Loop) -> list[tuple[int, str]]:
        seen: list[tuple[int, str]] = []
        # far ones first, then near ones at the same instants: sequence order must hold
        for i, when in enumerate((3 * _FAR, _FAR + 5, 10 * _FAR, _FAR + 5, 2)):
            loop.call_at(when, lambda w=when, i=i: seen.append((loop.now, f"far{i}@{w}")))
        loop.call_at(_FAR + 5, lambda: seen.append((loop.now, "later@far+5")))
        cancelled = loop.call_at(4 * _FAR, lambda: seen.append((loop.now, "cancelled")))
        cancelled.cancel()

        def chain(n: int) -> None:
            seen.append((loop.now, f"chain{n}"))
            if n == 4:  # a timer for an instant that already has one
                loop.call_at(3 * _FAR, lambda: seen.append((loop.now, "late@3far")))
            if n:
                loop.call_later(_FAR // 2, chain, n - 1)
        loop.call_later(1, chain, 8)
        return seen

    expected = None
    for drive in ("run_until", "run_while", "step"):
        loop = Loop(0)
        seen = schedule(loop)
        if drive == "run_until":
            loop.run_until(20 * _FAR)
        elif drive == "run_while":
            clock_seen: list[int] = []

            def record(into: list[int] = clock_seen, of: Loop = loop) -> bool:
                into.append(of.now)
                return True

            assert loop.run_while(record, limit=20 * _FAR, poll=SECOND) is False
            assert clock_seen == sorted(clock_seen)  # the clock never went back
        else:
            assert loop.peek() == 1
            while loop.step():
                pass
            assert loop.peek() is None
        times = [t for t, _ in seen]
        assert times == sorted(times) and "cancelled" not in {n for _, n in seen}
        assert [n for t, n in seen if t == _FAR + 5] == ["far1@3600000000005",
                                                          "far3@3600000000005", "later@far+5"]
        assert [n for t, n in seen if t == 3 * _FAR] == ["far0@10800000000000", "late@3far"]
        if expected is None:
            expected = seen
        assert seen == expected, drive
    assert expected is not None and len(expected) == 5 + 1 + 9 + 1


def test_by_identity_computes_once_per_object_and_stays_bounded() -> None:
    from k8slab.sim.memo import by_identity

    calls: list[int] = []

    def size(obj: list[int]) -> int:
        calls.append(1)
        return len(obj)

    memo = by_identity(size, limit=2)
    a, b = [1], [1, 2]
    assert (memo(a), memo(a), memo(b)) == (1, 1, 2) and len(calls) == 2
    assert memo([1]) == 1 and len(calls) == 3  # an equal but different object is computed
    assert memo(a) == 1 and len(calls) == 4    # the full table was emptied, not grown


def test_call_first_runs_ahead_of_what_is_due_now_and_pausing_follows_run_while() -> None:
    loop = Loop(0)
    order: list[str] = []
    seen: list[bool] = []

    def x() -> None:
        order.append("x")
        seen.append(loop.pausing())
        loop.call_first(order.append, "first")

    loop.call_later(5, x)
    loop.call_later(5, order.append, "y")
    loop.call_later(7, order.append, "later")
    loop.run_until(10)
    assert order == ["x", "first", "y", "later"]
    assert seen == [False]  # run_until never pauses

    stop: list[bool] = []
    loop.call_later(1, lambda: (stop.append(True), seen.append(loop.pausing())))
    assert loop.run_while(lambda: not stop, limit=SECOND)
    assert seen[-1] is True  # the run_while stops after this callback
    assert loop.pausing() is False  # outside a run


def test_name_suffix_draws_what_random_choices_draws() -> None:
    import random

    from k8slab.sim.rand import name_suffix

    ours, theirs = random.Random(7), random.Random(7)
    drawn = [name_suffix(ours, n) for n in (5, 5, 1, 10) * 500]
    expected = ["".join(theirs.choices(NAME_ALPHABET, k=n)) for n in (5, 5, 1, 10) * 500]
    assert drawn == expected
    assert ours.random() == theirs.random()  # the streams stay in step


def test_uuid_and_hex_format_what_the_standard_library_formats() -> None:
    # uuid.UUID(int=…, version=4) and zero-padded hex digits, for the same draws: both take every
    # bit of one getrandbits call, odd and even hex lengths alike.
    import random
    import uuid

    ours, theirs = Streams(11), random.Random("k8slab/11/uid")
    for _ in range(2000):
        assert ours.uuid() == str(uuid.UUID(int=theirs.getrandbits(128), version=4))
    for length in (1, 7, 12, 32, 63, 64):
        ours, theirs = Streams(5), random.Random("k8slab/5/ids")
        for _ in range(200):
            assert ours.hex("ids", length) == f"{theirs.getrandbits(4 * length):0{length}x}"


def test_passed_remembers_keys_with_their_values_pinned_and_stays_bounded() -> None:
    from k8slab.sim.memo import Passed

    passed = Passed(limit=2)
    labels = {"app": "web"}
    key = ("metadata", id(labels))
    assert key not in passed
    passed.remember(key, (labels,))
    assert key in passed and passed[key][0] is labels  # pinned: its id is not reused
    for n in range(3):
        passed.remember(("other", n), ())
    assert len(passed) <= 3 and key not in passed  # emptied past the limit


def test_trace_records_know_their_place_however_they_are_read() -> None:
    from k8slab.sim.trace import Record, Trace

    trace = Trace()
    for i in range(6):
        trace.append(10 * i, f"c{i % 2}", "update", "Pod", "default", f"p{i}", {"n": i})
    trace.append_flat(60, "c0", "event", "Pod", "default", "p6", ("reason", "Started"))
    expected = [Record(i, 10 * i, f"c{i % 2}", "update", "Pod", "default", f"p{i}", {"n": i})
                for i in range(6)]
    expected.append(Record(6, 60, "c0", "event", "Pod", "default", "p6", {"reason": "Started"}))
    assert list(trace) == expected and len(trace) == 7
    assert trace[-1] == expected[-1] and trace[2] == expected[2]
    assert trace[1:6:2] == expected[1:6:2] and trace[-3:] == expected[-3:]
    assert trace[::-2] == expected[::-2]
    assert trace.since(4) == expected[4:]
    assert trace.select(source="c1") == expected[1:6:2]
    assert trace.select(start=20, end=40, action="update") == expected[2:5]
    assert trace.select(kind="Pod", name="p6") == [expected[6]]
