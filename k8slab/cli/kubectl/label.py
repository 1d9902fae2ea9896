"""``kubectl label`` and ``kubectl annotate`` (``k8s.io/kubectl/pkg/cmd/label``, ``annotate``).

``TYPE NAME key=value… key-…`` (or ``TYPE/NAME``, ``-l``, ``--all``, ``-f``). Label values are
checked client-side (``invalid label value: "k=v@": …``), keys by the apiserver. Without
``--overwrite`` a key that already has a *different* value is an error
(``'k' already has a value (v), and --overwrite is false``; annotate: ``--overwrite is false but
found the following declared annotation(s): 'k' already has a value (v)``). Removing a missing
label prints ``label "k" not found.``. Output ``pod/x labeled``, ``not labeled`` when nothing
changed, ``unlabeled`` when only removals changed it; annotate always says ``annotated``.
"""

from __future__ import annotations

import copy
from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from ...api.validation.meta import is_valid_label_value
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .resource import select_objects
from .util import dry_run, record

__all__ = ["run_annotate", "run_label"]

Obj = dict[str, Any]


def _split_args(args: list[str], what: str) -> tuple[list[str], list[str]]:
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        if "=" in arg or arg.endswith("-"):
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {what} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _parse_labels(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    labels: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KubectlError(f"invalid label spec: {spec}")
            problems = is_valid_label_value(parts[1])
            if problems:
                raise KubectlError(f'invalid label value: "{spec}": {";".join(problems)}')
            labels[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown label spec: {spec}")
    if any(r in labels for r in remove):
        raise KubectlError("can not both modify and remove a label in the same command")
    return labels, remove


def _parse_annotations(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    remove: list[str] = []
    invalid: list[str] = []
    for spec in specs:
        if "=" in spec:
            key, value = spec.split("=", 1)
            if not key:
                invalid.append(spec)
                continue
            values[key] = value
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise KubectlError("invalid annotation format: " + ", ".join(invalid))
    both = [r for r in remove if r in values]
    if both:
        raise KubectlError("can not both modify and remove the following annotation(s) in the "
                           "same command: " + ", ".join(both))
    return values, remove


def _run(inv: Invocation, field: str) -> Generator[Any, Any, int]:
    flags = inv.flags
    noun = "label" if field == "labels" else "annotation"
    resources, pairs = _split_args(inv.args, noun)
    if field == "labels":
        new, remove = _parse_labels(pairs)
    else:
        new, remove = _parse_annotations(pairs)
    strategy = dry_run(inv)
    output = str(flags.get("output") or "")
    ObjectPrinter(inv, output)
    filenames = list(flags.get("filename") or [])
    listing = bool(flags.get("list")) if field == "labels" else False
    if flags.get("all") and flags.get("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if flags.get("all") and flags.get("field-selector"):
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if not resources and not filenames:
        raise KubectlError("one or more resources must be specified as <resource> <name> or "
                           "<resource>/<name>")
    if not new and not remove and not listing:
        raise KubectlError(f"at least one {noun} update is required")
    overwrite = bool(flags.get("overwrite"))
    factory = inv.factory
    infos, errs = select_objects(
        inv, resources, select_all=bool(flags.get("all")),
        label_selector=str(flags.get("selector") or ""),
        field_selector=str(flags.get("field-selector") or ""),
        filenames=filenames, all_namespaces=bool(flags.get("all-namespaces")))
    for info in infos:
        assert info.obj is not None
        live = info.obj
        current = dict((live.get("metadata") or {}).get(field) or {})
        if listing:
            # label.go --list: one "key=value" per line.
            for k, v in sorted(current.items()):
                inv.out(f"{k}={v}\n")
            continue
        if not overwrite:
            if field == "labels":
                clashes = [KubectlError(f"'{k}' already has a value ({current[k]}), and "
                                        "--overwrite is false")
                           for k, v in new.items() if k in current and current[k] != v]
                if clashes:
                    errs.append(Aggregate(clashes) if len(clashes) > 1 else clashes[0])
                    continue
            else:
                clashes_text = "; ".join(
                    f"'{k}' already has a value ({current[k]})" for k, v in new.items()
                    if k != "kubernetes.io/change-cause" and k in current and current[k] != v)
                if clashes_text:
                    errs.append(KubectlError("--overwrite is false but found the following "
                                             f"declared annotation(s): {clashes_text}"))
                    continue
        updated = dict(current)
        updated.update(new)
        for key in remove:
            if key not in updated and field == "labels":
                inv.out(f'label "{key}" not found.\n')
            updated.pop(key, None)
        obj = copy.deepcopy(live)
        meta = obj.setdefault("metadata", {})
        if updated:
            meta[field] = updated
        else:
            meta.pop(field, None)
        obj = record(inv, obj)
        changed = obj != live
        if field == "labels":
            message = "not labeled"
            if changed:
                message = "labeled"
                if not overwrite and len(updated) < len(current):
                    message = "unlabeled"
        else:
            message = "annotated"
        if strategy == "client" or flags.get("local"):
            ObjectPrinter(inv, output, operation=message, dry_run=strategy).print(obj, info.kind)
            continue
        result = live
        if changed:
            factory.request()
            try:
                result = factory.api.update(obj, source="kubectl", check_version=bool(
                    flags.get("resource-version")), dry_run=strategy == "server")
            except StatusError as exc:
                errs.append(exc)
                continue
        ObjectPrinter(inv, output, operation=message, dry_run=strategy).print(result, info.kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


@command("label")
def run_label(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _run(inv, "labels"))


@command("annotate")
def run_annotate(inv: Invocation) -> Generator[Any, Any, int]:
    return (yield from _run(inv, "annotations"))
