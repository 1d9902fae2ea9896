"""Readiness, liveness and startup probes with httpGet and tcpSocket handlers
(kubernetes.md §4.1-§4.3; pkg/probe/http/http.go, pkg/kubelet/prober)."""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
EVENT = by_gvk("v1", "Event")


def _cluster() -> Cluster:
    c = Cluster(seed=0)
    c.boot()
    for i, node in enumerate(c.api.list(NODE)):
        if not node["spec"].get("podCIDR"):
            cidr = f"10.244.{i}.0/24"
            c.api.update({**node, "spec": {**node["spec"], "podCIDR": cidr}}, source="test",
                         trusted=True)
    c.loop.advance(15 * SECOND)
    return c


def _pod(name: str, image: str = "nginx:1.10", **probes: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"nodeName": "t.cs.2",
                     "containers": [{"name": "web", "image": image,
                                     "ports": [{"containerPort": 80, "name": "http"}],
                                     **probes}]}}


def _messages(c: Cluster, name: str, reason: str) -> list[str]:
    return [e["message"] for e in c.api.list(EVENT, "default")
            if e["involvedObject"]["name"] == name and e["reason"] == reason]


def _conditions(c: Cluster, name: str) -> dict[str, dict]:
    st = c.api.get(POD, "default", name)["status"]
    return {x["type"]: x for x in st["conditions"]}


def test_readiness_http_ok_makes_the_pod_ready() -> None:
    c = _cluster()
    c.api.create(_pod("ready", readinessProbe={"httpGet": {"path": "/", "port": "http"},
                                               "periodSeconds": 5}), source="kubectl")
    c.loop.advance(4 * SECOND)
    cs = c.api.get(POD, "default", "ready")["status"]["containerStatuses"][0]
    assert cs["ready"] is False or cs["started"] is True
    c.loop.advance(20 * SECOND)
    assert _conditions(c, "ready")["Ready"]["status"] == "True"
    logs = c.kubelets["t.cs.2"].logs("default", "ready")
    assert any('"GET / HTTP/1.1" 200 612 "-" "kube-probe/1.37" "-"' in line for _, line in logs)
    gateway = c.kubelets["t.cs.2"].runtime.ipam.gateway
    assert logs[0][1].startswith(f"{gateway} - - [")


def test_readiness_failure_never_restarts() -> None:
    c = _cluster()
    c.api.create(_pod("notready", readinessProbe={"httpGet": {"path": "/healthz", "port": 80},
                                                  "periodSeconds": 2}), source="kubectl")
    c.loop.advance(60 * SECOND)
    conds = _conditions(c, "notready")
    assert conds["Ready"]["status"] == "False"
    assert conds["Ready"]["reason"] == "ContainersNotReady"
    assert conds["Ready"]["message"] == "containers with unready status: [web]"
    assert _messages(c, "notready", "Unhealthy")[0] == (
        "Readiness probe failed: HTTP probe failed with statuscode: 404")
    cs = c.api.get(POD, "default", "notready")["status"]["containerStatuses"][0]
    assert cs["restartCount"] == 0 and cs["started"] is True


def test_tcp_liveness_on_a_closed_port_restarts_nginx_cleanly() -> None:
    c = _cluster()
    c.api.create(_pod("tcp", livenessProbe={"tcpSocket": {"port": 8080}, "periodSeconds": 3,
                                            "failureThreshold": 2}), source="kubectl")
    c.loop.advance(40 * SECOND)
    ip = c.api.get(POD, "default", "tcp")["status"]["podIP"]
    assert _messages(c, "tcp", "Unhealthy")[0] == (
        f"Liveness probe failed: dial tcp {ip}:8080: connect: connection refused")
    assert _messages(c, "tcp", "Killing")[0] == (
        "Container web failed liveness probe, will be restarted")
    cs = c.api.get(POD, "default", "tcp")["status"]["containerStatuses"][0]
    assert cs["restartCount"] >= 1
    # nginx exits 0 on its stop signal: the old container "Completed".
    assert cs["lastState"]["terminated"]["reason"] == "Completed"
    assert cs["lastState"]["terminated"]["exitCode"] == 0


def test_http_liveness_connection_refused_wording() -> None:
    c = _cluster()
    c.api.create(_pod("refused", livenessProbe={"httpGet": {"path": "/", "port": 81},
                                                "periodSeconds": 5}), source="kubectl")
    c.loop.advance(30 * SECOND)
    ip = c.api.get(POD, "default", "refused")["status"]["podIP"]
    assert _messages(c, "refused", "Unhealthy")[0] == (
        f'Liveness probe failed: Get "http://{ip}:81/": dial tcp {ip}:81: connect: '
        "connection refused")


def test_startup_probe_gates_readiness() -> None:
    c = _cluster()
    c.api.create(_pod("slow", startupProbe={"httpGet": {"path": "/", "port": 80},
                                            "periodSeconds": 10, "initialDelaySeconds": 20},
                      readinessProbe={"httpGet": {"path": "/", "port": 80},
                                      "periodSeconds": 1}), source="kubectl")
    c.loop.advance(15 * SECOND)
    cs = c.api.get(POD, "default", "slow")["status"]["containerStatuses"][0]
    assert cs["started"] is False and cs["ready"] is False
    c.loop.advance(30 * SECOND)
    cs = c.api.get(POD, "default", "slow")["status"]["containerStatuses"][0]
    assert cs["started"] is True and cs["ready"] is True


def test_talk_liveness_http_to_an_outside_host() -> None:
    # Seed "httpGet 请求检测": https://w.nocs.cn:443/pi.php every 3 s after 10 s. The lab has
    # no Internet: the node's resolver cannot find the host (docs/realism.md).
    c = _cluster()
    c.api.create(_pod("liveness-http", image="busybox",
                      args=["/bin/sh", "-c", "sleep 600"],
                      livenessProbe={"httpGet": {"host": "w.nocs.cn", "path": "/pi.php",
                                                 "port": 443, "scheme": "HTTPS"},
                                     "initialDelaySeconds": 10, "periodSeconds": 3}),
                 source="kubectl")
    c.loop.advance(40 * SECOND)
    assert _messages(c, "liveness-http", "Unhealthy")[0] == (
        'Liveness probe failed: Get "https://w.nocs.cn:443/pi.php": dial tcp: lookup '
        "w.nocs.cn on 127.0.0.53:53: no such host")
