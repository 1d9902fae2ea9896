"""Namespace controller: content deletion, status conditions, finalization.

References: kubernetes.md §8.6 (Active/Terminating); upstream
``pkg/controller/namespace/deletion/namespaced_resources_deleter.go`` (condition types,
reasons and messages, ``finalizerEstimateSeconds``, estimate/2+1 requeue).
"""

from __future__ import annotations

import controller_fakes as fk

from k8slab.sim.clock import SECOND


def test_deleting_a_namespace_empties_it_then_removes_it():
    cluster, _ = fk.world(terminate_after=30 * SECOND)
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}},
                       source="kubectl")
    cluster.loop.advance(1 * SECOND)
    cluster.api.create({**fk.deployment(replicas=3), "metadata": {
        "name": "web", "namespace": "shop", "labels": {"app": "web"}}}, source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster, namespace="shop"))
    cluster.api.delete(fk.NAMESPACE, "", "shop", source="kubectl")
    cluster.loop.advance(1 * SECOND)
    ns = cluster.api.get(fk.NAMESPACE, "", "shop")
    assert ns["status"]["phase"] == "Terminating"
    assert cluster.api.list(fk.DEPLOYMENT, "shop") == []
    conditions = {c["type"]: c for c in ns["status"]["conditions"]}
    assert list(conditions) == [
        "NamespaceDeletionDiscoveryFailure", "NamespaceDeletionGroupVersionParsingFailure",
        "NamespaceDeletionContentFailure", "NamespaceContentRemaining",
        "NamespaceFinalizersRemaining"]
    assert (conditions["NamespaceDeletionDiscoveryFailure"]["status"],
            conditions["NamespaceDeletionDiscoveryFailure"]["reason"],
            conditions["NamespaceDeletionDiscoveryFailure"]["message"]) == (
        "False", "ResourcesDiscovered", "All resources successfully discovered")
    remaining = conditions["NamespaceContentRemaining"]
    assert (remaining["status"], remaining["reason"]) == ("True", "SomeResourcesRemain")
    assert "pods. has 3 resource instances" in remaining["message"]
    assert conditions["NamespaceFinalizersRemaining"]["reason"] == "ContentHasNoFinalizers"
    # pods take their 30 s; the controller looks again after 30/2+1 s, then finalizes
    cluster.loop.advance(20 * SECOND)
    assert cluster.api.try_get(fk.NAMESPACE, "", "shop") is not None
    cluster.loop.advance(30 * SECOND)
    assert cluster.api.list(fk.POD, "shop") == []
    assert cluster.api.try_get(fk.NAMESPACE, "", "shop") is None


def test_empty_namespace_goes_quickly():
    cluster, _ = fk.world()
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tmp"}},
                       source="kubectl")
    cluster.loop.advance(1 * SECOND)
    cluster.api.delete(fk.NAMESPACE, "", "tmp", source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.try_get(fk.NAMESPACE, "", "tmp") is None
