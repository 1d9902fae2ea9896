"""Cluster DNS as pods and the workstation see it.

References: kubernetes.md §7 (``<svc>.<ns>.svc.cluster.local`` A records, headless → pod IPs,
pod resolv.conf with the namespace search path and ``ndots:5``); CoreDNS answers only while
``kube-dns`` has ready endpoints (kube-proxy REJECTs a Service without endpoints); the
workstation's resolver and the offline lab network as docs/realism.md describes them.
"""

from __future__ import annotations

from netkit_loader import load_netkit

from k8slab.api.kinds import by_gvk
from k8slab.network.http import NetError
from k8slab.sim.clock import SECOND

nk = load_netkit()
DEPLOYMENT = by_gvk("apps/v1", "Deployment")
NAMESPACE = by_gvk("v1", "Namespace")


def _resolver(transport):  # type: ignore[no-untyped-def]
    def resolve(name: str) -> list[str] | str:
        try:
            return transport.resolve(name)
        except NetError as err:
            return err.kind
    return resolve


def _pod_in(cluster, namespace: str, name: str = "client", **spec):  # type: ignore[no-untyped-def]
    if cluster.api.try_get(NAMESPACE, "", namespace) is None:
        cluster.api.create({"apiVersion": "v1", "kind": "Namespace",
                            "metadata": {"name": namespace}}, source="kubectl")
        cluster.loop.advance(SECOND)
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                        "spec": {"containers": [{"name": "sleep", "image": "dustise/sleep"}],
                                 **spec}},
                       source="kubectl", namespace=namespace)
    cluster.loop.advance(40 * SECOND)
    pod = cluster.api.get(nk.POD, namespace, name)
    return nk.container(cluster, pod).transport


def test_service_names_from_the_same_and_another_namespace() -> None:
    cluster = nk.booted()
    cip = cluster.api.get(nk.SERVICE, "default", "test-web-svc")["spec"]["clusterIP"]
    same = _resolver(_pod_in(cluster, "default"))
    assert same("test-web-svc") == [cip]
    assert same("test-web-svc.default.svc.cluster.local") == [cip]
    other = _resolver(_pod_in(cluster, "team-b"))
    assert other("test-web-svc") == "dns"            # team-b.svc.cluster.local first…
    assert other("test-web-svc.default") == [cip]    # …svc.cluster.local second
    assert other("kubernetes.default.svc") == ["10.96.0.1"]


def test_headless_service_resolves_to_ready_pods() -> None:
    cluster = nk.booted(replicas=3)
    cluster.api.create(nk.service(name="web-headless", type_="ClusterIP", node_port=None,
                                  clusterIP="None"), source="kubectl", namespace="default")
    cluster.loop.advance(SECOND)
    resolve = _resolver(_pod_in(cluster, "default"))
    ips = resolve("web-headless")
    assert sorted(ips) == sorted(p["status"]["podIP"] for p in nk.ready_pods(cluster))


def test_resolution_needs_coredns_running() -> None:
    cluster = nk.booted()
    transport = _pod_in(cluster, "default")
    resolve = _resolver(transport)
    cip = resolve("test-web-svc")
    assert isinstance(cip, list)
    dep = cluster.api.get(DEPLOYMENT, "kube-system", "coredns")
    cluster.api.update({**dep, "spec": {**dep["spec"], "replicas": 0}}, source="kubectl",
                       trusted=True)
    cluster.loop.advance(20 * SECOND)
    assert resolve("test-web-svc") == "dns"
    # addresses still work: only names are gone
    assert nk.get(transport, cip[0], 8080).response.status == 200
    dep = cluster.api.get(DEPLOYMENT, "kube-system", "coredns")
    cluster.api.update({**dep, "spec": {**dep["spec"], "replicas": 2}}, source="kubectl",
                       trusted=True)
    cluster.loop.advance(30 * SECOND)
    assert resolve("test-web-svc") == cip


def test_names_outside_the_cluster_fail_as_offline() -> None:
    cluster = nk.booted()
    resolve = _resolver(_pod_in(cluster, "default"))
    assert resolve("w.nocs.cn") == "dns"
    assert resolve("t.cs.2") == ["172.16.0.2"]      # the lab network's DNS knows its machines


def test_dns_policy_default_uses_the_node_resolver() -> None:
    cluster = nk.booted()
    resolve = _resolver(_pod_in(cluster, "default", name="nodedns", dnsPolicy="Default"))
    assert resolve("test-web-svc") == "dns"
    assert resolve("t.cs.3") == ["172.16.0.3"]


def test_the_workstation_resolver() -> None:
    """docs/realism.md: ms.iirii.com points at the control-plane node (the talk reaches every
    NodePort through it); machine names resolve; localhost is /etc/hosts'; others fail."""
    cluster = nk.booted()
    resolve = _resolver(nk.workstation(cluster))
    assert resolve("ms.iirii.com") == ["172.16.0.1"]
    assert resolve("t.cs.4") == ["172.16.0.4"]
    assert resolve("localhost") == ["127.0.0.1"]
    assert resolve("test-web-svc") == "dns"
    assert resolve("example.org") == "dns"
