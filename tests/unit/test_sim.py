"""The simulation core: virtual time, tie-breaking, seeded streams, formats."""

from __future__ import annotations

from k8slab.sim.clock import SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import Buffer, ExecContext, Sleep, WaitFor, run_blocking, spawn
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


def test_runs_defer_older_collections_and_promote_survivors() -> None:
    """sim/clock.py's GC policy: young collections go on during a run, middle and full ones
    wait, survivors end in the old generation, and the kernel's thresholds come back."""
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
        assert seen[0][0] == saved[0]                      # young collections as usual
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
        assert gc.get_freeze_count() == frozen
        assert not old_generation_holds([kept[-1]])
    finally:
        gc.unfreeze()
        gc.set_threshold(*saved)


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
