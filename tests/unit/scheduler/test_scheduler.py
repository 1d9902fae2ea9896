"""kube-scheduler: binding, FailedScheduling messages, preemption, the queue.

Fidelity references: kubernetes.md §5.4 (FitError format, events), upstream
``pkg/scheduler/framework/types.go`` (``FitError.Error``), ``plugins/defaultpreemption`` and
``framework/preemption`` (PostFilter messages), ``plugins/tainttoleration`` (the 1.35+ reason
``node(s) had untolerated taint(s)``, kubernetes#134740), ``plugins/noderesources/fit.go``.
"""

from __future__ import annotations

from typing import Any

import nodeworld as nw
import pytest

from k8slab.sim.clock import MILLISECOND, MINUTE, SECOND

CP_TAINT = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]


def three_nodes(**worker: Any) -> Any:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("cp", cpu="2", taints=CP_TAINT),
                 nw.node_obj("w1", **worker), nw.node_obj("w2", **worker))
    nw.keep_alive(c, "cp", "w1", "w2")
    return c


def failed(c: Any, name: str) -> str:
    pod = c.api.get(nw.POD, "default", name)
    cond = nw.condition(pod, "PodScheduled")
    assert cond is not None and cond["status"] == "False" and cond["reason"] == "Unschedulable"
    events = nw.events_for(c, name, "FailedScheduling")
    assert events and events[0]["type"] == "Warning"
    assert events[0]["message"] == cond["message"]
    assert pod["spec"].get("nodeName") is None and pod["status"]["phase"] == "Pending"
    return str(cond["message"])


def test_bind_records_scheduled_event_through_the_events_api() -> None:
    """kubernetes.md §5.4: ``Scheduled`` "Successfully assigned <ns>/<pod> to <node>"; the
    scheduler records through events.k8s.io (reportingComponent, action, eventTime)."""
    c = three_nodes()
    nw.create_pod(c, nw.pod_obj("web"))
    c.loop.advance(SECOND)
    node = nw.node_of(c, "web")
    assert node in ("w1", "w2")
    (event,) = nw.events_for(c, "web", "Scheduled")
    assert event["message"] == f"Successfully assigned default/web to {node}"
    assert event["type"] == "Normal" and event["action"] == "Binding"
    assert event["reportingComponent"] == "default-scheduler"
    assert event["source"] == {} and event["firstTimestamp"] is None
    assert event["eventTime"].endswith("Z") and "." in event["eventTime"]
    assert nw.condition(c.api.get(nw.POD, "default", "web"), "PodScheduled")["status"] == "True"


def test_insufficient_cpu_and_untolerated_taint() -> None:
    """kubernetes.md §5.4's second example, with the 1.35+ taint reason."""
    c = three_nodes()
    for node in ("w1", "w2"):
        nw.create_pod(c, nw.pod_obj(f"busy-{node}", cpu="1", nodeName=node))
    nw.create_pod(c, nw.pod_obj("big", cpu="3500m"))
    c.loop.advance(SECOND)
    assert failed(c, "big") == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod.")


def test_request_larger_than_any_node_is_not_helped_by_preemption() -> None:
    """fit.go: a request above the node's allocatable is UnschedulableAndUnresolvable."""
    c = three_nodes()
    nw.create_pod(c, nw.pod_obj("huge", cpu="5", memory="20Gi"))
    c.loop.advance(SECOND)
    assert failed(c, "huge") == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu, "
        "2 Insufficient memory. preemption: 0/3 nodes are available: "
        "3 Preemption is not helpful for scheduling.")


def test_selector_cordon_and_too_many_pods_reasons() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", pods="1"), nw.node_obj("b", unschedulable=True),
                 nw.node_obj("c", labels={"disk": "hdd"}))
    nw.create_pod(c, nw.pod_obj("filler", nodeName="a"))
    c.loop.advance(SECOND)
    nw.create_pod(c, nw.pod_obj("picky", nodeSelector={"disk": "ssd"}))
    nw.create_pod(c, nw.pod_obj("any"))
    c.loop.advance(SECOND)
    # Only the first rejecting plugin counts per node: the cordoned node says so.
    assert failed(c, "picky") == (
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 node(s) didn't match Pod's "
        "node affinity/selector. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")
    assert nw.node_of(c, "any") == "c"
    nw.create_pod(c, nw.pod_obj("more", nodeSelector={"kubernetes.io/os": "linux"}))
    nw.create_pod(c, nw.pod_obj("filler2", nodeName="c"))
    c.loop.advance(SECOND)
    # "a" is full (1 pod allowed), "b" is cordoned, "c" now has room: "more" lands there.
    assert nw.node_of(c, "more") == "c"


def test_host_port_conflict() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a"))
    port = [{"name": "c", "image": "nginx:1.10",
             "ports": [{"containerPort": 80, "hostPort": 8080}]}]
    nw.create_pod(c, nw.pod_obj("one", containers=port))
    c.loop.advance(SECOND)
    nw.create_pod(c, nw.pod_obj("two", containers=port))
    c.loop.advance(SECOND)
    assert nw.node_of(c, "one") == "a"
    assert failed(c, "two") == (
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod "
        "ports. preemption: 0/1 nodes are available: 1 No preemption victims found for "
        "incoming pod.")


def test_init_container_maximum_counts() -> None:
    """PodRequests: max(init containers, sum of containers)."""
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="2"))
    init = [{"name": "init", "image": "busybox", "resources": {"requests": {"cpu": "2500m"}}}]
    nw.create_pod(c, nw.pod_obj("p", cpu="500m", initContainers=init))
    c.loop.advance(SECOND)
    assert "1 Insufficient cpu" in failed(c, "p")


def test_pinned_pod_reports_prefilter_nodes() -> None:
    """NodeAffinity PreFilter (DaemonSet pods): other nodes are ``didn't satisfy plugin(s)``."""
    c = three_nodes()
    pin = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                "values": ["w1"]}]}]}}}
    nw.create_pod(c, nw.pod_obj("ds-pod", cpu="5", affinity=pin))
    nw.create_pod(c, nw.pod_obj("ds-ok", affinity=pin))
    c.loop.advance(SECOND)
    assert nw.node_of(c, "ds-ok") == "w1"
    assert failed(c, "ds-pod") == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
        "[NodeAffinity]. preemption: 0/3 nodes are available: 3 Preemption is not helpful "
        "for scheduling.")


def test_pinned_pod_scans_its_nodes_in_node_tree_order() -> None:
    """The pinned nodes are looked up by name; the filter still visits them in scan order."""
    c = nw.make_bare()
    nw.add_nodes(c, *[nw.node_obj(f"n{i}", labels={"topology.kubernetes.io/zone": f"z{i // 3}"})
                      for i in range(7)])
    algorithm = c.scheduler.algorithm
    if not hasattr(algorithm, "__dict__"):
        pytest.skip("hooks a method of the scheduler's Algorithm, which the compiled build's "
                    "class does not allow; `make test` runs it again on the pure-Python modules")
    seen: list[list[str]] = []
    original = algorithm._slow

    def slow(pod: Any, ctx: Any, order: Any, nodes: Any, diagnosis: Any) -> Any:
        seen.append([ni.name for ni in nodes])
        assert [ni.name for ni in nodes] == [ni.name for ni in order
                                             if ni.name in pod.required_names]
        return original(pod, ctx, order, nodes, diagnosis)

    algorithm._slow = slow
    terms = [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [name]}]}
             for name in ("n5", "n1", "gone", "n3")]
    pin = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": terms}}}
    nw.create_pod(c, nw.pod_obj("pinned", affinity=pin))
    c.loop.advance(SECOND)
    # node-tree order interleaves the zones (z0: n0-n2, z1: n3-n5, z2: n6): n0 n3 n6 n1 n4 n2 n5
    assert seen == [["n3", "n1", "n5"]]
    assert nw.node_of(c, "pinned") in ("n1", "n3", "n5")


def test_preemption_evicts_lower_priority_and_nominates() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="2"))
    nw.keep_alive(c, "a")
    nw.create_pod(c, nw.pod_obj("low", cpu="1500m"))
    c.loop.advance(SECOND)
    nw.priority_class(c, "high", 1000)
    nw.create_pod(c, nw.pod_obj("high", cpu="1500m", priorityClassName="high"))
    c.loop.advance(10 * MILLISECOND)
    high = c.api.get(nw.POD, "default", "high")
    assert high["status"].get("nominatedNodeName") == "a"
    cond = nw.condition(high, "PodScheduled")
    assert cond["message"] == "0/1 nodes are available: 1 Insufficient cpu."
    low = c.api.get(nw.POD, "default", "low")
    assert low["metadata"].get("deletionTimestamp")
    target = nw.condition(low, "DisruptionTarget")
    assert target["reason"] == "PreemptionByScheduler"
    assert target["message"] == ("default-scheduler: preempting to accommodate a higher "
                                 "priority pod")
    (event,) = nw.events_for(c, "low", "Preempted")
    assert event["message"] == f"Preempted by pod {high['metadata']['uid']} on node a"
    assert event["related"]["name"] == "high"
    # Nobody runs the victim's containers here; finish its deletion like its kubelet would.
    c.api.remove(nw.POD, "default", "low", source="test")
    c.loop.advance(SECOND)
    assert nw.node_of(c, "high") == "a"


def test_preemption_policy_never() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="1"))
    nw.create_pod(c, nw.pod_obj("low", cpu="800m"))
    c.loop.advance(SECOND)
    nw.priority_class(c, "polite", 10, never=True)
    nw.create_pod(c, nw.pod_obj("polite", cpu="800m", priorityClassName="polite"))
    c.loop.advance(SECOND)
    assert failed(c, "polite") == ("0/1 nodes are available: 1 Insufficient cpu. preemption: "
                                   "not eligible due to preemptionPolicy=Never.")


def test_unschedulable_pod_is_retried_when_a_node_joins() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("small", cpu="1"))
    nw.create_pod(c, nw.pod_obj("p", cpu="2"))
    c.loop.advance(SECOND)
    failed(c, "p")
    nw.add_nodes(c, nw.node_obj("big", cpu="8"))
    assert nw.node_of(c, "p") == "big"


def test_unschedulable_pod_is_retried_when_an_assigned_pod_goes() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="2"))
    nw.create_pod(c, nw.pod_obj("first", cpu="1500m"))
    c.loop.advance(SECOND)
    nw.create_pod(c, nw.pod_obj("second", cpu="1500m"))
    c.loop.advance(SECOND)
    failed(c, "second")
    c.api.delete(nw.POD, "default", "first", source="test", grace_period=0)
    c.loop.advance(SECOND)
    assert nw.node_of(c, "second") == "a"


def test_waiting_pods_are_retried_after_five_minutes_as_a_series() -> None:
    """Queue: podMaxInUnschedulablePodsDuration 5 min, flushed every 30 s. The repeated event
    becomes a series (events.k8s.io): count 2 written at once, on the same Event object."""
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="1"))
    nw.keep_alive(c, "a")
    nw.create_pod(c, nw.pod_obj("p", cpu="2"))
    c.loop.advance(4 * MINUTE)
    (event,) = nw.events_for(c, "p", "FailedScheduling")
    assert "series" not in event
    c.loop.advance(90 * SECOND)
    (event,) = nw.events_for(c, "p", "FailedScheduling")
    assert event["series"]["count"] == 2


def test_higher_priority_pod_is_scheduled_first() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", cpu="1"))
    nw.create_pod(c, nw.pod_obj("early", cpu="800m"))
    nw.priority_class(c, "urgent", 100, never=True)
    nw.create_pod(c, nw.pod_obj("urgent", cpu="800m", priorityClassName="urgent"))
    c.loop.advance(SECOND)
    assert nw.node_of(c, "urgent") == "a"
    assert nw.node_of(c, "early") is None


def test_default_spread_puts_a_replicaset_evenly() -> None:
    """PodTopologySpread system defaults (hostname maxSkew 3) plus LeastAllocated."""
    c = nw.make_bare()
    nw.add_nodes(c, *(nw.node_obj(f"n{i}") for i in range(3)))
    rs = c.api.create({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"replicas": 0, "serviceName": "web", "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
        source="test")
    owner = {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": "web",
             "uid": rs["metadata"]["uid"], "controller": True}
    for i in range(9):
        nw.create_pod(c, nw.pod_obj(f"web-{i}", owner=owner))
    c.loop.advance(SECOND)
    counts: dict[str, int] = {}
    for i in range(9):
        node = nw.node_of(c, f"web-{i}")
        counts[node] = counts.get(node, 0) + 1
    assert counts == {"n0": 3, "n1": 3, "n2": 3}


def test_same_seed_same_placement() -> None:
    def placement(seed: int) -> list[str | None]:
        c = nw.make_bare(seed)
        nw.add_nodes(c, *(nw.node_obj(f"n{i}") for i in range(5)))
        for i in range(12):
            nw.create_pod(c, nw.pod_obj(f"p{i}"))
        c.loop.advance(SECOND)
        return [nw.node_of(c, f"p{i}") for i in range(12)]

    assert placement(7) == placement(7)
    assert len({tuple(placement(s)) for s in range(4)}) > 1


def test_no_nodes_at_all() -> None:
    """ErrNoNodesAvailable: not a FitError, no preemption tail; retried when a node appears."""
    c = nw.make_bare()
    nw.create_pod(c, nw.pod_obj("early"))
    c.loop.advance(SECOND)
    pod = c.api.get(nw.POD, "default", "early")
    cond = nw.condition(pod, "PodScheduled")
    assert (cond["reason"], cond["message"]) == ("Unschedulable",
                                                 "no nodes available to schedule pods")
    nw.add_nodes(c, nw.node_obj("late"))
    assert nw.node_of(c, "early") == "late"
