"""Rolling updates, proportional scaling and Recreate against the reference.

Each test cites the section of ``../shared/reference/kubernetes.md`` it checks. The scheduler
and kubelets are replaced by the controllers' fake kubelet (``tests/unit/controllers/fakes.py``)
so that *when* pods become ready is under the test's control; everything else is the real
apiserver and kube-controller-manager.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from k8slab.controllers.deployment import util
from k8slab.sim.clock import SECOND


def _fakes():
    name = "controller_fakes"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "unit" / "controllers" / "fakes.py"
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


fk = _fakes()
SURGE_1_UNAV_1 = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}


def rolled(cluster, image="nginx:1.26"):
    """Start a rollout to ``image``; return (old RS name, index of the first new event)."""
    (old,) = cluster.api.list(fk.REPLICASET, "default")
    start = len(fk.scaling_events(cluster))
    fk.set_image(cluster, "web", image)
    return old["metadata"]["name"], start


def new_rs_name(cluster):
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    return util.find_new_replica_set(d, cluster.api.list(fk.REPLICASET, "default"))[
        "metadata"]["name"]


def pairs(events, old, new):
    """Turn scaling events into the (old, new) spec.replicas sequence of §1.4."""
    sizes = {old: 10, new: 0}
    out = [(10, 0)]
    for message in events:
        words = message.split()  # Scaled up replica set <name> from <a> to <b>
        sizes[words[4]] = int(words[-1])
        out.append((sizes[old], sizes[new]))
    return out


def test_case_a_every_pod_available_before_the_next_sync():
    """kubernetes.md §1.4 case A: (10,0)→(10,1)→(9,1)→(9,2)→(7,2)→…→(0,10), 12 events."""
    cluster, _ = fk.world(tick=5 * SECOND)
    cluster.api.create(fk.deployment(replicas=10, strategy=SURGE_1_UNAV_1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, start = rolled(cluster)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    events = fk.scaling_events(cluster)[start:]
    assert len(events) == 12
    assert pairs(events, old, new_rs_name(cluster)) == [
        (10, 0), (10, 1), (9, 1), (9, 2), (7, 2), (7, 4), (5, 4), (5, 6), (3, 6), (3, 8),
        (1, 8), (1, 10), (0, 10)]


def test_case_b_pods_available_one_at_a_time():
    """kubernetes.md §1.4 case B: same shape in steps of 1."""
    cluster, _ = fk.world(tick=2 * SECOND, serial=True)
    cluster.api.create(fk.deployment(replicas=10, strategy=SURGE_1_UNAV_1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, start = rolled(cluster)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    got = pairs(fk.scaling_events(cluster)[start:], old, new_rs_name(cluster))
    expected = [(10, 0), (10, 1), (9, 1)]
    for new in range(2, 11):
        expected += [(11 - new, new), (10 - new, new)]
    assert got == expected


def test_bounds_hold_at_every_observed_instant():
    """kubernetes.md §1.4: replicas 10, surge 1, unavailable 1 → the ReplicaSets' replicas add
    up to 9…11 and at least 9 pods stay available at every instant the trace records."""
    cluster, _ = fk.world(tick=3 * SECOND)
    cluster.api.create(fk.deployment(replicas=10, strategy=SURGE_1_UNAV_1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    first = len(cluster.trace)
    rolled(cluster)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    spec: dict[str, int] = {}
    serving: set[str] = set()  # pods that are ready and not being deleted
    checked = 0
    for record in cluster.trace:
        if record.action == "event":
            continue
        if record.kind == "ReplicaSet" and record.action != "remove":
            spec[record.name] = record.detail["replicas"]
        elif record.kind == "Pod":
            if record.action in ("delete", "remove") or not record.detail.get("ready"):
                serving.discard(record.name)
            else:
                serving.add(record.name)
        else:
            continue
        if record.seq >= first:
            checked += 1
            assert 9 <= sum(spec.values()) <= 11, record
            assert len(serving) >= 9, record
    assert checked > 50


def test_rollout_stalls_when_new_pods_never_become_available():
    """kubernetes.md §1.4: "the rollout stalls at (9,2)"."""
    cluster, _ = fk.world(ready=lambda pod: "bad" not in pod["spec"]["containers"][0]["image"])
    cluster.api.create(fk.deployment(replicas=10, strategy=SURGE_1_UNAV_1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, start = rolled(cluster, image="nginx:bad")
    cluster.loop.advance(120 * SECOND)
    assert pairs(fk.scaling_events(cluster)[start:], old, new_rs_name(cluster))[-1] == (9, 2)


def test_default_strategy_first_pass():
    """kubernetes.md §1.4: 25 %/25 % with 10 replicas → first pass new 3, old 8."""
    cluster, _ = fk.world(ready_after=60 * SECOND)
    cluster.api.create(fk.deployment(replicas=10), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, start = rolled(cluster)
    cluster.loop.advance(1 * SECOND)
    assert pairs(fk.scaling_events(cluster)[start:], old, new_rs_name(cluster)) == [
        (10, 0), (10, 3), (8, 3), (8, 5)]


def test_proportional_scaling_docs_example():
    """kubernetes.md §1.7: stuck rollout (old 8, new 5), scale 10 → 15 → old 11, new 7."""
    cluster, _ = fk.world(ready=lambda pod: "bad" not in pod["spec"]["containers"][0]["image"])
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}
    cluster.api.create(fk.deployment(replicas=10, strategy=strategy), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, _ = rolled(cluster, image="nginx:bad")
    cluster.loop.advance(30 * SECOND)
    new = new_rs_name(cluster)
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"]
             for rs in cluster.api.list(fk.REPLICASET, "default")}
    assert (sizes[old], sizes[new]) == (8, 5)
    before = len(fk.scaling_events(cluster))
    fk.scale(cluster, "web", 15)
    cluster.loop.advance(1 * SECOND)
    sizes = {rs["metadata"]["name"]: rs["spec"]["replicas"]
             for rs in cluster.api.list(fk.REPLICASET, "default")}
    assert (sizes[old], sizes[new]) == (11, 7)
    assert fk.scaling_events(cluster)[before:] == [
        f"Scaled up replica set {old} from 8 to 11", f"Scaled up replica set {new} from 5 to 7"]


def test_recreate_never_overlaps_old_and_new_pods():
    """kubernetes.md §1.8: old pods are gone (not just scaled to 0) before new ones exist."""
    cluster, _ = fk.world(terminate_after=10 * SECOND)
    cluster.api.create(fk.deployment(replicas=3, strategy={"type": "Recreate"}),
                       source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old, start = rolled(cluster)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    new = new_rs_name(cluster)
    assert fk.scaling_events(cluster)[start:] == [
        f"Scaled down replica set {old} from 3 to 0", f"Scaled up replica set {new} from 0 to 3"]
    pod_records = [r for r in cluster.trace if r.kind == "Pod" and r.action != "event"]
    last_old_removal = max(r.time for r in pod_records
                           if r.action == "remove" and r.name.startswith(old))
    first_new_pod = min(r.time for r in pod_records
                        if r.action == "create" and r.name.startswith(new))
    assert first_new_pod > last_old_removal
    assert first_new_pod - last_old_removal < 1 * SECOND  # the pod watch wakes the controller
