"""DefaultPreemption (``plugins/defaultpreemption`` and ``framework/preemption``): PostFilter.

When no node fits, look for nodes where evicting lower-priority pods would make room:

- a pod with ``preemptionPolicy: Never`` is not eligible (``not eligible due to
  preemptionPolicy=Never.``);
- only nodes rejected as ``Unschedulable`` are candidates; the others are
  ``Preemption is not helpful for scheduling``;
- on a candidate node every lower-priority pod is a potential victim (none →
  ``No preemption victims found for incoming pod``); if the pod still does not fit without
  them the filter's reasons are reported; otherwise the most important victims (higher
  priority, then older) are reprieved one by one while the pod still fits;
- among the candidate nodes the one with the lowest highest-victim priority wins, then the
  lowest priority sum, the fewest victims, the latest start of the top victims;
- victims get the ``DisruptionTarget`` condition and are deleted, a ``Preempted`` event is
  recorded on each, and the pod is nominated to the node.

The message is the nested ``FitError`` of the dry run prefixed with ``preemption: `` — what
ends a FailedScheduling event.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..framework import UNRESOLVABLE, UNSCHEDULABLE, NodeInfo, PodEntry, PodInfo, Status

if TYPE_CHECKING:
    from ..algorithm import Algorithm, Diagnosis

__all__ = ["NAME", "Candidate", "dry_run", "select_victims"]

NAME = "DefaultPreemption"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
NOT_ELIGIBLE_NEVER = "not eligible due to preemptionPolicy=Never."
NOT_ELIGIBLE_TERMINATING = "not eligible due to a terminating pod on the nominated node."
MIN_CANDIDATE_PERCENTAGE = 10
MIN_CANDIDATE_ABSOLUTE = 100
_OFFSET = 2**31


class Candidate:
    __slots__ = ("node", "victims")

    def __init__(self, node: str, victims: list[PodEntry]) -> None:
        self.node = node
        self.victims = victims


def _terminating_by_preemption(entry: PodEntry) -> bool:
    if not entry.terminating:
        return False
    for cond in (entry.pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "DisruptionTarget":
            return cond.get("status") == "True" and cond.get("reason") == "PreemptionByScheduler"
    return False


def eligible(alg: Algorithm, pod: PodInfo, diagnosis: Diagnosis) -> tuple[bool, str]:
    """``PodEligibleToPreemptOthers``."""
    if pod.preemption_policy == "Never":
        return False, NOT_ELIGIBLE_NEVER
    nominated = pod.nominated_node
    if nominated:
        status = diagnosis.status_of(nominated)
        if status is not None and status.code == UNRESOLVABLE:
            return True, ""
        ni = alg.cache.nodes.get(nominated)
        if ni is not None:
            for entry in ni.pods.values():
                if entry.priority < pod.priority and _terminating_by_preemption(entry):
                    return False, NOT_ELIGIBLE_TERMINATING
    return True, ""


def select_victims(alg: Algorithm, pod: PodInfo,
                   ni: NodeInfo) -> tuple[list[PodEntry] | None, Status | None]:
    """``SelectVictimsOnNode``: the fewest, least important pods whose removal makes room."""
    potential = [e for e in ni.pods.values() if e.priority < pod.priority]
    if not potential:
        return None, Status(UNRESOLVABLE, NO_VICTIMS, plugin=NAME)
    trial = ni.clone()
    for e in potential:
        trial.remove(e)
    status = alg.run_filters(pod, trial)
    if status is not None:
        return None, status
    potential.sort(key=lambda e: (-e.priority, e.start, e.key))
    victims = []
    for e in potential:
        trial.add(e)
        if alg.run_filters(pod, trial) is not None:
            trial.remove(e)
            victims.append(e)
    return victims, None


def dry_run(alg: Algorithm, pod: PodInfo,
            diagnosis: Diagnosis) -> tuple[list[Candidate], dict[str, Status]]:
    """``findCandidates`` + ``DryRunPreemption`` over the nodes rejected as Unschedulable."""
    order = alg.cache.node_order()
    potential = [ni for ni in order
                 if (st := diagnosis.status_of(ni.name)) is not None and st.code == UNSCHEDULABLE]
    if not potential:
        return [], {}
    want = max(len(potential) * MIN_CANDIDATE_PERCENTAGE // 100, MIN_CANDIDATE_ABSOLUTE)
    want = min(want, len(potential))
    offset = alg.rng.randrange(len(potential))
    candidates: list[Candidate] = []
    statuses: dict[str, Status] = {}
    for i in range(len(potential)):
        ni = potential[(offset + i) % len(potential)]
        victims, status = select_victims(alg, pod, ni)
        if victims is not None:
            candidates.append(Candidate(ni.name, victims))
            if len(candidates) >= want:
                break
        elif status is not None:
            statuses[ni.name] = status
    return candidates, statuses


def pick(candidates: list[Candidate]) -> Candidate:
    """``pickOneNodeForPreemption``."""
    def highest(c: Candidate) -> int:
        return max((v.priority for v in c.victims), default=-_OFFSET)

    def earliest_top_start(c: Candidate) -> str:
        top = highest(c)
        return min((v.start for v in c.victims if v.priority == top), default="")

    best = candidates
    for key in (highest,
                lambda c: sum(v.priority + _OFFSET for v in c.victims),
                lambda c: len(c.victims)):
        low = min(key(c) for c in best)
        best = [c for c in best if key(c) == low]
        if len(best) == 1:
            return best[0]
    latest = max(earliest_top_start(c) for c in best)
    return next(c for c in best if earliest_top_start(c) == latest)
