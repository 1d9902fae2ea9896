"""ServiceAccount controller and root CA publisher (pkg/controller/serviceaccount,
pkg/controller/certificates/rootcacertpublisher)."""

from __future__ import annotations

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.controllers.rootcacertpublisher import DESCRIPTION, RootCACertPublisher
from k8slab.sim.clock import MILLISECOND, SECOND

SA = by_gvk("v1", "ServiceAccount")
CM = by_gvk("v1", "ConfigMap")
NS = by_gvk("v1", "Namespace")


def _cluster() -> Cluster:
    cluster = Cluster(seed=0)
    RootCACertPublisher(cluster)
    return cluster


def test_every_namespace_gets_a_default_service_account_quickly() -> None:
    cluster = _cluster()
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
                       source="kubectl")
    assert cluster.api.try_get(SA, "demo", "default") is None
    cluster.loop.advance(50 * MILLISECOND)
    sa = cluster.api.get(SA, "demo", "default")
    assert sa["metadata"]["namespace"] == "demo" and "secrets" not in sa


def test_deleted_default_service_account_comes_back() -> None:
    cluster = _cluster()
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
                       source="kubectl")
    cluster.loop.advance(1 * SECOND)
    uid = cluster.api.get(SA, "demo", "default")["metadata"]["uid"]
    cluster.api.delete(SA, "demo", "default", source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.get(SA, "demo", "default")["metadata"]["uid"] != uid


def test_terminating_namespace_gets_nothing() -> None:
    cluster = _cluster()
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
                       source="kubectl")
    cluster.api.delete(NS, "", "demo", source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.try_get(SA, "demo", "default") is None


def test_root_ca_configmap_is_published_and_restored() -> None:
    cluster = _cluster()
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
                       source="kubectl")
    cluster.loop.advance(1 * SECOND)
    cm = cluster.api.get(CM, "demo", "kube-root-ca.crt")
    assert cm["metadata"]["annotations"] == {"kubernetes.io/description": DESCRIPTION}
    pem = cm["data"]["ca.crt"]
    assert pem.startswith("-----BEGIN CERTIFICATE-----\nMIIDBTCCAe2gAwIBAgI")
    assert pem.endswith("-----END CERTIFICATE-----\n")
    cluster.api.update({**cm, "data": {"ca.crt": "tampered"}}, source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.get(CM, "demo", "kube-root-ca.crt")["data"]["ca.crt"] == pem
    other = _cluster()
    other.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo"}},
                     source="kubectl")
    other.loop.advance(1 * SECOND)
    assert other.api.get(CM, "demo", "kube-root-ca.crt")["data"]["ca.crt"] == pem


def test_resource_quota_status_is_counted_and_replenished() -> None:
    from k8slab.controllers.resourcequota import ResourceQuotaController

    cluster = Cluster(seed=0)
    ResourceQuotaController(cluster)
    quota_kind = by_gvk("v1", "ResourceQuota")
    pod_kind = by_gvk("v1", "Pod")
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "q"}},
                       source="kubectl")
    cluster.loop.advance(1 * SECOND)
    cluster.api.create({"apiVersion": "v1", "kind": "ResourceQuota",
                        "metadata": {"name": "compute", "namespace": "q"},
                        "spec": {"hard": {"pods": "2", "requests.cpu": "1"}}}, source="kubectl")
    cluster.loop.advance(1 * SECOND)
    status = cluster.api.get(quota_kind, "q", "compute")["status"]
    assert status == {"hard": {"pods": "2", "requests.cpu": "1"},
                      "used": {"pods": "0", "requests.cpu": "0"}}
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "a",
                                                                        "namespace": "q"},
                        "spec": {"containers": [{"name": "a", "image": "x", "resources": {
                            "requests": {"cpu": "250m"}}}]}}, source="kubectl")
    assert cluster.api.get(quota_kind, "q", "compute")["status"]["used"] == {
        "pods": "1", "requests.cpu": "250m"}
    cluster.api.delete(pod_kind, "q", "a", source="kubectl")
    cluster.loop.advance(1 * SECOND)
    assert cluster.api.get(quota_kind, "q", "compute")["status"]["used"] == {
        "pods": "0", "requests.cpu": "0"}
