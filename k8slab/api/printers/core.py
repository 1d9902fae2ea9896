"""Table printers of the core group (``pkg/printers/internalversion/printers.go``).

Pod, PodTemplate, ReplicationController, Service, Endpoints, Node, Event, Namespace, Secret,
ServiceAccount, PersistentVolume, PersistentVolumeClaim, ComponentStatus, ConfigMap,
ResourceQuota. Cell logic follows the Go functions of the same names (``printPod``,
``printService``, ``formatEndpoints``, ``printNode``, ``printEvent``…).
"""

from __future__ import annotations

from typing import Any

from ...sim.timefmt import human_duration
from ._base import AGE, NAME, Column, printer
from ._util import (
    access_modes,
    age,
    format_labels,
    quantity,
    selector_string,
    ts,
)

Obj = dict[str, Any]


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _spec(obj: Obj) -> Obj:
    return obj.get("spec") or {}


def _status(obj: Obj) -> Obj:
    return obj.get("status") or {}


def container_cells(containers: list[Obj] | None) -> tuple[str, str]:
    """``layoutContainerCells``: names and images joined by ``,``."""
    containers = containers or []
    return (",".join(str(c.get("name", "")) for c in containers),
            ",".join(str(c.get("image", "")) for c in containers))


# ----------------------------------------------------------------------------------- pods

POD_COLUMNS = [
    NAME, Column("Ready"), Column("Status"), Column("Restarts"), AGE,
    Column("IP", 1), Column("Node", 1), Column("Nominated Node", 1),
    Column("Readiness Gates", 1),
]


def _restartable(container: Obj | None) -> bool:
    return container is not None and container.get("restartPolicy") == "Always"


def _condition_true(conditions: list[Obj] | None, ctype: str) -> bool:
    return any(c.get("type") == ctype and c.get("status") == "True" for c in conditions or [])


def pod_status_reason(pod: Obj) -> tuple[str, int, int, int, int | None]:
    """``printPod``'s STATUS, ready and total containers, restarts and last restart time."""
    spec, status = _spec(pod), _status(pod)
    restarts = 0
    restartable_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart: int | None = None
    last_restartable: int | None = None
    phase = str(status.get("phase") or "")
    reason = phase
    if status.get("reason"):
        reason = str(status["reason"])
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total += sum(1 for c in spec.get("initContainers") or [] if _restartable(c))
    n_init = len(spec.get("initContainers") or [])

    def later(current: int | None, candidate: Any) -> int | None:
        t = ts(candidate)
        if t is None:
            return current
        if current is None or current < t:
            return t
        return current

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount") or 0)
        last_term = (cs.get("lastState") or {}).get("terminated")
        if last_term:
            last_restart = later(last_restart, last_term.get("finishedAt"))
        restartable = _restartable(init_specs.get(cs.get("name")))
        if restartable:
            restartable_restarts += int(cs.get("restartCount") or 0)
            if last_term:
                last_restartable = later(last_restartable, last_term.get("finishedAt"))
        state = cs.get("state") or {}
        terminated, waiting = state.get("terminated"), state.get("waiting")
        if terminated is not None and int(terminated.get("exitCode") or 0) == 0:
            continue
        if restartable and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if terminated is not None:
            if not terminated.get("reason"):
                if terminated.get("signal"):
                    reason = f"Init:Signal:{terminated['signal']}"
                else:
                    reason = f"Init:ExitCode:{terminated.get('exitCode', 0)}"
            else:
                reason = "Init:" + str(terminated["reason"])
            initializing = True
        elif waiting and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + str(waiting["reason"])
            initializing = True
        else:
            reason = f"Init:{i}/{n_init}"
            initializing = True
        break

    if not initializing or _condition_true(status.get("conditions"), "Initialized"):
        restarts = restartable_restarts
        last_restart = last_restartable
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            last_term = (cs.get("lastState") or {}).get("terminated")
            if last_term:
                last_restart = later(last_restart, last_term.get("finishedAt"))
            state = cs.get("state") or {}
            waiting, terminated = state.get("waiting"), state.get("terminated")
            if waiting and waiting.get("reason"):
                reason = str(waiting["reason"])
            elif terminated and terminated.get("reason"):
                reason = str(terminated["reason"])
            elif terminated is not None:
                if terminated.get("signal"):
                    reason = f"Signal:{terminated['signal']}"
                else:
                    reason = f"ExitCode:{terminated.get('exitCode', 0)}"
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(status.get("conditions"), "Ready") \
                else "NotReady"

    meta = _meta(pod)
    if meta.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif meta.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    return reason, ready, total, restarts, last_restart


@printer("", "Pod", POD_COLUMNS)
def pod_row(pod: Obj, now: int) -> list[str]:
    spec, status = _spec(pod), _status(pod)
    reason, ready, total, restarts, last_restart = pod_status_reason(pod)
    restarts_text = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration(now - last_restart)} ago)"
    ips = status.get("podIPs") or []
    pod_ip = str(ips[0].get("ip", "")) if ips else ""
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        true = 0
        for gate in gates:
            for cond in status.get("conditions") or []:
                if cond.get("type") == gate.get("conditionType"):
                    if cond.get("status") == "True":
                        true += 1
                    break
        gates_text = f"{true}/{len(gates)}"
    return [
        _meta(pod).get("name", ""), f"{ready}/{total}", reason, restarts_text,
        age(_meta(pod).get("creationTimestamp"), now),
        pod_ip or "<none>", spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>", gates_text,
    ]


@printer("", "PodTemplate", [NAME, Column("Containers"), Column("Images"),
                              Column("Pod Labels")])
def pod_template_row(obj: Obj, now: int) -> list[str]:
    template = obj.get("template") or {}
    names, images = container_cells((template.get("spec") or {}).get("containers"))
    return [_meta(obj).get("name", ""), names, images,
            format_labels((template.get("metadata") or {}).get("labels"))]


@printer("", "ReplicationController", [
    NAME, Column("Desired", type="integer"), Column("Current", type="integer"),
    Column("Ready", type="integer"), AGE, Column("Containers", 1), Column("Images", 1),
    Column("Selector", 1),
])
def replication_controller_row(obj: Obj, now: int) -> list[str]:
    spec, status = _spec(obj), _status(obj)
    names, images = container_cells(
        ((spec.get("template") or {}).get("spec") or {}).get("containers"))
    return [_meta(obj).get("name", ""), str(spec.get("replicas", 0)),
            str(status.get("replicas", 0)), str(status.get("readyReplicas", 0)),
            age(_meta(obj).get("creationTimestamp"), now), names, images,
            format_labels(spec.get("selector"))]


# ----------------------------------------------------------------------------------- services

def _lb_ingress(status: Obj) -> str:
    """``loadBalancerStatusStringer`` (wide): the sorted set of IPs or hostnames."""
    found = []
    for ing in (status.get("loadBalancer") or {}).get("ingress") or []:
        value = ing.get("ip") or ing.get("hostname")
        if value and value not in found:
            found.append(value)
    return ",".join(sorted(found))


def service_external_ip(svc: Obj) -> str:
    """``getServiceExternalIP`` with ``wide`` true (the server always converts wide)."""
    spec = _spec(svc)
    stype = spec.get("type", "")
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    if stype in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if stype == "LoadBalancer":
        lb = _lb_ingress(_status(svc))
        if external:
            return ",".join((lb.split(",") if lb else []) + external)
        return lb or "<pending>"
    if stype == "ExternalName":
        return str(spec.get("externalName", ""))
    return "<unknown>"


def make_port_string(ports: list[Obj] | None) -> str:
    pieces = []
    for p in ports or []:
        proto = p.get("protocol", "")
        if p.get("nodePort"):
            pieces.append(f"{p.get('port', 0)}:{p['nodePort']}/{proto}")
        else:
            pieces.append(f"{p.get('port', 0)}/{proto}")
    return ",".join(pieces)


@printer("", "Service", [
    NAME, Column("Type"), Column("Cluster-IP"), Column("External-IP"), Column("Port(s)"), AGE,
    Column("Selector", 1),
])
def service_row(svc: Obj, now: int) -> list[str]:
    spec = _spec(svc)
    ips = spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else [])
    ports = make_port_string(spec.get("ports")) or "<none>"
    return [_meta(svc).get("name", ""), str(spec.get("type", "")),
            str(ips[0]) if ips else "<none>", service_external_ip(svc), ports,
            age(_meta(svc).get("creationTimestamp"), now), format_labels(spec.get("selector"))]


def join_host_port(host: str, port: Any) -> str:
    """``net.JoinHostPort``."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def format_endpoints(ep: Obj, ports: set[str] | None = None) -> str:
    subsets = ep.get("subsets") or []
    if not subsets:
        return "<none>"
    out: list[str] = []
    limit, more, count = 3, False, 0
    for ss in subsets:
        addresses = ss.get("addresses") or []
        if not ss.get("ports"):
            count += len(addresses)
            for addr in addresses:
                if len(out) == limit:
                    more = True
                    break
                out.append(str(addr.get("ip", "")))
            continue
        for port in ss.get("ports") or []:
            if ports is None or port.get("name", "") in ports:
                count += len(addresses)
                for addr in addresses:
                    if len(out) == limit:
                        more = True
                        break
                    out.append(join_host_port(str(addr.get("ip", "")), port.get("port", 0)))
    text = ",".join(out)
    if more:
        return f"{text} + {count - limit} more..."
    return text


@printer("", "Endpoints", [NAME, Column("Endpoints"), AGE])
def endpoints_row(ep: Obj, now: int) -> list[str]:
    return [_meta(ep).get("name", ""), format_endpoints(ep),
            age(_meta(ep).get("creationTimestamp"), now)]


# ----------------------------------------------------------------------------------- nodes

def node_roles(node: Obj) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` and ``kubernetes.io/role``."""
    roles = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith("node-role.kubernetes.io/"):
            role = key[len("node-role.kubernetes.io/"):]
            if role:
                roles.add(role)
        elif key == "kubernetes.io/role" and value:
            roles.add(str(value))
    return sorted(roles)


def node_status(node: Obj) -> str:
    conditions = {c.get("type"): c for c in _status(node).get("conditions") or []}
    status = []
    ready = conditions.get("Ready")
    if ready is not None:
        status.append("Ready" if ready.get("status") == "True" else "NotReady")
    if not status:
        status.append("Unknown")
    if _spec(node).get("unschedulable"):
        status.append("SchedulingDisabled")
    return ",".join(status)


def _node_address(node: Obj, kind: str) -> str:
    for addr in _status(node).get("addresses") or []:
        if addr.get("type") == kind:
            return str(addr.get("address", ""))
    return "<none>"


@printer("", "Node", [
    NAME, Column("Status"), Column("Roles"), AGE, Column("Version"),
    Column("Internal-IP", 1), Column("External-IP", 1), Column("OS-Image", 1),
    Column("Kernel-Version", 1), Column("Container-Runtime", 1),
])
def node_row(node: Obj, now: int) -> list[str]:
    info = _status(node).get("nodeInfo") or {}
    return [
        _meta(node).get("name", ""), node_status(node), ",".join(node_roles(node)) or "<none>",
        age(_meta(node).get("creationTimestamp"), now), str(info.get("kubeletVersion", "")),
        _node_address(node, "InternalIP"), _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


# ----------------------------------------------------------------------------------- events

def event_source(event: Obj) -> str:
    """``formatEventSource``: component (or reportingController), then ``, host``.

    Go's ``Event.ReportingController`` is serialized as ``reportingComponent`` in core/v1."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent") or ""
    instance = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {instance}" if instance else str(component)


@printer("", "Event", [
    Column("Last Seen"), Column("Type"), Column("Reason"), Column("Object"),
    Column("Subobject", 1), Column("Source", 1), Column("Message"), Column("First Seen", 1),
    Column("Count", 1), Column("Name", 1, format="name"),
])
def event_row(ev: Obj, now: int) -> list[str]:
    first = age(ev.get("firstTimestamp"), now)
    if ts(ev.get("firstTimestamp")) is None:
        first = age(ev.get("eventTime"), now)
    last = age(ev.get("lastTimestamp"), now)
    if ts(ev.get("lastTimestamp")) is None:
        last = first
    count = int(ev.get("count") or 0)
    series = ev.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        count = int(series.get("count") or 0)
    elif count == 0:
        count = 1
    involved = ev.get("involvedObject") or ev.get("regarding") or {}
    kind = str(involved.get("kind", "")).lower()
    target = f"{kind}/{involved['name']}" if involved.get("name") else kind
    return [last, str(ev.get("type", "")), str(ev.get("reason", "")), target,
            str(involved.get("fieldPath", "")), event_source(ev),
            str(ev.get("message") or ev.get("note") or "").strip(), first, str(count),
            _meta(ev).get("name", "")]


# ----------------------------------------------------------------------------------- misc core

@printer("", "Namespace", [NAME, Column("Status"), AGE])
def namespace_row(ns: Obj, now: int) -> list[str]:
    return [_meta(ns).get("name", ""), str(_status(ns).get("phase", "")),
            age(_meta(ns).get("creationTimestamp"), now)]


@printer("", "Secret", [NAME, Column("Type"), Column("Data"), AGE])
def secret_row(obj: Obj, now: int) -> list[str]:
    return [_meta(obj).get("name", ""), str(obj.get("type", "")), str(len(obj.get("data") or {})),
            age(_meta(obj).get("creationTimestamp"), now)]


@printer("", "ServiceAccount", [NAME, Column("Secrets"), AGE])
def service_account_row(obj: Obj, now: int) -> list[str]:
    return [_meta(obj).get("name", ""), str(len(obj.get("secrets") or [])),
            age(_meta(obj).get("creationTimestamp"), now)]


@printer("", "ConfigMap", [NAME, Column("Data"), AGE])
def config_map_row(obj: Obj, now: int) -> list[str]:
    count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [_meta(obj).get("name", ""), str(count), age(_meta(obj).get("creationTimestamp"), now)]


def pv_class(pv: Obj) -> str:
    annotations = _meta(pv).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str(_spec(pv).get("storageClassName") or "")


def pvc_class(pvc: Obj) -> str:
    annotations = _meta(pvc).get("annotations") or {}
    if "volume.beta.kubernetes.io/storage-class" in annotations:
        return str(annotations["volume.beta.kubernetes.io/storage-class"])
    return str(_spec(pvc).get("storageClassName") or "")


@printer("", "PersistentVolume", [
    NAME, Column("Capacity"), Column("Access Modes"), Column("Reclaim Policy"),
    Column("Status"), Column("Claim"), Column("StorageClass"), Column("VolumeAttributesClass"),
    Column("Reason"), AGE, Column("VolumeMode", 1),
])
def pv_row(pv: Obj, now: int) -> list[str]:
    spec, status = _spec(pv), _status(pv)
    claim = ""
    if spec.get("claimRef"):
        ref = spec["claimRef"]
        claim = f"{ref.get('namespace', '')}/{ref.get('name', '')}"
    phase = str(status.get("phase", ""))
    if _meta(pv).get("deletionTimestamp"):
        phase = "Terminating"
    return [
        _meta(pv).get("name", ""), quantity((spec.get("capacity") or {}).get("storage")),
        access_modes(spec.get("accessModes")), str(spec.get("persistentVolumeReclaimPolicy", "")),
        phase, claim, pv_class(pv), spec.get("volumeAttributesClassName") or "<unset>",
        str(status.get("reason", "")), age(_meta(pv).get("creationTimestamp"), now),
        spec.get("volumeMode") or "<unset>",
    ]


@printer("", "PersistentVolumeClaim", [
    NAME, Column("Status"), Column("Volume"), Column("Capacity"), Column("Access Modes"),
    Column("StorageClass"), Column("VolumeAttributesClass"), AGE, Column("VolumeMode", 1),
])
def pvc_row(pvc: Obj, now: int) -> list[str]:
    spec, status = _spec(pvc), _status(pvc)
    phase = str(status.get("phase", ""))
    if _meta(pvc).get("deletionTimestamp"):
        phase = "Terminating"
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        capacity = quantity((status.get("capacity") or {}).get("storage"))
    return [
        _meta(pvc).get("name", ""), phase, str(spec.get("volumeName", "")), capacity, modes,
        pvc_class(pvc), spec.get("volumeAttributesClassName") or "<unset>",
        age(_meta(pvc).get("creationTimestamp"), now), spec.get("volumeMode") or "<unset>",
    ]


@printer("", "ComponentStatus", [NAME, Column("Status"), Column("Message"), Column("Error")])
def component_status_row(obj: Obj, now: int) -> list[str]:
    status, message, error = "Unknown", "", ""
    for cond in obj.get("conditions") or []:
        if cond.get("type") == "Healthy":
            status = "Healthy" if cond.get("status") == "True" else "Unhealthy"
            message, error = str(cond.get("message", "")), str(cond.get("error", ""))
            break
    return [_meta(obj).get("name", ""), status, message, error]


@printer("", "ResourceQuota", [NAME, Column("Request"), Column("Limit"), AGE])
def resource_quota_row(obj: Obj, now: int) -> list[str]:
    status = _status(obj)
    hard, used = status.get("hard") or {}, status.get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        text = f"{resource}: {quantity(used.get(resource))}/{quantity(hard[resource])}"
        pieces = resource.split(".")
        (limits if len(pieces) > 1 and pieces[0] == "limits" else requests).append(text)
    return [_meta(obj).get("name", ""), ", ".join(requests), ", ".join(limits),
            age(_meta(obj).get("creationTimestamp"), now)]


__all__ = [
    "container_cells",
    "event_source",
    "format_endpoints",
    "join_host_port",
    "make_port_string",
    "node_roles",
    "node_status",
    "pod_status_reason",
    "pv_class",
    "pvc_class",
    "selector_string",
    "service_external_ip",
]
