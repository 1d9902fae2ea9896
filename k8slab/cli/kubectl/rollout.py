"""``kubectl rollout history|undo|status|pause|resume|restart`` (kubectl ``pkg/cmd/rollout``).

The Deployment logic is the workload engineer's client-side library
(:mod:`k8slab.controllers.deployment.util`: ``history``, ``rollback_template``,
``rollback_annotations``, ``rollout_status``, ``equal_ignore_hash``), which ports
``pkg/polymorphichelpers``. This module adds what the commands print (kubernetes.md §1.10):

- ``history``: ``deployment.apps/x `` (trailing space), ``REVISION  CHANGE-CAUSE`` table
  (tabwriter 0/8/2), a blank line; ``--revision=N`` prints that revision's pod template;
- ``undo``: patches the template and annotations back (``rolled back`` / ``skipped rollback
  (current template already matches revision N)``), refuses paused deployments;
- ``status``: one line per watch event of the object (as ``UntilWithSync`` prints them), until
  ``successfully rolled out``, ``--timeout`` (``timed out waiting for the condition``) or the
  workstation's deadline (Ctrl-C: kubectl's interrupt handler exits 1 silently);
- ``pause``/``resume`` (``already paused``/``already resumed``), ``restart`` (template
  annotation ``kubectl.kubernetes.io/restartedAt``).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...sim.process import WaitFor
from ...sim.timefmt import rfc3339
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .resource import Info, select_objects
from .util import dry_run

__all__ = ["run_history", "run_status", "run_undo"]

Obj = dict[str, Any]
_ROLLOUT_KINDS = {("apps", "Deployment"), ("apps", "DaemonSet"), ("apps", "StatefulSet")}


def _dutil() -> Any:
    from ...controllers.deployment import util

    return util


def _group_kind(info: Info) -> str:
    return info.kind.group_kind


def _targets(inv: Invocation) -> tuple[list[Info], list[BaseException]]:
    flags = inv.flags
    filenames = list(flags.get("filename") or [])
    if not inv.args and not filenames:
        raise KubectlError("required resource not specified")
    return select_objects(inv, inv.args, label_selector=str(flags.get("selector") or ""),
                          filenames=filenames)


# ------------------------------------------------------------------------- history


@command("rollout history")
def run_history(inv: Invocation) -> Generator[Any, Any, int]:
    revision = int(inv.flags.get("revision") or 0)
    if revision < 0:
        raise KubectlError(f"revision must be a positive integer: {revision}")
    infos, errs = _targets(inv)
    factory = inv.factory
    for info in infos:
        assert info.obj is not None
        if info.kind.kind != "Deployment" or info.kind.group != "apps":
            errs.append(KubectlError(
                f'no history viewer has been implemented for "{_group_kind(info)}"'))
            continue
        factory.request()
        history = _dutil().history(factory.api, info.obj)
        ref = f"{info.kind.qualified_kind}/{info.name}"
        if revision > 0:
            found = dict(history).get(revision)
            if found is None:
                errs.append(KubectlError("unable to find the specified revision"))
                continue
            inv.out(f"{ref} with revision #{revision}\n")
            inv.out(_pod_template_text(found) + "\n")
            continue
        inv.out(f"{ref} \n")
        if not history:
            inv.out("No rollout history found.\n")
            continue
        from .printers.tabwriter import describe_writer

        w = describe_writer()
        w.write("REVISION\tCHANGE-CAUSE\n")
        for rev, rs in history:
            cause = ((rs.get("metadata") or {}).get("annotations") or {}).get(
                "kubernetes.io/change-cause") or "<none>"
            w.write(f"{rev}\t{cause}\n")
        w.flush()
        inv.out(w.getvalue() + "\n")
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


def _pod_template_text(rs: Obj) -> str:
    """``printTemplate``: ``DescribePodTemplate`` through a prefix writer *without* a
    tabwriter, so the tabs stay raw as in the real output."""
    template = (rs.get("spec") or {}).get("template") or {}
    from . import describe

    writer = describe.PrefixWriter()
    writer.tw = _RawWriter()  # type: ignore[assignment]
    describe.describe_pod_template(writer, template)
    return writer.getvalue()


class _RawWriter:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def getvalue(self) -> str:
        return "".join(self.parts)


# ------------------------------------------------------------------------- undo


@command("rollout undo")
def run_undo(inv: Invocation) -> Generator[Any, Any, int]:
    to_revision = int(inv.flags.get("to-revision") or 0)
    strategy = dry_run(inv)
    infos, errs = _targets(inv)
    factory = inv.factory
    api = factory.api
    output = str(inv.flags.get("output") or "")
    util = _dutil()
    for info in infos:
        assert info.obj is not None
        if (info.kind.group, info.kind.kind) != ("apps", "Deployment"):
            errs.append(KubectlError(
                f'no rollbacker has been implemented for "{_group_kind(info)}"'))
            continue
        deployment = info.obj
        if (deployment.get("spec") or {}).get("paused"):
            errs.append(KubectlError(
                "you cannot rollback a paused deployment; resume it first with 'kubectl "
                "rollout resume' and try again"))
            continue
        factory.request()
        try:
            template = util.rollback_template(api, deployment, to_revision)
            annotations = util.rollback_annotations(api, deployment, to_revision)
        except ValueError as exc:
            errs.append(KubectlError(str(exc)))
            continue
        current = (deployment.get("spec") or {}).get("template") or {}
        if util.equal_ignore_hash(template, current):
            ObjectPrinter(inv, output, dry_run=strategy,
                          operation=f"skipped rollback (current template already matches "
                                    f"revision {to_revision})").print(deployment, info.kind)
            continue
        if strategy == "client":
            ObjectPrinter(inv, output, operation="rolled back", dry_run=strategy).print(
                deployment, info.kind)
            continue

        def mutate(obj: Obj, template: Obj = template, annotations: dict[str, str] = annotations
                   ) -> Obj:
            obj.setdefault("spec", {})["template"] = template
            meta = obj.setdefault("metadata", {})
            if annotations:
                meta["annotations"] = dict(annotations)
            else:
                meta.pop("annotations", None)
            return obj

        factory.request()
        try:
            result = api.patch(info.kind, info.namespace, info.name, mutate, source="kubectl",
                               dry_run=strategy == "server")
        except StatusError as exc:
            errs.append(KubectlError(f"failed restoring revision {to_revision}: {exc.message}"))
            continue
        ObjectPrinter(inv, output, operation="rolled back", dry_run=strategy).print(
            result, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


# ------------------------------------------------------------------------- status


def _status_line(info: Info, obj: Obj, revision: int) -> tuple[str, bool]:
    kind = info.kind.kind
    if kind == "Deployment":
        if revision > 0:
            pass
        try:
            return _dutil().rollout_status(obj)
        except ValueError as exc:
            raise KubectlError(str(exc)) from None
    if kind == "DaemonSet":
        return _daemonset_status(obj)
    return _statefulset_status(obj)


def _daemonset_status(ds: Obj) -> tuple[str, bool]:
    name = ds["metadata"]["name"]
    spec = ds.get("spec") or {}
    status = ds.get("status") or {}
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        return "rollout status is only available for RollingUpdate strategy type\n", True
    if (ds["metadata"].get("generation") or 0) <= status.get("observedGeneration", 0):
        desired = status.get("desiredNumberScheduled", 0)
        updated = status.get("updatedNumberScheduled", 0)
        available = status.get("numberAvailable", 0)
        if updated < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {updated} out of '
                    f"{desired} new pods have been updated...\n", False)
        if available < desired:
            return (f'Waiting for daemon set "{name}" rollout to finish: {available} of '
                    f"{desired} updated pods are available...\n", False)
        return f'daemon set "{name}" successfully rolled out\n', True
    return "Waiting for daemon set spec update to be observed...\n", False


def _statefulset_status(sts: Obj) -> tuple[str, bool]:
    spec = sts.get("spec") or {}
    status = sts.get("status") or {}
    if (spec.get("updateStrategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
        return "rollout status is only available for RollingUpdate strategy type\n", True
    if status.get("observedGeneration", 0) == 0 or (
        (sts["metadata"].get("generation") or 0) > status.get("observedGeneration", 0)
    ):
        return "Waiting for statefulset spec update to be observed...\n", False
    replicas = spec.get("replicas", 1)
    ready = status.get("readyReplicas", 0)
    if replicas and ready < replicas:
        return f"Waiting for {replicas - ready} pods to be ready...\n", False
    if status.get("updateRevision") != status.get("currentRevision"):
        updated = status.get("updatedReplicas", 0)
        return (f"waiting for statefulset rolling update to complete {updated} pods at "
                f"revision {status.get('updateRevision')}...\n", False)
    return (f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at "
            f"revision {status.get('currentRevision')}...\n", True)


@command("rollout status")
def run_status(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    watch = bool(flags.get("watch", True))
    revision = int(flags.get("revision") or 0)
    timeout = int(flags.get("timeout") or 0)
    infos, errs = _targets(inv)
    if errs:
        raise Aggregate(errs)
    factory = inv.factory
    api = factory.api
    if not infos:
        namespace, _ = factory.namespace()
        inv.err(f"No resources found in {namespace} namespace.\n")
        return 0
    for info in infos:
        if (info.kind.group, info.kind.kind) not in _ROLLOUT_KINDS:
            raise KubectlError(f"no status viewer has been implemented for {_group_kind(info)}")
        events: list[tuple[str, Obj]] = []

        def handler(event: str, obj: Obj, old: Obj | None, name: str = info.name,
                    ns: str = info.namespace, events: list[tuple[str, Obj]] = events) -> None:
            meta = obj.get("metadata") or {}
            if meta.get("name") == name and meta.get("namespace", "") == ns:
                events.append((event, obj))

        factory.request()
        current = api.try_get(info.kind, info.namespace, info.name)
        if current is None:
            raise StatusError(404, "NotFound",
                              f'{info.kind.resource} "{info.name}" not found')
        handle = api.watch(info.kind, handler, latency=1_000_000, name="kubectl-rollout-status")
        try:
            line, done = _status_line(info, current, revision)
            inv.out(line)
            if done or not watch:
                continue
            deadline = factory.deadline()
            timeout_at = factory.now + timeout if timeout else None
            yield from factory.settle()
            finished = False
            while not finished:
                limit = deadline if timeout_at is None else min(deadline, timeout_at)
                remaining = limit - factory.now
                if remaining <= 0:
                    break
                got = yield WaitFor(lambda events=events: bool(events), remaining)
                if not got and not events:
                    break
                batch, events[:] = list(events), []
                for event, obj in batch:
                    if event == "DELETED":
                        raise KubectlError("object has been deleted")
                    line, done = _status_line(info, obj, revision)
                    inv.out(line)
                    if done:
                        finished = True
                        break
            if not finished:
                if timeout_at is not None and factory.now >= timeout_at and (
                    timeout_at <= deadline
                ):
                    raise KubectlError("timed out waiting for the condition")
                return 1
        finally:
            handle.stop()
    yield from factory.settle()
    return 0


# ------------------------------------------------------------------------- pause/resume


def _toggle(inv: Invocation, paused: bool) -> Generator[Any, Any, int]:
    verb = "paused" if paused else "resumed"
    strategy = dry_run(inv)
    infos, errs = _targets(inv)
    factory = inv.factory
    output = str(inv.flags.get("output") or "")
    for info in infos:
        assert info.obj is not None
        if (info.kind.group, info.kind.kind) != ("apps", "Deployment"):
            what = "pausing" if paused else "resuming"
            errs.append(KubectlError(f'error: {info.kind.resource} "{info.name}" {what} is '
                                     "not supported"))
            continue
        if bool((info.obj.get("spec") or {}).get("paused")) == paused:
            ObjectPrinter(inv, output, operation=f"already {verb}").print(info.obj, info.kind)
            continue
        if strategy == "client":
            ObjectPrinter(inv, output, operation=verb, dry_run=strategy).print(
                info.obj, info.kind)
            continue

        def mutate(obj: Obj) -> Obj:
            spec = obj.setdefault("spec", {})
            if paused:
                spec["paused"] = True
            else:
                spec.pop("paused", None)
            return obj

        factory.request()
        try:
            result = factory.api.patch(info.kind, info.namespace, info.name, mutate,
                                       source="kubectl", dry_run=strategy == "server")
        except StatusError as exc:
            errs.append(exc)
            continue
        ObjectPrinter(inv, output, operation=verb, dry_run=strategy).print(result, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


@command("rollout pause")
def run_pause(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _toggle(inv, True))


@command("rollout resume")
def run_resume(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _toggle(inv, False))


@command("rollout restart")
def run_restart(inv: Invocation) -> Generator[Any, Any, int]:
    strategy = dry_run(inv)
    infos, errs = _targets(inv)
    factory = inv.factory
    output = str(inv.flags.get("output") or "")
    stamp = rfc3339(factory.now)
    for info in infos:
        assert info.obj is not None
        if (info.kind.group, info.kind.kind) not in _ROLLOUT_KINDS:
            errs.append(KubectlError(f'error: {info.kind.resource} "{info.name}" restarting is '
                                     "not supported"))
            continue
        if (info.obj.get("spec") or {}).get("paused"):
            errs.append(KubectlError(
                f'error: {info.kind.resource} "{info.name}" can\'t restart paused deployment '
                "(run rollout resume first)"))
            continue
        if strategy == "client":
            ObjectPrinter(inv, output, operation="restarted", dry_run=strategy).print(
                info.obj, info.kind)
            continue

        def mutate(obj: Obj) -> Obj:
            template = obj.setdefault("spec", {}).setdefault("template", {})
            meta = template.setdefault("metadata", {})
            meta.setdefault("annotations", {})["kubectl.kubernetes.io/restartedAt"] = stamp
            return obj

        factory.request()
        try:
            result = factory.api.patch(info.kind, info.namespace, info.name, mutate,
                                       source="kubectl", dry_run=strategy == "server")
        except StatusError as exc:
            errs.append(exc)
            continue
        ObjectPrinter(inv, output, operation="restarted", dry_run=strategy).print(
            result, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0
