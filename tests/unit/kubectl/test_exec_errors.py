"""How ``kubectl exec`` reports failures, following client-go and the kubelet's streaming
server: ``staging/src/k8s.io/kubelet/pkg/cri/streaming/remotecommand/exec.go`` (``ServeExec``
writes ``NewInternalError("error executing command in container: …")`` or a
``NonZeroExitCode`` status), ``staging/src/k8s.io/client-go/tools/remotecommand/v4.go``
(``errorDecoderV4``: ``CodeExitError{"command terminated with exit code N"}``, otherwise
``errors.New(status.Message)``) and kubectl's ``CheckErr`` (a plain error → ``error: …``,
exit 1; an ExitError → its text, its code)."""

from __future__ import annotations

import re

import pytest

from k8slab import Lab
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

POD = by_gvk("v1", "Pod")


@pytest.fixture
def box(lab: Lab) -> Lab:
    lab.sh("kubectl run box --image=busybox -- sleep 3600")
    lab.sleep(20)
    return lab


def test_missing_executable_is_a_plain_error(box: Lab) -> None:
    """Not ``Error from server (InternalError): …``: the status arrives on the error stream
    and errorDecoderV4 makes it a plain error."""
    result = box.kubectl("exec box -- foo")
    assert re.fullmatch(
        r'error: Internal error occurred: error executing command in container: failed to exec '
        r'in container: failed to start exec "[0-9a-f]{64}": OCI runtime exec failed: exec '
        r'failed: unable to start container process: exec: "foo": executable file not found '
        r"in \$PATH: unknown\n", result.stderr)
    assert (result.stdout, result.exit_code) == ("", 1)


def test_missing_path(box: Lab) -> None:
    """runc's wording for a path that does not exist."""
    result = box.kubectl("exec box -- /nope/sh")
    assert result.stderr.endswith('exec: "/nope/sh": stat /nope/sh: no such file or directory: '
                                  "unknown\n")
    assert result.stderr.startswith("error: Internal error occurred: ")
    assert result.exit_code == 1


def test_non_zero_exit(box: Lab) -> None:
    """``CodeExitError`` → ``command terminated with exit code 4`` and exit status 4."""
    result = box.kubectl("exec box -- sh -c 'echo out; echo err >&2; exit 4'")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "out\n", "err\ncommand terminated with exit code 4\n", 4)


def test_container_not_running(lab: Lab) -> None:
    """A pod whose container never started: the upgrade is refused by the kubelet with a
    plain-text body, which the SPDY dialer reports as ``unable to upgrade connection: …``."""
    lab.sh("kubectl run nopull --image=example.com/nosuch:1")
    lab.sleep(20)
    result = lab.kubectl("exec nopull -- ls")
    assert result.stderr == ('error: unable to upgrade connection: container not found '
                             '("nopull")\n')
    assert result.exit_code == 1


def test_unknown_container_is_the_apiserver_s(box: Lab) -> None:
    """The apiserver validates ``-c`` before it proxies: a BadRequest Status."""
    assert box.kubectl("exec box -c nope -- ls").stderr == (
        "Error from server (BadRequest): container nope is not valid for pod box\n")


def test_node_powered_off(box: Lab) -> None:
    """The apiserver cannot dial the kubelet: its upgrade proxy answers a reason-less Status,
    printed ``Error from server: …`` after the ARP attempt gives up (3 s)."""
    node = box.api.get(POD, "default", "box")["spec"]["nodeName"]
    ip = box.cluster.kubelets[node].node.ip
    box.cluster.fail_node(node)
    start = box.cluster.loop.now
    result = box.kubectl("exec box -- ls")
    assert result.stderr == (f"Error from server: error dialing backend: dial tcp {ip}:10250: "
                             "connect: no route to host\n")
    assert result.exit_code == 1
    assert box.cluster.loop.now - start >= 3 * SECOND
