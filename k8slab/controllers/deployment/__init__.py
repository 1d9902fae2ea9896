"""Deployment controller (``pkg/controller/deployment``).

Split like upstream: this module holds the controller, its watch handlers and
``syncDeployment`` (``deployment_controller.go``); the rest lives in

- :mod:`.sync` — revisions, the new ReplicaSet, proportional scaling, cleanup, status;
- :mod:`.rolling` — ``rolloutRolling`` (scale the new RS up, then the old ones down);
- :mod:`.recreate` — ``rolloutRecreate`` (all old pods gone before the new RS grows);
- :mod:`.progress` — the Progressing condition and the progress-deadline requeue;
- :mod:`.util` — ``deployment_util.go`` plus the helpers kubectl's rollout commands use.

One sync works on a private copy ``d`` of the Deployment read at its start, keeping that
copy's ``resourceVersion`` for every status write, as upstream keeps its lister copy: when one
sync writes the Deployment twice (a new ReplicaSet's revision, then the rollout status) the
second write gets a Conflict and the key is retried a few milliseconds later — the same
"object has been modified" retry a real kube-controller-manager logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...api.errors import StatusError
from ...api.kinds import builtin
from ...api.selectors import from_label_selector
from ...api.store import DELETED, MODIFIED
from ..base import Controller, key_of, split_key
from ..replicaset import POD_OWNER_INDEX, claim_objects, ensure_pod_owner_index
from . import util
from .progress import ProgressMixin
from .recreate import RecreateMixin
from .rolling import RollingMixin
from .sync import SyncMixin

if TYPE_CHECKING:
    from ...cluster import Cluster

__all__ = ["DeploymentController"]

Obj = dict[str, Any]

DEPLOYMENT = builtin("apps/v1", "Deployment")
REPLICASET = builtin("apps/v1", "ReplicaSet")
POD = builtin("v1", "Pod")


def _working_copy(stored: Obj) -> Obj:
    """The sync's private ``d``: own metadata, annotations and status; spec shared."""
    meta = dict(stored["metadata"])
    meta["annotations"] = dict(meta.get("annotations") or {})
    status = dict(stored.get("status") or {})
    return {**stored, "metadata": meta, "status": status}


class DeploymentController(SyncMixin, RollingMixin, RecreateMixin, ProgressMixin, Controller):
    """``DeploymentController``: Deployments → ReplicaSets."""

    name = "deployment-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        ensure_pod_owner_index(self.api)
        self.watch(DEPLOYMENT, self._on_deployment)
        self.watch(REPLICASET, self._on_replica_set)
        self.watch(POD, self._on_pod)

    # ------------------------------------------------------------------ handlers

    def _on_deployment(self, event: str, d: Obj, old: Obj | None) -> None:
        self.enqueue(d)

    def _resolve(self, namespace: str, ref: Obj | None) -> Obj | None:
        """``resolveControllerRef``: the Deployment a controller reference points to."""
        if ref is None or ref.get("kind") != "Deployment":
            return None
        d = self.api.try_get(DEPLOYMENT, namespace, ref.get("name", ""))
        if d is None or d["metadata"].get("uid") != ref.get("uid"):
            return None
        return d

    def _deployments_for_rs(self, rs: Obj) -> list[Obj]:
        """``getDeploymentsForReplicaSet``: Deployments whose selector matches an orphan."""
        labels = rs["metadata"].get("labels")
        if not labels:
            return []
        out = []
        for d in self.api.list(DEPLOYMENT, rs["metadata"].get("namespace", "")):
            selector = (d.get("spec") or {}).get("selector")
            if selector and from_label_selector(selector).matches(labels):
                out.append(d)
        return out

    def _on_replica_set(self, event: str, rs: Obj, old: Obj | None) -> None:
        ns = rs["metadata"].get("namespace", "")
        ref = util.controller_ref(rs)
        if event == DELETED:
            d = self._resolve(ns, ref)
            if d is not None:
                self.enqueue(d)
            return
        if event == MODIFIED and old is not None:
            if old["metadata"].get("resourceVersion") == rs["metadata"].get("resourceVersion"):
                return
            old_ref = util.controller_ref(old)
            ref_changed = old_ref != ref
            if ref_changed and old_ref is not None:
                previous = self._resolve(ns, old_ref)
                if previous is not None:
                    self.enqueue(previous)
            if ref is not None:
                d = self._resolve(ns, ref)
                if d is not None:
                    self.enqueue(d)
                return
            labels_changed = old["metadata"].get("labels") != rs["metadata"].get("labels")
            if labels_changed or ref_changed:
                for d in self._deployments_for_rs(rs):
                    self.enqueue(d)
            return
        if ref is not None:
            d = self._resolve(ns, ref)
            if d is not None:
                self.enqueue(d)
            return
        for d in self._deployments_for_rs(rs):
            self.enqueue(d)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        # deletePod: a Recreate rollout waits for the last old pod to disappear.
        if event != DELETED:
            return
        ref = util.controller_ref(pod)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        ns = pod["metadata"].get("namespace", "")
        rs = self.api.try_get(REPLICASET, ns, ref.get("name", ""))
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return
        d = self._resolve(ns, util.controller_ref(rs))
        if d is None or ((d.get("spec") or {}).get("strategy") or {}).get("type") != "Recreate":
            return
        for owned in util.owned_replica_sets(self.api, d):
            if self.api.by_index(POD, POD_OWNER_INDEX, owned["metadata"]["uid"]):
                return
        self.enqueue(d)

    # ------------------------------------------------------------------ helpers for the mixins

    def pods_by_rs(self, rs_list: list[Obj]) -> dict[str, list[Obj]]:
        """``getPodMapForDeployment``: the pods each ReplicaSet controls, by RS uid."""
        return {rs["metadata"]["uid"]: self.api.by_index(POD, POD_OWNER_INDEX,
                                                         rs["metadata"]["uid"])
                for rs in rs_list}

    def update_status(self, d: Obj) -> Obj:
        """``UpdateStatus(d)`` with the sync's resourceVersion (may raise Conflict)."""
        meta = dict(d["metadata"])
        ann = dict(meta.get("annotations") or {})
        if ann:
            meta["annotations"] = ann
        else:
            meta.pop("annotations", None)
        body = {**d, "metadata": meta, "status": self.ordered_status(d["status"])}
        return self.api.update(body, source=self.name, status=True, trusted=True)

    def get_replica_sets_for_deployment(self, d: Obj) -> list[Obj]:
        """``getReplicaSetsForDeployment``: claim (adopt/release) the namespace's RSs."""
        meta = d["metadata"]
        selector = from_label_selector((d.get("spec") or {}).get("selector"))
        candidates = self.api.list(REPLICASET, meta.get("namespace", ""))

        def can_adopt() -> bool:
            fresh = self.api.try_get(DEPLOYMENT, meta.get("namespace", ""), meta["name"])
            return (fresh is not None and fresh["metadata"].get("uid") == meta.get("uid")
                    and not fresh["metadata"].get("deletionTimestamp"))

        return claim_objects(self.api, REPLICASET, d, selector, candidates, can_adopt,
                             source=self.name)

    # ------------------------------------------------------------------ syncDeployment

    def sync(self, key: str) -> None:
        ns, name = split_key(key)
        stored = self.api.try_get(DEPLOYMENT, ns, name)
        if stored is None:
            return
        d = _working_copy(stored)
        if (d.get("spec") or {}).get("selector") == {}:
            self.recorder.event(stored, "Warning", "SelectingAll",
                                "This deployment is selecting all pods. A non-empty selector "
                                "is required.")
            if d["status"].get("observedGeneration", 0) < util.generation(d):
                d["status"]["observedGeneration"] = util.generation(d)
                self.update_status(d)
            return
        rs_list = self.get_replica_sets_for_deployment(d)
        if d["metadata"].get("deletionTimestamp"):
            self.sync_status_only(d, rs_list)
            return
        self.check_paused_conditions(d)
        if (d.get("spec") or {}).get("paused"):
            self.sync_scale(d, rs_list)
            return
        if self.is_scaling_event(d, rs_list):
            self.sync_scale(d, rs_list)
            return
        strategy = ((d.get("spec") or {}).get("strategy") or {}).get("type")
        if strategy == "Recreate":
            self.rollout_recreate(d, rs_list, self.pods_by_rs(rs_list))
        elif strategy == "RollingUpdate":
            self.rollout_rolling(d, rs_list)
        else:
            raise StatusError(500, "InternalError",
                              f"unexpected deployment strategy type: {strategy}")

    def enqueue_key_after(self, d: Obj, delay: int) -> None:
        self.queue.add_after(key_of(d), delay)

    def enqueue_rate_limited(self, d: Obj) -> None:
        self.queue.add_rate_limited(key_of(d))
