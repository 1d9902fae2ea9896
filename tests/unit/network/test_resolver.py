"""Stub resolvers and CoreDNS's answers.

References: kubernetes.md §7 (``<svc>.<ns>.svc.cluster.local`` → ClusterIP, headless → pod
IPs; pod resolv.conf ``search <ns>.svc.cluster.local svc.cluster.local cluster.local`` with
``options ndots:5``); glibc ``res_search`` (ndots ordering); CoreDNS ``plugin/kubernetes``
(``pods insecure``).
"""

from __future__ import annotations

import netkit as nk

from k8slab.network.dns import candidates, parse_hosts, parse_resolv_conf
from k8slab.sim.clock import SECOND

POD_RESOLV = ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
              "nameserver 10.96.0.10\noptions ndots:5\n")


def test_parse_resolv_conf_as_the_kubelet_writes_it() -> None:
    conf = parse_resolv_conf(POD_RESOLV)
    assert conf.nameservers == ["10.96.0.10"]
    assert conf.search == ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"]
    assert conf.ndots == 5 and conf.timeout == 5 * SECOND and conf.attempts == 2


def test_ndots_decides_whether_the_search_list_comes_first() -> None:
    conf = parse_resolv_conf(POD_RESOLV)
    assert candidates("web", conf) == ["web.default.svc.cluster.local",
                                       "web.svc.cluster.local", "web.cluster.local", "web"]
    # 5 dots ≥ ndots: the name itself first
    assert candidates("a.b.c.d.e.f", conf)[0] == "a.b.c.d.e.f"
    # a trailing dot: only the name
    assert candidates("web.default.svc.cluster.local.", conf) == [
        "web.default.svc.cluster.local"]


def test_hosts_file() -> None:
    hosts = parse_hosts("# c\n127.0.0.1\tlocalhost\n10.244.1.5\tweb-1 Web\n::1 localhost\n")
    assert hosts == {"localhost": ["127.0.0.1"], "web-1": ["10.244.1.5"],
                     "web": ["10.244.1.5"]}


def test_coredns_answers() -> None:
    cluster = nk.booted()
    dns = cluster.network.coredns
    cip = cluster.api.get(nk.SERVICE, "default", "test-web-svc")["spec"]["clusterIP"]
    assert dns.answer("test-web-svc.default.svc.cluster.local") == ("NOERROR", [cip])
    assert dns.answer("nope.default.svc.cluster.local")[0] == "NXDOMAIN"
    assert dns.answer("10-244-1-7.default.pod.cluster.local") == ("NOERROR", ["10.244.1.7"])
    assert dns.answer("kube-dns.kube-system.svc.cluster.local") == ("NOERROR",
                                                                    ["10.96.0.10"])
    # outside the cluster domain: forwarded to the lab network's DNS
    assert dns.answer("t.cs.2") == ("NOERROR", ["172.16.0.2"])
    assert dns.answer("w.nocs.cn")[0] == "NXDOMAIN"


def test_headless_service_answers_ready_pod_ips() -> None:
    cluster = nk.booted(with_service=False)
    cluster.api.create(nk.service(name="web-headless", type_="ClusterIP", node_port=None,
                                  clusterIP="None"), source="kubectl", namespace="default")
    cluster.loop.advance(SECOND)
    rcode, ips = cluster.network.coredns.answer("web-headless.default.svc.cluster.local")
    assert rcode == "NOERROR"
    assert sorted(ips) == sorted(p["status"]["podIP"] for p in nk.ready_pods(cluster))


def test_pod_resolution_through_kube_dns() -> None:
    cluster = nk.booted()
    inside = nk.container(cluster, nk.ready_pods(cluster)[0]).transport
    cip = cluster.api.get(nk.SERVICE, "default", "test-web-svc")["spec"]["clusterIP"]
    for name in ("test-web-svc", "test-web-svc.default", "test-web-svc.default.svc",
                 "test-web-svc.default.svc.cluster.local"):
        assert inside.resolve(name) == [cip], name
    assert inside.resolve("kubernetes.default") == ["10.96.0.1"]
    # the pod's own name is in its /etc/hosts
    pod = nk.ready_pods(cluster)[0]
    assert inside.resolve(pod["metadata"]["name"]) == [pod["status"]["podIP"]]
