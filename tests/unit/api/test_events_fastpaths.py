"""The event recorder's shortcuts give the answers of a full read of each reported object.

``EventRecorder.event`` reuses the facts (involvedObject, correlation keys) of the object it
reported last, and shares them between equal references; these tests fail if a stale entry
answered for another object or field path.
"""

from __future__ import annotations

from typing import Any

from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND


def _pod(name: str, rv: str = "7", uid: str | None = None) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "uid": uid or f"u-{name}",
                         "resourceVersion": rv}}


def test_each_event_names_the_object_it_was_given(cluster: Cluster) -> None:
    rec = cluster.recorder("kubelet", "t.cs.2")
    a, b = _pod("a"), _pod("b")
    events = [rec.event(a, "Normal", "Pulled", "x", field_path="spec.containers{c}"),
              rec.event(a, "Normal", "Created", "x", field_path="spec.containers{c}"),
              rec.event(a, "Normal", "Killing", "x"),
              rec.event(b, "Normal", "Created", "x", field_path="spec.containers{c}"),
              rec.event(_pod("a", rv="8"), "Normal", "Started", "x")]
    assert [e and e["involvedObject"] for e in events] == [
        {"apiVersion": "v1", "kind": "Pod", "name": "a", "uid": "u-a", "namespace": "default",
         "resourceVersion": "7", "fieldPath": "spec.containers{c}"},
        {"apiVersion": "v1", "kind": "Pod", "name": "a", "uid": "u-a", "namespace": "default",
         "resourceVersion": "7", "fieldPath": "spec.containers{c}"},
        {"apiVersion": "v1", "kind": "Pod", "name": "a", "uid": "u-a", "namespace": "default",
         "resourceVersion": "7"},
        {"apiVersion": "v1", "kind": "Pod", "name": "b", "uid": "u-b", "namespace": "default",
         "resourceVersion": "7", "fieldPath": "spec.containers{c}"},
        {"apiVersion": "v1", "kind": "Pod", "name": "a", "uid": "u-a", "namespace": "default",
         "resourceVersion": "8"}]
    # One object's events share one involvedObject; equal references too.
    assert events[0]["involvedObject"] is events[1]["involvedObject"]
    again = rec.event(_pod("b"), "Normal", "Started", "x", field_path="spec.containers{c}")
    assert again["involvedObject"] is events[3]["involvedObject"]


def test_correlation_keys_follow_the_object(cluster: Cluster) -> None:
    # Same uid, another name: a new object for dedupe and the spam filter; the same object
    # with another field path: a new aggregate and dedupe key, the same spam bucket.
    rec = cluster.recorder("kubelet", "t.cs.2")
    first = _pod("a", uid="u-1")
    rec.event(first, "Warning", "BackOff", "same")
    other = rec.event(_pod("z", uid="u-1"), "Warning", "BackOff", "same")
    assert other["count"] == 1 and other["involvedObject"]["name"] == "z"
    cluster.loop.advance(SECOND)
    repeat = rec.event(first, "Warning", "BackOff", "same")
    assert repeat["count"] == 2 and repeat["involvedObject"]["name"] == "a"
    container = rec.event(first, "Warning", "BackOff", "same", field_path="spec.containers{c}")
    assert container["count"] == 1
    assert container["involvedObject"]["fieldPath"] == "spec.containers{c}"
    # 25 tokens per object, whatever the field path: 3 taken by "a" so far.
    results = [rec.event(first, "Warning", "BackOff", f"m{i}") for i in range(23)]
    assert sum(r is not None for r in results) == 22
    assert rec.event(_pod("z", uid="u-1"), "Warning", "BackOff", "other") is not None


def test_names_take_the_next_free_nanosecond_per_object(cluster: Cluster) -> None:
    rec = cluster.recorder("kubelet", "t.cs.2")
    pod = _pod("a")
    now = cluster.loop.now
    names = [rec.event(pod, "Normal", r, "x")["metadata"]["name"] for r in ("A", "B", "C")]
    assert names == [f"a.{now:x}", f"a.{now + 1:x}", f"a.{now + 2:x}"]
    # Another object starts at the current instant; later, the object does too.
    assert rec.event(_pod("b"), "Normal", "A", "x")["metadata"]["name"] == f"b.{now:x}"
    cluster.loop.advance(SECOND)
    later = cluster.loop.now
    assert rec.event(pod, "Normal", "D", "x")["metadata"]["name"] == f"a.{later:x}"
