"""The request log: one compact row per HTTP exchange, for the chapters' traffic charts.

Every request the network carries — a ``curl`` from the workstation, a probe-free exchange from
a pod, each request of a ``wrk``/``fortio`` run, a hop through the ingress controller — appends
a row: when it started, who sent it, which Service it was addressed to (empty for a pod IP or
node port without a Service), which pod answered, the status (0 when no response came back),
the ``Server`` header (how chapter 05 tells nginx 1.10.3 from 1.11.13), the latency and, for
failures, the socket error. It is *not* the main trace: a one-minute load run is tens of
thousands of rows, so the log is columnar (``array`` columns of ints, strings interned once),
about 40 bytes a row.

Reading it::

    log = cluster.network.log
    for row in log.rows(start=t0):            # Row(time, client, service, backend, ...)
        ...
    log.count_by("backend", start=t0)          # {"default/web-7d9c-abcde": 412, ...}
    log.columns()                              # dict of lists, ready for a DataFrame/plotly

Names: ``client`` is ``workstation``, ``node/<node>`` or ``<namespace>/<pod>``; ``service`` is
``<namespace>/<service>``; ``backend`` is ``<namespace>/<pod>``.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator
from typing import NamedTuple

__all__ = ["RequestLog", "Row"]


class Row(NamedTuple):
    time: int       # virtual ns when the request was sent
    client: str
    service: str
    backend: str
    status: int     # HTTP status, 0 when the exchange failed
    server: str     # the response's Server header ("nginx/1.10.3"), "" if none
    latency: int    # ns from sending to the last byte (or to the failure)
    error: str      # NetError kind ("refused", "timeout", …) or ""


_FIELDS = ("time", "client", "service", "backend", "status", "server", "latency", "error")
_TEXT = ("client", "service", "backend", "server", "error")


class RequestLog:
    """Append-only, columnar log of HTTP exchanges."""

    def __init__(self) -> None:
        self._time = array("q")
        self._client = array("i")
        self._service = array("i")
        self._backend = array("i")
        self._status = array("h")
        self._server = array("i")
        self._latency = array("q")
        self._error = array("b")
        self.names: list[str] = [""]
        self._ids: dict[str, int] = {"": 0}

    def intern(self, text: str) -> int:
        """The id of ``text`` in the string table (hot paths intern once and reuse it)."""
        found = self._ids.get(text)
        if found is None:
            found = self._ids[text] = len(self.names)
            self.names.append(text)
        return found

    def append(self, time: int, client: int, service: int, backend: int, status: int,
               server: int, latency: int, error: int = 0) -> None:
        """Add a row; the text columns take interned ids (see :meth:`intern`)."""
        self._time.append(time)
        self._client.append(client)
        self._service.append(service)
        self._backend.append(backend)
        self._status.append(status)
        self._server.append(server)
        self._latency.append(latency)
        self._error.append(error)

    def extend(self, rows: list[tuple[int, int, int, int, int, int, int, int]]) -> None:
        """Add many rows at once (the load engine writes a slice's rows together)."""
        if not rows:
            return
        time, client, service, backend, status, server, latency, error = zip(*rows)
        self._time.extend(time)
        self._client.extend(client)
        self._service.extend(service)
        self._backend.extend(backend)
        self._status.extend(status)
        self._server.extend(server)
        self._latency.extend(latency)
        self._error.extend(error)

    def __len__(self) -> int:
        return len(self._time)

    def _range(self, start: int | None, end: int | None) -> list[int] | range:
        if start is None and end is None:
            return range(len(self._time))
        lo = start if start is not None else -(1 << 62)
        hi = end if end is not None else 1 << 62
        # Rows are appended in nearly increasing time (a load run writes a slice ahead of the
        # clock), so filter rather than bisect.
        return [i for i, t in enumerate(self._time) if lo <= t <= hi]

    def rows(self, start: int | None = None, end: int | None = None) -> Iterator[Row]:
        """Rows whose time is in ``[start, end]`` (virtual ns), oldest first."""
        names = self.names
        for i in self._range(start, end):
            yield Row(self._time[i], names[self._client[i]], names[self._service[i]],
                      names[self._backend[i]], self._status[i], names[self._server[i]],
                      self._latency[i], names[self._error[i]])

    def columns(self, start: int | None = None, end: int | None = None) -> dict[str, list]:
        """The rows as one list per field (for charts)."""
        idx = self._range(start, end)
        names = self.names
        out: dict[str, list] = {}
        for field in _FIELDS:
            col = getattr(self, f"_{field}")
            values = [col[i] for i in idx]
            out[field] = [names[v] for v in values] if field in _TEXT else values
        return out

    def count_by(self, field: str, start: int | None = None,
                 end: int | None = None) -> dict[str, int]:
        """How many rows per value of ``field`` (``backend``, ``server``, ``status``…), in
        first-seen order."""
        if field not in _FIELDS:
            raise ValueError(f"unknown field {field!r}")
        col = getattr(self, f"_{field}")
        counts: dict[int, int] = {}
        for i in self._range(start, end):
            v = col[i]
            counts[v] = counts.get(v, 0) + 1
        if field in _TEXT:
            return {self.names[k]: v for k, v in counts.items()}
        return {str(k): v for k, v in counts.items()}
