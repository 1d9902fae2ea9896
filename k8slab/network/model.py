"""The network: how one TCP connection finds its way, and what answers at the other end.

``cluster.network`` (:class:`Network`) is the data plane of the whole lab — the Linux kernels,
iptables rules, the flannel overlay and the learner's VPN. It routes each *new connection*
from a client (the workstation, a node, a pod: :class:`Client`) to a listening app, or fails
it the way the kernel would, and it serves requests on established connections
(:class:`Conn`). Transports (:mod:`.transport`) build curl's and wrk's view on top of it.

Where a connection goes (kubernetes.md §7):

- ``127.0.0.1``/the client's own address: its own network namespace (a pod's containers share
  one; a node's is the host network with its host-network pods);
- from a node or pod: a ClusterIP, LoadBalancer ingress IP or external IP matched by the
  *client node's* kube-proxy rules (:mod:`.proxy`) is DNATed to a random usable endpoint, the
  source address kept; ClusterIPs on a port the Service does not have match no rule and time
  out; a node address with a node port goes through *that node's* rules (see below);
- from the workstation (on a VPN into the node network ``172.16.0.0/24``): only node addresses
  and LoadBalancer IPs are routed — ClusterIPs, pod IPs and anything else time out;
- a node port (``<node IP>:<nodePort>``) or a LoadBalancer IP (reaching the node that
  announces it, :mod:`.lb`) is handled by that node's rules: ``externalTrafficPolicy: Cluster``
  picks any usable endpoint and masquerades (the pod sees the node's flannel address
  ``10.244.N.0`` for a remote endpoint, its bridge ``10.244.N.1`` for a local one);
  ``Local`` only local endpoints, keeping the client's address, and drops the connection when
  there is none;
- the final hop to a pod IP: the pod's node is found from the node pod CIDRs (the flannel
  routes); a powered-off node swallows the packets (timeout), a node with no such pod answers
  ``No route to host`` after its 3 s ARP attempt, a pod with nothing on the port resets
  (``Connection refused``);
- to a node address: a powered-off machine times out from the workstation and gives ``No
  route to host`` (ARP) from the node network; host-network apps (kube-apiserver …) answer.

Latency model (seeded ``network/latency`` stream): workstation ↔ node network 8–11 ms round
trip (a VPN across the Internet), node ↔ node 0.2–0.35 ms, node ↔ its own pods 0.04–0.08 ms,
loopback 20 µs. A connect costs one round trip, a request one round trip plus the server's
time (:mod:`.cpu` queueing plus the app's own latency), a response body 8 ns a byte on the LAN
(1 Gbit/s) and 160 ns a byte over the VPN (50 Mbit/s).

Every request is logged in :attr:`Network.log` (:mod:`.log`).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from ..apps.base import HTTPRequest, HTTPResponse
from ..sim.clock import MILLISECOND, SECOND
from .cpu import CpuState, container_capacity
from .dns import (
    CACHED_LOOKUP,
    COREDNS_TIME,
    RESOLVED_STUB,
    SITE_DNS_TIME,
    WORKSTATION_CACHE_TTL,
    CoreDNS,
    ResolvConf,
    Resolver,
    SiteDNS,
    is_ip,
    parse_hosts,
)
from .http import NetError, Request
from .log import RequestLog
from .proxy import DROP, REJECT, KubeProxy, RuleTable

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = [
    "ARP_TIMEOUT",
    "SYN_TIMEOUT",
    "WORKSTATION_IP",
    "Client",
    "Conn",
    "Network",
    "NodeClient",
    "PodClient",
    "WorkstationClient",
]

Obj = dict[str, Any]

#: the workstation's address on the lab VPN (what ``externalTrafficPolicy: Local`` shows)
WORKSTATION_IP = "10.8.0.2"
#: Linux gives up a TCP connect after 6 SYN retransmissions (1+2+…+64 s)
SYN_TIMEOUT = 127 * SECOND
#: a neighbour (ARP) resolution that gets no answer fails after 3 probes, 1 s apart
ARP_TIMEOUT = 3 * SECOND

WAN_RTT = (8 * MILLISECOND, 11 * MILLISECOND)
LAN_RTT = (200_000, 350_000)
VETH_RTT = (40_000, 80_000)
LOOPBACK_RTT = 20_000

#: apps of the system images whose ports speak TLS (kube-apiserver, kubelet-style components,
#: etcd); the rest of the lab's images serve plain HTTP
_TLS_PORTS = frozenset((6443, 10250, 10257, 10259, 2379, 2380))

DETAIL = {"refused": "Connection refused", "unreachable": "No route to host",
          "timeout": "Connection timed out", "reset": "Connection reset by peer",
          "closed": "", "tls": "", "dns": ""}


def _ip_int(ip: str) -> int:
    try:
        return int(ipaddress.IPv4Address(ip))
    except ValueError:
        return -1


# ============================================================================ clients


class Client:
    """One sender: its address, node, resolver files and local (loopback) services."""

    kind = "client"

    def __init__(self, network: Network, name: str, ip: str, node: str | None) -> None:
        self.network = network
        self.name = name
        self.ip = ip
        self.node = node
        self.log_id = network.log.intern(name)
        self.resolver = Resolver(network, self)
        self._hosts: tuple[bytes, dict[str, list[str]]] = (b"\0", {})
        self._conf: tuple[bytes, ResolvConf] = (b"\0", ResolvConf())
        self._port = 32768 + network.rng.randrange(28232)

    @property
    def in_cluster(self) -> bool:
        return self.node is not None

    def ephemeral_port(self) -> int:
        """The next local port (Linux hands them out from 32768–60999)."""
        self._port = 32768 + (self._port - 32768 + 1) % 28232
        return self._port

    # files ------------------------------------------------------------------------
    def hosts_text(self) -> bytes:
        return b"127.0.0.1 localhost\n"

    def resolv_text(self) -> bytes:
        return f"nameserver {RESOLVED_STUB}\n".encode()

    def hosts(self) -> dict[str, list[str]]:
        text = self.hosts_text()
        if text != self._hosts[0]:
            self._hosts = (text, parse_hosts(text.decode("utf-8", "replace")))
        return self._hosts[1]

    def resolv_conf(self) -> ResolvConf:
        from .dns import parse_resolv_conf

        text = self.resolv_text()
        if text != self._conf[0]:
            self._conf = (text, parse_resolv_conf(text.decode("utf-8", "replace")))
        return self._conf[1]

    # local delivery ----------------------------------------------------------------
    def local_app(self, port: int) -> Any:
        """``(app, container)`` listening on ``port`` in this machine's own namespace."""
        return None

    def alive(self) -> bool:
        return True


class WorkstationClient(Client):
    kind = "workstation"

    def __init__(self, network: Network, workstation: Any) -> None:
        super().__init__(network, "workstation", WORKSTATION_IP, None)
        self.workstation = workstation
        # (local port) → (namespace, pod, pod port): ``kubectl port-forward`` listeners
        self.forwards: dict[int, tuple[str, str, int]] = {}
        # (local port) → kubectl's accept callback, told whether the pod's port answers
        self.forward_hooks: dict[int, Any] = {}

    def hosts_text(self) -> bytes:
        fs = getattr(self.workstation, "fs", None)
        if fs is not None:
            try:
                return bytes(fs.read("/etc/hosts"))
            except (OSError, Exception):
                pass
        hostname = getattr(self.workstation, "hostname", "learner")
        return f"127.0.0.1 localhost\n127.0.1.1 {hostname}\n".encode()


class NodeClient(Client):
    kind = "node"

    def __init__(self, network: Network, node: str) -> None:
        kubelet = network.cluster.kubelets[node]
        super().__init__(network, f"node/{node}", kubelet.node.ip, node)

    def hosts_text(self) -> bytes:
        kubelet = self.network.cluster.kubelets.get(self.node or "")
        ip = kubelet.node.ip if kubelet is not None else self.ip
        return f"127.0.0.1 localhost\n{ip} {self.node}\n".encode()

    def local_app(self, port: int) -> Any:
        kubelet = self.network.cluster.kubelets.get(self.node or "")
        if kubelet is None or not kubelet.running:
            return None
        return self.network.find_app(kubelet, kubelet.node.ip, port)

    def alive(self) -> bool:
        kubelet = self.network.cluster.kubelets.get(self.node or "")
        return kubelet is not None and kubelet.running


class PodClient(Client):
    kind = "pod"

    def __init__(self, network: Network, container: Any) -> None:
        super().__init__(network, f"{container.namespace}/{container.pod_name}",
                         container.pod_ip, container.node_name)
        self.container = container

    def _file(self, path: str, default: bytes) -> bytes:
        try:
            return bytes(self.container.fs.read(path))
        except Exception:
            return default

    def hosts_text(self) -> bytes:
        return self._file("/etc/hosts", b"127.0.0.1 localhost\n")

    def resolv_text(self) -> bytes:
        return self._file("/etc/resolv.conf", b"")

    def local_app(self, port: int) -> Any:
        kubelet = self.network.cluster.kubelets.get(self.node or "")
        if kubelet is None or not kubelet.running:
            return None
        return self.network.find_app(kubelet, self.ip, port)

    def alive(self) -> bool:
        return self.container.state == "running"


# ============================================================================ connections


class Conn:
    """An established TCP connection to an app (what conntrack pins)."""

    __slots__ = ("app", "backend_id", "closing", "container", "cpu", "keepalive_left",
                 "node", "remote_ip", "remote_port", "rtt", "service_id", "source_ip",
                 "target_ip", "target_port", "tls")

    def __init__(self, app: Any, container: Any, node: str, target_ip: str,
                 target_port: int, remote_ip: str, remote_port: int, source_ip: str,
                 rtt: int, service_id: int, backend_id: int, cpu: CpuState | None,
                 tls: bool) -> None:
        self.app = app
        self.container = container
        self.node = node
        self.target_ip = target_ip
        self.target_port = target_port
        self.remote_ip = remote_ip
        self.remote_port = remote_port
        self.source_ip = source_ip
        self.rtt = rtt
        self.service_id = service_id
        self.backend_id = backend_id
        self.cpu = cpu
        self.tls = tls
        self.closing = False
        limit = getattr(app, "keepalive_requests", None)
        self.keepalive_left = int(limit) if limit else -1

    def alive(self) -> bool:
        """The server end still exists (its process runs and listens, its machine is on)."""
        c = self.container
        if c is not None and c.state != "running":
            return False
        return bool(self.app.listening(self.target_port))


class Failure:
    """Why a connect failed, and how long the client waited to learn it."""

    __slots__ = ("detail", "elapsed", "kind")

    def __init__(self, kind: str, elapsed: int) -> None:
        self.kind = kind
        self.elapsed = elapsed
        self.detail = DETAIL.get(kind, "")


# ============================================================================ the network


class Network:
    """The lab's data plane (see the module docstring)."""

    def __init__(self, cluster: Cluster) -> None:
        from .ingress import IngressController
        from .lb import MetalLB

        self.cluster = cluster
        self.loop = cluster.loop
        self.api = cluster.api
        self.rng = cluster.streams("network/latency")
        self.log = RequestLog()
        self.site_dns = SiteDNS(self)
        self.coredns = CoreDNS(self)
        self.proxy = KubeProxy(self)
        self.lb = MetalLB(self)
        self.ingress = IngressController(self)
        self._cpu: dict[str, CpuState] = {}
        self._cidrs: dict[int, dict[int, str]] = {}
        self._cidr_stamp = -1
        self._node_ips: dict[str, str] = {}
        self._node_ip_stamp = -1
        self._transports: dict[str, Any] = {}
        self._node_clients: dict[str, NodeClient] = {}
        self._ws_cache: dict[str, int] = {}
        self._backend_ids: dict[str, int] = {}
        cluster.extensions["http_exchange"] = self.probe_http
        cluster.extensions["tcp_connect"] = self.probe_tcp
        cluster.extensions["network"] = self

    # ------------------------------------------------------------------ wiring

    def attach(self, kubelet: Any) -> None:
        """Give a new machine's containers their transports (``container.transport``)."""
        kubelet.runtime.transport_factory = self.pod_transport

    def workstation_transport(self, workstation: Any) -> Any:
        from .transport import HostTransport

        return HostTransport(self, WorkstationClient(self, workstation))

    def node_transport(self, node: str) -> Any:
        from .transport import HostTransport

        return HostTransport(self, self.node_client(node))

    def node_client(self, node: str) -> NodeClient:
        client = self._node_clients.get(node)
        if client is None or client.ip != self.cluster.kubelets[node].node.ip:
            client = self._node_clients[node] = NodeClient(self, node)
        return client

    def pod_transport(self, container: Any) -> Any:
        """The transport of a container (all containers of a pod share its network, but
        each reads its own ``/etc/hosts`` and ``/etc/resolv.conf``)."""
        from .transport import HostTransport

        found = self._transports.get(container.id)
        if found is None:
            if self._is_host_network(container):
                client: Client = PodClient(self, container)
                client.ip = self.cluster.kubelets[container.node_name].node.ip
            else:
                client = PodClient(self, container)
            found = self._transports[container.id] = HostTransport(self, client)
        return found

    def _is_host_network(self, container: Any) -> bool:
        kubelet = self.cluster.kubelets.get(container.node_name)
        if kubelet is None:
            return False
        sandbox = kubelet.runtime.sandboxes.get(container.pod_uid)
        return bool(sandbox is not None and sandbox.host_network)

    def rules_changed(self, table: RuleTable) -> None:
        """A kube-proxy sync happened (hook for the load balancer's announcements)."""
        self.lb.rules_changed(table)

    # ------------------------------------------------------------------ addresses

    def machine_on(self, node: str) -> bool:
        kubelet = self.cluster.kubelets.get(node)
        return kubelet is not None and kubelet.running

    def entry_point(self) -> str:
        """Where ``ms.iirii.com`` points: the control-plane node."""
        config = self.cluster.config
        for node in config.nodes:
            if node.role == "control-plane":
                return node.ip
        return config.nodes[0].ip if config.nodes else ""

    def node_of_ip(self, ip: str) -> str | None:
        """The machine that owns a node address."""
        kubelets = self.cluster.kubelets
        stamp = len(kubelets)
        if stamp != self._node_ip_stamp:
            self._node_ips = {k.node.ip: name for name, k in kubelets.items()}
            self._node_ip_stamp = stamp
        return self._node_ips.get(ip)

    def node_of_pod_ip(self, ip: str) -> str | None:
        """The node whose pod CIDR holds ``ip`` (flannel's routes)."""
        value = _ip_int(ip)
        if value < 0:
            return None
        for _ in range(2):
            for prefix, table in self._cidrs.items():
                found = table.get(value >> (32 - prefix))
                if found is not None:
                    return found
            if self._cidr_stamp == self.loop.now:
                return None
            self._rebuild_cidrs()
        return None

    def _rebuild_cidrs(self) -> None:
        self._cidr_stamp = self.loop.now
        tables: dict[int, dict[int, str]] = {}
        for name, kubelet in self.cluster.kubelets.items():
            cidr = kubelet.runtime.ipam.cidr
            if not cidr:
                continue
            net = ipaddress.IPv4Network(cidr, strict=False)
            tables.setdefault(net.prefixlen, {})[int(net.network_address) >> (
                32 - net.prefixlen)] = name
        self._cidrs = tables

    def pod_gateway(self, node: str, network_address: bool = False) -> str:
        """A node's cni0 bridge address (``.1``) or flannel.1 address (``.0``)."""
        kubelet = self.cluster.kubelets.get(node)
        cidr = kubelet.runtime.ipam.cidr if kubelet is not None else None
        if not cidr:
            return kubelet.node.ip if kubelet is not None else ""
        net = ipaddress.IPv4Network(cidr, strict=False)
        return str(net.network_address + (0 if network_address else 1))

    def find_app(self, kubelet: Any, ip: str, port: int) -> tuple[Any, Any] | None:
        """The running app listening on ``ip:port`` on a machine, with its container."""
        runtime = kubelet.runtime
        for uid, sandbox in runtime.sandboxes.items():
            if not sandbox.ready or sandbox.ip != ip:
                continue
            for c in runtime.containers.get(uid, ()):
                app = c.app
                if c.state == "running" and app is not None and app.listening(port):
                    return app, c
        return None

    def _sandbox_exists(self, kubelet: Any, ip: str) -> bool:
        return any(s.ready and s.ip == ip for s in kubelet.runtime.sandboxes.values())

    # ------------------------------------------------------------------ latency

    def _between(self, low_high: tuple[int, int]) -> int:
        lo, hi = low_high
        return lo + int(self.rng.random() * (hi - lo))

    def hop(self, src_node: str | None, dst_node: str | None, dst_is_pod: bool) -> int:
        """Round trip from a machine to a machine (or its pod)."""
        if src_node is None:
            base = self._between(WAN_RTT)
        elif src_node == dst_node:
            base = 0
        else:
            base = self._between(LAN_RTT)
        if dst_is_pod or (src_node is not None and src_node == dst_node):
            base += self._between(VETH_RTT)
        return base

    # ------------------------------------------------------------------ connecting

    def dial(self, client: Client, ip: str, port: int) -> Conn | Failure:
        """Open a TCP connection from ``client`` to ``ip:port`` (the kernel's and
        kube-proxy's work); a :class:`Failure` says why not and how long it took."""
        if ip.startswith("127.") or ip == client.ip:
            found = client.local_app(port)
            target_port = port
            rtt = LOOPBACK_RTT
            if found is None and client.kind == "workstation":
                forwarded = self._forwarded(client, port)  # type: ignore[arg-type]
                if isinstance(forwarded, Failure):
                    return forwarded
                if forwarded is not None:
                    # tunnelled through the apiserver and the kubelet, over the VPN
                    found, target_port = forwarded[:2], forwarded[2]
                    rtt = self._between(WAN_RTT)
            if found is None:
                return Failure("refused", LOOPBACK_RTT)
            app, container = found
            return self._conn(app, container, client.node or "", client.ip, target_port, ip,
                              port, "127.0.0.1" if ip.startswith("127.") else client.ip,
                              rtt, 0)
        if client.in_cluster:
            return self._dial_in_cluster(client, ip, port)
        return self._dial_outside(client, ip, port)

    def _dial_in_cluster(self, client: Client, ip: str, port: int) -> Conn | Failure:
        node = client.node or ""
        table = self.proxy.table(node)
        if table is not None:
            sp = table.vips.get((ip, port, "TCP"))
            if sp is not None:
                ep = self.proxy.pick(sp, node, client.ip, external=False)
                if ep is REJECT:
                    return Failure("refused", self._between(VETH_RTT))
                if ep is DROP:
                    return Failure("timeout", SYN_TIMEOUT)
                return self._deliver(client, node, ep.ip, ep.port, ip, port, client.ip,
                                     sp.service, extra=0)
            if ip in table.vip_addresses:
                # A Service address on a port it does not have: no rule, nowhere to go.
                return Failure("timeout", SYN_TIMEOUT)
        elif self._looks_virtual(ip):
            return Failure("timeout", SYN_TIMEOUT)
        target = self.node_of_ip(ip)
        if target is not None:
            return self._to_node(client, node, target, ip, port)
        lb_node = self.lb.announcer(ip)
        if lb_node is not None:
            return self._to_node(client, node, lb_node, ip, port)
        return self._deliver(client, node, ip, port, ip, port, client.ip, "", extra=0)

    def _looks_virtual(self, ip: str) -> bool:
        try:
            addr = ipaddress.IPv4Address(ip)
        except ValueError:
            return False
        return addr in ipaddress.IPv4Network(self.cluster.config.service_cidr, strict=False)

    def _dial_outside(self, client: Client, ip: str, port: int) -> Conn | Failure:
        target = self.node_of_ip(ip)
        if target is None:
            target = self.lb.announcer(ip)
        if target is None:
            return Failure("timeout", SYN_TIMEOUT)
        return self._to_node(client, None, target, ip, port)

    def _to_node(self, client: Client, src_node: str | None, target: str, ip: str,
                 port: int) -> Conn | Failure:
        """A connection arriving at machine ``target`` for ``ip:port`` (one of its
        addresses, or a LoadBalancer IP it announces)."""
        kubelet = self.cluster.kubelets.get(target)
        if kubelet is None or not kubelet.running:
            if src_node is None:
                return Failure("timeout", SYN_TIMEOUT)
            return Failure("unreachable", ARP_TIMEOUT)
        hop = self.hop(src_node, target, False) if src_node != target else 0
        table = self.proxy.table(target)
        node_ip = kubelet.node.ip
        if table is not None:
            sp = None
            if ip == node_ip:
                sp = table.node_ports.get((port, "TCP"))
            else:
                sp = table.vips.get((ip, port, "TCP"))
            if sp is not None:
                local_source = src_node == target
                external = not local_source
                ep = self.proxy.pick(sp, target, client.ip, external=external)
                if ep is REJECT:
                    return Failure("refused", hop + LOOPBACK_RTT)
                if ep is DROP:
                    return Failure("timeout", SYN_TIMEOUT)
                if external and sp.external_local:
                    source = client.ip
                elif ep.node == target:
                    source = self.pod_gateway(target)
                else:
                    source = self.pod_gateway(target, network_address=True)
                if not external:
                    source = client.ip
                return self._deliver(client, target, ep.ip, ep.port, ip, port, source,
                                     sp.service, extra=hop)
            if ip != node_ip:
                return Failure("timeout", SYN_TIMEOUT)
        elif ip != node_ip:
            return Failure("timeout", SYN_TIMEOUT)
        found = self.find_app(kubelet, node_ip, port)
        rtt = self.hop(src_node, target, False)
        if found is None:
            return Failure("refused", rtt)
        app, container = found
        return self._conn(app, container, target, node_ip, port, ip, port, client.ip, rtt, 0)

    def _deliver(self, client: Client, via: str, pod_ip: str, pod_port: int,
                 remote_ip: str, remote_port: int, source: str, service: str,
                 extra: int) -> Conn | Failure:
        """The last hop, from machine ``via`` to ``pod_ip:pod_port``."""
        target = self.node_of_ip(pod_ip)
        is_pod = False
        if target is None:
            target = self.node_of_pod_ip(pod_ip)
            is_pod = True
        if target is None:
            return Failure("timeout", SYN_TIMEOUT)
        kubelet = self.cluster.kubelets.get(target)
        if kubelet is None or not kubelet.running:
            if is_pod or client.node is None:
                return Failure("timeout", SYN_TIMEOUT)
            return Failure("unreachable", ARP_TIMEOUT)
        rtt = extra + self.hop(via, target, is_pod)
        found = self.find_app(kubelet, pod_ip, pod_port)
        if found is None:
            if is_pod and not self._sandbox_exists(kubelet, pod_ip):
                return Failure("unreachable", ARP_TIMEOUT)
            return Failure("refused", rtt)
        app, container = found
        service_id = self.log.intern(service) if service else 0
        return self._conn(app, container, target, pod_ip, pod_port, remote_ip, remote_port,
                          source, rtt, service_id)

    def _forwarded(self, client: WorkstationClient, port: int
                   ) -> tuple[Any, Any, int] | Failure | None:
        """A ``kubectl port-forward`` listener on the workstation: kubectl accepts the
        connection, then closes it without an answer (curl's ``Empty reply from server``)
        once the kubelet reports that nothing listens in the pod."""
        spec = client.forwards.get(port)
        if spec is None:
            return None
        ns, pod, pod_port = spec
        found = self.pod_port(ns, pod, pod_port)
        hook = client.forward_hooks.get(port)
        if hook is not None:
            hook(found is not None)
        if found is None:
            return Failure("closed", self._between(WAN_RTT))
        return found[0], found[1], pod_port

    def pod_port(self, namespace: str, pod: str, port: int) -> tuple[Any, Any] | None:
        """``kubectl port-forward``'s path: the app listening on ``port`` inside the pod's
        network namespace (``localhost:<port>`` there), or None when nothing listens or the
        pod does not run. Use :meth:`dial_pod_port` for a full connection."""
        from ..api.kinds import by_gvk

        pod_kind = by_gvk("v1", "Pod")
        obj = self.api.try_get(pod_kind, namespace, pod) if pod_kind else None
        if obj is None:
            return None
        node = (obj.get("spec") or {}).get("nodeName")
        ip = (obj.get("status") or {}).get("podIP")
        kubelet = self.cluster.kubelets.get(node or "")
        if kubelet is None or not kubelet.running or not ip:
            return None
        return self.find_app(kubelet, ip, port)

    def dial_pod_port(self, namespace: str, pod: str, port: int) -> Conn | Failure:
        """A connection into a pod's ``localhost:<port>`` as ``kubectl port-forward`` makes
        it (through the apiserver and the kubelet, so no Service or kube-proxy involved)."""
        found = self.pod_port(namespace, pod, port)
        if found is None:
            return Failure("refused", LOOPBACK_RTT)
        app, container = found
        return self._conn(app, container, container.node_name, container.pod_ip, port,
                          "127.0.0.1", port, "127.0.0.1", self._between(WAN_RTT), 0)

    def _conn(self, app: Any, container: Any, node: str, target_ip: str, target_port: int,
              remote_ip: str, remote_port: int, source: str, rtt: int,
              service_id: int) -> Conn:
        key = f"{container.namespace}/{container.pod_name}" if container is not None else ""
        backend = self._backend_ids.get(key)
        if backend is None:
            backend = self._backend_ids[key] = self.log.intern(key)
        return Conn(app, container, node, target_ip, target_port, remote_ip, remote_port,
                    source, rtt, service_id, backend, self.cpu_state(container, app),
                    self._is_tls(app, target_port))

    @staticmethod
    def _is_tls(app: Any, port: int) -> bool:
        ports = getattr(app, "tls_ports", None)
        if ports is not None:
            return port in ports
        return type(app).__module__.endswith("apps.system") and port in _TLS_PORTS

    # ------------------------------------------------------------------ serving

    def cpu_state(self, container: Any, app: Any) -> CpuState | None:
        if container is None:
            return None
        state = self._cpu.get(container.id)
        if state is None:
            state = CpuState(container_capacity(container, app), container.started_at,
                             float(getattr(app, "idle_cpu", 0.0) or 0.0))
            self._cpu[container.id] = state
        return state

    def http_request(self, conn: Conn, request: Request) -> HTTPRequest:
        """The request as the app receives it (headers merged, client address seen)."""
        headers: dict[str, str] = {}
        for name, value in request.headers:
            if name in headers:
                headers[name] = f"{headers[name]}, {value}"
            else:
                headers[name] = value
        if not any(k.lower() == "host" for k in headers):
            headers = {"Host": request.authority, **headers}
        return HTTPRequest(request.method, request.target, headers, request.body,
                           conn.target_port, conn.source_ip, request.scheme,
                           request.authority)

    def serve(self, conn: Conn, request: HTTPRequest, at: int
              ) -> tuple[HTTPResponse | None, int, str]:
        """One request on an established connection, arriving at ``at``: ``(response,
        server time ns, failure kind)``."""
        if not conn.alive():
            return None, 0, "reset"
        try:
            response = conn.app.serve_http(request)
        except (ConnectionRefusedError, ConnectionResetError):
            # the process stopped listening since the connect, or speaks no HTTP
            return None, 0, "reset"
        state = conn.cpu
        if state is not None:
            server = state.serve(at, response.cpu, response.latency)
        else:
            server = response.latency
        return response, server, ""

    # ------------------------------------------------------------------ DNS

    def dns_query(self, client: Client, server: str, qname: str
                  ) -> tuple[str, list[str], int]:
        """One UDP query from ``client`` to ``server:53``: ``(rcode, addresses, rtt)`` with
        rcode "timeout"/"refused" when no answer came back."""
        if server == RESOLVED_STUB or server.startswith("127."):
            if client.kind == "workstation":
                return self._workstation_lookup(qname)
            ips = self.site_dns.lookup(qname)
            return ("NOERROR", ips, SITE_DNS_TIME) if ips else ("NXDOMAIN", [], SITE_DNS_TIME)
        if not client.in_cluster:
            return "timeout", [], 0
        node = client.node or ""
        table = self.proxy.table(node)
        target_ip, via_service = server, False
        if table is not None:
            sp = table.vips.get((server, 53, "UDP"))
            if sp is not None:
                ep = self.proxy.pick(sp, node, client.ip, external=False)
                if ep is REJECT:
                    return "refused", [], self._between(VETH_RTT)
                if ep is DROP:
                    return "timeout", [], 0
                target_ip, via_service = ep.ip, True
            elif server in table.vip_addresses:
                return "timeout", [], 0
        elif self._looks_virtual(server):
            return "timeout", [], 0
        target = self.node_of_pod_ip(target_ip) or self.node_of_ip(target_ip)
        kubelet = self.cluster.kubelets.get(target or "")
        if kubelet is None or not kubelet.running:
            return "timeout", [], 0
        rtt = self.hop(node, target, True) + COREDNS_TIME
        found = self.find_app(kubelet, target_ip, 53)
        if found is None:
            if not self._sandbox_exists(kubelet, target_ip) and target_ip != kubelet.node.ip:
                return "timeout", [], 0
            return "refused", [], rtt
        app = found[0]
        if type(app).__name__ != "CoreDNS" and not via_service:
            return "timeout", [], 0
        rcode, ips = self.coredns.answer(qname)
        return rcode, ips, rtt

    def _workstation_lookup(self, qname: str) -> tuple[str, list[str], int]:
        """The laptop's systemd-resolved: cached for 30 s, else a query over the VPN."""
        now = self.loop.now
        ips = self.site_dns.lookup(qname)
        expiry = self._ws_cache.get(qname)
        if expiry is not None and expiry > now:
            cost = CACHED_LOOKUP
        else:
            cost = self._between(WAN_RTT) + SITE_DNS_TIME
            self._ws_cache[qname] = now + WORKSTATION_CACHE_TTL
        return ("NOERROR", ips, cost) if ips else ("NXDOMAIN", [], cost)

    # ------------------------------------------------------------------ metrics

    def cpu_usage(self, namespace: str, pod: str, container: str) -> int | None:
        """Cumulative CPU ns the pod's running container ``container`` has used since it
        started (cAdvisor's ``container_cpu_usage_seconds_total``, what metrics-server turns
        into ``kubectl top`` and the HPA into utilization); None when it is not running."""
        c = self._running_container(namespace, pod, container)
        if c is None:
            return None
        state = self._cpu.get(c.id)
        if state is None:
            idle = float(getattr(c.app, "idle_cpu", 0.0) or 0.0)
            elapsed = max(0, self.loop.now - c.started_at)
            return int(elapsed * idle / 1000.0)
        return state.usage(self.loop.now)

    def _running_container(self, namespace: str, pod: str, name: str) -> Any:
        from ..api.kinds import by_gvk

        pod_kind = by_gvk("v1", "Pod")
        obj = self.api.try_get(pod_kind, namespace, pod) if pod_kind else None
        if obj is None:
            return None
        kubelet = self.cluster.kubelets.get((obj.get("spec") or {}).get("nodeName") or "")
        if kubelet is None or not kubelet.running:
            return None
        latest, _ = kubelet.runtime.find(obj["metadata"].get("uid", ""), name)
        if latest is None or latest.state != "running":
            return None
        return latest

    # ------------------------------------------------------------------ probes (kubelet)

    def probe_http(self, node: str, host: str, port: int, request: HTTPRequest
                   ) -> HTTPResponse:
        """The kubelet's ``http_exchange`` hook for probes aimed elsewhere than its own pods
        (``httpGet.host``): resolved and routed from the node; failures raise what the
        kubelet turns into Go's error texts."""
        client = self.node_client(node)
        target = host
        if not is_ip(host):
            ips, _, failure = client.resolver.resolve(host)
            if failure or not ips:
                raise ProbeDialError(f"dial tcp: lookup {host} on {RESOLVED_STUB}:53: "
                                     "no such host")
            target = ips[0]
        result = self.dial(client, target, port)
        host_port = f"{target}:{port}"
        if isinstance(result, Failure):
            if result.kind == "refused":
                raise ConnectionRefusedError("connection refused")
            if result.kind == "timeout":
                raise TimeoutError("timeout")
            raise ProbeDialError(f"dial tcp {host_port}: connect: no route to host")
        if request.scheme == "https" and not result.tls:
            raise ProbeDialError("http: server gave HTTP response to HTTPS client")
        response, server, failure = self.serve(result, request, self.loop.now)
        if response is None:
            raise ConnectionResetError("connection reset by peer")
        total = result.rtt * 2 + server
        return HTTPResponse(response.status, response.headers, response.body,
                            latency=total, cpu=response.cpu)

    def probe_tcp(self, node: str, host: str, port: int) -> bool:
        """The kubelet's ``tcp_connect`` hook: can the node open a connection?"""
        client = self.node_client(node)
        target = host
        if not is_ip(host):
            ips, _, failure = client.resolver.resolve(host)
            if failure or not ips:
                return False
            target = ips[0]
        return not isinstance(self.dial(client, target, port), Failure)


class ProbeDialError(LookupError):
    """A probe's dial failure whose text the kubelet prints verbatim after ``Get "<url>": ``
    (it reports ``LookupError``s that way)."""


def net_error(failure: Failure, host: str, ip: str, port: int) -> NetError:
    phase = "connect" if failure.kind in ("refused", "unreachable", "timeout") else "response"
    return NetError(failure.kind, host=host, ip=ip, port=port,  # type: ignore[arg-type]
                    detail=failure.detail, phase=phase)
