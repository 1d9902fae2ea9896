"""The kubelet's pod lifecycle: status, events, pulls, restarts, deletion, logs and exec
(pkg/kubelet/kubelet_pods.go, kuberuntime_*, images/image_manager.go; kubernetes.md §4)."""

from __future__ import annotations

import ipaddress
import itertools
import re

import pytest
from kubelet_helpers import POD, make_pod, pod_events

from k8slab.api.errors import StatusError
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND
from k8slab.sim.process import Buffer, ExecContext, run_blocking
from k8slab.sim.timefmt import parse_rfc3339


def _status(c: Cluster, name: str) -> dict:
    return c.api.get(POD, "default", name)["status"]


def test_running_pod_status_matches_the_kubelet(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("web", "nginx:1.10", ports=[{"containerPort": 80}]),
                        source="kubectl")
    kcluster.loop.advance(20 * SECOND)
    st = _status(kcluster, "web")
    assert st["phase"] == "Running"
    assert [c["type"] for c in st["conditions"]] == [
        "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]
    assert all(c["status"] == "True" for c in st["conditions"])
    cs = st["containerStatuses"][0]
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", cs["containerID"])
    assert cs["image"] == "docker.io/library/nginx:1.10"
    assert re.fullmatch(r"docker\.io/library/nginx@sha256:[0-9a-f]{64}", cs["imageID"])
    assert cs["ready"] is True and cs["started"] is True and cs["restartCount"] == 0
    assert list(cs["state"]) == ["running"] and cs["lastState"] == {}
    node = kcluster.api.get(POD, "default", "web")
    cidr = kcluster.kubelets["t.cs.2"].runtime.ipam.cidr
    assert ipaddress.ip_address(st["podIP"]) in ipaddress.ip_network(cidr)
    assert st["podIPs"] == [{"ip": st["podIP"]}]
    assert st["hostIP"] == "172.16.0.2" and st["hostIPs"] == [{"ip": "172.16.0.2"}]
    assert st["qosClass"] == "BestEffort"
    generation = node["metadata"].get("generation")
    if generation is not None:
        assert st["observedGeneration"] == generation


def test_pull_events_use_kubelet_1_37_wording(kcluster: Cluster) -> None:
    # kubernetes.md §4.3; pkg/kubelet/images/image_manager.go; kuberuntime_container.go.
    kcluster.api.create(make_pod("a", "nginx:1.10"), source="kubectl")
    kcluster.loop.advance(20 * SECOND)
    kcluster.api.create(make_pod("b", "nginx:1.10"), source="kubectl")
    kcluster.loop.advance(5 * SECOND)
    first = [(e["reason"], e["message"]) for e in pod_events(kcluster, "a")]
    assert first[0] == ("Pulling", 'Pulling image "nginx:1.10"')
    assert re.fullmatch(r'Successfully pulled image "nginx:1\.10" in [0-9.]+m?s '
                        r"\([0-9.]+m?s including waiting\)\. Image size: 45357340 bytes\.",
                        first[1][1])
    assert first[2:] == [("Created", "Container created"), ("Started", "Container started")]
    second = [(e["reason"], e["message"]) for e in pod_events(kcluster, "b")]
    assert second[0] == ("Pulled", 'Container image "nginx:1.10" already present on machine '
                                   "and can be accessed by the pod")
    fields = {e["involvedObject"].get("fieldPath") for e in pod_events(kcluster, "b")}
    assert fields == {"spec.containers{app}"}


def test_serialized_pulls_wait_for_each_other(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("big", "kennethreitz/httpbin"), source="kubectl")
    kcluster.loop.advance(SECOND // 10)
    kcluster.api.create(make_pod("small", "busybox:1.36", command=["sleep", "3600"]),
                        source="kubectl")
    kcluster.loop.advance(60 * SECOND)
    pulled = [e["message"] for e in pod_events(kcluster, "small") if e["reason"] == "Pulled"]
    m = re.search(r"in ([0-9.]+)(m?s) \(([0-9.]+)(m?s) including waiting\)", pulled[0])
    assert m is not None
    own = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
    total = float(m.group(3)) / (1000 if m.group(4) == "ms" else 1)
    assert total > own + 1  # queued behind httpbin's 200 MB


def test_unknown_image_err_image_pull_then_back_off(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("bad", "nginx:ltest"), source="kubectl")
    kcluster.loop.advance(8 * SECOND)
    msgs = [(e["type"], e["reason"], e["message"]) for e in pod_events(kcluster, "bad")]
    err = ('rpc error: code = NotFound desc = failed to pull and unpack image '
           '"docker.io/library/nginx:ltest": failed to resolve reference '
           '"docker.io/library/nginx:ltest": docker.io/library/nginx:ltest: not found')
    assert ("Warning", "Failed", f'Failed to pull image "nginx:ltest": {err}') in msgs
    assert ("Warning", "Failed", "Error: ErrImagePull") in msgs
    assert ("Normal", "BackOff", 'Back-off pulling image "nginx:ltest"') in msgs
    assert ("Warning", "Failed", "Error: ImagePullBackOff") in msgs
    waiting = _status(kcluster, "bad")["containerStatuses"][0]["state"]["waiting"]
    assert waiting["reason"] in ("ImagePullBackOff", "ErrImagePull")
    if waiting["reason"] == "ImagePullBackOff":
        assert waiting["message"] == f'Back-off pulling image "nginx:ltest": ErrImagePull: {err}'
    else:
        assert waiting["message"] == err
    kcluster.loop.advance(40 * SECOND)
    pulls = [e for e in pod_events(kcluster, "bad") if e["reason"] == "Pulling"]
    assert pulls[0]["count"] >= 2
    with pytest.raises(StatusError) as exc:
        kcluster.kubelets["t.cs.2"].logs("default", "bad")
    assert exc.value.message.startswith('container "app" in pod "bad" is waiting to start: ')


def test_unknown_repository_is_pull_access_denied(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("nope", "nosuchimage"), source="kubectl")
    kcluster.loop.advance(5 * SECOND)
    failed = [e["message"] for e in pod_events(kcluster, "nope")
              if e["message"].startswith("Failed to pull")]
    assert failed[0].endswith("pull access denied, repository does not exist or may require "
                              "authorization: server message: insufficient_scope: "
                              "authorization failed")


def test_crash_loop_back_off_timing_and_message(kcluster: Cluster) -> None:
    # busybox's CMD is `sh`: no stdin, so it exits 0 at once (kubernetes.md §4.4).
    kcluster.api.create(make_pod("crash", "busybox"), source="kubectl")
    kcluster.loop.advance(120 * SECOND)
    st = _status(kcluster, "crash")
    cs = st["containerStatuses"][0]
    assert st["phase"] == "Running"
    assert cs["lastState"]["terminated"]["reason"] == "Completed"
    assert cs["lastState"]["terminated"]["exitCode"] == 0
    starts = sorted(r.time for r in kcluster.trace.select(action="container-exit",
                                                          name="crash"))
    gaps = [(b - a) / SECOND for a, b in itertools.pairwise(starts)]
    # First restart at the next relists, then 10 s, 20 s, 40 s (+ relist and start latency).
    assert gaps[0] < 2.5
    assert 10 <= gaps[1] < 12.5 and 20 <= gaps[2] < 22.5 and 40 <= gaps[3] < 42.5
    if "waiting" in cs["state"]:
        uid = kcluster.api.get(POD, "default", "crash")["metadata"]["uid"]
        assert re.fullmatch(rf"back-off \d+m?\d*s restarting failed container=app "
                            rf"pod=crash_default\({uid}\)", cs["state"]["waiting"]["message"])
    backoff = [e for e in pod_events(kcluster, "crash") if e["reason"] == "BackOff"]
    assert backoff[0]["message"].startswith("Back-off restarting failed container app in pod "
                                            "crash_default(")


def test_delete_nginx_stops_fast_busybox_needs_sigkill(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("web", "nginx:1.10"), source="kubectl")
    kcluster.api.create(make_pod("box", "busybox", command=["sleep", "3600"]),
                        source="kubectl")
    kcluster.loop.advance(30 * SECOND)
    start = kcluster.loop.now
    kcluster.api.delete(POD, "default", "web", source="kubectl")
    kcluster.api.delete(POD, "default", "box", source="kubectl")
    kcluster.loop.advance(2 * SECOND)
    assert kcluster.api.try_get(POD, "default", "web") is None
    assert kcluster.api.try_get(POD, "default", "box") is not None
    kcluster.loop.advance(30 * SECOND)
    assert kcluster.api.try_get(POD, "default", "box") is None
    exits = {r.name: (r.time - start, r.detail["exitCode"])
             for r in kcluster.trace.select(action="container-exit", start=start)}
    assert exits["web"][1] == 0 and exits["web"][0] < SECOND
    assert exits["box"][1] == 137
    assert 30 * SECOND <= exits["box"][0] < 31 * SECOND
    removes = [r for r in kcluster.trace.select(action="remove", kind="Pod", name="box")]
    assert removes and removes[0].source == "kubelet/t.cs.2"


def test_start_error_for_a_missing_executable(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("oops", "busybox", command=["nosuch"]), source="kubectl")
    kcluster.loop.advance(10 * SECOND)
    cs = _status(kcluster, "oops")["containerStatuses"][0]
    term = (cs["state"].get("terminated") or cs["lastState"]["terminated"])
    assert term["reason"] == "StartError" and term["exitCode"] == 128
    assert term["message"].endswith('exec: "nosuch": executable file not found in $PATH: '
                                    "unknown")
    assert term["startedAt"] == "1970-01-01T00:00:00Z"


def test_logs_errors_follow_the_apiserver_and_kubelet(kcluster: Cluster) -> None:
    pod = make_pod("two", "nginx:1.10")
    pod["spec"]["containers"].append({"name": "side", "image": "busybox",
                                      "command": ["sleep", "3600"]})
    kcluster.api.create(pod, source="kubectl")
    kubelet = kcluster.kubelets["t.cs.2"]
    with pytest.raises(StatusError) as exc:
        kubelet.logs("default", "two")
    assert exc.value.message == ("a container name must be specified for pod two, choose one "
                                 "of: [app side]")
    assert exc.value.reason == "BadRequest"
    with pytest.raises(StatusError) as exc:
        kubelet.logs("default", "two", "nope")
    assert exc.value.message == "container nope is not valid for pod two"
    with pytest.raises(StatusError) as exc:
        kubelet.logs("default", "missing")
    assert exc.value.message == 'pods "missing" not found'
    kcluster.loop.advance(30 * SECOND)
    with pytest.raises(StatusError) as exc:
        kubelet.logs("default", "two", "app", previous=True)
    assert exc.value.message == 'previous terminated container "app" in pod "two" not found'
    assert kubelet.logs("default", "two", "app") == []


def _exec(c: Cluster, pod: str, argv: list[str]) -> tuple[str, str, int]:
    out, err = Buffer(), Buffer()
    ctx = ExecContext("", out, err, {}, "/", None, c.loop)  # type: ignore[arg-type]
    proc = c.kubelets["t.cs.2"].exec("default", pod, None, argv, ctx)
    code = run_blocking(c.loop, proc)
    return out.getvalue(), err.getvalue(), code


def test_exec_sees_kubelet_files_and_runtime_errors(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("box", "busybox", command=["sleep", "3600"]),
                        source="kubectl")
    kcluster.loop.advance(10 * SECOND)
    out, _, code = _exec(kcluster, "box", ["cat", "/etc/resolv.conf"])
    assert code == 0
    assert out == ("search default.svc.cluster.local svc.cluster.local cluster.local\n"
                   "nameserver 10.96.0.10\noptions ndots:5\n")
    out, _, _ = _exec(kcluster, "box", ["hostname"])
    assert out == "box\n"
    hosts, _, _ = _exec(kcluster, "box", ["cat", "/etc/hosts"])
    ip = _status(kcluster, "box")["podIP"]
    assert hosts.startswith("# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n")
    assert hosts.endswith(f"{ip}\tbox\n")
    with pytest.raises(StatusError) as exc:
        _exec(kcluster, "box", ["bash"])
    assert exc.value.message.endswith('OCI runtime exec failed: exec failed: unable to start '
                                      'container process: exec: "bash": executable file not '
                                      "found in $PATH: unknown")
    env, _, _ = _exec(kcluster, "box", ["env"])
    assert "KUBERNETES_SERVICE_HOST=" in env or "HOSTNAME=box" in env


def test_pod_ips_are_handed_out_in_order(kcluster: Cluster) -> None:
    for name in ("p1", "p2", "p3"):
        kcluster.api.create(make_pod(name, "nginx:1.10"), source="kubectl")
    kcluster.loop.advance(20 * SECOND)
    ips = [ipaddress.ip_address(_status(kcluster, n)["podIP"]) for n in ("p1", "p2", "p3")]
    assert len(set(ips)) == 3
    assert all(int(ip) % 256 >= 2 for ip in ips)  # .1 is the bridge's gateway


def test_reboot_restarts_containers_with_a_new_sandbox(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("web", "nginx:1.10"), source="kubectl")
    kcluster.loop.advance(20 * SECOND)
    before = _status(kcluster, "web")
    kubelet = kcluster.kubelets["t.cs.2"]
    kubelet.stop()
    kcluster.loop.advance(30 * SECOND)
    kubelet.start()
    kcluster.loop.advance(20 * SECOND)
    after = _status(kcluster, "web")
    cs = after["containerStatuses"][0]
    assert cs["restartCount"] == 1
    assert cs["lastState"]["terminated"]["exitCode"] == 255
    assert cs["lastState"]["terminated"]["reason"] == "Unknown"
    assert after["podIP"] != before["podIP"]
    reasons = [e["reason"] for e in pod_events(kcluster, "web")]
    assert "SandboxChanged" in reasons
    t = parse_rfc3339(cs["state"]["running"]["startedAt"])
    assert t > parse_rfc3339(before["containerStatuses"][0]["state"]["running"]["startedAt"])


def test_server_proxy_for_unscheduled_and_missing_pods(kcluster: Cluster) -> None:
    from k8slab.kubelet.server import pod_logs

    pod = make_pod("pending", "nginx:1.10")
    del pod["spec"]["nodeName"]
    pod["spec"]["schedulerName"] = "nobody"
    kcluster.api.create(pod, source="kubectl")
    assert pod_logs(kcluster, "default", "pending") == []
    with pytest.raises(StatusError) as exc:
        pod_logs(kcluster, "default", "ghost")
    assert exc.value.code == 404


def test_exec_exit_status_and_permission_denied(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("box", "busybox", command=["sleep", "3600"]),
                        source="kubectl")
    kcluster.loop.advance(10 * SECOND)
    _, err, code = _exec(kcluster, "box", ["sh", "-c", "nosuch"])
    assert code == 127 and "nosuch: not found" in err
    _, _, code = _exec(kcluster, "box", ["sh", "-c", "exit 3"])
    assert code == 3
    with pytest.raises(StatusError) as exc:
        _exec(kcluster, "box", ["/etc/hosts"])
    assert exc.value.message.endswith('exec: "/etc/hosts": permission denied: unknown')


def test_nginx_latest_entrypoint_and_graceful_stop_logs(kcluster: Cluster) -> None:
    kcluster.api.create(make_pod("new", "nginx:latest"), source="kubectl")
    kcluster.loop.advance(20 * SECOND)
    kubelet = kcluster.kubelets["t.cs.2"]
    lines = [line for _, line in kubelet.logs("default", "new")]
    assert lines[0] == ("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will "
                        "attempt to perform configuration")
    assert lines[8] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    assert lines[10].endswith("[notice] 1#1: nginx/1.29.1")
    assert sum("start worker process " in x for x in lines) == 4  # one per CPU of t.cs.2
    uid = kcluster.api.get(POD, "default", "new")["metadata"]["uid"]
    container = kubelet.runtime.pod_containers(uid)[-1]
    kcluster.api.delete(POD, "default", "new", source="kubectl")
    kcluster.loop.advance(3 * SECOND)
    tail = [line for _, _, line in container.logs]
    assert any(x.endswith("signal 3 (SIGQUIT) received, shutting down") for x in tail)
    assert tail[-1].endswith("[notice] 1#1: exit")
    assert container.exit_code == 0
