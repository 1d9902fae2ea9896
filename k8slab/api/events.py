"""Recording Kubernetes Events, as ``k8s.io/client-go/tools/record`` does.

Components report what they did as core/v1 ``Event`` objects: ``Scheduled``, ``Pulling``,
``ScalingReplicaSet``, ``Unhealthy``… The recorder names each event
``<object>.<hex of the first timestamp in ns>`` and, like client-go's ``EventCorrelator``,
folds a repeat of the same (object, type, reason, message, source) into the existing event by
raising ``count`` and ``lastTimestamp`` — which is where ``kubectl describe``'s
``12s (x3 over 2m)`` comes from.
"""

from __future__ import annotations

from typing import Any

from ..sim.timefmt import rfc3339
from .kinds import by_gvk
from .store import APIServer

__all__ = ["EventRecorder"]

Obj = dict[str, Any]
EVENT = by_gvk("v1", "Event")


class EventRecorder:
    """Creates and aggregates Events on behalf of one component (and host, for kubelets)."""

    def __init__(self, api: APIServer, component: str, host: str = "") -> None:
        self.api = api
        self.component = component
        self.host = host
        # aggregation key → (namespace, event name)
        self._seen: dict[tuple[Any, ...], tuple[str, str]] = {}

    def event(
        self,
        obj: Obj,
        type_: str,
        reason: str,
        message: str,
        *,
        field_path: str = "",
    ) -> Obj | None:
        """Record one event about ``obj`` (``type_`` is ``Normal`` or ``Warning``)."""
        assert EVENT is not None
        meta = obj.get("metadata") or {}
        namespace = meta.get("namespace") or "default"
        involved: Obj = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj.get("kind", ""),
            "name": meta.get("name", ""),
            "uid": meta.get("uid", ""),
        }
        if meta.get("namespace"):
            involved["namespace"] = meta["namespace"]
        if meta.get("resourceVersion"):
            involved["resourceVersion"] = meta["resourceVersion"]
        if field_path:
            involved["fieldPath"] = field_path
        now = self.api.loop.now
        key = (involved["uid"], involved["kind"], involved["name"], field_path, type_, reason,
               message)
        seen = self._seen.get(key)
        if seen is not None:
            existing = self.api.try_get(EVENT, *seen)
            if existing is not None:
                new = dict(existing)
                new["count"] = int(existing.get("count", 1)) + 1
                new["lastTimestamp"] = rfc3339(now)
                new["metadata"] = dict(existing["metadata"])
                return self.api.update(new, source=self.component, trusted=True)
        source: Obj = {"component": self.component}
        if self.host:
            source["host"] = self.host
        event: Obj = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": f"{involved['name']}.{now:x}",
                "namespace": namespace,
            },
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": source,
            "firstTimestamp": rfc3339(now),
            "lastTimestamp": rfc3339(now),
            "count": 1,
            "type": type_,
            "eventTime": None,
            "reportingComponent": self.component,
            "reportingInstance": self.host,
        }
        name = event["metadata"]["name"]
        bump = 0
        while self.api.try_get(EVENT, namespace, name) is not None:
            bump += 1
            name = f"{involved['name']}.{now + bump:x}"
        event["metadata"]["name"] = name
        created = self.api.create(event, source=self.component, trusted=True)
        self._seen[key] = (namespace, name)
        return created
