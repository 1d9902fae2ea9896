"""``kubectl run`` (``k8s.io/kubectl/pkg/cmd/run/run.go``, ``pkg/generate/versioned/run.go``).

Creates one Pod: labels ``run=<name>`` (or ``--labels``), one container named like the pod
with ``--image``, arguments after the name or ``--`` (``--command`` makes them the command),
``--env``, ``--port``, ``--image-pull-policy``, ``--annotations``, ``--restart`` (Always,
OnFailure, Never), ``dnsPolicy: ClusterFirst``. ``--expose --port`` also creates a ClusterIP
Service. Output ``pod/x created`` — and with ``--dry-run=client -o yaml`` the same YAML as the
real binary (tests/oracle).

Attached runs (``-i``, ``-t``, ``--attach``, ``--rm``): the lab has no interactive terminal, so
stdin is what the cell provides. kubectl waits for the pod to start, prints the container's
output until it ends, and with ``--rm`` deletes the pod (``pod "x" deleted from default
namespace``). ``-t`` prints kubectl's TTY notice. See docs/realism.md.
"""

from __future__ import annotations

import contextlib
from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...api.kinds import by_gvk
from ...sim.clock import MILLISECOND, SECOND
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import KubectlError, usage_error
from .output import ObjectPrinter
from .util import dry_run, record

__all__ = ["run_run"]

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
SERVICE = by_gvk("v1", "Service")


def _pairs(text: str, what: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in text.split(","):
        if "=" not in part:
            raise KubectlError(f"unexpected {what} spec: {part}")
        k, v = part.split("=", 1)
        out[k] = v
    return out


@command("run")
def run_run(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    dash = inv.args_len_at_dash
    if not args or dash == 0:
        raise usage_error(inv.cmd.path, "NAME is required for run")
    name = args[0]
    rest = args[1:]
    image = str(flags.get("image") or "")
    interactive = bool(flags.get("stdin"))
    tty = bool(flags.get("tty"))
    attach_flag = bool(flags.get("attach"))
    attach = attach_flag or interactive
    remove = bool(flags.get("rm"))
    strategy = dry_run(inv)
    if tty and not interactive:
        raise KubectlError("-i/--stdin is required for containers with -t/--tty=true")
    if strategy != "none" and (attach_flag or interactive or tty):
        raise KubectlError("--dry-run=[server|client] can't be used with attached containers "
                           "options (--attach, --stdin, or --tty)")
    if remove and not attach:
        raise KubectlError("--rm should only be used for attached containers")
    restart = str(flags.get("restart") or "Always")
    if restart not in ("Always", "OnFailure", "Never"):
        raise KubectlError(f"invalid restart policy: {restart}, valid values are: Always, "
                           "OnFailure, Never")
    port = str(flags.get("port") or "")
    if flags.get("expose") and not port:
        raise KubectlError("--port must be set when exposing a service")
    labels = _pairs(str(flags.get("labels")), "label") if flags.get("labels") else {"run": name}
    env: list[Obj] = []
    for spec in flags.get("env") or []:
        if "=" not in spec:
            raise KubectlError(f"invalid env: {spec}")
        k, v = spec.split("=", 1)
        env.append({"name": k, "value": v})
    annotations: dict[str, str] = {}
    for spec in flags.get("annotations") or []:
        if "=" not in spec:
            raise KubectlError(f"unexpected annotation spec: {spec}")
        k, v = spec.split("=", 1)
        annotations[k] = v
    # Built in Go struct field order: ``-o json`` of the typed Pod keeps it.
    container: Obj = {"name": name, "image": image}
    if rest:
        container["command" if flags.get("command") else "args"] = list(rest)
    if port:
        try:
            container["ports"] = [{"containerPort": int(port)}]
        except ValueError:
            raise KubectlError("--port must be a number") from None
    if env:
        container["env"] = env
    container["resources"] = {}
    policy = str(flags.get("image-pull-policy") or "")
    if policy:
        if policy not in ("Always", "IfNotPresent", "Never"):
            raise KubectlError(f"invalid image pull policy: {policy}")
        container["imagePullPolicy"] = policy
    if flags.get("privileged"):
        container["securityContext"] = {"privileged": True}
    if interactive:
        container["stdin"] = True
        if not attach_flag:
            container["stdinOnce"] = True
    if tty:
        container["tty"] = True
    meta: Obj = {"name": name}
    factory = inv.factory
    namespace, explicit = factory.namespace()
    if explicit:
        meta["namespace"] = namespace
    meta["labels"] = labels
    if annotations:
        meta["annotations"] = annotations
    spec: Obj = {"containers": [container], "restartPolicy": restart,
                 "dnsPolicy": "ClusterFirst"}
    pod: Obj = {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec,
                "status": {}}
    overrides = str(flags.get("overrides") or "")
    if overrides:
        import json

        from .patch import apply_patch, root_node

        try:
            patch = json.loads(overrides)
        except ValueError as exc:
            raise KubectlError(f"error unmarshaling JSON: {exc}") from None
        pod = apply_patch(pod, patch, root_node("v1", "Pod"))
    pod = record(inv, pod)
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="created", dry_run=strategy, typed=True)
    api = factory.api
    if flags.get("expose"):
        from .expose import build_service

        svc = build_service(_ExposeFlags(inv, port), pod, default_name=name)
        svc["spec"]["selector"] = dict(labels)
        if strategy != "client":
            factory.request()
            svc = api.create(svc, source="kubectl", namespace=namespace,
                             dry_run=strategy == "server")
        printer.print(svc, SERVICE)
    if strategy != "client":
        factory.request()
        try:
            pod = api.create(pod, source="kubectl", namespace=namespace,
                             dry_run=strategy == "server")
        except StatusError:
            yield from factory.settle()
            raise
    if not attach:
        printer.print(pod, POD)
        yield from factory.settle()
        return 0
    return (yield from _attach(inv, pod, name, namespace, tty, remove, restart))


class _ExposeFlags:
    """The flags ``build_service`` reads, as ``run --expose`` passes them."""

    def __init__(self, inv: Invocation, port: str) -> None:
        self.flags = {"port": port, "target-port": "", "name": "", "selector": "",
                      "labels": "", "protocol": "", "type": "", "cluster-ip": "",
                      "external-ip": "", "load-balancer-ip": "", "session-affinity": ""}
        self.inv = inv

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inv, item)


def _attach(inv: Invocation, pod: Obj, name: str, namespace: str, tty: bool, remove: bool,
            restart: str) -> Generator[Any, Any, int]:
    factory = inv.factory
    api = factory.api
    if tty and not inv.ctx.tty:
        inv.err("Unable to use a TTY - input is not a terminal or the right kind of file\n")
    elif tty and not inv.flags.get("quiet"):
        inv.err("If you don't see a command prompt, try pressing enter.\n")
    yield from factory.settle()
    deadline = factory.deadline()
    timeout = int(inv.flags.get("pod-running-timeout") or 60 * SECOND)

    def started() -> bool:
        live = api.try_get(POD, namespace, name)
        if live is None:
            return True
        return (live.get("status") or {}).get("phase") in ("Running", "Succeeded", "Failed")

    ok = yield WaitFor(started, min(timeout, max(0, deadline - factory.now)),
                       poll=100 * MILLISECOND)
    if not ok:
        if factory.now >= deadline:
            return 130
        raise KubectlError("timed out waiting for the condition")
    shown = 0
    exit_code = 0

    def container_state() -> tuple[list[tuple[int, str]], Obj | None]:
        live = api.try_get(POD, namespace, name)
        if live is None:
            return [], None
        node = (live.get("spec") or {}).get("nodeName")
        kubelet = factory.cluster.kubelets.get(node) if node else None
        lines: list[tuple[int, str]] = []
        if kubelet is not None:
            try:
                lines = list(kubelet.logs(namespace, name, name))
            except Exception:
                lines = []
        return lines, live

    while True:
        lines, live = container_state()
        for _, text in lines[shown:]:
            inv.out(text + "\n")
        shown = len(lines)
        phase = ((live or {}).get("status") or {}).get("phase")
        if live is None or phase in ("Succeeded", "Failed"):
            for status in ((live or {}).get("status") or {}).get("containerStatuses") or []:
                term = (status.get("state") or {}).get("terminated") or {}
                exit_code = int(term.get("exitCode", 0))
            break
        remaining = deadline - factory.now
        if remaining <= 0:
            return 130
        def progressed(shown: int = shown) -> bool:
            lines, live = container_state()
            phase = ((live or {}).get("status") or {}).get("phase")
            return len(lines) != shown or phase in ("Succeeded", "Failed")

        yield WaitFor(progressed, remaining, poll=100 * MILLISECOND)
    if remove:
        factory.request()
        with contextlib.suppress(StatusError):
            api.delete(POD, namespace, name, source="kubectl")
        inv.out(f'pod "{name}" deleted from {namespace} namespace\n')
    yield from factory.settle()
    if exit_code and restart == "Never":
        from .errors import ExitError

        raise ExitError(exit_code, f"pod {namespace}/{name} terminated (Error)")
    return 0
