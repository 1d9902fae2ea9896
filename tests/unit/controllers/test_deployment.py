"""Deployment controller: new ReplicaSets, revisions, annotations, status, pause, deadline.

References: kubernetes.md §0.3 (names), §1.3–§1.9; upstream
``pkg/controller/deployment/{sync,progress,rolling}.go`` and ``util/deployment_util.go``.
"""

from __future__ import annotations

import controller_fakes as fk
import pytest

from k8slab.api.errors import StatusError
from k8slab.controllers.deployment import util
from k8slab.sim.clock import MILLISECOND, SECOND

REV = "deployment.kubernetes.io/revision"


def only_rs(cluster):
    (rs,) = cluster.api.list(fk.REPLICASET, "default")
    return rs


def test_new_replica_set_shape_and_events():
    cluster, _ = fk.world()
    d = cluster.api.create(fk.deployment(replicas=3), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    rs = only_rs(cluster)
    pod_hash = util.compute_hash(d["spec"]["template"])
    # §0.3: <deployment>-<pod-template-hash>, label on RS, selector and template
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": pod_hash}}
    assert rs["spec"]["template"]["metadata"]["labels"]["pod-template-hash"] == pod_hash
    assert rs["metadata"]["ownerReferences"] == [{
        "apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
        "uid": d["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
    # §1.9 annotations: revision, desired replicas, replicas + maxSurge (3 → surge 1)
    assert rs["metadata"]["annotations"] == {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4", REV: "1"}
    # §1.6 / sync.go: a new RS is announced "from 0" (current master wording)
    assert fk.scaling_events(cluster) == [f"Scaled up replica set web-{pod_hash} from 0 to 3"]
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert d["metadata"]["annotations"] == {REV: "1"}
    assert d["metadata"]["generation"] == 1
    status = d["status"]
    assert {k: v for k, v in status.items() if k != "conditions"} == {
        "observedGeneration": 1, "replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
        "availableReplicas": 3, "terminatingReplicas": 0}
    conds = {c["type"]: c for c in status["conditions"]}
    assert [c["type"] for c in status["conditions"]] == ["Available", "Progressing"]
    assert (conds["Available"]["reason"], conds["Available"]["message"]) == (
        "MinimumReplicasAvailable", "Deployment has minimum availability.")
    assert (conds["Progressing"]["status"], conds["Progressing"]["reason"],
            conds["Progressing"]["message"]) == (
        "True", "NewReplicaSetAvailable", f'ReplicaSet "web-{pod_hash}" has successfully '
        "progressed.")


def test_status_while_pods_are_not_ready():
    cluster, _ = fk.world(ready_after=30 * SECOND)
    cluster.api.create(fk.deployment(replicas=4), source="kubectl")
    cluster.loop.advance(5 * SECOND)
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    conds = {c["type"]: c for c in d["status"]["conditions"]}
    # §1.5: 0 available < 4 - 1 → MinimumReplicasUnavailable; unavailable = Σspec − available
    assert (conds["Available"]["status"], conds["Available"]["reason"]) == (
        "False", "MinimumReplicasUnavailable")
    assert d["status"]["unavailableReplicas"] == 4
    assert conds["Progressing"]["reason"] == "ReplicaSetUpdated"
    assert conds["Progressing"]["message"].endswith(" is progressing.")
    assert util.rollout_status(d) == (
        'Waiting for deployment "web" rollout to finish: 0 of 4 updated replicas are '
        "available...\n", False)


def test_change_cause_is_copied_but_not_last_applied():
    cluster, _ = fk.world()
    body = fk.deployment()
    body["metadata"]["annotations"] = {
        "kubernetes.io/change-cause": "kubectl create --filename=web.yaml --record=true",
        "kubectl.kubernetes.io/last-applied-configuration": "{}"}
    cluster.api.create(body, source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    ann = only_rs(cluster)["metadata"]["annotations"]
    assert ann["kubernetes.io/change-cause"] == "kubectl create --filename=web.yaml --record=true"
    assert "kubectl.kubernetes.io/last-applied-configuration" not in ann

    # a later annotation change on the Deployment reaches the current RS (§1.9)
    def annotate(d):
        d["metadata"]["annotations"]["kubernetes.io/change-cause"] = "second"
        return d
    cluster.api.patch(fk.DEPLOYMENT, "default", "web", annotate, source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert only_rs(cluster)["metadata"]["annotations"]["kubernetes.io/change-cause"] == "second"


def test_default_strategy_three_replicas_event_order():
    """kubernetes.md §1.4 (last paragraph): replicas 3, surge 1, unavailable 0."""
    cluster, _ = fk.world(tick=5 * SECOND)
    cluster.api.create(fk.deployment(replicas=3), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    old = only_rs(cluster)["metadata"]["name"]
    before = len(fk.scaling_events(cluster))
    fk.set_image(cluster, "web", "nginx:1.26")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    new = util.find_new_replica_set(cluster.api.get(fk.DEPLOYMENT, "default", "web"),
                                    cluster.api.list(fk.REPLICASET, "default"))
    n = new["metadata"]["name"]
    assert fk.scaling_events(cluster)[before:] == [
        f"Scaled up replica set {n} from 0 to 1",
        f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {n} from 1 to 2",
        f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {n} from 2 to 3",
        f"Scaled down replica set {old} from 1 to 0",
    ]


def test_matching_template_reuses_the_old_replica_set():
    """§1.9: same template → same hash → same RS, revision max+1, history kept."""
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=2, image="nginx:1.25"), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    first = only_rs(cluster)["metadata"]["name"]
    fk.set_image(cluster, "web", "nginx:1.26")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    fk.set_image(cluster, "web", "nginx:1.25")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    by_rev = fk.rs_by_revision(cluster)
    assert sorted(by_rev) == ["2", "3"]
    assert by_rev["3"]["metadata"]["name"] == first
    assert by_rev["3"]["metadata"]["annotations"][
        "deployment.kubernetes.io/revision-history"] == "1"
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert d["metadata"]["annotations"][REV] == "3"
    assert len(cluster.api.list(fk.REPLICASET, "default")) == 2


def test_revision_history_limit_cleans_up_old_replica_sets():
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=1, revisionHistoryLimit=2), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    for tag in ("1.26", "1.27", "1.28", "1.29"):
        fk.set_image(cluster, "web", f"nginx:{tag}")
        fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    cluster.loop.advance(2 * SECOND)
    # §1.9: the oldest by revision go; 2 old + the new one stay
    assert sorted(fk.rs_by_revision(cluster), key=int) == ["3", "4", "5"]


def test_paused_deployment_does_not_roll_out():
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=2), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))

    def pause(d, value=True):
        d["spec"]["paused"] = value
        return d
    cluster.api.patch(fk.DEPLOYMENT, "default", "web", pause, source="kubectl")
    fk.set_image(cluster, "web", "nginx:1.26")
    cluster.loop.advance(10 * SECOND)
    assert len(cluster.api.list(fk.REPLICASET, "default")) == 1
    cond = util.condition(cluster.api.get(fk.DEPLOYMENT, "default", "web")["status"],
                          "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown", "DeploymentPaused", "Deployment is paused")
    cluster.api.patch(fk.DEPLOYMENT, "default", "web", lambda d: pause(d, False),
                      source="kubectl")
    # the first sync after the resume (watch 2 ms + queue 1 ms) records it
    cluster.loop.advance(3 * MILLISECOND)
    cond = util.condition(cluster.api.get(fk.DEPLOYMENT, "default", "web")["status"],
                          "Progressing")
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "Unknown", "DeploymentResumed", "Deployment is resumed")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    assert len(cluster.api.list(fk.REPLICASET, "default")) == 2


def test_progress_deadline_exceeded():
    cluster, _ = fk.world(ready=lambda pod: "broken" not in str(pod["spec"]["containers"]))
    cluster.api.create(fk.deployment(replicas=2, progressDeadlineSeconds=30), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    fk.set_image(cluster, "web", "nginx:broken")
    cluster.loop.advance(20 * SECOND)
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert util.condition(d["status"], "Progressing")["reason"] == "ReplicaSetUpdated"
    cluster.loop.advance(20 * SECOND)
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    cond = util.condition(d["status"], "Progressing")
    new = util.find_new_replica_set(d, cluster.api.list(fk.REPLICASET, "default"))
    assert (cond["status"], cond["reason"], cond["message"]) == (
        "False", "ProgressDeadlineExceeded",
        f'ReplicaSet "{new["metadata"]["name"]}" has timed out progressing.')
    with pytest.raises(ValueError, match='deployment "web" exceeded its progress deadline'):
        util.rollout_status(d)
    # the deadline does not roll back (§1.5): old pods keep serving
    assert len([p for p in cluster.api.list(fk.POD, "default")
                if "1.25" in p["spec"]["containers"][0]["image"]]) >= 1


def test_scaling_a_complete_deployment():
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=3), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    name = only_rs(cluster)["metadata"]["name"]
    fk.scale(cluster, "web", 5)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    rs = only_rs(cluster)
    assert rs["spec"]["replicas"] == 5
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "5"
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "7"
    assert fk.scaling_events(cluster)[-1] == f"Scaled up replica set {name} from 3 to 5"
    fk.scale(cluster, "web", 1)
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    assert fk.scaling_events(cluster)[-1] == f"Scaled down replica set {name} from 5 to 1"
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert d["status"]["observedGeneration"] == d["metadata"]["generation"] == 3


def test_min_ready_seconds_is_copied_and_delays_availability():
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=2, minReadySeconds=10), source="kubectl")
    cluster.loop.advance(5 * SECOND)
    rs = only_rs(cluster)
    assert rs["spec"]["minReadySeconds"] == 10
    assert rs["status"]["readyReplicas"] == 2
    assert "availableReplicas" not in rs["status"]
    fk.run_until(cluster, lambda: fk.rollout_done(cluster), limit=30 * SECOND)
    # ready at ~1s, available strictly after 11s
    assert cluster.loop.now - cluster.loop.start > 11 * SECOND


def test_hash_collision_bumps_collision_count():
    cluster, _ = fk.world()
    body = fk.deployment(replicas=1)
    created = cluster.api.create(body, source="kubectl")
    cluster.api.delete(fk.DEPLOYMENT, "default", "web", source="kubectl")
    cluster.loop.advance(1)
    pod_hash = util.compute_hash(created["spec"]["template"])
    # someone else's RS already uses the name the Deployment wants
    squatter = fk.deployment(replicas=0, image="busybox")
    squatter["kind"] = "ReplicaSet"
    squatter["metadata"]["name"] = f"web-{pod_hash}"
    squatter["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    squatter["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    cluster.api.create(squatter, source="kubectl")
    cluster.api.create(fk.deployment(replicas=1), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert d["status"]["collisionCount"] == 1
    new = util.find_new_replica_set(d, cluster.api.list(fk.REPLICASET, "default"))
    assert new["metadata"]["name"] == f"web-{util.compute_hash(d['spec']['template'], 1)}"


def test_orphan_replica_set_is_adopted():
    cluster, _ = fk.world()
    created = cluster.api.create(fk.deployment(replicas=2), source="kubectl")
    pod_hash = util.compute_hash(created["spec"]["template"])
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    cluster.api.delete(fk.DEPLOYMENT, "default", "web", source="kubectl",
                       propagation="Orphan")
    cluster.loop.advance(5 * SECOND)
    rs = only_rs(cluster)
    assert "ownerReferences" not in rs["metadata"]
    d = cluster.api.create(fk.deployment(replicas=2), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    rs = only_rs(cluster)
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["metadata"]["ownerReferences"][0]["uid"] == d["metadata"]["uid"]


def test_conflicting_status_write_is_retried():
    """One sync writes the Deployment twice when it creates the RS; the second write gets a
    Conflict (stale resourceVersion, as with upstream's lister copy) and is retried."""
    cluster, _ = fk.world()
    cluster.api.create(fk.deployment(replicas=1), source="kubectl")
    controller = cluster.controller_manager.controllers["deployment"]
    seen: list[str] = []
    original = controller.syncHandler

    def spy(key: str) -> None:
        try:
            original(key)
        except StatusError as err:
            seen.append(err.reason)
            raise
    controller.syncHandler = spy
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    assert seen[:1] == ["Conflict"]
