"""ServiceAccount controller (``pkg/controller/serviceaccount/serviceaccounts_controller.go``).

Every namespace gets a ``default`` ServiceAccount a few milliseconds after it is created, and
gets it back if it is deleted. Since 1.24 no token Secret comes with it: pods mount a projected,
short-lived token instead (see the ServiceAccount admission plugin in
:mod:`k8slab.api.admission`). Terminating namespaces are left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.store import DELETED
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["ServiceAccountController"]

Obj = dict[str, Any]

NAMESPACE = builtin("v1", "Namespace")
SERVICE_ACCOUNT = builtin("v1", "ServiceAccount")
# --service-account-names is not a flag any more; the controller manages exactly this one.
MANAGED = ("default",)


class ServiceAccountController(Controller):
    name = "service-account-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.watch(NAMESPACE, self._on_namespace)
        self.watch(SERVICE_ACCOUNT, self._on_service_account)

    def _on_namespace(self, event: str, ns: Obj, old: Obj | None) -> None:
        if event != DELETED:
            self.queue.add(ns["metadata"]["name"])

    def _on_service_account(self, event: str, sa: Obj, old: Obj | None) -> None:
        meta = sa["metadata"]
        if event == DELETED and meta.get("name") in MANAGED:
            self.queue.add(meta.get("namespace", ""))

    def sync(self, key: str) -> None:
        ns = self.api.try_get(NAMESPACE, "", key)
        if ns is None or (ns.get("status") or {}).get("phase") != "Active":
            return
        for name in MANAGED:
            if self.api.try_get(SERVICE_ACCOUNT, key, name) is not None:
                continue
            try:
                self.api.create({"apiVersion": "v1", "kind": "ServiceAccount",
                                 "metadata": {"name": name, "namespace": key}},
                                source=self.name, trusted=True)
            except StatusError as err:
                # Forbidden: the namespace started terminating in the meantime.
                if err.reason not in ("AlreadyExists", "Forbidden", "NotFound"):
                    raise
