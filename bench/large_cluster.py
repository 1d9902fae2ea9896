"""Benchmark: 1,000 nodes and a 30,000-replica Deployment until every pod is available.

Run: ``python bench/large_cluster.py [--nodes 1000] [--replicas 30000]``. Prints one JSON line
with wall-clock seconds for each phase, the virtual time the rollout took, and the peak resident
memory of this process. (The wall clock is read here, in the benchmark, never in the library.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8slab import _native
from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.config import ClusterConfig, NodeConfig, Taint
from k8slab.sim.clock import SECOND

DEPLOYMENT = by_gvk("apps/v1", "Deployment")


def big_config(nodes: int) -> ClusterConfig:
    cfg = [NodeConfig(name="t.cs.1", role="control-plane", ip="172.16.0.1", cpu=2,
                      memory_mib=4096,
                      taints=(Taint(key="node-role.kubernetes.io/control-plane",
                                    effect="NoSchedule"),))]
    for i in range(2, nodes + 1):
        cfg.append(NodeConfig(name=f"t.cs.{i}", ip=f"172.{16 + i // 65536}.{(i // 256) % 256}."
                              f"{i % 256}"))
    # kube-controller-manager hands every node a /24 of the cluster CIDR: the default
    # 10.244.0.0/16 has room for 256 nodes only (the others would never get a podCIDR, stay
    # NotReady and leave pods unschedulable), so a big cluster is built with a bigger one, as
    # `kubeadm init --pod-network-cidr` would be given.
    blocks = 1 << max(0, (nodes - 1).bit_length() - 8)
    prefix = 16 - (blocks.bit_length() - 1)
    return ClusterConfig(nodes=tuple(cfg), node_cidr="172.16.0.0/12",
                         cluster_cidr=f"10.244.0.0/{prefix}")


def create_web(cluster: Cluster, replicas: int) -> None:
    """The benchmark's Deployment: ``replicas`` nginx pods, created as ``kubectl`` would."""
    cluster.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.10",
                                             "ports": [{"containerPort": 80}]}]},
                },
            },
        },
        source="kubectl",
    )


class Rollout:
    """The harness's wait for the benchmark's Deployment, as ``kubectl rollout status`` waits.

    kubectl learns the Deployment's status from a watch; so does the harness, so its own cost
    is one delivery per Deployment write instead of a read after every write. :meth:`rolling`
    is the loop's condition, checked after every callback.
    """

    def __init__(self, cluster: Cluster, replicas: int) -> None:
        self.replicas = replicas
        current = cluster.api.get(DEPLOYMENT, "default", "web")
        self._available = _available(current)
        cluster.api.watch(DEPLOYMENT, self._on_deployment, name="bench")

    def _on_deployment(self, event: str, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        meta = obj["metadata"]
        if meta["name"] == "web" and meta.get("namespace") == "default":
            self._available = _available(obj)

    def available(self) -> int:
        return self._available

    def rolling(self) -> bool:
        return self._available < self.replicas


def _available(deployment: dict[str, Any]) -> int:
    return int((deployment.get("status") or {}).get("availableReplicas") or 0)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--replicas", type=int, default=30000)
    parser.add_argument("--limit", type=int, default=3600, help="virtual seconds to allow")
    parser.add_argument("--skip-teardown", action="store_true",
                        help="end the process right after printing, without the interpreter's "
                             "final collection of the cluster (for tools that count the whole "
                             "process, such as valgrind)")
    args = parser.parse_args()

    t0 = time.perf_counter()
    cluster = Cluster(seed=0, config=big_config(args.nodes))
    cluster.boot()
    t1 = time.perf_counter()
    start_virtual = cluster.loop.now
    create_web(cluster, args.replicas)

    rollout = Rollout(cluster, args.replicas)
    done = cluster.loop.run_while(rollout.rolling, limit=args.limit * SECOND, poll=SECOND)
    t2 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "nodes": args.nodes,
        "replicas": args.replicas,
        "all_available": done,
        # The hot modules from the compiled build (make native) or from their .py files.
        "compiled": _native.active(),
        "available": rollout.available(),
        "boot_wall_s": round(t1 - t0, 2),
        "rollout_wall_s": round(t2 - t1, 2),
        "total_wall_s": round(t2 - t0, 2),
        "rollout_virtual_s": round((cluster.loop.now - start_virtual) / SECOND, 1),
        "loop_steps": cluster.loop.steps,
        "store_revision": cluster.api.revision,
        "trace_records": len(cluster.trace),
        "peak_rss_mib": round(peak_kib / 1024, 1),
    }))
    status = 0 if done else 1
    if args.skip_teardown:
        sys.stdout.flush()
        os._exit(status)
    return status


if __name__ == "__main__":
    sys.exit(main())
