"""EndpointSlice controller (``pkg/controller/endpointslice/endpointslice_controller.go`` and the
reconciler it shares with the mirroring controller, ``staging/src/k8s.io/endpointslice``:
``reconciler.go``, ``utils.go``, ``util/controller_utils.go``).

For every Service with a selector (not ``ExternalName``) it keeps ``discovery.k8s.io/v1``
EndpointSlices listing the selected pods, as kube-proxy and CoreDNS read them:

- which pods: those matching the selector that have an IP and are not terminal (Succeeded or
  Failed) — terminating pods included (``ShouldPodBeInEndpoints(pod, true)``);
- each endpoint (``podToEndpoint``): ``addresses`` (the pod IP), ``conditions``
  ``serving = IsPodReady``, ``terminating = deletionTimestamp set``, ``ready = serving and not
  terminating`` (``publishNotReadyAddresses`` makes ``ready`` true), ``hostname`` when the pod's
  ``hostname``/``subdomain`` name this Service, ``targetRef`` (Pod, namespace, name, uid),
  ``nodeName``, ``zone`` from the node's ``topology.kubernetes.io/zone`` label;
- ports (``getEndpointPorts``): one per Service port whose target port resolves on the pod
  (named ports looked up in the pod's containers), ``name`` always present (``""`` when the
  Service port is unnamed); pods with different resolved ports go to different slices;
- slices are named ``<service>-<5 random characters>`` (``generateName``), labelled
  ``kubernetes.io/service-name``, ``endpointslice.kubernetes.io/managed-by:
  endpointslice-controller.k8s.io``, the Service's own labels and
  ``service.kubernetes.io/headless`` for headless Services, owned by the Service (controller
  reference), annotated ``endpoints.kubernetes.io/last-change-trigger-time``; at most 100
  endpoints each (``--max-endpoints-per-slice``);
- the reconciler's placement (``reconcileByPortMapping``): endpoints stay in the slice that holds
  them, changed slices are rewritten, removed endpoints leave, new ones fill the slices already
  being updated (fullest first), then an unchanged slice they fit in, then new slices; a slice
  left empty is deleted, except that a Service with no endpoints keeps one *placeholder* slice
  (no ports, no endpoints); a delete paired with a create becomes an update of the old slice,
  so a Service keeps its slice name when it scales to zero and back (``finalize``).

Like the informers it models, the controller keeps its own view of which pods each Service
selects, updated per pod and Service event (:class:`ServiceMembers`): a pod event costs a
selector match per Service in its namespace, a sync costs O(pods of the Service).

Slice names are drawn from the controller's own random stream rather than the apiserver's
``generateName`` stream, so creating a Service does not reshuffle the names of pods created
after it (see docs/realism.md). The Service's deletion is left to the garbage collector (the
slices carry an owner reference), as upstream.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.store import DELETED
from .base import Controller, split_key

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = [
    "CONTROLLER_NAME",
    "LABEL_MANAGED_BY",
    "LABEL_SERVICE_NAME",
    "MAX_ENDPOINTS_PER_SLICE",
    "EndpointSliceController",
    "ServiceMembers",
    "find_port",
    "should_pod_be_in_endpoints",
]

Obj = dict[str, Any]

POD = builtin("v1", "Pod")
SERVICE = builtin("v1", "Service")
NODE = builtin("v1", "Node")
ENDPOINT_SLICE = builtin("discovery.k8s.io/v1", "EndpointSlice")

LABEL_SERVICE_NAME = "kubernetes.io/service-name"
LABEL_MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100
SLICE_INDEX = "endpointslice:service"

_RESERVED = (LABEL_SERVICE_NAME, LABEL_MANAGED_BY, HEADLESS_LABEL)


# --------------------------------------------------------------------------- pod helpers


def _ready_condition(pod: Obj) -> Obj | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def pod_ready(pod: Obj) -> bool:
    """``podutil.IsPodReady``."""
    c = _ready_condition(pod)
    return c is not None and c.get("status") == "True"


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """``endpointsliceutil.ShouldPodBeInEndpoints``."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    return include_terminating or not (pod.get("metadata") or {}).get("deletionTimestamp")


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """``FindPort``: a numeric targetPort as is, a named one looked up in the pod's
    containers (and restartable init containers) with the same protocol."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    if target is None:
        return None
    text = str(target)
    if text.isdigit():
        return int(text)
    protocol = service_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    for c in spec.get("containers") or ():
        for p in c.get("ports") or ():
            if p.get("name") == text and (p.get("protocol") or "TCP") == protocol:
                return int(p.get("containerPort", 0))
    for c in spec.get("initContainers") or ():
        if c.get("restartPolicy") != "Always":
            continue
        for p in c.get("ports") or ():
            if p.get("name") == text and (p.get("protocol") or "TCP") == protocol:
                return int(p.get("containerPort", 0))
    return None


def should_set_hostname(pod: Obj, service: Obj) -> bool:
    """``ShouldSetHostname``: the pod names this (headless) Service as its subdomain."""
    spec = pod.get("spec") or {}
    return bool(spec.get("hostname")) and spec.get("subdomain") == (
        service.get("metadata") or {}).get("name") and (
        service.get("metadata") or {}).get("namespace") == (pod.get("metadata") or {}).get(
        "namespace")


def service_ip_set(service: Obj) -> bool:
    cip = (service.get("spec") or {}).get("clusterIP")
    return bool(cip) and cip != "None"


def trigger_time(pod: Obj) -> str:
    """When the pod last changed in a way endpoints care about: its Ready condition's
    transition, else its creation (``getPodTriggerTime``'s intent)."""
    c = _ready_condition(pod)
    if c is not None and c.get("lastTransitionTime"):
        return str(c["lastTransitionTime"])
    return str((pod.get("metadata") or {}).get("creationTimestamp") or "")


def _endpoint_state(pod: Obj) -> tuple[Any, ...]:
    """What of a pod the endpoints depend on (an update elsewhere is ignored)."""
    meta = pod.get("metadata") or {}
    status = pod.get("status") or {}
    spec = pod.get("spec") or {}
    return (status.get("podIP"), pod_ready(pod), bool(meta.get("deletionTimestamp")),
            status.get("phase") in ("Succeeded", "Failed"), spec.get("nodeName"),
            spec.get("hostname"), spec.get("subdomain"), meta.get("uid"))


def _selects(selector: dict[str, str], labels: dict[str, str] | None) -> bool:
    if not labels:
        return False
    return all(labels.get(k) == v for k, v in selector.items())


# --------------------------------------------------------------------------- membership


class ServiceMembers:
    """Which pods each selector-bearing Service selects — the informer cache's answer to
    ``podLister.Pods(ns).List(selector)`` and ``GetPodServiceMemberships``, kept up to date
    from the controller's own watch events."""

    def __init__(self, api: Any) -> None:
        self.api = api
        # namespace → service name → selector
        self.selectors: dict[str, dict[str, dict[str, str]]] = {}
        # (namespace, service) → pod name → latest pod object
        self.members: dict[tuple[str, str], dict[str, Obj]] = {}

    def service_changed(self, event: str, svc: Obj) -> bool:
        """Record a Service event; True when its membership was (re)computed."""
        meta = svc.get("metadata") or {}
        ns, name = meta.get("namespace", ""), meta.get("name", "")
        selector = (svc.get("spec") or {}).get("selector") or None
        by_ns = self.selectors.setdefault(ns, {})
        if event == DELETED or selector is None:
            by_ns.pop(name, None)
            self.members.pop((ns, name), None)
            return False
        if by_ns.get(name) == selector and (ns, name) in self.members:
            return False
        by_ns[name] = dict(selector)
        members: dict[str, Obj] = {}
        for pod in self.api.iter_kind(POD, ns):
            if _selects(selector, (pod.get("metadata") or {}).get("labels")):
                members[pod["metadata"]["name"]] = pod
        self.members[(ns, name)] = members
        return True

    def pod_changed(self, event: str, pod: Obj, old: Obj | None) -> list[tuple[str, str]]:
        """Record a pod event; the Services whose endpoints it may change."""
        services = self.selectors.get(pod["metadata"].get("namespace", ""))
        if not services:
            return []
        meta = pod["metadata"]
        ns = meta.get("namespace", "")
        name = meta.get("name", "")
        labels = meta.get("labels")
        # whether what endpoints show of the pod changed: asked only once a Service selects it
        state_changed: bool | None = True if old is None or event == DELETED else None
        out: list[tuple[str, str]] = []
        for svc_name, selector in services.items():
            key = (ns, svc_name)
            members = self.members.setdefault(key, {})
            now_in = event != DELETED and _selects(selector, labels)
            was_in = name in members
            if now_in:
                members[name] = pod
            elif was_in:
                del members[name]
            if now_in and was_in and state_changed is None and old is not None:
                state_changed = _endpoint_state(pod) != _endpoint_state(old)
            if now_in != was_in or (now_in and state_changed):
                out.append(key)
        return out

    def pods(self, ns: str, name: str) -> list[Obj]:
        members = self.members.get((ns, name)) or {}
        return [members[k] for k in sorted(members)]


# --------------------------------------------------------------------------- objects


def _slice_service_key(obj: Obj) -> list[str]:
    meta = obj.get("metadata") or {}
    service = (meta.get("labels") or {}).get(LABEL_SERVICE_NAME)
    return [f"{meta.get('namespace', '')}/{service}"] if service else []


def ensure_slice_index(api: Any) -> None:
    """EndpointSlices by ``<namespace>/<service-name label>`` (shared with the network)."""
    try:
        api.by_index(ENDPOINT_SLICE, SLICE_INDEX, "")
    except KeyError:
        api.add_index(ENDPOINT_SLICE, SLICE_INDEX, _slice_service_key)


def _ports_key(ports: list[Obj]) -> tuple[Any, ...]:
    return tuple((p.get("name"), p.get("protocol"), p.get("port"), p.get("appProtocol"))
                 for p in ports)


def _endpoint_key(ep: Obj) -> tuple[str, ...]:
    ref = ep.get("targetRef") or {}
    return (*(ep.get("addresses") or ()), ref.get("name", ""))


class EndpointSliceController(Controller):
    name = "endpointslice-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.members = ServiceMembers(self.api)
        self.rng_names = cluster.streams("endpointslice-controller/names")
        # (ns, service) → last trigger time seen per pod, to stamp only real changes
        self._triggers: dict[tuple[str, str], dict[str, str]] = {}
        # slices as this controller last wrote them (the EndpointSliceTracker): an event for
        # any other version means someone else changed or deleted a managed slice
        self._written: dict[tuple[str, str], str] = {}
        ensure_slice_index(self.api)
        self.watch(SERVICE, self._on_service)
        self.watch(POD, self._on_pod)
        self.watch(ENDPOINT_SLICE, self._on_slice)

    # ------------------------------------------------------------------ handlers

    def _on_service(self, event: str, svc: Obj, old: Obj | None) -> None:
        self.members.service_changed(event, svc)
        self.enqueue(svc)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        # Every pod write of the cluster asks, and most namespaces have no Service with a
        # selector: then no pod event there can matter (pod_changed would answer none).
        if not self.members.selectors.get(pod["metadata"].get("namespace", "")):
            return
        for ns, name in self.members.pod_changed(event, pod, old):
            self.queue.add(f"{ns}/{name}")

    def _on_slice(self, event: str, obj: Obj, old: Obj | None) -> None:
        meta = obj.get("metadata") or {}
        labels = meta.get("labels") or {}
        if labels.get(LABEL_MANAGED_BY) != CONTROLLER_NAME:
            return
        ident = (meta.get("namespace", ""), meta.get("name", ""))
        mine = self._written.get(ident)
        if event == DELETED:
            if mine is None:
                return
            del self._written[ident]
        elif mine == meta.get("resourceVersion"):
            return
        service = labels.get(LABEL_SERVICE_NAME)
        if service:
            self.queue.add(f"{ident[0]}/{service}")

    # ------------------------------------------------------------------ sync

    def sync(self, key: str) -> None:
        ns, name = split_key(key)
        svc = self.api.try_get(SERVICE, ns, name)
        if svc is None:
            self._triggers.pop((ns, name), None)
            return
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return
        if (svc.get("metadata") or {}).get("deletionTimestamp"):
            return
        pods = self.members.pods(ns, name)
        stamp = self._trigger_time(ns, name, svc, pods)
        desired: dict[tuple[Any, ...], tuple[list[Obj], list[Obj]]] = {}
        zones: dict[str, str | None] = {}
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, True):
                continue
            ports = self._endpoint_ports(svc, pod)
            if ports is None:
                continue
            ep = self._pod_to_endpoint(pod, svc, zones)
            pkey = _ports_key(ports)
            if pkey not in desired:
                desired[pkey] = (ports, [])
            desired[pkey][1].append(ep)
        existing = [s for s in self.api.by_index(ENDPOINT_SLICE, SLICE_INDEX, f"{ns}/{name}")
                    if ((s.get("metadata") or {}).get("labels") or {}).get(LABEL_MANAGED_BY)
                    == CONTROLLER_NAME and _owned_by(s, svc)]
        existing.sort(key=lambda s: s["metadata"]["name"])
        self._reconcile(svc, existing, desired, stamp)

    def _trigger_time(self, ns: str, name: str, svc: Obj, pods: list[Obj]) -> str:
        """``TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime``: the latest change of
        a pod (or of the Service, when new) since the previous sync."""
        seen = self._triggers.get((ns, name))
        fresh = seen is None
        now_seen: dict[str, str] = {}
        latest = ""
        for pod in pods:
            t = trigger_time(pod)
            pname = pod["metadata"]["name"]
            now_seen[pname] = t
            if fresh or seen.get(pname) != t:  # type: ignore[union-attr]
                latest = max(latest, t)
        if fresh:
            latest = max(latest, str((svc.get("metadata") or {}).get("creationTimestamp")
                                     or ""))
        self._triggers[(ns, name)] = now_seen
        return latest

    def _endpoint_ports(self, svc: Obj, pod: Obj) -> list[Obj] | None:
        spec = svc.get("spec") or {}
        out: list[Obj] = []
        if not spec.get("ports") and spec.get("clusterIP") == "None":
            return out
        for sp in spec.get("ports") or ():
            number = find_port(pod, sp)
            if number is None:
                continue
            port: Obj = {"name": sp.get("name") or "", "protocol": sp.get("protocol") or "TCP",
                         "port": number}
            if sp.get("appProtocol"):
                port["appProtocol"] = sp["appProtocol"]
            out.append(port)
        return out

    def _pod_to_endpoint(self, pod: Obj, svc: Obj, zones: dict[str, str | None]) -> Obj:
        meta = pod["metadata"]
        spec = pod.get("spec") or {}
        status = pod.get("status") or {}
        serving = pod_ready(pod)
        terminating = bool(meta.get("deletionTimestamp"))
        publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
        ready = publish or (serving and not terminating)
        ips = [p.get("ip") for p in status.get("podIPs") or () if p.get("ip") and
               ":" not in p["ip"]] or ([status["podIP"]] if status.get("podIP") else [])
        ep: Obj = {"addresses": ips,
                   "conditions": {"ready": ready, "serving": serving,
                                  "terminating": terminating}}
        if should_set_hostname(pod, svc):
            ep["hostname"] = spec["hostname"]
        ep["targetRef"] = {"kind": "Pod", "namespace": meta.get("namespace", ""),
                           "name": meta["name"], "uid": meta.get("uid", "")}
        node = spec.get("nodeName")
        if node:
            ep["nodeName"] = node
            if node not in zones:
                obj = self.api.try_get(NODE, "", node)
                zones[node] = ((obj or {}).get("metadata") or {}).get("labels", {}).get(
                    ZONE_LABEL) or None
            if zones[node]:
                ep["zone"] = zones[node]
        return ep

    # ------------------------------------------------------------------ reconciler

    def _labels(self, svc: Obj) -> dict[str, str]:
        labels = {k: v for k, v in ((svc.get("metadata") or {}).get("labels") or {}).items()
                  if k not in _RESERVED}
        if not service_ip_set(svc):
            labels[HEADLESS_LABEL] = ""
        labels[LABEL_SERVICE_NAME] = svc["metadata"]["name"]
        labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
        return dict(sorted(labels.items()))

    def _new_slice(self, svc: Obj, ports: list[Obj] | None, stamp: str) -> Obj:
        meta = svc["metadata"]
        name = meta["name"]
        prefix = f"{name}-" if len(name) + 1 <= 253 else name
        annotations = {TRIGGER_TIME: stamp} if stamp else {}
        slice_meta: Obj = {"generateName": prefix, "namespace": meta.get("namespace", ""),
                           "labels": self._labels(svc)}
        if annotations:
            slice_meta["annotations"] = annotations
        slice_meta["ownerReferences"] = [{
            "apiVersion": "v1", "kind": "Service", "name": name, "uid": meta.get("uid", ""),
            "controller": True, "blockOwnerDeletion": True}]
        return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                "metadata": slice_meta, "addressType": "IPv4", "endpoints": None,
                "ports": ports or None}

    def _reconcile(self, svc: Obj, existing: list[Obj],
                   desired: dict[tuple[Any, ...], tuple[list[Obj], list[Obj]]],
                   stamp: str) -> None:
        by_ports: dict[tuple[Any, ...], list[Obj]] = {}
        for s in existing:
            by_ports.setdefault(_ports_key(s.get("ports") or []), []).append(s)
        to_create: list[Obj] = []
        to_update: list[Obj] = []
        to_delete: list[Obj] = []
        for pkey, (ports, endpoints) in desired.items():
            c, u, d = self._by_port_mapping(svc, by_ports.get(pkey, []), ports, endpoints,
                                            stamp)
            to_create += c
            to_update += u
            to_delete += d
        for pkey, slices in by_ports.items():
            if pkey not in desired:
                to_delete += slices
        if len(existing) == len(to_delete) and not to_create:
            placeholder = self._new_slice(svc, None, stamp)
            if len(to_delete) == 1 and _is_placeholder(to_delete[0]):
                to_delete = []
            else:
                to_create.append(placeholder)
        # finalize: turn a delete + create pair into an update of the old slice.
        i = 0
        while i < len(to_delete) and to_create:
            old = to_delete[i]
            new = to_create.pop()
            meta = dict(new["metadata"])
            meta["name"] = old["metadata"]["name"]
            to_update.append({**new, "metadata": meta})
            del to_delete[i]
        for obj in to_create:
            meta = {"name": self._slice_name(obj["metadata"]["generateName"],
                                             obj["metadata"]["namespace"]),
                    **obj["metadata"]}
            made = self.api.create({**obj, "metadata": meta}, source=self.name, trusted=True)
            self._remember(made)
        for obj in to_update:
            self._write_update(obj)
        for obj in to_delete:
            m = obj["metadata"]
            self._written.pop((m.get("namespace", ""), m["name"]), None)
            try:
                self.api.delete(ENDPOINT_SLICE, m.get("namespace", ""), m["name"],
                                source=self.name)
            except StatusError as err:
                if err.reason != "NotFound":
                    raise

    def _remember(self, obj: Obj) -> None:
        m = obj["metadata"]
        self._written[(m.get("namespace", ""), m["name"])] = m.get("resourceVersion", "")

    def _write_update(self, obj: Obj) -> None:
        meta = obj["metadata"]
        live = self.api.try_get(ENDPOINT_SLICE, meta.get("namespace", ""), meta["name"])
        if live is None:
            return
        new_meta = dict(live["metadata"])
        new_meta["labels"] = meta.get("labels") or {}
        annotations = dict(new_meta.get("annotations") or {})
        stamp = (meta.get("annotations") or {}).get(TRIGGER_TIME)
        if stamp:
            annotations[TRIGGER_TIME] = stamp
        else:
            annotations.pop(TRIGGER_TIME, None)
        if annotations:
            new_meta["annotations"] = annotations
        else:
            new_meta.pop("annotations", None)
        new = {**live, "metadata": new_meta, "addressType": obj.get("addressType", "IPv4"),
               "endpoints": obj.get("endpoints") or None, "ports": obj.get("ports") or None}
        if new != live:
            self._remember(self.api.update(new, source=self.name, trusted=True))

    def _slice_name(self, prefix: str, ns: str) -> str:
        from ..sim.rand import name_suffix

        base = prefix[:58]
        while True:
            candidate = base + name_suffix(self.rng_names)
            if self.api.try_get(ENDPOINT_SLICE, ns, candidate) is None:
                return candidate

    def _by_port_mapping(self, svc: Obj, slices: list[Obj], ports: list[Obj],
                         endpoints: list[Obj], stamp: str
                         ) -> tuple[list[Obj], list[Obj], list[Obj]]:
        desired: dict[tuple[str, ...], Obj] = {}
        for ep in endpoints:
            desired[_endpoint_key(ep)] = ep
        labels = self._labels(svc)
        annotations = {TRIGGER_TIME: stamp} if stamp else {}
        updated: dict[str, Obj] = {}
        unchanged: dict[str, Obj] = {}
        deleted: list[Obj] = []
        order: list[str] = []
        for s in slices:
            name = s["metadata"]["name"]
            kept: list[Obj] = []
            changed = False
            old_eps = s.get("endpoints") or []
            for ep in old_eps:
                got = desired.pop(_endpoint_key(ep), None)
                if got is not None:
                    kept.append(got)
                    if got != ep:
                        changed = True
            labels_changed = (s["metadata"].get("labels") or {}) != labels
            if changed or len(kept) != len(old_eps):
                if not kept:
                    deleted.append(s)
                else:
                    updated[name] = self._with(s, kept, labels, annotations)
                    order.append(name)
            elif labels_changed:
                updated[name] = self._with(s, kept, labels,
                                           s["metadata"].get("annotations") or {})
                order.append(name)
            else:
                unchanged[name] = s
        remaining = list(desired.values())
        if remaining and updated:
            for name in sorted(order, key=lambda n: -len(updated[n]["endpoints"])):
                eps = updated[name]["endpoints"]
                while remaining and len(eps) < MAX_ENDPOINTS_PER_SLICE:
                    eps.append(remaining.pop(0))
        created: list[Obj] = []
        while remaining:
            target: Obj | None = None
            if len(remaining) < MAX_ENDPOINTS_PER_SLICE and unchanged:
                best = MAX_ENDPOINTS_PER_SLICE
                for name in sorted(unchanged):
                    diff = MAX_ENDPOINTS_PER_SLICE - (len(remaining) + len(
                        unchanged[name].get("endpoints") or []))
                    if 0 <= diff < best:
                        best, target = diff, unchanged[name]
            if target is None:
                fresh = self._new_slice(svc, ports, stamp)
                fresh["endpoints"] = []
                while remaining and len(fresh["endpoints"]) < MAX_ENDPOINTS_PER_SLICE:
                    fresh["endpoints"].append(remaining.pop(0))
                created.append(fresh)
                continue
            name = target["metadata"]["name"]
            del unchanged[name]
            filled = self._with(target, list(target.get("endpoints") or []), labels,
                                annotations)
            while remaining and len(filled["endpoints"]) < MAX_ENDPOINTS_PER_SLICE:
                filled["endpoints"].append(remaining.pop(0))
            updated[name] = filled
            order.append(name)
        return created, [updated[n] for n in order], deleted

    @staticmethod
    def _with(s: Obj, endpoints: list[Obj], labels: dict[str, str],
              annotations: dict[str, str]) -> Obj:
        meta = dict(s["metadata"])
        meta["labels"] = labels
        if annotations:
            meta["annotations"] = dict(annotations)
        else:
            meta.pop("annotations", None)
        return {**s, "metadata": meta, "endpoints": endpoints}


def _owned_by(obj: Obj, svc: Obj) -> bool:
    uid = (svc.get("metadata") or {}).get("uid")
    return any(r.get("uid") == uid and r.get("kind") == "Service" and
               r.get("apiVersion") == "v1"
               for r in (obj.get("metadata") or {}).get("ownerReferences") or ())


def _is_placeholder(obj: Obj) -> bool:
    return not obj.get("endpoints") and not obj.get("ports")


def endpoint_addresses(slices: Iterable[Obj]) -> list[str]:
    """Every address in ``slices`` (for tests and DNS)."""
    return [a for s in slices for ep in s.get("endpoints") or () for a in
            ep.get("addresses") or ()]
