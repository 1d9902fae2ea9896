"""A bare cluster for apiserver tests: the system namespaces and their ``default``
ServiceAccounts, without nodes, kubelets or add-ons (so nothing but the apiserver and the
controller manager acts)."""

from __future__ import annotations

import copy
from typing import Any

from k8slab.api.errors import StatusError
from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
SERVICE = by_gvk("v1", "Service")
NAMESPACE = by_gvk("v1", "Namespace")
NODE = by_gvk("v1", "Node")
SA = by_gvk("v1", "ServiceAccount")
CONFIGMAP = by_gvk("v1", "ConfigMap")
QUOTA = by_gvk("v1", "ResourceQuota")
IPADDRESS = by_gvk("networking.k8s.io/v1", "IPAddress")


def world(seed: int = 0) -> Cluster:
    cluster = Cluster(seed=seed)
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                           source="kubeadm")
    cluster.loop.advance(1 * SECOND)
    return cluster


def create(cluster: Cluster, body: Obj) -> Obj:
    """POST as kubectl does (an untrusted body)."""
    return cluster.api.create(copy.deepcopy(body), source="kubectl")


def error(cluster: Cluster, body: Obj) -> StatusError:
    try:
        cluster.api.create(copy.deepcopy(body), source="kubectl")
    except StatusError as err:
        return err
    raise AssertionError("the create was accepted")


def pod(name: str = "web", **spec: Any) -> Obj:
    body: Obj = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                 "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}
    body["spec"].update(spec)
    return body
