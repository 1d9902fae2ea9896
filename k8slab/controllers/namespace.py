"""Namespace controller (``pkg/controller/namespace``, ``namespaced_resources_deleter.go``).

``kubectl delete namespace x`` only marks the namespace (``deletionTimestamp``, phase
``Terminating``); this controller then empties it:

1. every namespaced kind the apiserver serves with list and delete is deleted (background
   propagation; pods gracefully), in discovery order;
2. what is still there is counted: pods still terminating make the controller come back after
   half of the longest grace period (+1 s, ``ResourcesRemainingError``), objects held by
   finalizers after 15 s (``finalizerEstimateSeconds``);
3. the namespace's status conditions say how far it got, as ``kubectl get ns x -o yaml``
   shows them on a real cluster: ``NamespaceDeletionDiscoveryFailure``,
   ``NamespaceDeletionGroupVersionParsingFailure``, ``NamespaceDeletionContentFailure``,
   ``NamespaceContentRemaining`` ("Some resources are remaining: pods. has 3 resource
   instances"), ``NamespaceFinalizersRemaining``;
4. once nothing is left the ``kubernetes`` finalizer is removed from ``spec.finalizers``
   (the ``finalize`` subresource) and the namespace object goes away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import KINDS, builtin
from ..sim.clock import MILLISECOND, SECOND
from ..sim.timefmt import rfc3339
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["NamespaceController"]

Obj = dict[str, Any]

NAMESPACE = builtin("v1", "Namespace")
FINALIZER = "kubernetes"
FINALIZER_ESTIMATE_SECONDS = 15

# namespaced_resources_deleter.go: condition types in the order they are reported, with the
# reason and message of their "everything is fine" variant.
_OK: tuple[tuple[str, str, str], ...] = (
    ("NamespaceDeletionDiscoveryFailure", "ResourcesDiscovered",
     "All resources successfully discovered"),
    ("NamespaceDeletionGroupVersionParsingFailure", "ParsedGroupVersions",
     "All legacy kube types successfully parsed"),
    ("NamespaceDeletionContentFailure", "ContentDeleted",
     "All content successfully deleted, may be waiting on finalization"),
    ("NamespaceContentRemaining", "ContentRemoved", "All content successfully removed"),
    ("NamespaceFinalizersRemaining", "ContentHasNoFinalizers",
     "All content-preserving finalizers finished"),
)


class NamespaceController(Controller):
    """Deletes the content of terminating namespaces, then the namespaces."""

    name = "namespace-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self._kinds = [k for k in KINDS if k.namespaced and "list" in k.verbs
                       and "delete" in k.verbs]
        self.watch(NAMESPACE, self._on_namespace)

    def _on_namespace(self, event: str, ns: Obj, old: Obj | None) -> None:
        if ns["metadata"].get("deletionTimestamp") and event != "DELETED":
            self.enqueue(ns)

    def sync(self, key: str) -> None:
        ns = self.api.try_get(NAMESPACE, "", key)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return
        if (ns.get("status") or {}).get("phase") != "Terminating":
            ns = self.api.update({**ns, "status": {**(ns.get("status") or {}),
                                                   "phase": "Terminating"}},
                                 source=self.name, status=True, trusted=True)
        if not (ns.get("spec") or {}).get("finalizers"):
            self._remove(key)
            return
        try:
            estimate, remaining, finalizers = self._delete_all_content(key)
        except StatusError:
            self._set_conditions(key, {}, {}, content_failure=True)
            raise
        self._set_conditions(key, remaining, finalizers)
        if estimate > 0:
            self.queue.add_after(key, (estimate // 2 + 1) * SECOND)
            return
        if remaining:
            # "unexpected items still remain in namespace": retried like any sync error
            self.queue.add_after(key, 5 * MILLISECOND)
            return
        self._finalize(key)

    # ------------------------------------------------------------------ content

    def _delete_all_content(self, namespace: str) -> tuple[int, dict[str, int], dict[str, int]]:
        estimate = 0
        remaining: dict[str, int] = {}
        finalizers: dict[str, int] = {}
        for kind in self._kinds:
            objs = self.api.list(kind, namespace)
            if not objs:
                continue
            kind_estimate = 0
            if kind.kind == "Pod":
                kind_estimate = max(
                    (int((p.get("spec") or {}).get("terminationGracePeriodSeconds") or 0)
                     for p in objs if (p.get("status") or {}).get("phase")
                     not in ("Succeeded", "Failed")), default=0)
            for obj in objs:
                if obj["metadata"].get("deletionTimestamp"):
                    continue
                try:
                    self.api.delete(kind, namespace, obj["metadata"]["name"], source=self.name)
                except StatusError as err:
                    if err.reason != "NotFound":
                        raise
            left = self.api.list(kind, namespace)
            if left:
                resource = f"{kind.plural}.{kind.group}"
                remaining[resource] = len(left)
                kind_finalizers: dict[str, int] = {}
                for obj in left:
                    for fin in obj["metadata"].get("finalizers") or ():
                        kind_finalizers[fin] = kind_finalizers.get(fin, 0) + 1
                for fin, count in kind_finalizers.items():
                    finalizers[fin] = finalizers.get(fin, 0) + count
                if kind_estimate == 0 and kind_finalizers:
                    kind_estimate = FINALIZER_ESTIMATE_SECONDS
            estimate = max(estimate, kind_estimate)
        return estimate, remaining, finalizers

    # ------------------------------------------------------------------ status

    def _set_conditions(self, name: str, remaining: dict[str, int],
                        finalizers: dict[str, int], *, content_failure: bool = False) -> None:
        ns = self.api.try_get(NAMESPACE, "", name)
        if ns is None:
            return
        now = rfc3339(self.loop.now)
        status = dict(ns.get("status") or {})
        old = {c.get("type"): c for c in status.get("conditions") or ()}
        conditions: list[Obj] = []
        for kind, ok_reason, ok_message in _OK:
            cond_status, reason, message = "False", ok_reason, ok_message
            if kind == "NamespaceContentRemaining" and remaining:
                cond_status, reason = "True", "SomeResourcesRemain"
                message = "Some resources are remaining: " + ", ".join(sorted(
                    f"{res} has {n} resource instances" for res, n in remaining.items()))
            elif kind == "NamespaceFinalizersRemaining" and finalizers:
                cond_status, reason = "True", "SomeFinalizersRemain"
                message = ("Some content in the namespace has finalizers remaining: "
                           + ", ".join(sorted(f"{fin} in {n} resource instances"
                                              for fin, n in finalizers.items())))
            elif kind == "NamespaceDeletionContentFailure" and content_failure:
                cond_status, reason = "True", "ContentDeletionFailed"
                message = "Failed to delete all resource types, 1 remaining"
            previous = old.get(kind)
            if previous is not None and previous.get("status") == cond_status and (
                    previous.get("reason") == reason and previous.get("message") == message):
                conditions.append(previous)
            else:
                conditions.append({"type": kind, "status": cond_status,
                                   "lastTransitionTime": now, "reason": reason,
                                   "message": message})
        if conditions == status.get("conditions"):
            return
        status["conditions"] = conditions
        self.api.update({**ns, "status": status}, source=self.name, status=True, trusted=True)

    # ------------------------------------------------------------------ finalize

    def _finalize(self, name: str) -> None:
        ns = self.api.try_get(NAMESPACE, "", name)
        if ns is None:
            return
        spec = ns.get("spec") or {}
        finalizers = [f for f in spec.get("finalizers") or () if f != FINALIZER]
        new_spec = {k: v for k, v in spec.items() if k != "finalizers"}
        if finalizers:
            new_spec["finalizers"] = finalizers
        if new_spec != spec:
            self.api.update({**ns, "spec": new_spec}, source=self.name, trusted=True)
        if not finalizers:
            # ``namespaces/finalize`` with no finalizer left: the apiserver deletes it
            self._remove(name)

    def _remove(self, name: str) -> None:
        ns = self.api.try_get(NAMESPACE, "", name)
        if ns is None or ns["metadata"].get("finalizers"):
            return
        try:
            self.api.remove(NAMESPACE, "", name, source=self.name)
        except StatusError as err:
            if err.reason != "NotFound":
                raise
