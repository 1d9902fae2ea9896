"""A MetalLB-like LoadBalancer implementation in layer-2 mode, built into the lab.

A kubeadm cluster on bare metal has no cloud controller, so ``type: LoadBalancer`` Services
stay ``<pending>`` (kubernetes.md §7). The lab ships the usual fix, MetalLB (``metallb/metallb``
``controller/service.go``, ``internal/allocator``, ``speaker/layer2_controller.go``), modelled
in-process rather than as pods in ``metallb-system`` (so ``kubectl get pods -A`` stays what
kubeadm leaves; see docs/realism.md). It is configured like an ``IPAddressPool`` named
``default`` holding ``172.16.0.240``–``172.16.0.250`` in the node network, with an
``L2Advertisement``:

- **controller** (source ``metallb-controller``): for every ``LoadBalancer`` Service without a
  ``loadBalancerClass`` it picks an address — the one already in its status if still valid,
  else the one requested (``spec.loadBalancerIP`` or the ``metallb.io/loadBalancerIPs``
  annotation), else the first free address of the pool — records ``Normal IPAllocated
  Assigned IP ["172.16.0.240"]``, annotates ``metallb.io/ip-allocated-from-pool: default`` and
  writes ``status.loadBalancer.ingress: [{ip, ipMode: VIP}]`` (``ipMode`` as the 1.37
  apiserver defaults it). No address → ``Warning AllocationFailed Failed to allocate IP for
  "<ns>/<name>": no available IPs`` and EXTERNAL-IP stays ``<pending>``; the Service is retried
  when another one frees an address. A Service that stops being a LoadBalancer gives its
  address back and loses the status;
- **speaker** (source ``metallb-speaker``): one node answers ARP for each address — among the
  powered-on nodes not labelled ``node.kubernetes.io/exclude-from-external-load-balancers``
  (kubeadm puts that label on the control plane) and, for ``externalTrafficPolicy: Local``,
  having a ready endpoint, the first by ``sha256(node + "#" + ip)`` — and the Service gets
  ``Normal nodeAssigned announcing from node "<node>" with protocol "layer2"``. Traffic to the
  address reaches that node and its kube-proxy rules route it like a node port. A node that
  powers off hands over at once (MetalLB's memberlist takes a few seconds).

``cluster.network.lb.enabled = False`` (or an empty :attr:`MetalLB.pool`) models a cluster
without it: Services stay ``<pending>``.
"""

from __future__ import annotations

import hashlib
import ipaddress
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import Kind, by_gvk
from ..controllers.base import WorkQueue, split_key
from ..controllers.endpointslice import SLICE_INDEX, ensure_slice_index
from ..sim.clock import MILLISECOND

if TYPE_CHECKING:
    from .model import Network
    from .proxy import RuleTable

__all__ = ["DEFAULT_POOL", "POOL_NAME", "MetalLB"]

Obj = dict[str, Any]

SERVICE: Kind = by_gvk("v1", "Service")  # type: ignore[assignment]
NODE: Kind = by_gvk("v1", "Node")  # type: ignore[assignment]
ENDPOINT_SLICE: Kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")  # type: ignore[assignment]

POOL_NAME = "default"
DEFAULT_POOL = ("172.16.0.240", "172.16.0.250")
POOL_ANNOTATION = "metallb.io/ip-allocated-from-pool"
IPS_ANNOTATION = "metallb.io/loadBalancerIPs"
EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers"
_WATCH_LATENCY = 2 * MILLISECOND


def _range(first: str, last: str) -> list[str]:
    lo, hi = int(ipaddress.IPv4Address(first)), int(ipaddress.IPv4Address(last))
    return [str(ipaddress.IPv4Address(i)) for i in range(lo, hi + 1)]


def _key(svc: Obj) -> tuple[str, str]:
    meta = svc.get("metadata") or {}
    return meta.get("namespace", ""), meta.get("name", "")


class MetalLB:
    """MetalLB's controller and speakers (see the module docstring)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        cluster = network.cluster
        self.cluster = cluster
        self.api = cluster.api
        self.enabled = True
        self.pool: list[str] = _range(*DEFAULT_POOL)
        self.pool_name = POOL_NAME
        # (ns, name) → address, and back
        self.assigned: dict[tuple[str, str], str] = {}
        self.owners: dict[str, tuple[str, str]] = {}
        self._announced: dict[tuple[str, str], str] = {}
        self._failed: dict[tuple[str, str], None] = {}
        self.queue = WorkQueue(cluster, self.sync, name="metallb-controller")
        self.controller_events = cluster.recorder("metallb-controller")
        ensure_slice_index(self.api)
        self.api.watch(SERVICE, self._on_service, latency=_WATCH_LATENCY,
                       name="metallb-controller")

    # ------------------------------------------------------------------ watch

    def _on_service(self, event: str, svc: Obj, old: Obj | None) -> None:
        ns, name = _key(svc)
        self.queue.add(f"{ns}/{name}")

    def rules_changed(self, table: RuleTable) -> None:
        """Endpoints moved: the speakers re-elect for Services whose announcing node may
        change (``Local`` policy follows its endpoints)."""
        for key in sorted(self.assigned):
            self._announce(key)

    # ------------------------------------------------------------------ controller

    def _wants_address(self, svc: Obj | None) -> bool:
        if svc is None or (svc.get("metadata") or {}).get("deletionTimestamp"):
            return False
        spec = svc.get("spec") or {}
        return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")

    def _release(self, key: tuple[str, str]) -> None:
        ip = self.assigned.pop(key, None)
        self._announced.pop(key, None)
        if ip is not None:
            self.owners.pop(ip, None)
            for waiting in sorted(self._failed):
                self.queue.add(f"{waiting[0]}/{waiting[1]}")

    def sync(self, raw: str) -> None:
        ns, name = split_key(raw)
        key = (ns, name)
        svc = self.api.try_get(SERVICE, ns, name)
        if not self._wants_address(svc):
            self._failed.pop(key, None)
            had = key in self.assigned
            self._release(key)
            if svc is not None and had:
                self._clear(svc)
            return
        assert svc is not None
        if not self.enabled:
            return
        current = [ing.get("ip") for ing in ((svc.get("status") or {}).get("loadBalancer")
                                             or {}).get("ingress") or () if ing.get("ip")]
        requested = self._requested(svc)
        if isinstance(requested, StatusError):
            return
        ip = self.assigned.get(key)
        if ip is not None and requested and ip not in requested:
            self._release(key)
            ip = None
        if ip is None:
            ip, error = self._allocate(key, requested)
            if ip is None:
                if key not in self._failed:
                    self._failed[key] = None
                    self.controller_events.event(
                        svc, "Warning", "AllocationFailed",
                        f'Failed to allocate IP for "{ns}/{name}": {error}')
                return
            self._failed.pop(key, None)
            self.controller_events.event(svc, "Normal", "IPAllocated",
                                         f'Assigned IP ["{ip}"]')
        if current != [ip]:
            self._write(svc, ip)
        self._announce(key)

    def _requested(self, svc: Obj) -> list[str] | StatusError:
        meta = svc.get("metadata") or {}
        text = (meta.get("annotations") or {}).get(IPS_ANNOTATION, "")
        spec_ip = (svc.get("spec") or {}).get("loadBalancerIP") or ""
        if text and spec_ip:
            return StatusError(400, "BadRequest", "both")
        raw = [t.strip() for t in text.split(",")] if text else ([spec_ip] if spec_ip else [])
        return [r for r in raw if r]

    def _allocate(self, key: tuple[str, str], requested: list[str]) -> tuple[str | None, str]:
        if requested:
            ip = requested[0]
            if ip not in self.pool:
                return None, f'"{ip}" is not allowed in config'
            owner = self.owners.get(ip)
            if owner is not None and owner != key:
                return None, f"can't change sharing key for \"{key[0]}/{key[1]}\", address " \
                             f"also in use by {owner[0]}/{owner[1]}"
            self.assigned[key] = ip
            self.owners[ip] = key
            return ip, ""
        for ip in self.pool:
            if ip not in self.owners:
                self.assigned[key] = ip
                self.owners[ip] = key
                return ip, ""
        return None, "no available IPs"

    def _write(self, svc: Obj, ip: str) -> None:
        ns, name = _key(svc)
        meta = dict(svc.get("metadata") or {})
        annotations = dict(meta.get("annotations") or {})
        if annotations.get(POOL_ANNOTATION) != self.pool_name:
            annotations[POOL_ANNOTATION] = self.pool_name
            meta["annotations"] = annotations
            try:
                svc = self.api.update({**svc, "metadata": meta}, source="metallb-controller",
                                      trusted=True)
            except StatusError:
                self.queue.add_after(f"{ns}/{name}", 100 * MILLISECOND)
                return
        status = dict(svc.get("status") or {})
        status["loadBalancer"] = {"ingress": [{"ip": ip, "ipMode": "VIP"}]}
        try:
            self.api.update({**svc, "status": status}, source="metallb-controller",
                            status=True, trusted=True)
        except StatusError:
            self.queue.add_after(f"{ns}/{name}", 100 * MILLISECOND)

    def _clear(self, svc: Obj) -> None:
        meta = dict(svc.get("metadata") or {})
        annotations = dict(meta.get("annotations") or {})
        try:
            if POOL_ANNOTATION in annotations:
                del annotations[POOL_ANNOTATION]
                if annotations:
                    meta["annotations"] = annotations
                else:
                    meta.pop("annotations", None)
                svc = self.api.update({**svc, "metadata": meta}, source="metallb-controller",
                                      trusted=True)
            if ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress"):
                self.api.update({**svc, "status": {**(svc.get("status") or {}),
                                                   "loadBalancer": {}}},
                                source="metallb-controller", status=True, trusted=True)
        except StatusError:
            pass

    # ------------------------------------------------------------------ speakers

    def _eligible(self, key: tuple[str, str]) -> list[str]:
        svc = self.api.try_get(SERVICE, *key)
        if svc is None:
            return []
        local = (svc.get("spec") or {}).get("externalTrafficPolicy") == "Local"
        with_endpoints: set[str] | None = None
        if local:
            with_endpoints = set()
            for s in self.api.by_index(ENDPOINT_SLICE, SLICE_INDEX, f"{key[0]}/{key[1]}"):
                for ep in s.get("endpoints") or ():
                    if (ep.get("conditions") or {}).get("ready") is not False and \
                            ep.get("nodeName"):
                        with_endpoints.add(ep["nodeName"])
        out = []
        for name in sorted(self.cluster.kubelets):
            kubelet = self.cluster.kubelets[name]
            if not kubelet.running:
                continue
            node = self.api.try_get(NODE, "", name)
            if node is None or EXCLUDE_LABEL in ((node.get("metadata") or {}).get("labels")
                                                 or {}):
                continue
            if with_endpoints is not None and name not in with_endpoints:
                continue
            out.append(name)
        return out

    def _elect(self, key: tuple[str, str]) -> str | None:
        ip = self.assigned.get(key)
        if ip is None:
            return None
        nodes = self._eligible(key)
        if not nodes:
            return None
        return min(nodes, key=lambda n: hashlib.sha256(f"{n}#{ip}".encode()).digest())

    def _announce(self, key: tuple[str, str]) -> None:
        node = self._elect(key)
        if node is None or self._announced.get(key) == node:
            return
        self._announced[key] = node
        svc = self.api.try_get(SERVICE, *key)
        if svc is not None:
            self.cluster.recorder("metallb-speaker", node).event(
                svc, "Normal", "nodeAssigned",
                f'announcing from node "{node}" with protocol "layer2"')

    def announcer(self, ip: str) -> str | None:
        """The node answering ARP for ``ip`` now (None: nobody, the address is dead)."""
        key = self.owners.get(ip)
        if key is None:
            return None
        node = self._elect(key)
        if node is not None and self._announced.get(key) != node:
            self._announce(key)
        return node
