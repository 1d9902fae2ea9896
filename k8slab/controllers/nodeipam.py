"""The node IPAM controller's range allocator (``pkg/controller/nodeipam/ipam/range_allocator.go``).

kubeadm starts kube-controller-manager with ``--allocate-node-cidrs=true
--cluster-cidr=10.244.0.0/16`` (the lab's ``ClusterConfig.cluster_cidr``) and the default
``--node-cidr-mask-size`` of 24, so every node gets a /24 of its own in ``spec.podCIDR`` and
``spec.podCIDRs``; the kubelet and the CNI carve pod IPs out of it.

Allocation follows ``cidrset.AllocateNext``: a rotating cursor hands out the next free block
after the last one given, so the control plane (registered first) gets ``10.244.0.0/24``, the
next node ``10.244.1.0/24``, and a node that leaves frees its block without the next node
reusing it at once. CIDRs already on nodes (set by hand or before a restart) are marked used.
When the range is exhausted the node gets a ``CIDRNotAvailable`` event.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.store import DELETED
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["CIDRSet", "NodeIpamController"]

Obj = dict[str, Any]
NODE = builtin("v1", "Node")
NODE_CIDR_MASK_SIZE = 24


class CIDRSet:
    """``cidrset.CidrSet``: the cluster CIDR cut into node-sized blocks, with a cursor."""

    def __init__(self, cluster_cidr: str, mask: int = NODE_CIDR_MASK_SIZE) -> None:
        self.network = ipaddress.ip_network(cluster_cidr, strict=False)
        self.mask = max(mask, self.network.prefixlen)
        self.size = 2 ** (self.mask - self.network.prefixlen)
        self.used: dict[int, None] = {}
        self.next_candidate = 0

    def _cidr(self, index: int) -> str:
        base = int(self.network.network_address) + index * 2 ** (self.network.max_prefixlen
                                                                  - self.mask)
        return f"{ipaddress.ip_address(base)}/{self.mask}"

    def _index(self, cidr: str) -> int | None:
        try:
            net = ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            return None
        if net.version != self.network.version or not net.subnet_of(self.network):  # type: ignore[arg-type]
            return None
        offset = int(net.network_address) - int(self.network.network_address)
        return offset // 2 ** (self.network.max_prefixlen - self.mask)

    def allocate_next(self) -> str | None:
        for i in range(self.size):
            candidate = (i + self.next_candidate) % self.size
            if candidate not in self.used:
                self.next_candidate = (candidate + 1) % self.size
                self.used[candidate] = None
                return self._cidr(candidate)
        return None

    def occupy(self, cidr: str) -> None:
        index = self._index(cidr)
        if index is not None:
            self.used[index] = None

    def release(self, cidr: str) -> None:
        index = self._index(cidr)
        if index is not None:
            self.used.pop(index, None)


class NodeIpamController(Controller):
    """Assigns ``spec.podCIDR``/``spec.podCIDRs`` to nodes that have none."""

    name = "node-ipam-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        cidr = cluster.api.options.get("cluster_cidr") or cluster.config.cluster_cidr
        self.cidrs = CIDRSet(cidr)
        # node name → CIDR it holds, so a deleted node's block can be released
        self.assigned: dict[str, str] = {}
        self.recorder = cluster.recorder("cidrAllocator")
        self.watch(NODE, self._on_node)

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        name = node["metadata"]["name"]
        if event == DELETED:
            cidr = self.assigned.pop(name, None)
            if cidr is not None:
                self.cidrs.release(cidr)
            return
        existing = (node.get("spec") or {}).get("podCIDR")
        if existing:
            if self.assigned.get(name) != existing:
                self.assigned[name] = existing
                self.cidrs.occupy(existing)
            return
        self.enqueue(node)

    def sync(self, key: str) -> None:
        node = self.api.try_get(NODE, "", key)
        if node is None or (node.get("spec") or {}).get("podCIDR"):
            return
        cidr = self.assigned.get(key) or self.cidrs.allocate_next()
        if cidr is None:
            self.recorder.event(node, "Normal", "CIDRNotAvailable",
                                f"Node {key} status is now: CIDRNotAvailable")
            return
        self.assigned[key] = cidr
        spec = {**(node.get("spec") or {}), "podCIDR": cidr, "podCIDRs": [cidr]}
        try:
            self.api.update({**node, "spec": spec}, source=self.name, trusted=True)
        except StatusError:
            self.assigned.pop(key, None)
            self.cidrs.release(cidr)
            raise
