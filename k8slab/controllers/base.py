"""The shape every controller shares: watch → enqueue a key → ``sync(key)``.

Modelled on the controllers in ``k8s.io/kubernetes/pkg/controller`` and
``k8s.io/client-go/util/workqueue``:

- watch handlers never do work themselves; they only resolve which object is affected and
  enqueue its ``namespace/name`` key;
- the work queue de-duplicates keys: a key added many times before a worker picks it up is
  synced once;
- a worker pops keys and calls the controller's ``sync(key)``, which re-reads the current state
  from the apiserver and reconciles it, idempotently;
- a sync that raises is retried through the default controller rate limiter
  (``workqueue.DefaultTypedControllerRateLimiter``: the larger of a per-key delay of 5 ms
  doubling to 1000 s, reset by a successful sync, and an overall token bucket of 10 adds per
  second with a burst of 100), as are the controllers' own ``enqueueRateLimited`` re-checks
  (:meth:`WorkQueue.add_rate_limited`); ``enqueue_after`` schedules a re-check at a time
  (progress deadlines, min-ready waits).

``syncHandler`` is a plain attribute, as in the Go controllers, so a test can swap it out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from mypy_extensions import mypyc_attr

from ..api.errors import StatusError
from ..api.kinds import Kind
from ..sim.clock import MILLISECOND, SECOND

if TYPE_CHECKING:
    from ..api.events import EventRecorder
    from ..api.store import APIServer
    from ..cluster import Cluster
    from ..sim.clock import Loop

__all__ = ["Controller", "WorkQueue", "key_of", "split_key"]

Obj = dict[str, Any]

# DefaultTypedControllerRateLimiter's overall bucket: 10 qps, burst 100
BUCKET_QPS = 10
BUCKET_BURST = 100


def key_of(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    ns = meta.get("namespace")
    return f"{ns}/{meta['name']}" if ns else meta["name"]


def split_key(key: str) -> tuple[str, str]:
    if "/" in key:
        ns, name = key.split("/", 1)
        return ns, name
    return "", key


class WorkQueue:
    """A de-duplicating, rate-limited queue of keys drained by one worker on the loop."""

    def __init__(
        self,
        cluster: Cluster,
        handler: Callable[[str], None],
        *,
        name: str,
        latency: int = 1 * MILLISECOND,
    ) -> None:
        self.cluster = cluster
        self.handler = handler
        self.name = name
        self.latency = latency
        self._queue: dict[str, None] = {}
        self._processing: set[str] = set()
        self._dirty_while_processing: dict[str, None] = {}
        self._scheduled = False
        self._failures: dict[str, int] = {}
        self._delayed: dict[str, Any] = {}
        # BucketRateLimiter(rate.NewLimiter(10, 100)): tokens and when they were counted
        self._tokens = float(BUCKET_BURST)
        self._tokens_at = cluster.loop.now

    def add(self, key: str) -> None:
        if key in self._processing:
            self._dirty_while_processing[key] = None
            return
        self._queue[key] = None
        if not self._scheduled:
            self._scheduled = True
            self.cluster.loop.call_later(self.latency, self._drain)

    def add_after(self, key: str, delay: int) -> None:
        """Add ``key`` once ``delay`` ns have passed (an earlier pending add wins)."""
        if delay <= 0:
            self.add(key)
            return
        loop = self.cluster.loop
        due = loop.now + delay
        pending = self._delayed.get(key)
        if pending is not None and not pending.cancelled and pending.when <= due:
            return
        if pending is not None:
            pending.cancel()
        self._delayed[key] = loop.call_at(due, self._fire_delayed, key)

    def when(self, key: str) -> int:
        """``RateLimiter.When``: the delay before ``key`` may be added again.

        The larger of ``ItemExponentialFailureRateLimiter(5ms, 1000s)`` (each call without a
        :meth:`forget` doubles it) and a reservation on the token bucket (``x/time/rate``'s
        ``Reserve().Delay()``: tokens may go negative, and the debt is the wait).
        """
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        backoff = (min(5 * MILLISECOND * 2 ** failures, 1000 * SECOND) if failures < 40
                   else 1000 * SECOND)
        now = self.cluster.loop.now
        tokens = min(float(BUCKET_BURST),
                     self._tokens + (now - self._tokens_at) * BUCKET_QPS / SECOND) - 1.0
        self._tokens, self._tokens_at = tokens, now
        bucket = 0 if tokens >= 0 else int(-tokens * SECOND / BUCKET_QPS)
        return backoff if backoff > bucket else bucket

    def add_rate_limited(self, key: str) -> None:
        """``AddRateLimited``: add ``key`` after :meth:`when` says."""
        self.add_after(key, self.when(key))

    def forget(self, key: str) -> None:
        """``Forget``: the key's per-item back-off starts again from 5 ms."""
        self._failures.pop(key, None)

    def _fire_delayed(self, key: str) -> None:
        self._delayed.pop(key, None)
        self.add(key)

    def __len__(self) -> int:
        return len(self._queue)

    def queued(self, key: str) -> bool:
        """Whether ``key`` waits in the queue with a drain scheduled: :meth:`add` of it would
        change nothing now. (A key is never both queued and processing; while a drain runs,
        ``_scheduled`` is false and an add schedules the next one, so that case is excluded.)"""
        return self._scheduled and key in self._queue

    def _drain(self) -> None:
        self._scheduled = False
        while self._queue:
            key = next(iter(self._queue))
            del self._queue[key]
            self._processing.add(key)
            try:
                self.handler(key)
            except StatusError:
                # The Go controllers requeue with back-off on any API error (handleErr).
                self.add_rate_limited(key)
            else:
                self.forget(key)
            finally:
                self._processing.discard(key)
            if key in self._dirty_while_processing:
                del self._dirty_while_processing[key]
                self.add(key)


# Compiled (tools/build_native.py), yet the Deployment controller, built over mixins mypyc
# cannot compile, derives from it in Python.
@mypyc_attr(allow_interpreted_subclasses=True)
class Controller:
    """Base for kube-controller-manager's controllers.

    Subclasses set ``name`` (the component name events carry, e.g. ``deployment-controller``),
    call :meth:`watch` in ``__init__`` and implement :meth:`sync`.
    """

    # A class attribute, not an instance one: compiled, a plain default would become a field
    # that shadows the Deployment controller's own name.
    name: ClassVar[str] = "controller"

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api: APIServer = cluster.api
        self.loop: Loop = cluster.loop
        self.recorder: EventRecorder = cluster.recorder(self.name)
        self.queue = WorkQueue(cluster, self._sync_key, name=self.name)
        self.syncHandler: Callable[[str], None] = self.sync

    def _sync_key(self, key: str) -> None:
        self.syncHandler(key)

    def watch(self, kind: Kind, handler: Callable[[str, Obj, Obj | None], None]) -> None:
        self.api.watch(kind, handler, latency=self.cluster.watch_latency(self.name),
                       name=self.name)

    def enqueue(self, obj: Obj) -> None:
        self.queue.add(key_of(obj))

    def sync(self, key: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError
