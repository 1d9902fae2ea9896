"""The scheduling queue (``pkg/scheduler/backend/queue/scheduling_queue.go``)."""

from __future__ import annotations

import nodeworld as nw

from k8slab.scheduler.framework import PodInfo
from k8slab.scheduler.queue import QueuedPodInfo, SchedulingQueue
from k8slab.sim.clock import SECOND, Loop


def _info(name: str, priority: int = 0) -> PodInfo:
    return PodInfo({"metadata": {"name": name, "namespace": "default", "uid": name},
                    "spec": {"priority": priority, "containers": [{"name": "c"}]}})


def test_backoff_doubles_from_one_to_ten_seconds() -> None:
    qpi = QueuedPodInfo(_info("p"), 0)
    waits = []
    for count in range(1, 7):
        qpi.unschedulable_count = count
        waits.append(qpi.backoff_expiry() // SECOND)
    assert waits == [1, 2, 4, 8, 10, 10]


def test_active_queue_orders_by_priority_then_arrival() -> None:
    loop = Loop(0)
    q = SchedulingQueue(loop, lambda: None)
    q.add(_info("a"))
    loop.advance(SECOND)
    q.add(_info("b", priority=5))
    q.add(_info("c"))
    order = [q.pop().key for _ in range(3)]  # type: ignore[union-attr]
    assert order == ["default/b", "default/a", "default/c"]
    assert q.pop() is None


def test_event_moves_a_backing_off_pod_to_backoff_then_active() -> None:
    loop = Loop(0)
    q = SchedulingQueue(loop, lambda: None)
    q.add(_info("p"))
    qpi = q.pop()
    assert qpi is not None
    q.add_unschedulable(qpi, ("NodeResourcesFit",))
    assert q.unschedulable and q.pop() is None
    assert q.move(lambda _q: True) == 1
    assert qpi.where == "backoff"
    loop.advance(2 * SECOND)
    assert qpi.where == "active"


def test_too_many_pods() -> None:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("a", pods="2"))
    for i in range(3):
        nw.create_pod(c, nw.pod_obj(f"p{i}"))
    c.loop.advance(SECOND)
    pod = c.api.get(nw.POD, "default", "p2")
    assert nw.condition(pod, "PodScheduled")["message"] == (
        "0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: "
        "1 No preemption victims found for incoming pod.")
