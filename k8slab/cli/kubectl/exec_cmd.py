"""``kubectl exec`` (``k8s.io/kubectl/pkg/cmd/exec/exec.go``).

``kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]``. A workload
resolves to its most active pod (``AttachablePodForObject``); without ``-c`` the default
container is used (``Defaulted container "a" out of: …`` when there are several). The command
runs in the container through its node's kubelet (``Kubelet.exec``), with the container's
filesystem and environment; its exit status becomes kubectl's, after
``command terminated with exit code N`` on stderr (``errorDecoderV4``'s ``CodeExitError``).
A command that cannot start (``exec: "foo": executable file not found in $PATH``) is the
streaming server's InternalError status, which client-go turns into a plain error:
``error: Internal error occurred: error executing command in container: failed to exec in
container: failed to start exec "<id>": OCI runtime exec failed: …: unknown``, exit 1
(``client-go/tools/remotecommand/v4.go``, ``kubelet/pkg/cri/streaming/remotecommand/exec.go``);
a container that is not running gives ``error: unable to upgrade connection: container not
found ("x")``; a powered-off node ``Error from server: error dialing backend: dial tcp
<node IP>:10250: connect: no route to host``. ``-t`` without a terminal prints
``Unable to use a TTY - input is not a terminal or the right kind of file``. The old form
without ``--`` is refused as by kubectl 1.37. A command still running at the workstation's
deadline is stopped like Ctrl-C (exit 130).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api import errors as api_errors
from ...network.model import ARP_TIMEOUT
from ...sim.process import Sleep, WaitFor
from .cmd import Invocation, command
from .errors import ExitError, KubectlError, usage_error
from .pods import POD, default_container, first_pod
from .resource import parse_resource_args

__all__ = ["drive_until", "run_exec"]


def drive_until(proc: Any, deadline: int, loop: Any) -> Generator[Any, Any, int | None]:
    """Run a process generator, stopping it at ``deadline`` (None means it was cut off)."""
    value: Any = None
    while True:
        try:
            effect = proc.send(value)
        except StopIteration as stop:
            return int(stop.value or 0)
        remaining = deadline - loop.now
        if isinstance(effect, Sleep):
            if effect.duration > remaining:
                if remaining > 0:
                    yield Sleep(remaining)
                proc.close()
                return None
            value = yield effect
        elif isinstance(effect, WaitFor):
            if effect.timeout > remaining:
                got = yield WaitFor(effect.condition, max(0, remaining), effect.poll)
                if not got:
                    proc.close()
                    return None
                value = got
            else:
                value = yield effect
        else:  # pragma: no cover - unknown effects are passed through
            value = yield effect


def _stream_error(err: api_errors.StatusError) -> Exception:
    """What kubectl makes of a failure the kubelet reports once the connection is upgraded.

    The streaming server writes ``NewInternalError("error executing command in container:
    …")`` on the error stream; client-go's ``errorDecoderV4`` turns any Failure status that is
    not ``NonZeroExitCode`` into a plain ``errors.New(status.Message)``, so ``CheckErr`` prints
    ``error: Internal error occurred: …`` (exit 1), not ``Error from server (InternalError)``.
    A refused upgrade (``container not found``) is a plain error of the SPDY dialer too."""
    text = err.message
    if (err.reason == "InternalError" and text.startswith(
            "Internal error occurred: error executing command in container")) or text.startswith(
            "unable to upgrade connection: "):
        return KubectlError(text)
    return err


@command("exec")
def run_exec(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    dash = inv.args_len_at_dash
    resource = ""
    argv: list[str] = []
    if args and dash != 0:
        resource = args[0]
    if dash > -1:
        argv = args[dash:]
        if dash > 1:
            raise usage_error(inv.cmd.path, "exec [POD] [COMMAND] is not supported anymore. "
                              "Use exec [POD] -- [COMMAND] instead")
    elif len(args) > 1:
        raise usage_error(inv.cmd.path, "exec [POD] [COMMAND] is not supported anymore. Use "
                          "exec [POD] -- [COMMAND] instead")
    if not resource and not flags.get("filename"):
        raise KubectlError("pod, type/name or --filename must be specified")
    if not argv:
        raise KubectlError("you must specify at least one command for the container")
    factory = inv.factory
    api = factory.api
    namespace, _ = factory.namespace()
    parsed = parse_resource_args(inv, [resource if "/" in resource else f"pods/{resource}"])
    kind, name = parsed.pairs[0]
    factory.request()
    obj = api.try_get(kind, namespace if kind.namespaced else "", name)
    if obj is None:
        raise api_errors.not_found(kind.resource, name)
    pod, _ = first_pod(inv, obj, for_logs=False)
    if pod is None:
        raise KubectlError("timed out waiting for the condition")
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(f"cannot exec into a container in a completed pod; current phase is "
                           f"{phase}")
    container = str(flags.get("container") or "")
    quiet = bool(flags.get("quiet"))
    if not container:
        container = default_container(inv, pod, quiet=quiet)
    if flags.get("tty") and not inv.ctx.tty and not quiet:
        inv.err("Unable to use a TTY - input is not a terminal or the right kind of file\n")
    node = (pod.get("spec") or {}).get("nodeName")
    kubelet = inv.factory.cluster.kubelets.get(node) if node else None
    if kubelet is None:
        raise api_errors.bad_request(
            f"pod {pod['metadata']['name']} does not have a host assigned")
    factory.request()
    if not kubelet.running:
        # The apiserver's upgrade proxy cannot reach the kubelet: its error responder writes a
        # Status without a reason, which the SPDY fallback decodes.
        yield from factory.settle()
        yield Sleep(ARP_TIMEOUT)
        raise api_errors.StatusError(
            500, "", f"error dialing backend: dial tcp {kubelet.node.ip}:10250: connect: no "
                     "route to host")
    from dataclasses import replace

    stdin = inv.ctx.stdin if flags.get("stdin") else ""
    ctx = replace(inv.ctx, stdin=stdin, tty=False)
    assert POD is not None
    try:
        proc = kubelet.exec(pod["metadata"].get("namespace", "default"),
                            pod["metadata"]["name"], container, list(argv), ctx)
    except api_errors.StatusError as err:
        raise _stream_error(err) from None
    yield from factory.settle()
    code = yield from drive_until(proc, factory.deadline(), inv.ctx.loop)
    if code is None:
        return 130
    if code:
        raise ExitError(code)
    return 0
