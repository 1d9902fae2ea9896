"""Routing outcomes and their timings, as curl would meet them.

References: kubernetes.md §7 (NodePort on every node, ClusterIPs inside the cluster, REJECT
without endpoints); the kernel behaviours the module docstring of ``k8slab/network/model.py``
lists (RST → "Connection refused", failed ARP → "No route to host" after 3 s, silence → a
timeout); the contract in ``k8slab/network/http.py`` (``Exchange`` timings, ``NetError``
kinds and phases).
"""

from __future__ import annotations

import netkit as nk

from k8slab.network.model import ARP_TIMEOUT, SYN_TIMEOUT, WORKSTATION_IP
from k8slab.sim.clock import MILLISECOND, SECOND


def test_nodeport_from_the_workstation_with_its_timings() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    ex = nk.get(tr, "ms.iirii.com", 30044, method="HEAD")
    assert ex.ok and ex.response.status == 200
    assert ex.response.header("Server") == "nginx/1.10.3"
    assert ex.remote_ip == "172.16.0.1" and ex.local_ip == WORKSTATION_IP
    # a VPN across the Internet: ~10 ms per round trip; one for connect, one for the request
    assert 8 * MILLISECOND <= ex.connect <= 11 * MILLISECOND
    assert ex.first_byte > ex.connect
    assert ex.total >= ex.dns + ex.connect + ex.first_byte
    # DNS over the VPN the first time, cached afterwards
    again = nk.get(tr, "ms.iirii.com", 30044)
    assert again.dns < MILLISECOND < ex.dns


def test_every_node_answers_the_node_port() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    for kubelet in cluster.kubelets.values():
        ex = nk.get(tr, kubelet.node.ip, 30044)
        assert ex.ok and ex.response.status == 200, kubelet.node.name


def test_port_without_listener_is_refused() -> None:
    cluster = nk.booted()
    ex = nk.get(nk.workstation(cluster), "ms.iirii.com", 30045)
    assert ex.error is not None and ex.error.kind == "refused"
    assert ex.error.detail == "Connection refused" and ex.error.phase == "connect"
    assert ex.total < 20 * MILLISECOND


def test_service_without_endpoints_is_rejected() -> None:
    """kubernetes.md §7 / proxier.go: a Service with no endpoints gets a REJECT rule."""
    cluster = nk.booted(replicas=0)
    ex = nk.get(nk.workstation(cluster), "ms.iirii.com", 30044)
    assert ex.error is not None and ex.error.kind == "refused"


def test_cluster_ip_is_unreachable_from_the_workstation_but_works_in_a_pod() -> None:
    cluster = nk.booted()
    svc = cluster.api.get(nk.SERVICE, "default", "test-web-svc")
    cip = svc["spec"]["clusterIP"]
    ex = nk.get(nk.workstation(cluster), cip, 8080, connect_timeout=2 * SECOND)
    assert ex.error is not None and ex.error.kind == "timeout"
    assert ex.error.phase == "connect" and ex.total == 2 * SECOND
    ex = nk.get(nk.workstation(cluster), cip, 8080)
    assert ex.error.kind == "timeout" and ex.total == SYN_TIMEOUT  # type: ignore[union-attr]
    pod = nk.ready_pods(cluster)[0]
    inside = nk.container(cluster, pod).transport
    ex = nk.get(inside, "test-web-svc", 8080)
    assert ex.ok and ex.response.status == 200
    assert ex.connect < MILLISECOND  # in-cluster round trips are sub-millisecond
    # the Service port, not the target port: 80 on the ClusterIP matches no rule
    ex = nk.get(inside, cip, 80, connect_timeout=SECOND)
    assert ex.error.kind == "timeout"  # type: ignore[union-attr]


def test_powered_off_node_times_out_outside_and_has_no_route_inside() -> None:
    cluster = nk.booted()
    cluster.fail_node("t.cs.4")
    ex = nk.get(nk.workstation(cluster), "172.16.0.4", 30044, connect_timeout=3 * SECOND)
    assert ex.error.kind == "timeout" and ex.total == 3 * SECOND  # type: ignore[union-attr]
    pod = next(p for p in nk.ready_pods(cluster) if p["spec"]["nodeName"] != "t.cs.4")
    inside = nk.container(cluster, pod).transport
    ex = nk.get(inside, "172.16.0.4", 30044)
    assert ex.error.kind == "unreachable" and ex.error.detail == "No route to host"  # type: ignore[union-attr]
    assert ex.total == ARP_TIMEOUT


def test_a_pod_ip_that_no_longer_exists() -> None:
    cluster = nk.booted()
    pods = nk.ready_pods(cluster)
    gone, other = pods[0], next(p for p in pods[1:] if p["spec"]["nodeName"] !=
                                pods[0]["spec"]["nodeName"])
    ip = gone["status"]["podIP"]
    cluster.api.delete(nk.POD, "default", gone["metadata"]["name"], source="kubectl",
                       grace_period=0)
    cluster.loop.advance(5 * SECOND)
    inside = nk.container(cluster, other).transport
    ex = nk.get(inside, ip, 80)
    assert ex.error.kind == "unreachable" and ex.total == ARP_TIMEOUT  # type: ignore[union-attr]
    ex = nk.get(nk.workstation(cluster), ip, 80, connect_timeout=SECOND)
    assert ex.error.kind == "timeout"  # type: ignore[union-attr]


def test_unknown_names_fail_to_resolve() -> None:
    cluster = nk.booted()
    ex = nk.get(nk.workstation(cluster), "w.nocs.cn", 443)
    assert ex.error.kind == "dns" and ex.response is None  # type: ignore[union-attr]


def test_https_to_a_plain_http_server_is_a_tls_error() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    from k8slab.network.http import Request

    ex = tr.exchange(Request("GET", "https", "ms.iirii.com", 30044, "/", []))
    assert ex.error.kind == "tls"  # type: ignore[union-attr]


def test_probe_and_resolve_of_the_transport() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    assert tr.resolve("ms.iirii.com") == ["172.16.0.1"]
    assert tr.resolve("t.cs.3") == ["172.16.0.3"]
    assert tr.probe("ms.iirii.com", 30044) is None
    failure = tr.probe("ms.iirii.com", 30045)
    assert failure is not None and failure.kind == "refused"


def test_exchanges_are_logged() -> None:
    cluster = nk.booted()
    start = cluster.loop.now
    nk.get(nk.workstation(cluster), "ms.iirii.com", 30044)
    nk.get(nk.workstation(cluster), "ms.iirii.com", 30045)
    rows = list(cluster.network.log.rows(start=start))
    assert [(r.client, r.service, r.status, r.server, r.error) for r in rows] == [
        ("workstation", "default/test-web-svc", 200, "nginx/1.10.3", ""),
        ("workstation", "", 0, "", "refused")]
    assert rows[0].backend in nk.pod_names(cluster)


def test_port_forward_listener_on_the_workstation() -> None:
    """What ``kubectl port-forward pod/x 8080:80`` needs: ``localhost:8080`` on the
    workstation leads into the pod's ``localhost:80`` (no Service, no kube-proxy)."""
    cluster = nk.booted(replicas=1)
    (pod,) = nk.ready_pods(cluster)
    name = pod["metadata"]["name"]
    net = cluster.network
    assert net.pod_port("default", name, 80) is not None
    assert net.pod_port("default", name, 81) is None
    tr = nk.workstation(cluster)
    assert nk.get(tr, "localhost", 8080).error.kind == "refused"  # type: ignore[union-attr]
    tr.add_forward(8080, "default", name, 80)
    ex = nk.get(tr, "localhost", 8080)
    assert ex.response.status == 200 and ex.remote_ip == "127.0.0.1"
    tr.remove_forward(8080)
    assert nk.get(tr, "127.0.0.1", 8080).error.kind == "refused"  # type: ignore[union-attr]


def test_a_node_reaches_cluster_ips_from_its_host_network() -> None:
    """kubernetes.md §7: ClusterIPs work from nodes too (kube-proxy's rules apply to the
    host's own traffic); the pod sees the node's address."""
    cluster = nk.booted(replicas=1)
    cip = cluster.api.get(nk.SERVICE, "default", "test-web-svc")["spec"]["clusterIP"]
    node = cluster.network.node_transport("t.cs.1")
    ex = nk.get(node, cip, 8080)
    assert ex.ok and ex.response.status == 200
    assert node.resolve("t.cs.1") == ["172.16.0.1"]
    row = list(cluster.network.log.rows())[-1]
    assert row.client == "node/t.cs.1" and row.service == "default/test-web-svc"
