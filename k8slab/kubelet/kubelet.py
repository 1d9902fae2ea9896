"""The kubelet: one per node (``k8s.io/kubernetes/pkg/kubelet``).

What it does, in the order a real one does it:

- **Registration and heartbeats** (``kubelet_node_status.go``, ``nodelease``): on
  :meth:`Kubelet.start` it POSTs its Node (labels, taints, addresses, capacity, conditions,
  nodeInfo — :mod:`.node_status`), records ``Starting``/``NodeHas…`` events, creates its Lease
  in ``kube-node-lease`` and renews it every 10 s (``leaseDurationSeconds: 40``). It recomputes
  the node status every ``nodeStatusUpdateFrequency`` (10 s) and posts it when something
  changed or ``nodeStatusReportFrequency`` (5 min) has passed. ``Ready`` stays False with the
  runtime's "cni plugin not initialized" message until the node has a ``podCIDR`` and the CNI
  has written its config, then a status post goes out at once (the kubelet's fast status
  update).
- **Pods** (``pod_workers.go``, ``kuberuntime_manager.go`` ``SyncPod``): a watch on pods bound to
  the node; each pod has a worker that runs one sync at a time. A sync first writes the status
  computed from what the runtime reports (:mod:`.status`), then creates the sandbox (pod IP from
  the node's ``podCIDR``), kills containers whose liveness/startup probe failed, and starts
  containers that need to run: restart back-off (:mod:`.backoff`), image (:mod:`.images`),
  ``Created``/``Started``. Container state changes reach the worker through the PLEG, which
  relists every second, so what a sync does shows in the status of the next one.
- **Restarts**: first restart at once, then ``CrashLoopBackOff`` 10 s doubling to 300 s, reset
  after 10 minutes of running; ``BackOff`` ``Back-off restarting failed container <c> in pod
  <pod>_<ns>(<uid>)``.
- **Deletion**: ``Killing`` ``Stopping container <c>``, the stop signal, SIGKILL after the grace
  period, a terminal phase, then the final DELETE (grace 0) that removes the pod.
- **Power**: :meth:`Kubelet.stop` is the machine losing power (no more heartbeats or status,
  every container gone); :meth:`Kubelet.start` again is a reboot (new boot ID, ``Rebooted``
  event, ``SandboxChanged`` and the containers restarted).
- **Logs and exec** for kubectl (:meth:`Kubelet.logs`, :meth:`Kubelet.exec`).

Timing draws come from the ``kubelet/<node>`` stream; container IDs from the runtime's.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..api import errors
from ..api.defaults import image_pull_policy
from ..api.errors import StatusError
from ..api.kinds import builtin
from ..apps.base import HTTPRequest, HTTPResponse
from ..apps.images import PAUSE_IMAGE, control_plane_images
from ..apps.rootfs import PodFiles
from ..config import NodeConfig
from ..sim.clock import MILLISECOND, SECOND, Timer
from ..sim.process import ExecContext, Proc, ProcessHandle, Sleep, spawn
from ..sim.timefmt import go_duration, parse_rfc3339, rfc3339, rfc3339_micro
from . import node_status
from .backoff import Backoff
from .images import ImageManager
from .logs import choose_container, validate_container_log_status
from .pod_files import (
    cluster_dns_ip,
    container_env,
    expand,
    hosts_file,
    resolv_conf,
    service_env,
)
from .probes import SUCCESS, ProbeWorker
from .runtime import Container, Runtime, StartError
from .static_pods import static_pods
from .status import (
    KUBELET_CONDITIONS,
    ConditionTimes,
    ContainerView,
    container_status,
    get_phase,
    pod_conditions,
    qos_class,
)

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["Kubelet", "PodRecord"]

Obj = dict[str, Any]

POD = builtin("v1", "Pod")
NODE = builtin("v1", "Node")
LEASE = builtin("coordination.k8s.io/v1", "Lease")
SERVICE = builtin("v1", "Service")
CONFIGMAP = builtin("v1", "ConfigMap")
SECRET = builtin("v1", "Secret")

NODE_STATUS_UPDATE = 10 * SECOND
NODE_STATUS_REPORT = 300 * SECOND
LEASE_DURATION = 40
LEASE_RENEW = 10 * SECOND
PLEG_PERIOD = SECOND
MIN_GRACE = 2 * SECOND
INDEX = "kubelet:spec.nodeName"
# The probe workers a container gets, in the order they are made.
_PROBES = (("startup", "startupProbe"), ("readiness", "readinessProbe"),
           ("liveness", "livenessProbe"))
_PROBE_FIELDS = frozenset(field for _kind, field in _PROBES)
# Status fields others own, carried over from the stored pod.
_KEPT_STATUS = ("nominatedNodeName", "reason", "message", "resize", "resourceClaimStatuses")


def _node_name_key(obj: Obj) -> list[str]:
    name = (obj.get("spec") or {}).get("nodeName")
    return [name] if name else []


# placeholder spec of a record before its first pod (never a pod's spec)
_UNSET: Obj = {}


class PodRecord:
    """The kubelet's memory of one pod (the pod worker's state)."""

    # One per pod bound to the node.
    __slots__ = ("backoff_reported", "busy", "deleting", "gateway", "gone", "handle",
                 "host_ip", "host_network", "key", "kill_messages", "ltt", "name", "namespace",
                 "net_event", "other_conditions", "pending", "phase", "pleg_after", "pod",
                 "pod_ip", "pod_ips", "probes", "restart_policy", "results", "resync",
                 "sandbox", "spec", "start_stamp", "start_time", "status_timer", "terminated",
                 "uid", "views", "written")

    def __init__(self, pod: Obj) -> None:
        meta = pod["metadata"]
        self.namespace: str = meta.get("namespace", "")
        self.name: str = meta["name"]
        self.uid: str = meta.get("uid", "")
        self.key = f"{self.namespace}/{self.name}"
        self.spec: Obj = _UNSET
        self.restart_policy = "Always"
        self.host_network = False
        self.set_pod(pod)
        self.views: dict[str, ContainerView] = {
            c["name"]: ContainerView(c) for c in self.spec.get("containers") or []}
        self.kill_messages: dict[str, str] = {}
        self.backoff_reported: dict[str, str] = {}
        self.sandbox: Any = None
        self.pod_ip = ""
        # ``status.podIPs`` as last written, reused while the IP stays
        self.pod_ips: list[Obj] | None = None
        self.start_time: int | None = None
        # ``status.startTime`` as text (the pod worker's start never moves)
        self.start_stamp = ""
        self.ltt = ConditionTimes()
        self.written: Obj | None = None
        # the conditions others own in ``written`` (kept from the stored pod)
        self.other_conditions: list[Obj] = []
        self.phase = "Pending"
        self.gone = False
        self.terminated = False
        self.busy = False
        self.pending = False
        self.pleg_after = False
        self.handle: ProcessHandle | None = None
        self.resync: Timer | None = None
        self.status_timer: Timer | None = None
        self.probes: list[ProbeWorker] = []
        self.results: dict[tuple[str, str], tuple[str, str]] = {}
        self.net_event = False
        self.gateway = ""
        self.host_ip = ""

    def set_pod(self, pod: Obj) -> bool:
        """Take the pod as last seen; what the worker reads of it on every sync is derived
        here, once per watch event, rather than on each access. Returns whether the spec
        changed."""
        self.pod = pod
        self.deleting = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
        spec: Obj = pod.get("spec") or {}
        if spec is self.spec:
            # A status write (most events): the spec sub-tree is shared with the last pod.
            return False
        self.spec = spec
        self.restart_policy = spec.get("restartPolicy") or "Always"
        self.host_network = bool(spec.get("hostNetwork"))
        return True

    @property
    def ref(self) -> str:
        """``format.Pod``: ``<name>_<namespace>(<uid>)`` (only back-off messages need it)."""
        return f"{self.name}_{self.namespace}({self.uid})"

    def probe_source_ip(self) -> str:
        return self.host_ip if self.host_network else (self.gateway or self.host_ip)


class _ServiceEnv:
    """One namespace's service links, with what is derived from them for every pod."""

    __slots__ = ("_pairs", "env", "key", "services", "templates")

    def __init__(self, services: list[Obj], key: tuple[Any, ...], env: dict[str, str]) -> None:
        self.services = services
        self.key = key
        self.env = env
        self._pairs: dict[bool, list[tuple[str, str]]] = {}
        # (image, links enabled) → the environment of a container without env of its own,
        # hostname aside
        self.templates: dict[tuple[str, bool], tuple[Any, dict[str, str]]] = {}

    def pairs(self, links: bool) -> list[tuple[str, str]]:
        """``container_env`` for a container without ``env``/``envFrom``."""
        out = self._pairs.get(links)
        if out is None:
            items = sorted(self.env.items())
            out = self._pairs[links] = items if links else [
                (k, v) for k, v in items if k.startswith("KUBERNETES_")]
        return out


class Kubelet:
    def __init__(self, cluster: Cluster, node: NodeConfig) -> None:
        self.cluster = cluster
        self.node = node
        self.name = f"kubelet/{node.name}"
        self.api = cluster.api
        self.loop = cluster.loop
        self.config = cluster.config
        self.rng = cluster.streams(self.name)
        self.runtime = Runtime(node.name, node.ip, self.loop, cluster.streams,
                               self.config.kernel_version, node.cpu)
        self.images = ImageManager(node.name, self.loop,
                                   cluster.streams(f"{self.name}/images"))
        self.recorder = cluster.recorder("kubelet", node.name)
        self.backoff = Backoff(lambda: self.loop.now)
        self.probe_user_agent = "kube-probe/" + ".".join(
            self.config.kubernetes_version.lstrip("v").split(".")[:2])
        self.running = False
        self.started_at = 0
        self.boots = 0
        self.ids: dict[str, str] = {}
        self.pods: dict[str, PodRecord] = {}
        self.by_key: dict[str, PodRecord] = {}
        self.network_ready = False
        self._cni_ready_at = 0
        self._waiting_network: dict[str, None] = {}
        self._pleg_dirty: dict[str, None] = {}
        self._pleg_timer: Timer | None = None
        # The two periodic timers, each replaced when it fires (no list to filter on every
        # tick), and the network-up timers (one per Node event before the CNI is up): stop()
        # cancels them all.
        self._next_lease: Timer | None = None
        self._next_status: Timer | None = None
        self._network_timers: list[Timer] = []
        self._watches: list[Any] = []
        self._last_post = 0
        self._last_posted: Obj | None = None
        self._last_signature: tuple[Any, ...] = ()
        self._fixed: Obj | None = None
        self._node_uid = ""
        self._dns_ip = cluster_dns_ip(self.config.service_cidr)
        self._first_start = True
        self._env_cache: dict[tuple[str, bool], _ServiceEnv] = {}
        # Shared by the statuses of every pod here (stored objects are never mutated).
        self._host_ips: list[Obj] = [{"ip": node.ip}]

    # ================================================================== power

    def start(self) -> None:
        """Power on (or reboot): register, heart-beat, run the pods bound to this node."""
        if self.running:
            return
        loop = self.loop
        self.running = True
        self.started_at = loop.now
        self.boots += 1
        streams = self.cluster.streams
        if self._first_start:
            self.ids["machine"] = streams.hex(f"{self.name}/machine-id", 32)
            self.ids["system"] = streams.uuid(f"{self.name}/system-uuid")
            self._preload_images()
        old_boot = self.ids.get("boot")
        self.ids["boot"] = streams.uuid(f"{self.name}/boot-id")
        self.backoff = Backoff(lambda: loop.now)
        self.images.backoff = Backoff(lambda: loop.now)
        self.network_ready = False
        self._cni_ready_at = loop.now + int(self.rng.uniform(4.0, 9.0) * SECOND)
        self._register(old_boot)
        if INDEX not in self.api._indexes.get(POD, {}):
            self.api.add_index(POD, INDEX, _node_name_key, reads=("spec",))
        latency = self.cluster.watch_latency("kubelet")
        self._watches = [
            self.api.watch(POD, self._on_pod, latency=latency, name=self.name,
                           field=("spec.nodeName", self.node.name)),
            self.api.watch(NODE, self._on_node, latency=latency, name=self.name,
                           field=("metadata.name", self.node.name)),
        ]
        # Pods already bound here (after a reboot) and dead pods' leftovers.
        known: set[str] = set()
        for pod in sorted(self.api.by_index(POD, INDEX, self.node.name),
                          key=lambda p: (p["metadata"].get("namespace", ""),
                                         p["metadata"]["name"])):
            known.add(pod["metadata"].get("uid", ""))
            self._admit(pod)
        for uid in sorted(self.runtime.containers):
            if uid not in known:
                self.runtime.remove_pod(uid)
        live = self.api.try_get(NODE, "", self.node.name)
        self._configure_cidr(live)
        if self.node.role == "control-plane":
            self._create_mirror_pods()
        self._next_lease = loop.call_later(LEASE_RENEW, self._renew_lease)
        offset = int(self.rng.uniform(0, 1) * SECOND)
        self._next_status = loop.call_later(NODE_STATUS_UPDATE + offset, self._status_tick)
        self._first_start = False

    def stop(self) -> None:
        """The machine loses power: nothing more is sent and every container is gone."""
        if not self.running:
            return
        self.running = False
        for timer in (self._next_lease, self._next_status, *self._network_timers):
            if timer is not None:
                timer.cancel()
        self._next_lease = self._next_status = None
        self._network_timers = []
        for watch in self._watches:
            watch.stop()
        self._watches = []
        if self._pleg_timer is not None:
            self._pleg_timer.cancel()
            self._pleg_timer = None
        self._pleg_dirty.clear()
        self._waiting_network.clear()
        for rec in list(self.pods.values()):
            self._forget(rec, keep_runtime=True)
        self.pods.clear()
        self.by_key.clear()
        self.runtime.power_off()
        self.cluster.trace.append(self.loop.now, self.name, "power-off", "Node", "",
                                  self.node.name)

    def _preload_images(self) -> None:
        self.images.preload(PAUSE_IMAGE)
        if self.node.role == "control-plane":
            names = control_plane_images(self.config.kubernetes_version)
            for key in ("kube-apiserver", "kube-controller-manager", "kube-scheduler",
                        "kube-proxy", "etcd", "coredns"):
                self.images.preload(names[key])
        else:
            control_plane_images(self.config.kubernetes_version)

    # ================================================================== node

    def _node_ref(self) -> Obj:
        # The kubelet's node events use the node name as the UID (kubelet.go nodeRef).
        return {"apiVersion": "v1", "kind": "Node",
                "metadata": {"name": self.node.name, "uid": self.node.name}}

    def _node_event(self, type_: str, reason: str, message: str) -> None:
        self.recorder.event(self._node_ref(), type_, reason, message)

    def _register(self, old_boot: str | None) -> None:
        name = self.node.name
        self._node_event("Normal", "Starting", "Starting kubelet.")
        self._node_event("Warning", "InvalidDiskCapacity",
                         "invalid capacity 0 on image filesystem")
        live = self.api.try_get(NODE, "", name)
        if live is None:
            obj = node_status.node_object(self.node, self.config, self.ids)
            live = self.api.create(obj, source=self.name, trusted=True)
        self._node_uid = live["metadata"].get("uid", "")
        self._post_status(force=True)
        self._node_event("Normal", "NodeAllocatableEnforced",
                         "Updated Node Allocatable limit across pods")
        if old_boot is not None and old_boot != self.ids["boot"]:
            self._node_event("Warning", "Rebooted",
                             f"Node {name} has been rebooted, boot id: {self.ids['boot']}")
        lease = self.api.try_get(LEASE, "kube-node-lease", name)
        if lease is None:
            self.api.create({
                "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                "metadata": {"name": name, "namespace": "kube-node-lease",
                             "ownerReferences": [{"apiVersion": "v1", "kind": "Node",
                                                  "name": name, "uid": self._node_uid}]},
                "spec": {"holderIdentity": name, "leaseDurationSeconds": LEASE_DURATION,
                         "renewTime": rfc3339_micro(self.loop.now)},
            }, source=self.name, trusted=True)
        else:
            self._renew_lease(reschedule=False)

    def _renew_lease(self, reschedule: bool = True) -> None:
        if not self.running:
            return
        name = self.node.name
        lease = self.api.try_get(LEASE, "kube-node-lease", name)
        if lease is not None:
            spec = {**(lease.get("spec") or {}), "holderIdentity": name,
                    "leaseDurationSeconds": LEASE_DURATION,
                    "renewTime": rfc3339_micro(self.loop.now)}
            self.api.update({**lease, "spec": spec}, source=self.name, trusted=True)
        if reschedule:
            self._next_lease = self.loop.call_later(LEASE_RENEW, self._renew_lease)

    def _status_tick(self) -> None:
        if not self.running:
            return
        self._post_status()
        self._next_status = self.loop.call_later(NODE_STATUS_UPDATE, self._status_tick)

    def _fixed_status(self) -> Obj:
        """The parts of the node status that only change with a reboot (``nodeInfo.bootID``),
        shared by every status this kubelet posts (stored objects are never mutated)."""
        boot = self.ids.get("boot")
        fixed = self._fixed
        if fixed is None or fixed["nodeInfo"]["bootID"] != boot:
            cap, alloc = node_status.capacity(self.node)
            fixed = self._fixed = {
                "addresses": [{"address": self.node.ip, "type": "InternalIP"},
                              {"address": self.node.name, "type": "Hostname"}],
                "allocatable": alloc,
                "capacity": cap,
                "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
                "features": {"supplementalGroupsPolicy": True},
                "nodeInfo": node_status.node_info(self.config, self.ids),
            }
        return fixed

    def _post_status(self, force: bool = False) -> None:
        name = self.node.name
        now = self.loop.now
        signature = (self.network_ready, self.images.version, self.ids.get("boot"))
        if (not force and signature == self._last_signature
                and now - self._last_post < NODE_STATUS_REPORT
                and self.api.try_get(NODE, "", name) is not None):
            # Nothing the setters read has changed: the status would be identical.
            return
        self._last_signature = signature
        live = self.api.try_get(NODE, "", name)
        if live is None:
            # The Node was deleted under a running kubelet: it registers again.
            obj = node_status.node_object(self.node, self.config, self.ids)
            live = self.api.create(obj, source=self.name, trusted=True)
            self._node_uid = live["metadata"].get("uid", "")
        old = live.get("status") or {}
        message = "" if self.network_ready else node_status.NETWORK_NOT_READY
        conds, events = node_status.conditions(self.network_ready, message, now,
                                               old.get("conditions"))
        fixed = self._fixed_status()
        status: Obj = {
            "addresses": fixed["addresses"],
            "allocatable": fixed["allocatable"],
            "capacity": fixed["capacity"],
            "conditions": conds,
            "daemonEndpoints": fixed["daemonEndpoints"],
            "features": fixed["features"],
            "images": self.images.node_images(),
            "nodeInfo": fixed["nodeInfo"],
            "runtimeHandlers": node_status.RUNTIME_HANDLERS,
        }
        for key, value in old.items():
            if key not in status:
                status[key] = value
        # The status but for the heartbeats: every condition node_status.conditions builds
        # has these five keys and lastHeartbeatTime, so the tuples compare as the dicts less
        # the heartbeat would.
        comparable = {**status, "conditions": [
            (c["type"], c["status"], c["lastTransitionTime"], c["reason"], c["message"])
            for c in conds]}
        if (not force and self._last_posted == comparable
                and now - self._last_post < NODE_STATUS_REPORT):
            return
        self.api.update({**live, "status": status}, source=self.name, status=True,
                        trusted=True)
        self._last_posted = comparable
        self._last_post = now
        for event in events:
            self._node_event("Normal", event, f"Node {name} status is now: {event}")

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        if not self.running or event == "DELETED":
            return
        self._configure_cidr(node)

    def _configure_cidr(self, node: Obj | None) -> None:
        cidr = ((node or {}).get("spec") or {}).get("podCIDR")
        if not cidr or self.network_ready:
            return
        self.runtime.ipam.configure(cidr)
        delay = max(0, self._cni_ready_at - self.loop.now)
        self._network_timers.append(self.loop.call_later(delay, self._network_up))

    def _network_up(self) -> None:
        if not self.running or self.network_ready:
            return
        self.network_ready = True
        self._post_status()
        waiting, self._waiting_network = self._waiting_network, {}
        for uid in waiting:
            rec = self.pods.get(uid)
            if rec is not None:
                self.request_sync(rec)

    def _create_mirror_pods(self) -> None:
        seen = self.loop.now - int(self.rng.uniform(8, 15) * SECOND)
        for manifest in static_pods(self.node.name, self.node.ip, self.config):
            meta = manifest["metadata"]
            if self.api.try_get(POD, meta["namespace"], meta["name"]) is not None:
                continue
            meta["annotations"]["kubernetes.io/config.seen"] = (
                rfc3339(seen)[:-1] + f".{seen % SECOND:09d}Z")
            meta["ownerReferences"] = [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                        "name": self.node.name, "uid": self._node_uid}]
            manifest["status"] = {"phase": "Pending", "qosClass": "Burstable"}
            self.api.create(manifest, source=self.name, trusted=True)

    # ================================================================== pods: watch

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        if not self.running:
            return
        rec = self.pods.get(pod["metadata"].get("uid", ""))
        if event == "DELETED":
            if rec is not None:
                self._pod_removed(rec)
            return
        if rec is None:
            self._admit(pod)
            return
        before = rec.pod
        was_deleting = rec.deleting
        spec_changed = rec.set_pod(pod)
        if rec.deleting and not was_deleting:
            self.request_sync(rec)
            return
        if spec_changed:
            self._spec_changed(rec, before, pod)

    def _admit(self, pod: Obj) -> None:
        rec = PodRecord(pod)
        if rec.uid in self.pods:
            return
        self.pods[rec.uid] = rec
        self.by_key[rec.key] = rec
        rec.host_ip = self.node.ip
        # Containers the runtime still knows (after a reboot) become the pod's history (a new
        # pod has none: the common case skips the lookups).
        for name, view in rec.views.items() if rec.uid in self.runtime.containers else ():
            latest, previous = self.runtime.find(rec.uid, name)
            if latest is not None:
                view.current, view.previous = latest, previous
                view.restart_count = latest.restart_count
                view.waiting_reason = ""
        sandbox = self.runtime.sandboxes.get(rec.uid)
        if sandbox is not None:
            rec.sandbox = sandbox
            rec.pod_ip = sandbox.ip
        status = pod.get("status") or {}
        if status.get("startTime"):
            rec.start_time = parse_rfc3339(status["startTime"])
        else:
            rec.start_time = self.loop.now
        rec.start_stamp = rfc3339(rec.start_time)
        for c in rec.spec.get("containers") or []:
            if c.keys().isdisjoint(_PROBE_FIELDS):
                continue  # (most containers have no probe)
            for kind, field in _PROBES:
                probe = c.get(field)
                if probe:
                    rec.probes.append(ProbeWorker(self, rec, c, kind, probe))
        delay = int(self.rng.uniform(1, 6) * MILLISECOND)
        self._schedule_sync(rec, self.loop.now + delay)

    def _spec_changed(self, rec: PodRecord, before: Obj, pod: Obj) -> None:
        old = {c.get("name"): c for c in (before.get("spec") or {}).get("containers") or []}
        changed = False
        for c in (pod.get("spec") or {}).get("containers") or []:
            prev = old.get(c.get("name"))
            view = rec.views.get(c.get("name", ""))
            if prev is None or view is None or prev.get("image") == c.get("image"):
                continue
            view.spec = c
            if view.current is not None and view.current.running:
                rec.kill_messages[c["name"]] = (
                    f"Container {c['name']} definition changed, will be restarted")
            changed = True
        if changed:
            self.request_sync(rec)

    def _pod_removed(self, rec: PodRecord) -> None:
        """The pod left the apiserver (final delete, force delete or node change)."""
        rec.gone = True
        running = [v.current for v in rec.views.values()
                   if v.current is not None and v.current.running]
        for c in running:
            self.container_event(rec, c.spec, "Normal", "Killing",
                                 f"Stopping container {c.name}")
            self.runtime.stop_container(c, MIN_GRACE)
        self._forget(rec, keep_runtime=bool(running))
        if not running:
            self.runtime.remove_pod(rec.uid)
        else:
            uid = rec.uid
            self.loop.call_later(MIN_GRACE + MILLISECOND, self.runtime.remove_pod, uid)

    def _forget(self, rec: PodRecord, keep_runtime: bool) -> None:
        rec.gone = True
        for worker in rec.probes:
            worker.stop()
        rec.probes = []
        for timer in (rec.resync, rec.status_timer):
            if timer is not None:
                timer.cancel()
        rec.resync = rec.status_timer = None
        if rec.handle is not None and rec.handle.running:
            rec.handle.on_exit = None
            rec.handle.kill(0)
        self.pods.pop(rec.uid, None)
        if self.by_key.get(rec.key) is rec:
            del self.by_key[rec.key]
        self._pleg_dirty.pop(rec.uid, None)
        self._waiting_network.pop(rec.uid, None)

    # ================================================================== pod workers

    def _next_tick(self, after: int) -> int:
        """The first PLEG/housekeeping tick (1 s grid from kubelet start) after ``after``."""
        elapsed = after - self.started_at
        return self.started_at + (elapsed // PLEG_PERIOD + 1) * PLEG_PERIOD

    def _schedule_sync(self, rec: PodRecord, when: int) -> None:
        if rec.resync is not None and not rec.resync.cancelled:
            if rec.resync.when <= when:
                return
            rec.resync.cancel()
        rec.resync = self.loop.call_at(when, self._fire_sync, rec)

    def _fire_sync(self, rec: PodRecord) -> None:
        rec.resync = None
        self.request_sync(rec)

    def request_sync(self, rec: PodRecord) -> None:
        if not self.running or rec.gone:
            return
        if rec.busy:
            rec.pending = True
            return
        rec.busy = True
        rec.handle = spawn(self.loop, self._sync(rec), lambda _code: self._sync_done(rec))

    def _sync_done(self, rec: PodRecord) -> None:
        rec.busy = False
        rec.handle = None
        if rec.gone:
            return
        if rec.pending:
            rec.pending = False
            rec.pleg_after = False
            self.request_sync(rec)
        elif rec.pleg_after:
            rec.pleg_after = False
            self._pleg_mark(rec)

    def _pleg_mark(self, rec: PodRecord) -> None:
        if rec.busy:
            # The worker is mid-sync: one relist after it finishes sees all its changes.
            rec.pleg_after = True
            return
        self._pleg_dirty[rec.uid] = None
        if self._pleg_timer is None:
            self._pleg_timer = self.loop.call_at(self._next_tick(self.loop.now), self._relist)

    def _relist(self) -> None:
        self._pleg_timer = None
        dirty, self._pleg_dirty = self._pleg_dirty, {}
        for uid in dirty:
            rec = self.pods.get(uid)
            if rec is not None:
                self.request_sync(rec)

    def _status_soon(self, rec: PodRecord) -> None:
        if rec.status_timer is None:
            rec.status_timer = self.loop.call_at(self._next_tick(self.loop.now),
                                                 self._status_timer, rec)

    def _status_timer(self, rec: PodRecord) -> None:
        rec.status_timer = None
        if self.running and not rec.gone:
            self.write_status(rec)

    # ================================================================== sync

    def _sync(self, rec: PodRecord) -> Proc:
        if rec.gone or not self.running:
            return 0
        if rec.deleting:
            return (yield from self._terminate(rec))
        self.write_status(rec)
        if rec.terminated:
            return 0
        if not rec.host_network and not self.network_ready:
            if not rec.net_event:
                rec.net_event = True
                self.pod_event(rec, "Warning", "NetworkNotReady",
                               f"network is not ready: {node_status.NETWORK_NOT_READY}")
            self._waiting_network[rec.uid] = None
            return 0
        rng = self.rng
        sandbox = self.runtime.sandboxes.get(rec.uid)
        if sandbox is None or not sandbox.ready:
            if sandbox is not None:
                self.pod_event(rec, "Normal", "SandboxChanged",
                               "Pod sandbox changed, it will be killed and re-created.")
            span = (0.08, 0.25) if rec.host_network else (0.35, 1.1)
            yield Sleep(int(rng.uniform(*span) * SECOND))
            if rec.gone or rec.deleting or not self.running:
                return 0
            sandbox = self.runtime.run_sandbox(rec.uid, rec.host_network, rec.key)
            if sandbox is None:
                self.pod_event(rec, "Warning", "FailedCreatePodSandBox",
                               "Failed to create pod sandbox: rpc error: code = Unknown desc = "
                               "failed to setup network for sandbox: plugin type=\"flannel\" "
                               "failed (add): failed to allocate for range 0: no IP addresses "
                               "available in range set")
                self._schedule_sync(rec, self._next_tick(self.loop.now + 10 * SECOND))
                return 0
            rec.sandbox = sandbox
            rec.pod_ip = sandbox.ip
            rec.gateway = self.runtime.ipam.gateway
            self._pleg_mark(rec)
        # Containers to kill: failed liveness/startup probes, changed definitions.
        if rec.kill_messages:
            for name, message in list(rec.kill_messages.items()):
                view = rec.views.get(name)
                del rec.kill_messages[name]
                if view is None or view.current is None or not view.current.running:
                    continue
                yield from self._kill_container(rec, view, message)
                if rec.gone or rec.deleting or not self.running:
                    return 0
        retry_at: int | None = None
        status_soon = False
        for name, view in rec.views.items():
            c = view.current
            if c is not None and c.state in ("running", "created"):
                continue
            restart_count = 0
            if c is not None:
                if not self._should_restart(rec, c):
                    continue
                key = f"{rec.name}_{rec.namespace}_{rec.uid}_{name}"
                if self.backoff.in_backoff_since(key, c.finished_at):
                    delay = self.backoff.get(key)
                    if rec.backoff_reported.get(name) != c.id:
                        # One event per dead container: the PLEG's own sync for the exit
                        # finds the same back-off.
                        rec.backoff_reported[name] = c.id
                        self.container_event(
                            rec, view.spec, "Warning", "BackOff",
                            f"Back-off restarting failed container {name} in pod {rec.ref}")
                    view.waiting_reason = "CrashLoopBackOff"
                    view.waiting_message = (f"back-off {go_duration(delay)} restarting failed "
                                            f"container={name} pod={rec.ref}")
                    end = self._next_tick(c.finished_at + delay - 1)
                    retry_at = end if retry_at is None else min(retry_at, end)
                    status_soon = True
                    continue
                self.backoff.next(key, c.finished_at)
                restart_count = c.restart_count + 1
            spec = view.spec
            image = spec.get("image", "")
            policy = spec.get("imagePullPolicy") or _default_pull_policy(image)

            emit = functools.partial(self.container_event, rec, spec)
            result = self.images.check(image, policy, emit)
            if result is None:
                result = yield from self.images.pull(image, rec.uid, emit)
            if rec.gone or rec.deleting or not self.running:
                return 0
            if result.image is None:
                view.waiting_reason = result.reason
                view.waiting_message = result.message
                self.container_event(rec, spec, "Warning", "Failed", f"Error: {result.reason}")
                status_soon = True
                if result.reason == "ImagePullBackOff":
                    key = f"{rec.uid}_{image}"
                    end = self._next_tick(self.images.backoff.last_update(key)
                                          + self.images.backoff.get(key) - 1)
                else:
                    end = self._next_tick(self.loop.now)
                retry_at = end if retry_at is None else min(retry_at, end)
                continue
            yield Sleep(int(rng.uniform(0.02, 0.09) * SECOND))
            if rec.gone or rec.deleting or not self.running:
                return 0
            container = self._create_container(rec, view, result.image, restart_count)
            self.container_event(rec, spec, "Normal", "Created", "Container created")
            if view.current is not None:
                view.previous = view.current
            view.current = container
            view.restart_count = restart_count
            view.waiting_reason = ""
            view.waiting_message = ""
            def on_exit(c: Container, r: PodRecord = rec) -> None:
                self._container_exited(r, c)

            try:
                self.runtime.start_container(container, on_exit)
            except StartError as err:
                self.container_event(rec, spec, "Warning", "Failed", f"Error: {err}")
            else:
                self.container_event(rec, spec, "Normal", "Started", "Container started")
                self.cluster.trace.append_flat(self.loop.now, self.name, "container-start",
                                               "Pod", rec.namespace, rec.name,
                                               ("container", name, "restartCount", restart_count))
            self._pleg_mark(rec)
        if status_soon:
            self._status_soon(rec)
        if retry_at is not None:
            self._schedule_sync(rec, retry_at)
        self._check_terminal(rec)
        return 0

    def _should_restart(self, rec: PodRecord, c: Container) -> bool:
        policy = rec.restart_policy
        if policy == "Always":
            return True
        if policy == "OnFailure":
            return c.exit_code != 0
        return False

    def _check_terminal(self, rec: PodRecord) -> None:
        """A pod whose containers are all done for good stops its sandbox and probes."""
        if rec.restart_policy == "Always" or rec.terminated:
            return
        for view in rec.views.values():
            c = view.current
            if c is None or c.state != "exited" or self._should_restart(rec, c):
                return
        rec.terminated = True
        for worker in rec.probes:
            worker.stop()
        self.runtime.stop_sandbox(rec.uid)
        self._pleg_mark(rec)

    def _create_container(self, rec: PodRecord, view: ContainerView, image: Any,
                          restart_count: int) -> Container:
        spec = view.spec
        pod = rec.pod
        hostname = self.node.name if rec.host_network else (rec.spec.get("hostname") or rec.name)
        services = self._service_env(rec)
        if "env" in spec or "envFrom" in spec:
            env = _runtime_env(image.image, hostname, self._environment(rec, spec, services))
        else:
            # Without env of its own the container's environment is the same for every pod
            # but for the hostname.
            links = rec.spec.get("enableServiceLinks", True) is not False
            key = (image.image.name, links)
            cached = services.templates.get(key)
            if cached is None or cached[0] is not image.image:
                cached = services.templates[key] = (
                    image.image, _runtime_env(image.image, "", services.pairs(links)))
            env = cached[1].copy()
            env["HOSTNAME"] = hostname
        argv = _argv(spec, image.image, env)
        domain = self.config.cluster_domain
        files = PodFiles(
            hostname=env["HOSTNAME"],
            hosts=hosts_file(pod, rec.pod_ip, domain) if not rec.host_network else
            f"127.0.0.1 localhost\n{self.node.ip} {self.node.name}\n",
            resolv_conf=resolv_conf(pod, self._dns_ip, domain),
            now=self.loop.now,
        )
        return self.runtime.create_container(pod, spec, image, rec.sandbox, argv, env, files,
                                             restart_count)

    def _service_env(self, rec: PodRecord) -> _ServiceEnv:
        """The service links of the pod's namespace (and the master service's), recomputed
        when a Service there (or ``kubernetes``) changed: stored objects are replaced on
        every write, so the same (or equal) objects mean the same variables."""
        links = rec.spec.get("enableServiceLinks", True) is not False
        services: list[Obj] = []
        if SERVICE is None:
            return _ServiceEnv(services, (), {})
        if links:
            services = list(self.api.iter_kind(SERVICE, rec.namespace))
        master = self.api.try_get(SERVICE, "default", "kubernetes")
        if master is not None and master not in services:
            services.append(master)
        cache_key = (rec.namespace, links)
        cached = self._env_cache.get(cache_key)
        # (list equality tests identity first: unchanged Services compare at once)
        if cached is not None and cached.services == services:
            return cached
        key = tuple(sorted((s["metadata"].get("namespace", ""), s["metadata"]["name"],
                            s["metadata"].get("resourceVersion", "")) for s in services))
        if cached is not None and cached.key == key:
            cached.services = services
            return cached
        ordered = sorted(services, key=lambda s: s["metadata"]["name"])
        entry = self._env_cache[cache_key] = _ServiceEnv(services, key, service_env(ordered))
        return entry

    def _environment(self, rec: PodRecord, spec: Obj,
                     services: _ServiceEnv) -> list[tuple[str, str]]:
        return container_env(rec.pod, spec, services.env, self.node.ip, rec.pod_ip,
                             lambda src: self._lookup_source(rec, src))

    def _lookup_source(self, rec: PodRecord, src: Obj) -> Any:
        import base64

        if src.get("configMapKeyRef") or src.get("configMapRef"):
            ref = src.get("configMapKeyRef") or src.get("configMapRef") or {}
            cm = self.api.try_get(CONFIGMAP, rec.namespace, ref.get("name", "")) \
                if CONFIGMAP else None
            data = (cm or {}).get("data") or {}
            return data.get(ref["key"], "") if "key" in ref else data
        if src.get("secretKeyRef") or src.get("secretRef"):
            ref = src.get("secretKeyRef") or src.get("secretRef") or {}
            secret = self.api.try_get(SECRET, rec.namespace, ref.get("name", "")) \
                if SECRET else None
            data = {k: base64.b64decode(v).decode(errors="replace")
                    for k, v in ((secret or {}).get("data") or {}).items()}
            return data.get(ref["key"], "") if "key" in ref else data
        if src.get("resourceFieldRef"):
            return "0"
        return ""

    def _container_exited(self, rec: PodRecord, c: Container) -> None:
        if not self.running or rec.gone:
            return
        self.cluster.trace.append(self.loop.now, self.name, "container-exit", "Pod",
                                  rec.namespace, rec.name,
                                  {"container": c.name, "exitCode": c.exit_code})
        self._pleg_mark(rec)

    def _kill_container(self, rec: PodRecord, view: ContainerView, message: str) -> Proc:
        c = view.current
        spec = view.spec
        self.container_event(rec, spec, "Normal", "Killing", message)
        grace = self._grace(rec, spec)
        wait = self.runtime.stop_container(c, grace)
        if wait:
            yield Sleep(wait)
        return 0

    def _grace(self, rec: PodRecord, spec: Obj | None = None) -> int:
        seconds: Any = None
        meta = rec.pod.get("metadata") or {}
        if meta.get("deletionGracePeriodSeconds") is not None:
            seconds = meta["deletionGracePeriodSeconds"]
        else:
            if spec is not None:
                probe = spec.get("livenessProbe") or {}
                seconds = probe.get("terminationGracePeriodSeconds")
            if seconds is None:
                seconds = rec.spec.get("terminationGracePeriodSeconds", 30)
        return max(MIN_GRACE, int(seconds) * SECOND)

    def _terminate(self, rec: PodRecord) -> Proc:
        """``killPod`` then the status manager's final delete."""
        for worker in rec.probes:
            worker.stop()
        rec.probes = []
        grace = self._grace(rec)
        waits: list[int] = []
        for view in rec.views.values():
            c = view.current
            if c is not None and c.running:
                self.container_event(rec, view.spec, "Normal", "Killing",
                                     f"Stopping container {c.name}")
                waits.append(self.runtime.stop_container(c, grace))
        longest = max(waits) if waits else 0
        if longest:
            yield Sleep(longest)
        if rec.gone or not self.running:
            return 0
        self.runtime.stop_sandbox(rec.uid)
        rec.terminated = True
        self.write_status(rec, terminal=True)
        # The status manager deletes the pod once its volumes are torn down and its cgroups
        # gone (podResourcesAreReclaimed), a moment after the containers stopped.
        yield Sleep(int(self.rng.uniform(0.3, 1.2) * SECOND))
        if rec.gone or not self.running:
            return 0
        live = self.api.try_get(POD, rec.namespace, rec.name)
        if live is not None and live["metadata"].get("uid") == rec.uid:
            with contextlib.suppress(StatusError):
                self.api.delete(POD, rec.namespace, rec.name, source=self.name,
                                grace_period=0, uid=rec.uid)
        return 0

    # ================================================================== status

    def _container_statuses(self, rec: PodRecord) -> list[Obj]:
        """Each container's ``started``/``ready`` (the probe results managers' view), then
        its API status."""
        results = rec.results
        statuses = []
        for name, view in rec.views.items():
            c = view.current
            if c is None or c.state != "running":
                view.started = False
                view.ready = False
            else:
                spec = view.spec
                if spec.get("startupProbe"):
                    started = results.get((name, "startup")) == (c.id, SUCCESS)
                else:
                    started = True
                ready = False
                if started:
                    if spec.get("readinessProbe"):
                        ready = results.get((name, "readiness")) == (c.id, SUCCESS)
                    else:
                        ready = True
                view.started = started
                view.ready = ready
            statuses.append(container_status(
                view, view.mount_status() if c is not None else None))
        return statuses

    def write_status(self, rec: PodRecord, terminal: bool = False) -> None:
        """Generate the API status and PUT it if it differs from the last one written."""
        if not self.running or rec.gone:
            return
        live = self.api.try_get(POD, rec.namespace, rec.name)
        if live is None:
            return
        live_meta = live["metadata"]
        if live_meta.get("uid") != rec.uid:
            return
        old = live.get("status") or {}
        statuses = self._container_statuses(rec)
        terminal = terminal or (rec.terminated and rec.deleting)
        phase = get_phase(rec.restart_policy, statuses, terminal)
        rec.phase = phase
        sandbox = self.runtime.sandboxes.get(rec.uid)
        sandbox_ready = sandbox is not None and sandbox.ready
        old_conds = old.get("conditions") or []
        written = rec.written
        if written is not None and old_conds is written["conditions"]:
            # The stored conditions are the ones written last: the same others, and the
            # PodScheduled time written last.
            others = rec.other_conditions
            scheduled_ltt = rec.ltt.scheduled
        else:
            others = [c for c in old_conds if c.get("type") not in KUBELET_CONDITIONS]
            # The scheduler's PodScheduled time.
            scheduled_ltt = next((c.get("lastTransitionTime", "") for c in old_conds
                                  if c.get("type") == "PodScheduled"), "")
        generation = live_meta.get("generation")
        conds = pod_conditions(phase, statuses, sandbox_ready, scheduled_ltt, rec.ltt,
                               self.loop.now, generation)
        status: Obj = {"conditions": others + conds if others else conds,
                       "containerStatuses": statuses,
                       "hostIP": self.node.ip, "hostIPs": self._host_ips}
        if generation is not None:
            status["observedGeneration"] = generation
        status["phase"] = phase
        pod_ip = rec.pod_ip
        if pod_ip:
            status["podIP"] = pod_ip
            if rec.pod_ips is None or rec.pod_ips[0]["ip"] != pod_ip:
                rec.pod_ips = [{"ip": pod_ip}]
            status["podIPs"] = rec.pod_ips
        status["qosClass"] = old.get("qosClass") or qos_class(rec.spec)
        if rec.start_stamp:
            status["startTime"] = rec.start_stamp
        if not old.keys().isdisjoint(_KEPT_STATUS):
            for key in _KEPT_STATUS:
                if key in old:
                    status[key] = old[key]
        rec.other_conditions = others
        if status == written or (old is not written and status == old):
            rec.written = status
            return
        self.api.update({**live, "status": status}, source=self.name, status=True,
                        trusted=True)
        rec.written = status

    def set_probe_result(self, rec: PodRecord, name: str, kind: str, container_id: str,
                         result: str) -> None:
        """The probe results managers: act on changes only."""
        key = (name, kind)
        value = (container_id, result)
        if rec.results.get(key) == value:
            return
        rec.results[key] = value
        view = rec.views.get(name)
        c = view.current if view is not None else None
        if c is None or c.id != container_id:
            return
        if kind in ("liveness", "startup") and result == "Failure":
            if not c.running:
                return
            what = "liveness" if kind == "liveness" else "startup"
            rec.kill_messages[name] = f"Container {name} failed {what} probe, will be restarted"
            self.request_sync(rec)
        elif kind in ("readiness", "startup"):
            self.write_status(rec)

    # ================================================================== events

    def pod_event(self, rec: PodRecord, type_: str, reason: str, message: str) -> None:
        self.recorder.event(rec.pod, type_, reason, message)

    def container_event(self, rec: PodRecord, spec: Obj, type_: str, reason: str,
                        message: str) -> None:
        self.recorder.event(rec.pod, type_, reason, message,
                            field_path=f"spec.containers{{{spec.get('name', '')}}}")

    # ================================================================== network (probes)

    def http_exchange(self, host: str, port: int, request: HTTPRequest) -> HTTPResponse:
        """One HTTP exchange from this node (probes): local pods, else the network model."""
        app = self.runtime.app_on_port(host, port)
        if app is not None:
            return app.serve_http(request)
        if self._is_local(host):
            raise ConnectionRefusedError("connection refused")
        hook: Callable[..., HTTPResponse] | None = self.cluster.extensions.get("http_exchange")
        if hook is not None:
            return hook(self.node.name, host, port, request)
        if host.replace(".", "").isdigit():
            raise ConnectionRefusedError("connection refused")
        raise LookupError(f"dial tcp: lookup {host} on 127.0.0.53:53: no such host")

    def tcp_connect(self, host: str, port: int) -> bool:
        if self.runtime.app_on_port(host, port) is not None:
            return True
        hook = self.cluster.extensions.get("tcp_connect")
        return bool(hook(self.node.name, host, port)) if hook is not None and \
            not self._is_local(host) else False

    def _is_local(self, host: str) -> bool:
        if host in (self.node.ip, "127.0.0.1", "localhost"):
            return True
        return any(s.ready and s.ip == host for s in self.runtime.sandboxes.values())

    # ================================================================== logs / exec

    def _unreachable(self, path: str) -> StatusError:
        return StatusError(500, "InternalError",
                           f'Get "https://{self.node.ip}:10250/{path}": dial tcp '
                           f"{self.node.ip}:10250: connect: no route to host")

    def logs(self, namespace: str, pod: str, container: str | None = None, *,
             previous: bool = False) -> list[tuple[int, str]]:
        """``GET …/pods/<pod>/log``: ``(timestamp ns, line)`` for each line, oldest first."""
        obj = self.api.try_get(POD, namespace, pod)
        if obj is None:
            raise errors.not_found("pods", pod)
        name = choose_container(obj, container)
        if not (obj.get("spec") or {}).get("nodeName"):
            return []
        if not self.running:
            raise self._unreachable(f"containerLogs/{namespace}/{pod}/{name}")
        status = obj.get("status") or {}
        which = validate_container_log_status(pod, status, name, previous)
        cs = next(s for s in status.get("containerStatuses") or [] if s.get("name") == name)
        if which == "previous":
            cid = ((cs.get("lastState") or {}).get("terminated") or {}).get("containerID", "")
        else:
            cid = cs.get("containerID") or ((cs.get("state") or {}).get("terminated") or {}
                                            ).get("containerID", "")
        cid = cid.split("://", 1)[-1]
        uid = obj["metadata"].get("uid", "")
        for c in self.runtime.pod_containers(uid):
            if c.id == cid:
                return [(t, line) for t, _stream, line in c.logs]
        return []

    def exec(self, namespace: str, pod: str, container: str | None, argv: list[str],
             ctx: ExecContext) -> Proc:
        """``kubectl exec``: run ``argv`` in the container; the process writes to ``ctx``'s
        streams and returns the exit status. Errors before the process starts raise
        :class:`~k8slab.api.errors.StatusError` with the apiserver's/runtime's text."""
        obj = self.api.try_get(POD, namespace, pod)
        if obj is None:
            raise errors.not_found("pods", pod)
        name = choose_container(obj, container)
        if not self.running:
            raise self._unreachable(f"exec/{namespace}/{pod}/{name}")
        uid = obj["metadata"].get("uid", "")
        latest, _ = self.runtime.find(uid, name)
        if latest is None or not latest.running:
            raise StatusError(400, "BadRequest",
                              f'unable to upgrade connection: container not found ("{name}")')
        if not argv:
            raise StatusError(400, "BadRequest", "you must specify at least one command for "
                                                 "the container")
        path = latest.commands.locate(argv[0], latest.cwd)
        if path is None:
            if "/" in argv[0] and latest.fs.exists(argv[0]):
                what = f'exec: "{argv[0]}": permission denied'
            elif "/" in argv[0]:
                what = f'exec: "{argv[0]}": stat {argv[0]}: no such file or directory'
            else:
                what = f'exec: "{argv[0]}": executable file not found in $PATH'
            raise StatusError(
                500, "InternalError",
                "Internal error occurred: error executing command in container: failed to exec "
                f'in container: failed to start exec "{self.runtime.new_id()}": OCI runtime '
                f"exec failed: exec failed: unable to start container process: {what}: unknown")
        exec_ctx = latest.exec_context(ctx.stdin, ctx.stdout, ctx.stderr, tty=ctx.tty)
        return latest.binaries[path](exec_ctx, list(argv))


def _runtime_env(image: Any, hostname: str, env_pairs: list[tuple[str, str]]) -> dict[str, str]:
    """The container's environment as the runtime assembles it: the image's ``PATH``,
    ``HOSTNAME``, the image's ``ENV``, the kubelet's variables, then ``HOME``."""
    env: dict[str, str] = {}
    image_env = dict(image.env)
    if "PATH" in image_env:
        env["PATH"] = image_env["PATH"]
    env["HOSTNAME"] = hostname
    for k, v in image_env.items():
        env.setdefault(k, v)
    for k, v in env_pairs:
        env[k] = v
    env.setdefault("HOME", "/root" if image.user[0] == 0 else "/")
    return env


def _default_pull_policy(image: str) -> str:
    return image_pull_policy(image)


def _argv(spec: Obj, image: Any, env: dict[str, str]) -> list[str]:
    """Entrypoint + cmd, overridden by the container's ``command``/``args``, ``$(VAR)``
    expanded (``kubecontainer.ExpandContainerCommandAndArgs``)."""
    command = spec.get("command")
    args = spec.get("args")
    if command:
        argv = list(command) + list(args or [])
    elif args is not None and args:
        argv = list(image.entrypoint) + list(args)
    else:
        argv = list(image.entrypoint) + list(image.cmd)
    return [expand(str(a), env) for a in argv]
