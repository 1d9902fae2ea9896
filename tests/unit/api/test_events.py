"""The event recorder reproduces client-go's EventCorrelator (tools/record/events_cache.go):
aggregation after 10 similar messages, de-duplication into ``count``, and the per-object spam
filter (burst 25, one token per 5 minutes)."""

from __future__ import annotations

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

EVENT = by_gvk("v1", "Event")


def _events(cluster: Cluster, name: str) -> list[dict]:
    return [e for e in cluster.api.list(EVENT, "default")
            if e["involvedObject"]["name"] == name]


def _rs() -> dict:
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": "web-abc", "namespace": "default", "uid": "u-1"}}


def test_tenth_similar_event_is_combined(cluster: Cluster) -> None:
    rec = cluster.recorder("replicaset-controller")
    for i in range(12):
        rec.event(_rs(), "Normal", "SuccessfulCreate", f"Created pod: web-abc-{i}")
    events = _events(cluster, "web-abc")
    messages = [e["message"] for e in events]
    assert messages[:9] == [f"Created pod: web-abc-{i}" for i in range(9)]
    combined = [e for e in events if e["message"].startswith("(combined from similar events)")]
    assert len(combined) == 1
    assert combined[0]["count"] == 3
    assert combined[0]["message"] == "(combined from similar events): Created pod: web-abc-11"


def test_identical_events_raise_count(cluster: Cluster) -> None:
    rec = cluster.recorder("kubelet", "t.cs.2")
    for _ in range(3):
        rec.event(_rs(), "Warning", "BackOff", "Back-off restarting failed container")
        cluster.loop.advance(10 * SECOND)
    (event,) = _events(cluster, "web-abc")
    assert event["count"] == 3
    assert event["firstTimestamp"] != event["lastTimestamp"]


def test_spam_filter_burst_25_then_one_per_five_minutes(cluster: Cluster) -> None:
    rec = cluster.recorder("kubelet", "t.cs.2")
    results = [rec.event(_rs(), "Warning", "BackOff", "same") for _ in range(30)]
    assert sum(r is not None for r in results) == 25
    (event,) = _events(cluster, "web-abc")
    assert event["count"] == 25
    cluster.loop.advance(299 * SECOND)
    assert rec.event(_rs(), "Warning", "BackOff", "same") is None
    cluster.loop.advance(2 * SECOND)
    assert rec.event(_rs(), "Warning", "BackOff", "same") is not None


def test_recorders_naming_events_at_one_instant_take_the_next_nanoseconds(
        cluster: Cluster) -> None:
    # Two components report about objects of one name at the same virtual nanosecond: the
    # second name taken is the next nanosecond's, and nothing is lost.
    node = {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "t.cs.9", "uid": "t.cs.9"}}
    kubelet = cluster.recorder("kubelet", "t.cs.9")
    controller = cluster.recorder("node-controller")
    first = kubelet.event(node, "Normal", "NodeReady", "Node t.cs.9 status is now: NodeReady")
    second = controller.event(node, "Normal", "RegisteredNode",
                              "Node t.cs.9 event: Registered Node t.cs.9 in Controller")
    third = kubelet.event(node, "Normal", "Starting", "Starting kubelet.")
    now = cluster.loop.now
    assert [e["metadata"]["name"] for e in (first, second, third)] == [
        f"t.cs.9.{now:x}", f"t.cs.9.{now + 1:x}", f"t.cs.9.{now + 1 + 1:x}"]
    revision = cluster.api.revision
    assert controller.event(node, "Normal", "Other", "x")["metadata"]["name"] \
        == f"t.cs.9.{now + 3:x}"
    assert cluster.api.revision == revision + 1  # the refused names cost no write
