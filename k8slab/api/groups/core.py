"""The core ("") API group: Pod, Service, Namespace, Node, ConfigMap, Secret, Event…

Models ``pkg/apis/core/v1/defaults.go``, ``pkg/apis/core/validation/validation.go`` and the
strategies in ``pkg/registry/core/*`` (``PrepareForCreate``/``PrepareForUpdate``, status
subresources, generation), plus coordination.k8s.io Lease and events.k8s.io Event, whose
strategies are as small as the core ones.

Strategy notes worth knowing:

- Pod: created ``Pending`` with its QoS class (``qos.GetPodQOS``) and ``metadata.generation``
  1, which grows with every spec change (pod generation is GA since 1.35). ``spec.nodeName``
  only arrives through ``pods/binding``. ``spec.serviceAccount`` mirrors
  ``serviceAccountName`` (the v1 conversion of the deprecated field).
- Service: status starts as ``{loadBalancer: {}}``; on update, values the client left out
  (clusterIP, nodePorts matched by port name) are carried over and fields a type change
  makes meaningless are dropped (``patchAllocatedValues``, ``dropTypeDependentFields``).
  Allocation itself is :mod:`k8slab.api.servicealloc`.
- Namespace: ``Active`` with ``spec.finalizers: [kubernetes]`` and the
  ``kubernetes.io/metadata.name`` label, which always equals the name.
- Node: keeps the status the kubelet registers with; ``podCIDRs`` may only go from empty to
  set.
"""

from __future__ import annotations

import base64
from fractions import Fraction
from typing import Any

from ...sim.memo import by_identity
from .. import quantity
from ..defaults import default_pod, default_pod_template, default_resource_list
from ..errors import FieldError
from ..registry import Strategy, register
from ..store import APIServer
from ..validation import core as v
from ..validation.meta import validate_object_meta, validate_object_meta_update

__all__ = ["install", "pod_qos_class"]

Obj = dict[str, Any]


# ============================================================================ pods

def _positive(value: Any) -> Fraction | None:
    try:
        amount = quantity.parse(value)
    except (ValueError, TypeError, AttributeError):
        return None
    return amount if amount > 0 else None


def pod_qos_class(pod: Obj) -> str:
    """``qos.ComputePodQOS``: BestEffort, Guaranteed or Burstable from cpu/memory."""
    return _spec_qos_class(pod.get("spec") or {})


# The pods of one ReplicaSet reach PrepareForCreate with its one (never mutated) spec.
@by_identity
def _spec_qos_class(spec: Obj) -> str:
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for key in ("containers", "initContainers"):
        for ctr in spec.get(key) or []:
            res = (ctr.get("resources") or {}) if isinstance(ctr, dict) else {}
            for name, value in (res.get("requests") or {}).items():
                if name in ("cpu", "memory"):
                    amount = _positive(value)
                    if amount is not None:
                        requests[name] = requests.get(name, Fraction(0)) + amount
            found: set[str] = set()
            for name, value in (res.get("limits") or {}).items():
                if name in ("cpu", "memory"):
                    amount = _positive(value)
                    if amount is not None:
                        found.add(name)
                        limits[name] = limits.get(name, Fraction(0)) + amount
            if not {"cpu", "memory"} <= found:
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed:
        for name, req in requests.items():
            if limits.get(name) != req:
                guaranteed = False
                break
    if guaranteed and len(requests) == len(limits):
        return "Guaranteed"
    return "Burstable"


def _default_pod(pod: Obj) -> None:
    default_pod(pod)
    spec = pod.get("spec")
    if isinstance(spec, dict) and not spec.get("serviceAccountName") and \
            spec.get("serviceAccount"):
        spec["serviceAccountName"] = spec["serviceAccount"]


def _pod_initial_status(pod: Obj) -> Obj:
    # The QoS class is set by _pod_prepare_create, which always runs next (after defaulting,
    # which it depends on); computing it here too would be thrown away.
    return {"phase": "Pending"}


def _pod_prepare_create(pod: Obj) -> None:
    # PrepareForCreate runs after defaulting upstream: requests copied from limits count.
    pod["status"] = {**(pod.get("status") or {}), "phase": "Pending",
                     "qosClass": pod_qos_class(pod)}
    spec = pod.get("spec")
    if isinstance(spec, dict) and spec.get("schedulingGates"):
        pod["status"] = {**pod.get("status", {}), "conditions": [{
            "type": "PodScheduled", "status": "False", "lastProbeTime": None,
            "lastTransitionTime": None, "reason": "SchedulingGated",
            "message": "Scheduling is blocked due to non-empty scheduling gates"}]}


def _pod_prepare_update(new: Obj, old: Obj) -> None:
    # v1 conversion: the deprecated serviceAccount always mirrors serviceAccountName.
    spec = new.get("spec")
    if isinstance(spec, dict) and spec.get("serviceAccountName") and \
            spec.get("serviceAccount") != spec["serviceAccountName"]:
        new["spec"] = {**spec, "serviceAccount": spec["serviceAccountName"]}


# ============================================================================ services

def _externally_accessible(spec: Obj) -> bool:
    return spec.get("type") in ("LoadBalancer", "NodePort") or (
        spec.get("type") == "ClusterIP" and bool(spec.get("externalIPs")))


def _default_service(svc: Obj) -> None:
    """``SetDefaults_Service``."""
    spec = svc.get("spec")
    if not isinstance(spec, dict):
        spec = {}
        svc["spec"] = spec
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    if spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig") or {}
        client = (config.get("clientIP") or {}) if isinstance(config, dict) else {}
        if not isinstance(client, dict) or client.get("timeoutSeconds") is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 10800}}
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port", 0)
    if _externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in (
            "NodePort", "LoadBalancer", "ClusterIP"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True


def _needs_node_port(spec: Obj) -> bool:
    return spec.get("type") == "NodePort" or (
        spec.get("type") == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts",
                                                        True) is not False)


def _service_prepare_update(new: Obj, old: Obj) -> None:
    """``dropTypeDependentFields`` and ``patchAllocatedValues``."""
    spec = dict(new.get("spec") or {})
    ospec = old.get("spec") or {}
    ports = [dict(p) if isinstance(p, dict) else p for p in spec.get("ports") or []]
    spec["ports"] = ports
    same_node_ports = [p.get("nodePort") for p in ports if isinstance(p, dict)] == \
        [p.get("nodePort") for p in ospec.get("ports") or [] if isinstance(p, dict)]
    if _needs_node_port(ospec) and not _needs_node_port(spec) and same_node_ports:
        for port in ports:
            if isinstance(port, dict):
                port.pop("nodePort", None)
    if not _externally_accessible(spec) and \
            spec.get("externalTrafficPolicy") == ospec.get("externalTrafficPolicy"):
        spec.pop("externalTrafficPolicy", None)
    if spec.get("type") != "LoadBalancer":
        if spec.get("allocateLoadBalancerNodePorts") == ospec.get(
                "allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
        if spec.get("healthCheckNodePort") == ospec.get("healthCheckNodePort"):
            spec.pop("healthCheckNodePort", None)
    if spec.get("type") == "ExternalName" and ospec.get("type") != "ExternalName":
        for key in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(key) == ospec.get(key):
                spec.pop(key, None)
    # patchAllocatedValues: keep what was allocated when the client omitted it.
    if ospec.get("type") != "ExternalName" and spec.get("type") != "ExternalName":
        if not spec.get("clusterIP") and ospec.get("clusterIP"):
            spec["clusterIP"] = ospec["clusterIP"]
            spec["clusterIPs"] = list(ospec.get("clusterIPs") or [ospec["clusterIP"]])
        for key in ("ipFamilies", "ipFamilyPolicy"):
            if spec.get(key) is None and ospec.get(key) is not None:
                spec[key] = ospec[key]
    if _needs_node_port(ospec) and _needs_node_port(spec):
        new_used = {p.get("nodePort") for p in ports if isinstance(p, dict)}
        old_used = {p.get("nodePort") for p in ospec.get("ports") or [] if isinstance(p, dict)}
        used = new_used & old_used
        by_name = {p.get("name", ""): p.get("nodePort") for p in ospec.get("ports") or []
                   if isinstance(p, dict)}
        for port in ports:
            if isinstance(port, dict) and not port.get("nodePort"):
                value = by_name.get(port.get("name", ""))
                if value and value not in used:
                    port["nodePort"] = value
        if spec.get("healthCheckNodePort") is None and ospec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = ospec["healthCheckNodePort"]
    new["spec"] = spec


# ============================================================================ namespaces, nodes

def _namespace_label(ns: Obj) -> None:
    meta = ns.get("metadata") or {}
    name = meta.get("name")
    if name and (meta.get("labels") or {}).get("kubernetes.io/metadata.name") != name:
        ns["metadata"] = {**meta, "labels": {**(meta.get("labels") or {}),
                                             "kubernetes.io/metadata.name": name}}


def _namespace_prepare_create(ns: Obj) -> None:
    spec = dict(ns.get("spec") or {})
    finalizers = list(spec.get("finalizers") or [])
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")
    spec["finalizers"] = finalizers
    ns["spec"] = spec
    _namespace_label(ns)


def _namespace_prepare_update(new: Obj, old: Obj) -> None:
    # spec.finalizers only changes through namespaces/finalize, which the namespace
    # controller uses on terminating namespaces.
    if not (old.get("metadata") or {}).get("deletionTimestamp"):
        if "spec" in old:
            new["spec"] = old["spec"]
        else:
            new.pop("spec", None)
    _namespace_label(new)


def _validate_namespace(ns: Obj) -> list[FieldError]:
    # Canonicalize runs after validation upstream; a generated name gets its label here.
    _namespace_label(ns)
    return v.validate_namespace(ns)


def _node_prepare_create(node: Obj) -> None:
    spec = node.get("spec")
    if isinstance(spec, dict) and "configSource" in spec:
        node["spec"] = {k: val for k, val in spec.items() if k != "configSource"}


def _default_node(node: Obj) -> None:
    status = node.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None and \
            isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])
    spec = node.get("spec")
    if isinstance(spec, dict) and spec.get("podCIDR") and not spec.get("podCIDRs"):
        spec["podCIDRs"] = [spec["podCIDR"]]


# ============================================================================ others

def _default_secret(secret: Obj) -> None:
    if not secret.get("type"):
        secret["type"] = "Opaque"
    string_data = secret.pop("stringData", None)
    if isinstance(string_data, dict) and string_data:
        data = dict(secret.get("data") or {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()
        secret["data"] = data


def _default_endpoints(ep: Obj) -> None:
    for subset in ep.get("subsets") or []:
        for port in (subset.get("ports") or []) if isinstance(subset, dict) else []:
            if isinstance(port, dict) and not port.get("protocol"):
                port["protocol"] = "TCP"


def _default_limit_range(lr: Obj) -> None:
    """``SetDefaults_LimitRangeItem``: for Containers, default ← max, defaultRequest ←
    default, then min."""
    for item in (lr.get("spec") or {}).get("limits") or []:
        if not isinstance(item, dict):
            continue
        for key in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            if isinstance(item.get(key), dict):
                item[key] = default_resource_list(item[key])
        if item.get("type") != "Container":
            continue
        default = dict(item.get("default") or {})
        request = dict(item.get("defaultRequest") or {})
        for name, value in (item.get("max") or {}).items():
            default.setdefault(name, value)
        for name, value in default.items():
            request.setdefault(name, value)
        for name, value in (item.get("min") or {}).items():
            request.setdefault(name, value)
        if default:
            item["default"] = default
        if request:
            item["defaultRequest"] = request


def _default_quota(rq: Obj) -> None:
    spec = rq.get("spec")
    if isinstance(spec, dict) and isinstance(spec.get("hard"), dict):
        spec["hard"] = default_resource_list(spec["hard"])


def _default_pv(pv: Obj) -> None:
    spec = pv.get("spec")
    if not isinstance(spec, dict):
        return
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    if isinstance(spec.get("capacity"), dict):
        spec["capacity"] = default_resource_list(spec["capacity"])
    if isinstance(spec.get("hostPath"), dict) and spec["hostPath"].get("type") is None:
        spec["hostPath"]["type"] = ""


def _default_pvc(pvc: Obj) -> None:
    spec = pvc.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    resources = spec.get("resources")
    if isinstance(resources, dict):
        for key in ("requests", "limits"):
            if isinstance(resources.get(key), dict):
                resources[key] = default_resource_list(resources[key])


def _default_pod_template(obj: Obj) -> None:
    default_pod_template(obj.get("template"))


def _meta_only(namespaced: bool = True) -> tuple[Any, Any]:
    def create(obj: Obj) -> list[FieldError]:
        return validate_object_meta(obj.get("metadata") or {}, namespaced=namespaced)

    def update(new: Obj, old: Obj) -> list[FieldError]:
        return validate_object_meta_update(new.get("metadata") or {},
                                           old.get("metadata") or {}) + create(new)

    return create, update


def _events_v1_validate(event: Obj) -> list[FieldError]:
    from ..errors import required

    errs = validate_object_meta(event.get("metadata") or {}, namespaced=True)
    for key in ("eventTime", "reportingController", "reportingInstance", "action", "reason"):
        if not event.get(key):
            errs.append(required(key))
    return errs


_event_create, _event_update = _meta_only()
_lease_update = _meta_only()[1]


def _keep(obj: Obj) -> Any:
    return obj.get("status")


# ============================================================================ registration

register("", "Pod", Strategy(
    default=_default_pod, validate=v.validate_pod, validate_update=v.validate_pod_update,
    validate_status_update=v.validate_pod_status_update, generation=True,
    initial_status=_pod_initial_status, prepare_create=_pod_prepare_create,
    prepare_update=_pod_prepare_update))
register("", "Service", Strategy(
    default=_default_service, validate=v.validate_service,
    validate_update=v.validate_service_update,
    validate_status_update=v.validate_service_status_update,
    initial_status=lambda _svc: {"loadBalancer": {}}, prepare_update=_service_prepare_update))
register("", "Namespace", Strategy(
    default=_namespace_label, validate=_validate_namespace,
    validate_update=v.validate_namespace_update,
    validate_status_update=v.validate_namespace_status_update,
    initial_status=lambda _ns: {"phase": "Active"}, prepare_create=_namespace_prepare_create,
    prepare_update=_namespace_prepare_update))
register("", "Node", Strategy(
    default=_default_node, validate=v.validate_node, validate_update=v.validate_node_update,
    validate_status_update=v.validate_node_update, initial_status=_keep,
    prepare_create=_node_prepare_create))
register("", "ConfigMap", Strategy(
    validate=v.validate_config_map, validate_update=v.validate_config_map_update,
    status_subresource=False))
register("", "Secret", Strategy(
    default=_default_secret, validate=v.validate_secret,
    validate_update=v.validate_secret_update, status_subresource=False))
register("", "ServiceAccount", Strategy(
    validate=v.validate_service_account, validate_update=v.validate_service_account_update,
    status_subresource=False))
register("", "Endpoints", Strategy(
    default=_default_endpoints, validate=v.validate_endpoints,
    validate_update=v.validate_endpoints_update, status_subresource=False))
register("", "Event", Strategy(
    validate=v.validate_event, validate_update=_event_update, status_subresource=False))
register("", "LimitRange", Strategy(
    default=_default_limit_range, validate=v.validate_limit_range,
    validate_update=lambda new, old: validate_object_meta_update(
        new.get("metadata") or {}, old.get("metadata") or {}) + v.validate_limit_range(new),
    status_subresource=False))
register("", "ResourceQuota", Strategy(
    default=_default_quota, validate=v.validate_resource_quota,
    validate_update=v.validate_resource_quota_update,
    validate_status_update=v.validate_resource_quota_status_update))
register("", "PersistentVolume", Strategy(
    default=_default_pv, validate=v.validate_persistent_volume,
    validate_update=lambda new, old: validate_object_meta_update(
        new.get("metadata") or {}, old.get("metadata") or {}) + v.validate_persistent_volume(
        new),
    initial_status=lambda _pv: {"phase": "Pending"}))
register("", "PersistentVolumeClaim", Strategy(
    default=_default_pvc, validate=v.validate_persistent_volume_claim,
    validate_update=v.validate_persistent_volume_claim_update,
    initial_status=lambda _pvc: {"phase": "Pending"}))
register("", "PodTemplate", Strategy(
    default=_default_pod_template, validate=v.validate_pod_template,
    validate_update=lambda new, old: validate_object_meta_update(
        new.get("metadata") or {}, old.get("metadata") or {}) + v.validate_pod_template_spec(
        new.get("template") or {}, "template"),
    status_subresource=False))
register("coordination.k8s.io", "Lease", Strategy(
    validate=v.validate_lease,
    validate_update=lambda new, old: validate_object_meta_update(
        new.get("metadata") or {}, old.get("metadata") or {}) + v.validate_lease(new),
    status_subresource=False))
register("events.k8s.io", "Event", Strategy(
    validate=_events_v1_validate, validate_update=_event_update, status_subresource=False))


# ============================================================================ trace digests

# The "Kind/name" of the controller: a ReplicaSet's pods share one (never mutated)
# ownerReferences list.
@by_identity
def _controller_text(refs: list[Obj]) -> str:
    for ref in refs:
        if ref.get("controller"):
            return f"{ref.get('kind', '')}/{ref.get('name', '')}"
    return ""


def _ready(conditions: list[Obj]) -> bool:
    """The status of the first Ready condition is True."""
    for cond in conditions:
        if cond.get("type") == "Ready":
            return bool(cond.get("status") == "True")
    return False


def _pod_digest(pod: Obj) -> tuple[Any, ...]:
    status = pod.get("status") or {}
    meta = pod.get("metadata") or {}
    conditions = status.get("conditions")
    restarts = 0
    for cs in status.get("containerStatuses") or ():
        restarts += cs.get("restartCount", 0)
    refs = meta.get("ownerReferences")
    return ("phase", status.get("phase", ""), "ready", _ready(conditions) if conditions else False,
            "node", (pod.get("spec") or {}).get("nodeName", ""),
            "owner", _controller_text(refs) if refs else "",
            "restarts", restarts, "deleting", bool(meta.get("deletionTimestamp")))


def _node_digest(node: Obj) -> tuple[Any, ...]:
    ready = "Unknown"
    for cond in (node.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready":
            ready = cond.get("status", "Unknown")
            break
    return ("ready", ready,
            "unschedulable", bool((node.get("spec") or {}).get("unschedulable")))


def install(api: APIServer) -> None:
    """Register trace digests for core kinds."""
    api.digests["Pod"] = _pod_digest
    api.digests["Node"] = _node_digest
