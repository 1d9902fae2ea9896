"""``kubectl get … -o custom-columns=NAME:.metadata.name,…`` (and ``custom-columns-file``).

A port of ``k8s.io/kubectl/pkg/cmd/get/customcolumn.go``: the spec is split on ``,`` and each
part on its first ``:`` into a header and a field path; ``RelaxedJSONPathExpression`` accepts
``metadata.name``, ``.metadata.name``, ``{metadata.name}`` and ``{.metadata.name}``. Each cell is
every jsonpath result (missing keys allowed) printed with Go's ``%v`` and joined with ``,``, or
``<none>`` when nothing matched; maps print as ``map[k:v]``. Rows go through kubectl's table
tabwriter; the header is printed once (not repeated for further objects) unless
``--no-headers``.

Interface::

    printer = CustomColumnsPrinter.from_spec(spec, no_headers=False)      # PrinterError
    printer = CustomColumnsPrinter.from_template(text)                    # PrinterError
    text = printer.print(objs)          # objs: the objects (list items are printed one by one)

Errors (``str(err)``, printed by kubectl as ``error: …``): ``custom-columns format specified
but no custom columns given``, ``unexpected custom-columns spec: X, expected
<header>:<json-path-expr>``, ``unexpected path string, expected a 'name1.name2' or
'.name1.name2' or '{name1.name2}' or '{.name1.name2}'`` and jsonpath parse errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import PrinterError
from .gofmt import sprint
from .jsonpath import _Engine, _ExecError, _ParseError, _Parser
from .tabwriter import TabWriter, table_writer

__all__ = ["Column", "CustomColumnsPrinter", "relaxed_jsonpath"]

_JSON_RE = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_jsonpath(expr: str) -> str:
    """``RelaxedJSONPathExpression``: normalise a column's field path to ``{.a.b}``."""
    if not expr:
        return expr
    m = _JSON_RE.match(expr)
    if m is None:
        raise PrinterError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (m.group(1) or m.group(2)) + "}"


@dataclass(frozen=True)
class Column:
    header: str
    field_spec: str


def _escape_terminal(text: str) -> str:
    return text.replace("\x1b", "^[").replace("\r", "\\r")


class CustomColumnsPrinter:
    def __init__(self, columns: list[Column], no_headers: bool = False) -> None:
        self.columns = columns
        self.no_headers = no_headers
        self._parsers = []
        for ix, col in enumerate(columns):
            p = _Parser(f"column{ix}")
            try:
                p.parse(col.field_spec)
            except _ParseError as err:
                raise PrinterError(str(err)) from None
            self._parsers.append(p.root)

    @classmethod
    def from_spec(cls, spec: str, *, no_headers: bool = False) -> CustomColumnsPrinter:
        if not spec:
            raise PrinterError("custom-columns format specified but no custom columns given")
        columns = []
        for part in spec.split(","):
            if ":" not in part:
                raise PrinterError(
                    f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                )
            header, path = part.split(":", 1)
            columns.append(Column(header, relaxed_jsonpath(path)))
        return cls(columns, no_headers)

    @classmethod
    def from_template(cls, text: str) -> CustomColumnsPrinter:
        lines = text.splitlines()
        if not lines:
            raise PrinterError(
                "invalid template, missing header line. Expected format is one line of space "
                "separated headers, one line of space separated column specs."
            )
        if len(lines) < 2:
            raise PrinterError(
                "invalid template, missing spec line. Expected format is one line of space "
                "separated headers, one line of space separated column specs."
            )
        headers, specs = lines[0].split(), lines[1].split()
        if len(headers) != len(specs):
            raise PrinterError(
                f"number of headers ({len(headers)}) and field specifications ({len(specs)}) "
                "don't match"
            )
        return cls([Column(h, relaxed_jsonpath(s)) for h, s in zip(headers, specs)])

    def row(self, obj: Any) -> str:
        cells = []
        for root in self._parsers:
            engine = _Engine(root, True)
            try:
                values = engine.find_results(obj)
            except _ExecError as err:
                raise PrinterError(str(err)) from None
            strings: list[str] = []
            if not values or not values[0]:
                strings.append("<none>")
            for group in values:
                strings.extend(_escape_terminal(sprint(v)) for v in group)
            cells.append(",".join(strings))
        return "\t".join(cells) + "\n"

    def print(self, objs: list[Any], writer: TabWriter | None = None) -> str:
        w = writer or table_writer()
        if not self.no_headers:
            w.write("\t".join(c.header for c in self.columns) + "\n")
        for obj in objs:
            w.write(self.row(obj))
        w.flush()
        return w.getvalue()
