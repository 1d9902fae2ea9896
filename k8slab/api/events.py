"""Recording Kubernetes Events, as ``k8s.io/client-go/tools/record`` does.

Components report what they did as core/v1 ``Event`` objects: ``Scheduled``, ``Pulling``,
``ScalingReplicaSet``, ``Unhealthy``… Each event goes through client-go's ``EventCorrelator``
(``tools/record/events_cache.go``) before it reaches the apiserver:

1. **aggregation** — events that differ only in their message (same source, object, type and
   reason) are counted per 10-minute window; from the 10th distinct message on they are folded
   into one event whose message is ``(combined from similar events): <latest message>``. This is
   why ``kubectl describe rs`` of a 10-replica ReplicaSet shows nine ``Created pod`` lines and a
   combined one;
2. **de-duplication** — an event identical to one already recorded raises that event's
   ``count`` and ``lastTimestamp`` instead of creating another (``12s (x3 over 2m)``);
3. **spam filtering** — a token bucket per (source, object) with a burst of 25 and one token per
   5 minutes; events beyond it are dropped.

Events are named ``<object>.<hex of the virtual time in ns>``. Refused writes (e.g. into a
terminating namespace) are dropped, as client-go logs and drops them.
"""

from __future__ import annotations

from typing import Any

from ..sim.timefmt import rfc3339
from .errors import StatusError
from .kinds import builtin
from .store import APIServer

__all__ = ["EventRecorder", "create_named"]

Obj = dict[str, Any]
EVENT = builtin("v1", "Event")

_NS = 1_000_000_000
# client-go tools/record/events_cache.go defaults
MAX_LRU_CACHE_ENTRIES = 4096
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL = 600 * _NS
SPAM_BURST = 25
SPAM_REFILL = 300 * _NS  # defaultSpamQPS = 1/300

# What the correlator reads of a reported object (see EventRecorder._read): field path, kind,
# namespace, name, involvedObject, object key (kind, namespace, name, uid, apiVersion), the
# same plus the field path (the aggregate key's prefix), and the naming key (namespace, name).
_Facts = tuple[str, str, str, str, Obj, tuple[str, ...], tuple[str, ...], tuple[str, str]]


def create_named(api: APIServer, event: Obj, obj_name: str, stamp: int, source: str
                 ) -> tuple[Obj, int]:
    """Create ``event`` named ``<obj_name>.<hex stamp>``, as client-go names Events.

    Virtual time puts several events of one object at the same nanosecond, so a name another
    recorder took is refused by the create (AlreadyExists, nothing stored) and the next
    nanosecond's is tried (client-go, whose clock rarely repeats, would drop the event).
    Returns the stored Event and the stamp it took; other refusals are raised.
    """
    meta = event["metadata"]
    while True:
        meta["name"] = f"{obj_name}.{stamp:x}"
        try:
            return api.create(event, source=source, trusted=True), stamp
        except StatusError as err:
            if err.reason != "AlreadyExists":
                raise
            stamp += 1


class EventRecorder:
    """Creates and aggregates Events on behalf of one component (and host, for kubelets)."""

    def __init__(self, api: APIServer, component: str, host: str = "") -> None:
        self.api = api
        self._loop = api.loop
        self._trace = api.trace
        self.component = component
        self.host = host
        # The correlator's caches hold tuples of strings and numbers only, which the garbage
        # collector stops tracking (a kubelet keeps a few entries for each of its pods).
        # aggregate key → (distinct messages in insertion order, last seen); insertion order
        # makes trimming deterministic (Go's PopAny is random)
        self._aggregates: dict[tuple[Any, ...], tuple[tuple[str, ...], int]] = {}
        # correlation key → (namespace, event name) of the Event that key last produced
        self._observed: dict[tuple[Any, ...], tuple[str, str]] = {}
        # (tokens, last refill) per involved object
        self._spam: dict[tuple[Any, ...], tuple[float, int]] = {}
        self._last_stamp: dict[tuple[str, str], int] = {}
        # Shared by every Event this recorder writes (stored objects are never mutated).
        self._source: Obj = {"component": component}
        if host:
            self._source["host"] = host
        # (uid, resourceVersion, fieldPath, …) → the facts last read with those values
        self._facts: dict[tuple[Any, ...], _Facts] = {}
        # The object last reported and its facts (the dummy facts never match: obj is a dict).
        self._last_obj: Obj | None = None
        self._last_facts: _Facts = ("", "", "", "", {}, (), (), ("", ""))

    def event(
        self,
        obj: Obj,
        type_: str,
        reason: str,
        message: str,
        *,
        field_path: str = "",
    ) -> Obj | None:
        """Record one event about ``obj`` (``type_`` is ``Normal`` or ``Warning``).

        Returns the Event as stored, or None when the correlator dropped it. ``obj`` must not
        change once reported (as no stored object does): its facts are remembered by identity.
        """
        # The kubelet reports Pulled, Created and Started in a row about one pod object, the
        # ReplicaSet controller each pod it creates about one ReplicaSet object: the object's
        # facts are read once. Holding the object keeps its id from being reused, and
        # reported objects are never mutated.
        facts = self._last_facts
        if obj is not self._last_obj or field_path != facts[0]:
            facts = self._read(obj, field_path)
        _, kind, namespace, obj_name, involved, obj_key, object_key, stamp_key = facts
        now = self._loop.now
        # The trace keeps what the component reported, before the correlator folds or drops
        # it: charts and tests see every action even when `kubectl get events` does not.
        self._trace.append_flat(now, self.component, "event", kind, namespace, obj_name,
                                ("type", type_, "reason", reason, "message", message))

        # 1. aggregation (EventAggregator.EventAggregate). The keys extend the object's by
        # concatenation: one tuple copy, where unpacking builds a list first.
        aggregate_key = object_key + (type_, reason)  # noqa: RUF005
        record = self._aggregates.get(aggregate_key)
        if record is None or now - record[1] > AGGREGATE_INTERVAL:
            messages: tuple[str, ...] = ()
        else:
            messages = record[0]
        if message not in messages:
            messages += (message,)
        if len(messages) < AGGREGATE_MAX_EVENTS:
            key = aggregate_key + (message,)  # noqa: RUF005
        else:
            # Keep the set from growing past the maximum (upstream pops an arbitrary member).
            messages = messages[1:]
            key = aggregate_key
            message = "(combined from similar events): " + message
        self._aggregates[aggregate_key] = (messages, now)

        # 3. spam filter (EventSourceObjectSpamFilter), applied to every observation
        # A token bucket (tokens, last refill) per object: a full one for a new object.
        bucket = self._spam.get(obj_key)
        if bucket is None:
            self._spam[obj_key] = (SPAM_BURST - 1.0, now)
        else:
            tokens = bucket[0] + (now - bucket[1]) / SPAM_REFILL
            if tokens > SPAM_BURST:
                tokens = float(SPAM_BURST)
            if tokens < 1.0:
                self._spam[obj_key] = (tokens, now)
                return None
            self._spam[obj_key] = (tokens - 1.0, now)

        # 2. de-duplication (eventLogger.eventObserve)
        seen = self._observed.get(key)
        if seen is not None:
            existing = self.api.try_get(EVENT, *seen)
            if existing is not None:
                new = dict(existing)
                new["count"] = int(existing.get("count", 1)) + 1
                new["lastTimestamp"] = rfc3339(now)
                new["message"] = message
                new["metadata"] = dict(existing["metadata"])
                try:
                    return self.api.update(new, source=self.component, trusted=True)
                except StatusError:
                    return None

        stamp_now = rfc3339(now)
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"namespace": namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": self._source,
            "firstTimestamp": stamp_now,
            "lastTimestamp": stamp_now,
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        # Events of one object created at the same virtual instant take the following
        # nanoseconds (remembered, so a burst of pod creations does not retry quadratically
        # many names).
        last = self._last_stamp.get(stamp_key, -1)
        stamp = self._last_stamp[stamp_key] = now if last < now else last + 1
        try:
            created, self._last_stamp[stamp_key] = create_named(
                self.api, event, obj_name, stamp, self.component)
        except StatusError:
            return None
        self._observed[key] = (namespace, created["metadata"]["name"])
        return created

    def _read(self, obj: Obj, field_path: str) -> _Facts:
        """The facts of ``obj`` (reported with ``field_path``) the correlator needs.

        They become the last object's. Equal references share them: the kubelet reports
        Pulling and Pulled about one pod version with its other pods' Pulling between them,
        a controller builds a fresh reference to a node per event; their Events then share one
        (never mutated) involvedObject.
        """
        meta = obj.get("metadata") or {}
        obj_namespace = meta.get("namespace")
        api_version = obj.get("apiVersion", "v1")
        kind = obj.get("kind", "")
        obj_name = meta.get("name", "")
        uid = meta.get("uid", "")
        rv = meta.get("resourceVersion")
        content_key = (uid, rv, field_path, api_version, kind, obj_name, obj_namespace)
        facts = self._facts.get(content_key)
        if facts is None:
            involved = {"apiVersion": api_version, "kind": kind, "name": obj_name, "uid": uid}
            if obj_namespace:
                involved["namespace"] = obj_namespace
            if rv:
                involved["resourceVersion"] = rv
            if field_path:
                involved["fieldPath"] = field_path
            namespace = obj_namespace or "default"
            obj_key = (kind, namespace, obj_name, uid, api_version)
            object_key = (kind, namespace, obj_name, uid, api_version, field_path)
            facts = (field_path, kind, namespace, obj_name, involved, obj_key, object_key,
                     (namespace, obj_name))
            if len(self._facts) >= MAX_LRU_CACHE_ENTRIES:
                self._facts.clear()
            self._facts[content_key] = facts
        self._last_obj = obj
        self._last_facts = facts
        return facts
