"""``kubectl set image`` (``k8s.io/kubectl/pkg/cmd/set/set_image.go``).

``kubectl set image TYPE/NAME CONTAINER=IMAGE…`` (``*`` for every container) changes the image
of containers, init containers and ephemeral containers of a pod or of a pod template
(Deployment, ReplicaSet, DaemonSet, StatefulSet, Job, CronJob, ReplicationController).
Prints ``deployment.apps/x image updated``; prints **nothing** when the image is already set
(the computed patch is ``{}``). An unknown container gives
``error: unable to find container named "foo"``. ``--record`` adds the change-cause annotation
to the same patch.
"""

from __future__ import annotations

import copy
from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .resource import select_objects
from .util import dry_run, record

__all__ = ["pod_spec_of", "resources_and_pairs", "run_set_image"]

Obj = dict[str, Any]


def resources_and_pairs(args: list[str]) -> tuple[list[str], list[str]]:
    """``GetResourcesAndPairs``: words with ``=`` (or ending in ``-``) are pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    seen_pair = False
    for arg in args:
        is_pair = "=" in arg or arg.endswith("-")
        if is_pair:
            seen_pair = True
            pairs.append(arg)
        elif seen_pair:
            raise KubectlError(f"all resources must be specified before {'label'} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def pod_spec_of(obj: Obj) -> Obj | None:
    """Where ``UpdatePodSpecForObject`` finds the PodSpec of a workload (in place)."""
    kind = obj.get("kind")
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return None
    if kind == "Pod":
        return spec
    if kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job",
                "ReplicationController"):
        template = spec.get("template")
        return template.get("spec") if isinstance(template, dict) else None
    if kind == "CronJob":
        job = (spec.get("jobTemplate") or {}).get("spec") or {}
        template = job.get("template")
        return template.get("spec") if isinstance(template, dict) else None
    return None


def _set_image(containers: list[Obj] | None, name: str, image: str) -> bool:
    found = False
    for container in containers or []:
        if name == "*" or container.get("name") == name:
            container["image"] = image
            found = True
    return found


@command("set image")
def run_set_image(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    resources, pairs = resources_and_pairs(inv.args)
    images: dict[str, str] = {}
    for pair in pairs:
        if "=" not in pair:
            raise KubectlError(f"invalid image update: {pair}")
        name, image = pair.split("=", 1)
        images[name] = image
    strategy = dry_run(inv)
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="image updated", dry_run=strategy)
    filenames = list(flags.get("filename") or [])
    factory = inv.factory
    infos, errs = select_objects(
        inv, resources, select_all=bool(flags.get("all")),
        label_selector=str(flags.get("selector") or ""), filenames=filenames)
    if errs:
        # Complete() fails on the builder's errors before anything is patched.
        raise Aggregate(errs)
    problems: list[str] = []
    if flags.get("all") and flags.get("selector"):
        problems.append("cannot set --all and --selector at the same time")
    if not resources and not filenames:
        problems.append("one or more resources must be specified as <resource> <name> or "
                        "<resource>/<name>")
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in images:
        problems.append("all containers are already specified by *, but saw more than one "
                        "container_name=container_image pairs")
    if problems:
        raise Aggregate([KubectlError(p) for p in problems])
    api = factory.api
    for info in infos:
        assert info.obj is not None
        live = info.obj
        new = copy.deepcopy(live)
        spec = pod_spec_of(new)
        if spec is None:
            errs.append(KubectlError(
                f"error: {info.kind.plural}/{info.name} the object is not a pod or does not "
                f"have a pod template: *v1.{info.kind.kind}\n"))
            continue
        for name, image in images.items():
            found = _set_image(spec.get("initContainers"), name, image)
            found = _set_image(spec.get("containers"), name, image) or found
            found = _set_image(spec.get("ephemeralContainers"), name, image) or found
            if not found:
                errs.append(KubectlError(f'error: unable to find container named "{name}"'))
        new = record(inv, new)
        if new == live:
            continue
        if flags.get("local") or strategy == "client":
            printer.print(new, info.kind)
            continue
        factory.request()
        try:
            result = api.update(new, source="kubectl", dry_run=strategy == "server",
                                check_version=False)
        except StatusError as exc:
            errs.append(KubectlError(
                f"failed to patch image update to pod template: {exc.message}"))
            continue
        printer.print(result, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0
