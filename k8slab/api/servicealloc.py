"""Service REST storage: ClusterIP and NodePort allocation, and the ``kubernetes`` Service.

Models ``pkg/registry/core/service/storage/alloc.go`` (``initIPFamilyFields``,
``allocClusterIPs``, ``initNodePorts``, ``patchAllocatedValues``), the allocators in
``pkg/registry/core/service/ipallocator`` and ``portallocator``, and the apiserver's
``kubernetesservice`` controller that publishes ``default/kubernetes``.

- ClusterIPs come from ``--service-cluster-ip-range`` (``api.options["service_cidr"]``,
  10.96.0.0/12). The first address is reserved for ``kubernetes``; dynamic picks draw a random
  start in the upper part of the range (the lower band, ``min(max(16, size/16), 256)``
  addresses, is kept for static requests, as the allocator's offset does) and take the next free
  address from there.
- NodePorts come from 30000–32767 the same way (lower band of ``min(max(16, size/32), 128)``).
  A requested port is honoured when free and in range; otherwise the allocator's error is
  returned as ``Invalid`` on ``spec.ports[i].nodePort``.
- Since 1.33 (MultiCIDRServiceAllocator GA) every allocated ClusterIP is also an
  ``networking.k8s.io/v1`` IPAddress named after the address, with a ``parentRef`` to its
  Service, under the ``kubernetes`` ServiceCIDR.

Allocation is a pure function of the stored Services (the lab's apiserver is single-threaded),
so a failed or dry-run create reserves nothing and a delete frees its addresses at once; the
IPAddress objects follow the Services through a zero-latency watch.
"""

from __future__ import annotations

import ipaddress
from typing import Any, ClassVar

from . import errors
from .errors import FieldError, invalid_value
from .kinds import builtin
from .store import DELETED, APIServer

__all__ = ["ServiceAllocator", "ensure_kubernetes_service"]

Obj = dict[str, Any]
SERVICE = builtin("v1", "Service")
ENDPOINTS = builtin("v1", "Endpoints")
ENDPOINT_SLICE = builtin("discovery.k8s.io/v1", "EndpointSlice")
IPADDRESS = builtin("networking.k8s.io/v1", "IPAddress")
SERVICE_CIDR = builtin("networking.k8s.io/v1", "ServiceCIDR")


def _spec(svc: Obj) -> Obj:
    return svc.get("spec") or {}


def needs_cluster_ip(svc: Obj) -> bool:
    return _spec(svc).get("type", "ClusterIP") != "ExternalName"


def needs_node_port(svc: Obj) -> bool:
    spec = _spec(svc)
    if spec.get("type") == "NodePort":
        return True
    return spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts",
                                                            True) is not False


def _cluster_ips(svc: Obj) -> list[str]:
    return [ip for ip in _spec(svc).get("clusterIPs") or [] if ip and ip != "None"]


def _node_ports(svc: Obj) -> list[str]:
    spec = _spec(svc)
    ports = [str(p.get("nodePort")) for p in spec.get("ports") or []
             if isinstance(p, dict) and p.get("nodePort")]
    if spec.get("healthCheckNodePort"):
        ports.append(str(spec["healthCheckNodePort"]))
    return ports


def _key(svc: Obj) -> tuple[str, str]:
    meta = svc.get("metadata") or {}
    return meta.get("namespace", ""), meta.get("name", "")


class ServiceAllocator:
    """ClusterIP and NodePort allocation for one apiserver (a mutating step after admission)."""

    def __init__(self, api: APIServer) -> None:
        assert SERVICE is not None
        self.api = api
        self.network = ipaddress.ip_network(api.options.get("service_cidr", "10.96.0.0/12"))
        self.port_lo, self.port_hi = api.options.get("node_port_range", (30000, 32767))
        api.add_index(SERVICE, "clusterIP", _cluster_ips)
        api.add_index(SERVICE, "nodePort", _node_ports)
        api.watch(SERVICE, self._sync_ip_addresses, latency=0, name="ipallocator")

    # ---------------------------------------------------------------- the admission step

    # Only Services are allocated (store.admission_scope).
    admission_scope: ClassVar = (frozenset({("", "Service")}), frozenset({"CREATE", "UPDATE"}),
                                 False)

    def __call__(self, obj: Obj, operation: str, old: Obj | None) -> None:
        if obj.get("kind") != "Service" or obj.get("apiVersion") != "v1":
            return
        if operation == "CREATE":
            self._allocate(obj, None)
        elif operation == "UPDATE" and old is not None:
            self._allocate(obj, old)

    def _owner_of_ip(self, ip: str) -> tuple[str, str] | None:
        for svc in self.api.by_index(SERVICE, "clusterIP", ip):
            return _key(svc)
        return None

    def _port_owners(self, port: int) -> list[tuple[str, str]]:
        return [_key(s) for s in self.api.by_index(SERVICE, "nodePort", str(port))]

    def _allocate(self, svc: Obj, old: Obj | None) -> None:
        spec = dict(_spec(svc))
        svc["spec"] = spec
        me = _key(svc)
        errs: list[FieldError] = []
        if needs_cluster_ip(svc):
            self._init_ip_families(spec)
            if not (old is not None and _cluster_ips(old) and needs_cluster_ip(old)):
                errs.extend(self._alloc_cluster_ip(spec, me))
        if needs_node_port(svc) and not errs:
            errs.extend(self._alloc_node_ports(spec, me, old))
        if errs:
            meta = svc.get("metadata") or {}
            raise errors.invalid("Service", "", meta.get("name", ""), errs)

    def _init_ip_families(self, spec: Obj) -> None:
        """``initIPFamilyFields`` for a single-stack IPv4 cluster."""
        if spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
        elif spec.get("clusterIPs") and not spec.get("clusterIP"):
            spec["clusterIP"] = spec["clusterIPs"][0]
        headless = spec.get("clusterIP") == "None"
        if spec.get("ipFamilyPolicy") is None:
            selectorless = not spec.get("selector")
            spec["ipFamilyPolicy"] = "RequireDualStack" if headless and selectorless \
                else "SingleStack"
        if not spec.get("ipFamilies"):
            spec["ipFamilies"] = ["IPv4"]

    def _alloc_cluster_ip(self, spec: Obj, me: tuple[str, str]) -> list[FieldError]:
        requested = spec.get("clusterIP") or ""
        if requested == "None":
            return []
        if requested:
            try:
                addr = ipaddress.ip_address(requested)
            except ValueError:
                return []  # validation reports the malformed address
            if addr not in self.network or addr in (self.network.network_address,
                                                    self.network.broadcast_address):
                return [invalid_value(
                    "spec.clusterIPs", list(spec.get("clusterIPs") or [requested]),
                    f"failed to allocate IP {requested}: the provided IP ({requested}) is not "
                    f"in the valid range. The range of valid IPs is {self.network}")]
            owner = self._owner_of_ip(requested)
            if owner is not None and owner != me:
                return [invalid_value(
                    "spec.clusterIPs", list(spec.get("clusterIPs") or [requested]),
                    f"failed to allocate IP {requested}: provided IP is already allocated")]
            return []
        ip = self._next_free_ip()
        spec["clusterIP"] = ip
        spec["clusterIPs"] = [ip]
        return []

    def _next_free_ip(self) -> str:
        base = int(self.network.network_address) + 1
        size = self.network.num_addresses - 2
        offset = min(max(16, size // 16), 256)
        rng = self.api.streams("service-ipallocator")
        start = rng.randrange(offset, size)
        for i in range(size):
            # the upper band first, from a random start, then the static band
            index = offset + (start - offset + i) % (size - offset) if i < size - offset \
                else i - (size - offset)
            ip = str(ipaddress.ip_address(base + index))
            if self._owner_of_ip(ip) is None:
                return ip
        raise errors.StatusError(500, "InternalError", "Internal error occurred: failed to "
                                 "allocate a serviceIP: range is full")

    def _alloc_node_ports(self, spec: Obj, me: tuple[str, str],
                          old: Obj | None) -> list[FieldError]:
        errs: list[FieldError] = []
        ports = [dict(p) if isinstance(p, dict) else p for p in spec.get("ports") or []]
        spec["ports"] = ports
        held = set(_node_ports(old)) if old is not None else set()
        by_port: dict[int, int] = {}
        taken_here: set[int] = set()
        for i, port in enumerate(ports):
            if not isinstance(port, dict):
                continue
            requested = port.get("nodePort") or 0
            if requested:
                if not isinstance(requested, int) or not self.port_lo <= requested <= \
                        self.port_hi:
                    errs.append(invalid_value(
                        f"spec.ports[{i}].nodePort", requested, "provided port is not in the "
                        f"valid range. The range of valid ports is {self.port_lo}-"
                        f"{self.port_hi}"))
                    continue
                owners = [o for o in self._port_owners(requested) if o != me]
                if (owners and str(requested) not in held) or (
                        requested in taken_here and by_port.get(port.get("port", 0))
                        != requested):
                    errs.append(invalid_value(f"spec.ports[{i}].nodePort", requested,
                                              "provided port is already allocated"))
                    continue
                taken_here.add(requested)
                by_port.setdefault(port.get("port", 0), requested)
        if errs:
            return errs
        for port in ports:
            if not isinstance(port, dict) or port.get("nodePort"):
                continue
            # Ports sharing a number (TCP and UDP 53) share one node port.
            shared = by_port.get(port.get("port", 0))
            chosen = shared if shared is not None else self._next_free_port(taken_here)
            port["nodePort"] = chosen
            taken_here.add(chosen)
            by_port.setdefault(port.get("port", 0), chosen)
        if spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local" \
                and not spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = self._next_free_port(taken_here)
        return errs

    def _next_free_port(self, also_taken: set[int]) -> int:
        size = self.port_hi - self.port_lo + 1
        offset = min(max(16, size // 32), 128)
        rng = self.api.streams("service-nodeport")
        start = rng.randrange(offset, size)
        for i in range(size):
            index = offset + (start - offset + i) % (size - offset) if i < size - offset \
                else i - (size - offset)
            port = self.port_lo + index
            if port not in also_taken and not self._port_owners(port):
                return port
        raise errors.StatusError(500, "InternalError", "Internal error occurred: failed to "
                                 "allocate a nodePort: range is full")

    # ---------------------------------------------------------------- IPAddress objects

    def _sync_ip_addresses(self, event: str, svc: Obj, old: Obj | None) -> None:
        assert IPADDRESS is not None
        want = set() if event == DELETED else set(_cluster_ips(svc))
        had = set(_cluster_ips(old)) if old is not None else set()
        if event == DELETED:
            had |= set(_cluster_ips(svc))
        ns, name = _key(svc)
        for ip in sorted(had - want):
            current = self.api.try_get(IPADDRESS, "", ip)
            ref = ((current or {}).get("spec") or {}).get("parentRef") or {}
            if current is not None and ref.get("name") == name and ref.get("namespace") == ns:
                self.api.remove(IPADDRESS, "", ip, source="kube-apiserver")
        for ip in sorted(want - had):
            if self.api.try_get(IPADDRESS, "", ip) is None:
                self.api.create(_ip_address(ip, ns, name), source="kube-apiserver",
                                trusted=True)


def _ip_address(ip: str, namespace: str, name: str) -> Obj:
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
        "metadata": {"name": ip, "labels": {
            "ipaddress.kubernetes.io/ip-family": "IPv4",
            "ipaddress.kubernetes.io/managed-by": "ipallocator.k8s.io"}},
        "spec": {"parentRef": {"group": "", "resource": "services", "namespace": namespace,
                               "name": name}},
    }


def ensure_kubernetes_service(api: APIServer, endpoint_ip: str, port: int = 6443) -> Obj:
    """What kube-apiserver publishes at boot: the ``kubernetes`` ServiceCIDR, the
    ``default/kubernetes`` Service on the range's first address, and its Endpoints and
    EndpointSlice pointing at the control plane (``endpoint_ip:port``)."""
    assert SERVICE is not None and ENDPOINTS is not None and ENDPOINT_SLICE is not None
    assert SERVICE_CIDR is not None
    network = ipaddress.ip_network(api.options.get("service_cidr", "10.96.0.0/12"))
    first = str(network.network_address + 1)
    if api.try_get(SERVICE_CIDR, "", "kubernetes") is None:
        api.create({
            "apiVersion": "networking.k8s.io/v1", "kind": "ServiceCIDR",
            "metadata": {"name": "kubernetes",
                         "finalizers": ["networking.k8s.io/service-cidr-finalizer"]},
            "spec": {"cidrs": [str(network)]},
        }, source="kube-apiserver", trusted=True)
    svc = api.try_get(SERVICE, "default", "kubernetes")
    if svc is None:
        svc = api.create({
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"component": "apiserver", "provider": "kubernetes"}},
            "spec": {"clusterIP": first, "clusterIPs": [first], "internalTrafficPolicy":
                     "Cluster", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                     "ports": [{"name": "https", "port": 443, "protocol": "TCP",
                                "targetPort": port}],
                     "sessionAffinity": "None", "type": "ClusterIP"},
        }, source="kube-apiserver", trusted=True)
    if api.try_get(ENDPOINTS, "default", "kubernetes") is None:
        api.create({
            "apiVersion": "v1", "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
            "subsets": [{"addresses": [{"ip": endpoint_ip}],
                         "ports": [{"name": "https", "port": port, "protocol": "TCP"}]}],
        }, source="kube-apiserver", trusted=True)
    if api.try_get(ENDPOINT_SLICE, "default", "kubernetes") is None:
        api.create({
            "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "kubernetes", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "kubernetes"}},
            "addressType": "IPv4",
            "endpoints": [{"addresses": [endpoint_ip], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": port, "protocol": "TCP"}],
        }, source="kube-apiserver", trusted=True)
    return svc
