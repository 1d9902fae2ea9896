"""The append-only log of everything that happened in the lab.

Every write the apiserver accepts and every notable component action (a scheduling decision, an
image pull, a probe result, a request served) is appended here with its virtual time and the
component that did it. Chapters chart from it ("pods by phase over time", "one apply travelling
through the control plane") and tests assert on it. Entries are small tuples, never whole objects,
so a 30,000-pod run stays cheap to keep.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain, count
from typing import Any, NamedTuple, overload

__all__ = ["Record", "Trace"]


class Record(NamedTuple):
    """One thing that happened.

    ``source`` is the component (``kubectl``, ``deployment-controller``, ``kubelet/t.cs.2``);
    ``action`` a verb (``create``, ``update``, ``delete``, ``bind``, ``pull``, ``probe``…);
    ``kind``/``namespace``/``name`` name the object concerned; ``detail`` holds a few
    action-specific facts (for pod writes: phase, ready, node, owner).
    """

    seq: int
    time: int
    source: str
    action: str
    kind: str
    namespace: str
    name: str
    detail: dict[str, Any]


class Trace:
    """Append-only list of :class:`Record` with simple filtered views.

    Records are kept as plain tuples of strings and ints with the detail as a flat tuple of
    keys and values, their sequence number being their place in the list, and handed out as
    :class:`Record`: the garbage collector stops tracking such a tuple, but never a tuple
    subclass or a tuple holding a dict, and a 30,000-pod run appends half a million of them
    (every full collection would walk them all). The detail tuple is kept as the caller built
    it: one tuple of seven built per record, not one of twenty spread from it.
    """

    def __init__(self) -> None:
        self._records: list[tuple[Any, ...]] = []

    def append(
        self,
        time: int,
        source: str,
        action: str,
        kind: str = "",
        namespace: str = "",
        name: str = "",
        detail: dict[str, Any] | None = None,
    ) -> None:
        # The detail's keys and values follow flat: a tuple holding a dict is never untracked.
        self.append_flat(time, source, action, kind, namespace, name,
                         tuple(_flat(detail.items())) if detail else ())

    def append_flat(self, time: int, source: str, action: str, kind: str, namespace: str,
                    name: str, detail: tuple[Any, ...]) -> None:
        """:meth:`append` with the detail given flat (``key, value, key, value…``), for the
        callers that write one for every pod (the event recorders, the store's digests)."""
        self._records.append((time, source, action, kind, namespace, name, detail))

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Record]:
        return map(_make, count(), self._records)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return list(map(_make, range(len(self._records))[index], self._records[index]))
        seq = range(len(self._records))[index]  # a negative index counts from the end
        return _make(seq, self._records[seq])

    def since(self, seq: int) -> list[Record]:
        """Records appended at or after sequence number ``seq``."""
        return list(map(_make, count(seq), self._records[seq:]))

    def select(
        self,
        *,
        kind: str | None = None,
        action: str | None = None,
        source: str | None = None,
        namespace: str | None = None,
        name: str | None = None,
        start: int | None = None,
        end: int | None = None,
    ) -> list[Record]:
        """Records matching every given filter (``source`` matches a prefix)."""
        out = []
        for seq, r in enumerate(self._records):
            if kind is not None and r[3] != kind:
                continue
            if action is not None and r[2] != action:
                continue
            if source is not None and not r[1].startswith(source):
                continue
            if namespace is not None and r[4] != namespace:
                continue
            if name is not None and r[5] != name:
                continue
            if start is not None and r[0] < start:
                continue
            if end is not None and r[0] > end:
                continue
            out.append(_make(seq, r))
        return out


_flat = chain.from_iterable


def _make(seq: int, record: tuple[Any, ...]) -> Record:
    time, source, action, kind, namespace, name, detail = record
    return Record(seq, time, source, action, kind, namespace, name,
                  dict(zip(detail[::2], detail[1::2])))
