"""Memoising pure functions of never-mutated objects by identity.

The store's objects are never mutated: a write builds a new top-level dict and shares the
sub-trees it did not change, so the pods of one template share their ``ownerReferences`` list,
their containers and so on. A value computed from such a sub-tree holds for as long as the
sub-tree lives. :func:`by_identity` keys a function's results by the object's ``id()`` and
keeps the object alive next to the result (pinned), so that an id is never reused while its
entry is remembered. :class:`Passed` remembers checks that passed for keys made of several
values' ids, pinning those values. Both tables are emptied when they reach their limit, which
bounds memory.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ["Passed", "by_identity"]

T = TypeVar("T")


def by_identity(fn: Callable[[Any], T], limit: int = 4096) -> Callable[[Any], T]:
    """``fn(obj)``, computed once per (never-mutated) object ``obj``."""
    table: dict[int, tuple[Any, T]] = {}

    def memo(obj: Any) -> T:
        hit = table.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = fn(obj)
        if len(table) >= limit:
            table.clear()
        table[id(obj)] = (obj, value)
        return value

    memo.__name__ = getattr(fn, "__name__", "memo")
    memo.__doc__ = fn.__doc__
    return memo


class Passed(dict[tuple[Any, ...], tuple[Any, ...]]):
    """Keys of checks that passed, made of the ids of the (never mutated) values checked.

    ``key in passed`` (a dict lookup, in C) asks; :meth:`remember` stores a key with the values
    it names, pinned so that their ids are not reused while the key is remembered. Only
    successes go in: a failure is checked again, so its messages are always computed afresh.
    """

    def __init__(self, limit: int = 8192) -> None:
        super().__init__()
        self.limit = limit

    def remember(self, key: tuple[Any, ...], pins: tuple[Any, ...]) -> None:
        if len(self) > self.limit:
            self.clear()
        self[key] = pins
