"""``kubectl port-forward``: the client-side errors against the real 1.37.1 binary, and the
forwarding itself against the format strings of kubectl's ``pkg/cmd/portforward/
portforward.go`` and client-go's ``tools/portforward/portforward.go`` (all of which appear
verbatim in the binary: ``Forwarding from %s -> %d``, ``Handling connection for %d``,
``unable to forward port because pod is not running. Current status=%v`` …)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from k8slab import Lab
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

BINARY = Path(__file__).resolve().parents[3] / ".venv" / "bin" / "kubectl"
SERVICE = by_gvk("v1", "Service")

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.10
        ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: web, port: 8080, targetPort: http}]
"""


@pytest.fixture
def web(lab: Lab) -> Lab:
    assert lab.apply(WEB).exit_code == 0
    lab.sleep(30)
    return lab


def _text(result) -> str:  # type: ignore[no-untyped-def]
    """stdout and stderr in the order they were written (a terminal's view)."""
    return "".join(piece for _, piece in result.transcript)


def _forwards(lab: Lab) -> list[int]:
    return lab.workstation.transport.forwarded_ports()


# ------------------------------------------------------------------------ the binary


@pytest.mark.skipif(not (BINARY.exists() and os.access(BINARY, os.X_OK)),
                    reason="real kubectl binary not installed")
@pytest.mark.parametrize("line", [
    "port-forward",
    "port-forward pod/x",
    "port-forward pod/x --pod-running-timeout=0 80",
    "port-forward pod/x --pod-running-timeout=abc 80",
    "port-forward --nope pod/x 80",
])
def test_usage_errors_match_the_binary(line: str, kc, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Errors kubectl reports before it talks to the server (``Complete``'s usage errors,
    ``GetPodRunningTimeoutFlag``, pflag), byte for byte with kubectl 1.37.1."""
    env = {"KUBECONFIG": "/dev/null", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    real = subprocess.run([str(BINARY), *line.split()], env=env, capture_output=True,
                          text=True, timeout=30)
    assert kc(line) == (real.stdout, real.stderr, real.returncode)


# ------------------------------------------------------------------------ forwarding


def test_background_port_forward_serves_curl_until_killed(web: Lab) -> None:
    """The cell model of docs/lab-shell.md: ``&``, use it, ``kill %1``. A Service port is
    translated to the pod's named targetPort (``translateServicePortToTargetPort``)."""
    result = web.sh("kubectl port-forward svc/web 9000:8080 & sleep 1; "
                    "curl -s localhost:9000 | grep title; curl -sI localhost:9000 | head -1; "
                    "kill %1; curl -sS localhost:9000; echo status=$?")
    assert _text(result) == (
        "[1] 2418\n"
        "Forwarding from 127.0.0.1:9000 -> 80\n"
        "Forwarding from [::1]:9000 -> 80\n"
        "Handling connection for 9000\n"
        "<title>Welcome to nginx!</title>\n"
        "Handling connection for 9000\n"
        "HTTP/1.1 200 OK\r\n"
        "curl: (7) Failed to connect to localhost port 9000 after 0 ms: Could not connect to "
        "server\n"
        "status=7\n")
    assert _forwards(web) == []


def test_port_forward_reaches_the_pod_not_the_service(web: Lab) -> None:
    """Port-forward dials the pod's own ``localhost:<port>`` through the kubelet: every
    request lands on the one pod it picked, whatever the Service would balance."""
    web.sh("kubectl port-forward deploy/web 9000:80 & sleep 1; "
           "for i in 1 2 3 4 5 6; do curl -s -o /dev/null localhost:9000; done; kill %1")
    rows = [r for r in web.cluster.network.log.rows() if r.client == "workstation"]
    assert len(rows) == 6 and len({r.backend for r in rows}) == 1
    assert all(r.status == 200 and r.service == "" for r in rows)


def test_random_local_port_is_seeded_and_shared_by_both_addresses(tmp_path: Path) -> None:
    """``:80`` → port 0 → the kernel's choice, used for 127.0.0.1 and then ::1 (getListener
    writes the chosen port back into the ForwardedPort)."""
    outputs = []
    for run in ("a", "b"):
        lab = Lab(seed=7, workdir=tmp_path / run)
        lab.apply(WEB)
        lab.sleep(30)
        outputs.append(lab.sh("kubectl port-forward deploy/web :80 & sleep 1; kill %1").stdout)
    assert outputs[0] == outputs[1]
    m = re.fullmatch(r"Forwarding from 127\.0\.0\.1:(\d+) -> 80\n"
                     r"Forwarding from \[::1\]:(\d+) -> 80\n", outputs[0])
    assert m is not None and m.group(1) == m.group(2)
    assert 32768 <= int(m.group(1)) <= 60999


def test_several_ports_and_addresses(web: Lab) -> None:
    """``parseAddresses`` sorts the addresses (``0.0.0.0`` < ``127.0.0.1`` < ``::1``); each
    port gets its listeners in the order given."""
    result = web.sh("kubectl port-forward pod/$(kubectl get pods -o name | head -1 | cut -d/ "
                    "-f2) 9000:80 http --address 0.0.0.0,localhost", run_for="2s")
    assert result.stdout == (
        "Forwarding from 0.0.0.0:9000 -> 80\n"
        "Forwarding from 127.0.0.1:9000 -> 80\n"
        "Forwarding from [::1]:9000 -> 80\n")
    assert "Unable to listen on port 80" in result.stderr   # `http` → 80:80, a root port
    assert result.exit_code == 0


def test_foreground_port_forward_ends_at_the_deadline(web: Lab) -> None:
    """In the foreground it holds the line until the lab's Ctrl-C and exits 0 (kubectl stops
    its forwarder on SIGINT and returns nil); the listeners go with it."""
    start = web.cluster.loop.now
    result = web.sh("kubectl port-forward deploy/web 9000:80; echo after=$?", run_for="5s")
    assert result.stdout.endswith("Forwarding from [::1]:9000 -> 80\nafter=0\n")
    assert 5 * SECOND <= web.cluster.loop.now - start < 6 * SECOND
    assert _forwards(web) == []


# ------------------------------------------------------------------------ errors


def test_pod_not_running(lab: Lab) -> None:
    """portforward.go ``RunPortForwardContext``: the phase check before the upgrade."""
    lab.sh("kubectl run stuck --image=nginx --overrides="
           "'{\"spec\":{\"nodeSelector\":{\"disk\":\"none\"}}}'")
    lab.sleep(2)
    assert lab.kubectl("port-forward pod/stuck 8080:80").stderr == (
        "error: unable to forward port because pod is not running. Current status=Pending\n")


@pytest.mark.parametrize(("args", "message"), [
    ("svc/web 9999", "Service web does not have a service port 9999"),
    ("svc/web 9000:nope", "Service 'web' does not have a named port 'nope'"),
    ("deploy/web 9000:nope", "Pod 'POD' does not have a named port 'nope'"),
    # checkUDPPortInPod looks the empty name up first: every container port here is named.
    ("deploy/web 9000:", "Pod 'POD' does not have a named port ''"),
    ("deploy/web 70000:80", 'error parsing local port \'70000\': strconv.ParseUint: parsing '
                            '"70000": value out of range'),
    ("deploy/web x1:80", 'error parsing local port \'x1\': strconv.ParseUint: parsing "x1": '
                         "invalid syntax"),
    ("deploy/web 9000:0", "remote port must be > 0"),
    ("deploy/web 9000:80 --address foo", "foo is not a valid IP"),
])
def test_port_spec_errors(web: Lab, args: str, message: str) -> None:
    """The errors of ``translateServicePortToTargetPort``, ``convertPodNamedPortToNumber``
    (kubectl pkg/util/service_port.go), ``parsePorts`` and ``parseAddresses``."""
    result = web.kubectl("port-forward " + args)
    pod = web.sh("kubectl get pods -o name | head -1 | cut -d/ -f2").stdout.strip()
    assert result.stderr == "error: " + message.replace("POD", pod) + "\n"
    assert result.exit_code == 1 and result.stdout == ""


def test_udp_ports_are_refused(lab: Lab) -> None:
    """``checkUDPPortInService``: a port that is UDP only cannot be forwarded."""
    lab.apply(WEB)
    lab.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "dns"},
                    "spec": {"selector": {"app": "web"},
                             "ports": [{"port": 53, "protocol": "UDP"}]}},
                   source="kubectl", namespace="default")
    lab.sleep(30)
    assert lab.kubectl("port-forward svc/dns 5353:53").stderr == (
        "error: UDP protocol is not supported for 53\n")


def test_service_without_selector(lab: Lab) -> None:
    """``attachablePodForObject`` wraps ``SelectorsForObject``'s error."""
    lab.api.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
                    "spec": {"ports": [{"port": 80}]}}, source="kubectl", namespace="default")
    assert lab.kubectl("port-forward svc/ext 8080:80").stderr == (
        "error: cannot attach to *v1.Service: invalid service 'ext': Service is defined "
        "without a selector\n")


def test_waits_for_a_pod_then_times_out(lab: Lab) -> None:
    """``GetFirstPod`` watches for a pod for ``--pod-running-timeout``."""
    lab.sh("kubectl create deployment none --image=nginx --replicas=0")
    start = lab.cluster.loop.now
    result = lab.kubectl("port-forward deploy/none 8080:80 --pod-running-timeout=3s")
    assert result.stderr == "error: timed out waiting for the condition\n"
    assert 3 * SECOND <= lab.cluster.loop.now - start < 4 * SECOND


def test_listen_errors(web: Lab) -> None:
    """``getListener``/``listenOnPort``: the learner cannot bind ports below 1024, nor a port
    already forwarded, nor an address the laptop does not have."""
    result = web.kubectl("port-forward svc/web 80:8080")
    assert result.stderr == (
        "Unable to listen on port 80: Listeners failed to create with the following errors: "
        "[unable to create listener: Error listen tcp4 127.0.0.1:80: bind: permission denied "
        "unable to create listener: Error listen tcp6 [::1]:80: bind: permission denied]\n"
        "error: unable to listen on any of the requested ports: [{80 80}]\n")
    assert result.exit_code == 1
    result = web.sh("kubectl port-forward svc/web 9000:8080 & sleep 1; "
                    "kubectl port-forward deploy/web 9000:80; kill %1")
    assert "Error listen tcp4 127.0.0.1:9000: bind: address already in use" in result.stderr
    result = web.kubectl("port-forward deploy/web 9000:80 --address 192.168.1.9,localhost",
                         run_for="2s")
    assert result.stdout == ("Forwarding from 127.0.0.1:9000 -> 80\n"
                             "Forwarding from [::1]:9000 -> 80\n")
    assert result.stderr == (
        "Unable to listen on port 9000: Listeners failed to create with the following errors: "
        "[unable to create listener: Error listen tcp4 192.168.1.9:9000: bind: cannot assign "
        "requested address]\n"
        "error: unable to listen on any of the requested ports: [{9000 80}]\n")


def test_nothing_listening_in_the_pod_loses_the_connection(web: Lab) -> None:
    """``handleConnection``: the kubelet's error comes back on the error stream, kubectl logs
    it (``runtime.HandleErrorWithLogger`` at portforward.go:549 in the 1.37.1 binary), closes
    the connection — curl gets no answer — and ``forward`` returns ErrLostConnectionToPod."""
    result = web.sh("kubectl port-forward deploy/web 9000:81 & sleep 1; "
                    "curl -sS localhost:9000; echo curl=$?; wait $!; echo kubectl=$?; "
                    "curl -sS localhost:9000; echo curl=$?")
    lines = _text(result).splitlines()
    assert lines[:4] == ["[1] 2418", "Forwarding from 127.0.0.1:9000 -> 81",
                         "Forwarding from [::1]:9000 -> 81", "Handling connection for 9000"]
    assert re.fullmatch(
        r'E0601 \d\d:\d\d:\d\d\.\d{6} +\d+ portforward\.go:549\] "An error occurred '
        r'forwarding" err="error forwarding port 81 to pod (?P<id>[0-9a-f]{64}), uid : failed '
        r'to execute portforward in network namespace \\"/var/run/netns/cni-[0-9a-f-]{36}\\": '
        r'failed to connect to localhost:81 inside namespace \\"(?P=id)\\", IPv4: dial tcp4 '
        r"127\.0\.0\.1:81: connect: connection refused IPv6 dial tcp6 \[::1\]:81: connect: "
        r'connection refused " localPort=9000 remotePort=81 logger="UnhandledError"', lines[4])
    assert lines[5:] == [
        "error: lost connection to pod",
        "curl: (52) Empty reply from server", "curl=52", "kubectl=1",
        "curl: (7) Failed to connect to localhost port 9000 after 0 ms: Could not connect to "
        "server", "curl=7"]
    assert _forwards(web) == []


def test_empty_remote_port(lab: Lab) -> None:
    """``convertPodNamedPortToNumber``: with an unnamed container port the UDP check finds the
    empty name, so the empty remote port is what gets reported."""
    lab.sh("kubectl run one --image=nginx --port=80")
    lab.sleep(20)
    assert lab.kubectl("port-forward pod/one 9000:").stderr == (
        "error: remote port cannot be empty\n")
