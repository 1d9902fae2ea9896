"""kube-proxy's rules: what they contain, when they change, and which node has which.

References: kubernetes.md §7 (iptables mode: a uniformly random endpoint per new connection,
ClientIP affinity, only ready endpoints); ``pkg/proxy/topology.go`` ``CategorizeEndpoints``
(serving-terminating fallback, Local policies); ``pkg/proxy/apis/config/v1alpha1/defaults.go``
(``MinSyncPeriod`` 0 → 1 s) and ``pkg/proxy/iptables/proxier.go`` (``burstSyncs := 2``).
"""

from __future__ import annotations

import itertools
from collections import Counter

import netkit as nk

from k8slab.network.proxy import (
    BURST_SYNCS,
    DROP,
    MIN_SYNC_PERIOD,
    REJECT,
    SYNC_DURATION,
    Endpoint,
    ServicePort,
)
from k8slab.sim.clock import MILLISECOND, SECOND


def _sp(endpoints: list[Endpoint], **spec) -> ServicePort:  # type: ignore[no-untyped-def]
    svc = {"metadata": {"namespace": "default", "name": "web"},
           "spec": {"type": "NodePort", "clusterIP": "10.96.1.1", "clusterIPs": ["10.96.1.1"],
                    **spec}}
    return ServicePort(svc, {"name": "http", "port": 80, "nodePort": 30080}, endpoints)


def _ep(ip: str, node: str = "a", ready: bool = True, serving: bool = True,
        terminating: bool = False) -> Endpoint:
    return Endpoint(ip, 80, node, ready, serving, terminating, "default", ip)


def test_usable_endpoints_are_ready_ones_else_serving_terminating() -> None:
    """topology.go CategorizeEndpoints: ready endpoints; none ready → serving+terminating."""
    sp = _sp([_ep("10.0.0.1"), _ep("10.0.0.2", ready=False, serving=False)])
    assert [e.ip for e in sp.cluster_endpoints] == ["10.0.0.1"]
    sp = _sp([_ep("10.0.0.1", ready=False, terminating=True),
              _ep("10.0.0.2", ready=False, serving=False)])
    assert [e.ip for e in sp.cluster_endpoints] == ["10.0.0.1"]
    sp = _sp([_ep("10.0.0.2", ready=False, serving=False)])
    assert sp.cluster_endpoints == () and not sp.has_endpoints


def test_picks_are_uniform_over_ready_endpoints() -> None:
    """kubernetes.md §7: probability 1/(n−i) per rule ⇒ each backend equally likely."""
    cluster = nk.booted(with_service=False, settle=SECOND)
    proxy = cluster.network.proxy
    sp = _sp([_ep(f"10.0.0.{i}") for i in range(1, 5)] + [_ep("10.0.0.9", ready=False)])
    counts = Counter(proxy.pick(sp, "t.cs.2", "1.1.1.1", external=False).ip  # type: ignore[union-attr]
                     for _ in range(8000))
    assert set(counts) == {"10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}
    assert all(1800 < n < 2200 for n in counts.values())


def test_reject_without_endpoints_and_drop_for_local_policy() -> None:
    """proxier.go: no endpoints → REJECT; externalTrafficPolicy Local without a local
    endpoint → DROP (the client times out)."""
    cluster = nk.booted(with_service=False, settle=SECOND)
    proxy = cluster.network.proxy
    assert proxy.pick(_sp([]), "t.cs.2", "1.1.1.1", external=True) == REJECT
    local = _sp([_ep("10.0.0.1", node="t.cs.3")], externalTrafficPolicy="Local")
    assert proxy.pick(local, "t.cs.2", "1.1.1.1", external=True) == DROP
    assert proxy.pick(local, "t.cs.3", "1.1.1.1", external=True).ip == "10.0.0.1"  # type: ignore[union-attr]
    # traffic from inside the cluster uses every endpoint (the Cluster path)
    assert proxy.pick(local, "t.cs.2", "1.1.1.1", external=False).ip == "10.0.0.1"  # type: ignore[union-attr]


def test_client_ip_affinity_pins_then_expires() -> None:
    """kubernetes.md §7: sessionAffinity ClientIP pins a client IP for timeoutSeconds."""
    cluster = nk.booted(with_service=False, settle=SECOND)
    proxy = cluster.network.proxy
    sp = _sp([_ep(f"10.0.0.{i}") for i in range(1, 9)], sessionAffinity="ClientIP",
             sessionAffinityConfig={"clientIP": {"timeoutSeconds": 10}})
    first = proxy.pick(sp, "t.cs.2", "1.1.1.1", external=True)
    picks = set()
    for _ in range(20):
        cluster.loop.advance(5 * SECOND)  # each connection refreshes the entry
        picks.add(proxy.pick(sp, "t.cs.2", "1.1.1.1", external=True).ip)  # type: ignore[union-attr]
    assert picks == {first.ip}  # type: ignore[union-attr]
    others = {proxy.pick(sp, "t.cs.2", f"2.2.2.{i}", external=True).ip for i in range(40)}  # type: ignore[union-attr]
    assert len(others) > 1
    seen = set()
    for _ in range(30):
        cluster.loop.advance(11 * SECOND)  # past the timeout every time: a fresh pick
        seen.add(proxy.pick(sp, "t.cs.2", "1.1.1.1", external=True).ip)  # type: ignore[union-attr]
    assert len(seen) > 1


def test_default_sync_pacing_is_one_second_with_a_burst_of_two() -> None:
    """defaults.go: minSyncPeriod 0 → 1 s; proxier.go: burstSyncs 2."""
    assert MIN_SYNC_PERIOD == 1 * SECOND and BURST_SYNCS == 2
    cluster = nk.booted(settle=30 * SECOND)
    proxy = cluster.network.proxy
    loop = cluster.loop
    start = len(proxy.tables)
    times = []
    for i in range(5):
        svc = nk.service(name=f"s{i}", node_port=None, type_="ClusterIP")
        cluster.api.create(svc, source="kubectl", namespace="default")
        loop.advance(5 * MILLISECOND)
    loop.advance(10 * SECOND)
    times = [t.time for t in proxy.tables[start:]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    # the tokens were full: two quick syncs, then one per second at most
    assert gaps[0] < 100 * MILLISECOND
    assert all(g >= MIN_SYNC_PERIOD - SYNC_DURATION for g in gaps[1:])


def test_every_node_shares_one_table_per_sync() -> None:
    cluster = nk.booted()
    proxy = cluster.network.proxy
    tables = {name: proxy.table(name) for name in cluster.kubelets}
    assert len({id(t) for t in tables.values()}) == 1
    assert next(iter(tables.values())) is proxy.tables[-1]
