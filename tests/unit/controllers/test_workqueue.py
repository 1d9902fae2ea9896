"""The controllers' work queue and its default rate limiter.

Reference: client-go ``util/workqueue/default_rate_limiters.go``
(``DefaultTypedControllerRateLimiter``: ``MaxOf(ItemExponentialFailureRateLimiter(5ms,
1000s), BucketRateLimiter(rate.NewLimiter(10, 100)))``) and the deployment controller's
``requeueStuckDeployment`` (``pkg/controller/deployment/progress.go``), which calls
``enqueueRateLimited`` on every sync once a progress deadline is less than a second away.
"""

from __future__ import annotations

import controller_fakes as fk

from k8slab.controllers.base import WorkQueue
from k8slab.controllers.deployment import util
from k8slab.sim.clock import MILLISECOND, SECOND


def queue() -> WorkQueue:
    cluster, _ = fk.world()
    return WorkQueue(cluster, lambda key: None, name="test")


def test_per_key_backoff_doubles_and_forget_resets_it() -> None:
    q = queue()
    assert [q.when("a") for _ in range(4)] == [5 * MILLISECOND, 10 * MILLISECOND,
                                               20 * MILLISECOND, 40 * MILLISECOND]
    assert q.when("b") == 5 * MILLISECOND  # per key
    q.forget("a")
    assert q.when("a") == 5 * MILLISECOND


def test_backoff_is_capped_at_1000_seconds() -> None:
    q = queue()
    delays = [q.when("a") for _ in range(30)]
    assert max(delays) == 1000 * SECOND and delays[-1] == 1000 * SECOND


def test_token_bucket_allows_a_burst_of_100_then_10_per_second() -> None:
    q = queue()
    delays = []
    for _ in range(103):
        delays.append(q.when("a"))
        q.forget("a")  # a successful sync: only the bucket is left to pace the key
    assert set(delays[:100]) == {5 * MILLISECOND}
    assert delays[100:] == [100 * MILLISECOND, 200 * MILLISECOND, 300 * MILLISECOND]
    q.cluster.loop.advance(10 * SECOND)  # refilled: 100 tokens again at most
    assert q.when("a") == 5 * MILLISECOND


def test_stuck_deployment_is_rechecked_ten_times_a_second_at_most() -> None:
    """A Deployment whose rollout finished more than progressDeadlineSeconds ago and that is
    then incomplete (a pod turned unready) keeps ``Progressing=True/NewReplicaSetAvailable``:
    upstream neither times it out nor stops re-checking it, and the bucket paces the checks."""
    cluster, kubelet = fk.world()
    cluster.api.create(fk.deployment(replicas=2, progressDeadlineSeconds=10), source="kubectl")
    fk.run_until(cluster, lambda: fk.rollout_done(cluster))
    cluster.loop.advance(60 * SECOND)
    controller = cluster.controller_manager.controllers["deployment"]
    syncs: list[int] = []
    original = controller.syncHandler
    controller.syncHandler = lambda key: (syncs.append(cluster.loop.now), original(key))[1]
    pod = cluster.api.list(fk.POD, "default")[0]
    kubelet.set_ready(pod, False)
    cluster.loop.advance(100 * SECOND)
    d = cluster.api.get(fk.DEPLOYMENT, "default", "web")
    progressing = util.condition(d["status"], "Progressing")
    assert progressing is not None and progressing["reason"] == "NewReplicaSetAvailable"
    # rechecked all along: a burst of 100, then 10 a second
    assert syncs[-1] > cluster.loop.now - SECOND
    assert 1000 <= len(syncs) <= 100 + 10 * 100 + 5


def test_queued_means_an_add_would_change_nothing() -> None:
    """``queued`` lets a handler skip work whose only effect is re-adding a waiting key: it must
    be false while a drain runs (an add then schedules the next drain) and for a key being
    processed (an add marks it dirty)."""
    seen: dict[str, tuple[bool, bool]] = {}
    q = queue()

    def handler(key: str) -> None:
        seen[key] = (q.queued("a"), q.queued("b"))

    q.handler = handler
    assert not q.queued("a")
    q.add("a")
    q.add("b")
    assert q.queued("a") and q.queued("b")
    q.cluster.loop.advance(1 * SECOND)
    # during the drain: "a" is processing, "b" waits but no drain is scheduled
    assert seen["a"] == (False, False)
    assert not q.queued("a") and not q.queued("b")
