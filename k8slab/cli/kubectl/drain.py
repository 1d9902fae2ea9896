"""``kubectl cordon``, ``uncordon`` and ``drain`` (``k8s.io/kubectl/pkg/cmd/drain``,
``k8s.io/kubectl/pkg/drain``).

- cordon/uncordon set ``spec.unschedulable``: ``node/x cordoned`` (``already cordoned``),
  ``node/x uncordoned`` (``already uncordoned``);
- drain cordons, then sorts the node's pods with upstream's filters: DaemonSet pods
  (``--ignore-daemonsets``, else ``cannot delete DaemonSet-managed Pods (use
  --ignore-daemonsets to ignore)``), mirror pods (skipped), pods with ``emptyDir``
  (``--delete-emptydir-data``), pods without a controller (``--force``, then a warning), finished
  pods (deleted). Refusals print upstream's ``error: unable to drain node "x" due to error: …,
  continuing command...`` / ``There are pending nodes to be drained:`` and the reasons; otherwise
  ``evicting pod ns/name`` for each, ``pod/name evicted`` once gone (virtual time passes while
  the kubelets terminate them), and ``node/x drained``.

The lab evicts with a graceful delete (the Eviction API without PodDisruptionBudgets).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...api.kinds import by_gvk
from ...sim.clock import SECOND
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError, usage_error
from .output import ObjectPrinter
from .resource import Info, fetch, parse_resource_args, selector_from
from .util import dry_run

__all__ = ["run_cordon", "run_drain", "run_uncordon"]

Obj = dict[str, Any]
NODE = by_gvk("v1", "Node")
POD = by_gvk("v1", "Pod")


def _nodes(inv: Invocation, verb: str) -> list[Info]:
    selector = str(inv.flags.get("selector") or "")
    if not inv.args and not selector:
        raise usage_error(inv.cmd.path, f"USAGE: {verb} NODE [flags]")
    assert NODE is not None
    if inv.args:
        parsed = parse_resource_args(inv, ["nodes", *inv.args])
        infos, errs = fetch(inv, parsed, namespace="")
    else:
        from .resource import ResourceArgs

        infos, errs = fetch(inv, ResourceArgs(kinds=[NODE]), namespace="",
                            selector=selector_from(selector))
    if errs:
        raise Aggregate(errs)
    return infos


def _set_unschedulable(inv: Invocation, infos: list[Info], desired: bool,
                       strategy: str) -> list[BaseException]:
    verb = "cordoned" if desired else "uncordoned"
    errs: list[BaseException] = []
    factory = inv.factory
    for info in infos:
        assert info.obj is not None and NODE is not None
        current = bool((info.obj.get("spec") or {}).get("unschedulable"))
        printer = ObjectPrinter(inv, "", operation=verb, dry_run=strategy)
        if current == desired:
            ObjectPrinter(inv, "", operation=f"already {verb}").print(info.obj, NODE)
            continue
        if strategy != "client":

            def mutate(obj: Obj) -> Obj:
                spec = obj.setdefault("spec", {})
                if desired:
                    spec["unschedulable"] = True
                else:
                    spec.pop("unschedulable", None)
                return obj

            factory.request()
            try:
                factory.api.patch(NODE, "", info.name, mutate, source="kubectl",
                                  dry_run=strategy == "server")
            except StatusError as exc:
                errs.append(exc)
                continue
        printer.print(info.obj, NODE)
    return errs


@command("cordon")
def run_cordon(inv: Invocation) -> Generator[Any, Any, int]:
    strategy = dry_run(inv)
    errs = _set_unschedulable(inv, _nodes(inv, "cordon"), True, strategy)
    yield from inv.factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


@command("uncordon")
def run_uncordon(inv: Invocation) -> Generator[Any, Any, int]:
    strategy = dry_run(inv)
    errs = _set_unschedulable(inv, _nodes(inv, "uncordon"), False, strategy)
    yield from inv.factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


def _controller(pod: Obj) -> Obj | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def _classify(inv: Invocation, pods: list[Obj]) -> tuple[list[Obj], list[str], list[str]]:
    """``GetPodsForDeletion``: (pods to delete, warnings, errors) as the filters decide."""
    flags = inv.flags
    ignore_ds = bool(flags.get("ignore-daemonsets"))
    delete_local = bool(flags.get("delete-emptydir-data"))
    force = bool(flags.get("force"))
    pod_selector = selector_from(str(flags.get("pod-selector") or ""))
    groups: dict[str, list[str]] = {}
    warn_groups: dict[str, list[str]] = {}
    order: list[str] = []
    keep: list[Obj] = []
    for pod in pods:
        meta = pod.get("metadata") or {}
        if pod_selector is not None and not pod_selector.matches(meta.get("labels")):
            continue
        ident = f"{meta.get('namespace', '')}/{meta.get('name', '')}"
        phase = (pod.get("status") or {}).get("phase")
        finished = phase in ("Succeeded", "Failed")
        if meta.get("deletionTimestamp"):
            continue
        if (meta.get("annotations") or {}).get("kubernetes.io/config.mirror"):
            continue
        ref = _controller(pod)
        problem = warning = ""
        if ref is not None and ref.get("kind") == "DaemonSet":
            if ignore_ds:
                warning = "ignoring DaemonSet-managed Pods"
            else:
                problem = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
        elif not finished and any("emptyDir" in v for v in
                                  (pod.get("spec") or {}).get("volumes") or []) and not (
                                      delete_local):
            problem = "Pods with local storage (use --delete-emptydir-data to override)"
        elif ref is None and not finished:
            if force:
                warning = "deleting Pods that declare no controller"
            else:
                problem = "Pods that declare no controller (use --force to override)"
        if problem:
            if problem not in groups:
                order.append(problem)
            groups.setdefault(problem, []).append(ident)
            continue
        if warning:
            warn_groups.setdefault(warning, []).append(ident)
            if warning == "ignoring DaemonSet-managed Pods":
                continue
        keep.append(pod)
    errors = [f"cannot delete {p}: {', '.join(groups[p])}" for p in order]
    warnings = [f"{w}: {', '.join(v)}" for w, v in warn_groups.items()]
    return keep, warnings, errors


@command("drain")
def run_drain(inv: Invocation) -> Generator[Any, Any, int]:
    strategy = dry_run(inv)
    nodes = _nodes(inv, "drain")
    errs = _set_unschedulable(inv, nodes, True, strategy)
    if errs:
        raise Aggregate(errs)
    factory = inv.factory
    api = factory.api
    assert POD is not None and NODE is not None
    grace = int(inv.flags.get("grace-period", -1))
    fatal: list[BaseException] = []
    remaining_nodes: list[str] = []
    for info in nodes:
        factory.request()
        pods = api.list(POD, None, fields=[("spec.nodeName", "=", info.name)])
        keep, warnings, problems = _classify(inv, pods)
        if problems:
            text = problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]"
            inv.err(f'error: unable to drain node "{info.name}" due to error: {text}, '
                    "continuing command...\n")
            remaining_nodes.append(info.name)
            fatal.append(Aggregate([KubectlError(p) for p in problems]))
            continue
        if warnings:
            inv.err("Warning: " + "; ".join(warnings) + "\n")
        if strategy == "client":
            for pod in keep:
                inv.out(f"evicting pod {pod['metadata']['namespace']}/"
                        f"{pod['metadata']['name']} (dry run)\n")
            ObjectPrinter(inv, "", operation="drained", dry_run=strategy).print(info.obj, NODE)
            continue
        deleted: list[Obj] = []
        for pod in keep:
            meta = pod["metadata"]
            inv.err(f"evicting pod {meta['namespace']}/{meta['name']}\n")
            factory.request()
            try:
                api.delete(POD, meta["namespace"], meta["name"], source="kubectl",
                           grace_period=grace if grace >= 0 else None)
            except StatusError as exc:
                if exc.reason != "NotFound":
                    fatal.append(exc)
                continue
            deleted.append(pod)
        yield from factory.settle()
        timeout = int(inv.flags.get("timeout") or 0)
        deadline = factory.deadline()
        if timeout:
            deadline = min(deadline, factory.now + timeout)
        pending = list(deleted)
        while pending:
            def gone_any(pending: list[Obj] = pending) -> bool:
                return any(_gone(api, p) for p in pending)

            ok = yield WaitFor(gone_any, max(0, deadline - factory.now), poll=SECOND)
            still = []
            for pod in pending:
                if _gone(api, pod):
                    inv.out(f"pod/{pod['metadata']['name']} evicted\n")
                else:
                    still.append(pod)
            pending = still
            if not ok:
                if factory.now >= factory.deadline():
                    return 130
                raise KubectlError(f"drain did not complete within {timeout // SECOND}s")
        ObjectPrinter(inv, "", operation="drained").print(info.obj, NODE)
    if remaining_nodes:
        inv.err("There are pending nodes to be drained:\n")
        for name in remaining_nodes:
            inv.err(f" {name}\n")
    yield from factory.settle()
    if fatal:
        raise Aggregate(fatal)
    return 0


def _gone(api: Any, pod: Obj) -> bool:
    meta = pod["metadata"]
    assert POD is not None
    live = api.try_get(POD, meta["namespace"], meta["name"])
    return live is None or live["metadata"].get("uid") != meta.get("uid")
