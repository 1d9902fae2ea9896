"""Helpers for scheduler tests: a cluster without kubelets, nodes and pods written directly.

The kubelet registers real nodes; these tests create Node objects themselves (the contract the
kubelet fulfils: labels, allocatable cpu/memory/pods/ephemeral-storage, a Ready condition).
"""

from __future__ import annotations

from typing import Any

import pytest

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.config import ClusterConfig, NodeConfig
from k8slab.sim.clock import SECOND

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


@pytest.fixture
def bare() -> Cluster:
    """A cluster whose nodes are written by the test (no kubelets, no add-ons)."""
    return make_bare()


def make_bare(seed: int = 0) -> Cluster:
    c = Cluster(seed=seed, config=ClusterConfig(nodes=(NodeConfig(name="x", ip="172.16.0.99"),)))
    c.config = c.config.model_copy(update={"nodes": ()})
    for ns in ("default", "kube-system"):
        c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns},
                      "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}},
                     source="test", trusted=True)
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
