"""LoadBalancer Services with the lab's MetalLB (layer 2).

References: kubernetes.md §7 ("Without a cloud controller, LoadBalancer EXTERNAL-IP stays
<pending>"; LoadBalancer also gets nodePorts; ``kubectl get svc`` columns); the talk's
``kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer``; MetalLB
``controller/service.go`` (``IPAllocated`` "Assigned IP %q", ``AllocationFailed``), its
layer-2 speaker (``nodeAssigned``) and the 1.37 apiserver's ``ipMode: VIP`` default.
"""

from __future__ import annotations

from netkit_loader import load_netkit

from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

nk = load_netkit()
EVENT = by_gvk("v1", "Event")


def _events(lab, name: str) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    return [(e["reason"], e["source"].get("component", ""), e["message"])
            for e in lab.api.list(EVENT, "default") if e["involvedObject"]["name"] == name]


def test_expose_gets_an_external_ip_and_it_serves(lab) -> None:  # type: ignore[no-untyped-def]
    r = lab.sh("kubectl apply -f manifests/05-rolling-update/test-web-deployment.yaml\n"
               "kubectl expose deployment test-web-deployment --port=80 --type=LoadBalancer\n"
               "sleep 30")
    assert r.exit_code == 0
    svc = lab.api.get(nk.SERVICE, "default", "test-web-deployment")
    assert svc["status"]["loadBalancer"] == {"ingress": [{"ip": "172.16.0.240",
                                                          "ipMode": "VIP"}]}
    assert svc["metadata"]["annotations"]["metallb.io/ip-allocated-from-pool"] == "default"
    assert svc["spec"]["ports"][0]["nodePort"] >= 30000
    table = lab.kubectl("get svc test-web-deployment").stdout.splitlines()
    assert table[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert table[1].split()[1:4] == ["LoadBalancer", svc["spec"]["clusterIP"], "172.16.0.240"]
    events = _events(lab, "test-web-deployment")
    assert ("IPAllocated", "metallb-controller", 'Assigned IP ["172.16.0.240"]') in events
    announce = [e for e in events if e[0] == "nodeAssigned"]
    assert len(announce) == 1 and announce[0][1] == "metallb-speaker"
    node = lab.cluster.network.lb.announcer("172.16.0.240")
    assert announce[0][2] == f'announcing from node "{node}" with protocol "layer2"'
    assert node != "t.cs.1"  # kubeadm labels the control plane exclude-from-external-LBs
    ex = nk.get(lab.workstation.transport, "172.16.0.240", 80, method="HEAD")
    assert ex.response.status == 200 and ex.response.header("Server") == "nginx/1.10.3"
    # and the node port of the same Service still works through ms.iirii.com
    port = svc["spec"]["ports"][0]["nodePort"]
    assert nk.get(lab.workstation.transport, "ms.iirii.com", port).response.status == 200


def test_pool_exhaustion_leaves_pending_and_frees_on_delete() -> None:
    cluster = nk.booted(replicas=1, with_service=False)
    lb = cluster.network.lb
    lb.pool = lb.pool[:2]
    for i in range(3):
        cluster.api.create(nk.service(name=f"lb{i}", type_="LoadBalancer", node_port=None),
                           source="kubectl", namespace="default")
    cluster.loop.advance(2 * SECOND)
    ips = [((cluster.api.get(nk.SERVICE, "default", f"lb{i}")["status"].get("loadBalancer")
             or {}).get("ingress") or [{}])[0].get("ip") for i in range(3)]
    assert ips == ["172.16.0.240", "172.16.0.241", None]
    failed = [e["message"] for e in cluster.api.list(EVENT, "default")
              if e["reason"] == "AllocationFailed"]
    assert failed == ['Failed to allocate IP for "default/lb2": no available IPs']
    cluster.api.delete(nk.SERVICE, "default", "lb0", source="kubectl")
    cluster.loop.advance(2 * SECOND)
    lb2 = cluster.api.get(nk.SERVICE, "default", "lb2")
    assert lb2["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.16.0.240"


def test_disabled_load_balancer_stays_pending_and_type_change_releases() -> None:
    cluster = nk.booted(replicas=1, with_service=False)
    cluster.network.lb.enabled = False
    cluster.api.create(nk.service(name="pending", type_="LoadBalancer", node_port=None),
                       source="kubectl", namespace="default")
    cluster.loop.advance(2 * SECOND)
    assert cluster.api.get(nk.SERVICE, "default", "pending")["status"] == {"loadBalancer": {}}
    cluster.network.lb.enabled = True
    cluster.api.create(nk.service(name="lb", type_="LoadBalancer", node_port=None),
                       source="kubectl", namespace="default")
    cluster.loop.advance(2 * SECOND)
    svc = cluster.api.get(nk.SERVICE, "default", "lb")
    assert svc["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.16.0.240"
    cluster.api.update({**svc, "spec": {**svc["spec"], "type": "ClusterIP"}},
                       source="kubectl", trusted=True)
    cluster.loop.advance(2 * SECOND)
    svc = cluster.api.get(nk.SERVICE, "default", "lb")
    assert svc["status"] == {"loadBalancer": {}}
    assert "metallb.io/ip-allocated-from-pool" not in (svc["metadata"].get("annotations")
                                                        or {})
    assert cluster.network.lb.announcer("172.16.0.240") is None
    ex = nk.get(nk.workstation(cluster), "172.16.0.240", 8080, connect_timeout=SECOND)
    assert ex.error.kind == "timeout"  # type: ignore[union-attr]


def test_announcing_node_fails_over() -> None:
    cluster = nk.booted(replicas=2, with_service=False)
    cluster.api.create(nk.service(name="lb", type_="LoadBalancer", node_port=None, port=80),
                       source="kubectl", namespace="default")
    cluster.loop.advance(2 * SECOND)
    lb = cluster.network.lb
    first = lb.announcer("172.16.0.240")
    cluster.fail_node(first)  # type: ignore[arg-type]
    second = lb.announcer("172.16.0.240")
    assert second not in (None, first)
    pods_alive = [p for p in nk.ready_pods(cluster) if p["spec"]["nodeName"] != first]
    if pods_alive:
        ex = nk.get(nk.workstation(cluster), "172.16.0.240", 80, connect_timeout=SECOND)
        assert ex.error is None or ex.error.kind in ("timeout", "reset", "unreachable")
