"""kube-scheduler (``k8s.io/kubernetes/pkg/scheduler``): the default profile, one pod at a time.

The scheduler watches nodes and pods like its informers do (``eventhandlers.go``): assigned pods
go into the :class:`~.cache.SchedulerCache`, pending pods whose ``schedulerName`` is
``default-scheduler`` into the :class:`~.queue.SchedulingQueue`. ``scheduleOne`` pops the next
pod, runs the :class:`~.algorithm.Algorithm`, *assumes* the pod on the chosen node (so the next
cycle already counts it) and binds it asynchronously through ``pods/binding``
(``api.bind``); success records a ``Scheduled`` event, ``Successfully assigned <ns>/<pod> to
<node>``.

A pod that fits nowhere stays Pending: its ``PodScheduled`` condition becomes False with reason
``Unschedulable`` and the FitError message, a Warning ``FailedScheduling`` event carries the same
message (including the ``preemption: …`` tail written by DefaultPreemption), and the pod waits
in the unschedulable pool until a cluster event may help (see :mod:`.queue`).

Timing: a scheduling cycle occupies the scheduler for :data:`SCHEDULE_CYCLE` of virtual time and
the bind call lands :data:`BIND_LATENCY` after the decision, so ten pods created together are
bound a few milliseconds apart, as on a small real cluster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.selectors import Requirement, Selector, from_label_selector
from ..api.store import DELETED
from ..sim.clock import MILLISECOND, Timer
from ..sim.timefmt import rfc3339
from .algorithm import Algorithm, Diagnosis
from .cache import SchedulerCache
from .events import SeriesRecorder
from .framework import UNRESOLVABLE, NodeInfo, PodEntry, PodInfo, Status
from .plugins import (
    defaultpreemption,
    nodeaffinity,
    nodeports,
    noderesources,
    nodeunschedulable,
    tainttoleration,
)
from .queue import QueuedPodInfo, SchedulingQueue

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["BIND_LATENCY", "SCHEDULE_CYCLE", "Scheduler"]

Obj = dict[str, Any]

POD = builtin("v1", "Pod")
NODE = builtin("v1", "Node")
SERVICE = builtin("v1", "Service")
RC = builtin("v1", "ReplicationController")
RS = builtin("apps/v1", "ReplicaSet")
STS = builtin("apps/v1", "StatefulSet")

SCHEDULE_CYCLE = 1 * MILLISECOND
BIND_LATENCY = 2 * MILLISECOND
NOTE_LENGTH_LIMIT = 1024
NO_NODES = "no nodes available to schedule pods"


class Scheduler:
    """The default scheduler of the lab cluster."""

    name = "default-scheduler"

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.api = cluster.api
        self.loop = cluster.loop
        self.cache = SchedulerCache()
        self.queue = SchedulingQueue(self.loop, self._kick)
        self._nominated: dict[str, dict[str, PodInfo]] = {}
        self._nominated_node: dict[str, str] = {}
        self.algorithm = Algorithm(self.cache, cluster.streams("scheduler"),
                                   self.default_selector, self._nominated_on)
        self.algorithm.any_nominated = lambda: bool(self._nominated_node)
        host = next((n.name for n in cluster.config.nodes if n.role == "control-plane"),
                    "kube-scheduler")
        self.recorder = SeriesRecorder(self.api, self.name, f"{self.name}-{host}")
        self._selectors: dict[tuple[Any, ...], Selector] = {}
        # the last answer: (labels map, namespace, owner kind, owner name, selector)
        self._last_selector: tuple[dict[str, str], str, str, str, Selector] | None = None
        self._timer: Timer | None = None
        self._busy_until = self.loop.now
        latency = cluster.watch_latency(self.name)
        assert POD and NODE and SERVICE and RC and RS and STS
        self.api.watch(NODE, self._on_node, latency=latency, name=self.name)
        self.api.watch(POD, self._on_pod, latency=latency, name=self.name)
        for kind in (SERVICE, RC, RS, STS):
            self.api.watch(kind, self._on_selector_source, latency=latency, name=self.name)

    # ------------------------------------------------------------------ informers

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        name = node["metadata"]["name"]
        if event == DELETED:
            self.cache.remove_node(name)
            return
        before = self.cache.nodes.get(name)
        if before is not None and old is not None and not _node_object_changed(old, node):
            before.node = node
            return
        if before is None:
            ni = self.cache.add_node(node)
            self.queue.move(lambda q: self._hint_node_added(q, ni))
            return
        # The node as it was matters only to the pods waiting in the unschedulable pool (a
        # move finds nothing to move without them).
        snapshot = before.clone() if self.queue.unschedulable else None
        ni = self.cache.update_node(node)
        if snapshot is not None and _node_changed(snapshot, ni):
            self.queue.move(lambda q: self._hint_node_updated(q, snapshot, ni))

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        meta = pod["metadata"]
        key = f"{meta.get('namespace', 'default')}/{meta['name']}"
        if event == DELETED:
            self.queue.delete(key)
            self._unnominate(key)
            entry = self.cache.remove_pod(key)
            if entry is not None:
                self._assigned_pod_gone(entry)
            return
        spec = pod.get("spec") or {}
        node = spec.get("nodeName")
        if node:
            self._on_assigned(key, pod, old, meta, spec, node)
            return
        if (spec.get("schedulerName") or self.name) != self.name:
            return
        if meta.get("deletionTimestamp"):
            return
        info = PodInfo(pod)
        self.queue.add(info)
        self._nominate(info)

    def _on_assigned(self, key: str, pod: Obj, old: Obj | None, meta: Obj, spec: Obj,
                     node: str) -> None:
        if key in self.queue.pods:
            self.queue.delete(key)
        if key in self._nominated_node:
            self._unnominate(key)
        cache = self.cache
        if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            entry = cache.remove_pod(key)
            if entry is not None:
                self._assigned_pod_gone(entry)
            return
        cached = cache.pods.get(key)
        if cached is not None and cached.terminating == bool(meta.get("deletionTimestamp")):
            if cached.pod is old and old.get("spec") is spec:
                # An update that keeps the spec of the very pod the entry holds (a bound pod's
                # status writes): an entry holding an assigned pod is accounted on its nodeName
                # (add_pod is given it; the swap below checks it), an update keeps the uid, and
                # only a pending pod (no nodeName, so never this spec) is ever in
                # ``assumed``. So node, uid and the assumed mark need no check, and with the
                # same spec and deletion mark nothing the entry counts changed.
                cached.pod = pod
                return
            if cached.node == node and cached.uid == meta.get("uid"):
                # A status update keeps the spec object (the bind keeps the containers list).
                cached_spec = cached.pod.get("spec") or {}
                if (cached_spec is spec
                        or cached_spec.get("containers") is spec.get("containers")):
                    # The bind of an assumed pod, or a status update: nothing the cache
                    # counts changed.
                    cached.pod = pod
                    cache.assumed.pop(key, None)
                    return
        cache.add_pod(pod, node)

    def _on_selector_source(self, event: str, obj: Obj, old: Obj | None) -> None:
        if old is not None and old.get("spec") is obj.get("spec"):
            return
        self._selectors.clear()
        self._last_selector = None

    # ------------------------------------------------------------------ nominated pods

    def _nominated_on(self, node: str) -> list[PodInfo]:
        return list(self._nominated.get(node, {}).values())

    def _nominate(self, info: PodInfo) -> None:
        # Most pods were never nominated: skip the call then.
        if info.key in self._nominated_node:
            self._unnominate(info.key)
        if info.nominated_node:
            self._nominated.setdefault(info.nominated_node, {})[info.key] = info
            self._nominated_node[info.key] = info.nominated_node

    def _unnominate(self, key: str) -> None:
        node = self._nominated_node.pop(key, None)
        if node is not None:
            pods = self._nominated.get(node, {})
            pods.pop(key, None)
            if not pods:
                self._nominated.pop(node, None)

    # ------------------------------------------------------------------ DefaultSelector

    def default_selector(self, info: PodInfo) -> Selector | None:
        """``helper.DefaultSelector``: Services selecting the pod plus its controller's selector."""
        last = self._last_selector
        if (last is not None and last[0] is info.labels and last[1] == info.namespace
                and last[2] == info.owner_kind and last[3] == info.owner_name):
            # Pods of one controller share their (never mutated) labels map.
            return last[4]
        key = (info.namespace, info.owner_kind, info.owner_name,
               tuple(sorted(info.labels.items())))
        cached = self._selectors.get(key)
        if cached is not None:
            self._last_selector = (info.labels, info.namespace, info.owner_kind,
                                   info.owner_name, cached)
            return cached
        label_set: dict[str, str] = {}
        for svc in self.api.iter_kind(SERVICE, info.namespace):
            sel = (svc.get("spec") or {}).get("selector") or {}
            if sel and all(info.labels.get(k) == v for k, v in sel.items()):
                label_set.update(sel)
        extra: list[Requirement] = []
        if info.owner_kind == "ReplicationController":
            rc = self.api.try_get(RC, info.namespace, info.owner_name)
            if rc is not None:
                label_set.update((rc.get("spec") or {}).get("selector") or {})
        elif info.owner_kind in ("ReplicaSet", "StatefulSet"):
            kind = RS if info.owner_kind == "ReplicaSet" else STS
            owner = self.api.try_get(kind, info.namespace, info.owner_name)
            if owner is not None:
                extra = list(from_label_selector((owner.get("spec") or {}).get("selector"))
                             .requirements)
        reqs = [Requirement(k, "=", (v,)) for k, v in sorted(label_set.items())] + extra
        selector = Selector(tuple(reqs))
        self._selectors[key] = selector
        self._last_selector = (info.labels, info.namespace, info.owner_kind, info.owner_name,
                               selector)
        return selector

    # ------------------------------------------------------------------ the loop

    def _kick(self) -> None:
        if self._timer is None:
            self._timer = self.loop.call_at(max(self.loop.now, self._busy_until),
                                            self._schedule_one)

    def _schedule_one(self) -> None:
        self._timer = None
        qpi = self.queue.pop()
        if qpi is None:
            return
        self._busy_until = self.loop.now + SCHEDULE_CYCLE
        try:
            self._cycle(qpi)
        finally:
            if self.queue.has_work():
                self._kick()

    def _cycle(self, qpi: QueuedPodInfo) -> None:
        info = qpi.info
        pod = self.api.try_get(POD, info.namespace, info.name)
        if pod is not info.pod:
            # The queued pod itself is unassigned (only pods without a nodeName are queued) and
            # has its uid: only another object needs the checks.
            if (pod is None or pod["metadata"].get("uid") != info.uid
                    or (pod.get("spec") or {}).get("nodeName")):
                self.queue.done(qpi.key)
                return
            info = qpi.info = PodInfo(pod)
        if pod["metadata"].get("deletionTimestamp"):
            self.recorder.eventf(pod, "Warning", "FailedScheduling", "Scheduling",
                                 f"skip schedule deleting pod: {info.namespace}/{info.name}")
            self.queue.done(qpi.key)
            return
        node, diagnosis = self.algorithm.schedule(info)
        if node is not None:
            self.queue.done(qpi.key)
            self._unnominate(qpi.key)
            self.cache.assume(pod, node, info)
            self.loop.call_later(BIND_LATENCY, self._bind, pod, node)
            return
        self._handle_failure(qpi, pod, info, diagnosis)

    def _bind(self, pod: Obj, node: str) -> None:
        meta = pod["metadata"]
        ns, name = meta.get("namespace", "default"), meta["name"]
        live = self.api.try_get(POD, ns, name)
        if live is None or live["metadata"].get("uid") != meta.get("uid"):
            self.cache.forget(f"{ns}/{name}")
            return
        try:
            bound = self.api.bind(ns, name, node, source=self.name)
        except StatusError as err:
            key = f"{ns}/{name}"
            self.cache.forget(key)
            if (live.get("spec") or {}).get("nodeName"):
                return
            info = PodInfo(live)
            self.queue.add(info)
            qpi = self.queue.pods.get(key)
            if qpi is not None and qpi.where == "active":
                qpi.where = "in-flight"
                self.recorder.eventf(live, "Warning", "FailedScheduling", "Scheduling",
                                     f"Binding rejected: {err.message}")
                self.queue.add_unschedulable(qpi, ())
            return
        self.recorder.eventf(bound, "Normal", "Scheduled", "Binding",
                             f"Successfully assigned {ns}/{name} to {node}")

    # ------------------------------------------------------------------ failures

    def _handle_failure(self, qpi: QueuedPodInfo, pod: Obj, info: PodInfo,
                        diagnosis: Diagnosis) -> None:
        if diagnosis.num_all == 0:
            # ErrNoNodesAvailable: UnschedulableAndUnresolvable, retried on any cluster event.
            message, reason = NO_NODES, "Unschedulable"
            nominated: str | None = ""
            plugins: tuple[str, ...] = ("",)
        else:
            nominated = self._post_filter(info, pod, diagnosis)
            message, reason = diagnosis.message(), "Unschedulable"
            plugins = tuple(diagnosis.plugins) or ("DefaultPreemption",)
        note = message
        if len(note) > NOTE_LENGTH_LIMIT:
            note = note[:NOTE_LENGTH_LIMIT - 4] + " ..."
        self.recorder.eventf(pod, "Warning", "FailedScheduling", "Scheduling", note)
        self._set_unschedulable(pod, reason, message, nominated)
        self.queue.add_unschedulable(qpi, plugins)

    def _post_filter(self, info: PodInfo, pod: Obj, diagnosis: Diagnosis) -> str | None:
        """DefaultPreemption; returns the nominated node ('' clears a nomination)."""
        ok, why = defaultpreemption.eligible(self.algorithm, info, diagnosis)
        if not ok:
            diagnosis.post_filter_msg = "preemption: " + why
            return None
        candidates, statuses = defaultpreemption.dry_run(self.algorithm, info, diagnosis)
        if not candidates:
            nested = Diagnosis(diagnosis.num_all)
            nested.statuses = statuses
            nested.absent = Status(UNRESOLVABLE, defaultpreemption.NOT_HELPFUL)
            diagnosis.post_filter_msg = "preemption: " + nested.message()
            return ""
        best = defaultpreemption.pick(candidates)
        self._preempt(info, pod, best)
        return best.node

    def _preempt(self, info: PodInfo, pod: Obj, cand: defaultpreemption.Candidate) -> None:
        for victim in cand.victims:
            live = self.api.try_get(POD, victim.namespace, victim.key.split("/", 1)[1])
            if live is None:
                continue
            cond = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                    "lastTransitionTime": rfc3339(self.loop.now),
                    "reason": "PreemptionByScheduler",
                    "message": f"{self.name}: preempting to accommodate a higher priority pod"}
            status = live.get("status") or {}
            conditions = [c for c in status.get("conditions") or ()
                          if c.get("type") != "DisruptionTarget"] + [cond]
            try:
                live = self.api.update({**live, "status": {**status, "conditions": conditions}},
                                       source=self.name, status=True, trusted=True)
                self.api.delete(POD, victim.namespace, live["metadata"]["name"],
                                source=self.name)
            except StatusError:
                continue
            self.recorder.eventf(live, "Normal", "Preempted", "Preempting",
                                 f"Preempted by pod {info.uid} on node {cand.node}",
                                 related=pod)
        # Lower-priority pods nominated to the node lose their nomination.
        for other in self._nominated_on(cand.node):
            if other.priority < info.priority and other.key != info.key:
                live = self.api.try_get(POD, other.namespace, other.name)
                if live is not None:
                    status = {**(live.get("status") or {})}
                    status.pop("nominatedNodeName", None)
                    self.api.update({**live, "status": status}, source=self.name, status=True,
                                    trusted=True)

    def _set_unschedulable(self, pod: Obj, reason: str, message: str,
                           nominated: str | None) -> None:
        """``updatePod``: PodScheduled=False and, when preemption decided, nominatedNodeName."""
        status = pod.get("status") or {}
        conditions = list(status.get("conditions") or ())
        now = rfc3339(self.loop.now)
        cond: Obj = {"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                     "lastTransitionTime": now, "reason": reason, "message": message}
        generation = pod["metadata"].get("generation")
        if generation is not None:
            cond = {"type": "PodScheduled", "observedGeneration": generation,
                    **{k: v for k, v in cond.items() if k != "type"}}
        changed = False
        for i, old in enumerate(conditions):
            if old.get("type") != "PodScheduled":
                continue
            if old.get("status") == "False":
                cond["lastTransitionTime"] = old.get("lastTransitionTime", now)
            if any(old.get(k) != cond.get(k) for k in cond):
                conditions[i] = cond
                changed = True
            break
        else:
            conditions.append(cond)
            changed = True
        new_status = {**status, "conditions": conditions}
        if nominated is not None and status.get("nominatedNodeName", "") != nominated:
            changed = True
            if nominated:
                new_status["nominatedNodeName"] = nominated
            else:
                new_status.pop("nominatedNodeName", None)
        if not changed:
            return
        try:
            updated = self.api.update({**pod, "status": new_status}, source=self.name,
                                      status=True, trusted=True)
        except StatusError:
            return
        qpi = self.queue.pods.get(f"{pod['metadata'].get('namespace', 'default')}/"
                                  f"{pod['metadata']['name']}")
        if qpi is not None:
            qpi.info = PodInfo(updated)
            self._nominate(qpi.info)

    # ------------------------------------------------------------------ queueing hints

    def _assigned_pod_gone(self, entry: PodEntry) -> None:
        """An assigned pod was deleted or finished: resources and ports are free again."""
        def hint(q: QueuedPodInfo) -> bool:
            for plugin in q.plugins:
                if plugin in ("", noderesources.FIT, "PodTopologySpread", "DefaultPreemption"):
                    return True
                if plugin == nodeports.NAME and entry.ports and nodeports.conflicts(
                        q.info.host_ports, {p: 1 for p in entry.ports}):
                    return True
            return False
        self.queue.move(hint)

    def _hint_node_added(self, q: QueuedPodInfo, ni: NodeInfo) -> bool:
        for plugin in q.plugins or ("",):
            check = _PLUGIN_FILTERS.get(plugin)
            if check is None or check(q.info, ni) is None:
                return True
        return False

    def _hint_node_updated(self, q: QueuedPodInfo, old: NodeInfo, new: NodeInfo) -> bool:
        for plugin in q.plugins or ("",):
            check = _PLUGIN_FILTERS.get(plugin)
            if check is None:
                return True
            was = check(q.info, old)
            now = check(q.info, new)
            if now is None and was is not None:
                return True
            if plugin == noderesources.FIT and now is None:
                return True
        return False


_PLUGIN_FILTERS = {
    nodeunschedulable.NAME: nodeunschedulable.filter,
    tainttoleration.NAME: tainttoleration.filter,
    nodeaffinity.NAME: nodeaffinity.filter,
    nodeports.NAME: nodeports.filter,
    noderesources.FIT: noderesources.fit_filter,
}


def _node_changed(old: NodeInfo, new: NodeInfo) -> bool:
    return (old.labels != new.labels or old.taints != new.taints
            or old.unschedulable != new.unschedulable
            or (old.alloc_cpu, old.alloc_mem, old.alloc_eph, old.alloc_pods)
            != (new.alloc_cpu, new.alloc_mem, new.alloc_eph, new.alloc_pods))


def _same(a: Any, b: Any) -> bool:
    return a is b or a == b


def _node_object_changed(old: Obj, new: Obj) -> bool:
    """Whether a node update touches anything the scheduler reads (heartbeats do not)."""
    old_labels = (old.get("metadata") or {}).get("labels")
    if not _same(old_labels, (new.get("metadata") or {}).get("labels")):
        return True
    if not _same(old.get("spec"), new.get("spec")):
        return True
    os_, ns_ = old.get("status") or {}, new.get("status") or {}
    return not (_same(os_.get("allocatable"), ns_.get("allocatable"))
                and _same(os_.get("images"), ns_.get("images")))
