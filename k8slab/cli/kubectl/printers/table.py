"""The human-readable ``kubectl get`` output: the server's Table laid out in columns.

Ports ``k8s.io/cli-runtime/pkg/printers/tableprinter.go`` (``decorateTable``, ``printTable``,
``printRows``) and the group loop of ``k8s.io/kubectl/pkg/cmd/get/get.go``:

- headers are the column names upper-cased; ``priority > 0`` columns only with ``-o wide``;
  no header at all (and nothing printed) for a group without rows;
- ``-A`` prepends ``NAMESPACE`` for namespaced kinds; ``-L key`` appends a column per key
  (header: the key's last ``/`` segment upper-cased, cell: the label's value or empty);
  ``--show-labels`` appends ``LABELS`` (``a=b,c=d`` sorted, ``<none>``);
- when several resource types are requested (``get node,pod``, ``get all``) the name cell is
  prefixed with the lower-cased group kind: ``pod/web-…``, ``deployment.apps/web``;
- a cell is cut at its first ``\\n``, ``\\r`` or ``\\f`` and gets ``...``; ESC prints as ``^[``;
- each resource type gets its own column widths (tabwriter minwidth 6, padding 3, the last
  column unpadded), and its own header, separated from the previous output by one empty line
  (not with ``--no-headers``).

Interface::

    render(tables: list[tuple[Kind, Table, list[dict]]], *, wide=False, show_kind=False,
           namespace_column=False, show_labels=False, label_columns=(), no_headers=False) -> str

``tables`` holds one ``(kind, k8slab.api.printers.table(kind, objs, now), objs)`` per resource
type in the order kubectl prints them; ``objs`` are the same objects, row for row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from ....api.kinds import Kind
from ....api.printers import Column, Table
from .tabwriter import table_writer

_TAB_CHARS = re.compile("[\t\v]").search
_BREAK = re.compile("[\f\n\r]").search

__all__ = ["render", "render_group"]

Obj = dict[str, Any]


def _cell_text(cell: str) -> str:
    m = _BREAK(cell)
    if m is not None:
        cell = cell[:m.start()] + "..."
    return cell.replace("\x1b", "^[") if "\x1b" in cell else cell


def _format_labels(labels: dict[str, Any] | None) -> str:
    if not labels:
        return "<none>"
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels))


def _group_kind(kind: Kind) -> str:
    return (f"{kind.kind}.{kind.group}" if kind.group else kind.kind).lower()


def render_group(
    kind: Kind,
    table: Table,
    objs: Sequence[Obj],
    *,
    wide: bool = False,
    show_kind: bool = False,
    namespace_column: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """One resource type's block of ``kubectl get`` output (empty when it has no rows)."""
    if not table.rows:
        return ""
    with_namespace = namespace_column and kind.namespaced
    columns: list[Column] = []
    if with_namespace:
        columns.append(Column("Namespace"))
    columns.extend(table.columns)
    for key in label_columns:
        columns.append(Column(key.split("/")[-1].upper()))
    if show_labels:
        columns.append(Column("Labels"))
    name_index = -1
    if show_kind:
        for i, col in enumerate(table.columns):
            if col.format == "name" and col.type == "string":
                name_index = i
                break
    prefix = _group_kind(kind)

    lines: list[list[str]] = []
    if not no_headers:
        lines.append([c.name.upper() for c in columns if wide or c.priority == 0])
    for row, obj in zip(table.rows, objs):
        cells = list(row)
        if name_index != -1 and name_index < len(cells):
            cells[name_index] = f"{prefix}/{cells[name_index]}"
        meta = obj.get("metadata") or {}
        if with_namespace:
            cells.insert(0, str(meta.get("namespace", "")))
        labels = meta.get("labels") or {}
        for key in label_columns:
            cells.append(str(labels.get(key, "")))
        if show_labels:
            cells.append(_format_labels(labels))
        printed = []
        for i, cell in enumerate(cells):
            if i >= len(columns):
                break
            if not wide and columns[i].priority != 0:
                continue
            printed.append(_cell_text(cell))
        lines.append(printed)
    return _layout(lines)


def _layout(lines: list[list[str]]) -> str:
    """What the table tabwriter makes of these lines (one flush, fresh widths)."""
    ncols = len(lines[0]) if lines else 0
    if ncols < 2 or any(len(line) != ncols or _TAB_CHARS(cell)
                        for line in lines for cell in line):
        w = table_writer()
        w.write("".join("\t".join(line) + "\n" for line in lines))
        w.flush()
        return w.getvalue()
    # Every line has the same cells: each column but the last is one block whose width is its
    # widest cell plus the padding of 3, at least 6 (text/tabwriter with kubectl's settings).
    widths = [max(6, max(len(line[i]) for line in lines) + 3) for i in range(ncols - 1)]
    out = []
    for line in lines:
        out.append("".join(cell.ljust(width) for cell, width in zip(line, widths)))
        out.append(line[-1])
        out.append("\n")
    return "".join(out)


def render(
    tables: Sequence[tuple[Kind, Table, Sequence[Obj]]],
    *,
    wide: bool = False,
    show_kind: bool = False,
    namespace_column: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """Every resource type's block, separated as ``kubectl get`` separates them."""
    out: list[str] = []
    written = False
    for kind, table, objs in tables:
        text = render_group(
            kind, table, objs, wide=wide, show_kind=show_kind,
            namespace_column=namespace_column, show_labels=show_labels,
            label_columns=label_columns, no_headers=no_headers,
        )
        if not text:
            continue
        if written and not no_headers:
            out.append("\n")
        out.append(text)
        written = True
    return "".join(out)
