"""The EndpointSlice controller against upstream's behaviour.

References: kubernetes.md §7 ("kube-proxy routes only to ready endpoints (slice conditions
ready/serving/terminating …)", §0.3 slice names ``<svc>-<5 chars>``), and the upstream files the
module cites: ``staging/src/k8s.io/endpointslice/utils.go`` (``podToEndpoint``,
``getEndpointPorts``, ``setEndpointSliceLabels``), ``reconciler.go`` (placement, placeholder,
finalize) and ``util/controller_utils.go`` (``ShouldPodBeInEndpoints``).
"""

from __future__ import annotations

import re
from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.controllers.endpointslice import (
    CONTROLLER_NAME,
    LABEL_MANAGED_BY,
    LABEL_SERVICE_NAME,
    MAX_ENDPOINTS_PER_SLICE,
)
from k8slab.sim.clock import SECOND
from k8slab.sim.rand import NAME_ALPHABET
from k8slab.sim.timefmt import rfc3339

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
SERVICE = by_gvk("v1", "Service")
SLICE = by_gvk("discovery.k8s.io/v1", "EndpointSlice")


def world() -> Cluster:
    cluster = Cluster(seed=3)
    for ns in ("default", "kube-system"):
        cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns},
                            "status": {"phase": "Active"}}, source="test", trusted=True)
    cluster.loop.advance(SECOND)
    return cluster


def service(cluster: Cluster, name: str = "web", **spec: Any) -> Obj:
    body: Obj = {"apiVersion": "v1", "kind": "Service",
                 "metadata": {"name": name, "labels": {"team": "a"}},
                 "spec": {"selector": {"app": name},
                          "ports": [{"name": "http", "port": 8080, "targetPort": 80}]}}
    body["spec"].update(spec)
    return cluster.api.create(body, source="kubectl", namespace="default")


def pod(cluster: Cluster, name: str, ip: str | None, *, app: str = "web", ready: bool = True,
        node: str = "n1", ports: list[Obj] | None = None, **meta: Any) -> Obj:
    now = rfc3339(cluster.loop.now)
    status: Obj = {"phase": "Running", "conditions": [
        {"type": "Ready", "status": "True" if ready else "False", "lastTransitionTime": now}]}
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    made = cluster.api.create({
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": app}, **meta},
        "spec": {"nodeName": node, "containers": [{"name": "c", "image": "nginx",
                                                   "ports": ports or []}]}},
        source="test")
    return cluster.api.update({**made, "status": {**made["status"], **status}},
                              source="test", status=True, trusted=True)


def set_ready(cluster: Cluster, name: str, ready: bool) -> None:
    live = cluster.api.get(POD, "default", name)
    conds = [{**c, "status": "True" if ready else "False",
              "lastTransitionTime": rfc3339(cluster.loop.now)}
             if c["type"] == "Ready" else c for c in live["status"]["conditions"]]
    cluster.api.update({**live, "status": {**live["status"], "conditions": conds}},
                       source="test", status=True, trusted=True)


def slices(cluster: Cluster, service_name: str = "web") -> list[Obj]:
    return [s for s in cluster.api.list(SLICE, "default")
            if s["metadata"]["labels"].get(LABEL_SERVICE_NAME) == service_name]


def settle(cluster: Cluster) -> None:
    cluster.loop.advance(50_000_000)


def by_ip(s: Obj) -> dict[str, Obj]:
    return {ep["addresses"][0]: ep for ep in s.get("endpoints") or []}


def test_slice_name_labels_owner_and_ports_follow_upstream() -> None:
    """kubernetes.md §0.3: EndpointSlices are ``<svc>-<5 chars>``; utils.go newEndpointSlice:
    service-name and managed-by labels, the Service's labels, a controller owner reference."""
    c = world()
    svc = service(c)
    pod(c, "web-1", "10.244.1.5")
    settle(c)
    (s,) = slices(c)
    meta = s["metadata"]
    assert re.fullmatch(rf"web-[{NAME_ALPHABET}]{{5}}", meta["name"])
    assert meta["generateName"] == "web-"
    assert meta["labels"] == {"endpointslice.kubernetes.io/managed-by":
                              "endpointslice-controller.k8s.io",
                              "kubernetes.io/service-name": "web", "team": "a"}
    assert meta["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "web",
                                        "uid": svc["metadata"]["uid"], "controller": True,
                                        "blockOwnerDeletion": True}]
    assert s["addressType"] == "IPv4"
    assert s["ports"] == [{"name": "http", "protocol": "TCP", "port": 80}]
    ep = s["endpoints"][0]
    assert ep["addresses"] == ["10.244.1.5"]
    assert ep["conditions"] == {"ready": True, "serving": True, "terminating": False}
    assert ep["nodeName"] == "n1"
    assert ep["targetRef"]["kind"] == "Pod" and ep["targetRef"]["name"] == "web-1"
    assert "endpoints.kubernetes.io/last-change-trigger-time" in meta["annotations"]


def test_unnamed_port_has_an_empty_name_and_named_target_ports_resolve() -> None:
    """utils.go getEndpointPorts: ``Name: &portName`` even when empty; FindPort looks a named
    targetPort up in the pod's containers."""
    c = world()
    service(c, ports=[{"port": 80, "targetPort": "web"}])
    pod(c, "web-1", "10.244.1.5", ports=[{"name": "web", "containerPort": 8000}])
    settle(c)
    (s,) = slices(c)
    assert s["ports"] == [{"name": "", "protocol": "TCP", "port": 8000}]


def test_not_ready_and_terminating_pods_are_listed_but_not_ready() -> None:
    """utils.go podToEndpoint: serving = IsPodReady, terminating = deletionTimestamp set,
    ready = serving and not terminating."""
    c = world()
    service(c)
    pod(c, "web-1", "10.244.1.5")
    pod(c, "web-2", "10.244.1.6", ready=False)
    settle(c)
    eps = by_ip(slices(c)[0])
    assert eps["10.244.1.6"]["conditions"] == {"ready": False, "serving": False,
                                               "terminating": False}
    c.api.delete(POD, "default", "web-1", source="kubectl")
    settle(c)
    eps = by_ip(slices(c)[0])
    assert eps["10.244.1.5"]["conditions"] == {"ready": False, "serving": True,
                                               "terminating": True}


def test_readiness_changes_are_followed() -> None:
    """kubernetes.md §7: only ready endpoints are routed to — the slice follows readiness."""
    c = world()
    service(c)
    pod(c, "web-1", "10.244.1.5", ready=False)
    settle(c)
    assert by_ip(slices(c)[0])["10.244.1.5"]["conditions"]["ready"] is False
    set_ready(c, "web-1", True)
    settle(c)
    assert by_ip(slices(c)[0])["10.244.1.5"]["conditions"]["ready"] is True


def test_publish_not_ready_addresses_makes_every_endpoint_ready() -> None:
    """utils.go podToEndpoint: ``ready := publishNotReadyAddresses || …``."""
    c = world()
    service(c, publishNotReadyAddresses=True)
    pod(c, "web-1", "10.244.1.5", ready=False)
    settle(c)
    cond = by_ip(slices(c)[0])["10.244.1.5"]["conditions"]
    assert cond == {"ready": True, "serving": False, "terminating": False}


def test_pods_without_ip_or_terminal_are_left_out() -> None:
    """controller_utils.go ShouldPodBeInEndpoints: no IP or Succeeded/Failed → excluded."""
    c = world()
    service(c)
    pod(c, "web-1", None)
    done = pod(c, "web-2", "10.244.1.7")
    c.api.update({**done, "status": {**done["status"], "phase": "Succeeded"}},
                 source="test", status=True, trusted=True)
    pod(c, "web-3", "10.244.1.8")
    settle(c)
    assert set(by_ip(slices(c)[0])) == {"10.244.1.8"}


def test_no_endpoints_keeps_one_placeholder_slice_and_its_name() -> None:
    """reconciler.go: a Service without endpoints has a placeholder slice (no ports, no
    endpoints); finalize turns delete + create into an update, so the name survives."""
    c = world()
    service(c)
    settle(c)
    (placeholder,) = slices(c)
    assert placeholder["endpoints"] is None and placeholder["ports"] is None
    pod(c, "web-1", "10.244.1.5")
    settle(c)
    (filled,) = slices(c)
    assert filled["metadata"]["name"] == placeholder["metadata"]["name"]
    assert [e["addresses"] for e in filled["endpoints"]] == [["10.244.1.5"]]
    c.api.remove(POD, "default", "web-1", source="test")
    settle(c)
    (empty,) = slices(c)
    assert empty["metadata"]["name"] == placeholder["metadata"]["name"]
    assert empty["endpoints"] is None and empty["ports"] is None


def test_selector_and_label_changes_are_followed() -> None:
    """A pod whose labels stop matching leaves; a Service whose selector changes follows."""
    c = world()
    service(c)
    pod(c, "web-1", "10.244.1.5")
    pod(c, "api-1", "10.244.1.9", app="api")
    settle(c)
    assert set(by_ip(slices(c)[0])) == {"10.244.1.5"}
    live = c.api.get(POD, "default", "web-1")
    c.api.update({**live, "metadata": {**live["metadata"], "labels": {"app": "other"}}},
                 source="kubectl", trusted=True)
    settle(c)
    assert by_ip(slices(c)[0]) == {}
    svc = c.api.get(SERVICE, "default", "web")
    c.api.update({**svc, "spec": {**svc["spec"], "selector": {"app": "api"}}},
                 source="kubectl", trusted=True)
    settle(c)
    assert set(by_ip(slices(c)[0])) == {"10.244.1.9"}


def test_headless_services_get_slices_with_the_headless_label() -> None:
    """utils.go setEndpointSliceLabels: ``service.kubernetes.io/headless`` when no ClusterIP."""
    c = world()
    service(c, clusterIP="None")
    pod(c, "web-1", "10.244.1.5")
    settle(c)
    (s,) = slices(c)
    assert s["metadata"]["labels"]["service.kubernetes.io/headless"] == ""


def test_services_without_selector_or_externalname_get_no_managed_slices() -> None:
    """endpointslice_controller.go syncService: no selector / ExternalName → nothing."""
    c = world()
    service(c, "bare", selector=None)
    service(c, "ext", type="ExternalName", externalName="example.org", selector=None,
            ports=None)
    settle(c)
    assert slices(c, "bare") == [] and slices(c, "ext") == []


def test_slices_hold_at_most_100_endpoints() -> None:
    """kubernetes.md §7: default 100 endpoints per slice (--max-endpoints-per-slice)."""
    c = world()
    service(c)
    for i in range(150):
        pod(c, f"web-{i:03d}", f"10.244.{1 + i // 200}.{2 + i % 200}")
    settle(c)
    sizes = sorted(len(s["endpoints"]) for s in slices(c))
    assert sizes == [50, MAX_ENDPOINTS_PER_SLICE]
    assert all(s["metadata"]["labels"][LABEL_MANAGED_BY] == CONTROLLER_NAME
               for s in slices(c))


def test_a_deleted_slice_is_recreated() -> None:
    """The controller owns its slices: one deleted behind its back comes back."""
    c = world()
    service(c)
    pod(c, "web-1", "10.244.1.5")
    settle(c)
    (s,) = slices(c)
    c.api.delete(SLICE, "default", s["metadata"]["name"], source="kubectl")
    settle(c)
    (again,) = slices(c)
    assert set(by_ip(again)) == {"10.244.1.5"}
