"""ReplicaSet controller: pod creation, slow start, burst, deletion order, claims, status.

References: kubernetes.md §2 and §0.3; upstream ``pkg/controller/replicaset/replica_set.go``,
``replica_set_utils.go`` and ``pkg/controller/controller_utils.go`` (``RealPodControl``
events, ``slowStartBatch``, ``ActivePodsWithRanks``, ``IsPodAvailable``).
"""

from __future__ import annotations

import copy

import controller_fakes as fk

from k8slab.api.errors import forbidden
from k8slab.controllers.replicaset import get_pods_to_delete
from k8slab.sim.clock import MILLISECOND, SECOND
from k8slab.sim.rand import NAME_ALPHABET
from k8slab.sim.timefmt import rfc3339


def replica_set(name="frontend", replicas=3, **spec):
    rs = fk.deployment(name, replicas=replicas, **spec)
    rs["kind"] = "ReplicaSet"
    return rs


def pods(cluster, ns="default"):
    return cluster.api.list(fk.POD, ns)


def rs_status(cluster, name="frontend"):
    return cluster.api.get(fk.REPLICASET, "default", name)["status"]


def test_pods_are_built_from_the_template():
    cluster, _ = fk.world()
    rs = cluster.api.create(replica_set(replicas=3), source="kubectl")
    cluster.loop.advance(3 * SECOND)
    created = pods(cluster)
    assert len(created) == 3
    for pod in created:
        meta = pod["metadata"]
        assert meta["generateName"] == "frontend-"
        suffix = meta["name"][len("frontend-"):]
        assert len(suffix) == 5 and set(suffix) <= set(NAME_ALPHABET)  # §0.3
        assert meta["labels"] == {"app": "frontend"}
        assert meta["ownerReferences"] == [{
            "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "frontend",
            "uid": rs["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]
        assert pod["spec"]["enableServiceLinks"] is True  # the Pod-only default
    # copy-on-write: the pods share the template's sub-dicts (admission copies what it
    # changes, e.g. each pod's kube-api-access volume)
    assert created[0]["spec"]["securityContext"] is created[1]["spec"]["securityContext"]
    assert (created[0]["spec"]["containers"][0]["resources"]
            is created[1]["spec"]["containers"][0]["resources"])
    assert created[0]["metadata"]["labels"] is created[1]["metadata"]["labels"]
    assert sorted(fk.events(cluster, "SuccessfulCreate")) == sorted(
        f"Created pod: {p['metadata']['name']}" for p in created)
    assert rs_status(cluster) == {
        "replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
        "terminatingReplicas": 0, "observedGeneration": 1}


def test_slow_start_batches_stop_at_the_first_failure():
    """§2: batches 1, 2, 4 …; a failing batch ends the sync; FailedCreate + ReplicaFailure."""
    cluster, _ = fk.world()
    attempts = []

    def quota(obj, operation, old):
        if obj.get("kind") == "Pod" and operation == "CREATE":
            attempts.append(obj["metadata"]["name"])
            if len(attempts) > 3:
                raise forbidden("pods", obj["metadata"]["name"],
                                "exceeded quota: pods, requested: pods=1, used: pods=3, "
                                "limited: pods=3")
    cluster.api.validating += (quota,)
    cluster.api.create(replica_set(replicas=20), source="kubectl")
    cluster.loop.advance(4 * MILLISECOND)
    assert len(attempts) == 1 + 2 + 4
    assert len(pods(cluster)) == 3
    cluster.loop.advance(2 * MILLISECOND)
    status = rs_status(cluster)
    (cond,) = status["conditions"]
    assert (cond["type"], cond["status"], cond["reason"]) == ("ReplicaFailure", "True",
                                                              "FailedCreate")
    assert cond["message"].startswith('pods "frontend-') and "exceeded quota" in cond["message"]
    failed = fk.events(cluster, "FailedCreate")
    assert failed and all(m.startswith("Error creating: pods \"frontend-") for m in failed)
    cluster.api.validating = tuple(p for p in cluster.api.validating if p is not quota)
    cluster.loop.advance(30 * SECOND)  # retried with back-off
    assert len(pods(cluster)) == 20
    assert "conditions" not in rs_status(cluster)


def test_burst_replicas_caps_one_sync():
    cluster, _ = fk.world()
    cluster.api.create(replica_set(replicas=1200), source="kubectl")
    cluster.loop.advance(4 * MILLISECOND)  # RS watch 2 ms + queue 1 ms: one sync
    assert len(pods(cluster)) == 500
    fk.run_until(cluster, lambda: rs_status(cluster).get("availableReplicas") == 1200)


def test_deletion_order_not_ready_then_cost_then_rank():
    cluster, kubelet = fk.world()
    cluster.api.create(replica_set(replicas=5), source="kubectl")
    fk.run_until(cluster, lambda: rs_status(cluster).get("availableReplicas") == 5)
    by_name = sorted(pods(cluster), key=lambda p: p["metadata"]["name"])
    not_ready, cheap, precious = by_name[0], by_name[1], by_name[2]
    kubelet.set_ready(not_ready, False)

    def cost(value):
        def mutate(p):
            p["metadata"].setdefault("annotations", {})[
                "controller.kubernetes.io/pod-deletion-cost"] = value
            return p
        return mutate
    cluster.api.patch(fk.POD, "default", cheap["metadata"]["name"], cost("-5"), source="x")
    cluster.api.patch(fk.POD, "default", precious["metadata"]["name"], cost("100"), source="x")
    cluster.loop.advance(1 * SECOND)

    def scale(rs):
        rs["spec"]["replicas"] = 3
        return rs
    cluster.api.patch(fk.REPLICASET, "default", "frontend", scale, source="kubectl")
    cluster.loop.advance(10 * MILLISECOND)
    deleted = [m.removeprefix("Deleted pod: ") for m in fk.events(cluster, "SuccessfulDelete")]
    assert sorted(deleted) == sorted([not_ready["metadata"]["name"],
                                      cheap["metadata"]["name"]])


def test_unscheduled_pods_go_first():
    cluster, kubelet = fk.world()
    cluster.api.create(replica_set(replicas=2), source="kubectl")
    fk.run_until(cluster, lambda: rs_status(cluster).get("availableReplicas") == 2)
    kubelet.enabled = False  # the next pod stays unscheduled

    def scale(n):
        def mutate(rs):
            rs["spec"]["replicas"] = n
            return rs
        return mutate
    cluster.api.patch(fk.REPLICASET, "default", "frontend", scale(3), source="kubectl")
    cluster.loop.advance(1 * SECOND)
    (pending,) = [p for p in pods(cluster) if not p["spec"].get("nodeName")]
    cluster.api.patch(fk.REPLICASET, "default", "frontend", scale(2), source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert fk.events(cluster, "SuccessfulDelete") == [
        f"Deleted pod: {pending['metadata']['name']}"]
    # an unscheduled pod is deleted at once (no kubelet to wait for)
    assert pending["metadata"]["name"] not in {p["metadata"]["name"] for p in pods(cluster)}


def _pod(name, uid, created, ready=None, node="n1", restarts=0):
    conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(ready)}] \
        if ready is not None else [{"type": "Ready", "status": "False"}]
    return {"metadata": {"name": name, "uid": uid, "creationTimestamp": rfc3339(created)},
            "spec": {"nodeName": node},
            "status": {"phase": "Running", "conditions": conditions,
                       "containerStatuses": [{"restartCount": restarts}]}}


def test_logarithmic_scale_down_compares_age_buckets_then_uid():
    """controller_utils.go: ready times on a log2 scale; same bucket → UID order."""
    now = 1_000_000 * SECOND
    young = _pod("young", "u-9", now - 100 * SECOND, ready=now - 10 * SECOND)
    old_a = _pod("old-a", "u-2", now - 5000 * SECOND, ready=now - 3000 * SECOND)
    old_b = _pod("old-b", "u-1", now - 5000 * SECOND, ready=now - 3500 * SECOND)
    crashy = _pod("crashy", "u-5", now - 100 * SECOND, ready=now - 10 * SECOND, restarts=4)
    order = [p["metadata"]["name"] for p in get_pods_to_delete(
        [old_a, old_b, young, crashy], [old_a, old_b, young, crashy], 3, now)]
    # recently ready first; within young, more restarts first; old ones share a bucket
    # (2^41 ns ≈ 36.6 min ≤ 3000 s, 3500 s < 2^42 ns) so the smaller UID goes first
    assert order == ["crashy", "young", "old-b"]


def test_adopts_orphans_and_releases_relabelled_pods():
    cluster, _ = fk.world()
    orphan = {"apiVersion": "v1", "kind": "Pod",
              "metadata": {"name": "stray", "labels": {"app": "frontend"}},
              "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]}}
    cluster.api.create(orphan, source="kubectl")
    rs = cluster.api.create(replica_set(replicas=2), source="kubectl")
    fk.run_until(cluster, lambda: rs_status(cluster).get("availableReplicas") == 2)
    stray = cluster.api.get(fk.POD, "default", "stray")
    assert stray["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"]
    assert len(pods(cluster)) == 2  # the orphan counts as one of the two

    def relabel(p):
        p["metadata"]["labels"] = {"app": "debug"}
        return p
    cluster.api.patch(fk.POD, "default", "stray", relabel, source="kubectl")
    fk.run_until(cluster, lambda: len(pods(cluster)) == 3
                 and rs_status(cluster).get("availableReplicas") == 2)
    assert "ownerReferences" not in cluster.api.get(fk.POD, "default", "stray")["metadata"]


def test_min_ready_seconds_requeue_makes_pods_available():
    cluster, _ = fk.world(ready_after=1 * SECOND)
    cluster.api.create(replica_set(replicas=2, minReadySeconds=5), source="kubectl")
    cluster.loop.advance(3 * SECOND)
    status = rs_status(cluster)
    assert status["readyReplicas"] == 2 and "availableReplicas" not in status
    cluster.loop.advance(5 * SECOND)  # nothing else happens: the delayed requeue does it
    assert rs_status(cluster)["availableReplicas"] == 2


def test_inactive_and_terminating_pods_are_not_counted():
    cluster, _ = fk.world(terminate_after=30 * SECOND)
    cluster.api.create(replica_set(replicas=2), source="kubectl")
    fk.run_until(cluster, lambda: rs_status(cluster).get("availableReplicas") == 2)
    first, second = sorted(pods(cluster), key=lambda p: p["metadata"]["name"])
    failed = copy.deepcopy(first)
    failed["status"]["phase"] = "Failed"
    cluster.api.update(failed, source="kubelet", status=True, trusted=True)
    cluster.api.delete(fk.POD, "default", second["metadata"]["name"], source="kubectl")
    cluster.loop.advance(2 * SECOND)
    status = rs_status(cluster)
    assert status["replicas"] == 2 and status["availableReplicas"] == 2
    assert status["terminatingReplicas"] == 1  # the deleted pod is still shutting down
    assert len(pods(cluster)) == 4


def test_view_label_verdicts_follow_a_new_basis():
    """The view remembers its verdicts for the labels map the pods of a template share; a new
    selector or template labels must not reuse them."""
    from k8slab.controllers.replicaset import _View

    labels = {"app": "web", "tier": "front"}

    def pod(name):
        return {"metadata": {"name": name, "labels": labels}, "status": {"phase": "Running"}}

    def rs(selector, template_labels):
        return {"spec": {"selector": {"matchLabels": selector},
                         "template": {"metadata": {"labels": template_labels}}}}

    view = _View()
    view.rebase(rs({"app": "web"}, {"app": "web", "tier": "front"}))
    view.add("a", pod("a"))
    view.add("b", pod("b"))
    assert view.fully == 2 and not view.mismatched
    view.rebase(rs({"app": "api"}, {"app": "web", "tier": "back"}))
    assert view.fully == 0 and set(view.mismatched) == {"a", "b"}
    view.add("c", pod("c"))
    assert view.fully == 0 and set(view.mismatched) == {"a", "b", "c"}
    view.remove("a")
    assert view.fully == 0 and set(view.mismatched) == {"b", "c"}


def test_view_controller_key_follows_the_references_list_and_namespace():
    """The view remembers the controller reference and queue key of the last ownerReferences
    list (shared by a template's pods); another list, or the same list read for a pod of
    another namespace, must not reuse them."""
    from k8slab.controllers.replicaset import _View

    def refs(name):
        return [{"kind": "Deployment", "name": "other", "uid": "u0"},
                {"kind": "ReplicaSet", "name": name, "uid": "u1", "controller": True}]

    view = _View()
    first = refs("web-1")
    ref, key = view.controller_key("default", first)
    assert ref is first[1] and key == "default/web-1"
    assert view.controller_key("default", first) == (first[1], "default/web-1")
    second = refs("web-2")
    assert view.controller_key("default", second) == (second[1], "default/web-2")
    assert view.controller_key("prod", second) == (second[1], "prod/web-2")


def test_pod_becoming_ready_while_its_key_is_queued_still_schedules_the_min_ready_check():
    """A counted pod's update skips reading its ReplicaSet when the key is already queued,
    unless the pod became ready: the delayed minReadySeconds re-check needs the ReplicaSet."""
    from k8slab.api.store import MODIFIED
    from k8slab.controllers.replicaset import is_pod_ready

    cluster, _ = fk.world(ready_after=60 * SECOND)
    cluster.api.create(replica_set(replicas=1, minReadySeconds=5), source="kubectl")
    cluster.loop.advance(3 * SECOND)
    controller = cluster.controller_manager.controllers["replicaset"]
    (view,) = controller._views.values()
    (old,) = view.active.values()
    assert not is_pod_ready(old)
    ready = copy.deepcopy(old)
    ready["metadata"]["resourceVersion"] = str(int(old["metadata"]["resourceVersion"]) + 1)
    ready["metadata"]["ownerReferences"] = old["metadata"]["ownerReferences"]
    ready["metadata"]["labels"] = old["metadata"]["labels"]
    ready["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    controller.queue.add("default/frontend")
    assert controller.queue.queued("default/frontend")
    controller._on_pod(MODIFIED, ready, old)
    assert "default/frontend" in controller.queue._delayed
    assert view.ready[old["metadata"]["name"]] is ready
