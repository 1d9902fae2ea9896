"""Helpers for the network tests: a booted cluster with the talk's Deployment and Service,
requests sent through the real transports, and small load runs driven to completion.

Scenario tests load this file by path (``load_netkit()``) so both directories share it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.network.http import Exchange, LoadSpec, Request, Sample
from k8slab.sim.clock import SECOND
from k8slab.sim.process import run_blocking

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
SERVICE = by_gvk("v1", "Service")
DEPLOYMENT = by_gvk("apps/v1", "Deployment")
SLICE = by_gvk("discovery.k8s.io/v1", "EndpointSlice")


def deployment(name: str = "test-web-deployment", replicas: int = 3, image: str = "nginx:1.10",
               surge: int = 1, unavailable: int = 1, **template: Any) -> Obj:
    """The talk's Deployment (kubernetes.md §1.4 uses replicas 10, maxSurge/maxUnavailable 1)."""
    container: Obj = {"name": "test-web", "image": image, "ports": [{"containerPort": 80}]}
    container.update(template.pop("container", {}))
    return {
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
        "spec": {"replicas": replicas,
                 "strategy": {"type": "RollingUpdate",
                              "rollingUpdate": {"maxSurge": surge,
                                                "maxUnavailable": unavailable}},
                 "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [container], **template}}}}


def service(name: str = "test-web-svc", app: str = "test-web-deployment", *,
            type_: str = "NodePort", node_port: int | None = 30044, port: int = 8080,
            **spec: Any) -> Obj:
    """The talk's NodePort Service (test-web-svc, 8080 → 80, nodePort 30044)."""
    p: Obj = {"name": "http", "protocol": "TCP", "port": port, "targetPort": 80}
    if node_port is not None and type_ in ("NodePort", "LoadBalancer"):
        p["nodePort"] = node_port
    body: Obj = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name},
                 "spec": {"type": type_, "ports": [p], "selector": {"app": app}}}
    body["spec"].update(spec)
    return body


def booted(seed: int = 0, replicas: int = 3, *, with_service: bool = True,
           settle: int = 30 * SECOND, **dep: Any) -> Cluster:
    cluster = Cluster(seed=seed)
    cluster.boot()
    cluster.api.create(deployment(replicas=replicas, **dep), source="kubectl",
                       namespace="default")
    if with_service:
        cluster.api.create(service(), source="kubectl", namespace="default")
    cluster.loop.advance(settle)
    return cluster


def ready_pods(cluster: Cluster, app: str = "test-web-deployment") -> list[Obj]:
    out = []
    for p in cluster.api.list(POD, "default"):
        if (p["metadata"].get("labels") or {}).get("app") != app:
            continue
        conds = {c["type"]: c["status"] for c in (p.get("status") or {}).get("conditions")
                 or ()}
        if conds.get("Ready") == "True" and not p["metadata"].get("deletionTimestamp"):
            out.append(p)
    return out


def container(cluster: Cluster, pod: Obj, name: str | None = None) -> Any:
    kubelet = cluster.kubelets[pod["spec"]["nodeName"]]
    cname = name or pod["spec"]["containers"][0]["name"]
    latest, _ = kubelet.runtime.find(pod["metadata"]["uid"], cname)
    return latest


def workstation(cluster: Cluster) -> Any:
    return cluster.network.workstation_transport(object())


def get(transport: Any, host: str, port: int, path: str = "/", method: str = "GET",
        headers: list[tuple[str, str]] | None = None, **kw: Any) -> Exchange:
    authority = host if port == 80 else f"{host}:{port}"
    extra = headers or []
    hs = [] if any(n.lower() == "host" for n, _ in extra) else [("Host", authority)]
    hs += [*extra, ("User-Agent", "curl/8.14.1"), ("Accept", "*/*")]
    return transport.exchange(Request(method, "http", host, port, path, hs), **kw)


def curl_loop(cluster: Cluster, transport: Any, host: str, port: int, count: int,
              every: int = 200_000_000) -> list[Exchange]:
    """``while sleep 0.2; do curl -s -I …; done``: one exchange, then its time, then 0.2 s."""
    out = []
    for _ in range(count):
        cluster.loop.advance(every)
        ex = get(transport, host, port, method="HEAD")
        out.append(ex)
        cluster.loop.advance(ex.total)
    return out


def run_load(cluster: Cluster, transport: Any, spec: LoadSpec) -> list[Sample]:
    result: dict[str, list[Sample]] = {}

    def proc():  # type: ignore[no-untyped-def]
        result["samples"] = yield from transport.run_load(spec)
        return 0

    run_blocking(cluster.loop, proc())
    return result["samples"]


def backend_counts(cluster: Cluster, start: int | None = None) -> Counter:
    return Counter(cluster.network.log.count_by("backend", start=start))


def pod_names(cluster: Cluster, app: str = "test-web-deployment") -> set[str]:
    return {f"default/{p['metadata']['name']}" for p in ready_pods(cluster, app)}
