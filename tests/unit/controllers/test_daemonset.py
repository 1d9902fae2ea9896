"""DaemonSet controller (kubernetes.md §8.4; upstream ``pkg/controller/daemon``,
``util/daemonset_util.go`` ``AddOrUpdateDaemonPodTolerations`` and
``ReplaceDaemonSetPodNodeNameNodeAffinity``)."""

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

from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

DS = by_gvk("apps/v1", "DaemonSet")
REVISION = by_gvk("apps/v1", "ControllerRevision")
CP_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def daemonset(image: str = "registry.k8s.io/kube-proxy:v1.37.0",
              tolerations: list[dict[str, Any]] | None = None,
              **spec: Any) -> dict[str, Any]:
    pod_spec: dict[str, Any] = {"containers": [{"name": "agent", "image": image}],
                                "hostNetwork": True}
    if tolerations is not None:
        pod_spec["tolerations"] = tolerations
    pod_spec.update(spec)
    return {"apiVersion": "apps/v1", "kind": "DaemonSet",
            "metadata": {"name": "agent", "namespace": "kube-system"},
            "spec": {"selector": {"matchLabels": {"app": "agent"}},
                     "template": {"metadata": {"labels": {"app": "agent"}}, "spec": pod_spec}}}


def pods(c: Any) -> list[dict[str, Any]]:
    return [p for p in c.api.list(nw.POD, "kube-system")
            if p["metadata"]["name"].startswith("agent-")]


def kubelets(c: Any) -> None:
    """What the kubelets would do: run bound pods (Ready) and finish deleted ones."""
    for _ in range(6):
        c.loop.advance(SECOND)
        for pod in pods(c):
            name = pod["metadata"]["name"]
            if pod["metadata"].get("deletionTimestamp"):
                c.api.remove(nw.POD, "kube-system", name, source="kubelet")
            elif pod["spec"].get("nodeName") and not nw.condition(pod, "Ready"):
                now = nw.rfc3339(c.loop.now)
                status = {**pod["status"], "phase": "Running", "conditions": [
                    {"type": "Ready", "status": "True", "lastTransitionTime": now}]}
                c.api.update({**pod, "status": status}, source="kubelet", status=True,
                             trusted=True)


def world() -> Any:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("cp", taints=[CP_TAINT]), nw.node_obj("w1"),
                 nw.node_obj("w2"))
    nw.keep_alive(c, "cp", "w1", "w2")
    return c


def test_one_pod_per_eligible_node_with_daemon_tolerations_and_pinning() -> None:
    c = world()
    c.api.create(daemonset(), source="kubectl")
    kubelets(c)
    placed = sorted(p["spec"]["nodeName"] for p in pods(c))
    assert placed == ["w1", "w2"]            # the control-plane taint is not tolerated
    pod = pods(c)[0]
    assert [(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]] == [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ("node.kubernetes.io/network-unavailable", "NoSchedule"),
    ]
    assert all("tolerationSeconds" not in t for t in pod["spec"]["tolerations"])
    terms = pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"]
    assert terms == [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                       "values": [pod["spec"]["nodeName"]]}]}]
    labels = pod["metadata"]["labels"]
    assert labels["pod-template-generation"] == "1" and labels["controller-revision-hash"]
    (rev,) = c.api.list(REVISION, "kube-system")
    assert rev["metadata"]["name"] == f"agent-{labels['controller-revision-hash']}"
    assert rev["revision"] == 1
    ds = c.api.get(DS, "kube-system", "agent")
    assert ds["status"] == {"currentNumberScheduled": 2, "numberMisscheduled": 0,
                            "desiredNumberScheduled": 2, "numberReady": 2,
                            "observedGeneration": 1, "updatedNumberScheduled": 2,
                            "numberAvailable": 2}
    created = [e["message"] for e in nw.events_for(c, "agent", "SuccessfulCreate")]
    assert sorted(created) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods(c))


def test_tolerate_everything_reaches_the_control_plane_and_new_nodes() -> None:
    c = world()
    c.api.create(daemonset(tolerations=[{"operator": "Exists"}]), source="kubectl")
    kubelets(c)
    assert sorted(p["spec"]["nodeName"] for p in pods(c)) == ["cp", "w1", "w2"]
    nw.add_nodes(c, nw.node_obj("w3"))
    kubelets(c)
    assert sorted(p["spec"]["nodeName"] for p in pods(c)) == ["cp", "w1", "w2", "w3"]


def test_rolling_update_replaces_one_node_at_a_time() -> None:
    c = world()
    c.api.create(daemonset(tolerations=[{"operator": "Exists"}]), source="kubectl")
    kubelets(c)
    ds = c.api.get(DS, "kube-system", "agent")
    template = ds["spec"]["template"]
    spec = {**template["spec"], "containers": [
        {**template["spec"]["containers"][0], "image": "registry.k8s.io/kube-proxy:v1.37.1"}]}
    c.api.update({**ds, "spec": {**ds["spec"], "template": {**template, "spec": spec}}},
                 source="kubectl")
    c.loop.advance(SECOND)
    terminating = [p for p in pods(c) if p["metadata"].get("deletionTimestamp")]
    assert len(terminating) == 1              # maxUnavailable 1
    for _ in range(5):
        kubelets(c)
    images = {p["spec"]["containers"][0]["image"] for p in pods(c)}
    assert images == {"registry.k8s.io/kube-proxy:v1.37.1"} and len(pods(c)) == 3
    assert [r["revision"] for r in c.api.list(REVISION, "kube-system")] in ([1, 2], [2, 1])
    assert c.api.get(DS, "kube-system", "agent")["status"]["updatedNumberScheduled"] == 3


def test_node_selector_mismatch_and_untolerated_noexecute_remove_pods() -> None:
    c = world()
    c.api.create(daemonset(nodeSelector={"role": "edge"}), source="kubectl")
    kubelets(c)
    assert pods(c) == []
    node = c.api.get(nw.NODE, "", "w1")
    c.api.update({**node, "metadata": {**node["metadata"], "labels": {
        **node["metadata"]["labels"], "role": "edge"}}}, source="kubectl", trusted=True)
    kubelets(c)
    assert [p["spec"]["nodeName"] for p in pods(c)] == ["w1"]
    node = c.api.get(nw.NODE, "", "w1")
    c.api.update({**node, "spec": {**node["spec"], "taints": [
        {"key": "maintenance", "effect": "NoExecute"}]}}, source="kubectl", trusted=True)
    kubelets(c)
    assert pods(c) == []


def test_node_changes_sync_the_daemonset_only_when_its_verdict_flips() -> None:
    # updateNode enqueues a DaemonSet only when NodeShouldRunDaemonPod changes for it, which
    # reads the node's labels and taints: a condition flip or a status write syncs nothing.
    c = world()
    c.api.create(daemonset(nodeSelector={"role": "edge"}), source="kubectl")
    kubelets(c)
    controller = c.controller_manager.controllers["daemonset"]
    synced: list[str] = []
    original = controller.syncHandler
    controller.syncHandler = lambda key: (synced.append(key), original(key))[1]

    def write(change: Any, status: bool = False) -> None:
        node = c.api.get(nw.NODE, "", "w1")
        c.api.update({**node, **change(node)}, source="test", trusted=True, status=status)
        c.loop.advance(SECOND)

    def labels(**extra: str) -> Any:
        return lambda n: {"metadata": {**n["metadata"],
                                       "labels": {**n["metadata"]["labels"], **extra}}}

    write(lambda n: {"status": {**n["status"], "conditions": [
        {**cond, "status": "False"} if cond["type"] == "Ready" else cond
        for cond in n["status"]["conditions"]]}}, status=True)
    write(labels(unrelated="x"))
    assert synced == []
    write(labels(role="edge"))
    assert synced and set(synced) == {"kube-system/agent"}


def test_pods_share_one_defaulted_spec_that_equals_defaulting_each_copy() -> None:
    # _new_pod builds the defaulted spec once per template and gives each pod its own node
    # affinity: each pod must equal (key order included) the deep copy defaulted per pod.
    import copy
    import json

    from k8slab.api.registry import strategy_for
    from k8slab.controllers.daemonset import _node_affinity, daemon_tolerations

    c = world()
    affinity = {"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [
        {"weight": 1, "preference": {"matchExpressions": [
            {"key": "role", "operator": "In", "values": ["edge"]}]}}]}}
    plain = daemonset()
    rich = daemonset(tolerations=[{"key": "dedicated", "operator": "Exists"}],
                     affinity=affinity,
                     volumes=[{"name": "scratch"}, {"name": "cfg", "configMap": {"name": "cm"}}],
                     initContainers=[{"name": "init", "image": "busybox",
                                      "resources": {"limits": {"cpu": "100m"}}}])
    rich["metadata"]["name"] = "rich"
    for obj in (plain, rich):
        c.api.create(obj, source="kubectl")
    c.loop.advance(SECOND)
    controller = c.controller_manager.controllers["daemonset"]
    for name in ("agent", "rich"):
        ds = c.api.get(DS, "kube-system", name)
        built = [controller._new_pod(ds, node, "h", "1") for node in ("w1", "w2", "w1")]
        for pod, node in zip(built, ("w1", "w2", "w1"), strict=True):
            spec = copy.deepcopy(ds["spec"]["template"]["spec"])
            spec["tolerations"] = daemon_tolerations(spec)
            spec["affinity"] = _node_affinity(spec.get("affinity"), node)
            expected = {**pod, "spec": spec}
            strategy_for("", "Pod").default(expected)
            assert json.dumps(pod) == json.dumps(expected)
        assert built[0]["spec"]["affinity"] is not built[2]["spec"]["affinity"]
        assert built[0]["spec"]["containers"] is built[1]["spec"]["containers"]
