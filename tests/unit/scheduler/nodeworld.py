"""A cluster without kubelets or add-ons, whose nodes and pods the test writes directly.

The kubelet registers real nodes; these tests create Node objects themselves with what the
kubelet promises (labels, allocatable cpu/memory/pods/ephemeral-storage, a Ready condition)
and renew their Leases with :func:`keep_alive`. Imported as ``nodeworld`` (registered by
``tests/unit/scheduler/conftest.py``; other directories load it the same way).
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.config import ClusterConfig, NodeConfig
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import rfc3339

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
EVENT = by_gvk("v1", "Event")


def node_obj(name: str, cpu: str = "4", memory: str = "8Gi", pods: str = "110",
             labels: dict[str, str] | None = None, taints: list[dict[str, Any]] | None = None,
             unschedulable: bool = False) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    alloc = {"cpu": cpu, "memory": memory, "pods": pods, "ephemeral-storage": "100Gi"}
    return {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": {"kubernetes.io/hostname": name,
                                              "kubernetes.io/os": "linux", **(labels or {})}},
        "spec": spec,
        "status": {"capacity": dict(alloc), "allocatable": alloc,
                   "conditions": [{"type": "Ready", "status": "True"}]},
    }


def pod_obj(name: str, cpu: str | None = None, memory: str | None = None, ns: str = "default",
            labels: dict[str, str] | None = None, owner: dict[str, Any] | None = None,
            **spec_extra: Any) -> dict[str, Any]:
    requests = {}
    if cpu:
        requests["cpu"] = cpu
    if memory:
        requests["memory"] = memory
    meta: dict[str, Any] = {"name": name, "namespace": ns, "labels": labels or {"app": "web"}}
    if owner:
        meta["ownerReferences"] = [owner]
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": meta,
        "spec": {"containers": [{"name": "c", "image": "nginx:1.10",
                                 "resources": {"requests": requests} if requests else {}}],
                 "schedulerName": "default-scheduler", **spec_extra},
        "status": {"phase": "Pending"},
    }


def make_bare(seed: int = 0) -> Cluster:
    c = Cluster(seed=seed, config=ClusterConfig(nodes=(NodeConfig(name="x", ip="172.16.0.99"),)))
    c.config = c.config.model_copy(update={"nodes": ()})
    for ns in ("default", "kube-system", "kube-node-lease"):
        c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns},
                      "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}},
                     source="test", trusted=True)
    c.loop.advance(SECOND)      # the ServiceAccount controller creates the default accounts
    return c


def add_nodes(cluster: Cluster, *nodes: dict[str, Any]) -> None:
    """Create Ready nodes with exactly the taints given (TaintNodesByCondition admission adds
    ``not-ready:NoSchedule``, which the node lifecycle controller removes once Ready)."""
    for n in nodes:
        created = cluster.api.create(n, source="test", trusted=True)
        if created.get("spec", {}).get("taints") != n.get("spec", {}).get("taints"):
            spec = {**created["spec"], "taints": n["spec"].get("taints") or []}
            if not spec["taints"]:
                del spec["taints"]
            cluster.api.update({**created, "spec": spec}, source="test", trusted=True)
    cluster.loop.advance(SECOND)


def create_pod(cluster: Cluster, pod: dict[str, Any]) -> dict[str, Any]:
    """Create through the whole apiserver pipeline, as kubectl or a controller would."""
    return cluster.api.create(pod, source="test")


def node_of(cluster: Cluster, name: str, ns: str = "default") -> str | None:
    return cluster.api.get(POD, ns, name)["spec"].get("nodeName")


def events_for(cluster: Cluster, name: str, reason: str | None = None) -> list[dict[str, Any]]:
    return [e for e in cluster.api.list(EVENT)
            if e["involvedObject"].get("name") == name
            and (reason is None or e["reason"] == reason)]


LEASE = by_gvk("coordination.k8s.io/v1", "Lease")


def keep_alive(cluster: Cluster, *names: str) -> dict[str, bool]:
    """Renew each node's Lease every 10 s, as its kubelet would, so the node stays Ready.

    Returns a switch board: set ``alive[name] = False`` to stop a node's heartbeat.
    """
    from k8slab.sim.timefmt import rfc3339_micro

    alive = dict.fromkeys(names, True)

    def renew() -> None:
        for name in names:
            if not alive[name]:
                continue
            lease = cluster.api.try_get(LEASE, "kube-node-lease", name)
            spec = {"holderIdentity": name, "leaseDurationSeconds": 40,
                    "renewTime": rfc3339_micro(cluster.loop.now)}
            if lease is None:
                cluster.api.create({"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                                    "metadata": {"name": name, "namespace": "kube-node-lease"},
                                    "spec": spec}, source="test", trusted=True)
            else:
                cluster.api.update({**lease, "spec": spec}, source="test", trusted=True)
        cluster.loop.call_later(10 * SECOND, renew)

    renew()
    return alive


def running_pod(cluster: Cluster, name: str, node: str, **spec: Any) -> dict[str, Any]:
    """A pod bound to ``node`` and reported Running and Ready, as its kubelet would."""
    pod = cluster.api.create(pod_obj(name, nodeName=node, **spec), source="test")
    now = rfc3339(cluster.loop.now)
    status = {**pod.get("status", {}), "phase": "Running", "startTime": now,
              "conditions": [{"type": t, "status": "True", "lastProbeTime": None,
                              "lastTransitionTime": now}
                             for t in ("PodScheduled", "Initialized", "ContainersReady",
                                       "Ready")]}
    return cluster.api.update({**pod, "status": status}, source="test", status=True,
                              trusted=True)



def condition(pod: dict[str, Any], ctype: str) -> dict[str, Any] | None:
    return next((c for c in (pod.get("status") or {}).get("conditions") or ()
                 if c["type"] == ctype), None)


PRIORITY_CLASS = by_gvk("scheduling.k8s.io/v1", "PriorityClass")


def priority_class(cluster: Cluster, name: str, value: int, never: bool = False) -> None:
    """A PriorityClass; pods name it and the Priority admission plugin fills spec.priority."""
    pc: dict[str, Any] = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
                          "metadata": {"name": name}, "value": value}
    if never:
        pc["preemptionPolicy"] = "Never"
    cluster.api.create(pc, source="test")
