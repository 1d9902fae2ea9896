"""The scheduler's event recorder: ``events.k8s.io/v1`` events (``client-go/tools/events``).

kube-scheduler records through the new events API (``EventBroadcasterAdapter``), not the
core/v1 recorder the controllers use. Read back through core/v1 (``kubectl get events``,
``kubectl describe``) such an event has an ``eventTime`` (microseconds), ``action``,
``reportingComponent: default-scheduler`` and ``reportingInstance:
default-scheduler-<hostname>``, an empty ``source`` and null ``firstTimestamp`` /
``lastTimestamp``; ``kubectl describe`` shows ``From default-scheduler`` by falling back to
``reportingController``.

Repeats are *series*, not counts: events with the same regarding object, action, reason and
reporting controller (the note is not part of the key) are isomorphic. The second occurrence
writes ``series: {count: 2, lastObservedTime}`` at once; later ones only bump the recorder's
cached copy, which is written every 30 minutes, and a series not observed for 6 minutes is
written one last time and forgotten (the next occurrence starts a new Event object).
"""

from __future__ import annotations

from typing import Any

from ..api.errors import StatusError
from ..api.events import create_named
from ..api.kinds import builtin
from ..api.store import APIServer
from ..sim.clock import MINUTE, Timer
from ..sim.timefmt import rfc3339

_SECOND = 1_000_000_000
_last: list[Any] = [None, ""]


def rfc3339_micro(ns: int) -> str:
    """``metav1.MicroTime`` as JSON (the formatting of the whole second is cached)."""
    sec, frac = divmod(ns, _SECOND)
    if _last[0] != sec:
        _last[0] = sec
        _last[1] = rfc3339(sec * _SECOND)[:-1]
    return f"{_last[1]}.{frac // 1000:06d}Z"

__all__ = ["SeriesRecorder"]

Obj = dict[str, Any]
EVENT = builtin("v1", "Event")

# events.k8s.io events have no source; one shared (never mutated) empty map stands for it
_NO_SOURCE: Obj = {}
REFRESH = 30 * MINUTE
FINISH = 6 * MINUTE


class _Cached:
    __slots__ = ("count", "event_time", "last", "name", "namespace", "written")

    def __init__(self, namespace: str, name: str, event_time: int) -> None:
        self.namespace = namespace
        self.name = name
        self.event_time = event_time
        self.count = 1
        self.last = event_time
        self.written = 1


class SeriesRecorder:
    """``events.NewEventBroadcasterAdapter(...).NewRecorder(scheme, reportingController)``."""

    def __init__(self, api: APIServer, controller: str, instance: str) -> None:
        self.api = api
        self.controller = controller
        self.instance = instance
        self._cache: dict[tuple[str, ...], _Cached] = {}
        self._refresh_timer: Timer | None = None
        self._finish_timer: Timer | None = None
        self._series = 0

    def eventf(self, regarding: Obj, type_: str, reason: str, action: str, note: str,
               related: Obj | None = None) -> None:
        meta = regarding.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        kind = regarding.get("kind", "")
        name = meta.get("name", "")
        key = (meta.get("uid", ""), kind, name, ns, action, reason,
               related["metadata"].get("uid", "") if related else "")
        now = self.api.loop.now
        # Like the core recorder, the trace keeps every reported event, folded or not.
        self.api.trace.append_flat(now, self.controller, "event", kind, ns, name,
                                   ("type", type_, "reason", reason, "message", note))
        cached = self._cache.get(key)
        if cached is not None:
            cached.count += 1
            cached.last = now
            if cached.count == 2:
                self._series += 1
                self._write_series(cached)
            self._arm()
            return
        ref = _reference(regarding)
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"namespace": ns},
            "involvedObject": ref,
            "reason": reason,
            "message": note,
            "source": _NO_SOURCE,
            "firstTimestamp": None,
            "lastTimestamp": None,
            "type": type_,
            "eventTime": rfc3339_micro(now),
            "action": action,
            "reportingComponent": self.controller,
            "reportingInstance": self.instance,
        }
        if related is not None:
            event["related"] = _reference(related)
        try:
            created, _ = create_named(self.api, event, name, now, self.controller)
        except StatusError:
            return          # refused (a terminating namespace): client-go logs and drops it
        self._cache[key] = _Cached(ns, created["metadata"]["name"], now)
        self._arm()

    def _write_series(self, cached: _Cached) -> None:
        existing = self.api.try_get(EVENT, cached.namespace, cached.name)
        if existing is None:
            return
        new = {**existing, "series": {"count": cached.count,
                                      "lastObservedTime": rfc3339_micro(cached.last)}}
        try:
            self.api.update(new, source=self.controller, trusted=True)
        except StatusError:
            return
        cached.written = cached.count

    def _arm(self) -> None:
        loop = self.api.loop
        if self._finish_timer is None:
            self._finish_timer = loop.call_later(FINISH, self._finish)
        if self._refresh_timer is None and self._series:
            self._refresh_timer = loop.call_later(REFRESH, self._refresh)

    def _refresh(self) -> None:
        self._refresh_timer = None
        for cached in self._cache.values():
            if cached.count > 1 and cached.count != cached.written:
                self._write_series(cached)
        if self._series:
            self._arm()

    def _finish(self) -> None:
        self._finish_timer = None
        cutoff = self.api.loop.now - FINISH
        for key in [k for k, c in self._cache.items() if c.last < cutoff]:
            cached = self._cache.pop(key)
            if cached.count > 1:
                self._series -= 1
                if cached.count != cached.written:
                    self._write_series(cached)
        if self._cache:
            self._arm()


def _reference(obj: Obj) -> Obj:
    """``reference.GetReference``: apiVersion, kind, name, namespace, uid, resourceVersion."""
    meta = obj.get("metadata") or {}
    ref: Obj = {"apiVersion": obj.get("apiVersion", "v1"), "kind": obj.get("kind", "")}
    if meta.get("namespace"):
        ref["namespace"] = meta["namespace"]
    ref["name"] = meta.get("name", "")
    if meta.get("uid"):
        ref["uid"] = meta["uid"]
    if meta.get("resourceVersion"):
        ref["resourceVersion"] = meta["resourceVersion"]
    return ref
