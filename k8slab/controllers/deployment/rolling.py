"""The RollingUpdate strategy (``pkg/controller/deployment/rolling.go``).

One pass (kubernetes.md §1.3): get or create the new ReplicaSet; scale it up as far as
``maxSurge`` allows and stop if it grew; otherwise scale old ReplicaSets down — first shedding
their unavailable pods ("cleanup unhealthy"), then as many available ones as keeps
``replicas − maxUnavailable`` pods available; clean up history once the rollout is complete;
update the status. The (10,0) → (10,1) → (9,1) → … → (0,10) sequence of §1.4 is not written
anywhere: it falls out of these rules and of when pods become available.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import util

__all__ = ["RollingMixin"]

Obj = dict[str, Any]


class RollingMixin:
    """The parts of ``DeploymentController`` that live in rolling.go."""

    # Provided by SyncMixin and ProgressMixin. Declared, not defined: a definition here would
    # come before theirs in DeploymentController's MRO.
    get_all_replica_sets_and_sync_revision: Callable[
        [Obj, list[Obj], bool], tuple[Obj | None, list[Obj]]]
    sync_rollout_status: Callable[[Sequence[Obj | None], Obj | None, Obj], None]
    cleanup_deployment: Callable[[list[Obj], Obj], None]
    scale_replica_set_and_record_event: Callable[[Obj, int, Obj], tuple[bool, Obj]]

    def rollout_rolling(self, d: Obj, rs_list: list[Obj]) -> None:
        new_rs, old_rss = self.get_all_replica_sets_and_sync_revision(d, rs_list, True)
        assert new_rs is not None  # create=True: the new ReplicaSet found or created
        all_rss = [*old_rss, new_rs]
        if self.reconcile_new_replica_set(all_rss, new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if self.reconcile_old_replica_sets(all_rss, util.filter_active(old_rss), new_rs, d):
            self.sync_rollout_status(all_rss, new_rs, d)
            return
        if util.deployment_complete(d, d["status"]):
            self.cleanup_deployment(old_rss, d)
        self.sync_rollout_status(all_rss, new_rs, d)

    def reconcile_new_replica_set(self, all_rss: list[Obj], new_rs: Obj, d: Obj) -> bool:
        want = util.replicas(d)
        have = util.replicas(new_rs)
        if have == want:
            return False
        if have > want:
            scaled, _ = self.scale_replica_set_and_record_event(new_rs, want, d)
            return bool(scaled)
        count = util.new_rs_new_replicas(d, all_rss, new_rs)
        scaled, _ = self.scale_replica_set_and_record_event(new_rs, count, d)
        return bool(scaled)

    def reconcile_old_replica_sets(
        self, all_rss: list[Obj], old_rss: list[Obj], new_rs: Obj, d: Obj
    ) -> bool:
        if util.replica_count(old_rss) == 0:
            return False
        all_pods = util.replica_count(all_rss)
        min_available = util.replicas(d) - util.max_unavailable(d)
        new_unavailable = util.replicas(new_rs) - util.status_int(new_rs, "availableReplicas")
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        old_rss, cleaned = self.cleanup_unhealthy_replicas(old_rss, d, max_scaled_down)
        scaled_down = self.scale_down_old_replica_sets_for_rolling_update(
            [*old_rss, new_rs], old_rss, d)
        return cleaned + scaled_down > 0

    def cleanup_unhealthy_replicas(
        self, old_rss: list[Obj], d: Obj, max_cleanup: int
    ) -> tuple[list[Obj], int]:
        """Scale old RSs down by their unavailable pods (oldest RS first)."""
        old_rss = sorted(old_rss, key=util.by_creation)
        total = 0
        for i, rs in enumerate(old_rss):
            if total >= max_cleanup:
                break
            have = util.replicas(rs)
            available = util.status_int(rs, "availableReplicas")
            if have == 0 or have == available:
                continue
            count = min(max_cleanup - total, have - available)
            _, updated = self.scale_replica_set_and_record_event(rs, have - count, d)
            total += count
            old_rss[i] = updated
        return old_rss, total

    def scale_down_old_replica_sets_for_rolling_update(
        self, all_rss: list[Obj], old_rss: list[Obj], d: Obj
    ) -> int:
        """Scale old RSs down while keeping ``replicas − maxUnavailable`` available."""
        min_available = util.replicas(d) - util.max_unavailable(d)
        available = util.available_replica_count(all_rss)
        if available <= min_available:
            return 0
        to_scale = available - min_available
        total = 0
        for rs in sorted(old_rss, key=util.by_creation):
            if total >= to_scale:
                break
            have = util.replicas(rs)
            if have == 0:
                continue
            count = min(have, to_scale - total)
            self.scale_replica_set_and_record_event(rs, have - count, d)
            total += count
        return total
