"""What a learner sees of the network from inside a busybox pod: ``nslookup``, ``ping``, ``nc``,
``telnet``, ``hostname -i`` — and two image behaviours (``exec nginx`` from a shell command,
bash's ``jobs`` after ``kill %1``).

References: kubernetes.md §7 (Service names, headless → pod IPs, pod ``resolv.conf`` with the
namespace search path and ``ndots:5``; kube-proxy iptables mode DNATs only a Service's TCP/UDP
ports); BusyBox 1.37 ``networking/nslookup.c`` (search domains only for dotless names, A then
AAAA, exit 1 on any NXDOMAIN — the reason ``nslookup kubernetes.default`` fails in busybox
pods, docker-library/busybox issues #48 and #61), ``networking/ping.c``,
``networking/nc_bloaty.c``, ``networking/telnet.c``, ``networking/hostname.c``; bash 5.2
``jobs.c`` (``print_pipeline``: status padded to ``LONGEST_SIGNAL_DESC`` = 24).
"""

from __future__ import annotations

import re

import pytest

from k8slab import Lab
from k8slab.api.kinds import by_gvk

POD = by_gvk("v1", "Pod")
HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"


@pytest.fixture(scope="module")
def lab() -> Lab:
    lab = Lab(seed=0)
    r = lab.sh("kubectl create deployment web --image=nginx:1.10 --replicas=2\n"
               "kubectl expose deployment web --port=80\n"
               "kubectl expose deployment web --name=web-headless --cluster-ip=None --port=80\n"
               "kubectl run bb --image=busybox --restart=Never -- sleep 3600\n"
               "sleep 30")
    assert r.exit_code == 0, r.output
    return lab


def _ip(lab: Lab, kind: str, name: str, path: str) -> str:
    return lab.sh(f"kubectl get {kind} {name} -o jsonpath='{{{path}}}'").stdout


def _pods(lab: Lab) -> list[dict]:
    return [p for p in lab.cluster.api.list(POD, "default")
            if p["metadata"]["name"].startswith("web-")]


def test_nslookup_service_short_name(lab: Lab) -> None:
    cip = _ip(lab, "svc", "web", ".spec.clusterIP")
    r = lab.sh("kubectl exec bb -- nslookup web")
    assert r.stdout == (
        HEADER + f"Name:\tweb.default.svc.cluster.local\nAddress: {cip}\n\n"
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find web.cluster.local: NXDOMAIN\n\n"
        "\n"  # the AAAA reply: NOERROR without an answer prints nothing but its empty line
        "** server can't find web.svc.cluster.local: NXDOMAIN\n\n"
        "** server can't find web.cluster.local: NXDOMAIN\n\n")
    assert r.stderr == "command terminated with exit code 1\n" and r.exit_code == 1


def test_nslookup_names_with_a_dot_are_not_searched(lab: Lab) -> None:
    for name in ("web.default", "kubernetes.default"):
        r = lab.sh(f"kubectl exec bb -- nslookup {name}")
        assert r.stdout == (HEADER + f"** server can't find {name}: NXDOMAIN\n\n" * 2)
        assert r.exit_code == 1


def test_nslookup_fqdn(lab: Lab) -> None:
    cip = _ip(lab, "svc", "web", ".spec.clusterIP")
    r = lab.sh("kubectl exec bb -- nslookup web.default.svc.cluster.local")
    assert r.stdout == HEADER + f"Name:\tweb.default.svc.cluster.local\nAddress: {cip}\n\n\n"
    assert r.exit_code == 0
    r = lab.sh("kubectl exec bb -- nslookup kubernetes.default.svc.cluster.local")
    assert "Address: 10.96.0.1\n" in r.stdout and r.exit_code == 0


def test_nslookup_headless_service_lists_pod_ips(lab: Lab) -> None:
    r = lab.sh("kubectl exec bb -- nslookup web-headless.default.svc.cluster.local")
    found = re.findall(r"Name:\tweb-headless\.default\.svc\.cluster\.local\nAddress: (\S+)\n",
                       r.stdout)
    assert sorted(found) == sorted(p["status"]["podIP"] for p in _pods(lab))


def test_nslookup_unknown_and_external_names(lab: Lab) -> None:
    r = lab.sh("kubectl exec bb -- nslookup nosuch")
    assert r.stdout.count("** server can't find nosuch.") == 6 and r.exit_code == 1
    # the lab is offline: CoreDNS forwards to the lab network's DNS, which knows no such name
    r = lab.sh("kubectl exec bb -- nslookup www.google.com")
    assert r.stdout == HEADER + "** server can't find www.google.com: NXDOMAIN\n\n" * 2
    # a forwarded answer has the AA bit clear
    r = lab.sh("kubectl exec bb -- nslookup ms.iirii.com")
    assert r.stdout == (HEADER + "Non-authoritative answer:\nName:\tms.iirii.com\n"
                        "Address: 172.16.0.1\n\nNon-authoritative answer:\n\n")


def test_nslookup_reverse_lookup_of_a_service_ip(lab: Lab) -> None:
    r = lab.sh("kubectl exec bb -- nslookup 10.96.0.1")
    assert r.stdout == (HEADER + "1.0.96.10.in-addr.arpa\tname = "
                        "kubernetes.default.svc.cluster.local\n\n")


def test_ping_pods_and_nodes_answer(lab: Lab) -> None:
    bb_node = _ip(lab, "pod", "bb", ".spec.nodeName")
    for pod in _pods(lab):
        ip = pod["status"]["podIP"]
        r = lab.sh(f"kubectl exec bb -- ping -c 2 {ip}")
        ttl = 64 if pod["spec"]["nodeName"] == bb_node else 62
        lines = r.stdout.splitlines()
        assert lines[0] == f"PING {ip} ({ip}): 56 data bytes"
        for seq, line in enumerate(lines[1:3]):
            assert re.fullmatch(rf"64 bytes from {re.escape(ip)}: seq={seq} ttl={ttl} "
                                r"time=0\.\d{3} ms", line), line
        assert lines[3:6] == ["", f"--- {ip} ping statistics ---",
                              "2 packets transmitted, 2 packets received, 0% packet loss"]
        assert lines[6].startswith("round-trip min/avg/max = 0.") and r.exit_code == 0
    r = lab.sh("kubectl exec bb -- ping -c 1 172.16.0.1")
    assert "64 bytes from 172.16.0.1: seq=0 ttl=63 time=" in r.stdout


def test_a_cluster_ip_does_not_answer_ping(lab: Lab) -> None:
    """iptables kube-proxy only DNATs the Service's TCP/UDP ports: ICMP to a ClusterIP goes
    nowhere, while the name resolves and TCP to the port works."""
    cip = _ip(lab, "svc", "web", ".spec.clusterIP")
    r = lab.sh("time kubectl exec bb -- ping -c 3 web")
    assert r.stdout == (f"PING web ({cip}): 56 data bytes\n\n--- web ping statistics ---\n"
                        "3 packets transmitted, 0 packets received, 100% packet loss\n")
    assert "command terminated with exit code 1" in r.stderr
    assert "real\t0m12." in r.stderr  # 2 s of requests, then -W's 10 s
    assert lab.sh("kubectl exec bb -- nc -z -v web 80").stderr == \
        f"web ({cip}:80) open\n"


def test_ping_without_count_runs_until_ctrl_c(lab: Lab) -> None:
    ip = _pods(lab)[0]["status"]["podIP"]
    r = lab.sh(f"kubectl exec bb -- ping {ip}", run_for=5)
    assert r.stdout.count("64 bytes from") == 5
    assert "\n--- " + ip + " ping statistics ---\n5 packets transmitted, 5 packets " \
        "received, 0% packet loss\n" in r.stdout


def test_nc_and_telnet(lab: Lab) -> None:
    cip = _ip(lab, "svc", "web", ".spec.clusterIP")
    ip = _pods(lab)[0]["status"]["podIP"]
    r = lab.sh(f"kubectl exec bb -- nc -zv {ip} 81")
    assert r.stderr.startswith(f"nc: {ip} ({ip}:81): Connection refused\n") and r.exit_code == 1
    # a ClusterIP on a port the Service does not have matches no rule: the SYN is dropped
    r = lab.sh("time kubectl exec bb -- nc -w 2 web 81")
    assert r.stderr.startswith(f"nc: web ({cip}:81): Connection timed out\n")
    assert "real\t0m2.0" in r.stderr
    r = lab.sh("kubectl exec bb -- telnet web 80")
    assert (r.stdout, r.exit_code) == ("Connected to web\n", 0)
    r = lab.sh(f"kubectl exec bb -- telnet {ip} 81")
    assert r.stderr.startswith(f"telnet: can't connect to remote host ({ip}): "
                               "Connection refused\n")
    r = lab.sh("kubectl exec bb -- sh -c \"printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc web 80\"")
    assert r.stdout.startswith("HTTP/1.1 200 OK\r\nServer: nginx/1.10.3\r\n")
    assert "\r\nConnection: close\r\n" in r.stdout and r.stdout.endswith("</html>\n")


def test_hostname_i_prints_the_pod_ip(lab: Lab) -> None:
    r = lab.sh("kubectl exec bb -- hostname -i")
    assert r.stdout == _ip(lab, "pod", "bb", ".status.podIP") + "\n"


def test_applets_per_image(lab: Lab) -> None:
    """Alpine keeps telnet in busybox-extras; dustise/sleep (Alpine, istio.md §6.2) has the
    other BusyBox network applets."""
    r = lab.sh("kubectl run al --image=dustise/flaskapp\nkubectl run sl --image=dustise/sleep\n"
               "sleep 30")
    assert r.exit_code == 0, r.output
    r = lab.sh("kubectl exec al -- telnet web 80")
    assert 'exec: "telnet": executable file not found in $PATH' in r.stderr
    r = lab.sh("kubectl exec al -- nslookup web.default.svc.cluster.local")
    assert r.stdout.startswith(HEADER + "Name:\tweb.default.svc.cluster.local\n")
    r = lab.sh("kubectl exec sl -- nslookup web.default.svc.cluster.local")
    assert r.exit_code == 0 and "Name:\tweb.default.svc.cluster.local\n" in r.stdout


def test_nslookup_when_coredns_has_no_endpoints() -> None:
    """kube-proxy REJECTs datagrams to a Service without endpoints (ICMP port unreachable):
    the next write of send_queries fails at once."""
    lab = Lab(seed=1)
    lab.sh("kubectl run bb --image=busybox --restart=Never -- sleep 3600\n"
           "kubectl -n kube-system scale deployment coredns --replicas=0\nsleep 30")
    r = lab.sh("time kubectl exec bb -- nslookup kubernetes")
    assert r.stdout == ";; connection timed out; no servers could be reached\n\n"
    assert r.stderr.startswith("nslookup: write to '10.96.0.10': Connection refused\n"
                               "command terminated with exit code 1\n")
    assert "real\t0m0.0" in r.stderr


def test_nslookup_when_coredns_nodes_are_down() -> None:
    """Queries to CoreDNS pods on dead machines go unanswered: 5 s, then the timeout line."""
    lab = Lab(seed=1)
    lab.sh("kubectl run bb --image=busybox --restart=Never -- sleep 3600\nsleep 30")
    bb_node = _ip(lab, "pod", "bb", ".spec.nodeName")
    nodes = {p["spec"]["nodeName"] for p in lab.cluster.api.list(POD, "kube-system")
             if p["metadata"]["name"].startswith("coredns-")}
    assert bb_node not in nodes
    for node in sorted(nodes):
        lab.cluster.fail_node(node)
    r = lab.sh("time kubectl exec bb -- nslookup kubernetes")
    assert r.stdout == ";; connection timed out; no servers could be reached\n\n"
    assert r.stderr.startswith("command terminated with exit code 1\n")
    assert "real\t0m5.0" in r.stderr


def test_exec_from_a_shell_command_makes_nginx_pid_1() -> None:
    """``sh -c '…; exec nginx -g "daemon off;"'``: exec replaces the shell, so the nginx that
    starts is the one and only server (no second bind, no crash loop)."""
    lab = Lab(seed=0)
    r = lab.apply("apiVersion: v1\nkind: Pod\nmetadata:\n  name: ng\nspec:\n  containers:\n"
                  "  - name: ng\n    image: nginx\n    command: [\"sh\", \"-c\", "
                  "\"touch /tmp/x; exec nginx -g 'daemon off;'\"]\n")
    assert r.exit_code == 0
    r = lab.sh("sleep 40\nkubectl get pod ng --no-headers")
    assert re.match(r"ng\s+1/1\s+Running\s+0\s", r.stdout), r.stdout
    assert "Address already in use" not in lab.sh("kubectl logs ng").output
    assert lab.sh("kubectl exec ng -- ls /tmp").stdout == "x\n"
    ip = _ip(lab, "pod", "ng", ".status.podIP")
    r = lab.sh(f"kubectl run c --image=busybox --restart=Never -- sleep 3600\nsleep 20\n"
               f"kubectl exec c -- wget -qO- {ip}")
    assert "<title>Welcome to nginx!</title>" in r.stdout
    # a second nginx in the same network namespace still cannot bind
    r = lab.sh("kubectl exec ng -- nginx -g 'daemon off;'")
    assert "bind() to 0.0.0.0:80 failed (98: Address already in use)" in r.stderr


def test_jobs_after_kill_prints_terminated_and_the_command() -> None:
    lab = Lab(seed=0)
    r = lab.sh("sleep 100 &\njobs\nkill %1\njobs\njobs")
    assert r.output == ("[1] 2418\n"
                        "[1]+  Running                 sleep 100 &\n"
                        "[1]+  Terminated              sleep 100\n")
    r = lab.sh("sleep 1 > /dev/null 2>&1 &\nsleep 2\njobs")
    assert r.output == "[1] 2419\n[1]+  Done                    sleep 1 > /dev/null 2>&1\n"
