"""The Endpoints controller against ``pkg/controller/endpoint/endpoints_controller.go``.

kubernetes.md §7: "Endpoints splits addresses vs notReadyAddresses; publishNotReadyAddresses
overrides". Upstream details checked: ``ShouldPodBeInEndpoints(pod,
publishNotReadyAddresses)`` (terminating pods leave), ``addEndpointSubset``, ``RepackSubsets``
(one subset per port set), the ``endpoints.kubernetes.io/managed-by: endpoint-controller``
label and the object's deletion with its Service.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from k8slab.api.kinds import by_gvk

ENDPOINTS = by_gvk("v1", "Endpoints")
SERVICE = by_gvk("v1", "Service")
POD = by_gvk("v1", "Pod")


def _helpers():
    name = "endpointslice_test_helpers"
    if name not in sys.modules:
        path = Path(__file__).with_name("test_endpointslice.py")
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


h = _helpers()


def endpoints(cluster):
    return cluster.api.try_get(ENDPOINTS, "default", "web")


def test_ready_and_not_ready_addresses_and_labels() -> None:
    c = h.world()
    h.service(c)
    h.pod(c, "web-1", "10.244.1.10")
    h.pod(c, "web-2", "10.244.1.9", ready=False)
    h.pod(c, "web-3", "10.244.1.2")
    h.settle(c)
    ep = endpoints(c)
    assert ep["metadata"]["labels"] == {"endpoints.kubernetes.io/managed-by":
                                        "endpoint-controller", "team": "a"}
    assert "ownerReferences" not in ep["metadata"]
    (subset,) = ep["subsets"]
    # addresses sorted by IP as numbers (10.244.1.2 before 10.244.1.10)
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.2", "10.244.1.10"]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == ["10.244.1.9"]
    assert subset["ports"] == [{"name": "http", "port": 80, "protocol": "TCP"}]
    first = subset["addresses"][0]
    assert first["nodeName"] == "n1" and first["targetRef"]["name"] == "web-3"


def test_terminating_pods_leave_the_endpoints_at_once() -> None:
    c = h.world()
    h.service(c)
    h.pod(c, "web-1", "10.244.1.5")
    h.pod(c, "web-2", "10.244.1.6")
    h.settle(c)
    c.api.delete(POD, "default", "web-1", source="kubectl")
    h.settle(c)
    (subset,) = endpoints(c)["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.6"]
    assert "notReadyAddresses" not in subset


def test_publish_not_ready_addresses_puts_everything_in_addresses() -> None:
    c = h.world()
    h.service(c, publishNotReadyAddresses=True)
    h.pod(c, "web-1", "10.244.1.5", ready=False)
    h.settle(c)
    (subset,) = endpoints(c)["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == ["10.244.1.5"]


def test_no_pods_means_no_subsets_and_headless_label() -> None:
    c = h.world()
    h.service(c, clusterIP="None")
    h.settle(c)
    ep = endpoints(c)
    assert "subsets" not in ep
    assert ep["metadata"]["labels"]["service.kubernetes.io/headless"] == ""


def test_multi_port_services_share_one_subset() -> None:
    c = h.world()
    h.service(c, ports=[{"name": "http", "port": 80}, {"name": "metrics", "port": 9100}])
    h.pod(c, "web-1", "10.244.1.5")
    h.settle(c)
    (subset,) = endpoints(c)["subsets"]
    assert [p["name"] for p in subset["ports"]] == ["http", "metrics"]


def test_endpoints_go_away_with_their_service() -> None:
    c = h.world()
    h.service(c)
    h.settle(c)
    assert endpoints(c) is not None
    c.api.delete(SERVICE, "default", "web", source="kubectl")
    h.settle(c)
    assert endpoints(c) is None
