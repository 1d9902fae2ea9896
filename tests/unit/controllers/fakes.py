"""A stand-in for the scheduler and the kubelets while the controllers are tested alone.

:func:`world` builds a :class:`~k8slab.cluster.Cluster` *without* booting it — no real node
exists, so the real scheduler and kubelets never touch a pod — creates the standard
namespaces, and starts a :class:`FakeKubelet` that

- binds every new pod to one of a few fake nodes (round robin) the instant it appears,
- marks it Running and Ready after ``ready_after`` — or at the next multiple of ``tick``, so
  that pods created at different moments become ready together, or (``serial``) one pod per
  ``tick`` in creation order — unless ``ready(pod)`` says the pod never gets ready (a bad
  image),
- finishes a deletion ``terminate_after`` after the ``deletionTimestamp`` appears.

Tests import it as ``controller_fakes`` (registered by this directory's conftest; scenario
tests load it by path) so that it cannot clash with another directory's helpers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8slab.api.kinds import by_gvk
from k8slab.api.store import DELETED
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import rfc3339

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
NAMESPACE = by_gvk("v1", "Namespace")
DEPLOYMENT = by_gvk("apps/v1", "Deployment")
REPLICASET = by_gvk("apps/v1", "ReplicaSet")
EVENT = by_gvk("v1", "Event")


class FakeKubelet:
    def __init__(
        self,
        cluster: Cluster,
        *,
        nodes: tuple[str, ...] = ("fake-1", "fake-2", "fake-3"),
        ready_after: int = 1 * SECOND,
        tick: int = 0,
        serial: bool = False,
        terminate_after: int = 1 * SECOND,
        ready: Callable[[Obj], bool] = lambda pod: True,
    ) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.nodes = nodes
        self.ready_after = ready_after
        self.tick = tick
        self.serial = serial
        self._queue: list[tuple[tuple[str, str], str]] = []
        self.terminate_after = terminate_after
        self.ready = ready
        self.enabled = True
        self._next = 0
        self._terminating: set[tuple[str, str]] = set()
        self.api.watch(POD, self._on_pod, latency=0, name="fake-kubelet")

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        if event == DELETED or not self.enabled:
            return
        meta = pod["metadata"]
        ident = (meta["namespace"], meta["name"])
        if meta.get("deletionTimestamp"):
            if ident not in self._terminating:
                self._terminating.add(ident)
                self.cluster.loop.call_later(self.terminate_after, self._remove, ident,
                                             meta["uid"])
            return
        if not (pod.get("spec") or {}).get("nodeName"):
            node = self.nodes[self._next % len(self.nodes)]
            self._next += 1
            self.api.bind(meta["namespace"], meta["name"], node, source="fake-scheduler")
            loop = self.cluster.loop
            if self.serial:
                # one pod at a time becomes ready, every ``tick``
                self._queue.append((ident, meta["uid"]))
                if len(self._queue) == 1:
                    loop.call_later(self.tick, self._start_next)
            elif self.tick:
                due = (loop.now // self.tick + 1) * self.tick
                loop.call_at(due, self._start, ident, meta["uid"])
            else:
                loop.call_later(self.ready_after, self._start, ident, meta["uid"])

    def _start_next(self) -> None:
        ident, uid = self._queue.pop(0)
        self._start(ident, uid)
        if self._queue:
            self.cluster.loop.call_later(self.tick, self._start_next)

    def _live(self, ident: tuple[str, str], uid: str) -> Obj | None:
        pod = self.api.try_get(POD, *ident)
        if pod is None or pod["metadata"]["uid"] != uid:
            return None
        return pod

    def _start(self, ident: tuple[str, str], uid: str) -> None:
        pod = self._live(ident, uid)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return
        now = rfc3339(self.cluster.loop.now)
        ok = self.ready(pod)
        flag = "True" if ok else "False"
        conditions = [c for c in (pod.get("status") or {}).get("conditions") or ()
                      if c.get("type") == "PodScheduled"]
        conditions += [
            {"type": "Initialized", "status": "True", "lastProbeTime": None,
             "lastTransitionTime": now},
            {"type": "Ready", "status": flag, "lastProbeTime": None,
             "lastTransitionTime": now},
            {"type": "ContainersReady", "status": flag, "lastProbeTime": None,
             "lastTransitionTime": now},
        ]
        status = {**(pod.get("status") or {}), "phase": "Running" if ok else "Pending",
                  "conditions": conditions}
        self.api.update({**pod, "status": status}, source="fake-kubelet", status=True,
                        trusted=True)

    def set_ready(self, pod: Obj, ready: bool) -> None:
        """Flip a running pod's readiness (a failing or recovering readiness probe)."""
        now = rfc3339(self.cluster.loop.now)
        flag = "True" if ready else "False"
        status = dict(pod.get("status") or {})
        status["conditions"] = [
            {**c, "status": flag, "lastTransitionTime": now}
            if c.get("type") in ("Ready", "ContainersReady") else c
            for c in status.get("conditions") or ()]
        self.api.update({**pod, "status": status}, source="fake-kubelet", status=True,
                        trusted=True)

    def _remove(self, ident: tuple[str, str], uid: str) -> None:
        self._terminating.discard(ident)
        if self._live(ident, uid) is not None:
            self.api.remove(POD, *ident, source="fake-kubelet")


def world(seed: int = 0, **kubelet: Any) -> tuple[Cluster, FakeKubelet]:
    """A cluster with namespaces and controllers but no real nodes, plus the fake kubelet."""
    cluster = Cluster(seed=seed)
    for ns in ("default", "kube-node-lease", "kube-public", "kube-system"):
        cluster.api.create(
            {"apiVersion": "v1", "kind": "Namespace",
             "metadata": {"name": ns, "labels": {"kubernetes.io/metadata.name": ns}},
             "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}},
            source="test", trusted=True)
    # let the service-account controller give every namespace its "default" account
    cluster.loop.advance(1 * SECOND)
    return cluster, FakeKubelet(cluster, **kubelet)


def deployment(name: str = "web", *, replicas: int = 3, image: str = "nginx:1.25",
               strategy: Obj | None = None, **spec: Any) -> Obj:
    """A Deployment body as kubectl would send it (the server fills in the defaults)."""
    body: Obj = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}},
                         "spec": {"containers": [{"name": "nginx", "image": image}]}},
            **spec,
        },
    }
    if strategy is not None:
        body["spec"]["strategy"] = strategy
    return body


def set_image(cluster: Cluster, name: str, image: str, namespace: str = "default") -> Obj:
    """``kubectl set image deployment/<name> nginx=<image>`` (a patch through the apiserver)."""
    def mutate(d: Obj) -> Obj:
        d["spec"]["template"]["spec"]["containers"][0]["image"] = image
        return d
    return cluster.api.patch(DEPLOYMENT, namespace, name, mutate, source="kubectl")


def scale(cluster: Cluster, name: str, replicas: int, namespace: str = "default") -> Obj:
    def mutate(d: Obj) -> Obj:
        d["spec"]["replicas"] = replicas
        return d
    return cluster.api.patch(DEPLOYMENT, namespace, name, mutate, source="kubectl")


def events(cluster: Cluster, reason: str | None = None, kind: str | None = None) -> list[str]:
    """Event messages in the order they were first recorded."""
    out = []
    def when(e: Obj) -> tuple[str, str]:
        return (e.get("firstTimestamp") or e.get("eventTime") or "", e["metadata"]["name"])
    for ev in sorted(cluster.api.list(EVENT), key=when):
        if reason is not None and ev["reason"] != reason:
            continue
        if kind is not None and ev["involvedObject"]["kind"] != kind:
            continue
        out.append(ev["message"])
    return out


def scaling_events(cluster: Cluster) -> list[str]:
    """ScalingReplicaSet messages in the order the controller emitted them (from the trace,
    which keeps every reported event before the correlator combines similar ones)."""
    return [r.detail["message"] for r in cluster.trace.select(action="event",
                                                               source="deployment-controller")
            if r.detail["reason"] == "ScalingReplicaSet"]


def rs_by_revision(cluster: Cluster, namespace: str = "default") -> dict[str, Obj]:
    return {rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"]: rs
            for rs in cluster.api.list(REPLICASET, namespace)}


def run_until(cluster: Cluster, condition: Callable[[], bool], limit: int = 600 * SECOND) -> None:
    """Advance virtual time until ``condition()`` holds (fails the test after ``limit``)."""
    assert cluster.loop.run_while(lambda: not condition(), limit=limit), "timed out"


def rollout_done(cluster: Cluster, name: str = "web", namespace: str = "default") -> bool:
    from k8slab.controllers.deployment.util import rollout_status

    d = cluster.api.get(DEPLOYMENT, namespace, name)
    try:
        return rollout_status(d)[1]
    except ValueError:
        return False

