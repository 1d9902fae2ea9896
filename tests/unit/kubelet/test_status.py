"""The kubelet-owned pod conditions and their transition times (``pod_conditions``)."""

from __future__ import annotations

from typing import Any

from k8slab.kubelet.status import KUBELET_CONDITIONS, ConditionTimes, pod_conditions
from k8slab.sim.clock import SECOND

T0 = 1_700_000_000 * SECOND  # 2023-11-14T22:13:20Z
SCHEDULED = "2023-11-14T22:13:00Z"
WAITING = [{"name": "web", "ready": False}]
READY = [{"name": "web", "ready": True}]


def _times(conds: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    return {c["type"]: (c["status"], c["lastTransitionTime"]) for c in conds}


def test_times_move_only_for_the_conditions_that_flip() -> None:
    ltt = ConditionTimes()
    first = pod_conditions("Pending", WAITING, False, SCHEDULED, ltt, T0, None)
    assert [c["type"] for c in first] == list(KUBELET_CONDITIONS)
    assert _times(first) == {
        "PodReadyToStartContainers": ("False", "2023-11-14T22:13:20Z"),
        "Initialized": ("True", "2023-11-14T22:13:20Z"),
        "Ready": ("False", "2023-11-14T22:13:20Z"),
        "ContainersReady": ("False", "2023-11-14T22:13:20Z"),
        "PodScheduled": ("True", SCHEDULED),
    }
    assert first[2]["message"] == "containers with unready status: [web]"
    # Nothing flipped: the same conditions, ten seconds later.
    assert pod_conditions("Pending", WAITING, False, SCHEDULED, ltt, T0 + 10 * SECOND,
                          None) == first
    # The sandbox comes up, then the container is ready: only those conditions move.
    up = pod_conditions("Pending", WAITING, True, SCHEDULED, ltt, T0 + 20 * SECOND, 1)
    assert _times(up)["PodReadyToStartContainers"] == ("True", "2023-11-14T22:13:40Z")
    assert _times(up)["Ready"] == ("False", "2023-11-14T22:13:20Z")
    assert all(c["observedGeneration"] == 1 for c in up)
    ready = pod_conditions("Running", READY, True, SCHEDULED, ltt, T0 + 30 * SECOND, 1)
    assert _times(ready) == {
        "PodReadyToStartContainers": ("True", "2023-11-14T22:13:40Z"),
        "Initialized": ("True", "2023-11-14T22:13:20Z"),
        "Ready": ("True", "2023-11-14T22:13:50Z"),
        "ContainersReady": ("True", "2023-11-14T22:13:50Z"),
        "PodScheduled": ("True", SCHEDULED),
    }
    assert "message" not in ready[2]


def test_pod_scheduled_follows_the_stored_pod_until_the_kubelet_stamps_it() -> None:
    ltt = ConditionTimes()
    pod_conditions("Pending", WAITING, False, SCHEDULED, ltt, T0, None)
    # Someone rewrote the stored PodScheduled time: the next status carries it.
    moved = pod_conditions("Pending", WAITING, False, "2023-11-14T22:12:00Z", ltt,
                           T0 + SECOND, None)
    assert _times(moved)["PodScheduled"] == ("True", "2023-11-14T22:12:00Z")
    # A pod without one gets the kubelet's stamp, which then stays.
    ltt = ConditionTimes()
    conds = pod_conditions("Succeeded", [], False, "", ltt, T0, None)
    assert {c["lastTransitionTime"] for c in conds} == {"2023-11-14T22:13:20Z"}
    assert conds[2]["reason"] == "PodCompleted"
    later = pod_conditions("Succeeded", [], False, SCHEDULED, ltt, T0 + SECOND, None)
    assert _times(later)["PodScheduled"] == ("True", "2023-11-14T22:13:20Z")
