"""Garbage collector: background, foreground and orphan cascades, dangling owners.

References: upstream ``pkg/controller/garbagecollector/garbagecollector.go``
(``attemptToDeleteItem``, ``processDeletingDependentsItem``, ``orphanDependents``); the
website's "Garbage Collection" page (background is kubectl's default).
"""

from __future__ import annotations

import controller_fakes as fk

from k8slab.sim.clock import MILLISECOND, SECOND


def deployed(**kubelet):
    cluster, kl = fk.world(**kubelet)
    cluster.api.create(fk.deployment(replicas=3), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    return cluster, kl


def test_background_deletion_removes_replica_sets_and_pods():
    cluster, _ = deployed()
    cluster.api.delete(fk.DEPLOYMENT, "default", "web", source="kubectl")
    assert cluster.api.try_get(fk.DEPLOYMENT, "default", "web") is None  # gone at once
    cluster.loop.advance(20 * MILLISECOND)
    assert cluster.api.list(fk.REPLICASET, "default") == []
    terminating = cluster.api.list(fk.POD, "default")
    assert len(terminating) == 3
    assert all(p["metadata"].get("deletionTimestamp") for p in terminating)
    cluster.loop.advance(2 * SECOND)
    assert cluster.api.list(fk.POD, "default") == []


def test_foreground_deletion_waits_for_blocking_dependents():
    cluster, _ = deployed(terminate_after=5 * SECOND)
    cluster.api.delete(fk.DEPLOYMENT, "default", "web", source="kubectl",
                       propagation="Foreground")
    cluster.loop.advance(1 * SECOND)
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    assert d["metadata"]["finalizers"] == ["foregroundDeletion"]
    (rs,) = cluster.api.list(fk.REPLICASET, "default")
    # the ReplicaSet has dependents of its own: it is deleted in foreground too
    assert rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert all(p["metadata"].get("deletionTimestamp")
               for p in cluster.api.list(fk.POD, "default"))
    cluster.loop.advance(3 * SECOND)
    assert cluster.api.try_get(fk.DEPLOYMENT, "default", "web") is not None
    cluster.loop.advance(3 * SECOND)  # pods gone → RS gone → Deployment gone
    assert cluster.api.list(fk.POD, "default") == []
    assert cluster.api.list(fk.REPLICASET, "default") == []
    assert cluster.api.try_get(fk.DEPLOYMENT, "default", "web") is None


def test_orphan_deletion_keeps_dependents():
    cluster, _ = deployed()
    (rs,) = cluster.api.list(fk.REPLICASET, "default")
    cluster.api.delete(fk.DEPLOYMENT, "default", "web", source="kubectl", propagation="Orphan")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.try_get(fk.DEPLOYMENT, "default", "web") is None
    (kept,) = cluster.api.list(fk.REPLICASET, "default")
    assert kept["metadata"]["uid"] == rs["metadata"]["uid"]
    assert "ownerReferences" not in kept["metadata"]
    assert len(cluster.api.list(fk.POD, "default")) == 3
    # the pods still belong to the (now ownerless) ReplicaSet
    assert all(p["metadata"]["ownerReferences"][0]["name"] == rs["metadata"]["name"]
               for p in cluster.api.list(fk.POD, "default"))


def test_dependent_of_a_missing_owner_is_collected():
    cluster, _ = fk.world()
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "lost", "ownerReferences": [{
               "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "gone",
               "uid": "00000000-0000-4000-8000-000000000000"}]},
           "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    cluster.api.create(pod, source="kubectl")
    cluster.loop.advance(3 * SECOND)
    assert cluster.api.try_get(fk.POD, "default", "lost") is None


def test_live_owner_keeps_dependent():
    cluster, _ = deployed()
    cluster.loop.advance(5 * SECOND)
    assert len(cluster.api.list(fk.POD, "default")) == 3
    assert len(cluster.api.list(fk.REPLICASET, "default")) == 1
