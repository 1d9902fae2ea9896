"""The talk's liveness-exec pod (seed "健康检查"; kubernetes.md §4.1-§4.4;
pkg/kubelet/prober/worker.go timing; kuberuntime_manager.go back-off).

The container writes ``Exec-Started:<date>``, keeps /tmp/healthy for 30 s, then removes it;
the probe ``cat /tmp/healthy`` runs every 5 s after a 5 s initial delay, three failures kill
the container, busybox's shell ignores SIGTERM so it dies of SIGKILL 30 s later (137), and the
kubelet restarts it — at once the first time, then with a growing back-off.
"""

from __future__ import annotations

import itertools

import pytest

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import parse_rfc3339, to_datetime

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
EVENT = by_gvk("v1", "Event")

LIVENESS_EXEC = {
    "apiVersion": "v1", "kind": "Pod",
    "metadata": {"name": "liveness-exec", "labels": {"test": "liveness"}},
    "spec": {
        "nodeName": "t.cs.3",
        "containers": [{
            "name": "liveness",
            "image": "registry.ioros.com/docker.io/busybox",
            "imagePullPolicy": "IfNotPresent",
            "args": ["/bin/sh", "-c",
                     "echo Exec-Started:$(date '+%d/%m/%Y %H:%M:%S'); touch /tmp/healthy; "
                     "sleep 30; rm -rf /tmp/healthy; sleep 600"],
            "livenessProbe": {"exec": {"command": ["cat", "/tmp/healthy"]},
                              "initialDelaySeconds": 5, "periodSeconds": 5},
        }],
    },
}


def _cluster() -> Cluster:
    pytest.importorskip("k8slab.apps.textutils")
    c = Cluster(seed=0)
    c.boot()
    for i, node in enumerate(c.api.list(NODE)):
        if not node["spec"].get("podCIDR"):
            cidr = f"10.244.{i}.0/24"
            c.api.update({**node, "spec": {**node["spec"], "podCIDR": cidr}}, source="test",
                         trusted=True)
    c.loop.advance(15 * SECOND)
    return c


def _events(c: Cluster, reason: str) -> list[dict]:
    return [e for e in c.api.list(EVENT, "default")
            if e["involvedObject"]["name"] == "liveness-exec" and e["reason"] == reason]


def test_liveness_exec_follows_the_probe_timing_rules() -> None:
    c = _cluster()
    c.api.create(LIVENESS_EXEC, source="kubectl")
    c.loop.advance(100 * SECOND)
    kubelet = c.kubelets["t.cs.3"]
    started = c.trace.select(action="container-start", name="liveness-exec")[0].time
    exits = c.trace.select(action="container-exit", name="liveness-exec")
    probes = [p for p in c.trace.select(action="probe", name="liveness-exec")
              if p.time < exits[0].time]
    # The log line carries the container's start time from the virtual clock.
    logs = kubelet.logs("default", "liveness-exec", previous=True)
    assert logs[0][1] == "Exec-Started:" + to_datetime(started).strftime("%d/%m/%Y %H:%M:%S")
    # Ticks every periodSeconds, first useful one at least initialDelaySeconds after start.
    times = [p.time for p in probes]
    assert all((b - a) % (5 * SECOND) == 0 for a, b in itertools.pairwise(times))
    assert 5 * SECOND <= times[0] - started < 10 * SECOND
    failures = [p.time for p in probes if p.detail["result"] == "Failure"]
    successes = [p.time for p in probes if p.detail["result"] == "Success"]
    assert all(t < started + 31 * SECOND for t in successes)
    assert started + 30 * SECOND <= failures[0] < started + 35 * SECOND
    kill = _events(c, "Killing")[0]
    assert kill["message"] == "Container liveness failed liveness probe, will be restarted"
    assert parse_rfc3339(kill["firstTimestamp"]) == (failures[2] // SECOND) * SECOND
    assert failures[2] - failures[0] == 10 * SECOND  # failureThreshold 3
    unhealthy = _events(c, "Unhealthy")[0]
    assert unhealthy["type"] == "Warning"
    assert unhealthy["message"] == ("Liveness probe failed: cat: can't open '/tmp/healthy': "
                                    "No such file or directory\n")
    assert unhealthy["involvedObject"]["fieldPath"] == "spec.containers{liveness}"
    # SIGTERM is ignored by the shell: SIGKILL after the 30 s grace period.
    assert exits[0].detail["exitCode"] == 137
    assert exits[0].time - failures[2] == 30 * SECOND
    st = c.api.get(POD, "default", "liveness-exec")["status"]["containerStatuses"][0]
    assert st["restartCount"] == 1
    assert st["lastState"]["terminated"]["exitCode"] == 137
    assert st["lastState"]["terminated"]["reason"] == "Error"


def test_restarts_count_up_with_a_growing_back_off() -> None:
    c = _cluster()
    c.api.create(LIVENESS_EXEC, source="kubectl")
    c.loop.advance(600 * SECOND)
    exits = [r.time for r in c.trace.select(action="container-exit", name="liveness-exec")]
    starts = c.trace.select(action="container-start", name="liveness-exec")
    assert [s.detail["restartCount"] for s in starts] == list(range(len(starts)))
    st = c.api.get(POD, "default", "liveness-exec")["status"]["containerStatuses"][0]
    assert st["restartCount"] >= 4
    # Each container lives 30 s healthy + three 5 s probes + the 30 s grace period.
    for s, died in zip(starts, exits):
        assert 70 * SECOND <= died - s.time <= 76 * SECOND
    waits = []
    for died in exits[:3]:
        later = [s.time for s in starts if s.time > died]
        waits.append((later[0] - died) / SECOND)
    assert waits[0] < 1.2  # first restart at once (next PLEG relist)
    assert 10 <= waits[1] < 12  # then 10 s, 20 s… (+ the next relist and the start)
    assert 20 <= waits[2] < 22
    backoff = [e for e in _events(c, "BackOff")]
    assert backoff and backoff[0]["message"].startswith(
        "Back-off restarting failed container liveness in pod liveness-exec_default(")
