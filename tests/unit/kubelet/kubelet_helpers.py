"""Helpers for kubelet tests: pod CIDRs for every node, pod manifests, kubelet events.

The node IPAM controller assigns ``podCIDR``; where it has not (yet) the helper fills in the
same ``10.244.<n>.0/24`` ranges so the kubelet's network becomes ready.
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
EVENT = by_gvk("v1", "Event")


def ensure_pod_cidrs(cluster: Cluster) -> None:
    for i, node in enumerate(cluster.api.list(NODE)):
        if not node["spec"].get("podCIDR"):
            cidr = f"10.244.{i}.0/24"
            cluster.api.update({**node, "spec": {**node["spec"], "podCIDR": cidr,
                                                  "podCIDRs": [cidr]}},
                               source="test", trusted=True)
    cluster.loop.advance(15 * SECOND)


def make_pod(name: str, image: str = "nginx:1.10", node: str = "t.cs.2",
             **container: Any) -> dict[str, Any]:
    c = {"name": container.pop("cname", "app"), "image": image, **container}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": "default"},
            "spec": {"nodeName": node, "containers": [c]}}


def pod_events(cluster: Cluster, name: str) -> list[dict[str, Any]]:
    out = [e for e in cluster.api.list(EVENT, "default")
           if e["involvedObject"].get("name") == name and e["involvedObject"]["kind"] == "Pod"
           and (e.get("source") or {}).get("component") == "kubelet"]
    return sorted(out, key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
