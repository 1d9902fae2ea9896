"""BusyBox 1.37 ``nslookup``, ``ping``, ``nc`` and ``telnet`` against a scripted network
(k8slab/cli/tools/busybox_net.py).

Expected texts follow the BusyBox sources: ``networking/nslookup.c`` (send_queries,
parse_reply, add_query_with_search, parse_resolvconf), ``networking/ping.c``
(print_stats_and_exit, sendping_tail, unpack_tail), ``networking/nc_bloaty.c`` (nc_main),
``networking/telnet.c`` and libbb ``xconnect.c``; usage texts and the layouts of nslookup's
replies, ping's lines and timings were also observed with BusyBox 1.35 (Debian) against a
loopback DNS stub and loopback hosts.
"""

from __future__ import annotations

import random
import shlex
from types import SimpleNamespace
from typing import Any

import pytest
from toolkit import Ran

from k8slab.cli.tools import busybox_net
from k8slab.cli.tools.busybox_net import nc, nslookup, ping, telnet
from k8slab.network.model import Failure
from k8slab.sim.clock import MILLISECOND, SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import Buffer, ExecContext, run_blocking

START = 1780300800 * SECOND
US = 1_000
RESOLV = ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
          "nameserver 10.96.0.10\noptions ndots:5\n")


class FakeNetwork:
    """DNS by table, connections by table; ``mode`` says how the DNS server fails."""

    def __init__(self) -> None:
        self.rng = random.Random(0)
        self.coredns = SimpleNamespace(domain="cluster.local")
        self.records: dict[str, tuple[str, list[str]]] = {
            "kubernetes.default.svc.cluster.local": ("NOERROR", ["10.96.0.1"]),
            "web.default.svc.cluster.local": ("NOERROR", ["10.100.7.9"]),
            "web-headless.default.svc.cluster.local": ("NOERROR", ["10.244.1.5", "10.244.2.7"]),
            "ms.iirii.com": ("NOERROR", ["172.16.0.1"]),
        }
        self.mode = "ok"  # ok | timeout | reject | refused (a pod answering ICMP later)
        self.asked: list[str] = []
        self.conns: dict[tuple[str, int], Any] = {}
        self.api = SimpleNamespace(list=lambda kind: [], try_get=lambda *a: None)

    def dns_query(self, client: Any, server: str, qname: str) -> tuple[str, list[str], int]:
        self.asked.append(qname)
        if self.mode == "timeout":
            return "timeout", [], 0
        if self.mode == "reject":
            return "refused", [], 60 * US
        if self.mode == "refused":
            return "refused", [], 400 * US
        rcode, ips = self.records.get(qname.lower(), ("NXDOMAIN", []))
        return rcode, list(ips), 300 * US

    def dial(self, client: Any, ip: str, port: int) -> Any:
        found = self.conns.get((ip, port))
        return found if found is not None else Failure("refused", 100 * US)


class Resolver:
    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table

    def resolve(self, name: str) -> tuple[list[str], int, str]:
        if name in self.table:
            return self.table[name], 500 * US, ""
        if busybox_net.is_ip(name):
            return [name], 0, ""
        return [], 2 * MILLISECOND, "NXDOMAIN"


class Pod:
    """``ctx.host`` of a container: its transport, hostname and log streams."""

    def __init__(self, network: FakeNetwork) -> None:
        self.client = SimpleNamespace(ip="10.244.1.9", node="t.cs.2", resolver=Resolver(
            {"web": ["10.100.7.9"], "kubernetes": ["10.96.0.1"]}))
        self.transport = SimpleNamespace(network=network, client=self.client)
        self.hostname = "bb"
        self.stdout = Buffer()


@pytest.fixture
def net() -> FakeNetwork:
    return FakeNetwork()


def run(net: FakeNetwork, command: Any, line: str, *, stdin: str = "",
        resolv: str = RESOLV, deadline: float | None = None) -> Ran:
    loop = Loop(START)
    fs = MemoryFS()
    fs.mkdir("/etc", parents=True)
    fs.write("/etc/resolv.conf", resolv.encode())
    out, err = Buffer(), Buffer()
    extra: dict[str, Any] = {}
    if deadline is not None:
        extra["deadline"] = START + int(deadline * SECOND)
    ctx = ExecContext(stdin, out, err, {}, "/", fs, loop, host=Pod(net), extra=extra)
    code = run_blocking(loop, command(ctx, shlex.split(line)))
    return Ran(out.getvalue(), err.getvalue(), code, (loop.now - START) / SECOND)


# --------------------------------------------------------------------------- nslookup


def test_short_name_walks_the_search_list_a_then_aaaa(net: FakeNetwork) -> None:
    """nslookup.c add_query_with_search: a dotless name gets every search domain (never
    itself); all A queries, then all AAAA; each reply ends with an empty line; an empty
    authoritative AAAA answer prints nothing else; an NXDOMAIN anywhere makes the status 1."""
    r = run(net, nslookup, "nslookup web")
    assert net.asked == ["web.default.svc.cluster.local", "web.svc.cluster.local",
                         "web.cluster.local"] * 2
    assert r.out == (
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
        "Name:\tweb.default.svc.cluster.local\nAddress: 10.100.7.9\n\n"
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find web.cluster.local: NXDOMAIN\n\n"
        "\n"
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find web.cluster.local: NXDOMAIN\n\n")
    assert (r.err, r.code) == ("", 1)


def test_dotted_name_is_asked_as_is_whatever_ndots_says(net: FakeNetwork) -> None:
    """A name with a dot gets no search domain (nslookup.c never reads ``options ndots``):
    ``kubernetes.default`` is NXDOMAIN in a pod."""
    r = run(net, nslookup, "nslookup kubernetes.default")
    assert net.asked == ["kubernetes.default", "kubernetes.default"]
    assert r.out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                     "** server can't find kubernetes.default: NXDOMAIN\n\n"
                     "** server can't find kubernetes.default: NXDOMAIN\n\n")
    assert r.code == 1


def test_fqdn_and_headless_answers(net: FakeNetwork) -> None:
    r = run(net, nslookup, "nslookup kubernetes.default.svc.cluster.local")
    assert r.out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                     "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n\n")
    assert r.code == 0
    r = run(net, nslookup, "nslookup web-headless.default.svc.cluster.local")
    assert r.out.split("\n\n")[1] == (
        "Name:\tweb-headless.default.svc.cluster.local\nAddress: 10.244.1.5\n"
        "Name:\tweb-headless.default.svc.cluster.local\nAddress: 10.244.2.7")


def test_forwarded_answers_are_not_authoritative(net: FakeNetwork) -> None:
    """parse_reply prints ``Non-authoritative answer:`` when AA is clear (CoreDNS relays the
    upstream's reply for names outside the cluster domain), also for the empty AAAA reply."""
    r = run(net, nslookup, "nslookup ms.iirii.com")
    assert r.out == ("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
                     "Non-authoritative answer:\nName:\tms.iirii.com\nAddress: 172.16.0.1\n\n"
                     "Non-authoritative answer:\n\n")
    assert r.code == 0


def test_explicit_server_skips_resolv_conf_and_its_search_list(net: FakeNetwork) -> None:
    r = run(net, nslookup, "nslookup web 10.96.0.10")
    assert net.asked == ["web", "web"]
    assert r.out.startswith("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n")
    assert r.code == 1
    r = run(net, nslookup, "nslookup web kube-dns.kube-system")
    assert r.err == "nslookup: bad address 'kube-dns.kube-system'\n" and r.code == 1


def test_an_address_is_a_ptr_query(net: FakeNetwork) -> None:
    r = run(net, nslookup, "nslookup 10.96.0.1")
    assert net.asked == ["1.0.96.10.in-addr.arpa"]
    assert r.out.endswith("** server can't find 1.0.96.10.in-addr.arpa: NXDOMAIN\n\n")


def test_no_answer_times_out_after_five_seconds(net: FakeNetwork) -> None:
    net.mode = "timeout"
    r = run(net, nslookup, "nslookup web")
    assert r.out == ";; connection timed out; no servers could be reached\n\n"
    assert (r.err, r.code, r.elapsed) == ("", 1, pytest.approx(5.0004, abs=1e-3))
    r = run(net, nslookup, "nslookup -timeout=2 web")
    assert r.elapsed == pytest.approx(2.0004, abs=1e-3)


def test_rejected_queries_fail_on_the_second_write(net: FakeNetwork) -> None:
    """kube-proxy REJECTs a Service without endpoints while the first write is in the kernel:
    send_queries' next write fails (bb_perror_msg "write to '%s'")."""
    net.mode = "reject"
    r = run(net, nslookup, "nslookup web")
    assert r.err == "nslookup: write to '10.96.0.10': Connection refused\n"
    assert r.out == ";; connection timed out; no servers could be reached\n\n"
    assert r.code == 1 and r.elapsed < 0.01


def test_late_icmp_errors_are_read_after_each_send_round(net: FakeNetwork) -> None:
    net.mode = "refused"
    r = run(net, nslookup, "nslookup web")
    assert r.err == "nslookup: read: Connection refused\n" * 2
    assert r.elapsed == pytest.approx(5.0004, abs=1e-3)
    r = run(net, nslookup, "nslookup -retry=1 web")
    assert r.err == "nslookup: read: Connection refused\n"


def test_next_nameserver_is_tried(net: FakeNetwork) -> None:
    net.mode = "timeout"
    r = run(net, nslookup, "nslookup web", resolv="nameserver 10.96.0.10\nnameserver 10.96.0.11\n")
    assert r.elapsed == pytest.approx(10.0004, abs=1e-3)


def test_search_falls_back_to_the_hostname_domain(net: FakeNetwork) -> None:
    r = run(net, nslookup, "nslookup web", resolv="nameserver 10.96.0.10\n")
    assert net.asked == ["web", "web"]  # hostname "bb" has no domain part
    assert r.code == 1


def test_nslookup_options_and_usage(net: FakeNetwork) -> None:
    r = run(net, nslookup, "nslookup")
    assert r.err == ("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                     "Usage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
                     "Query DNS about HOST\n\n"
                     "QUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n")
    assert r.code == 1
    assert run(net, nslookup, "nslookup -type=xx web").err == \
        'nslookup: invalid query type "xx"\n'
    assert run(net, nslookup, "nslookup -q=a web").err.startswith("BusyBox v1.37.0")
    net.asked.clear()
    r = run(net, nslookup, "nslookup -type=a kubernetes.default.svc.cluster.local")
    assert net.asked == ["kubernetes.default.svc.cluster.local"] and r.code == 0
    r = run(net, nslookup, "nslookup -port=5353 web")
    assert r.out.startswith(";; connection timed out") and r.elapsed > 5


# --------------------------------------------------------------------------- ping


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[int]]:
    """ip → round trips (µs) of the replies, in turn; an address not listed never answers."""
    table: dict[str, list[int]] = {}

    def reply(network: Any, client: Any, ip: str) -> tuple[int, int] | None:
        times = table.get(ip)
        if not times:
            return None
        us = times.pop(0) if len(times) > 1 else times[0]
        return us * US, 64

    monkeypatch.setattr(busybox_net, "echo_reply", reply)
    return table


def test_ping_count_prints_replies_and_statistics(net: FakeNetwork,
                                                  echo: dict[str, list[int]]) -> None:
    echo["10.244.2.7"] = [89, 62, 75]
    r = run(net, ping, "ping -c 3 10.244.2.7")
    assert r.out == ("PING 10.244.2.7 (10.244.2.7): 56 data bytes\n"
                     "64 bytes from 10.244.2.7: seq=0 ttl=64 time=0.089 ms\n"
                     "64 bytes from 10.244.2.7: seq=1 ttl=64 time=0.062 ms\n"
                     "64 bytes from 10.244.2.7: seq=2 ttl=64 time=0.075 ms\n"
                     "\n--- 10.244.2.7 ping statistics ---\n"
                     "3 packets transmitted, 3 packets received, 0% packet loss\n"
                     "round-trip min/avg/max = 0.062/0.075/0.089 ms\n")
    assert r.code == 0
    # ping.c breaks out as soon as the last reply is in: two intervals plus one round trip
    assert r.elapsed == pytest.approx(2.0004 + 75e-6, abs=1e-5)


def test_ping_without_answers_waits_W_seconds_after_the_last_request(
        net: FakeNetwork, echo: dict[str, list[int]]) -> None:
    r = run(net, ping, "ping -c 2 10.96.0.1")
    assert r.out == ("PING 10.96.0.1 (10.96.0.1): 56 data bytes\n"
                     "\n--- 10.96.0.1 ping statistics ---\n"
                     "2 packets transmitted, 0 packets received, 100% packet loss\n")
    assert r.code == 1 and r.elapsed == pytest.approx(11.0004, abs=1e-3)
    assert run(net, ping, "ping -c 2 -W 1 10.96.0.1").elapsed == pytest.approx(2.0004,
                                                                                abs=1e-3)


def test_ping_deadline_and_quiet(net: FakeNetwork, echo: dict[str, list[int]]) -> None:
    echo["10.244.2.7"] = [100]
    r = run(net, ping, "ping -w 3 -q 10.244.2.7")
    assert r.out == ("PING 10.244.2.7 (10.244.2.7): 56 data bytes\n"
                     "\n--- 10.244.2.7 ping statistics ---\n"
                     "3 packets transmitted, 3 packets received, 0% packet loss\n"
                     "round-trip min/avg/max = 0.100/0.100/0.100 ms\n")
    assert r.elapsed == pytest.approx(3.0004, abs=1e-3)
    r = run(net, ping, "ping -w 2 -c 5 10.96.0.1")
    assert "2 packets transmitted, 0 packets received, 100% packet loss" in r.out
    assert r.code == 1


def test_ping_without_count_stops_at_ctrl_c(net: FakeNetwork,
                                            echo: dict[str, list[int]]) -> None:
    echo["10.244.2.7"] = [200]
    r = run(net, ping, "ping 10.244.2.7", deadline=4.5)
    assert r.out.count("64 bytes from") == 5
    assert r.out.endswith("5 packets transmitted, 5 packets received, 0% packet loss\n"
                          "round-trip min/avg/max = 0.200/0.200/0.200 ms\n")
    assert r.code == 0 and r.elapsed == pytest.approx(4.5)


def test_ping_closed_from_outside_still_prints_its_statistics(
        net: FakeNetwork, echo: dict[str, list[int]]) -> None:
    """kubectl exec's Ctrl-C closes the process: the SIGINT handler's statistics appear."""
    echo["10.244.2.7"] = [200]
    loop = Loop(START)
    out = Buffer()
    ctx = ExecContext("", out, Buffer(), {}, "/", MemoryFS(), loop, host=Pod(net))
    proc = ping(ctx, ["ping", "10.244.2.7"])
    effect = proc.send(None)  # exec
    for _ in range(4):  # reply, pause, reply, then closed while pausing
        loop.advance(effect.duration)
        effect = proc.send(None)
    proc.close()
    assert out.getvalue().endswith("\n--- 10.244.2.7 ping statistics ---\n"
                                   "2 packets transmitted, 2 packets received, 0% packet loss\n"
                                   "round-trip min/avg/max = 0.200/0.200/0.200 ms\n")


def test_ping_errors_and_small_packets(net: FakeNetwork, echo: dict[str, list[int]]) -> None:
    r = run(net, ping, "ping -c 1 nosuch")
    assert (r.out, r.err, r.code) == ("", "ping: bad address 'nosuch'\n", 1)
    assert run(net, ping, "ping -c x web").err == "ping: invalid number 'x'\n"
    r = run(net, ping, "ping a b")
    assert r.err.startswith("BusyBox v1.37.0") and "Usage: ping [OPTIONS] HOST\n" in r.err
    echo["127.0.0.1"] = [40]
    r = run(net, ping, "ping -c 1 -s 2 127.0.0.1")
    # below 4 data bytes there is no timestamp: no time= and no round-trip line
    assert r.out == ("PING 127.0.0.1 (127.0.0.1): 2 data bytes\n"
                     "10 bytes from 127.0.0.1: seq=0 ttl=64\n"
                     "\n--- 127.0.0.1 ping statistics ---\n"
                     "1 packets transmitted, 1 packets received, 0% packet loss\n")
    r = run(net, ping, "ping -c 1 web")
    assert r.out.startswith("PING web (10.100.7.9): 56 data bytes\n")


# --------------------------------------------------------------------------- nc, telnet


class Conn:
    rtt = 300 * US
    app = None


def test_nc_zero_io_verbose(net: FakeNetwork) -> None:
    net.conns[("10.100.7.9", 80)] = Conn()
    r = run(net, nc, "nc -z -v web 80")
    assert (r.err, r.code) == ("web (10.100.7.9:80) open\n", 0)
    r = run(net, nc, "nc -zv web 81")
    assert (r.err, r.code) == ("nc: web (10.100.7.9:81): Connection refused\n", 1)
    assert run(net, nc, "nc -z web 80").err == ""


def test_nc_connect_timeout(net: FakeNetwork) -> None:
    net.conns[("10.96.0.1", 81)] = Failure("timeout", 127 * SECOND)
    r = run(net, nc, "nc -w 2 10.96.0.1 81")
    assert r.err == "nc: 10.96.0.1 (10.96.0.1:81): Connection timed out\n"
    assert r.code == 1 and r.elapsed == pytest.approx(2.0004, abs=1e-3)
    net.conns[("10.244.1.99", 80)] = Failure("unreachable", 3 * SECOND)
    r = run(net, nc, "nc -w 5 10.244.1.99 80")
    assert r.err == "nc: 10.244.1.99 (10.244.1.99:80): No route to host\n"
    assert r.elapsed == pytest.approx(3.0004, abs=1e-3)


def test_nc_usage_and_bad_input(net: FakeNetwork) -> None:
    r = run(net, nc, "nc")
    assert r.err.startswith("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\n"
                            "Usage: nc [OPTIONS] HOST PORT  - connect\n"
                            "nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n"
                            "\t-e PROG\tRun PROG after connect (must be last)\n")
    assert r.err.endswith("\t-z\tZero-I/O mode (scanning)\n") and r.code == 1
    assert run(net, nc, "nc -q web 80").err.startswith("nc: invalid option -- 'q'\nBusyBox")
    assert run(net, nc, "nc nosuch 80").err == "nc: bad address 'nosuch'\n"
    assert run(net, nc, "nc web http").err == "nc: bad port 'http'\n"


def test_telnet(net: FakeNetwork) -> None:
    net.conns[("10.100.7.9", 80)] = Conn()
    r = run(net, telnet, "telnet web 80")
    assert (r.out, r.err, r.code) == ("Connected to web\n", "", 0)
    r = run(net, telnet, "telnet web 81")
    assert r.err == "telnet: can't connect to remote host (10.100.7.9): Connection refused\n"
    assert r.code == 1
    assert run(net, telnet, "telnet nosuch 80").err == "telnet: bad address 'nosuch'\n"
    assert run(net, telnet, "telnet web foo").err == "telnet: bad port 'foo'\n"
    r = run(net, telnet, "telnet")
    assert r.err.endswith("Usage: telnet [-a] [-l USER] HOST [PORT]\n\nConnect to telnet "
                          "server\n\n\t-a\tAutomatic login with $USER variable\n"
                          "\t-l USER\tAutomatic login as USER\n")
    net.conns[("10.100.7.9", 23)] = Conn()
    assert run(net, telnet, "telnet web").out == "Connected to web\n"  # default port 23


def test_ping_option_errors_print_the_usage(net: FakeNetwork,
                                             echo: dict[str, list[int]]) -> None:
    # BusyBox getopt32: the error line, then the usage, exit 1; options after the host count.
    echo["10.244.2.7"] = [89]
    bad = run(net, ping, "ping -x 10.244.2.7")
    assert bad.err.startswith("ping: invalid option -- 'x'\nBusyBox") and bad.code == 1
    missing = run(net, ping, "ping 10.244.2.7 -c")
    assert missing.err.startswith("ping: option requires an argument -- 'c'\nBusyBox")
    assert missing.code == 1
    assert run(net, ping, "ping 10.244.2.7 -c 1").out.count("bytes from") == 1
