"""ResourceQuota controller (``pkg/controller/resourcequota/resource_quota_controller.go``).

Keeps every quota's ``status`` true: ``hard`` mirrors ``spec.hard`` and ``used`` is recounted
from the namespace's objects when a quota changes or an object it counts goes away or finishes
(upstream replenishes on deletes and on pods reaching a terminal phase; the ResourceQuota
admission plugin charges creates itself). Namespaces without a quota cost one dictionary lookup
per event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.admission import compute_quota_usage
from ..api.errors import StatusError
from ..api.kinds import builtin, by_gvk
from ..api.store import DELETED
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["ResourceQuotaController"]

Obj = dict[str, Any]

QUOTA = builtin("v1", "ResourceQuota")
# What the lab's quotas count (pods, services, claims, config objects).
_REPLENISHED = (("v1", "Pod"), ("v1", "Service"), ("v1", "PersistentVolumeClaim"),
                ("v1", "ConfigMap"), ("v1", "Secret"), ("v1", "ReplicationController"))


class ResourceQuotaController(Controller):
    name = "resourcequota-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.watch(QUOTA, self._on_quota)
        for api_version, kind in _REPLENISHED:
            k = by_gvk(api_version, kind)
            if k is not None:
                self.watch(k, self._on_object)

    def _on_quota(self, event: str, rq: Obj, old: Obj | None) -> None:
        if event == DELETED:
            return
        if old is None or (rq.get("spec") or {}) != (old.get("spec") or {}) or \
                not (rq.get("status") or {}).get("used"):
            self.queue.add(rq["metadata"].get("namespace", ""))

    def _on_object(self, event: str, obj: Obj, old: Obj | None) -> None:
        # (the event's own test first: most events, a pod's writes, fail it, and it is
        # cheaper than asking the store whether the namespace has a quota)
        terminal = ("Succeeded", "Failed")
        if event == DELETED or ((obj.get("status") or {}).get("phase") in terminal and (
                old is None or (old.get("status") or {}).get("phase") not in terminal)):
            namespace = obj["metadata"].get("namespace", "")
            if self.api.has_objects(QUOTA, namespace):
                self.queue.add(namespace)

    def sync(self, key: str) -> None:
        for rq in sorted(self.api.iter_kind(QUOTA, key), key=lambda q: q["metadata"]["name"]):
            hard = (rq.get("spec") or {}).get("hard") or {}
            status = {"hard": dict(hard), "used": compute_quota_usage(self.api, rq)}
            if rq.get("status") == status:
                continue
            try:
                self.api.update({**rq, "status": status}, source=self.name, status=True,
                                trusted=True, check_version=False)
            except StatusError as err:
                if err.reason != "NotFound":
                    raise
