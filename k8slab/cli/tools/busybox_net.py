"""BusyBox 1.37 network applets used inside pods: ``nslookup``, ``ping``, ``nc``, ``telnet``.

The ``busybox`` image is docker-library's ``make defconfig`` build (``glibc/Dockerfile.builder``),
so every applet has its default features; Alpine images (and ``dustise/sleep``) carry the same
BusyBox. Each applet reaches the network through ``ctx.host.transport`` — the pod's
:class:`~k8slab.network.transport.HostTransport`, whose ``network`` and ``client`` give the data
plane the packets would cross.

- ``nslookup`` (``networking/nslookup.c``, ``FEATURE_NSLOOKUP_BIG``): BusyBox's own resolver,
  not libc's. It builds every query up front — an A and an AAAA query per candidate name, a PTR
  query for an address — and sends them all at once over one UDP socket. A name with no dot
  gets each ``search`` domain of ``/etc/resolv.conf`` appended (the bare name is never asked);
  a name with a dot is asked as is: ``ndots`` is not read, which is why ``nslookup
  kubernetes.default`` says NXDOMAIN in a pod. Replies are printed as they come: ``Server:`` and
  ``Address:`` before the first, then per reply ``** server can't find NAME: NXDOMAIN`` or the
  records (``Non-authoritative answer:`` when the AA bit is clear), each followed by an empty
  line — an empty NOERROR answer (CoreDNS's AAAA reply for an IPv4 Service) prints only that
  empty line. Any error rcode makes the exit status 1, even when another candidate answered.
  No reply within ``timeout`` (5 s, re-sent every ``timeout/retry``) moves to the next server;
  with none left: ``;; connection timed out; no servers could be reached`` and status 1.
- ``ping`` (``networking/ping.c``, ``FEATURE_FANCY_PING``): one echo request per interval;
  replies print as ``64 bytes from IP: seq=N ttl=T time=X.XXX ms``; the statistics block ends
  the run on ``-c`` (after the last reply, or ``-W`` seconds — 1 s once something answered —
  after the last request), on ``-w`` at the next send past the deadline, or on Ctrl-C. Exit 1
  when nothing answered. What answers ICMP is :func:`echo_reply`.
- ``nc`` (``networking/nc_bloaty.c``, the ``NC_110_COMPAT`` netcat 1.10 port): ``-v`` prints
  ``HOST (IP:PORT) open``; a failed connect prints ``nc: HOST (IP:PORT): <strerror>`` and exits
  1; ``-w`` bounds the connect; ``-z`` only connects. Without ``-z`` the standard input is sent
  and the answer copied to standard output (an HTTP request gets the app's response).
- ``telnet`` (``networking/telnet.c``): ``Connected to HOST`` once connected, then it copies
  standard input — which is at its end under ``kubectl exec`` without ``-i``, so it exits 0 at
  once; a failed connect is libbb ``xconnect``'s ``telnet: can't connect to remote host (IP):
  <strerror>``.

Name resolution for ``ping``/``nc``/``telnet`` is the C library's (``getaddrinfo``:
``/etc/hosts``, then the search list with ``ndots``), failing with ``<applet>: bad address
'NAME'``.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Generator
from typing import Any

from ...api.kinds import Kind, by_gvk
from ...apps.textutils.common import OptError, getopt
from ...network.dns import COREDNS_TIME, RESOLVED_STUB, is_ip
from ...network.http import Request
from ...network.model import LOOPBACK_RTT, Failure
from ...network.transport import reason_for
from ...sim.clock import MILLISECOND, SECOND
from ...sim.fs import FSError
from ...sim.process import ExecContext, Proc, Sleep, bounded_sleep

__all__ = ["BANNER", "echo_reply", "nc", "nslookup", "ping", "telnet"]

BANNER = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"

#: fork + exec of the applet inside the container before it sends anything
APPLET_COST = 400_000

SERVICE: Kind = by_gvk("v1", "Service")  # type: ignore[assignment]
ENDPOINT_SLICE: Kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")  # type: ignore[assignment]

Gen = Generator[Any, Any, int]


def _usage(ctx: ExecContext, text: str, prefix: str = "") -> int:
    ctx.stderr.write(prefix + BANNER + text)
    return 1


def _network(ctx: ExecContext) -> tuple[Any, Any] | None:
    """The data plane and this machine's place in it, or None without a network model."""
    tr = getattr(ctx.host, "transport", None)
    network = getattr(tr, "network", None)
    client = getattr(tr, "client", None)
    if network is None or client is None:
        return None
    return network, client


def _resolve(client: Any, name: str) -> tuple[list[str], int]:
    """``getaddrinfo``: the addresses (empty when the lookup failed) and the time it took."""
    ips, elapsed, failure = client.resolver.resolve(name)
    return ([] if failure else list(ips)), elapsed


def _strerror(kind: str) -> str:
    return {"refused": "Connection refused", "unreachable": "No route to host",
            "timeout": "Connection timed out"}.get(kind, "Connection reset by peer")


def _xatou(value: str, low: int, high: int) -> int | str:
    """libbb ``xatou_range``: the number, or the text of its fatal error."""
    if not value.isdigit():
        return f"invalid number '{value}'"
    number = int(value)
    if number < low or number > high:
        return f"number {value} is not in {low}..{high} range"
    return number


def _lookup_port(ctx: ExecContext, text: str | None, default: int) -> int | None:
    """libbb ``bb_lookup_port``: a number, else a name from ``/etc/services`` (the busybox
    image has none); None when neither works."""
    if text is None:
        return default
    if text.isdigit() and int(text) <= 65535:
        return int(text)
    try:
        services = ctx.fs.read("/etc/services").decode("utf-8", "replace")
    except (FSError, OSError, AttributeError):
        return None
    for line in services.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and "/" in words[1]:
            number, proto = words[1].split("/", 1)
            if proto == "tcp" and (words[0] == text or text in words[2:]) and number.isdigit():
                return int(number)
    return None


# =========================================================================== nslookup

NSLOOKUP_USAGE = ("Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
                  "Query DNS about HOST\n\n"
                  "QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n")

#: nslookup.c ``qtypes[]``, in the order queries are added for several ``-type=`` options
QTYPES = ("SOA", "NS", "A", "AAAA", "CNAME", "MX", "TXT", "SRV", "PTR", "ANY")
_OPTIONS = ("type", "querytype", "port", "retry", "debug", "t", "timeout")

NOERROR, NXDOMAIN = "NOERROR", "NXDOMAIN"


def _make_ptr(text: str) -> str | None:
    """nslookup.c ``make_ptr``: the reverse name of an address, None for a host name."""
    try:
        addr = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            addr = addr.ipv4_mapped
        else:
            nibbles = addr.exploded.replace(":", "")[::-1]
            return ".".join(nibbles) + ".ip6.arpa"
    return ".".join(reversed(str(addr).split("."))) + ".in-addr.arpa"


def _resolv_conf(ctx: ExecContext) -> tuple[list[str], str | None]:
    """nslookup.c ``parse_resolvconf``: every ``nameserver`` and the search string (``search``
    wins over ``domain``; without either, the domain part of the host name)."""
    try:
        text = ctx.fs.read("/etc/resolv.conf").decode("utf-8", "replace")
    except (FSError, OSError, AttributeError):
        text = ""
    servers: list[str] = []
    search: str | None = None
    have_search = False
    for line in text.splitlines():
        words = line.replace("\t", " ").strip(" ").split(" ", 1)
        if len(words) < 2 or not words[0]:
            continue
        key, arg = words[0], words[1]
        if key == "domain":
            if not have_search:
                search = arg
        elif key == "search":
            have_search = True
            search = arg
        elif key == "nameserver":
            servers.append(arg.strip())
    if search is None:
        hostname = str(getattr(ctx.host, "hostname", "") or "")
        if "." in hostname:
            search = hostname.split(".", 1)[1]
    if search is not None and search.strip() == ".":
        search = None
    return servers, search


class _Query:
    __slots__ = ("name", "qtype")

    def __init__(self, qtype: str, name: str) -> None:
        self.qtype = qtype
        self.name = name


def _queries(name: str, types: list[str], search: str | None) -> list[_Query]:
    def with_search(qtype: str) -> list[_Query]:
        if qtype == "PTR" or not search or "." in name:
            return [_Query(qtype, name)]
        return [_Query(qtype, f"{name}.{domain}") for domain in search.split()]

    if not types:
        ptr = _make_ptr(name)
        if ptr is not None:
            return [_Query("PTR", ptr)]
        return with_search("A") + with_search("AAAA")
    out: list[_Query] = []
    for qtype in QTYPES:
        if qtype in types:
            out += with_search(qtype)
    return out


class _Answer:
    """One reply: rcode, AA bit and the lines its records print."""

    __slots__ = ("aa", "lines", "rcode")

    def __init__(self, rcode: str, aa: bool, lines: list[str]) -> None:
        self.rcode = rcode
        self.aa = aa
        self.lines = lines


def _cluster_server(server: str) -> bool:
    """Queries to this address reach CoreDNS (anything but the node's own stub resolver)."""
    return not (server == RESOLVED_STUB or server.startswith("127."))


def _reverse(network: Any, ip: str) -> list[str]:
    """CoreDNS ``kubernetes`` plugin PTR data (``in-addr.arpa`` is in the kubeadm Corefile): a
    Service IP names the Service, an endpoint address its ``<hostname|a-b-c-d>.<svc>`` name."""
    api = network.api
    domain = network.coredns.domain
    names: list[str] = []
    for svc in api.list(SERVICE):
        spec = svc.get("spec") or {}
        ips = spec.get("clusterIPs") or [spec.get("clusterIP")]
        if ip in ips:
            meta = svc["metadata"]
            names.append(f"{meta['name']}.{meta.get('namespace', '')}.svc.{domain}")
    if names:
        return sorted(names)
    for eps in api.list(ENDPOINT_SLICE):
        for ep in eps.get("endpoints") or ():
            if ip in (ep.get("addresses") or ()):
                svc_name = ((eps["metadata"].get("labels") or {})
                            .get("kubernetes.io/service-name", ""))
                host = ep.get("hostname") or ip.replace(".", "-")
                name = f"{host}.{svc_name}.{eps['metadata'].get('namespace', '')}.svc.{domain}"
                if svc_name and name not in names:
                    names.append(name)
    return sorted(names)


def _external_name(network: Any, qname: str) -> str | None:
    """The target of an ``ExternalName`` Service asked by its cluster name (CoreDNS answers a
    CNAME), else None."""
    domain = network.coredns.domain
    name = qname.lower().rstrip(".")
    suffix = f".svc.{domain}"
    if not name.endswith(suffix):
        return None
    labels = name[:-len(suffix)].split(".")
    if len(labels) != 2:
        return None
    svc = network.api.try_get(SERVICE, labels[1], labels[0])
    spec = (svc or {}).get("spec") or {}
    if spec.get("type") != "ExternalName":
        return None
    return str(spec.get("externalName") or "") or None


def _answer(network: Any, client: Any, server: str, q: _Query) -> tuple[_Answer | str, int]:
    """The reply to one query and its round trip, or why none came ("timeout", "refused")."""
    rrname = q.name[:-1] if q.name.endswith(".") else q.name
    rcode, ips, rtt = network.dns_query(client, server, rrname)
    if rcode not in (NOERROR, NXDOMAIN):
        return rcode, rtt
    cluster = _cluster_server(server)
    domain = network.coredns.domain
    if q.qtype == "PTR":
        addr = rrname.lower()
        names: list[str] = []
        if cluster and addr.endswith(".in-addr.arpa"):
            ip = ".".join(reversed(addr[:-len(".in-addr.arpa")].split(".")))
            if is_ip(ip):
                names = _reverse(network, ip)
        if not names:
            return _Answer(NXDOMAIN, False, []), rtt
        return _Answer(NOERROR, True, [f"{rrname}\tname = {n}\n" for n in names]), rtt
    lower = rrname.lower()
    in_zone = cluster and (lower == domain or lower.endswith("." + domain))
    target = _external_name(network, rrname) if in_zone else None
    if target is not None:
        lines = [f"{rrname}\tcanonical name = {target}\n"]
        if q.qtype in ("A", "ANY"):
            lines += [f"Name:\t{target}\nAddress: {ip}\n" for ip in ips]
        return _Answer(NOERROR, True, lines), rtt
    if rcode != NOERROR:
        return _Answer(rcode, in_zone, []), rtt
    lines = []
    if q.qtype in ("A", "ANY"):
        lines = [f"Name:\t{rrname}\nAddress: {ip}\n" for ip in ips]
    return _Answer(NOERROR, in_zone, lines), rtt


def nslookup(ctx: ExecContext, argv: list[str]) -> Proc:
    """BusyBox ``nslookup [-type=T] [-port=N] [-retry=N] [-timeout=N] [-debug] HOST [SERVER]``."""
    args = argv[1:]
    types: list[str] = []
    port, retry, timeout, debug = 53, 2, 5, False
    i = 0
    while True:
        if i >= len(args):
            return _usage(ctx, NSLOOKUP_USAGE)
        arg = args[i]
        if not arg.startswith("-"):
            break
        i += 1
        key, _, value = arg[1:].partition("=")
        if key not in _OPTIONS:
            return _usage(ctx, NSLOOKUP_USAGE)
        if key in ("type", "querytype"):
            found = next((t for t in QTYPES if t.lower() == value.lower()), None)
            if found is None:
                ctx.stderr.write(f'nslookup: invalid query type "{value}"\n')
                return 1
            if found not in types:
                types.append(found)
            continue
        if key == "debug":
            debug = True
            continue
        limit = {"port": (1, 0xFFFF), "retry": (1, 2**31 - 1)}.get(key, (1, 2147483))
        number = _xatou(value, *limit)
        if isinstance(number, str):
            ctx.stderr.write(f"nslookup: {number}\n")
            return 1
        if key == "port":
            port = number
        elif key == "retry":
            retry = number
        else:
            timeout = number
    name, rest = args[i], args[i + 1:]
    if len(rest) > 1:
        return _usage(ctx, NSLOOKUP_USAGE)
    net = _network(ctx)
    if net is None:
        ctx.stderr.write("nslookup: no network on this machine\n")
        return 1
    network, client = net
    yield Sleep(APPLET_COST)
    servers: list[tuple[str, str]] = []
    search: str | None = None
    if rest:
        given = rest[0]
        address = yield from _address(ctx, client, given, False)
        if address is None:
            ctx.stderr.write(f"nslookup: bad address '{given}'\n")
            return 1
        servers.append((given, address))
    else:
        listed, search = _resolv_conf(ctx)
        for server in listed:
            if not is_ip(server):
                ctx.stderr.write(f"nslookup: bad address '{server}'\n")
                return 1
            servers.append((server, server))
        if not servers:
            servers.append(("127.0.0.1", "127.0.0.1"))
    queries = _queries(name, types, search)
    for shown, ip in servers:
        status = yield from _send_queries(ctx, network, client, shown, ip, port, queries,
                                          retry, timeout, debug)
        if status is not None:
            return status
    ctx.stdout.write(";; connection timed out; no servers could be reached\n\n")
    return 1


def _send_queries(ctx: ExecContext, network: Any, client: Any, shown: str, server: str,
                  port: int, queries: list[_Query], retry: int, timeout: int, debug: bool
                  ) -> Generator[Any, Any, int | None]:
    """nslookup.c ``send_queries`` against one server: the exit status once it answered, None
    when it did not.

    Without a reply the queries are sent again every ``timeout/retry`` until ``timeout``. A
    rejected datagram (ICMP port unreachable) becomes the socket's pending error: kube-proxy's
    REJECT for a Service without endpoints is generated while the first ``write()`` is still in
    the kernel, so the second write fails (``write to 'IP'``, next server at once); an ICMP
    error that arrives later is read back (``read: Connection refused``) after each send round.
    """
    timeout_ms = timeout * 1000
    interval_ms = max(1, timeout_ms // retry)
    replies: list[tuple[_Answer, int]] = []
    failure, failure_rtt = "timeout", 0
    if port == 53:  # nothing in the lab serves DNS on another port
        for q in queries:
            answer, rtt = _answer(network, client, server, q)
            if isinstance(answer, str):
                failure, failure_rtt = answer, rtt
                break
            replies.append((answer, rtt))
    if len(replies) < len(queries):
        if failure != "refused":
            yield Sleep(timeout_ms * MILLISECOND)
            return None
        # The local kube-proxy's REJECT costs a veth round trip; an ICMP error from a pod
        # comes after at least a CoreDNS-sized one.
        if failure_rtt < COREDNS_TIME and len(queries) > 1:
            yield Sleep(failure_rtt)
            ctx.stderr.write(f"nslookup: write to '{shown}': Connection refused\n")
            return None
        sent = 0
        while sent < timeout_ms:
            yield Sleep(failure_rtt)
            ctx.stderr.write("nslookup: read: Connection refused\n")
            yield Sleep(max(0, interval_ms * MILLISECOND - failure_rtt))
            sent += interval_ms
        return None
    yield Sleep(max(rtt for _, rtt in replies))
    out = ctx.stdout
    out.write(f"Server:\t\t{shown}\nAddress:\t{server}:{port}\n\n")
    status = 0
    for qn, (answer, rtt) in enumerate(replies):
        if debug:
            out.write(f"Query #{qn} completed in {rtt // MILLISECOND}ms:\n")
        if answer.rcode != NOERROR:
            out.write(f"** server can't find {queries[qn].name}: {answer.rcode}\n")
            status = 1
        else:
            if not answer.aa:
                out.write("Non-authoritative answer:\n")
            elif debug:
                out.write("authoritative answer:\n")
            out.write("".join(answer.lines))
        out.write("\n")
    return status


# =========================================================================== ping

PING_USAGE = (
    "Usage: ping [OPTIONS] HOST\n\n"
    "Send ICMP ECHO_REQUESTs to HOST\n\n"
    "\t-4,-6\t\tForce IP or IPv6 name resolution\n"
    "\t-c CNT\t\tSend only CNT pings\n"
    "\t-s SIZE\t\tSend SIZE data bytes in packets (default 56)\n"
    "\t-i SECS\t\tInterval\n"
    "\t-A\t\tPing as soon as reply is received\n"
    "\t-t TTL\t\tSet TTL\n"
    "\t-I IFACE/IP\tSource interface or IP address\n"
    "\t-W SEC\t\tSeconds to wait for the first response (default 10)\n"
    "\t\t\t(after all -c CNT packets are sent)\n"
    "\t-w SEC\t\tSeconds until ping exits (default:infinite)\n"
    "\t\t\t(can exit earlier with -c CNT)\n"
    "\t-q\t\tQuiet, only display output at start/finish\n"
    "\t-p HEXBYTE\tPayload pattern\n")

_PING_FLAGS = "qvA46n"
_PING_ARGS = "cstwWIpi"
_PING_GETOPT = _PING_FLAGS + "".join(f"{letter}:" for letter in _PING_ARGS)


def echo_reply(network: Any, client: Any, ip: str) -> tuple[int, int] | None:
    """Whether an ICMP echo request from ``client`` to ``ip`` is answered: ``(round trip ns,
    TTL of the reply)``, or None.

    The kernel answers for its own addresses only: a pod IP whose sandbox exists (even when its
    app has crashed: the pause container holds the network namespace), a node address or a
    node's cni0/flannel.1 address while the machine is on, the loopback. Virtual addresses do
    not: kube-proxy in iptables mode only DNATs TCP/UDP/SCTP to the ports a Service declares, so
    a ClusterIP (or a LoadBalancer IP) never answers ping. Nothing outside the lab network
    answers (it is offline). Each router on the way decrements the TTL: 64 from the own node or
    a pod on the same bridge, 63 from another node, 62 from a pod on another node (two routed
    hops over the flannel overlay). ICMP errors (host unreachable) are too short for BusyBox's
    size check and print nothing.
    """
    rng = network.rng
    if ip.startswith("127.") or ip == client.ip:
        return LOOPBACK_RTT + int(rng.random() * 40_000), 64
    src = client.node
    cluster = network.cluster
    try:
        addr = ipaddress.IPv4Address(ip)
    except ValueError:
        return None
    if addr in ipaddress.IPv4Network(cluster.config.service_cidr, strict=False):
        return None
    node = network.node_of_ip(ip)
    if node is not None:
        if not network.machine_on(node):
            return None
        if src is None:
            return network.hop(None, node, False), 64
        return network.hop(src, node, False), 64 if node == src else 63
    if src is None:
        return None
    node = network.node_of_pod_ip(ip)
    if node is None or not network.machine_on(node):
        return None
    kubelet = cluster.kubelets.get(node)
    if ip in (network.pod_gateway(node), network.pod_gateway(node, network_address=True)):
        return network.hop(src, node, False), 64 if node == src else 63
    if not any(s.ready and s.ip == ip for s in kubelet.runtime.sandboxes.values()):
        return None
    return network.hop(src, node, True), 64 if node == src else 62


def _parse_interval(text: str) -> float | None:
    """libbb ``parse_duration_str``: seconds with an optional fraction and s/m/h/d suffix."""
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(text[-1:], 0)
    number = text[:-1] if unit else text
    try:
        value = float(number)
    except ValueError:
        return None
    if value < 0 or number.strip() != number or not number:
        return None
    return value * (unit or 1)


def ping(ctx: ExecContext, argv: list[str]) -> Proc:
    """BusyBox ``ping [-c N] [-i S] [-W S] [-w S] [-s N] [-q] [-A] HOST``."""
    try:
        parsed, operands = getopt(argv[1:], _PING_GETOPT)
    except OptError as err:
        # "--name" is read like getopt32 reads it here: '-' is not one of ping's letters.
        letter = "-" if err.kind == "unrecognized" else err.opt
        what = ("option requires an argument" if err.kind == "requires"
                else "invalid option")
        return _usage(ctx, PING_USAGE, f"ping: {what} -- '{letter}'\n")
    flags = {letter for letter, _ in parsed if letter in _PING_FLAGS}
    opts = {letter: value for letter, value in parsed if letter in _PING_ARGS}
    if len(operands) != 1 or ("q" in flags and "v" in flags):
        return _usage(ctx, PING_USAGE)
    numbers: dict[str, int] = {}
    for letter in "ctwW":
        if letter in opts:
            value = opts[letter]
            if not value.isdigit():
                ctx.stderr.write(f"ping: invalid number '{value}'\n")
                return 1
            numbers[letter] = int(value)
    datalen = 56
    if "s" in opts:
        size = _xatou(opts["s"], 0, 0xFFFF)
        if isinstance(size, str):
            ctx.stderr.write(f"ping: {size}\n")
            return 1
        datalen = size
    interval = 1.0
    if "i" in opts:
        parsed = _parse_interval(opts["i"])
        if parsed is None:
            ctx.stderr.write(f"ping: invalid number '{opts['i']}'\n")
            return 1
        interval = parsed
    host = operands[0]
    net = _network(ctx)
    if net is None:
        ctx.stderr.write("ping: no network on this machine\n")
        return 1
    network, client = net
    started = ctx.loop.now
    yield Sleep(APPLET_COST)
    if "6" in flags:
        ctx.stderr.write(f"ping: bad address '{host}'\n")
        return 1
    ip = yield from _address(ctx, client, host, False)
    if ip is None:
        ctx.stderr.write(f"ping: bad address '{host}'\n")
        return 1
    return (yield from _ping_loop(ctx, network, client, host, ip, datalen, interval, flags,
                                  numbers, started))


class _PingStats:
    __slots__ = ("received", "tmax", "tmin", "transmitted", "tsum")

    def __init__(self) -> None:
        self.transmitted = 0
        self.received = 0
        self.tmin = -1
        self.tmax = 0
        self.tsum = 0

    def text(self, host: str) -> str:
        sent, got = self.transmitted, self.received
        loss = (sent - got) * 100 // sent if sent else 0
        out = (f"\n--- {host} ping statistics ---\n"
               f"{sent} packets transmitted, {got} packets received, {loss}% packet loss\n")
        if self.tmin >= 0:
            avg = self.tsum // got
            out += (f"round-trip min/avg/max = {_ms(self.tmin)}/{_ms(avg)}/"
                    f"{_ms(self.tmax)} ms\n")
        return out


def _ms(us: int) -> str:
    return f"{us // 1000}.{us % 1000:03d}"


def _ping_loop(ctx: ExecContext, network: Any, client: Any, host: str, ip: str, datalen: int,
               interval: float, flags: set[str], numbers: dict[str, int], started: int) -> Gen:
    out = ctx.stdout
    count = numbers.get("c", 0)
    wait = numbers.get("W", 10)
    deadline = started + numbers["w"] * SECOND if numbers.get("w") else None
    quiet = "q" in flags
    adaptive = "A" in flags
    stats = _PingStats()
    step = int(interval * SECOND)
    timed = datalen >= 4

    def exit_status() -> int:
        return 1 if stats.received == 0 or (deadline is not None and stats.received < count) \
            else 0

    out.write(f"PING {host} ({ip}): {datalen} data bytes\n")
    try:
        while True:
            sent_at = ctx.loop.now
            if deadline is not None and sent_at >= deadline:
                break
            seq = stats.transmitted
            stats.transmitted += 1
            reply = echo_reply(network, client, ip)
            last = bool(count) and stats.transmitted >= count
            waited = 0
            if reply is not None:
                rtt, ttl = reply
                if not (yield from bounded_sleep(ctx, rtt)):
                    break
                waited = rtt
                us = rtt // 1000
                stats.received += 1
                if timed:  # the send time travels in the payload's first 4 bytes
                    stats.tsum += us
                    stats.tmin = us if stats.tmin < 0 else min(stats.tmin, us)
                    stats.tmax = max(stats.tmax, us)
                if not quiet:
                    line = f"{datalen + 8} bytes from {ip}: seq={seq} ttl={ttl}"
                    out.write(line + (f" time={_ms(us)} ms\n" if timed else "\n"))
                if count and stats.received >= count:
                    break
            if last:
                # alarm(expire): -W without an answer, else about two round trips (>= 1 s)
                expire = wait if stats.received == 0 else max(1, stats.tmax // (512 * 1024))
                yield from bounded_sleep(ctx, max(0, expire * SECOND - waited))
                break
            pause = waited if adaptive and reply is not None else step
            if not (yield from bounded_sleep(ctx, max(0, pause - waited))):
                break
    except GeneratorExit:
        # Stopped from outside. kubectl exec's Ctrl-C is a SIGINT, whose handler prints the
        # statistics; a container's own PID 1 only ever dies of SIGKILL (it has no SIGTERM
        # handler), which prints nothing.
        if out is not getattr(ctx.host, "stdout", None):
            out.write(stats.text(host))
        raise
    out.write(stats.text(host))
    return exit_status()


# =========================================================================== nc

NC_USAGE = (
    "Usage: nc [OPTIONS] HOST PORT  - connect\n"
    "nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n"
    "\t-e PROG\tRun PROG after connect (must be last)\n"
    "\t-l\tListen mode, for inbound connects\n"
    "\t-lk\tWith -e, provides persistent server\n"
    "\t-p PORT\tLocal port\n"
    "\t-s ADDR\tLocal address\n"
    "\t-w SEC\tTimeout for connects and final net reads\n"
    "\t-i SEC\tDelay interval for lines sent\n"
    "\t-n\tDon't do DNS resolution\n"
    "\t-u\tUDP mode\n"
    "\t-b\tAllow broadcasts\n"
    "\t-v\tVerbose\n"
    "\t-o FILE\tHex dump traffic\n"
    "\t-z\tZero-I/O mode (scanning)\n")

_NC_FLAGS = "nubvlkz"
_NC_ARGS = "pswio"


def nc(ctx: ExecContext, argv: list[str]) -> Proc:
    """BusyBox ``nc [-v] [-z] [-w SEC] [-u] HOST PORT`` (netcat 1.10 flavour)."""
    flags: dict[str, int] = {}
    opts: dict[str, str] = {}
    operands: list[str] = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-e" or (arg.startswith("-") and arg.endswith("e") and len(arg) > 2
                           and all(c in _NC_FLAGS for c in arg[1:-1])):
            for c in arg[1:-1]:
                flags[c] = flags.get(c, 0) + 1
            opts["e"] = " ".join(args[i:])
            break
        if arg == "--":
            operands += args[i:]
            break
        if not arg.startswith("-") or arg == "-":
            operands.append(arg)
            continue
        j = 1
        while j < len(arg):
            letter = arg[j]
            j += 1
            if letter in _NC_FLAGS:
                flags[letter] = flags.get(letter, 0) + 1
                continue
            if letter not in _NC_ARGS:
                return _usage(ctx, NC_USAGE, f"nc: invalid option -- '{letter}'\n")
            if j < len(arg):
                value, j = arg[j:], len(arg)
            elif i < len(args):
                value = args[i]
                i += 1
            else:
                return _usage(ctx, NC_USAGE, f"nc: option requires an argument -- '{letter}'\n")
            opts[letter] = value
    if len(operands) > 2:
        return _usage(ctx, NC_USAGE)
    wait = 0
    if "w" in opts:
        number = _xatou(opts["w"], 0, 2**31 - 1)
        if isinstance(number, str):
            ctx.stderr.write(f"nc: {number}\n")
            return 1
        wait = number
    verbose = flags.get("v", 0)
    if flags.get("l"):
        return (yield from _nc_listen(ctx, opts, verbose))
    if not operands:
        return _usage(ctx, NC_USAGE)
    host = operands[0]
    target = yield from _target(ctx, "nc", operands, 0, "n" in flags)
    if isinstance(target, int):
        return target
    network, client, ip, port = target
    shown = f"{ip}:{port}"
    if flags.get("u"):
        return (yield from _nc_udp(ctx, network, client, host, ip, port, shown, verbose, wait))
    result = network.dial(client, ip, port)
    if isinstance(result, Failure):
        elapsed = result.elapsed
        kind = result.kind
        if wait and elapsed > wait * SECOND:
            elapsed, kind = wait * SECOND, "timeout"
        yield Sleep(elapsed)
        # nc_bloaty.c: bb_perror_msg("%s (%s)", argv[0], themdotted)
        ctx.stderr.write(f"nc: {host} ({shown}): {_strerror(kind)}\n")
        return 1
    conn = result
    yield Sleep(conn.rtt)
    if verbose:
        ctx.stderr.write(f"{host} ({shown}) open\n")
    if flags.get("z") or "e" in opts:
        return 0
    return (yield from _exchange(ctx, network, conn, ip, port))


def _target(ctx: ExecContext, applet: str, operands: list[str], default_port: int,
            numeric: bool) -> Generator[Any, Any, tuple[Any, Any, str, int] | int]:
    """``HOST [PORT]`` of nc and telnet: (network, client, address, port), or the exit status
    after the applet's error message."""
    host = operands[0]
    port = _lookup_port(ctx, operands[1] if len(operands) > 1 else None, default_port)
    if port is None:
        ctx.stderr.write(f"{applet}: bad port '{operands[1]}'\n")
        return 1
    net = _network(ctx)
    if net is None:
        ctx.stderr.write(f"{applet}: no network on this machine\n")
        return 1
    network, client = net
    yield Sleep(APPLET_COST)
    ip = yield from _address(ctx, client, host, numeric)
    if ip is None:
        ctx.stderr.write(f"{applet}: bad address '{host}'\n")
        return 1
    return network, client, ip, port


def _address(ctx: ExecContext, client: Any, host: str, numeric: bool
             ) -> Generator[Any, Any, str | None]:
    if is_ip(host):
        return host
    if numeric:
        return None
    ips, elapsed = _resolve(client, host)
    yield Sleep(elapsed)
    return ips[0] if ips else None


def _nc_udp(ctx: ExecContext, network: Any, client: Any, host: str, ip: str, port: int,
            shown: str, verbose: int, wait: int) -> Gen:
    """UDP "connects" always succeed; ``-z`` then probes with two datagrams (``udptest``): a
    port nothing listens on answers ICMP port unreachable, failing the second write. Only DNS
    (port 53 of CoreDNS or the kube-dns Service) answers UDP in the lab."""
    rcode, _ips, rtt = (network.dns_query(client, ip, "kubernetes") if port == 53
                        else ("refused", [], LOOPBACK_RTT))
    yield Sleep(wait * SECOND if wait else max(rtt, LOOPBACK_RTT))
    if rcode in ("refused",):
        ctx.stderr.write(f"nc: {host} ({shown}): Connection refused\n")
        return 1
    if verbose:
        ctx.stderr.write(f"{host} ({shown}) open\n")
    return 0


def _nc_listen(ctx: ExecContext, opts: dict[str, str], verbose: int) -> Gen:
    """``nc -l -p PORT``: waits for a connection that nothing in the lab makes (see
    docs/realism.md), until Ctrl-C or ``-w``."""
    port = _lookup_port(ctx, opts.get("p"), 0)
    if port is None:
        ctx.stderr.write(f"nc: bad port '{opts.get('p')}'\n")
        return 1
    if verbose:
        ctx.stderr.write(f"listening on [::]:{port} ...\n")
    wait = opts.get("w", "")
    limit = int(wait) * SECOND if wait.isdigit() and int(wait) else 10**18
    if (yield from bounded_sleep(ctx, limit)):
        ctx.stderr.write("nc: timeout\n")
        return 1
    return 130


def _parse_http(text: str) -> tuple[str, str, str, list[tuple[str, str]], bytes] | None:
    """An HTTP request typed on standard input: method, target, version, headers, body."""
    head, sep, body = text.replace("\r\n", "\n").partition("\n\n")
    lines = head.split("\n")
    parts = lines[0].split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/"):
        return None
    headers: list[tuple[str, str]] = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return parts[0], parts[1], parts[2], headers, body.encode() if sep else b""


def _exchange(ctx: ExecContext, network: Any, conn: Any, ip: str, port: int) -> Gen:
    """``readwrite()``: standard input to the server, the server's bytes to standard output,
    until the server closes (an HTTP server closes once it has answered a client that shut its
    sending side)."""
    parsed = _parse_http(ctx.stdin) if ctx.stdin else None
    if parsed is None:
        yield Sleep(conn.rtt)
        return 0
    method, target, version, headers, body = parsed
    request = Request(method, "http", ip, port, target, headers, body, version)
    http_request = network.http_request(conn, request)
    answer, server_time, _fail = network.serve(conn, http_request, ctx.loop.now + conn.rtt // 2)
    yield Sleep(conn.rtt + server_time)
    if answer is None:
        return 0
    reason = reason_for(conn.app, answer.status)
    keep = version == "HTTP/1.1" and (request.header("Connection") or "").lower() != "close"
    lines = [f"HTTP/1.1 {answer.status} {reason}".rstrip()]
    for name, value in answer.headers:
        if name.lower() == "connection" and not keep:
            value = "close"
        lines.append(f"{name}: {value}")
    payload = b"" if method.upper() == "HEAD" else answer.body
    ctx.stdout.write("\r\n".join(lines) + "\r\n\r\n" + payload.decode("utf-8", "replace"))
    return 0


# =========================================================================== telnet

TELNET_USAGE = ("Usage: telnet [-a] [-l USER] HOST [PORT]\n\n"
                "Connect to telnet server\n\n"
                "\t-a\tAutomatic login with $USER variable\n"
                "\t-l USER\tAutomatic login as USER\n")


def telnet(ctx: ExecContext, argv: list[str]) -> Proc:
    """BusyBox ``telnet HOST [PORT]``."""
    operands: list[str] = []
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "-a":
            continue
        if arg == "-l":
            if i >= len(args):
                return _usage(ctx, TELNET_USAGE,
                              "telnet: option requires an argument -- 'l'\n")
            i += 1
            continue
        if arg.startswith("-l") and len(arg) > 2:
            continue
        if arg.startswith("-") and arg != "-":
            return _usage(ctx, TELNET_USAGE, f"telnet: invalid option -- '{arg[1]}'\n")
        operands.append(arg)
    if not operands or len(operands) > 2:
        return _usage(ctx, TELNET_USAGE)
    host = operands[0]
    target = yield from _target(ctx, "telnet", operands, 23, False)
    if isinstance(target, int):
        return target
    network, client, ip, port = target
    result = network.dial(client, ip, port)
    if isinstance(result, Failure):
        yield Sleep(result.elapsed)
        ctx.stderr.write(f"telnet: can't connect to remote host ({ip}): "
                         f"{_strerror(result.kind)}\n")
        return 1
    yield Sleep(result.rtt)
    ctx.stdout.write(f"Connected to {host}\n")
    # Standard input is read next; at its end (no -i, or all of it sent) telnet exits 0
    # before any answer can arrive.
    return 0
