"""``kubectl logs`` (``k8s.io/kubectl/pkg/cmd/logs``, ``polymorphichelpers/logsforobject.go``).

``logs POD [CONTAINER]``, ``logs TYPE/NAME`` (a workload or Service: the pod ``ByLogging``
sorts first, ``Found 3 pods, using pod/x`` on stderr), ``-c``, ``--all-containers``,
``-p/--previous``, ``--tail``, ``--since``, ``--timestamps`` (RFC 3339 with nanoseconds),
``--prefix``, ``--limit-bytes`` and ``-f`` (follow until the container stops or the
workstation's deadline — then it ends like Ctrl-C, exit 130). The lines come from the kubelet
of the pod's node (``Kubelet.logs``); errors (``container "x" in pod "y" is waiting to start:
ContainerCreating``, …) are its and the apiserver's.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...sim.clock import MILLISECOND
from ...sim.process import WaitFor
from ...sim.timefmt import to_datetime
from .cmd import Invocation, command
from .errors import KubectlError, usage_error
from .pods import first_pod
from .resource import parse_resource_args

__all__ = ["rfc3339_nano", "run_logs"]

_USAGE = ("expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
          "POD or TYPE/NAME is a required argument for the logs command")


def rfc3339_nano(ns: int) -> str:
    """Go's ``time.RFC3339Nano`` (trailing zeros of the fraction dropped)."""
    seconds, frac = divmod(ns, 1_000_000_000)
    base = to_datetime(seconds * 1_000_000_000).strftime("%Y-%m-%dT%H:%M:%S")
    text = f"{frac:09d}".rstrip("0")
    return f"{base}.{text}Z" if text else f"{base}Z"


@command("logs")
def run_logs(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    selector = str(flags.get("selector") or "")
    container = str(flags.get("container") or "")
    if len(args) == 0:
        if not selector:
            raise usage_error(inv.cmd.path, _USAGE)
    elif len(args) == 1:
        if selector:
            raise usage_error(inv.cmd.path, "only a selector (-l) or a POD name is allowed")
    elif len(args) == 2:
        container = args[1]
    else:
        raise usage_error(inv.cmd.path, _USAGE)
    factory = inv.factory
    api = factory.api
    namespace, _ = factory.namespace()
    if selector:
        from .resource import selector_from

        sel = selector_from(selector)
        from .pods import POD

        factory.request()
        pods = api.list(POD, namespace, sel)
        if not pods:
            inv.err(f"No resources found in {namespace} namespace.\n")
            return 0
        max_requests = int(flags.get("max-log-requests") or 5)
        if len(pods) > max_requests and flags.get("follow"):
            raise KubectlError(
                f"you are attempting to follow {len(pods)} log streams, but maximum allowed "
                f"concurrency is {max_requests}, use --max-log-requests to increase the limit")
        targets = pods
    else:
        resource = args[0]
        parsed = parse_resource_args(inv, [resource if "/" in resource else f"pods/{resource}"])
        kind, name = parsed.pairs[0]
        factory.request()
        obj = api.try_get(kind, namespace if kind.namespaced else "", name)
        if obj is None:
            from ...api import errors as api_errors

            raise api_errors.not_found(kind.resource, name)
        pod, count = first_pod(inv, obj, for_logs=True)
        if pod is None:
            raise KubectlError("timed out waiting for the condition")
        if count > 1:
            inv.err(f"Found {count} pods, using pod/{pod['metadata']['name']}\n")
        targets = [pod]
    streams: list[tuple[dict[str, Any], str]] = []
    for pod in targets:
        spec = pod.get("spec") or {}
        if flags.get("all-containers"):
            names = [c["name"] for c in (spec.get("initContainers") or [])
                     + (spec.get("containers") or []) + (spec.get("ephemeralContainers") or [])]
            streams.extend((pod, n) for n in names)
            continue
        name = container
        if not name:
            from .pods import default_container

            name = default_container(inv, pod)
        all_names = [c.get("name") for c in (spec.get("containers") or [])
                     + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers")
                                                             or [])]
        if name not in all_names:
            raise KubectlError(f"container {name} is not valid for pod "
                               f"{pod['metadata']['name']}")
        streams.append((pod, name))
    prefix = bool(flags.get("prefix"))
    follow = bool(flags.get("follow"))
    printed: dict[int, int] = {}
    for index, (pod, name) in enumerate(streams):
        lines = _fetch(inv, pod, name)
        lines = _filter(inv, lines)
        for _, text in lines:
            inv.out(_format(inv, pod, name, text, _, prefix))
        printed[index] = len(_fetch(inv, pod, name))
    yield from factory.settle()
    if not follow:
        return 0
    deadline = factory.deadline()
    while factory.now < deadline:
        def changed() -> bool:
            for index, (pod, name) in enumerate(streams):
                if len(_fetch(inv, pod, name, quiet=True)) != printed[index]:
                    return True
                if not _running(inv, pod, name):
                    return True
            return False

        yield WaitFor(changed, deadline - factory.now, poll=100 * MILLISECOND)
        ended = True
        for index, (pod, name) in enumerate(streams):
            lines = _fetch(inv, pod, name, quiet=True)
            for ts, text in lines[printed[index]:]:
                inv.out(_format(inv, pod, name, text, ts, prefix))
            printed[index] = len(lines)
            if _running(inv, pod, name):
                ended = False
        if ended:
            return 0
    return 130


def _kubelet(inv: Invocation, pod: dict[str, Any]) -> Any:
    node = (pod.get("spec") or {}).get("nodeName")
    if not node:
        return None
    return inv.factory.cluster.kubelets.get(node)


def _fetch(inv: Invocation, pod: dict[str, Any], container: str,
           quiet: bool = False) -> list[tuple[int, str]]:
    kubelet = _kubelet(inv, pod)
    if kubelet is None:
        return []
    if not quiet:
        inv.factory.request()
    meta = pod["metadata"]
    try:
        return list(kubelet.logs(meta.get("namespace", "default"), meta["name"], container,
                                 previous=bool(inv.flags.get("previous"))))
    except Exception:
        if quiet:
            return []
        raise


def _running(inv: Invocation, pod: dict[str, Any], container: str) -> bool:
    from .pods import POD

    live = inv.factory.api.try_get(POD, pod["metadata"].get("namespace", "default"),
                                   pod["metadata"]["name"])
    if live is None or live["metadata"].get("uid") != pod["metadata"].get("uid"):
        return False
    for status in (live.get("status") or {}).get("containerStatuses") or []:
        if status.get("name") == container:
            return "running" in (status.get("state") or {})
    return False


def _filter(inv: Invocation, lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    flags = inv.flags
    since = int(flags.get("since") or 0)
    if since:
        cutoff = inv.factory.now - since
        lines = [(t, s) for t, s in lines if t >= cutoff]
    since_time = str(flags.get("since-time") or "")
    if since_time:
        from ...sim.timefmt import parse_rfc3339

        try:
            cutoff = parse_rfc3339(since_time)
        except ValueError:
            raise KubectlError(f'parsing time "{since_time}" as "2006-01-02T15:04:05Z07:00": '
                               "cannot parse") from None
        lines = [(t, s) for t, s in lines if t >= cutoff]
    tail = int(flags.get("tail", -1))
    if tail >= 0:
        lines = lines[-tail:] if tail else []
    limit = int(flags.get("limit-bytes") or 0)
    if limit > 0:
        out: list[tuple[int, str]] = []
        used = 0
        for t, s in lines:
            chunk = s + "\n"
            if used + len(chunk) > limit:
                out.append((t, chunk[: limit - used].rstrip("\n")))
                break
            used += len(chunk)
            out.append((t, s))
        lines = out
    return lines


def _format(inv: Invocation, pod: dict[str, Any], container: str, text: str, ts: int,
            prefix: bool) -> str:
    line = text
    if inv.flags.get("timestamps"):
        line = f"{rfc3339_nano(ts)} {line}"
    if prefix:
        line = f"[pod/{pod['metadata']['name']}/{container}] {line}"
    return line + "\n"
