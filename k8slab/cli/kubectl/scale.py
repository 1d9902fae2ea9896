"""``kubectl scale`` (``k8s.io/kubectl/pkg/cmd/scale/scale.go``, ``pkg/scale/scale.go``).

``--replicas`` is required (cobra: ``required flag(s) "replicas" not set``) and must be ≥ 0;
``--current-replicas`` and ``--resource-version`` are preconditions checked against the live
object (``Expected replicas to be 2, was 3``). The write goes to the ``scale`` subresource, which
only Deployments, ReplicaSets, ReplicationControllers and StatefulSets have. Prints
``deployment.apps/x scaled``. ``--record`` patches ``kubernetes.io/change-cause`` afterwards.
``--timeout`` waits (virtual time) until the status shows the new size.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...sim.clock import SECOND
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .resource import select_objects
from .util import CHANGE_CAUSE, dry_run

__all__ = ["SCALABLE", "run_scale"]

SCALABLE = {("apps", "Deployment"), ("apps", "ReplicaSet"), ("apps", "StatefulSet"),
            ("", "ReplicationController")}


@command("scale")
def run_scale(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    replicas = int(flags.get("replicas"))
    current = int(flags.get("current-replicas"))
    resource_version = str(flags.get("resource-version") or "")
    if replicas < 0:
        raise KubectlError("The --replicas=COUNT flag is required, and COUNT must be greater "
                           "than or equal to 0")
    if current < -1:
        raise KubectlError("The --current-replicas must specify an integer of -1 or greater")
    strategy = dry_run(inv)
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="scaled", dry_run=strategy)
    factory = inv.factory
    infos, errs = select_objects(
        inv, inv.args, select_all=bool(flags.get("all")),
        label_selector=str(flags.get("selector") or ""),
        filenames=list(flags.get("filename") or []))
    if not infos and not errs:
        raise KubectlError("no objects passed to scale")
    api = factory.api
    scaled = []
    for info in infos:
        assert info.obj is not None
        kind = info.kind
        if (kind.group, kind.kind) not in SCALABLE:
            errs.append(StatusError(404, "NotFound",
                                    "the server could not find the requested resource"))
            continue
        if strategy == "client":
            printer.print(info.obj, kind)
            continue
        live = info.obj
        have = int((live.get("spec") or {}).get("replicas", 1))
        if current != -1 and have != current:
            errs.append(KubectlError(f"Expected replicas to be {current}, was {have}"))
            continue
        rv = (live.get("metadata") or {}).get("resourceVersion", "")
        if resource_version and rv != resource_version:
            errs.append(KubectlError(
                f"Expected resource version to be {resource_version}, was {rv}"))
            continue

        def mutate(obj: dict[str, Any], n: int = replicas) -> dict[str, Any]:
            obj.setdefault("spec", {})["replicas"] = n
            if flags.get("record"):
                meta = obj.setdefault("metadata", {})
                meta.setdefault("annotations", {})[CHANGE_CAUSE] = inv.change_cause()
            return obj

        factory.request(2 if flags.get("record") else 1)
        try:
            result = api.patch(kind, info.namespace, info.name, mutate, source="kubectl",
                               dry_run=strategy == "server")
        except StatusError as exc:
            errs.append(exc)
            continue
        printer.print(result, kind)
        scaled.append(info)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    timeout = int(flags.get("timeout") or 0)
    if timeout and scaled and strategy == "none":
        deadline = min(factory.deadline(), factory.now + timeout)

        def done() -> bool:
            for info in scaled:
                obj = api.try_get(info.kind, info.namespace, info.name)
                if obj is None:
                    continue
                status = obj.get("status") or {}
                if status.get("replicas", 0) != replicas or (
                    (obj.get("metadata") or {}).get("generation", 0)
                    > status.get("observedGeneration", 0)
                ):
                    return False
            return True

        ok = yield WaitFor(done, max(0, deadline - factory.now), poll=SECOND)
        if not ok:
            raise KubectlError("timed out waiting for the condition")
    return 0
