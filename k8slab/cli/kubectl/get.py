"""``kubectl get`` (``k8s.io/kubectl/pkg/cmd/get/get.go``).

- Tables: the apiserver formats the cells (:mod:`k8slab.api.printers`, server-side printing);
  kubectl lays them out (:mod:`.printers.table`). Objects of one kind share one table; a blank
  line separates kinds; the NAME column shows ``kind/name`` when several kinds are printed;
  ``-A`` adds NAMESPACE; ``-o wide``, ``--show-labels``, ``-L``, ``--no-headers``,
  ``--sort-by`` as in ``get.go``. Nothing printed and no error →
  ``No resources found in <ns> namespace.`` (or ``No resources found``) on stderr.
- ``-o yaml|json|name|jsonpath=…|custom-columns=…``: one object when a single object was named
  (``TYPE NAME``, ``TYPE/NAME``), otherwise a ``List`` (``printGeneric``).
- Errors per name (``Error from server (NotFound): pods "x" not found``) come after what was
  found, on stderr, exit 1.
- ``-w``/``--watch``, ``--watch-only``: the table (or the format) and then one row per watch
  event, until the workstation's deadline — then it stops like Ctrl-C (exit status 1, as
  kubectl's interrupt handler exits).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.kinds import Kind
from ...sim.process import WaitFor
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError, usage_error
from .output import GET_FORMATS, ObjectPrinter, list_object, split_format
from .resource import (
    Info,
    ResourceArgs,
    fetch,
    field_selector_from,
    parse_resource_args,
    read_files,
    selector_from,
)

__all__ = ["run_get", "table_text"]


def table_text(
    inv: Invocation,
    groups: list[tuple[Kind, list[dict[str, Any]]]],
    *,
    wide: bool = False,
    show_kind: bool = False,
    namespace_column: bool = False,
    no_headers: bool | None = None,
) -> str:
    """Lay out server-side tables for consecutive groups of objects of one kind."""
    from ...api import printers as server
    from .printers import table as client

    now = inv.factory.now
    tables = []
    for kind, objs in groups:
        tables.append((kind, server.table(kind, objs, now), objs))
    return str(client.render(
        tables,
        wide=wide,
        show_kind=show_kind,
        namespace_column=namespace_column,
        show_labels=bool(inv.flags.get("show-labels", False)),
        label_columns=list(inv.flags.get("label-columns") or []),
        no_headers=bool(inv.flags.get("no-headers", False)) if no_headers is None else no_headers,
    ))


def _group(infos: list[Info]) -> list[tuple[Kind, list[dict[str, Any]]]]:
    groups: list[tuple[Kind, list[dict[str, Any]]]] = []
    for info in infos:
        assert info.obj is not None
        if groups and groups[-1][0] == info.kind:
            groups[-1][1].append(info.obj)
        else:
            groups.append((info.kind, [info.obj]))
    return groups


def _sort(inv: Invocation, infos: list[Info], expr: str) -> list[Info]:
    """``RuntimeSorter``: order by a JSONPath field (numbers numerically)."""
    from .printers import PrinterError
    from .printers.custom_columns import relaxed_jsonpath
    from .printers.jsonpath import JSONPathPrinter

    try:
        path = relaxed_jsonpath(expr)
    except PrinterError as exc:
        raise KubectlError(str(exc)) from None
    printer = JSONPathPrinter(path, allow_missing_keys=True, as_json=True)
    import json

    keyed: list[tuple[Any, int, Info]] = []
    found_any = False
    for i, info in enumerate(infos):
        values = json.loads(printer.print(info.obj))
        flat = values[0] if values and isinstance(values[0], list) else values
        value = flat[0] if flat else None
        if value is not None:
            found_any = True
        keyed.append((value, i, info))
    if infos and not found_any:
        raise KubectlError(f"couldn't find any field with path {json.dumps(path)} in the list "
                           "of objects")

    def key(item: tuple[Any, int, Info]) -> tuple[int, Any, int]:
        value, i, _ = item
        if value is None:
            return (0, 0, i)
        if isinstance(value, bool):
            return (1, int(value), i)
        if isinstance(value, (int, float)):
            return (2, value, i)
        return (3, str(value), i)

    return [info for _, _, info in sorted(keyed, key=key)]


def _no_resources(inv: Invocation, namespace: str, all_namespaced: bool) -> None:
    if all_namespaced:
        inv.err(f"No resources found in {namespace} namespace.\n")
    else:
        inv.err("No resources found\n")


@command("get")
def run_get(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    args = inv.args
    filenames = list(flags.get("filename") or [])
    output = str(flags.get("output") or "")
    fmt, _ = split_format(output)
    if not args and not filenames:
        inv.err("You must specify the type of resource to get. Use \"kubectl api-resources\" "
                "for a complete list of supported resources.\n\n")
        raise usage_error(
            inv.cmd.path,
            "Required resource not specified.\nUse \"kubectl explain <resource>\" for a "
            "detailed description of that resource (e.g. kubectl explain pods).",
        )
    if flags.get("show-labels") and fmt not in ("", "wide"):
        raise KubectlError(f"--show-labels option cannot be used with {output} printer")
    watching = bool(flags.get("watch") or flags.get("watch-only"))
    if flags.get("output-watch-events") and not watching:
        raise KubectlError("--output-watch-events option can only be used with --watch or "
                           "--watch-only")
    generic = fmt not in ("", "wide", "custom-columns", "custom-columns-file")
    printer = ObjectPrinter(inv, output, allowed=GET_FORMATS) if fmt not in ("", "wide") else None
    custom = None
    if fmt in ("custom-columns", "custom-columns-file"):
        custom = _custom_columns(inv, output)

    factory = inv.factory
    namespace, explicit = factory.namespace()
    all_ns = bool(flags.get("all-namespaces"))
    selector = selector_from(str(flags.get("selector") or ""))
    fields = field_selector_from(str(flags.get("field-selector") or ""))
    errs: list[BaseException] = []
    single = False
    if filenames:
        file_infos, errs = read_files(
            inv, filenames, recursive=bool(flags.get("recursive")),
            validate="ignore", namespace=namespace, enforce_namespace=explicit,
            served=factory.served)
        infos: list[Info] = []
        for info in file_infos:
            factory.request()
            obj = factory.api.try_get(info.kind, info.namespace, info.name)
            if obj is None:
                from ...api import errors as api_errors

                errs.append(api_errors.not_found(info.kind.resource, info.name))
                continue
            infos.append(Info(info.kind, info.namespace, info.name, info.source, obj))
        single = len(file_infos) == 1 and len(filenames) == 1
    else:
        parsed = parse_resource_args(inv, args)
        _check_builder(parsed, selector is not None or fields is not None, all_ns)
        if not parsed.named:
            # ResourceTypeOrNameArgs(allowEmptySelector=true): a bare type lists everything.
            pass
        single = parsed.single
        if watching:
            return (yield from _watch(inv, parsed, namespace, all_ns, selector, fields, fmt,
                                      printer, custom))
        infos, errs = fetch(inv, parsed, namespace=namespace, all_namespaces=all_ns,
                            selector=selector, fields=fields)
    if flags.get("ignore-not-found"):
        from ...api.errors import StatusError

        errs = [e for e in errs if not (isinstance(e, StatusError) and e.reason == "NotFound")]
    sort_by = str(flags.get("sort-by") or "")
    if sort_by and infos:
        infos = _sort(inv, infos, sort_by)

    if generic:
        assert printer is not None
        if single and errs:
            raise errs[0]
        if single and len(infos) == 1:
            obj = infos[0].obj
            printer.print(obj, infos[0].kind) if not printer.is_name else inv.out(
                _name(infos[0]))
        elif printer.is_name:
            inv.out("".join(_name(i) for i in infos))
        else:
            printer.print(list_object([i.obj for i in infos]))
        yield from factory.settle()
        if errs:
            raise Aggregate(errs)
        return 0

    if custom is not None:
        if infos:
            inv.out(custom.print([i.obj for i in infos]))
    else:
        kinds = []
        for info in infos:
            if info.kind not in kinds:
                kinds.append(info.kind)
        # get.go: --show-kind, resource.MultipleTypesRequested(args) (`all`, `node,pod`,
        # `deploy/x rs/y`) or objects of several kinds found (multipleGVKsRequested).
        show_kind = (len(kinds) > 1 or bool(flags.get("show-kind"))
                     or _multiple_types_requested(args))
        if infos:
            inv.out(table_text(inv, _group(infos), wide=fmt == "wide", show_kind=show_kind,
                               namespace_column=all_ns and any(k.namespaced for k in kinds)))
    if not infos and not errs and not flags.get("ignore-not-found"):
        all_namespaced = not all_ns and _all_namespaced(inv, args, filenames)
        _no_resources(inv, namespace, all_namespaced)
    yield from factory.settle()
    if errs:
        raise Aggregate(errs)
    return 0


def _name(info: Info) -> str:
    from .printers.name import name_line

    assert info.obj is not None
    return str(name_line(info.obj))


def _all_namespaced(inv: Invocation, args: list[str], filenames: list[str]) -> bool:
    if filenames:
        return True
    try:
        parsed = parse_resource_args(inv, args)
    except Exception:
        return True
    kinds = [k for k, _ in parsed.pairs] + parsed.kinds
    return all(k.namespaced for k in kinds)


def _check_builder(parsed: ResourceArgs, has_selector: bool, all_ns: bool) -> None:
    if has_selector and parsed.named:
        raise KubectlError("name cannot be provided when a selector is specified")
    if parsed.named and all_ns and any(k.namespaced for k, _ in parsed.pairs):
        raise KubectlError("a resource cannot be retrieved by name across all namespaces")


def _custom_columns(inv: Invocation, output: str) -> Any:
    from .printers import PrinterError
    from .printers.custom_columns import CustomColumnsPrinter

    fmt, spec = split_format(output)
    try:
        if fmt == "custom-columns-file":
            from ...sim.fs import FSError, normpath

            try:
                text = inv.ctx.fs.read(normpath(spec, inv.ctx.cwd)).decode("utf-8")
            except FSError:
                raise KubectlError(f"error reading template {spec}, open {spec}: no such file "
                                   "or directory") from None
            return CustomColumnsPrinter.from_template(text)
        return CustomColumnsPrinter.from_spec(
            spec, no_headers=bool(inv.flags.get("no-headers", False)))
    except PrinterError as exc:
        raise KubectlError(str(exc)) from None


# ------------------------------------------------------------------------- watch


def _watch(
    inv: Invocation,
    parsed: ResourceArgs,
    namespace: str,
    all_ns: bool,
    selector: Any,
    fields: Any,
    fmt: str,
    printer: ObjectPrinter | None,
    custom: Any,
) -> Generator[Any, Any, int]:
    kinds = list(dict.fromkeys([k for k, _ in parsed.pairs] + parsed.kinds))
    if len(kinds) != 1 or (parsed.named and len(parsed.pairs) != 1):
        count = len(kinds) if len(kinds) != 1 else len(parsed.pairs)
        raise KubectlError(f"watch is only supported on individual resources and resource "
                           f"collections, but {count} resources were found")
    kind = kinds[0]
    factory = inv.factory
    api = factory.api
    watch_only = bool(inv.flags.get("watch-only"))
    name = parsed.pairs[0][1] if parsed.named else None
    ns = None if (all_ns or not kind.namespaced) else namespace

    def matches(obj: dict[str, Any]) -> bool:
        meta = obj.get("metadata") or {}
        if name is not None and meta.get("name") != name:
            return False
        if ns is not None and meta.get("namespace", "") != ns:
            return False
        if selector is not None and not selector.matches(meta.get("labels")):
            return False
        if fields:
            from ...api.selectors import matches_field_selector

            if not matches_field_selector(obj, fields):
                return False
        return True

    factory.request()
    if name is not None:
        obj = api.try_get(kind, namespace if kind.namespaced else "", name)
        if obj is None:
            from ...api import errors as api_errors

            raise api_errors.not_found(kind.resource, name)
        initial = [obj]
    else:
        initial = api.list(kind, ns, selector, fields)

    events: list[tuple[str, dict[str, Any]]] = []

    def on_event(event: str, obj: dict[str, Any], old: dict[str, Any] | None) -> None:
        if matches(obj) or (old is not None and matches(old)):
            events.append((event, obj))

    handle = api.watch(kind, on_event, latency=0, name="kubectl-get-watch")
    streamer = _RowStreamer(inv, kind, fmt, printer, custom, all_ns)
    try:
        if not watch_only:
            streamer.emit(initial)
        elif fmt in ("", "wide"):
            streamer.header()
        deadline = factory.deadline()
        yield from factory.settle()
        while True:
            remaining = deadline - factory.now
            if remaining <= 0:
                break
            got = yield WaitFor(lambda: bool(events), remaining)
            if not got and not events:
                break
            batch, events[:] = list(events), []
            streamer.emit([obj for _, obj in batch])
    finally:
        handle.stop()
    return 1


class _RowStreamer:
    """Prints watch output incrementally, keeping the table's column widths."""

    def __init__(self, inv: Invocation, kind: Kind, fmt: str, printer: ObjectPrinter | None,
                 custom: Any, all_ns: bool) -> None:
        self.inv = inv
        self.kind = kind
        self.fmt = fmt
        self.printer = printer
        self.custom = custom
        self.all_ns = all_ns and kind.namespaced
        self.headers_done = False
        from .printers.tabwriter import table_writer

        self.writer = table_writer()
        self.written = 0

    def _flush(self) -> None:
        self.writer.flush()
        text = self.writer.getvalue()
        self.inv.out(text[self.written:])
        self.written = len(text)

    def header(self) -> None:
        if self.fmt in ("", "wide") and not self.headers_done:
            lines = self._lines([], headers=True)
            self.writer.write(lines)
            self._flush()
            self.headers_done = True

    def _lines(self, objs: list[dict[str, Any]], headers: bool) -> str:
        from ...api import printers as server

        table = server.table(self.kind, objs, self.inv.factory.now)
        return raw_rows(
            self.kind, table, objs,
            wide=self.fmt == "wide",
            show_kind=bool(self.inv.flags.get("show-kind")),
            namespace_column=self.all_ns,
            show_labels=bool(self.inv.flags.get("show-labels")),
            label_columns=list(self.inv.flags.get("label-columns") or []),
            headers=headers and not self.inv.flags.get("no-headers"),
        )

    def emit(self, objs: list[dict[str, Any]]) -> None:
        if self.fmt in ("", "wide"):
            text = self._lines(objs, headers=not self.headers_done)
            self.headers_done = True
            self.writer.write(text)
            self._flush()
            return
        if self.custom is not None:
            for obj in objs:
                text = self.custom.print([obj])
                if self.headers_done and not self.custom.no_headers:
                    text = text.split("\n", 1)[1] if "\n" in text else ""
                self.headers_done = True
                self.inv.out(text)
            return
        assert self.printer is not None
        for obj in objs:
            if self.printer.is_name:
                from .printers.name import name_line

                self.inv.out(name_line(obj))
            else:
                self.printer.print(obj, self.kind)


def raw_rows(
    kind: Kind,
    table: Any,
    objs: list[dict[str, Any]],
    *,
    wide: bool,
    show_kind: bool,
    namespace_column: bool,
    show_labels: bool,
    label_columns: list[str],
    headers: bool,
) -> str:
    """Tab-separated header and rows, for a tabwriter that keeps widths across flushes
    (``get -w``); the same decoration as :func:`.printers.table.render_group`."""
    from ...api.printers import Column

    with_namespace = namespace_column and kind.namespaced
    columns = ([Column("Namespace")] if with_namespace else []) + list(table.columns)
    columns += [Column(key.split("/")[-1].upper()) for key in label_columns]
    if show_labels:
        columns.append(Column("Labels"))
    name_index = next((i for i, c in enumerate(table.columns)
                       if show_kind and c.format == "name" and c.type == "string"), -1)
    prefix = (f"{kind.kind}.{kind.group}" if kind.group else kind.kind).lower()
    lines: list[str] = []
    if headers:
        lines.append("\t".join(c.name.upper() for c in columns if wide or c.priority == 0))
    for row, obj in zip(table.rows, objs):
        cells = list(row)
        if name_index != -1 and name_index < len(cells):
            cells[name_index] = f"{prefix}/{cells[name_index]}"
        meta = obj.get("metadata") or {}
        if with_namespace:
            cells.insert(0, str(meta.get("namespace", "")))
        labels = meta.get("labels") or {}
        cells += [str(labels.get(key, "")) for key in label_columns]
        if show_labels:
            cells.append(",".join(f"{k}={labels[k]}" for k in sorted(labels)) or "<none>")
        printed = []
        for i, cell in enumerate(cells[:len(columns)]):
            if not wide and columns[i].priority != 0:
                continue
            for j, ch in enumerate(cell):
                if ch in "\f\n\r":
                    cell = cell[:j] + "..."
                    break
            printed.append(cell.replace("\x1b", "^["))
        lines.append("\t".join(printed))
    return "".join(line + "\n" for line in lines)


def _multiple_types_requested(args: list[str]) -> bool:
    """cli-runtime ``resource.MultipleTypesRequested``: ``all`` anywhere, a ``type1,type2``
    argument with two distinct types, or ``type/name`` tuples of two distinct types."""
    resources: list[str] = []
    for raw in args:
        parts = raw.split(",")
        # normalizeMultipleResourcesArgs: `pod/a,svc/b` is two tuples
        items = parts if "/" in raw and all("/" in p for p in parts) else [raw]
        for arg in items:
            if arg == "all":
                return True
            if "/" in arg:
                resource = arg.split("/", 1)[0]
                if resource not in resources:
                    resources.append(resource)
            elif "," in arg and len(dict.fromkeys(arg.split(","))) > 1:
                return True
    return len(resources) > 1
