"""The Progressing condition and the progress deadline (``pkg/controller/deployment/progress.go``).

During a rollout every pass that sees more updated, ready or available pods (or fewer old ones)
refreshes ``Progressing=True/ReplicaSetUpdated`` ('ReplicaSet "x" is progressing.'); a complete
rollout turns it into ``NewReplicaSetAvailable`` ('ReplicaSet "x" has successfully
progressed.'); ``progressDeadlineSeconds`` without progress turns it into
``Progressing=False/ProgressDeadlineExceeded`` ('ReplicaSet "x" has timed out progressing.'),
which does not roll anything back (kubernetes.md §1.5). A deployment that is not progressing is
re-queued for the moment its deadline passes (``requeueStuckDeployment``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ...sim.clock import SECOND
from ...sim.timefmt import parse_rfc3339
from . import util

if TYPE_CHECKING:
    from ...sim.clock import Loop

__all__ = ["ProgressMixin"]

Obj = dict[str, Any]


class ProgressMixin:
    """The parts of ``DeploymentController`` that live in progress.go."""

    # Provided by the controller and SyncMixin. Declared, not defined: a definition here would
    # come before theirs in DeploymentController's MRO.
    loop: Loop
    now: Callable[[], str]
    calculate_status: Callable[[Sequence[Obj | None], Obj | None, Obj], Obj]
    ordered_status: Callable[[Obj], Obj]
    update_status: Callable[[Obj], Obj]
    enqueue_rate_limited: Callable[[Obj], None]
    enqueue_key_after: Callable[[Obj, int], None]

    def sync_rollout_status(self, all_rss: Sequence[Obj | None], new_rs: Obj | None,
                            d: Obj) -> None:
        status = self.calculate_status(all_rss, new_rs, d)
        now = self.now()
        if not util.has_progress_deadline(d):
            util.remove_condition(status, "Progressing")
        current = util.condition(d["status"], "Progressing")
        complete_before = (status.get("replicas", 0) == status.get("updatedReplicas", 0)
                           and current is not None
                           and current.get("reason") == util.NEW_RS_AVAILABLE)
        name = d["metadata"]["name"]
        subject = (f'ReplicaSet "{new_rs["metadata"]["name"]}"' if new_rs is not None
                   else f'Deployment "{name}"')
        if util.has_progress_deadline(d) and not complete_before:
            if util.deployment_complete(d, status):
                util.set_condition(status, util.new_condition(
                    "Progressing", "True", util.NEW_RS_AVAILABLE,
                    f"{subject} has successfully progressed.", now))
            elif util.deployment_progressing(d, status):
                cond = util.new_condition("Progressing", "True", util.REPLICASET_UPDATED,
                                          f"{subject} is progressing.", now)
                if current is not None:
                    if current.get("status") == "True":
                        cond["lastTransitionTime"] = current.get("lastTransitionTime")
                    util.remove_condition(status, "Progressing")
                util.set_condition(status, cond)
            elif util.deployment_timed_out(d, status, self.loop.now):
                util.set_condition(status, util.new_condition(
                    "Progressing", "False", util.TIMED_OUT,
                    f"{subject} has timed out progressing.", now))
        failures = self.replica_failures(all_rss, new_rs)
        if failures:
            util.set_condition(status, failures[0])
        else:
            util.remove_condition(status, "ReplicaFailure")
        status = self.ordered_status(status)
        if status == d["status"]:
            self.requeue_stuck_deployment(d, status)
            return
        d["status"] = status
        self.update_status(d)

    @staticmethod
    def replica_failures(all_rss: Sequence[Obj | None], new_rs: Obj | None) -> list[Obj]:
        """``getReplicaFailures``: ReplicaFailure conditions, the new RS's first."""
        def convert(rs: Obj) -> list[Obj]:
            out = []
            for c in (rs.get("status") or {}).get("conditions") or ():
                if c.get("type") == "ReplicaFailure":
                    out.append({"type": "ReplicaFailure", "status": c.get("status"),
                                "lastUpdateTime": c.get("lastTransitionTime"),
                                "lastTransitionTime": c.get("lastTransitionTime"),
                                "reason": c.get("reason"), "message": c.get("message")})
            return out

        if new_rs is not None:
            found = convert(new_rs)
            if found:
                return found
        out: list[Obj] = []
        for rs in all_rss:
            if rs is not None:
                out.extend(convert(rs))
        return out

    def requeue_stuck_deployment(self, d: Obj, status: Obj) -> None:
        """Re-check a deployment when its progress deadline passes."""
        current = util.condition(d["status"], "Progressing")
        if not util.has_progress_deadline(d) or current is None:
            return
        if util.deployment_complete(d, status) or current.get("reason") == util.TIMED_OUT:
            return
        deadline = (parse_rfc3339(current["lastUpdateTime"])
                    + util.spec_int(d, "progressDeadlineSeconds") * SECOND)
        after = deadline - self.loop.now
        if after < SECOND:
            # "requeue the deployment immediately. Make it ratelimited so we stay on the safe
            # side": while a deployment that last progressed long ago is incomplete (a node
            # down, pods not ready) this runs on every sync, so the queue's token bucket (10
            # per second) is what paces it
            self.enqueue_rate_limited(d)
            return
        # "Add a second to avoid milliseconds skew in AddAfter."
        self.enqueue_key_after(d, after + SECOND)
