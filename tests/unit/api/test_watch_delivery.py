"""Watch delivery: the watches one write wakes with the same latency are flushed in one loop
step, and nothing a learner can see differs from flushing each in its own step — the order of
handler calls, what each batch holds, and where a ``run_while`` stops."""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.api.store import ADDED, APIServer
from k8slab.sim.clock import MILLISECOND, SECOND, Loop
from k8slab.sim.rand import Streams
from k8slab.sim.trace import Trace

CONFIGMAP = by_gvk("v1", "ConfigMap")
LATENCY = 2 * MILLISECOND


def _world() -> tuple[Loop, APIServer, list[tuple[str, str, int]]]:
    loop = Loop(0)
    return loop, APIServer(loop, Streams(0), Trace()), []


def _cm(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default"}}


def _recorder(loop: Loop, calls: list[tuple[str, str, int]], who: str, then: Any = None) -> Any:
    def handler(event: str, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        assert event == ADDED
        calls.append((who, obj["metadata"]["name"], loop.now))
        if then is not None:
            then(obj)
    return handler


def test_a_run_while_stops_between_watches_woken_together() -> None:
    loop, api, calls = _world()
    stop: list[bool] = []
    api.watch(CONFIGMAP, _recorder(loop, calls, "a", lambda obj: stop.append(True)),
              latency=LATENCY, name="a")
    for who in "bc":
        api.watch(CONFIGMAP, _recorder(loop, calls, who), latency=LATENCY, name=who)
    api.create(_cm("one"), source="test")
    steps = loop.steps

    assert loop.run_while(lambda: not stop, limit=SECOND)

    # Stopped right after a's flush, as three separate steps would have: b and c still wait.
    assert calls == [("a", "one", LATENCY)]
    assert loop.steps == steps + 1
    # A write at that instant joins the batches b and c have not delivered yet, and wakes a
    # again one latency later.
    api.create(_cm("two"), source="test")
    loop.advance(10 * MILLISECOND)
    assert calls[1:] == [("b", "one", LATENCY), ("b", "two", LATENCY),
                         ("c", "one", LATENCY), ("c", "two", LATENCY),
                         ("a", "two", 2 * LATENCY)]


def test_a_write_from_a_handler_reaches_the_watches_not_yet_flushed() -> None:
    loop, api, calls = _world()

    def write_once(obj: dict[str, Any]) -> None:
        if obj["metadata"]["name"] == "one":
            api.create(_cm("from-a"), source="test")

    api.watch(CONFIGMAP, _recorder(loop, calls, "a", write_once), latency=LATENCY, name="a")
    api.watch(CONFIGMAP, _recorder(loop, calls, "b"), latency=LATENCY, name="b")
    api.create(_cm("one"), source="test")
    loop.advance(10 * MILLISECOND)
    assert calls == [("a", "one", LATENCY), ("b", "one", LATENCY), ("b", "from-a", LATENCY),
                     ("a", "from-a", 2 * LATENCY)]


def test_watches_with_other_latencies_keep_their_own_instants() -> None:
    loop, api, calls = _world()
    api.watch(CONFIGMAP, _recorder(loop, calls, "slow"), latency=3 * MILLISECOND, name="slow")
    api.watch(CONFIGMAP, _recorder(loop, calls, "a"), latency=LATENCY, name="a")
    api.watch(CONFIGMAP, _recorder(loop, calls, "b"), latency=LATENCY, name="b")
    api.create(_cm("one"), source="test")
    loop.advance(10 * MILLISECOND)
    assert calls == [("a", "one", LATENCY), ("b", "one", LATENCY),
                     ("slow", "one", 3 * MILLISECOND)]
    # one step per latency
    assert loop.steps == 2
