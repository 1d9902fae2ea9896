"""What ``kubeadm init`` and ``kubeadm join`` leave behind, recreated on the virtual clock.

The lab starts as a freshly built cluster: the four standard namespaces, the nodes (each kubelet
registers its own Node and reports Ready once its network is up), and the control plane's
objects. Everything is created through the apiserver like on a real cluster, and the loop then
runs until the cluster has settled, so ``kubectl get nodes`` in the first cell shows Ready nodes
a couple of minutes old.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .addons import install_addons
from .api.admission import ensure_system_priority_classes
from .api.servicealloc import ensure_kubernetes_service
from .sim.clock import SECOND

if TYPE_CHECKING:
    from .cluster import Cluster

__all__ = ["SETTLE", "bootstrap"]

# How long the freshly built cluster has been running when the learner gets it.
SETTLE = 120 * SECOND

SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")


def bootstrap(cluster: Cluster) -> None:
    api = cluster.api
    for ns in SYSTEM_NAMESPACES:
        api.create(
            {"apiVersion": "v1", "kind": "Namespace",
             "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}},
            source="kubeadm", trusted=True,
        )
    # What the apiserver creates for itself at start-up.
    ensure_kubernetes_service(api, cluster.config.nodes[0].ip)
    ensure_system_priority_classes(api)
    for node in cluster.config.nodes:
        cluster.add_node(node)
    install_addons(cluster)
    cluster.loop.advance(SETTLE)
