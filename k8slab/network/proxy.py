"""kube-proxy in iptables mode: the rules every node applies to new connections.

Models ``pkg/proxy/iptables/proxier.go`` (``syncProxyRules``), ``pkg/proxy/topology.go``
(``CategorizeEndpoints``), ``pkg/proxy/endpointslicecache.go`` and the
``BoundedFrequencyRunner`` that paces syncs (``pkg/util/async``). kubernetes.md §7.

What a rule does, per *new* connection (established ones keep their conntrack entry, which is
why a keep-alive connection stays on its pod):

- ``KUBE-SERVICES`` matches a ClusterIP (or a LoadBalancer ingress IP, or an ``externalIPs``
  address) and port; ``KUBE-NODEPORTS`` matches a node port on every node address
  (``nodePortAddresses`` unset; ``localhostNodePorts`` on, so ``127.0.0.1:<nodePort>`` on a
  node works too);
- the ``KUBE-SVC-…`` chain jumps to endpoint *i* of *n* with ``-m statistic --mode random
  --probability 1/(n−i)``, i.e. a uniformly random endpoint — drawn here from the seeded
  ``kube-proxy`` stream;
- usable endpoints are the *ready* ones; when none is ready, the serving-and-terminating ones
  (``CategorizeEndpoints``); ``externalTrafficPolicy: Local`` (NodePort/LoadBalancer traffic
  from outside) and ``internalTrafficPolicy: Local`` use only endpoints on the node;
- ``sessionAffinity: ClientIP``: ``-m recent --rcheck --seconds <timeoutSeconds> --reap`` per
  endpoint — a client IP seen within the timeout (sliding: every new connection refreshes it)
  goes back to the same endpoint while that endpoint is still in the rules;
- a Service with no usable endpoints anywhere gets ``-j REJECT`` (the client's connect fails
  at once with "Connection refused"); external traffic to a ``Local`` Service without local
  endpoints, and internal traffic to an ``internalTrafficPolicy: Local`` one without local
  endpoints, is dropped (the client times out).

When rules change: one informer per kube-proxy watches Services and EndpointSlices; a change
asks the sync runner for a sync, which runs at once if a token is free (burst 2) and otherwise
when the next token arrives, one per ``minSyncPeriod``. kubeadm's ConfigMap writes
``minSyncPeriod: 0s``, which kube-proxy defaults to 1 s (``v1alpha1`` ``SetDefaults``:
``MinSyncPeriod == 0 → 1s``, ``SyncPeriod → 30s``; ``burstSyncs := 2`` in ``NewProxier``).
An ``iptables-restore`` then takes a few milliseconds. So an endpoint change reaches the rules
after 3 ms (watch) + up to 1 s (pacing) + 10 ms (restore).

The lab's kube-proxies run in lockstep: one :class:`RuleTable` per sync, shared by every node
whose kube-proxy container runs and has synced (its ``/healthz`` answers). A node whose
kube-proxy is not running keeps the table it last applied — stale rules, as a real node keeps
its iptables; a machine that reboots loses its rules until its kube-proxy is back. Nothing is
copied per node.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ..api.kinds import Kind, by_gvk
from ..controllers.endpointslice import LABEL_SERVICE_NAME, SLICE_INDEX, ensure_slice_index
from ..sim.clock import MILLISECOND, SECOND, Timer

if TYPE_CHECKING:
    from .model import Network

__all__ = [
    "BURST_SYNCS",
    "MIN_SYNC_PERIOD",
    "SYNC_DURATION",
    "Endpoint",
    "KubeProxy",
    "RuleTable",
    "ServicePort",
]

Obj = dict[str, Any]

SERVICE: Kind = by_gvk("v1", "Service")  # type: ignore[assignment]
ENDPOINT_SLICE: Kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")  # type: ignore[assignment]

MIN_SYNC_PERIOD = 1 * SECOND
BURST_SYNCS = 2
SYNC_DURATION = 10 * MILLISECOND
DEFAULT_AFFINITY_SECONDS = 10800

# Outcomes of a pick other than an endpoint.
REJECT = "reject"
DROP = "drop"


def _ip_int(ip: str) -> int:
    try:
        return int(ipaddress.IPv4Address(ip))
    except ValueError:
        return 0


class Endpoint:
    """One ``ip:port`` of a Service port, with its EndpointSlice conditions."""

    __slots__ = ("ip", "key", "namespace", "node", "pod", "port", "ready", "serving",
                 "terminating")

    def __init__(self, ip: str, port: int, node: str, ready: bool, serving: bool,
                 terminating: bool, namespace: str, pod: str) -> None:
        self.ip = ip
        self.port = port
        self.node = node
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.namespace = namespace
        self.pod = pod
        self.key = f"{ip}:{port}"

    def __repr__(self) -> str:
        return f"Endpoint({self.key} {self.namespace}/{self.pod} ready={self.ready})"


class ServicePort:
    """The rules of one Service port (``ServicePortName`` ``ns/name:port``)."""

    __slots__ = ("_local", "affinity", "cluster_endpoints", "cluster_ips", "endpoints",
                 "external_ips", "external_local", "has_endpoints", "internal_local",
                 "lb_ips", "name", "namespace", "node_port", "port", "port_name", "protocol",
                 "service", "type")

    def __init__(self, svc: Obj, sp: Obj, endpoints: list[Endpoint]) -> None:
        meta = svc.get("metadata") or {}
        spec = svc.get("spec") or {}
        self.namespace: str = meta.get("namespace", "")
        self.name: str = meta.get("name", "")
        self.service = f"{self.namespace}/{self.name}"
        self.port_name: str = sp.get("name") or ""
        self.protocol: str = sp.get("protocol") or "TCP"
        self.port: int = int(sp.get("port") or 0)
        self.type: str = spec.get("type") or "ClusterIP"
        self.node_port: int = int(sp.get("nodePort") or 0) \
            if self.type in ("NodePort", "LoadBalancer") else 0
        self.cluster_ips: tuple[str, ...] = tuple(
            ip for ip in spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get(
                "clusterIP") else []) if ip and ip != "None")
        self.lb_ips: tuple[str, ...] = tuple(
            ing["ip"] for ing in ((svc.get("status") or {}).get("loadBalancer") or {}).get(
                "ingress") or () if ing.get("ip") and ing.get("ipMode", "VIP") == "VIP") \
            if self.type == "LoadBalancer" else ()
        self.external_ips: tuple[str, ...] = tuple(spec.get("externalIPs") or ())
        self.external_local = (spec.get("externalTrafficPolicy") == "Local"
                               and self.type in ("NodePort", "LoadBalancer"))
        self.internal_local = spec.get("internalTrafficPolicy") == "Local"
        affinity = 0
        if spec.get("sessionAffinity") == "ClientIP":
            cfg = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {})
            affinity = int(cfg.get("timeoutSeconds") or DEFAULT_AFFINITY_SECONDS)
        self.affinity = affinity * SECOND
        self.endpoints = tuple(endpoints)
        ready = tuple(e for e in endpoints if e.ready)
        self.cluster_endpoints = ready or tuple(e for e in endpoints
                                                if e.serving and e.terminating)
        self.has_endpoints = bool(self.cluster_endpoints)
        self._local: dict[str, tuple[Endpoint, ...]] = {}

    def local(self, node: str) -> tuple[Endpoint, ...]:
        """Endpoints usable by ``Local`` traffic policies on ``node``."""
        found = self._local.get(node)
        if found is None:
            mine = [e for e in self.endpoints if e.node == node]
            found = tuple(e for e in mine if e.ready) or tuple(
                e for e in mine if e.serving and e.terminating)
            self._local[node] = found
        return found

    def __repr__(self) -> str:
        return f"ServicePort({self.service}:{self.port_name or self.port})"


class RuleTable:
    """One sync's rules: what every up-to-date node's iptables says."""

    __slots__ = ("by_service", "node_ports", "time", "version", "vip_addresses", "vips")

    def __init__(self, version: int, time: int, by_service: dict[tuple[str, str],
                                                                  list[ServicePort]]) -> None:
        self.version = version
        self.time = time
        self.by_service = by_service
        self.vips: dict[tuple[str, int, str], ServicePort] = {}
        self.node_ports: dict[tuple[int, str], ServicePort] = {}
        self.vip_addresses: dict[str, str] = {}
        for key in sorted(by_service):
            for sp in by_service[key]:
                for ip in sp.cluster_ips:
                    self.vips[(ip, sp.port, sp.protocol)] = sp
                    self.vip_addresses[ip] = "cluster"
                for ip in sp.lb_ips:
                    self.vips[(ip, sp.port, sp.protocol)] = sp
                    self.vip_addresses[ip] = "loadbalancer"
                for ip in sp.external_ips:
                    self.vips[(ip, sp.port, sp.protocol)] = sp
                    self.vip_addresses.setdefault(ip, "external")
                if sp.node_port:
                    self.node_ports[(sp.node_port, sp.protocol)] = sp

    def __repr__(self) -> str:
        return f"RuleTable(v{self.version} at {self.time}, {len(self.vips)} VIPs)"


def endpoints_of(svc: Obj, sp: Obj, slices: list[Obj]) -> list[Endpoint]:
    """The endpoints of one Service port from its EndpointSlices (``endpointslicecache``):
    slice ports are matched by name and protocol; nil conditions read as ready/serving."""
    name = sp.get("name") or ""
    protocol = sp.get("protocol") or "TCP"
    seen: dict[str, Endpoint] = {}
    for s in slices:
        if s.get("addressType", "IPv4") != "IPv4":
            continue
        number = None
        for p in s.get("ports") or ():
            if (p.get("name") or "") == name and (p.get("protocol") or "TCP") == protocol:
                number = p.get("port")
                break
        if number is None:
            continue
        for ep in s.get("endpoints") or ():
            addrs = ep.get("addresses") or ()
            if not addrs:
                continue
            cond = ep.get("conditions") or {}
            ready = cond.get("ready")
            ready = True if ready is None else bool(ready)
            serving = cond.get("serving")
            serving = ready if serving is None else bool(serving)
            terminating = bool(cond.get("terminating"))
            ref = ep.get("targetRef") or {}
            e = Endpoint(addrs[0], int(number), ep.get("nodeName") or "", ready, serving,
                         terminating, ref.get("namespace") or "", ref.get("name") or "")
            seen.setdefault(e.key, e)
    return sorted(seen.values(), key=lambda e: (_ip_int(e.ip), e.port))


class KubeProxy:
    """Every node's kube-proxy, in lockstep (see the module docstring)."""

    name = "kube-proxy"

    def __init__(self, network: Network) -> None:
        self.network = network
        cluster = network.cluster
        self.cluster = cluster
        self.api = cluster.api
        self.loop = cluster.loop
        self.rng = cluster.streams("kube-proxy")
        ensure_slice_index(self.api)
        self.tables: list[RuleTable] = []
        self._by_service: dict[tuple[str, str], list[ServicePort]] = {}
        self._dirty: dict[tuple[str, str], None] = {}
        self._tokens = float(BURST_SYNCS)
        self._token_time = self.loop.now
        self._timer: Timer | None = None
        self._syncing = False
        # node → (table applied, when)
        self._node_tables: dict[str, tuple[RuleTable, int]] = {}
        self._containers: dict[str, Any] = {}
        # (node, service, port name, protocol, client ip) → (endpoint key, last seen): the
        # per-node ``recent`` lists
        self._affinity: dict[tuple[str, str, str, str, str], tuple[str, int]] = {}
        latency = cluster.watch_latency("kube-proxy")
        self.api.watch(SERVICE, self._on_service, latency=latency, name=self.name)
        self.api.watch(ENDPOINT_SLICE, self._on_slice, latency=latency, name=self.name)

    # ------------------------------------------------------------------ change tracking

    def _on_service(self, event: str, svc: Obj, old: Obj | None) -> None:
        meta = svc.get("metadata") or {}
        self._dirty[(meta.get("namespace", ""), meta.get("name", ""))] = None
        self._request_sync()

    def _on_slice(self, event: str, obj: Obj, old: Obj | None) -> None:
        meta = obj.get("metadata") or {}
        service = (meta.get("labels") or {}).get(LABEL_SERVICE_NAME)
        if service:
            self._dirty[(meta.get("namespace", ""), service)] = None
            self._request_sync()

    def _refill(self) -> None:
        now = self.loop.now
        self._tokens = min(float(BURST_SYNCS),
                           self._tokens + (now - self._token_time) / MIN_SYNC_PERIOD)
        self._token_time = now

    def _request_sync(self) -> None:
        """``BoundedFrequencyRunner.Run``: run now if a token is free, else when one is."""
        if self._syncing or self._timer is not None:
            return
        self._refill()
        if self._tokens >= 1.0:
            self._tokens -= 1.0
            self._syncing = True
            self.loop.call_later(SYNC_DURATION, self._sync)
        else:
            wait = int((1.0 - self._tokens) * MIN_SYNC_PERIOD) + 1
            self._timer = self.loop.call_later(wait, self._retry)

    def _retry(self) -> None:
        self._timer = None
        if self._dirty:
            self._request_sync()

    def _sync(self) -> None:
        """``syncProxyRules``: rebuild the changed Services' rules into a new table."""
        self._syncing = False
        dirty, self._dirty = self._dirty, {}
        by_service = dict(self._by_service)
        for key in sorted(dirty):
            ns, name = key
            svc = self.api.try_get(SERVICE, ns, name)
            spec = (svc or {}).get("spec") or {}
            if svc is None or spec.get("type") == "ExternalName":
                by_service.pop(key, None)
                continue
            slices = self.api.by_index(ENDPOINT_SLICE, SLICE_INDEX, f"{ns}/{name}")
            slices.sort(key=lambda s: s["metadata"]["name"])
            ports = [ServicePort(svc, sp, endpoints_of(svc, sp, slices))
                     for sp in spec.get("ports") or ()]
            by_service[key] = ports
        self._by_service = by_service
        table = RuleTable(len(self.tables) + 1, self.loop.now, by_service)
        self.tables.append(table)
        now = self.loop.now
        for node in sorted(self.cluster.kubelets):
            if self._ready(node):
                self._node_tables[node] = (table, now)
        self.network.rules_changed(table)
        if self._dirty:
            self._request_sync()

    # ------------------------------------------------------------------ per node

    def _find_container(self, node: str) -> Any:
        kubelet = self.cluster.kubelets.get(node)
        if kubelet is None or not kubelet.running:
            return None
        best = None
        for containers in kubelet.runtime.containers.values():
            for c in containers:
                if (c.name == "kube-proxy" and c.state == "running"
                        and c.image.image.repository.endswith("/kube-proxy")
                        and (best is None or c.started_at > best.started_at)):
                    best = c
        return best

    def _ready(self, node: str) -> bool:
        """Whether the node's kube-proxy runs and has done its first sync (healthz up)."""
        c = self._containers.get(node)
        if c is None or c.state != "running":
            c = self._find_container(node)
            if c is None:
                self._containers.pop(node, None)
                return False
            self._containers[node] = c
        app = c.app
        return app is not None and self.loop.now >= app.ready_at

    def table(self, node: str) -> RuleTable | None:
        """The rules ``node`` applies now; None when it has none (powered off, or rebooted
        and its kube-proxy has not synced yet)."""
        kubelet = self.cluster.kubelets.get(node)
        if kubelet is None or not kubelet.running:
            return None
        latest = self.tables[-1] if self.tables else None
        state = self._node_tables.get(node)
        if self._ready(node):
            if latest is not None and (state is None or state[0] is not latest):
                self._node_tables[node] = (latest, self.loop.now)
            return latest
        if state is None or state[1] < kubelet.started_at:
            return None
        return state[0]

    def version(self, node: str) -> int:
        """The version of the node's rules (0 = none): for tests and the lessons."""
        t = self.table(node)
        return t.version if t is not None else 0

    # ------------------------------------------------------------------ picking

    def pick(self, sp: ServicePort, node: str, client_ip: str,
             external: bool) -> Endpoint | str:
        """The endpoint a new connection from ``client_ip`` through ``node`` is DNATed to,
        or :data:`REJECT` / :data:`DROP`."""
        if (external and sp.external_local) or (not external and sp.internal_local):
            eps = sp.local(node)
            if not eps:
                return DROP if sp.has_endpoints else REJECT
        else:
            eps = sp.cluster_endpoints
            if not eps:
                return REJECT
        if sp.affinity:
            key = (node, sp.service, sp.port_name, sp.protocol, client_ip)
            now = self.loop.now
            found = self._affinity.get(key)
            if found is not None and now - found[1] <= sp.affinity:
                for e in eps:
                    if e.key == found[0]:
                        self._affinity[key] = (e.key, now)
                        return e
            e = eps[int(self.rng.random() * len(eps))]
            self._affinity[key] = (e.key, now)
            return e
        n = len(eps)
        return eps[0] if n == 1 else eps[int(self.rng.random() * n)]

