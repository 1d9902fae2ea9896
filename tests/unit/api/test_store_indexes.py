"""Secondary indexes (``APIServer.add_index`` / ``by_index``), like an informer's indexer.

The index keeps (namespace, name) per value and reads the objects from the store, so a write
that keeps an object's values (a status update) need not touch it; with ``reads``, a write
that keeps the very part the key reads does not even compute the key.
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.api.store import APIServer
from k8slab.sim.clock import Loop
from k8slab.sim.rand import Streams
from k8slab.sim.trace import Trace

CONFIGMAP = by_gvk("v1", "ConfigMap")


def _api() -> APIServer:
    return APIServer(Loop(0), Streams(0), Trace())


def _cm(name: str, colour: str, note: str = "") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default"},
            "data": {"colour": colour, "note": note}}


# the objects the key was asked about
calls: list[str] = []


def _colour(obj: dict[str, Any]) -> list[str]:
    calls.append(obj["metadata"]["name"])
    return [obj["data"]["colour"]]


def _names(objs: list[dict[str, Any]]) -> list[str]:
    return [o["metadata"]["name"] for o in objs]


def test_the_index_answers_with_the_stored_objects_in_the_order_they_took_the_value() -> None:
    api = _api()
    api.add_index(CONFIGMAP, "colour", _colour)
    for name in ("a", "b", "c"):
        api.create(_cm(name, "red"), source="test")
    a = api.get(CONFIGMAP, "default", "a")
    updated = api.update({**a, "data": {"colour": "red", "note": "new"}}, source="test",
                         trusted=True)
    assert _names(api.by_index(CONFIGMAP, "colour", "red")) == ["a", "b", "c"]
    assert api.by_index(CONFIGMAP, "colour", "red")[0] is updated  # never a stale object
    b = api.get(CONFIGMAP, "default", "b")
    api.update({**b, "data": {"colour": "blue"}}, source="test", trusted=True)
    assert _names(api.by_index(CONFIGMAP, "colour", "red")) == ["a", "c"]
    assert _names(api.by_index(CONFIGMAP, "colour", "blue")) == ["b"]
    api.update({**api.get(CONFIGMAP, "default", "b"), "data": {"colour": "red"}},
               source="test", trusted=True)
    assert _names(api.by_index(CONFIGMAP, "colour", "red")) == ["a", "c", "b"]
    api.delete(CONFIGMAP, "default", "a", source="test")
    assert _names(api.by_index(CONFIGMAP, "colour", "red")) == ["c", "b"]
    assert api.by_index(CONFIGMAP, "colour", "blue") == []


def test_a_write_that_keeps_the_part_the_key_reads_does_not_compute_the_key() -> None:
    api = _api()
    api.add_index(CONFIGMAP, "colour", _colour, reads=("data",))
    api.create(_cm("a", "red"), source="test")
    stored = api.get(CONFIGMAP, "default", "a")
    calls.clear()
    # Same data object, new labels: the key is not asked.
    api.update({**stored, "metadata": {**stored["metadata"], "labels": {"x": "y"}}},
               source="test", trusted=True)
    assert calls == []
    # New data object: asked for the new and the old object, and the value moves.
    api.update({**api.get(CONFIGMAP, "default", "a"), "data": {"colour": "green"}},
               source="test", trusted=True)
    assert calls == ["a", "a"]
    assert _names(api.by_index(CONFIGMAP, "colour", "green")) == ["a"]
    assert api.by_index(CONFIGMAP, "colour", "red") == []


POD = by_gvk("v1", "Pod")


def _phase(obj: dict[str, Any]) -> list[str]:
    calls.append("phase")
    return [(obj.get("status") or {}).get("phase", "")]


def _node(obj: dict[str, Any]) -> list[str]:
    calls.append("node")
    node = (obj.get("spec") or {}).get("nodeName")
    return [node] if node else []


def test_a_status_write_skips_indexes_only_while_none_reads_what_it_changes() -> None:
    api = _api()
    api.add_index(POD, "node", _node, reads=("spec",))
    api.create({"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": "p", "namespace": "default"},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]}},
               source="test")
    api.bind("default", "p", "n1", source="test")
    calls.clear()
    pod = api.get(POD, "default", "p")
    api.update({**pod, "status": {**pod["status"], "phase": "Running"}}, source="test",
               status=True, trusted=True)
    assert calls == []  # the status write kept the spec: not asked
    assert _names(api.by_index(POD, "node", "n1")) == ["p"]
    assert api.by_index(POD, "node", "n1")[0]["status"]["phase"] == "Running"
    # An index on the status: from now on status writes reach it.
    api.add_index(POD, "phase", _phase)
    calls.clear()
    pod = api.get(POD, "default", "p")
    api.update({**pod, "status": {**pod["status"], "phase": "Succeeded"}}, source="test",
               status=True, trusted=True)
    assert "phase" in calls
    assert _names(api.by_index(POD, "phase", "Succeeded")) == ["p"]
    assert api.by_index(POD, "phase", "Running") == []
