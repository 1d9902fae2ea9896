"""Strategic merge patch, as ``kubectl apply`` computes it and the apiserver applies it.

Ports the parts of ``k8s.io/apimachinery/pkg/util/strategicpatch`` that client-side apply
uses:

- :func:`three_way_patch` — ``CreateThreeWayMergePatch(original, modified, current)``: the
  changes from *current* (live) to *modified* (the file, with its new
  ``last-applied-configuration``) without deletions, plus the deletions from *original* (the
  previous ``last-applied-configuration``) to *modified*. So fields set by the server or by
  other clients survive, and fields removed from the file are removed from the object.
- :func:`apply_patch` — ``StrategicMergePatch(current, patch)`` on the server side.

The per-field behaviour comes from the OpenAPI schema's ``x-kubernetes-patch-strategy`` and
``x-kubernetes-patch-merge-key`` (:mod:`k8slab.api.schema`): lists of objects with a merge key
(``containers`` by ``name``, ``ports`` by ``containerPort``…) are merged element by element
with ``$setElementOrder`` and ``$patch: delete``; primitive lists with the merge strategy
(``finalizers``) use ``$deleteFromPrimitiveList``; every other list is replaced whole. Kinds
without a schema (custom resources) get a JSON merge patch (RFC 7386): maps merge, lists are
replaced.

Known simplification: elements the server added to a merged list (present only in the live
object) are kept after the patched elements instead of being interleaved by
``normalizeElementOrder``.
"""

from __future__ import annotations

import copy
from typing import Any

from ...api.schema import schema

__all__ = ["apply_patch", "json_merge_three_way", "root_node", "three_way_patch"]

Obj = dict[str, Any]
_MISSING = object()


def root_node(api_version: str, kind: str) -> dict[str, Any] | None:
    """The schema node of a kind, or None for kinds without a built-in schema."""
    definition = schema().definition(api_version, kind)
    if definition is None:
        return None
    return {"$ref": "#/$defs/" + definition}


def _resolve(node: dict[str, Any] | None) -> dict[str, Any]:
    if node is None:
        return {}
    return schema().resolve(node)


def _prop(node: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The schema node of ``key`` inside a map node (``None`` = unknown/free-form)."""
    if node is None:
        return None
    target = _resolve(node)
    props = target.get("properties")
    if props is not None:
        return props.get(key)
    extra = target.get("additionalProperties")
    if isinstance(extra, dict):
        return extra
    return None


def _list_meta(node: dict[str, Any] | None) -> tuple[str, str, dict[str, Any] | None]:
    """(strategy, merge key, item node) of a list field."""
    if node is None:
        return "", "", None
    strategy = node.get("x-kubernetes-patch-strategy", "") or _resolve(node).get(
        "x-kubernetes-patch-strategy", "")
    key = node.get("x-kubernetes-patch-merge-key", "") or _resolve(node).get(
        "x-kubernetes-patch-merge-key", "")
    items = _resolve(node).get("items")
    return ("merge" if "merge" in strategy.split(",") else ""), key, items


def _strip_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_strip_nulls(v) for v in value]
    return value


# ------------------------------------------------------------------------- diff


def _diff_maps(
    original: Obj, modified: Obj, node: dict[str, Any] | None, *, deletions: bool
) -> Obj:
    """``diffMaps``: ``deletions`` = original→modified removals only; else current→modified
    changes and additions only."""
    patch: Obj = {}
    if deletions:
        for key, value in original.items():
            if key not in modified:
                patch[key] = None
                continue
            mod = modified[key]
            sub = _prop(node, key)
            if isinstance(value, dict) and isinstance(mod, dict):
                inner = _diff_maps(value, mod, sub, deletions=True)
                if inner:
                    patch[key] = inner
            elif isinstance(value, list) and isinstance(mod, list):
                _diff_list_deletions(patch, key, value, mod, sub)
        return patch
    for key, mod in modified.items():
        cur = original.get(key, _MISSING)
        sub = _prop(node, key)
        if cur is _MISSING:
            if mod is None:
                continue
            patch[key] = _strip_nulls(mod)
            if isinstance(mod, list):
                _add_order(patch, key, mod, sub)
            continue
        if mod is None:
            continue
        if isinstance(cur, dict) and isinstance(mod, dict):
            inner = _diff_maps(cur, mod, sub, deletions=False)
            if inner:
                patch[key] = inner
        elif isinstance(cur, list) and isinstance(mod, list):
            _diff_list_changes(patch, key, cur, mod, sub)
        elif cur != mod:
            patch[key] = _strip_nulls(mod)
    return patch


def _add_order(patch: Obj, key: str, mod: list[Any], node: dict[str, Any] | None) -> None:
    strategy, merge_key, _ = _list_meta(node)
    if strategy != "merge":
        return
    if merge_key:
        patch[f"$setElementOrder/{key}"] = [
            {merge_key: item.get(merge_key)} for item in mod if isinstance(item, dict)
        ]
    else:
        patch[f"$setElementOrder/{key}"] = list(mod)


def _diff_list_changes(
    patch: Obj, key: str, cur: list[Any], mod: list[Any], node: dict[str, Any] | None
) -> None:
    strategy, merge_key, items = _list_meta(node)
    if strategy != "merge":
        if cur != mod:
            patch[key] = _strip_nulls(mod)
        return
    if not merge_key:
        added = [v for v in mod if v not in cur]
        if added:
            patch[key] = added
        if added or [v for v in cur if v in mod] != [v for v in mod if v in cur]:
            patch[f"$setElementOrder/{key}"] = list(mod)
        return
    by_key = {item.get(merge_key): item for item in cur if isinstance(item, dict)}
    changed: list[Any] = []
    for item in mod:
        if not isinstance(item, dict):
            continue
        existing = by_key.get(item.get(merge_key))
        if existing is None:
            changed.append(_strip_nulls(item))
            continue
        inner = _diff_maps(existing, item, items, deletions=False)
        if inner:
            inner[merge_key] = item.get(merge_key)
            changed.append(inner)
    order_mod = [i.get(merge_key) for i in mod if isinstance(i, dict)]
    order_cur = [i.get(merge_key) for i in cur if isinstance(i, dict) and
                 i.get(merge_key) in order_mod]
    if changed:
        patch[key] = changed
    if changed or order_cur != order_mod:
        patch[f"$setElementOrder/{key}"] = [{merge_key: k} for k in order_mod]


def _diff_list_deletions(
    patch: Obj, key: str, orig: list[Any], mod: list[Any], node: dict[str, Any] | None
) -> None:
    strategy, merge_key, items = _list_meta(node)
    if strategy != "merge":
        return
    if not merge_key:
        removed = [v for v in orig if v not in mod]
        if removed:
            patch[f"$deleteFromPrimitiveList/{key}"] = removed
            patch[f"$setElementOrder/{key}"] = list(mod)
        return
    mod_by_key = {i.get(merge_key): i for i in mod if isinstance(i, dict)}
    out: list[Any] = []
    for item in orig:
        if not isinstance(item, dict):
            continue
        k = item.get(merge_key)
        if k not in mod_by_key:
            out.append({"$patch": "delete", merge_key: k})
            continue
        inner = _diff_maps(item, mod_by_key[k], items, deletions=True)
        if inner:
            inner[merge_key] = k
            out.append(inner)
    if out:
        patch[key] = out
        patch[f"$setElementOrder/{key}"] = [
            {merge_key: i.get(merge_key)} for i in mod if isinstance(i, dict)
        ]


def _merge_patches(a: Obj, b: Obj, node: dict[str, Any] | None) -> Obj:
    """``mergeMap(deletions, delta)``: combine two patches."""
    out = dict(a)
    for key, value in b.items():
        if key in out and isinstance(out[key], dict) and isinstance(value, dict):
            out[key] = _merge_patches(out[key], value, _prop(node, key))
        elif key in out and isinstance(out[key], list) and isinstance(value, list) and not (
            key.startswith("$")
        ):
            strategy, merge_key, items = _list_meta(_prop(node, key))
            if strategy == "merge" and merge_key:
                merged = [dict(x) if isinstance(x, dict) else x for x in out[key]]
                index = {x.get(merge_key): i for i, x in enumerate(merged)
                         if isinstance(x, dict)}
                for item in value:
                    k = item.get(merge_key) if isinstance(item, dict) else None
                    if k in index:
                        merged[index[k]] = _merge_patches(merged[index[k]], item, items)
                    else:
                        merged.append(item)
                out[key] = merged
            else:
                out[key] = value
        else:
            out[key] = value
    return out


def three_way_patch(
    original: Obj | None, modified: Obj, current: Obj, node: dict[str, Any] | None
) -> Obj:
    """``CreateThreeWayMergePatch``; ``node`` None means JSON merge patch semantics."""
    delta = _diff_maps(current, modified, node, deletions=False)
    deletions = _diff_maps(original or {}, modified, node, deletions=True)
    return _merge_patches(deletions, delta, node)


# ------------------------------------------------------------------------- apply


def apply_patch(current: Obj, patch: Obj, node: dict[str, Any] | None) -> Obj:
    """``StrategicMergePatch(current, patch)``; returns a new object."""
    return _apply_map(copy.deepcopy(current), patch, node)


def _apply_map(target: Obj, patch: Obj, node: dict[str, Any] | None) -> Obj:
    orders: dict[str, list[Any]] = {}
    delete_prims: dict[str, list[Any]] = {}
    for key, value in patch.items():
        if key.startswith("$setElementOrder/"):
            orders[key.split("/", 1)[1]] = value
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            delete_prims[key.split("/", 1)[1]] = value
            continue
        if key.startswith("$"):
            continue
        if value is None:
            target.pop(key, None)
            continue
        sub = _prop(node, key)
        cur = target.get(key)
        if isinstance(value, dict) and isinstance(cur, dict):
            target[key] = _apply_map(cur, value, sub)
        elif isinstance(value, list):
            target[key] = _apply_list(cur if isinstance(cur, list) else [], value, sub)
        elif isinstance(value, dict):
            target[key] = _apply_map({}, value, sub)
        else:
            target[key] = value
    for key, removed in delete_prims.items():
        if isinstance(target.get(key), list):
            target[key] = [v for v in target[key] if v not in removed]
    for key, order in orders.items():
        if isinstance(target.get(key), list):
            target[key] = _reorder(target[key], order, _list_meta(_prop(node, key))[1])
    return target


def _apply_list(cur: list[Any], patch: list[Any], node: dict[str, Any] | None) -> list[Any]:
    strategy, merge_key, items = _list_meta(node)
    if strategy != "merge":
        return _strip_nulls(patch)
    if not merge_key:
        out = list(cur)
        for v in patch:
            if v not in out:
                out.append(v)
        return out
    out = [x for x in cur]
    for item in patch:
        if not isinstance(item, dict):
            continue
        k = item.get(merge_key)
        idx = next((i for i, x in enumerate(out) if isinstance(x, dict)
                    and x.get(merge_key) == k), None)
        if item.get("$patch") == "delete":
            if idx is not None:
                out.pop(idx)
            continue
        if idx is None:
            out.append(_apply_map({}, item, items))
        else:
            out[idx] = _apply_map(out[idx], item, items)
    return out


def _reorder(values: list[Any], order: list[Any], merge_key: str) -> list[Any]:
    def ident(v: Any) -> Any:
        return v.get(merge_key) if merge_key and isinstance(v, dict) else v

    wanted = [o.get(merge_key) if merge_key and isinstance(o, dict) else o for o in order]
    first = [v for w in wanted for v in values if ident(v) == w]
    seen_ids = {repr(ident(v)) for v in first}
    rest = [v for v in values if repr(ident(v)) not in seen_ids]
    return first + rest


def json_merge_three_way(original: Obj | None, modified: Obj, current: Obj) -> Obj:
    """``jsonmergepatch.CreateThreeWayJSONMergePatch`` (custom resources)."""
    return three_way_patch(original, modified, current, None)
