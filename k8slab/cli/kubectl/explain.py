"""``kubectl explain`` (``k8s.io/kubectl/pkg/cmd/explain``, ``pkg/explain/v2``).

kubectl 1.37 renders OpenAPI v3 with its ``plaintext.tmpl`` template; this module ports that
template over the lab's 1.37 schema (:mod:`k8slab.api.schema`):

- ``GROUP:`` (non-core only), ``KIND:``, ``VERSION:``, a blank line;
- for a field path, ``FIELD: name <type>`` (plus ``ENUM:`` values) and a blank line;
- ``DESCRIPTION:`` wrapped at 76 columns (go-wordwrap, after line breaks are removed as the
  template's ``wrap`` does) and indented by 4; ``<empty>`` when there is none;
- ``FIELDS:``: each property, sorted, as ``  name\\t<type>`` (`` -required-``, ``enum: …``
  with at most 4 values) and its description wrapped at 76 and indented by 4, then a blank
  line; ``--recursive`` prints only the names, indented by nesting level.

Types follow ``typeGuess``: ``[]Container``, ``map[string]string``, ``Object``, ``string``…
Property references are handled as the apiserver publishes them (``allOf: [$ref]`` next to
the property's own description, so both descriptions print). Errors:
``the server doesn't have a resource type "foo"``, ``field "x" does not exist``,
``We accept only this format: explain RESOURCE``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.schema import schema
from .cmd import Invocation, command
from .errors import KubectlError, NoResourceMatch

__all__ = ["explain_text", "word_wrap"]

Obj = dict[str, Any]


def word_wrap(s: str, lim: int) -> str:
    """``github.com/mitchellh/go-wordwrap`` ``WrapString`` (v1.0.1)."""
    out: list[str] = []
    current = 0
    word: list[str] = []
    space: list[str] = []
    for ch in s:
        if ch == "\n":
            if not word:
                if current + len(space) > lim:
                    current = 0
                else:
                    current += len(space)
                    out.extend(space)
                space = []
            else:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            out.append(ch)
            current = 0
        elif ch.isspace() and ch != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(ch)
        else:
            word.append(ch)
            if current + len(space) + len(word) > lim and len(word) < lim:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= lim:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def _wrap(limit: int, text: str) -> str:
    return word_wrap(text.replace("\n", ""), limit)


def _indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


def _v3(node: Obj) -> Obj:
    """A property as OpenAPI v3 publishes it: ``$ref`` beside other keys → ``allOf``."""
    if "$ref" in node and len(node) > 1:
        rest = {k: v for k, v in node.items() if k != "$ref"}
        rest["allOf"] = [{"$ref": node["$ref"]}]
        return rest
    return node


def _resolve_ref(ref: str | None) -> Obj | None:
    if not ref:
        return None
    name = ref.rsplit("/", 1)[-1]
    return schema().defs.get(name)


def _types(node: Obj) -> list[str]:
    t = node.get("type")
    if isinstance(t, list):
        return [x for x in t if x != "null"]
    return [t] if t else []


def _type_guess(node: Obj) -> str:
    node = _v3(node)
    if node.get("items") is not None:
        return "[]" + _type_guess(node["items"])
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        return "map[string]" + _type_guess(extra)
    if node.get("allOf") and not node.get("properties") and len(node["allOf"]) == 1:
        return _type_guess(node["allOf"][0])
    if node.get("$ref"):
        ref_schema = _resolve_ref(node["$ref"])
        types = _types(ref_schema or {})
        if not ref_schema or not types or types[0] == "object":
            name = node["$ref"].rsplit("/", 1)[-1]
            return name.rsplit(".", 1)[-1] or "Object"
        return types[0]
    types = _types(node)
    if types and types[0] == "object":
        return "Object"
    return types[0] if types else "Object"


def _description(node: Obj) -> str:
    node = _v3(node)
    resolved = _resolve_ref(node.get("$ref")) or node
    out = ""
    if resolved.get("description"):
        out += str(resolved["description"]) + "\n"
    for sub in resolved.get("allOf") or []:
        out += _description(sub)
    if resolved.get("items") is not None:
        out += _description(resolved["items"])
    extra = resolved.get("additionalProperties")
    if isinstance(extra, dict):
        out += _description(extra)
    return out


def _enum(node: Obj, long_view: bool, limit: int, indent: int = 0) -> str:
    values = node.get("enum")
    if not values:
        return ""
    out = ("\n" + " " * indent + "enum: ") if not long_view else "ENUM:"
    for i, value in enumerate(values):
        if limit > -1 and i >= limit:
            out += ", ...."
            break
        if i > 0 and not long_view:
            out += ", "
        elif long_view:
            out += "\n    "
        out += '""' if value == "" else str(value)
    return out


def _resolved(node: Obj) -> Obj:
    node = _v3(node)
    return _resolve_ref(node.get("$ref")) or node


def _field_list(node: Obj, level: int, recursive: bool, history: set[str]) -> str:
    node = _v3(node)
    ref = node.get("$ref") or ""
    if ref and ref in history:
        return ""
    history = history | {ref}
    resolved = _resolve_ref(ref) or node
    out = ""
    props = resolved.get("properties") or {}
    required = resolved.get("required") or []
    for name in sorted(props):
        prop = props[name]
        indent = level * 2
        line = _indent(indent, name) + f"\t<{_type_guess(prop)}>"
        if name in required:
            line += " -required-"
        line += _enum(prop, False, 4, indent) + "\n"
        out += line
        if not recursive:
            desc = prop.get("description") or "<no description>"
            out += _indent(indent + 2, _wrap(78 - indent, desc)) + "\n"
            out += "\n"
        else:
            out += _field_list(prop, level + 1, recursive, history)
    for sub in resolved.get("allOf") or []:
        out += _field_list(sub, level, recursive, history)
    if resolved.get("items") is not None:
        out += _field_list(resolved["items"], level, recursive, history)
    extra = resolved.get("additionalProperties")
    if isinstance(extra, dict):
        out += _field_list(extra, level, recursive, history)
    return out


def _output(node: Obj, path: list[str], recursive: bool, history: set[str]) -> str | None:
    node = _v3(node)
    ref = node.get("$ref") or ""
    resolved = _resolve_ref(ref) or node
    if not path:
        out = "DESCRIPTION:\n"
        out += _indent(4, _wrap(76, _description(node) or "<empty>")) + "\n"
        fields = _field_list(node, 1, recursive, set())
        if fields:
            out += "FIELDS:\n" + fields
        return out
    if ref and ref in history:
        return None
    history = history | {ref}
    props = resolved.get("properties") or {}
    if path[0] in props:
        sub = props[path[0]]
        head = ""
        if len(path) == 1:
            head = (f"FIELD: {path[0]} <{_type_guess(sub)}>\n"
                    + _enum(sub, True, -1) + "\n" + "\n")
        rest = _output(sub, path[1:], recursive, set())
        return None if rest is None else head + rest
    if resolved.get("items") is not None:
        return _output(resolved["items"], path, recursive, history)
    extra = resolved.get("additionalProperties")
    if isinstance(extra, dict):
        return _output(extra, path, recursive, history)
    for sub in resolved.get("allOf") or []:
        result = _output(sub, path, recursive, history)
        if result:
            return result
    return None


def explain_text(group: str, version: str, kind: str, path: list[str],
                 recursive: bool = False) -> str:
    api_version = f"{group}/{version}" if group else version
    definition = schema().definition(api_version, kind)
    if definition is None:
        raise KubectlError(f"GVK {group}/{version}, Kind={kind} not found in OpenAPI schema")
    head = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {kind}\n"
    head += f"VERSION:    {version}\n\n"
    body = _output({"$ref": "#/$defs/" + definition}, path, recursive, set())
    if not body:
        raise KubectlError(f'field "{path[-1]}" does not exist')
    return head + body + "\n"


@command("explain")
def run_explain(inv: Invocation) -> Generator[Any, Any, int]:
    args = inv.args
    if not args:
        raise KubectlError('You must specify the type of resource to explain. Use "kubectl '
                           'api-resources" for a complete list of supported resources.')
    if len(args) > 1:
        raise KubectlError("We accept only this format: explain RESOURCE")
    fmt = str(inv.flags.get("output") or "plaintext")
    if fmt not in ("plaintext", "plaintext-openapiv2"):
        raise KubectlError(f"unsupported output format: {fmt}")
    parts = args[0].split(".")
    resource, path = parts[0], parts[1:]
    api_version = str(inv.flags.get("api-version") or "")
    kind = None
    from ...api.kinds import KINDS, lookup

    # resource.group forms (deployments.apps.spec) are tried before field paths.
    for n in range(len(parts), 0, -1):
        candidate = lookup(".".join(parts[:n]))
        if candidate is not None and inv.factory.served(candidate):
            if n > 1 and ".".join(parts[1:n]) not in (candidate.group,
                                                      f"{candidate.version}.{candidate.group}"):
                continue
            kind, path = candidate, parts[n:]
            break
    if kind is None:
        inv.factory.mapping(resource)  # raises "the server doesn't have a resource type"
        raise NoResourceMatch(resource)
    group, version = kind.group, kind.version
    if api_version:
        g, _, v = api_version.rpartition("/")
        if g != kind.group or not any(k.kind == kind.kind and k.group == g for k in KINDS):
            raise KubectlError(f"couldn't find resource for \"{api_version}, Kind={kind.kind}\"")
        version = v
    inv.factory.request(2)
    inv.out(explain_text(group, version, kind.kind, path, bool(inv.flags.get("recursive"))))
    yield from inv.factory.settle()
    return 0
