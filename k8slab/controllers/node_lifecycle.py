"""The node lifecycle controller and the taint eviction controller.

Models ``pkg/controller/nodelifecycle/node_lifecycle_controller.go`` and
``pkg/controller/tainteviction/taint_eviction.go`` (kube-controller-manager).

**Node health** (``monitorNodeHealth``, every 5 s, ``--node-monitor-period``). A node is alive
while its kubelet renews its Lease in ``kube-node-lease`` or posts a new Ready heartbeat; the
controller notes *when it saw* the last change (``probeTimestamp``). When nothing changed for
``--node-monitor-grace-period`` (50 s since 1.32) the Ready, MemoryPressure, DiskPressure and
PIDPressure conditions become ``Unknown`` with reason ``NodeStatusUnknown`` and message
``Kubelet stopped posting node status.`` (NetworkUnavailable is left alone). On that transition
a ``NodeNotReady`` event is recorded on the node and every pod on it gets Ready=False (with a
Warning ``NodeNotReady`` "Node is not ready" event), which takes it out of Service endpoints.

**Taints.** On every node change the NoSchedule condition taints are reconciled
(``doNoScheduleTaintingPass``: Ready False → ``node.kubernetes.io/not-ready``, Unknown →
``node.kubernetes.io/unreachable``, pressure conditions, ``unschedulable``). The NoExecute
variants go through a per-zone rate-limited queue (``--node-eviction-rate`` 0.1 nodes/s, burst
1) on the monitor pass that *observes* the NotReady/Unknown condition, i.e. one pass after the
controller wrote it. Zone disruption: a zone with more than two NotReady nodes making up at
least 55 % is partially disrupted and, in clusters of at most 50 nodes, stops tainting; when
every zone is fully disrupted the controller assumes it is itself cut off, removes the NoExecute
taints and stops. A Ready node loses both NoExecute taints.

**Eviction** (the taint eviction controller, events from ``taint-eviction-controller``). A pod on
a node with NoExecute taints it does not tolerate is deleted at once; one that tolerates them
for ``tolerationSeconds`` (300 s, added by the DefaultTolerationSeconds admission plugin) is
deleted when the shortest applicable toleration expires, counted from when the controller saw
the taint. It records ``TaintManagerEviction`` ``Marking for deletion Pod <ns>/<name>``, adds the
``DisruptionTarget`` condition (``DeletionByTaintManager``) and deletes the pod with its grace
period; on an unreachable node nobody confirms the deletion, so the pod stays Terminating while
its ReplicaSet already counts it out. If the taints go away first the deletion is cancelled
(``Cancelling deletion of Pod <ns>/<name>``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.store import DELETED
from ..sim.clock import MILLISECOND, SECOND, Timer
from ..sim.timefmt import rfc3339
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = [
    "NODE_MONITOR_GRACE_PERIOD",
    "NODE_MONITOR_PERIOD",
    "NodeLifecycleController",
    "PodGCController",
    "TaintEvictionController",
]

Obj = dict[str, Any]

NODE = builtin("v1", "Node")
POD = builtin("v1", "Pod")
LEASE = builtin("coordination.k8s.io/v1", "Lease")
POD_NODE_INDEX = "kubelet:spec.nodeName"

NODE_MONITOR_PERIOD = 5 * SECOND
NODE_MONITOR_GRACE_PERIOD = 50 * SECOND
NODE_STARTUP_GRACE_PERIOD = 60 * SECOND
NODE_EVICTION_PERIOD = 100 * MILLISECOND
EVICTION_QPS = 0.1
SECONDARY_EVICTION_QPS = 0.01
UNHEALTHY_ZONE_THRESHOLD = 0.55
LARGE_CLUSTER_THRESHOLD = 50

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE_TAINT = "node.kubernetes.io/unschedulable"
EXCLUDE_DISRUPTION = "node.kubernetes.io/exclude-disruption"

# nodeConditionToTaintKeyStatusMap
CONDITION_TAINTS = {
    "Ready": {"False": NOT_READY, "Unknown": UNREACHABLE},
    "MemoryPressure": {"True": "node.kubernetes.io/memory-pressure"},
    "DiskPressure": {"True": "node.kubernetes.io/disk-pressure"},
    "NetworkUnavailable": {"True": "node.kubernetes.io/network-unavailable"},
    "PIDPressure": {"True": "node.kubernetes.io/pid-pressure"},
}
CONDITION_TAINT_KEYS = {k for m in CONDITION_TAINTS.values() for k in m.values()}
UNKNOWN_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")

NORMAL, PARTIAL, FULL, INITIAL = "Normal", "PartialDisruption", "FullDisruption", "Initial"


def ensure_pod_node_index(api: Any) -> None:
    """Pods by ``spec.nodeName`` (shared with the kubelet, which registers the same index)."""
    try:
        api.by_index(POD, POD_NODE_INDEX, "")
    except KeyError:
        api.add_index(POD, POD_NODE_INDEX,
                      lambda p: [n] if (n := (p.get("spec") or {}).get("nodeName")) else [],
                      reads=("spec",))


def zone_key(node: Obj) -> str:
    labels = (node.get("metadata") or {}).get("labels") or {}
    region = labels.get("topology.kubernetes.io/region", "")
    zone = labels.get("topology.kubernetes.io/zone", "")
    return f"{region}:\x00:{zone}" if (region or zone) else ""


# The Ready condition per node: every pod bound to a node looks it up, and a node's (never
# mutated) conditions list only changes with its status updates. Keyed by node name, so only
# each node's latest list is held.
_READY: dict[str, tuple[list[Obj], Obj | None]] = {}


def ready_condition(node: Obj) -> Obj | None:
    conditions = (node.get("status") or {}).get("conditions")
    if not conditions:
        return None
    name = (node.get("metadata") or {}).get("name", "")
    hit = _READY.get(name)
    if hit is not None and hit[0] is conditions:
        return hit[1]
    found = None
    for cond in conditions:
        if cond.get("type") == "Ready":
            found = cond
            break
    if len(_READY) >= 8192:
        _READY.clear()
    _READY[name] = (conditions, found)
    return found


class _TokenBucket:
    """``flowcontrol.NewTokenBucketRateLimiter(qps, 1)``; qps 0 never accepts."""

    def __init__(self, qps: float, now: int) -> None:
        self.qps = qps
        self.tokens = 1.0
        self.last = now

    def try_accept(self, now: int) -> bool:
        if self.qps <= 0:
            return False
        self.tokens = min(1.0, self.tokens + (now - self.last) / SECOND * self.qps)
        self.last = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


class _Health:
    """What the health monitor knows of one node: when it last saw it change (``probe``), the
    last heartbeat and lease renewal it saw, and the node and Lease objects it read them from.
    Stored objects are never mutated, so the same node object on the next pass has the same
    Ready condition and heartbeat (kept here), and the same Lease the same renewal."""

    __slots__ = ("current", "grace", "heartbeat", "lease", "lease_obj", "node", "observed",
                 "probe")

    def __init__(self, probe: int, heartbeat: Any) -> None:
        self.probe = probe
        self.heartbeat = heartbeat
        self.lease: str | None = None
        self.lease_obj: Obj | None = None
        self.node: Obj | None = None
        self.observed: Obj = {}
        self.current: Obj | None = None
        self.grace = 0


class _TaintQueue:
    """``RateLimitedTimedQueue`` over a ``UniqueQueue`` of node names for one zone."""

    def __init__(self, now: int) -> None:
        self.limiter = _TokenBucket(EVICTION_QPS, now)
        # name → [process_at, name], in queue order. A name is queued at most once (``add``
        # skips known names, and every queued name is known), so a dict keeps the order and
        # removes a name without rebuilding the queue: every node joining a cluster is queued
        # while not ready and removed once it is.
        self.queue: dict[str, list[Any]] = {}
        self.known: set[str] = set()

    def add(self, name: str, now: int) -> bool:
        if name in self.known:
            return False
        self.known.add(name)
        self.queue[name] = [now, name]
        return True

    def remove(self, name: str) -> None:
        # Every queued name is in ``known`` (the tainting pass only pops from the queue), so
        # an unknown name has nothing to remove: the health monitor calls this for every
        # ready node on every pass.
        if name not in self.known:
            return
        self.known.discard(name)
        self.queue.pop(name, None)

    def head(self) -> list[Any]:
        return next(iter(self.queue.values()))

    def pop_head(self) -> list[Any]:
        return self.queue.pop(next(iter(self.queue)))

    def swap_limiter(self, qps: float, now: int) -> None:
        if self.limiter.qps == qps:
            return
        waiting = not self.limiter.try_accept(now)
        self.limiter = _TokenBucket(qps, now)
        if waiting and qps > 0:
            self.limiter.try_accept(now)


class NodeLifecycleController(Controller):
    """node-controller: health, condition taints, NoExecute taints, zone disruption."""

    name = "node-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        ensure_pod_node_index(self.api)
        self.health: dict[str, _Health] = {}
        # per node name: (node object, its zone, excluded from disruption, NoExecute not-ready
        # or unreachable taint), see _facts
        self._node_facts: dict[str, tuple[Obj, tuple[str, bool, bool]]] = {}
        self.known: dict[str, str] = {}                  # name → uid
        self.zone_states: dict[str, str] = {}
        self.tainters: dict[str, _TaintQueue] = {}
        self._tainting: Timer | None = None
        self.taint_eviction = TaintEvictionController(cluster)
        self.pod_gc = PodGCController(cluster)
        self.watch(NODE, self._on_node)
        self.watch(POD, self._on_pod)
        self.loop.call_later(NODE_MONITOR_PERIOD, self._monitor_tick)

    # ------------------------------------------------------------------ watches

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        if event == DELETED:
            return
        self.enqueue(node)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        """A pod landing on a node that is not Ready is marked not Ready (``processPod``)."""
        if event == DELETED:
            return
        spec = pod.get("spec") or {}
        if old is not None and old.get("spec") is spec:
            return  # a status update: the pod did not land anywhere now
        node_name = spec.get("nodeName")
        if not node_name or (old is not None and (old.get("spec") or {}).get("nodeName")):
            return
        node = self.api.try_get(NODE, "", node_name)
        cond = ready_condition(node) if node is not None else None
        if cond is not None and cond.get("status") != "True":
            self._mark_pods_not_ready([pod], node_name)

    def sync(self, key: str) -> None:
        """``doNoScheduleTaintingPass`` for one node."""
        node = self.api.try_get(NODE, "", key)
        if node is None:
            return
        wanted: list[str] = []
        for cond in (node.get("status") or {}).get("conditions") or ():
            taint = CONDITION_TAINTS.get(cond.get("type", ""), {}).get(cond.get("status", ""))
            if taint is not None:
                wanted.append(taint)
        spec = node.get("spec") or {}
        if spec.get("unschedulable"):
            wanted.append(UNSCHEDULABLE_TAINT)
        have = [t.get("key") for t in spec.get("taints") or ()
                if t.get("effect") == "NoSchedule"
                and (t.get("key") in CONDITION_TAINT_KEYS or t.get("key") == UNSCHEDULABLE_TAINT)]
        add = [k for k in wanted if k not in have]
        remove = [k for k in have if k not in wanted]
        if add or remove:
            self._swap_taints(node, [(k, "NoSchedule") for k in add],
                              [(k, "NoSchedule") for k in remove])

    # ------------------------------------------------------------------ taints

    def _swap_taints(self, node: Obj, add: list[tuple[str, str]],
                     remove: list[tuple[str, str]]) -> bool:
        """``SwapNodeControllerTaint``: add (with ``timeAdded``) and remove taints."""
        live = self.api.try_get(NODE, "", node["metadata"]["name"])
        if live is None:
            return False
        spec = live.get("spec") or {}
        taints = [t for t in spec.get("taints") or ()
                  if (t.get("key"), t.get("effect")) not in remove]
        present = {(t.get("key"), t.get("effect")) for t in taints}
        now = rfc3339(self.loop.now)
        for key, effect in add:
            if (key, effect) not in present:
                taints.append({"key": key, "effect": effect, "timeAdded": now})
        if taints == list(spec.get("taints") or ()):
            return True
        new_spec = {**spec, "taints": taints}
        if not taints:
            new_spec.pop("taints")
        try:
            self.api.update({**live, "spec": new_spec}, source=self.name, trusted=True)
        except StatusError:
            return False
        return True

    def _facts(self, node: Obj) -> tuple[str, bool, bool]:
        """The node's zone, whether it is excluded from disruption counting and whether it has
        a NoExecute not-ready or unreachable taint: the health monitor reads them for every node
        on every pass, and they hold for as long as the (never mutated) node object."""
        name = node["metadata"]["name"]
        hit = self._node_facts.get(name)
        if hit is not None and hit[0] is node:
            return hit[1]
        labels = node["metadata"].get("labels") or {}
        taints = node.get("spec", {}).get("taints") or ()
        facts = (zone_key(node), EXCLUDE_DISRUPTION in labels,
                 any(t.get("effect") == "NoExecute" and t.get("key") in (NOT_READY, UNREACHABLE)
                     for t in taints))
        self._node_facts[name] = (node, facts)
        return facts

    def _mark_reachable(self, node: Obj) -> None:
        """``markNodeAsReachable``: drop both NoExecute taints and any queued tainting."""
        zone, _, tainted = self._facts(node)
        if tainted:
            self._swap_taints(node, [], [(NOT_READY, "NoExecute"), (UNREACHABLE, "NoExecute")])
        tainter = self.tainters.get(zone)
        if tainter is not None:
            tainter.remove(node["metadata"]["name"])

    def _mark_for_tainting(self, node: Obj, status: str) -> None:
        tainter = self._tainter(zone_key(node))
        name = node["metadata"]["name"]
        key = NOT_READY if status == "False" else UNREACHABLE
        if not _has_taint(node, key, "NoExecute"):
            tainter.remove(name)
        tainter.add(name, self.loop.now)
        self._arm_tainting()

    def _tainter(self, zone: str) -> _TaintQueue:
        tainter = self.tainters.get(zone)
        if tainter is None:
            tainter = self.tainters[zone] = _TaintQueue(self.loop.now)
            self.zone_states.setdefault(zone, INITIAL)
        return tainter

    def _arm_tainting(self) -> None:
        if self._tainting is None and any(t.queue for t in self.tainters.values()):
            self._tainting = self.loop.call_later(NODE_EVICTION_PERIOD, self._tainting_pass)

    def _tainting_pass(self) -> None:
        """``doNoExecuteTaintingPass``, every 100 ms while something is queued."""
        self._tainting = None
        now = self.loop.now
        for zone in sorted(self.tainters):
            tainter = self.tainters[zone]
            while tainter.queue:
                if not tainter.limiter.try_accept(now):
                    break
                item = tainter.head()
                if now < item[0]:
                    break
                node = self.api.try_get(NODE, "", item[1])
                cond = ready_condition(node) if node is not None else None
                if node is None:
                    tainter.pop_head()
                    continue
                if cond is None:
                    item[0] = now + 50 * MILLISECOND
                    tainter.queue[item[1]] = tainter.pop_head()  # to the back
                    continue
                status = cond.get("status")
                if status == "False":
                    add, opposite = NOT_READY, UNREACHABLE
                elif status == "Unknown":
                    add, opposite = UNREACHABLE, NOT_READY
                else:
                    tainter.pop_head()
                    continue
                if self._swap_taints(node, [(add, "NoExecute")], [(opposite, "NoExecute")]):
                    tainter.pop_head()
                else:
                    item[0] = now + 1
        self._arm_tainting()

    # ------------------------------------------------------------------ health

    def _monitor_tick(self) -> None:
        try:
            self.monitor_node_health()
        finally:
            self.loop.call_later(NODE_MONITOR_PERIOD, self._monitor_tick)

    def monitor_node_health(self) -> None:
        nodes = self.api.list(NODE)
        for node in nodes:
            name = node["metadata"]["name"]
            if name not in self.known:
                self.known[name] = node["metadata"].get("uid", "")
                self.recorder.event(_node_ref(node), "Normal", "RegisteredNode",
                                    f"Node {name} event: Registered Node {name} in Controller")
                self._tainter(zone_key(node))
                self._mark_reachable(node)
        # Every listed node is known now: only more known nodes than listed means some are gone.
        gone = (self.known.keys() - {n["metadata"]["name"] for n in nodes}
                if len(self.known) > len(nodes) else ())
        for name in sorted(gone):
            uid = self.known.pop(name)
            self.health.pop(name, None)
            self._node_facts.pop(name, None)
            ref = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "uid": uid}}
            self.recorder.event(ref, "Normal", "RemovingNode",
                                f"Node {name} event: Removing Node {name} from Controller")
            for tainter in self.tainters.values():
                tainter.remove(name)
        zone_conditions: dict[str, list[Obj | None]] = {}
        for node in nodes:
            observed, current, node = self._try_update_health(node)
            zone, excluded, _ = self._facts(node)
            if not excluded:
                zone_conditions.setdefault(zone, []).append(current)
            if current is None:
                continue
            self._process_taint_eviction(node, observed)
            if current.get("status") != "True" and observed.get("status") == "True":
                self.recorder.event(_node_ref(node), "Normal", "NodeNotReady",
                                    f"Node {node['metadata']['name']} status is now: NodeNotReady")
                pods = self.api.by_index(POD, POD_NODE_INDEX, node["metadata"]["name"])
                self._mark_pods_not_ready(pods, node["metadata"]["name"])
        self._handle_disruption(zone_conditions, nodes)

    def _try_update_health(self, node: Obj) -> tuple[Obj, Obj | None, Obj]:
        """``tryUpdateNodeHealth``: returns (observed Ready, current Ready, node)."""
        name = node["metadata"]["name"]
        now = self.loop.now
        health = self.health.get(name)
        if health is None or health.node is not node:
            current = ready_condition(node)
            if current is None:
                observed: Obj = {"type": "Ready", "status": "Unknown",
                                 "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                                 "lastTransitionTime": node["metadata"].get("creationTimestamp")}
                grace = NODE_STARTUP_GRACE_PERIOD
            else:
                observed = current
                grace = NODE_MONITOR_GRACE_PERIOD
            heartbeat = current.get("lastHeartbeatTime") if current else None
            if health is None:
                health = self.health[name] = _Health(now, heartbeat)
            elif heartbeat != health.heartbeat:
                health.heartbeat = heartbeat
                health.probe = now
            health.node, health.observed, health.current = node, observed, current
            health.grace = grace
        else:
            observed, current, grace = health.observed, health.current, health.grace
        lease = self.api.try_get(LEASE, "kube-node-lease", name)
        if lease is not health.lease_obj:
            health.lease_obj = lease
            renew = (lease.get("spec") or {}).get("renewTime") if lease is not None else None
            if renew is not None and (health.lease is None or renew > health.lease):
                health.lease = renew
                health.probe = now
        if now <= health.probe + grace:
            return observed, current, node
        status = node.get("status") or {}
        conditions = [dict(c) for c in status.get("conditions") or ()]
        by_type = {c.get("type"): c for c in conditions}
        stamp = rfc3339(now)
        for ctype in UNKNOWN_CONDITIONS:
            cond = by_type.get(ctype)
            if cond is None:
                conditions.append({
                    "type": ctype, "status": "Unknown",
                    "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                    "lastTransitionTime": stamp, "reason": "NodeStatusNeverUpdated",
                    "message": "Kubelet never posted node status."})
            elif cond.get("status") != "Unknown":
                cond.update(status="Unknown", reason="NodeStatusUnknown",
                            message="Kubelet stopped posting node status.",
                            lastTransitionTime=stamp)
        new_current = next(c for c in conditions if c.get("type") == "Ready")
        if new_current == current:
            return observed, current, node
        try:
            node = self.api.update({**node, "status": {**status, "conditions": conditions}},
                                   source=self.name, status=True, trusted=True)
        except StatusError:
            return observed, current, node
        return observed, new_current, node

    def _process_taint_eviction(self, node: Obj, observed: Obj) -> None:
        status = observed.get("status")
        if status == "False":
            if _has_taint(node, UNREACHABLE, "NoExecute"):
                self._swap_taints(node, [(NOT_READY, "NoExecute")], [(UNREACHABLE, "NoExecute")])
            else:
                self._mark_for_tainting(node, "False")
        elif status == "Unknown":
            if _has_taint(node, NOT_READY, "NoExecute"):
                self._swap_taints(node, [(UNREACHABLE, "NoExecute")], [(NOT_READY, "NoExecute")])
            else:
                self._mark_for_tainting(node, "Unknown")
        elif status == "True":
            self._mark_reachable(node)

    def _mark_pods_not_ready(self, pods: list[Obj], node_name: str) -> None:
        """``MarkPodsNotReady``: Ready=False on each pod, and a Warning event."""
        now = rfc3339(self.loop.now)
        for pod in sorted(pods, key=lambda p: (p["metadata"].get("namespace", ""),
                                                p["metadata"]["name"])):
            if (pod.get("spec") or {}).get("nodeName") != node_name:
                continue
            status = pod.get("status") or {}
            conditions = list(status.get("conditions") or ())
            for i, cond in enumerate(conditions):
                if cond.get("type") != "Ready":
                    continue
                if cond.get("status") == "False":
                    break
                conditions[i] = {**cond, "status": "False", "lastTransitionTime": now}
                try:
                    updated = self.api.update({**pod, "status": {**status,
                                                                 "conditions": conditions}},
                                              source=self.name, status=True, trusted=True)
                except StatusError:
                    break
                self.recorder.event(updated, "Warning", "NodeNotReady", "Node is not ready")
                break

    def _handle_disruption(self, zone_conditions: dict[str, list[Obj | None]],
                           nodes: list[Obj]) -> None:
        now = self.loop.now
        new_states: dict[str, str] = {}
        all_full = True
        for zone in sorted(zone_conditions):
            conds = zone_conditions[zone]
            ready = sum(1 for c in conds if c is not None and c.get("status") == "True")
            not_ready = len(conds) - ready
            if ready == 0 and not_ready > 0:
                state = FULL
            elif not_ready > 2 and not_ready / (not_ready + ready) >= UNHEALTHY_ZONE_THRESHOLD:
                state = PARTIAL
            else:
                state = NORMAL
            new_states[zone] = state
            if state != FULL:
                all_full = False
            self._tainter(zone)
        all_were_full = True
        for zone in sorted(self.zone_states):
            if zone not in zone_conditions:
                del self.zone_states[zone]
                continue
            if self.zone_states[zone] != FULL:
                all_were_full = False
        if all_full and all_were_full:
            return
        if all_full:
            for node in nodes:
                self._mark_reachable(node)
            for zone in self.zone_states:
                self.tainters[zone].swap_limiter(0, now)
                self.zone_states[zone] = FULL
            return
        if all_were_full:
            for health in self.health.values():
                health.probe = now
            for zone in self.zone_states:
                self._set_limiter(zone, len(zone_conditions.get(zone, ())), new_states[zone])
                self.zone_states[zone] = new_states[zone]
            return
        for zone in sorted(self.zone_states):
            if self.zone_states[zone] != new_states.get(zone, NORMAL):
                self._set_limiter(zone, len(zone_conditions.get(zone, ())), new_states[zone])
                self.zone_states[zone] = new_states[zone]

    def _set_limiter(self, zone: str, size: int, state: str) -> None:
        if state == PARTIAL:
            qps = SECONDARY_EVICTION_QPS if size > LARGE_CLUSTER_THRESHOLD else 0.0
        else:
            qps = EVICTION_QPS
        self._tainter(zone).swap_limiter(qps, self.loop.now)
        self._arm_tainting()


class TaintEvictionController(Controller):
    """taint-eviction-controller: deletes pods that do not tolerate a node's NoExecute taints."""

    name = "taint-eviction-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        ensure_pod_node_index(self.api)
        self.tainted: dict[str, list[Obj]] = {}
        # "<ns>/<name>" → (created at, timer)
        self.scheduled: dict[str, tuple[int, Timer]] = {}
        self.watch(NODE, self._on_node)
        self.watch(POD, self._on_pod)

    def sync(self, key: str) -> None:  # pragma: no cover - event driven, no work queue
        return None

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        name = node["metadata"]["name"]
        if event == DELETED:
            # Scheduled evictions of the vanished node's pods stay (handleNodeUpdate).
            self.tainted.pop(name, None)
            return
        new = _no_execute(node)
        before = self.tainted.get(name, [])
        if old is not None and _no_execute(old) == new and before == new:
            return
        if new:
            self.tainted[name] = new
        else:
            self.tainted.pop(name, None)
        pods = self.api.by_index(POD, POD_NODE_INDEX, name)
        for pod in sorted(pods, key=lambda p: (p["metadata"].get("namespace", ""),
                                                p["metadata"]["name"])):
            self._process(pod, new)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        if event == DELETED:
            meta = pod["metadata"]
            self._cancel(f"{meta.get('namespace', 'default')}/{meta['name']}")
            return
        spec = pod.get("spec") or {}
        if old is not None and old.get("spec") is spec:
            return
        node = spec.get("nodeName")
        if not node:
            return
        taints = self.tainted.get(node)
        if taints:
            self._process(pod, taints)

    def _process(self, pod: Obj, taints: list[Obj]) -> None:
        """``processPodOnNode``."""
        meta = pod["metadata"]
        key = f"{meta.get('namespace', 'default')}/{meta['name']}"
        if not taints:
            self._cancel(key)
            return
        tolerations = (pod.get("spec") or {}).get("tolerations") or ()
        used: list[Obj] = []
        for taint in taints:
            matching = [t for t in tolerations if _tolerates(t, taint)]
            if not matching:
                self._cancel(key)
                self._schedule(key, self.loop.now, self.loop.now)
                return
            used.extend(matching)
        seconds = [s for t in used if (s := t.get("tolerationSeconds")) is not None]
        if not seconds:
            self._cancel(key)
            return
        shortest = min(int(s) for s in seconds)
        if shortest <= 0:
            shortest = 0
        now = self.loop.now
        start = now
        existing = self.scheduled.get(key)
        if existing is not None:
            start = existing[0]
            if start < now:
                return
            self._cancel(key)
        self._schedule(key, start, now + shortest * SECOND)

    def _schedule(self, key: str, created: int, due: int) -> None:
        timer = self.loop.call_at(due, self._evict, key)
        self.scheduled[key] = (created, timer)

    def _cancel(self, key: str) -> None:
        existing = self.scheduled.pop(key, None)
        if existing is None:
            return
        existing[1].cancel()
        ns, name = key.split("/", 1)
        self.recorder.event(_pod_ref(ns, name), "Normal", "TaintManagerEviction",
                            f"Cancelling deletion of Pod {key}")

    def _evict(self, key: str) -> None:
        self.scheduled.pop(key, None)
        ns, name = key.split("/", 1)
        self.recorder.event(_pod_ref(ns, name), "Normal", "TaintManagerEviction",
                            f"Marking for deletion Pod {key}")
        pod = self.api.try_get(POD, ns, name)
        if pod is None:
            return
        status = pod.get("status") or {}
        conditions = list(status.get("conditions") or ())
        cond = {"type": "DisruptionTarget", "status": "True", "lastProbeTime": None,
                "lastTransitionTime": rfc3339(self.loop.now), "reason": "DeletionByTaintManager",
                "message": "Taint manager: deleting due to NoExecute taint"}
        generation = pod["metadata"].get("generation")
        if generation is not None:
            cond = {"type": "DisruptionTarget", "observedGeneration": generation,
                    **{k: v for k, v in cond.items() if k != "type"}}
        existing = next((c for c in conditions if c.get("type") == "DisruptionTarget"), None)
        try:
            if existing is None or existing.get("status") != "True":
                conditions = [c for c in conditions if c.get("type") != "DisruptionTarget"]
                conditions.append(cond)
                self.api.update({**pod, "status": {**status, "conditions": conditions}},
                                source=self.name, status=True, trusted=True)
            self.api.delete(POD, ns, name, source=self.name)
        except StatusError:
            return


class PodGCController(Controller):
    """The pod garbage collector's ``gcOrphaned`` (``pkg/controller/podgc``).

    Pods bound to a node that was deleted are force-deleted (grace 0) once the node has been
    gone for the 40 s quarantine, checked every 20 s, after getting the ``DisruptionTarget``
    condition ``DeletionByPodGC``. That is how the Terminating pods of a removed machine
    finally disappear.
    """

    name = "pod-garbage-collector"
    CHECK_PERIOD: ClassVar[int] = 20 * SECOND
    QUARANTINE: ClassVar[int] = 40 * SECOND

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        ensure_pod_node_index(self.api)
        self.start = self.loop.now
        self.watch(NODE, self._on_node)

    def sync(self, key: str) -> None:
        if self.api.try_get(NODE, "", key) is not None:
            return
        pods = self.api.by_index(POD, POD_NODE_INDEX, key)
        now = rfc3339(self.loop.now)
        for pod in sorted(pods, key=lambda p: (p["metadata"].get("namespace", ""),
                                                p["metadata"]["name"])):
            meta = pod["metadata"]
            status = pod.get("status") or {}
            conditions = [c for c in status.get("conditions") or ()
                          if c.get("type") != "DisruptionTarget"]
            conditions.append({"type": "DisruptionTarget", "status": "True",
                               "lastProbeTime": None, "lastTransitionTime": now,
                               "reason": "DeletionByPodGC",
                               "message": "PodGC: node no longer exists"})
            try:
                if status.get("phase") not in ("Succeeded", "Failed"):
                    pod = self.api.update(
                        {**pod, "status": {**status, "conditions": conditions,
                                           "phase": "Failed"}},
                        source=self.name, status=True, trusted=True)
                self.api.delete(POD, meta.get("namespace", "default"), meta["name"],
                                source=self.name, grace_period=0)
            except StatusError:
                continue

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        if event != DELETED:
            return
        # Noticed on the next 20 s pass, deleted after the quarantine.
        elapsed = self.loop.now - self.start
        tick = -(-elapsed // self.CHECK_PERIOD) * self.CHECK_PERIOD + self.start
        self.queue.add_after(node["metadata"]["name"],
                             tick + self.QUARANTINE - self.loop.now)


def _no_execute(node: Obj) -> list[Obj]:
    return [t for t in (node.get("spec") or {}).get("taints") or ()
            if t.get("effect") == "NoExecute"]


def _has_taint(node: Obj, key: str, effect: str) -> bool:
    return any(t.get("key") == key and t.get("effect") == effect
               for t in (node.get("spec") or {}).get("taints") or ())


def _tolerates(toleration: Obj, taint: Obj) -> bool:
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    op = toleration.get("operator") or "Equal"
    if op == "Exists":
        return True
    return op == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def _node_ref(node: Obj) -> Obj:
    meta = node["metadata"]
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": meta["name"], "uid": meta.get("uid", "")}}


def _pod_ref(namespace: str, name: str) -> Obj:
    # The taint eviction controller refers to the pod by name only (no UID).
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": namespace}}
