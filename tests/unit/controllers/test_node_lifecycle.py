"""Node lifecycle and taint-based eviction (kubernetes.md §6).

Upstream: ``pkg/controller/nodelifecycle/node_lifecycle_controller.go`` (monitor period 5 s,
grace 50 s, ``Kubelet stopped posting node status.``, condition taints, zone disruption) and
``pkg/controller/tainteviction/taint_eviction.go`` (``TaintManagerEviction`` "Marking for
deletion Pod <ns>/<name>", ``DeletionByTaintManager``).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

if "nodeworld" not in sys.modules:  # the scheduler tests' helper, shared here
    _spec = importlib.util.spec_from_file_location(
        "nodeworld", Path(__file__).parents[1] / "scheduler" / "nodeworld.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules["nodeworld"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["nodeworld"])

import nodeworld as nw

from k8slab.sim.clock import SECOND

TOLERATE_300 = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
]


def world(*names: str) -> tuple[Any, dict[str, bool]]:
    c = nw.make_bare()
    nw.add_nodes(c, *(nw.node_obj(n) for n in names))
    return c, nw.keep_alive(c, *names)


def node(c: Any, name: str) -> dict[str, Any]:
    return c.api.get(nw.NODE, "", name)


def taints(c: Any, name: str) -> list[tuple[str, str]]:
    return [(t["key"], t["effect"]) for t in node(c, name)["spec"].get("taints") or ()]


def ready(c: Any, name: str) -> dict[str, Any]:
    return next(x for x in node(c, name)["status"]["conditions"] if x["type"] == "Ready")


def test_silent_node_turns_unknown_after_the_grace_period() -> None:
    c, alive = world("a", "b")
    c.loop.advance(20 * SECOND)
    alive["a"] = False
    stopped = c.loop.now
    c.loop.advance(45 * SECOND)
    assert ready(c, "a")["status"] == "True"
    c.loop.advance(20 * SECOND)
    cond = ready(c, "a")
    assert cond["status"] == "Unknown"
    assert cond["reason"] == "NodeStatusUnknown"
    assert cond["message"] == "Kubelet stopped posting node status."
    elapsed = c.loop.now - stopped
    assert 50 * SECOND < elapsed <= 65 * SECOND
    # kubelet's other conditions go Unknown too (here only Ready existed: NeverUpdated ones).
    types = {x["type"]: x for x in node(c, "a")["status"]["conditions"]}
    assert {t: types[t]["status"] for t in ("MemoryPressure", "DiskPressure", "PIDPressure")} \
        == dict.fromkeys(("MemoryPressure", "DiskPressure", "PIDPressure"), "Unknown")
    assert types["MemoryPressure"]["message"] == "Kubelet never posted node status."
    assert ready(c, "b")["status"] == "True"
    events = [e for e in nw.events_for(c, "a") if e["reason"] == "NodeNotReady"]
    assert events[0]["message"] == "Node a status is now: NodeNotReady"
    assert events[0]["source"]["component"] == "node-controller"


def test_unreachable_taints_then_eviction_after_300s() -> None:
    c, alive = world("a", "b", "x")
    tolerant = nw.running_pod(c, "tolerant", "a", tolerations=TOLERATE_300)
    # DefaultTolerationSeconds gives every pod 300 s; this one asks for none.
    nw.running_pod(c, "intolerant", "a", tolerations=[
        {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
         "tolerationSeconds": 0}])
    c.loop.advance(SECOND)
    alive["a"] = False
    c.loop.run_while(lambda: ready(c, "a")["status"] != "Unknown", limit=90 * SECOND)
    unknown_at = c.loop.now
    c.loop.advance(100 * 1_000_000)
    assert ("node.kubernetes.io/unreachable", "NoSchedule") in taints(c, "a")
    # NoExecute comes from the next monitor pass, which observes the Unknown condition.
    c.loop.run_while(lambda: ("node.kubernetes.io/unreachable", "NoExecute")
                     not in taints(c, "a"), limit=20 * SECOND)
    tainted_at = c.loop.now
    assert 0 < tainted_at - unknown_at <= 6 * SECOND
    assert all(t.get("timeAdded") for t in node(c, "a")["spec"]["taints"])
    # Pods are marked not Ready, with the node-controller's Warning.
    pod = c.api.get(nw.POD, "default", "tolerant")
    assert nw.condition(pod, "Ready")["status"] == "False"
    assert nw.events_for(c, "tolerant", "NodeNotReady")[0]["message"] == "Node is not ready"
    # The pod without tolerations goes at once; the tolerant one after 300 s.
    c.loop.advance(SECOND)
    assert c.api.get(nw.POD, "default", "intolerant")["metadata"].get("deletionTimestamp")
    c.loop.advance(290 * SECOND)
    assert not c.api.get(nw.POD, "default", "tolerant")["metadata"].get("deletionTimestamp")
    c.loop.advance(15 * SECOND)
    pod = c.api.get(nw.POD, "default", "tolerant")
    assert pod["metadata"]["deletionTimestamp"]          # Terminating: nobody confirms it
    target = nw.condition(pod, "DisruptionTarget")
    assert target["reason"] == "DeletionByTaintManager"
    assert target["message"] == "Taint manager: deleting due to NoExecute taint"
    (event,) = nw.events_for(c, "tolerant", "TaintManagerEviction")
    assert event["message"] == "Marking for deletion Pod default/tolerant"
    assert event["source"]["component"] == "taint-eviction-controller"
    assert tolerant["metadata"]["uid"] == pod["metadata"]["uid"]


def test_node_that_comes_back_is_untainted_and_eviction_cancelled() -> None:
    c, alive = world("a", "b", "x")
    nw.running_pod(c, "p", "a", tolerations=TOLERATE_300)
    alive["a"] = False
    c.loop.advance(80 * SECOND)
    assert ("node.kubernetes.io/unreachable", "NoExecute") in taints(c, "a")
    alive["a"] = True
    c.loop.advance(10 * SECOND)         # the lease is renewed again
    live = node(c, "a")
    beat = nw.rfc3339(c.loop.now)
    conds = [{**x, "status": "True", "reason": "KubeletReady", "lastHeartbeatTime": beat,
              "message": "kubelet is posting ready status"} if x["type"] == "Ready" else x
             for x in live["status"]["conditions"]]
    c.api.update({**live, "status": {**live["status"], "conditions": conds}}, source="kubelet",
                 status=True, trusted=True)
    c.loop.advance(15 * SECOND)
    assert taints(c, "a") == []
    (event,) = nw.events_for(c, "p", "TaintManagerEviction")
    assert event["message"] == "Cancelling deletion of Pod default/p"
    c.loop.advance(300 * SECOND)
    assert not c.api.get(nw.POD, "default", "p")["metadata"].get("deletionTimestamp")


def test_condition_taints_follow_ready_and_cordon() -> None:
    """TaintNodesByCondition: Ready False → not-ready:NoSchedule; spec.unschedulable too."""
    c = nw.make_bare()
    obj = nw.node_obj("n")
    obj["status"]["conditions"] = [{"type": "Ready", "status": "False"}]
    c.api.create(obj, source="test", trusted=True)
    c.loop.advance(SECOND)
    assert taints(c, "n") == [("node.kubernetes.io/not-ready", "NoSchedule")]
    live = node(c, "n")
    c.api.update({**live, "status": {**live["status"], "conditions": [
        {"type": "Ready", "status": "True"}]}}, source="kubelet", status=True, trusted=True)
    c.loop.advance(SECOND)
    assert taints(c, "n") == []
    live = node(c, "n")
    c.api.update({**live, "spec": {**live["spec"], "unschedulable": True}}, source="kubectl",
                 trusted=True)
    c.loop.advance(SECOND)
    assert taints(c, "n") == [("node.kubernetes.io/unschedulable", "NoSchedule")]
    c.loop.advance(5 * SECOND)      # the monitor pass registers the node
    assert nw.events_for(c, "n", "RegisteredNode")[0]["message"] == (
        "Node n event: Registered Node n in Controller")


def test_partial_zone_disruption_stops_noexecute_tainting() -> None:
    """More than two NotReady nodes making ≥55 % of a small zone: eviction rate 0."""
    c, alive = world("a", "b", "c", "d")
    for name in ("a", "b", "c"):
        alive[name] = False
    c.loop.advance(90 * SECOND)
    for name in ("a", "b", "c"):
        assert ready(c, name)["status"] == "Unknown"
        assert ("node.kubernetes.io/unreachable", "NoSchedule") in taints(c, name)
    noexecute = [n for n in ("a", "b", "c")
                 if ("node.kubernetes.io/unreachable", "NoExecute") in taints(c, n)]
    # The first node may be tainted before the zone state is computed; not all three.
    assert len(noexecute) < 3


def test_orphaned_pods_are_collected_after_the_node_is_deleted() -> None:
    c, _ = world("a", "b")
    nw.running_pod(c, "p", "a")
    c.loop.advance(SECOND)
    c.api.delete(nw.NODE, "", "a", source="kubectl")
    c.loop.advance(30 * SECOND)
    assert c.api.try_get(nw.POD, "default", "p") is not None
    c.loop.advance(40 * SECOND)
    assert c.api.try_get(nw.POD, "default", "p") is None
