"""Service REST allocation (pkg/registry/core/service/storage/alloc.go, ipallocator,
portallocator) and the ``kubernetes`` Service (kubernetes.md §7)."""

from __future__ import annotations

import copy
import ipaddress

from coreworld import IPADDRESS, SERVICE, create, error, world

from k8slab.api.servicealloc import ensure_kubernetes_service
from k8slab.sim.clock import SECOND


def _svc(name: str, **spec: object) -> dict[str, object]:
    body = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80}]}}
    body["spec"].update(spec)  # type: ignore[union-attr]
    return body


def test_kubernetes_service_gets_the_first_address() -> None:
    cluster = world()
    svc = ensure_kubernetes_service(cluster.api, "172.16.0.1")
    assert svc["spec"]["clusterIP"] == "10.96.0.1"
    assert svc["spec"]["ports"] == [{"name": "https", "port": 443, "protocol": "TCP",
                                     "targetPort": 6443}]
    ep = cluster.api.get(cluster.api.kind_of({"apiVersion": "v1", "kind": "Endpoints"}),
                         "default", "kubernetes")
    assert ep["subsets"] == [{"addresses": [{"ip": "172.16.0.1"}],
                              "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]
    cluster.loop.advance(1 * SECOND)
    ip = cluster.api.get(IPADDRESS, "", "10.96.0.1")
    assert ip["spec"]["parentRef"] == {"group": "", "resource": "services",
                                       "namespace": "default", "name": "kubernetes"}


def test_cluster_ips_are_random_free_addresses_in_the_range() -> None:
    cluster = world()
    ensure_kubernetes_service(cluster.api, "172.16.0.1")
    ips = {create(cluster, _svc(f"s{i}"))["spec"]["clusterIP"] for i in range(20)}
    assert len(ips) == 20
    net = ipaddress.ip_network("10.96.0.0/12")
    assert all(ipaddress.ip_address(ip) in net for ip in ips)
    # The lower 256 addresses are kept for static requests.
    assert all(int(ipaddress.ip_address(ip)) - int(net.network_address) > 256 for ip in ips)


def test_same_seed_same_addresses() -> None:
    first = create(world(seed=7), _svc("a"))["spec"]["clusterIP"]
    again = create(world(seed=7), _svc("a"))["spec"]["clusterIP"]
    assert first == again


def test_requested_cluster_ip_conflicts_and_range() -> None:
    cluster = world()
    create(cluster, _svc("a", clusterIP="10.96.0.10"))
    err = error(cluster, _svc("b", clusterIP="10.96.0.10"))
    assert err.message == ('Service "b" is invalid: spec.clusterIPs: Invalid value: '
                           '["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is '
                           "already allocated")
    err = error(cluster, _svc("c", clusterIP="10.0.0.5"))
    assert err.message.endswith("failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is "
                                "not in the valid range. The range of valid IPs is "
                                "10.96.0.0/12")


def test_node_ports() -> None:
    cluster = world()
    svc = create(cluster, _svc("web", type="NodePort"))
    port = svc["spec"]["ports"][0]["nodePort"]
    assert 30000 + 86 <= port <= 32767
    create(cluster, _svc("fixed", type="NodePort", ports=[{"port": 80, "nodePort": 30044}]))
    err = error(cluster, _svc("clash", type="NodePort", ports=[{"port": 80,
                                                               "nodePort": 30044}]))
    assert err.message == ('Service "clash" is invalid: spec.ports[0].nodePort: Invalid value: '
                           "30044: provided port is already allocated")
    err = error(cluster, _svc("low", type="NodePort", ports=[{"port": 80, "nodePort": 8080}]))
    assert err.message == ('Service "low" is invalid: spec.ports[0].nodePort: Invalid value: '
                           "8080: provided port is not in the valid range. The range of valid "
                           "ports is 30000-32767")
    lb = create(cluster, _svc("lb", type="LoadBalancer"))
    assert lb["spec"]["ports"][0]["nodePort"] and lb["spec"]["allocateLoadBalancerNodePorts"]


def test_release_on_delete_and_headless() -> None:
    cluster = world()
    create(cluster, _svc("a", type="NodePort", ports=[{"port": 80, "nodePort": 30080}],
                         clusterIP="10.96.0.20"))
    cluster.api.delete(SERVICE, "default", "a", source="kubectl")
    again = create(cluster, _svc("b", type="NodePort", ports=[{"port": 80, "nodePort": 30080}],
                                 clusterIP="10.96.0.20"))
    assert again["spec"]["clusterIP"] == "10.96.0.20"
    headless = create(cluster, _svc("h", clusterIP="None"))
    assert headless["spec"]["clusterIPs"] == ["None"]
    assert headless["spec"]["ipFamilyPolicy"] == "SingleStack"


def test_update_keeps_allocations_and_type_change_to_cluster_ip_drops_node_ports() -> None:
    cluster = world()
    svc = create(cluster, _svc("web", type="NodePort"))
    replacement = copy.deepcopy(svc)
    del replacement["spec"]["clusterIP"], replacement["spec"]["clusterIPs"]
    replacement["spec"]["ports"][0].pop("nodePort")
    kept = cluster.api.update(replacement, source="kubectl")
    assert kept["spec"]["clusterIP"] == svc["spec"]["clusterIP"]
    assert kept["spec"]["ports"][0]["nodePort"] == svc["spec"]["ports"][0]["nodePort"]
    to_cluster_ip = copy.deepcopy(kept)
    to_cluster_ip["spec"]["type"] = "ClusterIP"
    done = cluster.api.update(to_cluster_ip, source="kubectl")
    assert "nodePort" not in done["spec"]["ports"][0]
    assert "externalTrafficPolicy" not in done["spec"]
