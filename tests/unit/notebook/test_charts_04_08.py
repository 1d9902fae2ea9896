"""Charts of chapters 04–08: requests per pod, rollouts, revisions, probes and ingress.

Object state is replayed from trace digests as the apiserver writes them (Pod: ready,
restarts, owner, deleting; ReplicaSet: replicas, revision, owner); requests come from the
network's request log (``k8slab/network/log.py``). The expected values are the scenarios'
own numbers: kubernetes.md §1.4 for the (old, new) steps of a 10/1/1 rollout, §1.9 for a
re-used ReplicaSet's new revision, §7 for kube-proxy's uniform pick (fair share N/n,
binomial spread).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from labfakes import SECOND, FakeLab, pod

from k8slab import Lab
from k8slab.network.log import RequestLog
from k8slab.notebook import charts

ROOT = Path(__file__).resolve().parents[3]
DEP = "test-web-deployment"
OLD, NEW = f"{DEP}-5dbffd75f", f"{DEP}-7d6c4bccc4"


def _with_log(lab: FakeLab) -> RequestLog:
    log = RequestLog()
    lab.cluster.network = SimpleNamespace(log=log)  # type: ignore[attr-defined]
    return log


def _row(log: RequestLog, t: float, backend: str, *, service: str = "default/test-web-svc",
         client: str = "workstation", status: int = 200, server: str = "nginx/1.10.3",
         error: str = "") -> None:
    i = log.intern
    log.append(1_780_300_800 * SECOND + round(t * SECOND), i(client), i(service), i(backend),
               status, i(server), 10_000_000, i(error))


def _slice(name: str, service: str, pods: dict[str, bool]) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": name, "namespace": "default",
                         "labels": {"kubernetes.io/service-name": service}},
            "addressType": "IPv4", "ports": [{"name": "http", "port": 80}],
            "endpoints": [{"addresses": [f"10.244.1.{i + 2}"],
                           "conditions": {"ready": ready},
                           "targetRef": {"kind": "Pod", "namespace": "default", "name": p}}
                          for i, (p, ready) in enumerate(pods.items())]}


def _rs(lab: FakeLab, t: float, name: str, replicas: int, revision: str = "1",
        action: str = "update") -> None:
    lab.at(t)
    lab.trace.append(lab.loop.now, "deployment-controller", action, "ReplicaSet", "default",
                     name, {"replicas": replicas, "current": replicas, "ready": replicas,
                            "available": replicas, "revision": revision, "owner": DEP})


# ---------------------------------------------------------------------------- marks


def test_mark_is_a_trace_position_that_remembers_its_time(fake_lab: FakeLab) -> None:
    fake_lab.at(7)
    m = charts.mark(fake_lab)
    assert isinstance(m, int) and m == len(fake_lab.trace)
    assert m.time == fake_lab.loop.now
    assert repr(m) == f"Mark({len(fake_lab.trace)}, time={fake_lab.loop.now})"
    # existing charts take it as a plain position
    fake_lab.at(9)
    fake_lab.api.put(pod("web-1"), "replicaset-controller", "create")
    _, series = charts.pods_by_phase_series(fake_lab, since=m)
    assert series["Pending"][-1] == 1


# ---------------------------------------------------------------------------- 04


def test_requests_per_pod_counts_answers_idle_pods_and_failures(fake_lab: FakeLab) -> None:
    log = _with_log(fake_lab)
    _row(log, 1, "default/web-a")                      # before the mark: not counted
    fake_lab.at(10)
    m = charts.mark(fake_lab)
    for t, backend in ((11, "default/web-a"), (12, "default/web-b"), (13, "default/web-a")):
        _row(log, t, backend)
    _row(log, 14, "default/web-a", service="default/other")      # another Service
    _row(log, 15, "default/web-b", client="default/client")      # another client
    _row(log, 16, "", status=0, server="", error="refused")       # no answer
    fake_lab.api.put(_slice("test-web-svc-x", "test-web-svc",
                            {"web-a": True, "web-b": True, "web-c": True, "not-ready": False}),
                     "endpointslice-controller", "create")
    fake_lab.at(20)
    counts = charts.requests_per_pod_counts(fake_lab, m, client="workstation")
    assert counts == {"not-ready": 0, "web-a": 2, "web-b": 1, "web-c": 0,
                      charts.NO_ANSWER: 1}
    anyone = charts.requests_per_pod_counts(fake_lab, m, include_idle=False)
    assert anyone == {"web-a": 2, "web-b": 2, charts.NO_ANSWER: 1}
    every_service = charts.requests_per_pod_counts(fake_lab, m, service=None)
    assert every_service["web-a"] == 3


def test_requests_per_pod_draws_the_fair_share_and_its_spread(fake_lab: FakeLab) -> None:
    log = _with_log(fake_lab)
    m = charts.mark(fake_lab)
    for i in range(90):
        _row(log, 1 + i / 10, f"default/web-{'abc'[i % 3] if i < 84 else 'a'}")
    fake_lab.at(20)
    fig = charts.requests_per_pod(fake_lab, m, client="workstation")
    assert list(fig.data[0].x) == ["web-a", "web-b", "web-c"]
    assert list(fig.data[0].y) == [34, 28, 28]
    # 90 requests over 3 pods: fair share 30, binomial sd sqrt(90 * 1/3 * 2/3) = sqrt(20)
    line = next(s for s in fig.layout.shapes if s.type == "line")
    band = next(s for s in fig.layout.shapes if s.type == "rect")
    assert line.y0 == line.y1 == pytest.approx(30)
    assert (band.y0, band.y1) == (pytest.approx(30 - 2 * 20 ** 0.5),
                                  pytest.approx(30 + 2 * 20 ** 0.5))
    assert fig.layout.title.text == "Requests per pod (90 answered through default/test-web-svc)"


# ---------------------------------------------------------------------------- 05


def _rollout(lab: FakeLab) -> charts.Mark:
    """kubernetes.md §1.4 case A, first steps: (10,0) (10,1) (9,1) (9,2) (7,2)."""
    _rs(lab, 0, OLD, 10, action="create")
    lab.at(1)
    m = charts.mark(lab)
    _rs(lab, 2, NEW, 1, "2", action="create")
    _rs(lab, 2.5, OLD, 9)
    _rs(lab, 5, NEW, 2, "2")
    _rs(lab, 8, OLD, 7)
    return m


def test_scaling_steps_follow_the_old_new_sequence(fake_lab: FakeLab) -> None:
    m = _rollout(fake_lab)
    fake_lab.at(10)
    assert charts.scaling_steps(fake_lab, m) == [(10, 0), (10, 1), (9, 1), (9, 2), (7, 2)]
    xs, desired = charts.pods_per_replicaset_series(fake_lab, m, measure="desired")
    assert xs == [0.0, 1.0, 1.5, 4.0, 7.0, 9.0]     # the mark's time is x = 0
    assert desired == {OLD: [10, 10, 9, 9, 7, 7], NEW: [0, 1, 1, 2, 2, 2]}
    with pytest.raises(ValueError, match="measure"):
        charts.pods_per_replicaset_series(fake_lab, m, measure="phase")


def test_ready_pods_per_replicaset_count_ready_pods_not_being_deleted(
        fake_lab: FakeLab) -> None:
    m = _rollout(fake_lab)
    api = fake_lab.api
    fake_lab.at(3)
    api.put(pod("new-1", node_name="t.cs.2", owner=NEW), "default-scheduler", "bind")
    fake_lab.at(4)
    api.put(pod("new-1", node_name="t.cs.2", phase="Running", ready=True, owner=NEW),
            "kubelet/t.cs.2", "update-status")
    api.put(pod("old-1", node_name="t.cs.3", phase="Running", ready=True, owner=OLD),
            "kubelet/t.cs.3", "update-status")
    fake_lab.at(6)
    api.put(pod("old-1", node_name="t.cs.3", phase="Running", ready=True, owner=OLD,
                deleting=True), "replicaset-controller", "delete")
    api.put(pod("stray", node_name="t.cs.3", phase="Running", ready=True, owner="other-rs"),
            "kubelet/t.cs.3", "update-status")
    fake_lab.at(10)
    xs, ready = charts.pods_per_replicaset_series(fake_lab, m)
    assert xs == [0.0, 3.0, 5.0, 9.0]
    assert ready == {OLD: [0, 1, 0, 0], NEW: [0, 1, 1, 1]}
    # "pods" counts a pod from its creation (here its bind at t=3), ready or not
    pxs, pods = charts.pods_per_replicaset_series(fake_lab, m, measure="pods")
    assert pxs == [0.0, 2.0, 3.0, 5.0, 9.0]
    assert pods == {OLD: [0, 0, 1, 0, 0], NEW: [0, 1, 1, 1, 1]}


def test_responses_by_version_bins_and_orders_versions(fake_lab: FakeLab) -> None:
    log = _with_log(fake_lab)
    fake_lab.at(10)
    m = charts.mark(fake_lab)
    _row(log, 10.1, "default/a")
    _row(log, 10.6, "default/a")
    _row(log, 11.2, "default/b", server="nginx/1.11.13")
    _row(log, 11.3, "default/a")
    _row(log, 12.9, "", status=0, server="", error="timeout")
    _row(log, 12.95, "default/b", server="nginx/1.11.13", client="default/client")
    fake_lab.at(13.5)
    xs, series = charts.responses_by_version_series(fake_lab, m)
    assert xs == [0.0, 1.0, 2.0, 3.0]
    assert series == {"nginx/1.10.3": [2, 1, 0, 0], "nginx/1.11.13": [0, 1, 0, 0],
                      charts.NO_ANSWER: [0, 0, 1, 0]}
    xs2, halves = charts.responses_by_version_series(fake_lab, m, bucket=0.5, client=None)
    assert xs2[:3] == [0.0, 0.5, 1.0] and sum(halves["nginx/1.11.13"]) == 2
    fig = charts.responses_by_version(fake_lab, m)
    assert [t.name for t in fig.data] == list(series)
    assert fig.layout.barmode == "stack"
    with pytest.raises(ValueError):
        charts.responses_by_version_series(fake_lab, m, bucket=0)


def test_rollout_overview_puts_pods_and_versions_on_one_axis(fake_lab: FakeLab) -> None:
    _with_log(fake_lab)
    m = _rollout(fake_lab)
    fake_lab.at(10)
    fig = charts.rollout_overview(fake_lab, m)
    names = [t.name for t in fig.data]
    assert names == ["5dbffd75f replicas", "7d6c4bccc4 replicas"]
    assert fig.data[0].xaxis == "x" and fig.layout.xaxis.matches == "x2"


# ---------------------------------------------------------------------------- 06


def test_revision_timeline_shows_the_reused_replicaset_jumping(fake_lab: FakeLab) -> None:
    m = _rollout(fake_lab)
    _rs(fake_lab, 20, NEW, 10, "2")
    _rs(fake_lab, 20, OLD, 0, "1")
    # kubernetes.md §1.9: undo re-uses the old ReplicaSet under revision max + 1 = 3
    _rs(fake_lab, 40, OLD, 1, "3")
    fake_lab.at(41)
    fake_lab.trace.append(fake_lab.loop.now, "garbage-collector", "remove", "ReplicaSet",
                          "default", NEW, {"replicas": 0, "revision": "2", "owner": DEP})
    fake_lab.at(45)
    xs, revisions = charts.revision_timeline_series(fake_lab, m)
    assert xs == [0.0, 1.0, 39.0, 40.0, 44.0]
    assert revisions == {OLD: [1, 1, 3, 3, 3], NEW: [None, 2, 2, None, None]}
    fig = charts.revision_timeline(fake_lab, m)
    assert [t.name for t in fig.data] == ["5dbffd75f", "7d6c4bccc4"]


# ---------------------------------------------------------------------------- 07


def test_ready_and_restarts_replay_each_pod(fake_lab: FakeLab) -> None:
    m = charts.mark(fake_lab)
    api, trace = fake_lab.api, fake_lab.trace

    def status(t: float, name: str, ready: bool, restarts: int, action: str = "update-status",
               deleting: bool = False) -> None:
        fake_lab.at(t)
        trace.append(fake_lab.loop.now, "kubelet/t.cs.2", action, "Pod", "default", name,
                     {"phase": "Running", "ready": ready, "node": "t.cs.2", "owner": "",
                      "restarts": restarts, "deleting": deleting})

    status(1, "web-b", True, 0, "create")
    status(1, "web-a", True, 0, "create")
    status(5, "web-a", False, 0)
    status(20, "web-a", False, 1)
    status(22, "web-a", True, 1)
    status(30, "web-b", True, 0, "delete", deleting=True)
    status(31, "web-b", True, 0, "remove")
    status(32, "other", True, 0, "create")
    fake_lab.at(40)
    del api
    xs, ready, restarts = charts.ready_and_restarts_series(fake_lab, m, prefix="web-")
    assert list(ready) == ["web-b", "web-a"]              # creation order
    assert xs == [0.0, 1.0, 5.0, 20.0, 22.0, 30.0, 31.0, 40.0]
    assert ready["web-a"] == [None, 1, 0, 0, 1, 1, 1, 1]
    assert restarts["web-a"] == [None, 0, 0, 1, 1, 1, 1, 1]
    assert ready["web-b"] == [None, 1, 1, 1, 1, 0, None, None]
    assert charts._segments(xs, ready["web-a"], 0) == [5.0, 22.0, None]
    fig = charts.ready_and_restarts(fake_lab, m, prefix="web-")
    assert [t.name for t in fig.data] == ["Ready", "not Ready", "web-b", "web-a"]
    assert list(fig.data[1].x) == [30.0, 31.0, None, 5.0, 22.0, None]
    assert list(fig.data[1].y) == ["web-b", "web-b", None, "web-a", "web-a", None]


# ---------------------------------------------------------------------------- 08


@pytest.fixture(scope="module")
def ingress_lab() -> Lab:
    lab = Lab(seed=0, workdir=ROOT / "manifests" / "08-ingress")
    r = lab.sh("kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml "
               "-f httpbin.yaml -f traefik.yaml\nsleep 30\n"
               "kubectl apply -f test-web-ingress.yaml -f httpbin-ingress.yaml\nsleep 2")
    assert r.exit_code == 0, r.stderr
    return lab


def test_routing_table_orders_routers_by_rule_length(ingress_lab: Lab) -> None:
    # Traefik's default priority is the length of the rule, longest first.
    routes = charts.routing_table(ingress_lab)
    assert [(r.priority, r.rule, r.backend) for r in routes] == [
        (44, "Host(`httpbin.iirii.com`) && PathPrefix(`/`)", "default/httpbin:8000"),
        (41, "Host(`ms.iirii.com`) && PathPrefix(`/ip`)", "default/httpbin:8000"),
        (39, "Host(`ms.iirii.com`) && PathPrefix(`/`)", "default/test-web-svc:8080"),
    ]
    assert len(routes[2].endpoints) == 10
    assert charts.match_route(ingress_lab, "MS.iirii.com:31357", "/ip?x=1") == routes[1]
    assert charts.match_route(ingress_lab, "ms.iirii.com", "/ipx") == routes[1]  # a prefix
    assert charts.match_route(ingress_lab, "other", "/") is None
    text = charts.routing_table_text(ingress_lab).splitlines()
    assert text[0].split() == ["PRIORITY", "RULE", "SERVICE", "SERVERS"]
    assert text[3].startswith("39 ")


def test_requests_per_service_follows_traefik_hops(ingress_lab: Lab) -> None:
    m = charts.mark(ingress_lab)
    r = ingress_lab.sh(
        "for h in ms.iirii.com httpbin.iirii.com nowhere; do for i in 1 2 3; do "
        "curl -s -o /dev/null -H \"Host: $h\" http://172.16.0.240/ip; done; done")
    assert r.exit_code == 0
    counts = charts.requests_per_service_counts(ingress_lab, m)
    assert counts == {"default/httpbin": 6, charts.NO_ROUTE: 3}
    fig = charts.requests_per_service(ingress_lab, m)
    assert list(fig.data[0].x) == list(counts) and list(fig.data[0].y) == [6, 3]


def test_routing_table_is_empty_without_traefik() -> None:
    lab = Lab(seed=0)
    assert charts.routing_table(lab) == []
    assert charts.match_route(lab, "ms.iirii.com", "/") is None
    assert charts.routing_table_text(lab).startswith("no routers")
    assert charts.routing_table(FakeLab()) == []
