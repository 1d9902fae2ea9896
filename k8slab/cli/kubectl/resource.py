"""kubectl's resource builder: the objects a command line names (cli-runtime ``pkg/resource``).

Two ways to name objects, as in ``builder.go``:

- files (``-f``): a file, a directory (its ``.json``/``.yaml``/``.yml`` files in lexical order,
  subdirectories only with ``-R``), ``-`` for stdin (source ``STDIN``), a glob, or an
  ``http(s)://`` URL. Each file is a stream of documents (:mod:`.codec`); every document is
  checked for ``apiVersion``/``kind`` (``validation.getObjectKind``), mapped to a kind through
  discovery and given its namespace. A syntax or validation error stops that file (documents
  before it are kept); a mapping error skips only its document (``ContinueOnError``);
- arguments: ``TYPE``, ``TYPE NAME…``, ``TYPE1,TYPE2 NAME`` (every type with every name),
  ``TYPE/NAME…``, ``all`` (the ``all`` category), with ``-l``, ``--field-selector``, ``--all``
  and ``-A``.

Files are read through the workstation's filesystem (``ctx.fs``), never the real disk.
Known URLs (the talk's metrics-server manifest) can be provided by other parts of the lab
through :data:`URLS`.
"""

from __future__ import annotations

import fnmatch
import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...api import errors as api_errors
from ...api.kinds import Kind, all_category, by_gvk, lookup
from ...api.selectors import Selector, SelectorError, parse, parse_field_selector
from ...sim.fs import FSError, normpath
from .codec import DecodeError, decode_stream, go_json
from .errors import KubectlError, NoResourceMatch
from .flags import go_quote

if TYPE_CHECKING:
    from .cmd import Invocation

__all__ = [
    "URLS",
    "Info",
    "ResourceArgs",
    "fetch",
    "parse_resource_args",
    "read_files",
    "selector_from",
    "validation_mode",
]

Obj = dict[str, Any]

#: Manifests reachable by URL in the offline lab: url → bytes (or a callable returning them).
URLS: dict[str, bytes | Callable[[], bytes]] = {}

FILE_EXTENSIONS = (".json", ".yaml", ".yml")
STOP_VALIDATE = ("if you choose to ignore these errors, turn validation off with "
                 "--validate=false")


@dataclass
class Info:
    """One object a command acts on (``resource.Info``)."""

    kind: Kind
    namespace: str
    name: str
    source: str = ""
    obj: Obj | None = None

    @property
    def ref(self) -> str:
        """``deployment.apps/x`` as the name printer writes it."""
        return f"{self.kind.qualified_kind}/{self.name}"


# ------------------------------------------------------------------------- files


def validation_mode(inv: Invocation) -> str:
    """``--validate``: strict (true), warn or ignore (false)."""
    value = inv.flags.get("validate", "strict")
    if isinstance(value, bool):
        return "strict" if value else "ignore"
    text = str(value).lower()
    if text in ("strict", "true"):
        return "strict"
    if text in ("ignore", "false"):
        return "ignore"
    if text == "warn":
        return "warn"
    raise KubectlError(
        f'invalid - validate option "{value}"; must be one of: strict (or true), warn, '
        "ignore (or false)"
    )


def _expand(inv: Invocation, path: str) -> list[str]:
    """``expandIfFilePattern``: the path itself, or the files a glob matches."""
    fs = inv.ctx.fs
    full = normpath(path, inv.ctx.cwd)
    if fs.exists(full):
        return [path]
    if any(c in path for c in "*?["):
        directory, pattern = posixpath.split(path)
        base = normpath(directory or ".", inv.ctx.cwd)
        try:
            names = fs.listdir(base)
        except FSError:
            names = []
        matches = [posixpath.join(directory, n) if directory else n
                   for n in names if fnmatch.fnmatchcase(n, pattern)]
        if matches:
            return sorted(matches)
    raise KubectlError(f"the path {go_quote(path)} does not exist")


def _walk(inv: Invocation, path: str, recursive: bool) -> list[str]:
    """``ExpandPathsToFileVisitors``: a file, or a directory's manifests in lexical order."""
    fs = inv.ctx.fs
    full = normpath(path, inv.ctx.cwd)
    if not fs.is_dir(full):
        return [path]
    out: list[str] = []

    def visit(rel: str, absolute: str) -> None:
        for name in fs.listdir(absolute):
            child_rel = posixpath.normpath(posixpath.join(rel, name))
            child_abs = posixpath.join(absolute, name)
            if fs.is_dir(child_abs):
                if recursive:
                    visit(child_rel, child_abs)
                continue
            if posixpath.splitext(name)[1] in FILE_EXTENSIONS:
                out.append(child_rel)

    visit(path, full)
    return out


def _sources(inv: Invocation, paths: list[str], recursive: bool) -> list[tuple[str, str]]:
    """(kind, name) of every stream to read: ("stdin"|"url"|"file", source)."""
    out: list[tuple[str, str]] = []
    errs: list[BaseException] = []
    for p in paths:
        if p == "-":
            out.append(("stdin", "STDIN"))
        elif p.startswith("http://") or p.startswith("https://"):
            out.append(("url", p))
        else:
            try:
                for match in _expand(inv, p):
                    for f in _walk(inv, match, recursive):
                        out.append(("file", f))
            except KubectlError as exc:
                errs.append(exc)
    if errs:
        from .errors import Aggregate

        raise Aggregate(errs) if len(errs) > 1 else errs[0]
    return out


def _read(inv: Invocation, kind: str, source: str) -> bytes:
    if kind == "stdin":
        data = inv.ctx.stdin
        return data.encode("utf-8") if isinstance(data, str) else bytes(data)
    if kind == "url":
        content = URLS.get(source)
        if content is None:
            raise KubectlError(
                f"unable to read URL {go_quote(source)}, server reported 404 Not Found, "
                "status code=404"
            )
        return content() if callable(content) else content
    full = normpath(source, inv.ctx.cwd)
    try:
        return inv.ctx.fs.read(full)
    except FSError as exc:
        raise KubectlError(f"open {source}: {exc.strerror_text.lower()}") from None


def _object_kind_errors(value: Any) -> list[str]:
    """kubectl validation ``getObjectKind``."""
    if not isinstance(value, dict):
        return ["invalid object to validate"]
    errs: list[str] = []
    api_version = value.get("apiVersion")
    if api_version is None:
        errs.append("apiVersion not set")
    elif not isinstance(api_version, str):
        errs.append("apiVersion isn't string type")
    elif api_version.count("/") > 1:
        errs.append(f"unexpected GroupVersion string: {api_version}")
    kind = value.get("kind")
    if kind is None:
        errs.append("kind not set")
    elif not isinstance(kind, str):
        errs.append("kind isn't string type")
    return errs


def _aggregate_text(errs: list[str]) -> str:
    return errs[0] if len(errs) == 1 else "[" + ", ".join(errs) + "]"


def _map_object(value: Any, source: str) -> Kind:
    """``mapper.infoForData``: decode the type meta and find the kind."""
    if not isinstance(value, dict):
        go_type = {list: "array", str: "string", bool: "bool", int: "number",
                   float: "number"}.get(type(value), "value")
        raise KubectlError(
            f"unable to decode {go_quote(source)}: json: cannot unmarshal {go_type} into Go "
            "value of type unstructured.detector"
        )
    api_version = value.get("apiVersion")
    if api_version is not None and not isinstance(api_version, str):
        go_type = "number" if isinstance(api_version, (int, float)) else (
            "array" if isinstance(api_version, list) else
            "object" if isinstance(api_version, dict) else "bool")
        raise KubectlError(
            f"unable to decode {go_quote(source)}: json: cannot unmarshal {go_type} into Go "
            "struct field metadataOnlyObject.TypeMeta.apiVersion of type string"
        )
    kind_name = value.get("kind")
    if not isinstance(kind_name, str) or not kind_name:
        raise KubectlError(
            f"unable to decode {go_quote(source)}: Object 'Kind' is missing in "
            f"'{go_json(value)}'"
        )
    _check_meta_types(value, source)
    meta = value.get("metadata") if isinstance(value.get("metadata"), dict) else {}
    api_version = api_version or ""
    kind = by_gvk(api_version, kind_name)
    if kind is None and not api_version:
        # No version: the RESTMapper picks the core group's preferred version.
        kind = lookup(kind_name)
        if kind is not None and (kind.kind != kind_name or kind.group):
            kind = None
    if kind is None:
        name = meta.get("name") if isinstance(meta.get("name"), str) else ""
        namespace = meta.get("namespace") if isinstance(meta.get("namespace"), str) else ""
        where = (f"in version {go_quote(api_version)}" if api_version
                 else 'in group ""')
        raise KubectlError(
            f"resource mapping not found for name: {go_quote(name)} namespace: "
            f"{go_quote(namespace)} from {go_quote(source)}: no matches for kind "
            f"{go_quote(kind_name)} {where}\n"
            "ensure CRDs are installed first"
        )
    return kind


def _go_json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _check_meta_types(value: Obj, source: str) -> None:
    """The unstructured decoder reads ObjectMeta typed: ``name: n`` (a YAML boolean!) fails."""
    meta = value.get("metadata")
    if meta is None:
        return
    if not isinstance(meta, dict):
        raise KubectlError(
            f"unable to decode {go_quote(source)}: json: cannot unmarshal "
            f"{_go_json_type(meta)} into Go struct field Object.metadata of type "
            "v1.ObjectMeta")
    for key in ("name", "namespace", "generateName", "resourceVersion", "uid"):
        item = meta.get(key)
        if item is not None and not isinstance(item, str):
            raise KubectlError(
                f"unable to decode {go_quote(source)}: json: cannot unmarshal "
                f"{_go_json_type(item)} into Go struct field ObjectMeta.metadata.{key} of type "
                "string")
    for key in ("labels", "annotations"):
        item = meta.get(key)
        if item is None:
            continue
        if not isinstance(item, dict):
            raise KubectlError(
                f"unable to decode {go_quote(source)}: json: cannot unmarshal "
                f"{_go_json_type(item)} into Go struct field ObjectMeta.metadata.{key} of type "
                "map[string]string")
        for sub in item.values():
            if sub is not None and not isinstance(sub, str):
                raise KubectlError(
                    f"unable to decode {go_quote(source)}: json: cannot unmarshal "
                    f"{_go_json_type(sub)} into Go struct field ObjectMeta.metadata.{key} of "
                    "type string")


def read_files(
    inv: Invocation,
    paths: list[str],
    *,
    recursive: bool = False,
    validate: str = "strict",
    namespace: str = "default",
    enforce_namespace: bool = False,
    served: Callable[[Kind], bool] | None = None,
) -> tuple[list[Info], list[BaseException]]:
    """Every object the ``-f`` arguments name, and the errors met on the way.

    Path errors (``the path "x" does not exist``) are raised at once, before anything is read;
    the rest are returned so the caller can act on the good objects first.
    """
    infos: list[Info] = []
    errs: list[BaseException] = []
    for kind, source in _sources(inv, paths, recursive):
        try:
            data = _read(inv, kind, source)
        except KubectlError as exc:
            errs.append(exc)
            continue
        try:
            values = decode_stream(data)
            failure: DecodeError | None = None
        except DecodeError as exc:
            values = getattr(exc, "partial", [])
            failure = exc
        for value in values:
            if validate != "ignore":
                problems = _object_kind_errors(value)
                if problems:
                    errs.append(KubectlError(
                        f"error validating {go_quote(source)}: error validating data: "
                        f"{_aggregate_text(problems)}; {STOP_VALIDATE}"
                    ))
                    failure = None
                    break
            try:
                mapped = _map_object(value, source)
                if served is not None and not served(mapped):
                    raise KubectlError(
                        f"resource mapping not found for name: "
                        f"{go_quote(str(_meta(value).get('name') or ''))} namespace: "
                        f"{go_quote(str(_meta(value).get('namespace') or ''))} from "
                        f"{go_quote(source)}: no matches for kind {go_quote(mapped.kind)} in "
                        f"version {go_quote(mapped.api_version)}\n"
                        "ensure CRDs are installed first"
                    )
            except KubectlError as exc:
                # infoForData errors skip only their document (ContinueOnError).
                errs.append(exc)
                continue
            meta = _meta(value)
            name = str(meta.get("name") or "")
            obj_ns = str(meta.get("namespace") or "")
            if mapped.namespaced:
                if enforce_namespace and obj_ns and obj_ns != namespace:
                    errs.append(KubectlError(
                        f"the namespace from the provided object {go_quote(obj_ns)} does not "
                        f"match the namespace {go_quote(namespace)}. You must pass "
                        f"'--namespace={obj_ns}' to perform this operation."
                    ))
                    continue
                ns = obj_ns or namespace
                if not obj_ns:
                    # UpdateObjectNamespace: the default namespace is written into the object.
                    value = {**value, "metadata": {**meta, "namespace": ns}}
            else:
                ns = ""
            infos.append(Info(mapped, ns, name, source, value))
        if failure is not None:
            errs.append(KubectlError(f"error parsing {source}: {failure.message}"))
    return infos, errs


def _meta(value: Obj) -> Obj:
    meta = value.get("metadata")
    return meta if isinstance(meta, dict) else {}


# ------------------------------------------------------------------------- arguments


@dataclass
class ResourceArgs:
    """What ``ResourceTypeOrNameArgs`` made of the positional arguments."""

    #: (kind, name) pairs from TYPE/NAME or TYPE NAME…
    pairs: list[tuple[Kind, str]] = field(default_factory=list)
    #: kinds to list (TYPE without names)
    kinds: list[Kind] = field(default_factory=list)
    #: arguments were given in TYPE/NAME form (or TYPE NAME for a single type)
    named: bool = False
    #: the single object was implied (one TYPE NAME, one TYPE/NAME)
    single: bool = False


def _split_types(text: str) -> list[str]:
    """``SplitResourceArgument``: ``deploy,rs`` → [deploy, rs] (empty parts dropped)."""
    out: list[str] = []
    for part in text.split(","):
        if part and part not in out:
            out.append(part)
    return out


def _expand_types(inv: Invocation, names: list[str]) -> list[Kind]:
    kinds: list[Kind] = []
    factory = inv.factory
    for name in names:
        if name.lower() == "all":
            for k in all_category():
                if factory.served(k) and k not in kinds:
                    kinds.append(k)
            continue
        kind = factory.mapping(name)
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def parse_resource_args(inv: Invocation, args: list[str]) -> ResourceArgs:
    """Resolve ``TYPE``, ``TYPE NAME…``, ``T1,T2 NAME`` and ``TYPE/NAME…``."""
    result = ResourceArgs()
    if len(args) >= 2:
        types = _split_types(args[0])
        if len(types) > 1:
            args = [f"{t}/{n}" for t in types for n in args[1:]]
    slashes = sum(1 for a in args if "/" in a)
    if slashes and slashes != len(args):
        raise KubectlError(
            "there is no need to specify a resource type as a separate argument when passing "
            "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
            "instead of 'kubectl get resource resource/<resource_name>'"
        )
    if slashes:
        result.named = True
        for a in args:
            seg = a.split("/")
            if len(seg) != 2:
                raise KubectlError(
                    "arguments in resource/name form may not have more than one slash"
                )
            rtype, name = seg
            if not rtype or not name or len(_split_types(rtype)) != 1:
                raise KubectlError(
                    "arguments in resource/name form must have a single resource and name"
                )
            kind = inv.factory.mapping(rtype)
            result.pairs.append((kind, name))
        result.single = len(args) == 1
        return result
    if not args:
        return result
    kinds = _expand_types(inv, _split_types(args[0]))
    if len(args) >= 2:
        result.named = True
        for kind in kinds:
            for name in args[1:]:
                result.pairs.append((kind, name))
        result.single = len(args) == 2 and len(kinds) == 1
    else:
        result.kinds = kinds
    return result


def selector_from(text: str) -> Selector | None:
    """``-l``: None when not given; kubectl reports a bad selector from the server side."""
    if not text:
        return None
    try:
        return parse(text)
    except SelectorError as exc:
        raise api_errors.bad_request(str(exc)) from None


def field_selector_from(text: str) -> list[tuple[str, str, str]] | None:
    if not text:
        return None
    try:
        return parse_field_selector(text)
    except SelectorError as exc:
        raise api_errors.bad_request(str(exc)) from None


def fetch(
    inv: Invocation,
    parsed: ResourceArgs,
    *,
    namespace: str,
    all_namespaces: bool = False,
    selector: Selector | None = None,
    fields: list[tuple[str, str, str]] | None = None,
) -> tuple[list[Info], list[BaseException]]:
    """GET the named objects and LIST the listed kinds; NotFound errors are collected."""
    api = inv.factory.api
    infos: list[Info] = []
    errs: list[BaseException] = []
    for kind, name in parsed.pairs:
        inv.factory.request()
        ns = namespace if kind.namespaced else ""
        obj = api.try_get(kind, ns, name)
        if obj is None:
            errs.append(api_errors.not_found(kind.resource, name))
            continue
        infos.append(Info(kind, ns, name, obj=obj))
    for kind in parsed.kinds:
        inv.factory.request()
        ns_arg = None if (all_namespaces or not kind.namespaced) else namespace
        for obj in api.list(kind, ns_arg, selector, fields):
            meta = obj.get("metadata") or {}
            infos.append(Info(kind, meta.get("namespace", ""), meta.get("name", ""), obj=obj))
    return infos, errs


def no_match(resource: str) -> NoResourceMatch:
    return NoResourceMatch(resource)


MISSING_RESOURCE = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)


def select_objects(
    inv: Invocation,
    args: list[str],
    *,
    select_all: bool = False,
    label_selector: str = "",
    field_selector: str = "",
    filenames: list[str] | None = None,
    all_namespaces: bool = False,
) -> tuple[list[Info], list[BaseException]]:
    """The builder's usual chain for commands acting on live objects (label, scale, rollout…):
    files, ``TYPE NAME…``/``TYPE/NAME`` or ``TYPE`` with ``-l``/``--all``, then GET/LIST."""
    factory = inv.factory
    namespace, explicit = factory.namespace()
    if filenames:
        infos, errs = read_files(inv, filenames, recursive=bool(inv.flags.get("recursive")),
                                 validate="ignore", namespace=namespace,
                                 enforce_namespace=explicit, served=factory.served)
        live: list[Info] = []
        for info in infos:
            factory.request()
            obj = factory.api.try_get(info.kind, info.namespace, info.name)
            if obj is None:
                errs.append(api_errors.not_found(info.kind.resource, info.name))
                continue
            live.append(Info(info.kind, info.namespace, info.name, info.source, obj))
        return live, errs
    if not args:
        raise KubectlError(MISSING_RESOURCE)
    parsed = parse_resource_args(inv, args)
    selector = selector_from(label_selector)
    fields = field_selector_from(field_selector)
    if select_all and selector is None:
        selector = Selector()
    if parsed.named:
        if selector is not None or fields is not None:
            if parsed.pairs and any("/" in a for a in args):
                raise KubectlError("selectors and the all flag cannot be used when passing "
                                   "resource/name arguments")
            raise KubectlError("name cannot be provided when a selector is specified")
        if all_namespaces:
            raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    elif selector is None and fields is None:
        raise KubectlError("resource(s) were provided, but no name was specified")
    return fetch(inv, parsed, namespace=namespace, all_namespaces=all_namespaces,
                 selector=selector, fields=fields)
