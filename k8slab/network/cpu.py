"""Server-side CPU: request queueing per container and the CPU seconds metrics-server reads.

Each container that serves requests has a :class:`CpuState`, created the first time a request
reaches it. The model:

- **capacity** ``C`` cores = the smallest of the container's CPU limit (CFS quota), the node's
  cores, and the app's parallelism (``App.workers``: nginx 1.10/1.11 run one worker process,
  newer ones one per core; gunicorn's sync worker one; php-fpm five children…);
- a request costs ``cpu`` ns of CPU (from the app's answer) and ``latency − cpu`` ns of
  non-CPU time (I/O, sleeps). Its CPU part is served by a *fluid FIFO queue* of speed ``C``:
  work arriving at ``t`` starts when the work before it is done and the queue drains ``C``
  CPU-seconds per second; a lone request can use at most one core (``min(1, C)``, so a 100m
  limit makes a 60 ms request take 600 ms, as CFS throttling does). So the response time is
  ``max(t + cpu/min(1, C), queue drained) − t + (latency − cpu)``;
- **usage**: the CPU time actually consumed by ``now`` (work assigned minus the backlog still
  queued), plus the app's idle rate (``App.idle_cpu`` millicores) while it runs. This is the
  cumulative counter cAdvisor reports (``container_cpu_usage_seconds_total``) and the HPA
  chapter's metrics-server differentiates: :meth:`k8slab.network.model.Network.cpu_usage`.

Containers on one node do not compete with each other for the node's cores (see
docs/realism.md): a node's pods are rarely saturated in the course.
"""

from __future__ import annotations

from typing import Any

from ..api.quantity import parse as parse_quantity

__all__ = ["CpuState", "container_capacity"]


def _cores(value: Any) -> float | None:
    if value is None:
        return None
    try:
        q = parse_quantity(str(value))
    except (ValueError, TypeError):
        return None
    return float(q)


def container_capacity(container: Any, app: Any) -> float:
    """Cores a container's requests can use: limit, node cores and app parallelism."""
    node_cores = float(getattr(container, "cpus", 1) or 1)
    cap = node_cores
    spec = getattr(container, "spec", None) or {}
    limit = _cores(((spec.get("resources") or {}).get("limits") or {}).get("cpu"))
    if limit is not None and limit > 0:
        cap = min(cap, limit)
    workers = getattr(app, "workers", None)
    if callable(workers):
        workers = workers()
    if workers:
        cap = min(cap, float(workers))
    return max(cap, 0.001)


class CpuState:
    """One container's CPU queue and counter."""

    __slots__ = ("assigned", "busy_until", "capacity", "idle_rate", "single", "started_at")

    def __init__(self, capacity: float, started_at: int, idle_millicores: float = 0.0) -> None:
        self.capacity = capacity
        self.single = min(1.0, capacity)
        self.busy_until = 0.0
        self.assigned = 0
        self.started_at = started_at
        self.idle_rate = idle_millicores / 1000.0

    def serve(self, t: int, cpu: int, latency: int) -> int:
        """Queue a request arriving at ``t``; return its server time (ns)."""
        extra = latency - cpu
        if extra < 0:
            extra = 0
        if cpu <= 0:
            return extra
        busy = self.busy_until
        start = t if t > busy else busy
        busy = start + cpu / self.capacity
        self.busy_until = busy
        done = t + cpu / self.single
        if busy > done:
            done = busy
        self.assigned += cpu
        return int(done - t) + extra

    def usage(self, now: int) -> int:
        """CPU ns consumed by ``now`` since the container started."""
        backlog = self.busy_until - now
        used = self.assigned - (backlog * self.capacity if backlog > 0 else 0)
        idle = (now - self.started_at) * self.idle_rate if now > self.started_at else 0
        return int(max(0.0, used) + idle)
