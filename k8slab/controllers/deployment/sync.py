"""Scaling, revisions and status of a Deployment (``pkg/controller/deployment/sync.go``).

- ``getNewReplicaSet``: find the ReplicaSet whose template matches (oldest first) and bring its
  annotations up to date, or create ``<deployment>-<pod-template-hash>`` already sized by
  ``NewRSNewReplicas``; on a name clash with a different template bump
  ``status.collisionCount`` and retry.
- ``scale``: proportional scaling when the replica count changes with more than one active
  ReplicaSet (kubernetes.md §1.7).
- ``scaleReplicaSet``: one ReplicaSet update plus the ``ScalingReplicaSet`` event in the
  wording of current master (``Scaled up replica set web-5d8f from 1 to 3``; a new ReplicaSet
  is announced as ``Scaled up replica set web-5d8f from 0 to 3``).
- ``cleanupDeployment``: delete old, empty ReplicaSets beyond ``revisionHistoryLimit``.
- ``calculateStatus``: the counters and the Available condition (kubernetes.md §1.5), with
  ``terminatingReplicas`` (DeploymentReplicaSetTerminatingReplicas, beta and on since 1.35).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from ...api.errors import StatusError
from ...api.kinds import builtin
from ...sim.timefmt import rfc3339
from . import util

if TYPE_CHECKING:
    from ...api.events import EventRecorder
    from ...api.store import APIServer
    from ...sim.clock import Loop

__all__ = ["SyncMixin"]

Obj = dict[str, Any]

REPLICASET = builtin("apps/v1", "ReplicaSet")

_STATUS_ORDER = ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
                 "availableReplicas", "unavailableReplicas", "terminatingReplicas",
                 "conditions", "collisionCount")


def _meta(obj: Obj) -> Obj:
    return obj["metadata"]


class SyncMixin:
    """The parts of ``DeploymentController`` that live in sync.go."""

    name: ClassVar[str]
    api: APIServer
    loop: Loop
    recorder: EventRecorder

    # provided by the controller
    def update_status(self, d: Obj) -> Obj:  # pragma: no cover
        raise NotImplementedError

    def now(self) -> str:
        return rfc3339(self.loop.now)

    @staticmethod
    def ordered_status(status: Obj) -> Obj:
        """The status dict in ``DeploymentStatus`` field order (for ``-o json``)."""
        out = {k: status[k] for k in _STATUS_ORDER if k in status}
        for k, v in status.items():
            if k not in out:
                out[k] = v
        return out

    # ------------------------------------------------------------------ entry points

    def sync_status_only(self, d: Obj, rs_list: list[Obj]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def sync_scale(self, d: Obj, rs_list: list[Obj]) -> None:
        """``sync``: scaling events and paused deployments."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        self.scale(d, new_rs, old_rss)
        if (d.get("spec") or {}).get("paused"):
            self.cleanup_deployment(old_rss, d)
        self.sync_deployment_status([*old_rss, new_rs], new_rs, d)

    def check_paused_conditions(self, d: Obj) -> None:
        """``checkPausedConditions``: DeploymentPaused / DeploymentResumed (status Unknown)."""
        if not util.has_progress_deadline(d):
            return
        cond = util.condition(d["status"], "Progressing")
        if cond is not None and cond.get("reason") == util.TIMED_OUT:
            return
        paused_exists = cond is not None and cond.get("reason") == util.PAUSED
        paused = bool((d.get("spec") or {}).get("paused"))
        if paused and not paused_exists:
            util.set_condition(d["status"], util.new_condition(
                "Progressing", "Unknown", util.PAUSED, "Deployment is paused", self.now()))
        elif not paused and paused_exists:
            util.set_condition(d["status"], util.new_condition(
                "Progressing", "Unknown", util.RESUMED, "Deployment is resumed", self.now()))
        else:
            return
        self.update_status(d)

    def is_scaling_event(self, d: Obj, rs_list: list[Obj]) -> bool:
        """``isScalingEvent``: an active RS remembers a different desired replica count."""
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        for rs in util.filter_active([*old_rss, new_rs]):
            desired = util.desired_replicas_annotation(rs)
            if desired is not None and desired != util.replicas(d):
                return True
        return False

    # ------------------------------------------------------------------ revisions & new RS

    def get_all_replica_sets_and_sync_revision(
        self, d: Obj, rs_list: list[Obj], create: bool
    ) -> tuple[Obj | None, list[Obj]]:
        _, all_old = util.find_old_replica_sets(d, rs_list)
        new_rs = self.get_new_replica_set(d, rs_list, all_old, create)
        return new_rs, all_old

    def get_new_replica_set(
        self, d: Obj, rs_list: list[Obj], old_rss: list[Obj], create: bool
    ) -> Obj | None:
        existing = util.find_new_replica_set(d, rs_list)
        new_revision = str(util.max_revision(old_rss) + 1)
        spec = d.get("spec") or {}
        min_ready = spec.get("minReadySeconds") or 0

        if existing is not None:
            ann = dict(util.annotations_of(existing))
            updated = util.set_new_replica_set_annotations(d, ann, new_revision, True)
            rs_spec = existing.get("spec") or {}
            if updated or (rs_spec.get("minReadySeconds") or 0) != min_ready:
                new_spec = {k: v for k, v in rs_spec.items() if k != "minReadySeconds"}
                if min_ready:
                    new_spec["minReadySeconds"] = min_ready
                body = {**existing, "metadata": {**_meta(existing), "annotations": ann},
                        "spec": new_spec}
                return self.api.update(body, source=self.name, trusted=True)
            needs_update = self._set_revision(d, ann.get(util.REVISION_ANNOTATION, ""))
            cond = util.condition(d["status"], "Progressing")
            if util.has_progress_deadline(d) and cond is None:
                util.set_condition(d["status"], util.new_condition(
                    "Progressing", "True", util.FOUND_NEW_RS,
                    f'Found new replica set "{_meta(existing)["name"]}"', self.now()))
                needs_update = True
            if needs_update:
                self.update_status(d)
            return existing

        if not create:
            return None

        meta = _meta(d)
        template = spec.get("template") or {}
        collision = d["status"].get("collisionCount")
        pod_hash = util.compute_hash(template, collision)
        labels = {**((template.get("metadata") or {}).get("labels") or {}),
                  util.HASH_LABEL: pod_hash}
        new_template = {**template, "metadata": {**(template.get("metadata") or {}),
                                                 "labels": labels}}
        selector = dict(spec.get("selector") or {})
        selector["matchLabels"] = {**(selector.get("matchLabels") or {}),
                                   util.HASH_LABEL: pod_hash}
        rs_name = f"{meta['name']}-{pod_hash}"
        rs_spec = {"replicas": 0}
        if min_ready:
            rs_spec["minReadySeconds"] = min_ready
        rs_spec["selector"] = selector
        rs_spec["template"] = new_template
        new_rs: Obj = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": rs_name, "namespace": meta.get("namespace", "default"),
                         "labels": dict(labels), "annotations": {},
                         "ownerReferences": [util.new_controller_ref(d)]},
            "spec": rs_spec,
        }
        count = util.new_rs_new_replicas(d, [*old_rss, new_rs], new_rs)
        rs_spec["replicas"] = count
        util.set_new_replica_set_annotations(d, new_rs["metadata"]["annotations"],
                                             new_revision, False)
        already_exists = False
        try:
            created = self.api.create(new_rs, source=self.name, trusted=True)
        except StatusError as err:
            if err.reason == "AlreadyExists":
                found = self.api.try_get(REPLICASET, meta.get("namespace", ""), rs_name)
                if found is not None and util.is_controlled_by(found, d) and (
                        util.equal_ignore_hash(template, util.template_of(found))):
                    created = found
                    already_exists = True
                else:
                    # A hash collision: count it and let the retry pick another name.
                    d["status"]["collisionCount"] = (collision or 0) + 1
                    self.update_status(d)
                    raise
            elif err.reason == "Forbidden" and "being terminated" in err.message:
                raise
            else:
                msg = f'Failed to create new replica set "{rs_name}": {err.message}'
                if util.has_progress_deadline(d):
                    util.set_condition(d["status"], util.new_condition(
                        "Progressing", "False", util.FAILED_RS_CREATE, msg, self.now()))
                    with contextlib.suppress(StatusError):
                        self.update_status(d)
                self.recorder.event(d, "Warning", util.FAILED_RS_CREATE, msg)
                raise
        created_name = _meta(created)["name"]
        if not already_exists and count > 0:
            self.recorder.event(d, "Normal", "ScalingReplicaSet",
                                f"Scaled up replica set {created_name} from 0 to {count}")
        needs_update = self._set_revision(d, new_revision)
        if not already_exists and util.has_progress_deadline(d):
            util.set_condition(d["status"], util.new_condition(
                "Progressing", "True", util.NEW_RS_CREATED,
                f'Created new replica set "{created_name}"', self.now()))
            needs_update = True
        if needs_update:
            self.update_status(d)
        return created

    @staticmethod
    def _set_revision(d: Obj, rev: str) -> bool:
        """``SetDeploymentRevision`` on the working copy."""
        ann = _meta(d).setdefault("annotations", {})
        if ann.get(util.REVISION_ANNOTATION) != rev:
            ann[util.REVISION_ANNOTATION] = rev
            return True
        return False

    # ------------------------------------------------------------------ scaling

    def scale(self, d: Obj, new_rs: Obj | None, old_rss: list[Obj]) -> None:
        """``scale``: proportional scaling across active ReplicaSets."""
        d_replicas = util.replicas(d)
        active_or_latest = util.find_active_or_latest(new_rs, old_rss)
        if active_or_latest is not None:
            if util.replicas(active_or_latest) == d_replicas:
                return
            self.scale_replica_set_and_record_event(active_or_latest, d_replicas, d)
            return
        if util.is_saturated(d, new_rs):
            for old in util.filter_active(old_rss):
                self.scale_replica_set_and_record_event(old, 0, d)
            return
        if not util.is_rolling_update(d):
            return
        all_rss = util.filter_active([*old_rss, new_rs])
        all_replicas = util.replica_count(all_rss)
        allowed = d_replicas + util.max_surge(d) if d_replicas > 0 else 0
        to_add = allowed - all_replicas
        operation = ""
        if to_add > 0:
            all_rss = util.sort_by_size_newer(all_rss)
            operation = "up"
        elif to_add < 0:
            all_rss = sorted(all_rss, key=util.by_size_older)
            operation = "down"
        added = 0
        sizes: dict[str, int] = {}
        for rs in all_rss:
            if to_add != 0:
                proportion = util.get_proportion(rs, d, to_add, added)
                sizes[_meta(rs)["name"]] = util.replicas(rs) + proportion
                added += proportion
            else:
                sizes[_meta(rs)["name"]] = util.replicas(rs)
        for i, rs in enumerate(all_rss):
            name = _meta(rs)["name"]
            if i == 0 and to_add != 0:
                sizes[name] = max(0, sizes[name] + to_add - added)
            self.scale_replica_set(rs, sizes[name], d, operation)

    def scale_replica_set_and_record_event(
        self, rs: Obj, new_scale: int, d: Obj
    ) -> tuple[bool, Obj]:
        if util.replicas(rs) == new_scale:
            return False, rs
        operation = "up" if util.replicas(rs) < new_scale else "down"
        return self.scale_replica_set(rs, new_scale, d, operation)

    def scale_replica_set(
        self, rs: Obj, new_scale: int, d: Obj, operation: str
    ) -> tuple[bool, Obj]:
        """``scaleReplicaSet``: one RS update (size and replica annotations) and its event."""
        d_replicas = util.replicas(d)
        maximum = d_replicas + util.max_surge(d)
        old_scale = util.replicas(rs)
        size_needs_update = old_scale != new_scale
        if not size_needs_update and not util.replicas_annotations_need_update(
                rs, d_replicas, maximum):
            return False, rs
        ann = dict(util.annotations_of(rs))
        util.set_replicas_annotations(ann, d_replicas, maximum)
        body = {**rs, "metadata": {**_meta(rs), "annotations": ann},
                "spec": {**(rs.get("spec") or {}), "replicas": new_scale}}
        updated = self.api.update(body, source=self.name, trusted=True)
        if size_needs_update:
            self.recorder.event(
                d, "Normal", "ScalingReplicaSet",
                f"Scaled {operation} replica set {_meta(updated)['name']} from {old_scale} "
                f"to {new_scale}")
        return size_needs_update, updated

    # ------------------------------------------------------------------ cleanup & status

    def cleanup_deployment(self, old_rss: list[Obj], d: Obj) -> None:
        """``cleanupDeployment``: keep at most ``revisionHistoryLimit`` old ReplicaSets."""
        if not util.has_revision_history_limit(d):
            return
        cleanable = [rs for rs in old_rss if rs is not None
                     and not _meta(rs).get("deletionTimestamp")]
        diff = len(cleanable) - util.spec_int(d, "revisionHistoryLimit")
        if diff <= 0:
            return
        cleanable.sort(key=util.by_revision)
        for rs in cleanable[:diff]:
            if (util.status_int(rs, "replicas") != 0 or util.replicas(rs) != 0
                    or util.generation(rs) > util.status_int(rs, "observedGeneration")
                    or _meta(rs).get("deletionTimestamp")):
                continue
            try:
                self.api.delete(REPLICASET, _meta(rs).get("namespace", ""), _meta(rs)["name"],
                                source=self.name)
            except StatusError as err:
                if err.reason != "NotFound":
                    raise

    def sync_deployment_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None,
                               d: Obj) -> None:
        status = self.calculate_status(all_rss, new_rs, d)
        if status == d["status"]:
            return
        d["status"] = status
        self.update_status(d)

    def calculate_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None, d: Obj) -> Obj:
        """``calculateStatus`` (omitempty fields left out when zero)."""
        available = util.available_replica_count(all_rss)
        total = util.replica_count(all_rss)
        values = {
            "observedGeneration": util.generation(d),
            "replicas": util.actual_replica_count(all_rss),
            "updatedReplicas": util.actual_replica_count([new_rs]),
            "readyReplicas": util.ready_replica_count(all_rss),
            "availableReplicas": available,
            "unavailableReplicas": max(0, total - available),
        }
        status: Obj = {k: v for k, v in values.items() if v}
        terminating = util.terminating_replica_count(all_rss)
        if terminating is not None:
            status["terminatingReplicas"] = terminating
        old = d["status"]
        if old.get("conditions"):
            status["conditions"] = list(old["conditions"])
        if old.get("collisionCount") is not None:
            status["collisionCount"] = old["collisionCount"]
        if available >= util.replicas(d) - util.max_unavailable(d):
            cond = util.new_condition("Available", "True", util.MIN_AVAILABLE,
                                      "Deployment has minimum availability.", self.now())
        else:
            cond = util.new_condition("Available", "False", util.MIN_UNAVAILABLE,
                                      "Deployment does not have minimum availability.",
                                      self.now())
        util.set_condition(status, cond)
        return self.ordered_status(status)
