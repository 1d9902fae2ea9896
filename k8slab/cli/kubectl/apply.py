"""``kubectl apply`` — client-side apply (``k8s.io/kubectl/pkg/cmd/apply``: apply.go, patcher.go).

For every object the files name (:func:`.resource.read_files`; bad documents become errors,
good ones are applied):

1. ``--record`` adds ``kubernetes.io/change-cause``; the *modified* configuration is the object
   serialised as JSON (keys sorted, trailing newline) and stored in the
   ``kubectl.kubernetes.io/last-applied-configuration`` annotation (``GetModifiedConfiguration``);
2. GET the live object. Missing → POST it with the annotation: ``deployment.apps/x created``;
3. present → warn if it lacks the annotation (it was made by ``kubectl create``), compute the
   three-way strategic merge patch (previous annotation, file, live; :mod:`.patch`) and PATCH it:
   ``configured``, or ``unchanged`` when the patch is ``{}``.

``--dry-run=client`` writes nothing (a present object prints ``configured (dry run)`` without a
patch being computed, and ``-o yaml`` shows the live object, as upstream);
``--dry-run=server`` sends the requests with ``dryRun``. Errors are collected — decoding errors
first, then per-object failures — and printed after the successes (exit 1). ``-o yaml|json``
prints the objects at the end, only if nothing failed.
"""

from __future__ import annotations

import json
from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from .cmd import Invocation, command
from .codec import go_json
from .errors import Aggregate, KubectlError, add_source
from .output import ObjectPrinter
from .patch import apply_patch, root_node, three_way_patch
from .resource import Info, read_files, validation_mode
from .util import LAST_APPLIED, dry_run, info_string, object_name, record

__all__ = ["modified_configuration", "run_apply"]

Obj = dict[str, Any]
_WARNING = (
    "Warning: resource {name} is missing the {annotation} annotation which is required by "
    "kubectl apply. kubectl apply should only be used on resources created declaratively by "
    "either kubectl create --save-config or kubectl apply. The missing annotation will be "
    "patched automatically.\n"
)


def _with_annotations(obj: Obj, annotations: dict[str, str]) -> Obj:
    meta = dict(obj.get("metadata") or {})
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    return {**obj, "metadata": meta}


def modified_configuration(obj: Obj) -> tuple[str, Obj]:
    """``GetModifiedConfiguration(obj, annotate=true)``: (annotation text, annotated object)."""
    annotations = dict((obj.get("metadata") or {}).get("annotations") or {})
    annotations.pop(LAST_APPLIED, None)
    plain = _with_annotations(obj, annotations)
    text = go_json(plain) + "\n"
    annotated = _with_annotations(obj, {**annotations, LAST_APPLIED: text})
    return text, annotated


@command("apply")
def run_apply(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    filenames = list(flags.get("filename") or [])
    if not filenames and not flags.get("kustomize"):
        raise KubectlError("must specify one of -f and -k")
    if flags.get("kustomize"):
        raise KubectlError("kustomize is not available in this lab")
    if flags.get("prune"):
        raise KubectlError("--prune is not available in this lab")
    strategy = dry_run(inv)
    validate = validation_mode(inv)
    output = str(flags.get("output") or "")
    server_side = bool(flags.get("server-side"))
    # Build the printer first: a bad -o fails before anything is applied.
    ObjectPrinter(inv, output)
    factory = inv.factory
    namespace, explicit = factory.namespace()
    infos, errs = read_files(inv, filenames, recursive=bool(flags.get("recursive")),
                             validate=validate, namespace=namespace,
                             enforce_namespace=explicit, served=factory.served)
    factory.request()  # discovery and the OpenAPI schema
    if not infos and not errs:
        raise KubectlError("no objects passed to apply")
    shown: list[Obj] = []
    print_objects = output not in ("", "name")
    # The builder's errors come first, as one aggregate (apply.go Run: GetObjects' error).
    all_errs: list[BaseException] = [Aggregate(list(errs))] if errs else []
    for info in infos:
        try:
            obj = _apply_one(inv, info, strategy, output, server_side)
        except (StatusError, KubectlError) as exc:
            all_errs.append(exc)
            continue
        shown.append(obj)
    yield from factory.settle()
    if len(all_errs) == 1:
        raise all_errs[0]
    if all_errs:
        raise Aggregate(all_errs)
    if print_objects and shown:
        printer = ObjectPrinter(inv, output)
        if len(shown) == 1:
            printer.print(shown[0])
        else:
            printer.print({"apiVersion": "v1", "items": shown, "kind": "List", "metadata": {}})
    return 0


def _apply_one(inv: Invocation, info: Info, strategy: str, output: str,
               server_side: bool) -> Obj:
    factory = inv.factory
    api = factory.api
    kind = info.kind
    assert info.obj is not None
    obj = record(inv, info.obj)
    if kind.namespaced:
        meta = dict(obj.get("metadata") or {})
        meta.setdefault("namespace", info.namespace)
        obj = {**obj, "metadata": meta}
    if not info.name:
        raise KubectlError(
            f"error when retrieving current configuration of:\n"
            f"{info_string(kind, info.name, info.namespace)}\nfrom server for: "
            f'"{info.source}": resource name may not be empty'
        )
    if server_side:
        annotated = obj
    else:
        _, annotated = modified_configuration(obj)
    factory.request()
    live = api.try_get(kind, info.namespace, info.name)

    def say(operation: str, shown: Obj) -> None:
        if output in ("", "name"):
            ObjectPrinter(inv, output, operation=operation, dry_run=strategy).print(shown, kind)

    if live is None:
        created = annotated
        if strategy != "client":
            factory.request()
            try:
                created = api.create(annotated, source="kubectl", namespace=info.namespace,
                                     dry_run=strategy == "server")
            except StatusError as exc:
                raise _sourced("creating", info.source, exc) from None
        say("serverside-applied" if server_side else "created", created)
        return created
    if strategy == "client":
        say("serverside-applied" if server_side else "configured", live)
        return live
    if annotated.get("apiVersion") and live.get("apiVersion") != annotated.get("apiVersion"):
        # kubectl GETs the object in the file's version (autoscaling/v1 for an HPA stored
        # as v2); the lab's store keeps one version, so only the type meta differs.
        live = {**live, "apiVersion": annotated["apiVersion"]}
    annotations = (live.get("metadata") or {}).get("annotations") or {}
    if LAST_APPLIED not in annotations and not server_side:
        inv.err(_WARNING.format(name=object_name(kind, info.name), annotation=LAST_APPLIED))
    original: Obj | None = None
    if not server_side and annotations.get(LAST_APPLIED):
        try:
            original = json.loads(annotations[LAST_APPLIED])
        except ValueError:
            original = None
    node = root_node(kind.api_version, kind.kind)
    patch = three_way_patch(original, annotated, live, node)
    if not patch:
        say("serverside-applied" if server_side else "unchanged", live)
        return live
    merged = apply_patch(live, patch, node)
    factory.request()
    try:
        result = api.update(merged, source="kubectl", dry_run=strategy == "server")
    except StatusError as exc:
        where = (f"applying patch:\n{go_json(patch)}\nto:\n"
                 f"{info_string(kind, info.name, info.namespace)}\nfor:")
        raise _sourced(where, info.source, _as_patch_error(exc)) from None
    say("serverside-applied" if server_side else "configured", result)
    return result


def _as_patch_error(exc: StatusError) -> StatusError:
    """The lab writes a PUT; a PATCH's strict decoding error lacks the PUT's
    ``<Kind> in version "v1" cannot be handled as a <Kind>:`` prefix (apiserver
    ``applyPatchToObject``)."""
    if exc.reason == "BadRequest" and " cannot be handled as a " in exc.message:
        _, _, rest = exc.message.partition(" cannot be handled as a ")
        _, _, detail = rest.partition(": ")
        if detail.startswith("strict decoding error"):
            import dataclasses

            return dataclasses.replace(exc, message=detail)
    return exc


def _sourced(verb: str, source: str, exc: StatusError) -> BaseException:
    return add_source(verb, source, exc)
