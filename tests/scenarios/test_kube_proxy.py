"""kube-proxy as the data path: random picks per connection, ClientIP affinity, traffic
policies and source addresses, stale rules on a node whose kube-proxy is gone, flushed rules
after a reboot.

References: kubernetes.md §7 (iptables mode: uniform random endpoint per new connection;
``sessionAffinity: ClientIP``; NodePort on every node); ``pkg/proxy/topology.go``
(externalTrafficPolicy Local uses local endpoints only); ``pkg/proxy/iptables/proxier.go``
(masquerading of Cluster-policy external traffic, DROP for Local without local endpoints);
kube-proxy keeps no state across a reboot (iptables rules live in the kernel).
"""

from __future__ import annotations

import json
from collections import Counter

from netkit_loader import load_netkit

from k8slab.api.kinds import by_gvk
from k8slab.network.model import WORKSTATION_IP
from k8slab.sim.clock import SECOND

nk = load_netkit()
DAEMONSET = by_gvk("apps/v1", "DaemonSet")


def test_new_connections_spread_uniformly_over_the_pods() -> None:
    """kubernetes.md §7: "chooses a backend at random" — 400 curls over 4 pods, each pod
    within ±3σ of 100."""
    cluster = nk.booted(replicas=4)
    start = cluster.loop.now
    nk.curl_loop(cluster, nk.workstation(cluster), "ms.iirii.com", 30044, 400, every=10**6)
    counts = nk.backend_counts(cluster, start)
    assert set(counts) == nk.pod_names(cluster)
    assert all(70 <= n <= 130 for n in counts.values()), counts


def test_client_ip_affinity_pins_the_workstation() -> None:
    """kubernetes.md §7: sessionAffinity ClientIP pins a client IP (default 10800 s)."""
    cluster = nk.booted(replicas=4, with_service=False)
    cluster.api.create(nk.service(sessionAffinity="ClientIP"), source="kubectl",
                       namespace="default")
    cluster.loop.advance(2 * SECOND)
    svc = cluster.api.get(nk.SERVICE, "default", "test-web-svc")
    assert svc["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}
    start = cluster.loop.now
    nk.curl_loop(cluster, nk.workstation(cluster), "ms.iirii.com", 30044, 50)
    assert len(nk.backend_counts(cluster, start)) == 1


def _httpbin(cluster, policy: str):  # type: ignore[no-untyped-def]
    dep = nk.deployment(name="httpbin", replicas=1, image="kennethreitz/httpbin")
    dep["spec"]["template"]["spec"]["nodeSelector"] = {"kubernetes.io/hostname": "t.cs.3"}
    cluster.api.create(dep, source="kubectl", namespace="default")
    cluster.api.create(nk.service(name="httpbin", app="httpbin", node_port=30080, port=8000,
                                  externalTrafficPolicy=policy),
                       source="kubectl", namespace="default")
    cluster.loop.advance(90 * SECOND)  # a 200 MB image to pull


def _origin(ex) -> str:  # type: ignore[no-untyped-def]
    return json.loads(ex.response.body)["origin"]


def test_cluster_policy_masquerades_and_local_policy_keeps_the_client() -> None:
    """proxier.go: external traffic with policy Cluster is masqueraded (flannel shows the
    node's ``10.244.N.0`` for a remote endpoint, its bridge ``.1`` for a local one); Local keeps
    the client address and answers only on nodes with a local endpoint."""
    cluster = nk.booted(replicas=0, with_service=False, settle=SECOND)
    _httpbin(cluster, "Cluster")
    ws = nk.workstation(cluster)
    remote = nk.get(ws, "172.16.0.2", 30080, "/ip")       # t.cs.2 → pod on t.cs.3
    local = nk.get(ws, "172.16.0.3", 30080, "/ip")        # the pod's own node
    assert _origin(remote) == cluster.network.pod_gateway("t.cs.2", network_address=True)
    assert _origin(local) == cluster.network.pod_gateway("t.cs.3")
    svc = cluster.api.get(nk.SERVICE, "default", "httpbin")
    cluster.api.update({**svc, "spec": {**svc["spec"], "externalTrafficPolicy": "Local"}},
                       source="kubectl", trusted=True)
    cluster.loop.advance(2 * SECOND)
    assert _origin(nk.get(ws, "172.16.0.3", 30080, "/ip")) == WORKSTATION_IP
    dropped = nk.get(ws, "172.16.0.2", 30080, "/ip", connect_timeout=2 * SECOND)
    assert dropped.error.kind == "timeout"  # type: ignore[union-attr]


def test_a_node_without_kube_proxy_keeps_stale_rules() -> None:
    """Rules are programmed by the kube-proxy pods: take the DaemonSet's pod off t.cs.2 and
    that node keeps routing to the endpoints it knew, while the others follow changes."""
    cluster = nk.booted(replicas=2)
    ds = cluster.api.get(DAEMONSET, "kube-system", "kube-proxy")
    spec = ds["spec"]["template"]["spec"]
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
        "nodeSelectorTerms": [{"matchExpressions": [{"key": "kubernetes.io/hostname",
                                                     "operator": "NotIn",
                                                     "values": ["t.cs.2"]}]}]}}}
    cluster.api.update({**ds, "spec": {**ds["spec"], "template": {
        **ds["spec"]["template"], "spec": {**spec, "affinity": affinity}}}},
        source="kubectl", trusted=True)
    cluster.loop.advance(60 * SECOND)
    proxy = cluster.network.proxy
    assert not proxy._ready("t.cs.2") and proxy._ready("t.cs.3")
    before = proxy.version("t.cs.2")
    old = nk.pod_names(cluster)
    dep = cluster.api.get(nk.DEPLOYMENT, "default", "test-web-deployment")
    tmpl = dep["spec"]["template"]
    cluster.api.update({**dep, "spec": {**dep["spec"], "template": {**tmpl, "spec": {
        **tmpl["spec"], "containers": [{**tmpl["spec"]["containers"][0],
                                        "image": "nginx:1.11"}]}}}},
        source="kubectl", trusted=True)
    cluster.loop.advance(60 * SECOND)
    assert proxy.version("t.cs.2") == before < proxy.version("t.cs.3")
    new = nk.pod_names(cluster)
    assert not (old & new)
    ws = nk.workstation(cluster)
    fresh = nk.get(ws, "172.16.0.3", 30044, method="HEAD")
    assert fresh.response.header("Server") == "nginx/1.11.13"
    # t.cs.2 still DNATs to the deleted pods' addresses: nobody answers there any more
    stale = [nk.get(ws, "172.16.0.2", 30044, method="HEAD") for _ in range(5)]
    assert all(ex.error is not None for ex in stale)


def test_a_rebooted_node_has_no_rules_until_its_kube_proxy_syncs() -> None:
    cluster = nk.booted(replicas=2)
    proxy = cluster.network.proxy
    cluster.fail_node("t.cs.2")
    cluster.loop.advance(5 * SECOND)
    assert proxy.table("t.cs.2") is None
    cluster.restore_node("t.cs.2")
    assert proxy.table("t.cs.2") is None
    ws = nk.workstation(cluster)
    assert nk.get(ws, "172.16.0.2", 30044).error.kind == "refused"  # type: ignore[union-attr]
    cluster.loop.advance(60 * SECOND)
    assert proxy.table("t.cs.2") is proxy.tables[-1]
    assert nk.get(ws, "172.16.0.2", 30044).response.status == 200


def test_traffic_log_names_client_service_and_pod() -> None:
    cluster = nk.booted(replicas=2)
    start = cluster.loop.now
    nk.curl_loop(cluster, nk.workstation(cluster), "ms.iirii.com", 30044, 10)
    rows = list(cluster.network.log.rows(start=start))
    assert Counter((r.client, r.service, r.server) for r in rows) == Counter(
        {("workstation", "default/test-web-svc", "nginx/1.10.3"): 10})
