"""The Recreate strategy (``pkg/controller/deployment/recreate.go``).

Scale every old ReplicaSet to 0; wait until no old pod is left that is not Succeeded or Failed
— a terminating pod still counts, so the new pods never overlap the old ones (kubernetes.md
§1.8); only then create the new ReplicaSet, or scale it, straight to ``replicas``. The
controller hears of the last old pod's removal through its pod watch (``deletePod``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import util

__all__ = ["RecreateMixin"]

Obj = dict[str, Any]


def old_pods_running(new_rs: Obj | None, old_rss: list[Obj],
                     pod_map: dict[str, list[Obj]]) -> bool:
    """``oldPodsRunning``: an old RS still reports pods, or an old pod is not terminal."""
    if util.actual_replica_count(old_rss) > 0:
        return True
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    for uid in sorted(pod_map):
        if uid == new_uid:
            continue
        for pod in pod_map[uid]:
            if (pod.get("status") or {}).get("phase") not in ("Failed", "Succeeded"):
                return True
    return False


class RecreateMixin:
    """The parts of ``DeploymentController`` that live in recreate.go."""

    # Provided by SyncMixin and ProgressMixin. Declared, not defined: a definition here would
    # come before theirs in DeploymentController's MRO.
    get_all_replica_sets_and_sync_revision: Callable[
        [Obj, list[Obj], bool], tuple[Obj | None, list[Obj]]]
    sync_rollout_status: Callable[[Sequence[Obj | None], Obj | None, Obj], None]
    cleanup_deployment: Callable[[list[Obj], Obj], None]
    scale_replica_set_and_record_event: Callable[[Obj, int, Obj], tuple[bool, Obj]]

    def rollout_recreate(self, d: Obj, rs_list: list[Obj],
                         pod_map: dict[str, list[Obj]]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, False)
        all_rss: list[Obj | None] = [*old_rss, new_rs]
        if self.scale_down_old_replica_sets_for_recreate(util.filter_active(old_rss), d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if old_pods_running(new_rs, old_rss, pod_map):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if new_rs is None:
            new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
            all_rss = [*old_rss, new_rs]
        assert new_rs is not None
        self.scale_replica_set_and_record_event(new_rs, util.replicas(d), d)
        if util.deployment_complete(d, d["status"]):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def scale_down_old_replica_sets_for_recreate(self, old_rss: list[Obj], d: Obj) -> bool:
        scaled = False
        for rs in old_rss:
            if util.replicas(rs) == 0:
                continue
            did, _ = self.scale_replica_set_and_record_event(rs, 0, d)
            scaled = scaled or did
        return scaled
