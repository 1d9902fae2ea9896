"""``kubectl patch`` (``k8s.io/kubectl/pkg/cmd/patch/patch.go``).

The patch (``-p``/``--patch`` or ``--patch-file``) is YAML or JSON, turned into JSON like
``yaml.ToJSON`` does. ``--type`` picks how the apiserver applies it:

- ``strategic`` (default): strategic merge patch driven by the schema's patch strategies and
  merge keys (:mod:`.patch`); refused for kinds without a built-in schema;
- ``merge``: JSON merge patch (RFC 7386): maps merge, ``null`` deletes, lists are replaced;
- ``json``: JSON patch (RFC 6902): a list of ``add``/``remove``/``replace``/``move``/``copy``/
  ``test`` operations on JSON pointers.

Prints ``deployment.apps/x patched``, or ``… patched (no change)`` when the object is
unchanged. Errors are the apiserver's (``Error from server (BadRequest): …``) or kubectl's own.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError, bad_request
from ...sim.fs import FSError, normpath
from .cmd import Invocation, command
from .codec import DecodeError, yaml_to_json
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .patch import apply_patch, root_node
from .resource import select_objects
from .util import CHANGE_CAUSE, dry_run

__all__ = ["json_merge_patch", "json_patch", "run_patch"]

_TYPES = ("json", "merge", "strategic")


@command("patch")
def run_patch(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    patch_text = str(flags.get("patch") or "")
    patch_file = str(flags.get("patch-file") or "")
    if patch_text and patch_file:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if patch_file:
        try:
            patch_text = inv.ctx.fs.read(normpath(patch_file, inv.ctx.cwd)).decode()
        except FSError:
            raise KubectlError(f"unable to read patch file: open {patch_file}: no such file "
                               "or directory") from None
    if not patch_text:
        raise KubectlError("must specify --patch or --patch-file containing the contents of "
                           "the patch")
    patch_type = str(flags.get("type") or "strategic")
    if patch_type not in _TYPES:
        raise KubectlError(f"--type must be one of [json merge strategic], not "
                           f"{json.dumps(patch_type)}")
    try:
        patch = yaml_to_json(patch_text.encode())
    except DecodeError as exc:
        raise KubectlError(f"unable to parse {json.dumps(patch_text)}: {exc}") from None
    strategy = dry_run(inv)
    printer = ObjectPrinter(inv, str(flags.get("output") or ""), operation="patched",
                            dry_run=strategy)
    factory = inv.factory
    infos, errs = select_objects(inv, inv.args, filenames=list(flags.get("filename") or []))
    if not infos and not errs:
        raise KubectlError("no objects passed to patch")
    api = factory.api
    for info in infos:
        assert info.obj is not None
        kind = info.kind
        live = info.obj
        try:
            patched = _apply(patch_type, live, patch, kind)
        except StatusError as exc:
            errs.append(exc)
            continue
        if flags.get("record"):
            meta = patched.setdefault("metadata", {})
            meta.setdefault("annotations", {})[CHANGE_CAUSE] = inv.change_cause()
        factory.request(1)
        if patched == live:
            printer.operation = printer.operation.replace("patched", "patched (no change)", 1)
            printer.print(live, kind)
            printer.operation = printer.operation.replace(" (no change)", "", 1)
            continue
        if strategy == "client":
            printer.print(patched, kind)
            continue
        try:
            result = api.patch(kind, info.namespace, info.name, lambda _obj, p=patched: p,
                               source="kubectl", dry_run=strategy == "server")
        except StatusError as exc:
            errs.append(exc)
            continue
        printer.print(result, kind)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


def _apply(patch_type: str, live: dict[str, Any], patch: Any, kind: Any) -> dict[str, Any]:
    if patch_type == "json":
        if not isinstance(patch, list):
            raise bad_request("json: cannot unmarshal object into Go value of type "
                              "jsonpatch.Patch")
        return json_patch(live, patch)
    if not isinstance(patch, dict):
        raise bad_request("json: cannot unmarshal array into Go value of type "
                          "map[string]interface {}")
    if patch_type == "merge":
        return json_merge_patch(live, patch)
    node = root_node(str(live.get("apiVersion", "")), str(live.get("kind", "")))
    if node is None:
        raise StatusError(415, "UnsupportedMediaType",
                          "the body of the request was in an unknown format - accepted media "
                          "types include: application/json-patch+json, "
                          "application/merge-patch+json, application/apply-patch+yaml")
    return apply_patch(live, patch, node)


def json_merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 (``evanphx/json-patch`` MergePatch)."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = json_merge_patch(result.get(key), value)
    return result


def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise bad_request('the server rejected our request due to an error in our request')
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _walk(doc: Any, parts: list[str], path: str) -> tuple[Any, str]:
    for part in parts[:-1]:
        if isinstance(doc, dict) and part in doc:
            doc = doc[part]
        elif isinstance(doc, list) and part.isdigit() and int(part) < len(doc):
            doc = doc[int(part)]
        else:
            raise bad_request(f"jsonpatch add operation does not apply: doc is missing path: "
                              f'"{path}": missing value')
    return doc, parts[-1] if parts else ""


def json_patch(target: dict[str, Any], ops: list[Any]) -> dict[str, Any]:
    """RFC 6902 on a copy of ``target`` (the operations of ``evanphx/json-patch``)."""
    doc: Any = copy.deepcopy(target)
    for op in ops:
        if not isinstance(op, dict):
            raise bad_request("json: cannot unmarshal into Go value of type jsonpatch.Operation")
        name = op.get("op")
        path = str(op.get("path", ""))
        parts = _pointer(path)
        if name in ("add", "replace", "test"):
            value = copy.deepcopy(op.get("value"))
            parent, last = _walk(doc, parts, path)
            if name == "test":
                current = parent.get(last) if isinstance(parent, dict) else (
                    parent[int(last)] if isinstance(parent, list) and last.isdigit()
                    and int(last) < len(parent) else None)
                if current != value:
                    raise bad_request(f'testing value {path} failed: test failed')
                continue
            if isinstance(parent, dict):
                if name == "replace" and last not in parent:
                    raise bad_request(f"jsonpatch replace operation does not apply: doc is "
                                      f'missing key: {path}: missing value')
                parent[last] = value
            elif isinstance(parent, list):
                if last == "-" and name == "add":
                    parent.append(value)
                elif last.isdigit() and int(last) <= len(parent):
                    if name == "add":
                        parent.insert(int(last), value)
                    elif int(last) < len(parent):
                        parent[int(last)] = value
                    else:
                        raise bad_request(f"replace operation does not apply: doc is missing "
                                          f"key: {path}: missing value")
                else:
                    raise bad_request(f'add operation does not apply: doc is missing path: '
                                      f'"{path}": missing value')
        elif name == "remove":
            parent, last = _walk(doc, parts, path)
            if isinstance(parent, dict) and last in parent:
                del parent[last]
            elif isinstance(parent, list) and last.isdigit() and int(last) < len(parent):
                del parent[int(last)]
            else:
                raise bad_request(f"jsonpatch remove operation does not apply: doc is missing "
                                  f'path: "{path}": missing value')
        elif name in ("move", "copy"):
            source = str(op.get("from", ""))
            src_parent, src_last = _walk(doc, _pointer(source), source)
            if isinstance(src_parent, dict) and src_last in src_parent:
                value = src_parent[src_last]
            elif isinstance(src_parent, list) and src_last.isdigit() and int(src_last) < len(
                    src_parent):
                value = src_parent[int(src_last)]
            else:
                raise bad_request(f'{name} operation does not apply: doc is missing from path: '
                                  f'"{source}": missing value')
            if name == "move":
                json_patch_remove = [{"op": "remove", "path": source}]
                doc = json_patch(doc, json_patch_remove)
            doc = json_patch(doc, [{"op": "add", "path": path, "value": value}])
        else:
            raise bad_request(f"Unexpected kind: {name}")
    return doc
