"""``kubectl events`` (``k8s.io/kubectl/pkg/cmd/events/events.go``, ``event_printer.go``).

Lists core/v1 Events of the namespace (``-A``: all), sorted by their last time, optionally
``--for TYPE/NAME`` and ``--types=Normal,Warning``, in kubectl's own table:
``LAST SEEN  TYPE  REASON  OBJECT  MESSAGE`` with ``12s (x3 over 2m)`` for repeated events and
``Kind/name`` objects. ``No events found in default namespace.`` on stderr when empty.
``-w`` prints new events until the workstation's deadline (exit 1, kubectl's interrupt
handler). ``-o yaml|json|name`` print the ``EventList``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.kinds import by_gvk
from ...sim.process import WaitFor
from ...sim.timefmt import human_duration, parse_rfc3339
from .cmd import Invocation, command
from .errors import KubectlError
from .output import ObjectPrinter

__all__ = ["event_rows", "run_events"]

Obj = dict[str, Any]
EVENT = by_gvk("v1", "Event")


def _since(inv: Invocation, stamp: str | None) -> str:
    if not stamp:
        return "<unknown>"
    return human_duration(inv.factory.now - parse_rfc3339(stamp))


def _interval(inv: Invocation, e: Obj) -> str:
    first = _since(inv, e.get("eventTime")) if e.get("eventTime") else _since(
        inv, e.get("firstTimestamp"))
    series = e.get("series")
    if series:
        return (f"{_since(inv, series.get('lastObservedTime'))} (x{series.get('count')} over "
                f"{first})")
    if int(e.get("count") or 0) > 1:
        return f"{_since(inv, e.get('lastTimestamp'))} (x{e.get('count')} over {first})"
    return first


def _cell(text: str) -> str:
    for i, ch in enumerate(text):
        if ch in "\f\n\r":
            return text[:i] + "..."
    return text


def event_rows(inv: Invocation, events: list[Obj], all_namespaces: bool) -> str:
    out = []
    for e in events:
        involved = e.get("involvedObject") or {}
        row = [_interval(inv, e), _cell(str(e.get("type", ""))), _cell(str(e.get("reason", ""))),
               f"{_cell(str(involved.get('kind', '')))}/{_cell(str(involved.get('name', '')))}",
               _cell(str(e.get("message", "")).strip())]
        if all_namespaces:
            row.insert(0, str((e.get("metadata") or {}).get("namespace", "")))
        out.append("\t".join(row) + "\n")
    return "".join(out)


def _event_time(e: Obj) -> int:
    series = e.get("series")
    if series and series.get("lastObservedTime"):
        return parse_rfc3339(series["lastObservedTime"])
    if e.get("lastTimestamp"):
        return parse_rfc3339(e["lastTimestamp"])
    if e.get("eventTime"):
        return parse_rfc3339(e["eventTime"])
    return 0


@command("events")
def run_events(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    factory = inv.factory
    api = factory.api
    namespace, _ = factory.namespace()
    all_ns = bool(flags.get("all-namespaces"))
    types = [t for t in (flags.get("types") or []) if t]
    for t in types:
        if t.lower() not in ("normal", "warning"):
            raise KubectlError("valid --types are Normal or Warning")
    for_kind = for_name = ""
    target = str(flags.get("for") or "")
    if target:
        if "/" not in target:
            raise KubectlError(f"cannot find resource for {target}")
        seg = target.split("/")
        if len(seg) != 2:
            raise KubectlError("arguments in resource/name form may not have more than one "
                               "slash")
        for_kind, for_name = factory.mapping(seg[0]).kind, seg[1]
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output) if output else None

    def wanted(e: Obj) -> bool:
        involved = e.get("involvedObject") or {}
        if for_name and (involved.get("kind") != for_kind or involved.get("name") != for_name):
            return False
        return not types or any(t.lower() == str(e.get("type", "")).lower() for t in types)

    assert EVENT is not None
    factory.request()
    events = [e for e in api.list(EVENT, None if all_ns else namespace) if wanted(e)]
    events.sort(key=_event_time)
    from .printers.tabwriter import table_writer

    w = table_writer()
    no_headers = bool(flags.get("no-headers"))
    headers = "" if no_headers else (("NAMESPACE\t" if all_ns else "")
                                     + "LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n")
    if flags.get("watch"):
        return (yield from _watch(inv, w, headers, namespace, all_ns, wanted, printer))
    if not events:
        if all_ns:
            inv.err("No events found.\n")
        else:
            inv.err(f"No events found in {namespace} namespace.\n")
        yield from factory.settle()
        return 0
    if printer is not None:
        if printer.is_name:
            from .printers.name import name_line

            inv.out("".join(name_line(e) for e in events))
        else:
            printer.print({"apiVersion": "v1", "items": events, "kind": "EventList",
                           "metadata": {}})
    else:
        w.write(headers + event_rows(inv, events, all_ns))
        w.flush()
        inv.out(w.getvalue())
    yield from factory.settle()
    return 0


def _watch(inv: Invocation, w: Any, headers: str, namespace: str, all_ns: bool,
           wanted: Any, printer: ObjectPrinter | None) -> Generator[Any, Any, int]:
    factory = inv.factory
    pending: list[Obj] = []

    def handler(event: str, obj: Obj, old: Obj | None) -> None:
        if event == "DELETED":
            return
        if not all_ns and (obj.get("metadata") or {}).get("namespace") != namespace:
            return
        if wanted(obj):
            pending.append(obj)

    assert EVENT is not None
    handle = factory.api.watch(EVENT, handler, latency=1_000_000, name="kubectl-events-watch")
    written = 0
    first = True
    try:
        yield from factory.settle()
        deadline = factory.deadline()
        while factory.now < deadline:
            got = yield WaitFor(lambda: bool(pending), deadline - factory.now)
            if not got and not pending:
                break
            batch, pending[:] = list(pending), []
            if printer is not None:
                for e in batch:
                    printer.print(e)
                continue
            w.write((headers if first else "") + event_rows(inv, batch, all_ns))
            first = False
            w.flush()
            text = w.getvalue()
            inv.out(text[written:])
            written = len(text)
    finally:
        handle.stop()
    return 1
