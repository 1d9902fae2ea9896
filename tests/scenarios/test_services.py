"""Services end to end: NodePort allocation through kubectl, readiness gating traffic,
endpoints following readiness, and probes that leave the node.

References: kubernetes.md §7 (NodePort range 30000–32767, "kube-proxy routes only to ready
endpoints"), §4.2–§4.3 (readiness failures take a pod out of its Services), §9.4 (Invalid
messages); the talk's manifests (manifests/04-services/test-web-svc.yaml) and its
liveness-http probe to w.nocs.cn (manifests/07-health/liveness-http.yaml).
"""

from __future__ import annotations

from collections import Counter

from netkit_loader import load_netkit

from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

nk = load_netkit()
EVENT = by_gvk("v1", "Event")

SECOND_SVC = """apiVersion: v1
kind: Service
metadata:
  name: {name}
spec:
  type: NodePort
  selector:
    app: test-web-deployment
  ports:
    - port: 80
      nodePort: {port}
"""


def test_node_port_conflict_and_range_end_to_end(lab) -> None:  # type: ignore[no-untyped-def]
    """kubernetes.md §7 node port range; §9.4 one-cause Invalid message."""
    ok = lab.sh("kubectl apply -f manifests/04-services/test-web-svc.yaml")
    assert ok.exit_code == 0 and ok.stdout == "service/test-web-svc created\n"
    clash = lab.apply(SECOND_SVC.format(name="clash", port=30044))
    assert clash.exit_code == 1
    assert ('The Service "clash" is invalid: spec.ports[0].nodePort: Invalid value: 30044: '
            "provided port is already allocated") in clash.stderr
    low = lab.apply(SECOND_SVC.format(name="low", port=29999))
    assert low.exit_code == 1
    assert ("spec.ports[0].nodePort: Invalid value: 29999: provided port is not in the valid "
            "range. The range of valid ports is 30000-32767") in low.stderr
    # the failed creates changed nothing: 30044 still leads to the first Service
    svc = lab.api.get(nk.SERVICE, "default", "test-web-svc")
    assert svc["spec"]["ports"][0]["nodePort"] == 30044
    assert lab.api.try_get(nk.SERVICE, "default", "clash") is None


def test_no_request_reaches_a_pod_that_is_not_ready() -> None:
    """kubernetes.md §7: kube-proxy routes only to ready endpoints. One pod's readiness probe
    asks nginx for a page it does not have (404 → probe failure), so it never gets ready."""
    cluster = nk.booted(replicas=3)
    bad = nk.deployment(name="test-web-bad", replicas=1)
    bad["spec"]["template"]["metadata"]["labels"]["app"] = "test-web-deployment"
    bad["spec"]["selector"]["matchLabels"] = {"app": "test-web-deployment", "bad": "1"}
    bad["spec"]["template"]["metadata"]["labels"]["bad"] = "1"
    bad["spec"]["template"]["spec"]["containers"][0]["readinessProbe"] = {
        "httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 1}
    cluster.api.create(bad, source="kubectl", namespace="default")
    cluster.loop.advance(20 * SECOND)
    pods = cluster.api.list(nk.POD, "default")
    unready = [p for p in pods if p["metadata"]["labels"].get("bad")]
    assert len(unready) == 1 and unready[0]["status"]["phase"] == "Running"
    name = f"default/{unready[0]['metadata']['name']}"
    (s,) = [s for s in cluster.api.list(nk.SLICE, "default")
            if s["metadata"]["labels"]["kubernetes.io/service-name"] == "test-web-svc"]
    conds = {e["targetRef"]["name"]: e["conditions"]["ready"] for e in s["endpoints"]}
    assert conds[unready[0]["metadata"]["name"]] is False and sum(conds.values()) == 3
    start = cluster.loop.now
    nk.curl_loop(cluster, nk.workstation(cluster), "ms.iirii.com", 30044, 60)
    served = nk.backend_counts(cluster, start)
    assert sum(served.values()) == 60 and name not in served
    assert set(served) == nk.pod_names(cluster) - {name}


def test_endpoints_follow_readiness_into_the_rules() -> None:
    """kubernetes.md §4.3/§7: a failing readiness probe marks the endpoint not ready; the next
    kube-proxy sync (≤ 1 s + restore) stops sending new connections there, though the pod still
    serves. A sidecar's exec probe (the talk's ``cat /tmp/healthy`` pattern) turns false
    after 20 s."""
    cluster = nk.booted(replicas=2)
    pod = {"apiVersion": "v1", "kind": "Pod",
           "metadata": {"name": "flappy", "labels": {"app": "test-web-deployment"}},
           "spec": {"containers": [
               {"name": "web", "image": "nginx:1.10", "ports": [{"containerPort": 80}]},
               {"name": "gate", "image": "busybox",
                "args": ["/bin/sh", "-c", "touch /tmp/ready; sleep 20; rm /tmp/ready; "
                                          "sleep 3600"],
                "readinessProbe": {"exec": {"command": ["cat", "/tmp/ready"]},
                                   "periodSeconds": 1}}]}}
    cluster.api.create(pod, source="kubectl", namespace="default")
    cluster.loop.advance(8 * SECOND)
    ws = nk.workstation(cluster)
    start = cluster.loop.now
    nk.curl_loop(cluster, ws, "ms.iirii.com", 30044, 40)
    assert "default/flappy" in nk.backend_counts(cluster, start)
    cluster.loop.advance(20 * SECOND)
    (s,) = [s for s in cluster.api.list(nk.SLICE, "default")
            if s["metadata"]["labels"]["kubernetes.io/service-name"] == "test-web-svc"]
    flappy = next(e for e in s["endpoints"] if e["targetRef"]["name"] == "flappy")
    assert flappy["conditions"] == {"ready": False, "serving": False, "terminating": False}
    sp = cluster.network.proxy.table("t.cs.1").node_ports[(30044, "TCP")]
    assert "flappy" not in {e.pod for e in sp.cluster_endpoints}
    start = cluster.loop.now
    nk.curl_loop(cluster, ws, "ms.iirii.com", 30044, 40)
    assert "default/flappy" not in nk.backend_counts(cluster, start)
    # still serving on its own address
    inside = nk.container(cluster, nk.ready_pods(cluster)[0]).transport
    ip = cluster.api.get(nk.POD, "default", "flappy")["status"]["podIP"]
    assert nk.get(inside, ip, 80).response.status == 200


def test_liveness_http_probe_to_an_outside_host_fails_as_offline() -> None:
    """The talk's liveness-http pod probes https://w.nocs.cn:443/pi.php from the node; the lab
    network has no such name (docs/realism.md), so the probe fails with Go's lookup error."""
    from pathlib import Path

    import yaml

    cluster = nk.booted(replicas=0, with_service=False, settle=SECOND)
    root = Path(__file__).resolve().parents[2]
    manifest = yaml.safe_load((root / "manifests/07-health/liveness-http.yaml").read_text())
    cluster.api.create(manifest, source="kubectl", namespace="default")
    cluster.loop.advance(30 * SECOND)
    messages = Counter(e["message"] for e in cluster.api.list(EVENT, "default")
                       if e["reason"] == "Unhealthy")
    assert messages == Counter({'Liveness probe failed: Get "https://w.nocs.cn:443/pi.php": '
                                "dial tcp: lookup w.nocs.cn on 127.0.0.53:53: no such host":
                                1})
