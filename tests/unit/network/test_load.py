"""The load engine behind ``Transport.run_load`` (the ``LoadSpec`` contract in
``k8slab/network/http.py``) and the server-side CPU model (``k8slab/network/cpu.py``).

Fidelity points: a connection stays on the pod kube-proxy picked when it connected
(conntrack; kubernetes.md §7 "chosen per new connection"), so ``wrk -c 3`` reaches at most three
pods; nginx 1.10 closes a keep-alive connection after 100 requests (``keepalive_requests``,
default 100 until 1.19.10), which re-picks; wrk abandons requests in flight at the end.
"""

from __future__ import annotations

import itertools

import netkit as nk

from k8slab.network.cpu import CpuState
from k8slab.network.http import LoadSpec, Request
from k8slab.sim.clock import MILLISECOND, SECOND


def _req(host: str = "ms.iirii.com", port: int = 30044) -> Request:
    return Request("GET", "http", host, port, "/", [("Host", f"{host}:{port}")])


def test_connections_stay_on_their_pod_until_the_server_closes() -> None:
    cluster = nk.booted(replicas=10)
    tr = nk.workstation(cluster)
    req = _req()
    samples = nk.run_load(cluster, tr, LoadSpec(3, lambda c, s: req, total_requests=60))
    assert len(samples) == 60 and all(s.status == 200 for s in samples)
    by_conn: dict[int, set[str]] = {}
    for s in samples:
        by_conn.setdefault(s.connection, set()).add(s.backend)
    assert all(len(b) == 1 for b in by_conn.values())
    assert len({s.backend for s in samples}) <= 3
    assert sum(1 for s in samples if s.connect is not None) == 3
    assert all(s.remote == "172.16.0.1:30044" for s in samples)


def test_nginx_1_10_closes_keepalive_after_100_requests() -> None:
    cluster = nk.booted(replicas=10)
    tr = nk.workstation(cluster)
    req = _req()
    samples = nk.run_load(cluster, tr, LoadSpec(1, lambda c, s: req, total_requests=350))
    reconnects = [i for i, s in enumerate(samples) if s.connect is not None]
    assert reconnects == [0, 100, 200, 300]


def test_duration_abandons_requests_in_flight_and_takes_the_time() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    req = _req()
    start = cluster.loop.now
    samples = nk.run_load(cluster, tr, LoadSpec(2, lambda c, s: req, duration=SECOND))
    assert cluster.loop.now == start + SECOND
    assert samples and all(s.end <= start + SECOND for s in samples)
    # 2 kept-alive connections, one ~10 ms VPN round trip per request
    assert 180 <= len(samples) <= 220


def test_qps_pacing_and_warmup() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    req = _req()
    spec = LoadSpec(4, lambda c, s: req, duration=2 * SECOND, qps=100,
                    warmup_per_connection=1)
    samples = nk.run_load(cluster, tr, spec)
    warm = [s for s in samples if s.warmup]
    timed = [s for s in samples if not s.warmup]
    assert len(warm) == 4
    assert 190 <= len(timed) <= 200
    assert min(s.start for s in timed) >= max(s.end for s in warm)


def test_pace_start_until_and_stop() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    req = _req()
    seen = []

    def stop(sample):  # type: ignore[no-untyped-def]
        seen.append(sample)
        return len(seen) >= 7

    samples = nk.run_load(cluster, tr, LoadSpec(
        1, lambda c, s: req, pace=lambda c, s: s * 100 * MILLISECOND, stop=stop,
        start_until=10 * SECOND))
    assert len(samples) == 7
    starts = [s.start for s in samples]
    assert all(b - a >= 100 * MILLISECOND for a, b in itertools.pairwise(starts))


def test_failures_are_samples_with_an_error_kind() -> None:
    cluster = nk.booted()
    tr = nk.workstation(cluster)
    req = _req(port=30045)
    samples = nk.run_load(cluster, tr, LoadSpec(2, lambda c, s: req, total_requests=4))
    assert [s.error for s in samples] == ["refused"] * 4
    assert all(s.status == 0 for s in samples)


def test_a_deleted_pod_resets_its_kept_alive_connections() -> None:
    cluster = nk.booted(replicas=1)
    tr = nk.workstation(cluster)
    req = _req()
    (pod,) = nk.ready_pods(cluster)
    cluster.loop.call_later(500 * MILLISECOND, lambda: cluster.api.delete(
        nk.POD, "default", pod["metadata"]["name"], source="kubectl"))
    samples = nk.run_load(cluster, tr, LoadSpec(1, lambda c, s: req, duration=3 * SECOND))
    kinds = [s.error for s in samples]
    assert "reset" in kinds
    first_failure = kinds.index("reset")
    assert all(s.status == 200 for s in samples[:first_failure])


def test_cpu_queue_and_usage() -> None:
    """cpu.py: a fluid FIFO of C cores, one core per request at most."""
    state = CpuState(capacity=2.0, started_at=0)
    assert state.serve(0, 10, 10) == 10          # alone: full speed on one core
    state = CpuState(capacity=2.0, started_at=0)
    times = [state.serve(0, 100, 100) for _ in range(4)]
    assert times == [100, 100, 150, 200]          # the third waits for a core
    assert state.usage(100) == 200 and state.usage(1000) == 400
    throttled = CpuState(capacity=0.1, started_at=0)
    assert throttled.serve(0, 60, 60) == 600      # a 100m limit: 60 ms of CPU takes 600 ms


def test_load_burns_cpu_that_metrics_can_read() -> None:
    cluster = nk.booted(replicas=1, image="registry.ioros.com/coam/test.web:0.0.1")
    (pod,) = nk.ready_pods(cluster)
    name = pod["metadata"]["name"]
    net = cluster.network
    before = net.cpu_usage("default", name, "test-web")
    assert before is not None
    tr = nk.workstation(cluster)
    nk.run_load(cluster, tr, LoadSpec(1, lambda c, s: _req(), duration=10 * SECOND))
    used = net.cpu_usage("default", name, "test-web") - before  # type: ignore[operator]
    # one sequential client: ~60 ms of CPU per ~75 ms round → most of a core
    assert 6 * SECOND < used < 9 * SECOND
    assert net.cpu_usage("default", "nope", "test-web") is None
