"""Name resolution: CoreDNS, the lab network's own DNS, and each machine's stub resolver.

**CoreDNS** (``coredns/coredns`` ``plugin/kubernetes``; Corefile in :mod:`k8slab.addons`):
answers under the cluster domain from the Services and EndpointSlices it watches —

- ``<svc>.<ns>.svc.<domain>`` → the ClusterIP; a headless Service → the addresses of its
  *ready* endpoints (``publishNotReadyAddresses`` makes them all ready), in an order the
  ``loadbalance`` plugin shuffles; an ``ExternalName`` Service → a CNAME to its name;
- ``<hostname>.<svc>.<ns>.svc.<domain>`` → the endpoint with that hostname (StatefulSet pods);
- ``<a-b-c-d>.<ns>.pod.<domain>`` → ``a.b.c.d`` (``pods insecure``);
- anything else under the domain → NXDOMAIN; names outside it are forwarded to the node's
  ``/etc/resolv.conf`` upstream (``forward . /etc/resolv.conf``), the lab network's DNS.

A query reaches CoreDNS the way a real one does: UDP to the ``kube-dns`` ClusterIP, through the
client node's kube-proxy rules, to one CoreDNS pod — so resolution works only while ``kube-dns``
has ready endpoints and the chosen pod answers (:meth:`Network.dns_query`).

**The lab network's DNS** (:class:`SiteDNS`): the cluster's machines sit on a private network
with no Internet access besides the image registries. Its DNS server knows the machines
(``t.cs.1`` … by name) and the talk's public name ``ms.iirii.com``, which points at the
control-plane node (the talk's NodePort examples all go through it); every other name is
NXDOMAIN. So ``curl https://w.nocs.cn`` fails in a pod and on a node the way it fails on an
offline cluster (curl: "Could not resolve host"; the kubelet: ``lookup w.nocs.cn on
127.0.0.53:53: no such host``). The learner's workstation reaches the same DNS over its VPN.

**Stub resolvers** (:class:`Resolver`, glibc's ``res_search`` rules): ``/etc/hosts`` first,
then each candidate name in turn — a name with fewer dots than ``ndots`` (5 in pods) tries the
``search`` domains first and itself last, other names the other way round, a trailing dot only
itself; NXDOMAIN or an empty answer moves to the next candidate. A query that gets no answer
waits ``timeout`` (5 s) per attempt, ``attempts`` (2) times, then the lookup fails; an
ICMP-rejected query fails at once. A and AAAA go out together, so each candidate costs one
round trip.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..api.kinds import Kind, by_gvk
from ..controllers.endpointslice import SLICE_INDEX, ensure_slice_index
from ..sim.clock import SECOND

if TYPE_CHECKING:
    from .model import Client, Network

__all__ = [
    "CoreDNS",
    "ResolvConf",
    "Resolver",
    "SiteDNS",
    "is_ip",
    "parse_hosts",
    "parse_resolv_conf",
]

Obj = dict[str, Any]

SERVICE: Kind = by_gvk("v1", "Service")  # type: ignore[assignment]
NAMESPACE: Kind = by_gvk("v1", "Namespace")  # type: ignore[assignment]
ENDPOINT_SLICE: Kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")  # type: ignore[assignment]

NOERROR, NXDOMAIN = "NOERROR", "NXDOMAIN"

#: systemd-resolved's stub listener, the nameserver of nodes and ``dnsPolicy: Default`` pods
RESOLVED_STUB = "127.0.0.53"


def is_ip(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


@dataclass
class ResolvConf:
    nameservers: list[str] = field(default_factory=list)
    search: list[str] = field(default_factory=list)
    ndots: int = 1
    timeout: int = 5 * SECOND
    attempts: int = 2


def parse_resolv_conf(text: str) -> ResolvConf:
    """``/etc/resolv.conf`` as glibc reads it (``nameserver``, ``search``, ``options``)."""
    conf = ResolvConf()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].split(";", 1)[0].strip()
        if not line:
            continue
        words = line.split()
        key, args = words[0], words[1:]
        if key == "nameserver" and args and len(conf.nameservers) < 3:
            conf.nameservers.append(args[0])
        elif key in ("search", "domain"):
            conf.search = [a.rstrip(".").lower() for a in args][:6]
        elif key == "options":
            for opt in args:
                name, _, value = opt.partition(":")
                if not value.isdigit():
                    continue
                if name == "ndots":
                    conf.ndots = min(int(value), 15)
                elif name == "timeout":
                    conf.timeout = max(1, min(int(value), 30)) * SECOND
                elif name == "attempts":
                    conf.attempts = max(1, min(int(value), 5))
    return conf


def parse_hosts(text: str) -> dict[str, list[str]]:
    """``/etc/hosts``: name (lower-case) → IPv4 addresses, in file order."""
    out: dict[str, list[str]] = {}
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if len(words) < 2 or not is_ip(words[0]):
            continue
        for name in words[1:]:
            ips = out.setdefault(name.lower(), [])
            if words[0] not in ips:
                ips.append(words[0])
    return out


def candidates(name: str, conf: ResolvConf) -> list[str]:
    """The names ``res_search`` queries, in order."""
    if name.endswith("."):
        return [name.rstrip(".")]
    dots = name.count(".")
    searched = [f"{name}.{domain}" for domain in conf.search]
    if dots >= conf.ndots:
        return [name, *searched]
    return [*searched, name]


class SiteDNS:
    """The lab network's DNS server: the machines and the talk's public name."""

    def __init__(self, network: Network) -> None:
        self.network = network

    def lookup(self, name: str) -> list[str] | None:
        name = name.lower().rstrip(".")
        cluster = self.network.cluster
        if name == cluster.config.public_host.lower():
            ip = self.network.entry_point()
            return [ip] if ip else None
        kubelet = cluster.kubelets.get(name)
        if kubelet is not None:
            return [kubelet.node.ip]
        return None


class CoreDNS:
    """What CoreDNS's ``kubernetes`` plugin answers (its informer view = the store)."""

    def __init__(self, network: Network) -> None:
        self.network = network
        self.api = network.cluster.api
        self.domain = network.cluster.config.cluster_domain.lower().rstrip(".")
        self.rng = network.cluster.streams("coredns")
        ensure_slice_index(self.api)

    def answer(self, qname: str) -> tuple[str, list[str]]:
        name = qname.lower().rstrip(".")
        domain = self.domain
        if name != domain and not name.endswith("." + domain):
            ips = self.network.site_dns.lookup(name)
            return (NOERROR, ips) if ips else (NXDOMAIN, [])
        labels = name[:-len(domain)].rstrip(".").split(".") if name != domain else []
        if not labels or labels == [""]:
            return NOERROR, []
        zone = labels[-1]
        rest = labels[:-1]
        if zone == "svc":
            if len(rest) == 2:
                return self._service(rest[1], rest[0])
            if len(rest) == 3:
                return self._hostname(rest[2], rest[1], rest[0])
            if len(rest) == 1 and self.api.try_get(NAMESPACE, "", rest[0]) is not None:
                return NOERROR, []
            if not rest:
                return NOERROR, []
            return NXDOMAIN, []
        if zone == "pod" and len(rest) == 2:
            ip = rest[0].replace("-", ".")
            return (NOERROR, [ip]) if is_ip(ip) else (NXDOMAIN, [])
        return NXDOMAIN, []

    def _ready_addresses(self, ns: str, name: str, hostname: str | None = None) -> list[str]:
        out: list[str] = []
        slices = self.api.by_index(ENDPOINT_SLICE, SLICE_INDEX, f"{ns}/{name}")
        slices.sort(key=lambda s: s["metadata"]["name"])
        for s in slices:
            for ep in s.get("endpoints") or ():
                ready = (ep.get("conditions") or {}).get("ready")
                if ready is False:
                    continue
                if hostname is not None and ep.get("hostname") != hostname:
                    continue
                for a in ep.get("addresses") or ():
                    if a not in out:
                        out.append(a)
        return out

    def _service(self, ns: str, name: str) -> tuple[str, list[str]]:
        svc = self.api.try_get(SERVICE, ns, name)
        if svc is None:
            return NXDOMAIN, []
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName":
            target = str(spec.get("externalName") or "")
            if is_ip(target):
                return NOERROR, [target]
            ips = self.network.site_dns.lookup(target)
            return (NOERROR, ips) if ips else (NXDOMAIN, [])
        cip = spec.get("clusterIP")
        if cip and cip != "None":
            return NOERROR, [cip]
        ips = self._ready_addresses(ns, name)
        if len(ips) > 1:
            self.rng.shuffle(ips)  # the loadbalance plugin
        return (NOERROR, ips) if ips else (NXDOMAIN, [])

    def _hostname(self, ns: str, name: str, hostname: str) -> tuple[str, list[str]]:
        if self.api.try_get(SERVICE, ns, name) is None:
            return NXDOMAIN, []
        ips = self._ready_addresses(ns, name, hostname)
        return (NOERROR, ips) if ips else (NXDOMAIN, [])


class Resolver:
    """One machine's stub resolver (``getaddrinfo``)."""

    def __init__(self, network: Network, client: Client) -> None:
        self.network = network
        self.client = client

    def resolve(self, name: str) -> tuple[list[str], int, str]:
        """``(addresses, elapsed ns, failure)``; failure is "" on success, else why the lookup
        failed ("NXDOMAIN", "timeout", "refused")."""
        host = name.strip()
        if is_ip(host):
            return [host], 0, ""
        lower = host.lower().rstrip(".")
        if not lower:
            return [], 0, NXDOMAIN
        hosts = self.client.hosts()
        if lower in hosts:
            return list(hosts[lower]), 20_000, ""
        conf = self.client.resolv_conf()
        elapsed = 0
        for qname in candidates(host.lower(), conf):
            rcode, ips, spent = self._query(qname, conf)
            elapsed += spent
            if rcode in ("timeout", "refused"):
                return [], elapsed, rcode
            if rcode == NOERROR and ips:
                return ips, elapsed, ""
        return [], elapsed, NXDOMAIN

    def _query(self, qname: str, conf: ResolvConf) -> tuple[str, list[str], int]:
        if not conf.nameservers:
            # glibc falls back to a nameserver on localhost
            conf = ResolvConf(["127.0.0.1"], conf.search, conf.ndots, conf.timeout,
                              conf.attempts)
        spent = 0
        failure = "refused"
        for _attempt in range(conf.attempts):
            for server in conf.nameservers:
                rcode, ips, rtt = self.network.dns_query(self.client, server, qname)
                if rcode == "timeout":
                    spent += conf.timeout
                    failure = "timeout"
                    continue
                if rcode == "refused":
                    spent += rtt
                    continue
                return rcode, ips, spent + rtt
            if failure == "refused":
                break
        return failure, [], spent


#: a CoreDNS answer's processing time, and the lab DNS server's
COREDNS_TIME = 80_000
SITE_DNS_TIME = 400_000
CACHED_LOOKUP = 150_000
WORKSTATION_CACHE_TTL = 30 * SECOND
