"""Table model and the registry of per-kind printers (``pkg/printers/tablegenerator.go``).

A printer is registered for an API group and kind with its column definitions and a row
function ``row(obj, now) -> list[str]``. Rows always carry every column's cell — the apiserver
converts to a Table with ``Wide: true`` and kubectl drops ``priority > 0`` columns unless
``-o wide`` — so a row may even be longer than the columns (``IPAddress``), exactly like the
server's, and kubectl ignores the surplus.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AGE", "NAME", "Column", "Printer", "Table", "printer", "registry"]

Obj = dict[str, Any]
RowFn = Callable[[Obj, int], list[str]]


@dataclass(frozen=True)
class Column:
    """``metav1.TableColumnDefinition``: the name as the server sends it and its priority."""

    name: str
    priority: int = 0
    type: str = "string"
    format: str = ""


@dataclass
class Table:
    """``metav1.Table``: column definitions and one list of formatted cells per object."""

    columns: list[Column]
    rows: list[list[str]] = field(default_factory=list)


@dataclass(frozen=True)
class Printer:
    columns: tuple[Column, ...]
    row: RowFn


NAME = Column("Name", format="name")
AGE = Column("Age")

_REGISTRY: dict[tuple[str, str], Printer] = {}


def printer(group: str, kind: str, columns: list[Column]) -> Callable[[RowFn], RowFn]:
    """Register ``fn`` as the row function of ``group``/``kind``."""

    def wrap(fn: RowFn) -> RowFn:
        _REGISTRY[(group, kind)] = Printer(tuple(columns), fn)
        return fn

    return wrap


def registry() -> dict[tuple[str, str], Printer]:
    return _REGISTRY
