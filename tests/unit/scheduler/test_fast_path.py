"""The equivalence-class fast path places every pod where node-by-node evaluation would.

``k8slab/scheduler/algorithm.py`` groups indistinguishable nodes and evaluates each group once;
the round-robin window (``numFeasibleNodesToFind``), the normalisations and the seeded
tie-break must come out exactly as upstream's per-node ``schedulePod`` would have them.
"""

from __future__ import annotations

from typing import Any

import nodeworld as nw

from k8slab.scheduler.algorithm import num_feasible_nodes_to_find
from k8slab.sim.clock import SECOND


def test_num_feasible_nodes_to_find() -> None:
    """schedule_one.go: all nodes below 100, else max(5, 50 - n/125) % but at least 100."""
    assert num_feasible_nodes_to_find(3) == 3
    assert num_feasible_nodes_to_find(99) == 99
    assert num_feasible_nodes_to_find(150) == 100
    assert num_feasible_nodes_to_find(1000) == 420
    assert num_feasible_nodes_to_find(5000) == 500
    assert num_feasible_nodes_to_find(10000) == 500


def _owner(c: Any, name: str) -> dict[str, Any]:
    sts = c.api.create({
        "apiVersion": "apps/v1", "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": 0, "serviceName": name,
                 "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}},
        source="test")
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "name": name,
            "uid": sts["metadata"]["uid"], "controller": True}


def _run(slow: bool, nodes: int, zones: bool,
         batches: int = 6) -> tuple[list[str | None], int, dict[str, int]]:
    c = nw.make_bare(seed=3)
    c.scheduler.algorithm.force_slow = slow
    objs = []
    for i in range(nodes):
        labels = {"topology.kubernetes.io/zone": f"z{i % 3}"} if zones else {}
        if i % 7 == 0:
            labels["disk"] = "ssd"
        taints = ([{"key": "dedicated", "value": "db", "effect": "NoSchedule"}]
                  if i % 11 == 0 else None)
        prefer = ([{"key": "spot", "effect": "PreferNoSchedule"}] if i % 5 == 0 else [])
        objs.append(nw.node_obj(f"n{i:03d}", cpu="8" if i % 3 else "2",
                                memory="16Gi" if i % 4 else "4Gi", labels=labels,
                                taints=(taints or []) + prefer or None))
    nw.add_nodes(c, *objs)
    web, api = _owner(c, "web"), _owner(c, "api")
    names: list[str] = []
    for batch in range(batches):
        for i in range(40):
            name = f"web-{batch}-{i}"
            nw.create_pod(c, nw.pod_obj(name, owner=web, labels={"app": "web"},
                                        cpu="250m" if i % 2 else None))
            names.append(name)
        for i in range(15):
            name = f"api-{batch}-{i}"
            nw.create_pod(c, nw.pod_obj(name, owner=api, labels={"app": "api"}, cpu="1",
                                        memory="1Gi"))
            names.append(name)
        for i in range(5):
            name = f"bare-{batch}-{i}"
            extra: dict[str, Any] = {"nodeSelector": {"disk": "ssd"}} if i == 0 else {}
            nw.create_pod(c, nw.pod_obj(name, labels={"run": name}, **extra))
            names.append(name)
        c.loop.advance(SECOND)
        if batch == 1:
            # Node objects change under the scheduler: partitions must follow.
            for i in range(0, nodes, 4):
                node = c.api.get(nw.NODE, "", f"n{i:03d}")
                labels = {**node["metadata"]["labels"], "disk": "ssd"}
                spec = dict(node["spec"])
                if i % 8 == 0:
                    spec["taints"] = [*spec.get("taints", []),
                                      {"key": "busy", "effect": "PreferNoSchedule"}]
                c.api.update({**node, "metadata": {**node["metadata"], "labels": labels},
                              "spec": spec}, source="test", trusted=True)
            c.loop.advance(SECOND)
    alg = c.scheduler.algorithm
    return [nw.node_of(c, n) for n in names], alg.next_start, dict(alg.paths)


def test_fast_path_matches_node_by_node_on_a_small_cluster() -> None:
    fast = _run(slow=False, nodes=12, zones=False)
    slow = _run(slow=True, nodes=12, zones=False)
    assert fast[:2] == slow[:2]
    assert len(set(fast[0])) > 5
    assert fast[2]["fast"] > 300 and slow[2]["fast"] == 0


def test_fast_path_matches_node_by_node_with_sampling_and_zones() -> None:
    """150 nodes: only 100 feasible nodes are scored per pod, from a rotating start."""
    fast = _run(slow=False, nodes=150, zones=True, batches=3)
    slow = _run(slow=True, nodes=150, zones=True, batches=3)
    assert fast[:2] == slow[:2]
    assert fast[1] != 0
    assert fast[2]["fast"] > 150
