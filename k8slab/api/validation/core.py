"""Validation of the core API group (``pkg/apis/core/validation/validation.go``).

Each function mirrors the Go function of the same name and returns the same
:class:`~k8slab.api.errors.FieldError` s — same field paths, same order, same messages — for the
v1 JSON the lab stores. Upstream validates internal types; where that shows (a bad value that is
an internal struct, printed through ``json.Marshal`` with Go field names, or the ``cmp.Diff`` of
a rejected pod update) the module reproduces the visible text.

Upstream iterates Go maps (resources, labels, data keys) in random order; the lab sorts keys so
several errors always come out in one order. Feature gates are taken at their 1.37 defaults
(relaxed environment variable names, zero-second sleep actions, pod generation).
"""

from __future__ import annotations

import base64
import ipaddress
import itertools
import re
from typing import Any

from ...sim.memo import Passed
from .. import quantity
from ..errors import (
    FieldError,
    GoValue,
    duplicate,
    forbidden_field,
    go_json,
    go_struct,
    invalid_value,
    not_found_field,
    required,
    too_long,
    unsupported,
)
from .meta import (
    FIELD_IMMUTABLE_ERROR_MSG,
    IS_NEGATIVE_ERROR_MSG,
    VALID_NAMESPACES,
    inclusive_range_error,
    is_config_map_key,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_ip,
    is_valid_label_value,
    is_valid_port_name,
    is_valid_port_num,
    name_is_dns_subdomain,
    semantic_equal,
    validate_annotations,
    validate_immutable,
    validate_label_name,
    validate_label_selector,
    validate_labels,
    validate_nonnegative,
    validate_object_meta,
    validate_object_meta_remembered,
    validate_object_meta_update,
)

__all__ = [
    "validate_config_map",
    "validate_config_map_update",
    "validate_endpoints",
    "validate_endpoints_update",
    "validate_event",
    "validate_lease",
    "validate_limit_range",
    "validate_namespace",
    "validate_namespace_status_update",
    "validate_namespace_update",
    "validate_node",
    "validate_node_update",
    "validate_persistent_volume",
    "validate_persistent_volume_claim",
    "validate_persistent_volume_claim_update",
    "validate_pod",
    "validate_pod_spec",
    "validate_pod_status_update",
    "validate_pod_template",
    "validate_pod_template_spec",
    "validate_pod_update",
    "validate_resource_quota",
    "validate_resource_quota_status_update",
    "validate_resource_quota_update",
    "validate_secret",
    "validate_secret_update",
    "validate_service",
    "validate_service_account",
    "validate_service_account_update",
    "validate_service_status_update",
    "validate_service_update",
    "validate_tolerations",
]

Obj = dict[str, Any]
Errs = list[FieldError]

MAX_INT32 = 2**31 - 1
MAX_SECRET_SIZE = 1024 * 1024
FILE_MODE_ERROR_MSG = "must be a number between 0 and 0777 (octal), both inclusive"
IS_NOT_POSITIVE_ERROR_MSG = "must be greater than zero"
IS_NOT_INTEGER_ERROR_MSG = "must be an integer"


def _d(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


def _l(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _int(value: Any, default: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return int(value)


def _dns_label(value: str, path: str) -> Errs:
    return [invalid_value(path, value, msg) for msg in is_dns1123_label(value)]


def _dns_subdomain(value: str, path: str) -> Errs:
    return [invalid_value(path, value, msg) for msg in is_dns1123_subdomain(value)]


def _qualified(value: str, path: str) -> Errs:
    return [invalid_value(path, value, msg) for msg in is_qualified_name(value)]


def _key(path: str, key: str) -> str:
    """``field.Path.Key``: ``data[my.key]`` (no quoting)."""
    return f"{path}[{key}]"


# Pods written by controllers share sub-trees (ports, env, resources, probes, the token
# volume) with their template and with each other, and stored objects are never mutated: a
# sub-tree found valid at a path stays valid. Remember such (object, path) pairs so 30,000
# pods from one template validate in linear time with a small constant.
_VALID: dict[tuple[int, str], Any] = {}


def _memo(fn: Any, obj: Any, path: str, *args: Any) -> Errs:
    key = (id(obj), path)
    if _VALID.get(key) is obj:
        return []
    errs: Errs = fn(obj, path, *args)
    if not errs and isinstance(obj, (dict, list)):
        if len(_VALID) > 8192:
            _VALID.clear()
        _VALID[key] = obj  # keeps obj alive, so its id cannot be reused
    return errs


# Pods of one template get new container and volume dicts (the token volume's name, and so the
# mounts naming it, differ per pod) whose other values are the template's own objects. A
# container or volume found valid stays valid for the very same values: keys hold every value
# (scalars included) by id, and the values are pinned here so those ids are not reused while
# the key is remembered. Taking the ids in C (no loop over the fields in Python) keeps the key
# much cheaper than the checks it saves; an equal value that is another object only misses.
_VALID_SHALLOW = Passed()


def _shallow_key(obj: Obj, skip: tuple[str, ...],
                 *context: Any) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The memo key of ``obj`` less the fields in ``skip``, checked in ``context`` (what and
    where), and the values to pin with it."""
    rest = dict(obj)
    for field in skip:
        rest.pop(field, None)
    values = tuple(rest.values())
    return (context, tuple(rest), tuple(map(id, values))), values


def validate_port_num_or_name(port: Any, path: str) -> Errs:
    """``ValidatePortNumOrName`` for an IntOrString."""
    if isinstance(port, str):
        return [invalid_value(path, port, msg) for msg in is_valid_port_name(port)]
    value = _int(port)
    return [invalid_value(path, value, msg) for msg in is_valid_port_num(value)]


# ============================================================================ quantities

def _quantity(value: Any) -> Any:
    try:
        return quantity.parse(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _qstr(value: Any) -> str:
    """``Quantity.String()``: the canonical form."""
    try:
        return quantity.canonical(value)
    except (ValueError, TypeError, AttributeError):
        return str(value)


# (resource name, quantity string) pairs found valid: every node status write carries the
# same capacity and allocatable strings. Only successes are kept, so errors are computed afresh.
_VALID_QUANTITIES: set[tuple[str, str]] = set()


def validate_resource_quantity_value(name: str, value: Any, path: str) -> Errs:
    """``ValidateResourceQuantityValue``: non-negative, integral for counted resources."""
    errs: Errs = []
    known = type(value) is str and type(name) is str
    if known and (name, value) in _VALID_QUANTITIES:
        return errs
    amount = _quantity(value)
    if amount is None:
        return errs
    if amount < 0:
        errs.append(invalid_value(path, _qstr(value), IS_NEGATIVE_ERROR_MSG))
    if _is_integer_resource(name) and (amount * 1000) % 1000 != 0:
        errs.append(invalid_value(path, _qstr(value), IS_NOT_INTEGER_ERROR_MSG))
    if known and not errs:
        if len(_VALID_QUANTITIES) >= 16384:
            _VALID_QUANTITIES.clear()
        _VALID_QUANTITIES.add((name, value))
    return errs


_STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_STANDARD_RESOURCES = (
    "cpu", "memory", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
    "limits.cpu", "limits.memory", "limits.ephemeral-storage", "ephemeral-storage", "pods",
    "services", "replicationcontrollers", "resourcequotas", "secrets", "persistentvolumeclaims",
    "configmaps", "requests.storage", "storage", "services.nodeports",
    "services.loadbalancers",
)
_INTEGER_RESOURCES = (
    "pods", "services", "replicationcontrollers", "resourcequotas", "secrets", "configmaps",
    "persistentvolumeclaims", "services.nodeports", "services.loadbalancers",
)


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-") or name.startswith("requests.hugepages-") or \
        name.startswith("limits.hugepages-")


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_integer_resource(name: str) -> bool:
    return name in _INTEGER_RESOURCES or name.startswith("count/") or not _is_native(name)


def _is_overcommit_allowed(name: str) -> bool:
    return _is_native(name) and not name.startswith("hugepages-")


def _validate_resource_name(name: str, path: str) -> Errs:
    errs = [invalid_value(path, name, msg) for msg in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and name not in _STANDARD_RESOURCES and not _is_hugepages(name):
        errs.append(invalid_value(path, name, "must be a standard resource type or fully "
                                  "qualified"))
    return errs


def _validate_container_resource_name(name: str, path: str) -> Errs:
    errs = _validate_resource_name(name, path)
    if "/" not in name:
        if name not in _STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
            errs.append(invalid_value(path, name, "must be a standard resource for containers"))
    elif not _is_native(name) and ("/" not in name or name.split("/", 1)[0].endswith(
            "requests")):
        errs.append(invalid_value(path, name, "doesn't follow extended resource name standard"))
    return errs


def validate_resource_requirements(resources: Any, path: str) -> Errs:
    """``ValidateContainerResourceRequirements``."""
    errs: Errs = []
    res = _d(resources)
    limits = _d(res.get("limits"))
    requests = _d(res.get("requests"))
    lim_path, req_path = f"{path}.limits", f"{path}.requests"
    lim_qos = req_qos = lim_huge = req_huge = False
    for name in sorted(limits):
        p = _key(lim_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        errs.extend(validate_resource_quantity_value(name, limits[name], p))
        lim_huge = lim_huge or name.startswith("hugepages-")
        lim_qos = lim_qos or name in ("cpu", "memory")
    for name in sorted(requests):
        p = _key(req_path, name)
        errs.extend(_validate_container_resource_name(name, p))
        errs.extend(validate_resource_quantity_value(name, requests[name], p))
        req = _quantity(requests[name])
        if name in limits:
            lim = _quantity(limits[name])
            if req is not None and lim is not None:
                if req != lim and not _is_overcommit_allowed(name):
                    errs.append(invalid_value(
                        req_path, _qstr(requests[name]),
                        f"must be equal to {name} limit of {_qstr(limits[name])}"))
                elif req > lim:
                    errs.append(invalid_value(
                        req_path, _qstr(requests[name]),
                        f"must be less than or equal to {name} limit of {_qstr(limits[name])}"))
        elif not _is_overcommit_allowed(name):
            errs.append(required(lim_path, "Limit must be set for non overcommitable resources"))
        req_huge = req_huge or name.startswith("hugepages-")
        req_qos = req_qos or name in ("cpu", "memory")
    if not lim_qos and not req_qos and (req_huge or lim_huge):
        errs.append(forbidden_field(path, "HugePages require cpu or memory"))
    return errs


# ============================================================================ volumes

_HOST_PATH_TYPES = ["", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File",
                    "FileOrCreate", "Socket"]

# The volume sources in validateVolumeSource's order, with the path each uses in the
# "may not specify more than 1 volume type" error (note upstream's "downwarAPI").
_VOLUME_SOURCES = (
    ("emptyDir", "emptyDir"), ("hostPath", "hostPath"), ("gitRepo", "gitRepo"),
    ("gcePersistentDisk", "gcePersistentDisk"), ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("secret", "secret"), ("nfs", "nfs"), ("iscsi", "iscsi"), ("glusterfs", "glusterfs"),
    ("flocker", "flocker"), ("persistentVolumeClaim", "persistentVolumeClaim"), ("rbd", "rbd"),
    ("cinder", "cinder"), ("cephfs", "cephFS"), ("quobyte", "quobyte"),
    ("downwardAPI", "downwarAPI"), ("fc", "fc"), ("flexVolume", "flexVolume"),
    ("configMap", "configMap"), ("azureFile", "azureFile"), ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"), ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"), ("storageos", "storageos"), ("projected", "projected"),
    ("scaleIO", "scaleIO"), ("csi", "csi"), ("ephemeral", "ephemeral"), ("image", "image"),
)
_VOLUME_SOURCE_RANK = {key: rank for rank, (key, _) in enumerate(_VOLUME_SOURCES)}


def _validate_path_no_backsteps(target: str, path: str) -> Errs:
    if ".." in target.replace("\\", "/").split("/"):
        return [invalid_value(path, target, "must not contain '..'")]
    return []


def _validate_local_descending_path(target: str, path: str) -> Errs:
    errs: Errs = []
    if target.startswith("/"):
        errs.append(invalid_value(path, target, "must be a relative path"))
    return errs + _validate_path_no_backsteps(target, path)


def validate_local_non_reserved_path(target: str, path: str) -> Errs:
    errs = _validate_local_descending_path(target, path)
    if target.startswith("..") and not target.startswith("../"):
        errs.append(invalid_value(path, target, "must not start with '..'"))
    return errs


def _validate_mode(mode: Any, path: str) -> Errs:
    if mode is not None and (_int(mode) > 0o777 or _int(mode) < 0):
        return [invalid_value(path, _int(mode), FILE_MODE_ERROR_MSG)]
    return []


def _validate_key_to_path(item: Obj, path: str) -> Errs:
    errs: Errs = []
    if not item.get("key"):
        errs.append(required(f"{path}.key"))
    if not item.get("path"):
        errs.append(required(f"{path}.path"))
    errs.extend(validate_local_non_reserved_path(str(item.get("path", "")), f"{path}.path"))
    errs.extend(_validate_mode(item.get("mode"), f"{path}.mode"))
    return errs


_VOLUME_DOWNWARD_FIELDS = ["metadata.annotations", "metadata.labels", "metadata.name",
                           "metadata.namespace", "metadata.uid"]


def _validate_downward_file(item: Obj, path: str) -> Errs:
    errs: Errs = []
    if not item.get("path"):
        errs.append(required(f"{path}.path"))
    errs.extend(validate_local_non_reserved_path(str(item.get("path", "")), f"{path}.path"))
    if isinstance(item.get("fieldRef"), dict):
        errs.extend(_validate_object_field_selector(
            item["fieldRef"], ["metadata.name", "metadata.namespace", "metadata.labels",
                               "metadata.annotations", "metadata.uid"], f"{path}.fieldRef"))
        if item.get("resourceFieldRef") is not None:
            errs.append(invalid_value(path, "resource", "fieldRef and resourceFieldRef can not "
                                      "be specified simultaneously"))
    elif isinstance(item.get("resourceFieldRef"), dict):
        errs.extend(_validate_resource_field_selector(item["resourceFieldRef"],
                                                      f"{path}.resourceFieldRef", volume=True))
    else:
        errs.append(required(path, "one of fieldRef and resourceFieldRef is required"))
    errs.extend(_validate_mode(item.get("mode"), f"{path}.mode"))
    return errs


def _validate_projected(src: Obj, path: str) -> Errs:
    errs = _validate_mode(src.get("defaultMode"), f"{path}.defaultMode")
    seen: set[str] = set()
    for i, source in enumerate(_l(src.get("sources"))):
        source = _d(source)
        sp = f"{path}.sources[{i}]"
        count = 0
        for kind in ("secret", "configMap"):
            ref = source.get(kind)
            if not isinstance(ref, dict):
                continue
            count += 1
            if not ref.get("name"):
                errs.append(required(f"{sp}.{kind}.name"))
            for j, item in enumerate(_l(ref.get("items"))):
                item = _d(item)
                errs.extend(_validate_key_to_path(item, f"{sp}.{kind}.items[{j}]"))
                if item.get("path"):
                    if item["path"] in seen:
                        errs.append(invalid_value(path, ref.get("name", ""),
                                                  "conflicting duplicate paths"))
                    seen.add(item["path"])
        dapi = source.get("downwardAPI")
        if isinstance(dapi, dict):
            count += 1
            for item in _l(dapi.get("items")):
                item = _d(item)
                errs.extend(_validate_downward_file(item, f"{sp}.downwardAPI"))
                if item.get("path"):
                    if item["path"] in seen:
                        errs.append(invalid_value(path, item["path"],
                                                  "conflicting duplicate paths"))
                    seen.add(item["path"])
        token = source.get("serviceAccountToken")
        if isinstance(token, dict):
            count += 1
            seconds = _int(token.get("expirationSeconds"), 3600)
            if seconds < 600:
                errs.append(invalid_value(f"{sp}.serviceAccountToken.expirationSeconds", seconds,
                                          "may not specify a duration less than 10 minutes"))
            if seconds > 1 << 32:
                errs.append(invalid_value(f"{sp}.serviceAccountToken.expirationSeconds", seconds,
                                          "may not specify a duration larger than 2^32 seconds"))
            if not token.get("path"):
                errs.append(required(f"{path}.path"))
            else:
                errs.extend(validate_local_non_reserved_path(token["path"], f"{path}.path"))
        if count > 1:
            errs.append(forbidden_field(sp, "may not specify more than 1 volume type per source"))
    return errs


def _validate_volume_source(vol: Obj, path: str, name: str) -> Errs:
    errs: Errs = []
    count = 0
    # The sources the volume sets, in _VOLUME_SOURCES order (a volume has a name and one
    # source, so this beats probing all thirty).
    ranks = sorted(_VOLUME_SOURCE_RANK[key] for key in vol
                   if key in _VOLUME_SOURCE_RANK and vol[key] is not None)
    for rank in ranks:
        key, label = _VOLUME_SOURCES[rank]
        src = vol[key]
        if count > 0:
            errs.append(forbidden_field(f"{path}.{label}", "may not specify more than 1 volume "
                                        "type"))
            continue
        count += 1
        src = _d(src)
        sp = f"{path}.{key}"
        if key == "emptyDir":
            limit = src.get("sizeLimit")
            if limit is not None and (_quantity(limit) or 0) < 0:
                errs.append(forbidden_field(f"{sp}.sizeLimit",
                                            "SizeLimit field must be a valid resource quantity"))
        elif key == "hostPath":
            if not src.get("path"):
                errs.append(required(f"{sp}.path"))
                continue
            errs.extend(_validate_path_no_backsteps(src["path"], f"{sp}.path"))
            if src.get("type") is not None and src["type"] not in _HOST_PATH_TYPES:
                errs.append(unsupported(f"{sp}.type", src["type"], _HOST_PATH_TYPES))
        elif key in ("secret", "configMap"):
            name_key = "secretName" if key == "secret" else "name"
            if not src.get(name_key):
                errs.append(required(f"{sp}.{name_key}"))
            errs.extend(_validate_mode(src.get("defaultMode"), f"{sp}.defaultMode"))
            for j, item in enumerate(_l(src.get("items"))):
                errs.extend(_validate_key_to_path(_d(item), f"{sp}.items[{j}]"))
        elif key == "persistentVolumeClaim":
            if not src.get("claimName"):
                errs.append(required(f"{sp}.claimName"))
        elif key == "nfs":
            if not src.get("server"):
                errs.append(required(f"{sp}.server"))
            if not src.get("path"):
                errs.append(required(f"{sp}.path"))
            if not str(src.get("path", "")).startswith("/"):
                errs.append(invalid_value(f"{sp}.path", src.get("path", ""),
                                          "must be an absolute path"))
        elif key == "downwardAPI":
            errs.extend(_validate_mode(src.get("defaultMode"), f"{sp}.defaultMode"))
            for item in _l(src.get("items")):
                errs.extend(_validate_downward_file(_d(item), sp))
        elif key == "projected":
            errs.extend(_memo(_validate_projected, src, sp))
        elif key == "csi":
            if not src.get("driver"):
                errs.append(required(f"{sp}.driver"))
        elif key == "gitRepo":
            if not src.get("repository"):
                errs.append(required(f"{sp}.repository"))
            errs.extend(_validate_local_descending_path(str(src.get("directory", "")),
                                                        f"{sp}.directory"))
    if count == 0:
        errs.append(required(path, "must specify a volume type"))
    return errs


def validate_volumes(volumes: Any, path: str) -> tuple[dict[str, Obj], Errs]:
    """``ValidateVolumes``: returns the valid volumes by name and the errors."""
    errs: Errs = []
    names: dict[str, Obj] = {}
    for i, vol in enumerate(_l(volumes)):
        vol = _d(vol)
        p = f"{path}[{i}]"
        name = str(vol.get("name", ""))
        key, pins = _shallow_key(vol, ("name",), "volume", p)
        if key in _VALID_SHALLOW:
            el: Errs = []
        else:
            el = _validate_volume_source(vol, p, name)
            if not el:
                _VALID_SHALLOW.remember(key, pins)
        if not name:
            el.append(required(f"{p}.name"))
        else:
            el.extend(_dns_label(name, f"{p}.name"))
        if name in names:
            el.append(duplicate(f"{p}.name", name))
        if not el:
            names[name] = vol
        else:
            errs.extend(el)
    return names, errs


# ============================================================================ containers

_SUPPORTED_PROTOCOLS = ["SCTP", "TCP", "UDP"]
_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_ENV_FIELDS = ["metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName",
               "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP",
               "status.podIPs"]
# podshelper.ConvertDownwardAPIFieldLabel (v1): what may appear before validation narrows it.
_CONVERTIBLE_FIELDS = ("metadata.annotations", "metadata.labels", "metadata.name",
                       "metadata.namespace", "metadata.uid", "spec.nodeName",
                       "spec.restartPolicy", "spec.serviceAccountName", "spec.schedulerName",
                       "status.phase", "status.hostIP", "status.hostIPs", "status.podIP",
                       "status.podIPs")
_RESOURCE_FIELDS = ["limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu",
                    "requests.ephemeral-storage", "requests.memory"]


def _validate_container_ports(ports: Any, path: str) -> Errs:
    errs: Errs = []
    names: set[str] = set()
    for i, port in enumerate(_l(ports)):
        port = _d(port)
        p = f"{path}[{i}]"
        name = port.get("name") or ""
        if name:
            msgs = is_valid_port_name(name)
            if msgs:
                errs.extend(invalid_value(f"{p}.name", name, m) for m in msgs)
            elif name in names:
                errs.append(duplicate(f"{p}.name", name))
            else:
                names.add(name)
        cport = _int(port.get("containerPort"))
        if cport == 0:
            errs.append(required(f"{p}.containerPort"))
        else:
            errs.extend(invalid_value(f"{p}.containerPort", cport, m)
                        for m in is_valid_port_num(cport))
        hport = _int(port.get("hostPort"))
        if hport != 0:
            errs.extend(invalid_value(f"{p}.hostPort", hport, m) for m in is_valid_port_num(hport))
        proto = port.get("protocol") or ""
        if not proto:
            errs.append(required(f"{p}.protocol"))
        elif proto not in _SUPPORTED_PROTOCOLS:
            errs.append(unsupported(f"{p}.protocol", proto, _SUPPORTED_PROTOCOLS))
    return errs


def _is_relaxed_env_name(value: str) -> list[str]:
    # RelaxedEnvironmentVariableValidation is GA (locked on) since 1.34.
    for ch in value:
        if ord(ch) > 127 or not ch.isprintable() or ch == "=":
            return ["a valid environment variable name must consist only of printable ASCII "
                    "characters other than '='"]
    return []


def _validate_object_field_selector(ref: Obj, expressions: list[str], path: str) -> Errs:
    if not ref.get("apiVersion"):
        return [required(f"{path}.apiVersion")]
    field = str(ref.get("fieldPath") or "")
    if not field:
        return [required(f"{path}.fieldPath")]
    base, subscript = field, None
    if field.endswith("']") and "['" in field:
        base, subscript = field[:-2].split("['", 1)
    if ref["apiVersion"] != "v1":
        return [invalid_value(f"{path}.fieldPath", field, "error converting fieldPath: "
                              f"unsupported pod version: {ref['apiVersion']}")]
    if base not in _CONVERTIBLE_FIELDS:
        return [invalid_value(f"{path}.fieldPath", field,
                              f"error converting fieldPath: field label not supported: {base}")]
    if subscript is not None:
        if base == "metadata.annotations":
            return _qualified(subscript.lower(), path)
        if base == "metadata.labels":
            return _qualified(subscript, path)
        return [invalid_value(path, base, "does not support subscript")]
    if base not in expressions:
        return [unsupported(f"{path}.fieldPath", base, sorted(expressions))]
    return []


def _validate_resource_field_selector(ref: Obj, path: str, *, volume: bool) -> Errs:
    errs: Errs = []
    resource = str(ref.get("resource") or "")
    if volume and not ref.get("containerName"):
        errs.append(required(f"{path}.containerName"))
    elif not resource:
        errs.append(required(f"{path}.resource"))
    elif resource not in _RESOURCE_FIELDS and not (
            resource.startswith("requests.hugepages-") or resource.startswith(
                "limits.hugepages-")):
        errs.append(unsupported(f"{path}.resource", resource, _RESOURCE_FIELDS))
    divisor = ref.get("divisor")
    if divisor is not None and _quantity(divisor) not in (None, 0):
        text = _qstr(divisor)
        if resource in ("limits.cpu", "requests.cpu") and text not in ("1m", "1"):
            errs.append(invalid_value(f"{path}.divisor", resource, "only divisor's values 1m and "
                                      "1 are supported with the cpu resource"))
        elif resource in ("limits.memory", "requests.memory") and text not in (
                "1", "1k", "1M", "1G", "1T", "1P", "1E", "1Ki", "1Mi", "1Gi", "1Ti", "1Pi",
                "1Ei"):
            errs.append(invalid_value(f"{path}.divisor", resource, "only divisor's values 1, 1k, "
                                      "1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei are "
                                      "supported with the memory resource"))
    return errs


def _validate_key_selector(ref: Obj, path: str) -> Errs:
    errs: Errs = [invalid_value(f"{path}.name", ref.get("name", ""), msg)
                  for msg in name_is_dns_subdomain(str(ref.get("name", "")))]
    key = str(ref.get("key") or "")
    if not key:
        errs.append(required(f"{path}.key"))
    else:
        errs.extend(invalid_value(f"{path}.key", key, m) for m in is_config_map_key(key))
    return errs


def validate_env(env: Any, path: str) -> Errs:
    """``ValidateEnv``."""
    errs: Errs = []
    for i, var in enumerate(_l(env)):
        var = _d(var)
        p = f"{path}[{i}]"
        name = str(var.get("name") or "")
        if not name:
            errs.append(required(f"{p}.name"))
        else:
            errs.extend(invalid_value(f"{p}.name", name, m) for m in _is_relaxed_env_name(name))
        source = var.get("valueFrom")
        if not isinstance(source, dict):
            continue
        vp = f"{p}.valueFrom"
        count = 0
        if isinstance(source.get("fieldRef"), dict):
            count += 1
            errs.extend(_validate_object_field_selector(source["fieldRef"], _ENV_FIELDS,
                                                        f"{vp}.fieldRef"))
        if isinstance(source.get("resourceFieldRef"), dict):
            count += 1
            errs.extend(_validate_resource_field_selector(source["resourceFieldRef"],
                                                          f"{vp}.resourceFieldRef", volume=False))
        for kind in ("configMapKeyRef", "secretKeyRef"):
            if isinstance(source.get(kind), dict):
                count += 1
                errs.extend(_validate_key_selector(source[kind], f"{vp}.{kind}"))
        if count == 0:
            errs.append(invalid_value(vp, "", "must specify one of: `fieldRef`, "
                                      "`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"))
        elif var.get("value"):
            errs.append(invalid_value(vp, "", "may not be specified when `value` is not empty"))
        elif count > 1:
            errs.append(invalid_value(vp, "", "may not have more than one field specified at a "
                                      "time"))
    return errs


def validate_env_from(env_from: Any, path: str) -> Errs:
    """``ValidateEnvFrom`` (note: the missing-source error uses the list's path)."""
    errs: Errs = []
    for i, source in enumerate(_l(env_from)):
        source = _d(source)
        p = f"{path}[{i}]"
        prefix = str(source.get("prefix") or "")
        if prefix:
            errs.extend(invalid_value(f"{p}.prefix", prefix, m)
                        for m in _is_relaxed_env_name(prefix))
        count = 0
        for kind in ("configMapRef", "secretRef"):
            ref = source.get(kind)
            if not isinstance(ref, dict):
                continue
            count += 1
            name = str(ref.get("name") or "")
            if not name:
                errs.append(required(f"{p}.{kind}.name"))
            else:
                errs.extend(invalid_value(f"{p}.{kind}.name", name, m)
                            for m in name_is_dns_subdomain(name, True))
        if count == 0:
            errs.append(invalid_value(path, "", "must specify one of: `configMapRef` or "
                                      "`secretRef`"))
        elif count > 1:
            errs.append(invalid_value(path, "", "may not have more than one field specified at "
                                      "a time"))
    return errs


def _validate_volume_mounts(mounts: Any, volumes: dict[str, Obj], container: Obj,
                            path: str) -> Errs:
    errs: Errs = []
    seen: set[str] = set()
    raw_devices = container.get("volumeDevices")
    devices = {str(_d(d).get("name", "")): str(_d(d).get("devicePath", ""))
               for d in _l(raw_devices)} if raw_devices else {}
    for i, mount in enumerate(_l(mounts)):
        mount = _d(mount)
        p = f"{path}[{i}]"
        name = str(mount.get("name") or "")
        mount_path = str(mount.get("mountPath") or "")
        if not name:
            errs.append(required(f"{p}.name"))
        if name not in volumes:
            errs.append(not_found_field(f"{p}.name", name))
        if not mount_path:
            errs.append(required(f"{p}.mountPath"))
        if mount_path in seen:
            errs.append(invalid_value(f"{p}.mountPath", mount_path, "must be unique"))
        seen.add(mount_path)
        if devices:  # (usually none)
            if name in devices:
                errs.append(invalid_value(f"{p}.name", name, "must not already exist in "
                                          "volumeDevices"))
            if mount_path in devices.values():
                errs.append(invalid_value(f"{p}.mountPath", mount_path, "must not already "
                                          "exist as a path in volumeDevices"))
        sub = str(mount.get("subPath") or "")
        if sub:
            # upstream reports the unindexed path here
            errs.extend(_validate_local_descending_path(sub, f"{path}.subPath"))
        sub_expr = str(mount.get("subPathExpr") or "")
        if sub_expr:
            if sub:
                errs.append(invalid_value(f"{p}.subPathExpr", sub_expr, "subPathExpr and subPath "
                                          "are mutually exclusive"))
            errs.extend(_validate_local_descending_path(sub_expr, f"{path}.subPathExpr"))
        propagation = mount.get("mountPropagation")
        if propagation is not None:
            supported = ["Bidirectional", "HostToContainer", "None"]
            mp = f"{path}.mountPropagation"
            if propagation not in supported:
                errs.append(unsupported(mp, propagation, supported))
            privileged = _d(container.get("securityContext")).get("privileged") is True
            if propagation == "Bidirectional" and not privileged:
                errs.append(forbidden_field(mp, "Bidirectional mount propagation is available "
                                            "only to privileged containers"))
    return errs


_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc", "sleep")


def _validate_handler(handler: Obj, grace: Any, path: str, *, lifecycle: bool) -> Errs:
    errs: Errs = []
    count = 0
    for kind in _HANDLERS:
        if (kind == "grpc" and lifecycle) or (kind == "sleep" and not lifecycle):
            continue
        spec = handler.get(kind)
        if spec is None:
            continue
        hp = f"{path}.{kind}"
        if count > 0:
            errs.append(forbidden_field(hp, "may not specify more than 1 handler type"))
            continue
        count += 1
        spec = _d(spec)
        if kind == "exec":
            if not _l(spec.get("command")):
                errs.append(required(f"{hp}.command"))
        elif kind == "httpGet":
            if not spec.get("path"):
                errs.append(required(f"{hp}.path"))
            errs.extend(validate_port_num_or_name(spec.get("port", 0), f"{hp}.port"))
            scheme = spec.get("scheme", "")
            if scheme not in ("HTTP", "HTTPS"):
                errs.append(unsupported(f"{hp}.scheme", scheme, ["HTTP", "HTTPS"]))
            for header in _l(spec.get("httpHeaders")):
                hname = str(_d(header).get("name", ""))
                if not hname or not all((c.isalnum() and c.isascii()) or c == "-" for c in hname):
                    errs.append(invalid_value(
                        f"{hp}.httpHeaders", hname, "a valid HTTP header must consist of "
                        "alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for "
                        "validation is '[-A-Za-z0-9]+')"))
        elif kind == "tcpSocket":
            errs.extend(validate_port_num_or_name(spec.get("port", 0), f"{hp}.port"))
        elif kind == "grpc":
            errs.extend(validate_port_num_or_name(_int(spec.get("port")), f"{hp}.port"))
        elif kind == "sleep":
            seconds = _int(spec.get("seconds"))
            if isinstance(grace, int) and (seconds < 0 or seconds > grace):
                errs.append(invalid_value(
                    hp, seconds, "must be non-negative and less than "
                    f"terminationGracePeriodSeconds ({grace})"))
    if count == 0:
        errs.append(required(path, "must specify a handler type"))
    return errs


def _validate_probe(probe: Any, grace: Any, path: str, kind: str) -> Errs:
    if not isinstance(probe, dict):
        return []
    errs = _validate_handler(probe, grace, path, lifecycle=False)
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        errs.extend(validate_nonnegative(_int(probe.get(key)), f"{path}.{key}"))
    tgps = probe.get("terminationGracePeriodSeconds")
    if tgps is not None and _int(tgps) <= 0:
        errs.append(invalid_value(f"{path}.terminationGracePeriodSeconds", _int(tgps),
                                  "must be greater than 0"))
    if kind in ("liveness", "startup") and _int(probe.get("successThreshold")) != 1:
        errs.append(invalid_value(f"{path}.successThreshold", _int(probe.get("successThreshold")),
                                  "must be 1"))
    if kind == "readiness" and tgps is not None:
        errs.append(invalid_value(f"{path}.terminationGracePeriodSeconds", _int(tgps),
                                  "must not be set for readinessProbes"))
    return errs


def _probe_at(probe: Any, path: str, grace: Any, kind: str) -> Errs:
    return _validate_probe(probe, grace, path, kind)


def _validate_lifecycle(lifecycle: Obj, grace: Any, path: str) -> Errs:
    errs: Errs = []
    for hook in ("postStart", "preStop"):
        if isinstance(lifecycle.get(hook), dict):
            errs.extend(_validate_handler(lifecycle[hook], grace, f"{path}.{hook}",
                                          lifecycle=True))
    return errs


def _validate_security_context(sc: Any, path: str) -> Errs:
    errs: Errs = []
    if not isinstance(sc, dict):
        return errs
    for key in ("runAsUser", "runAsGroup"):
        if sc.get(key) is not None and not 0 <= _int(sc[key]) <= 0xFFFFFFFF:
            errs.append(invalid_value(f"{path}.{key}", _int(sc[key]),
                                      inclusive_range_error(0, 4294967295)))
    proc = sc.get("procMount")
    if proc is not None and proc not in ("Default", "Unmasked"):
        errs.append(unsupported(f"{path}.procMount", proc, ["Default", "Unmasked"]))
    errs.extend(_validate_seccomp(sc.get("seccompProfile"), f"{path}.seccompProfile"))
    if sc.get("allowPrivilegeEscalation") is False and sc.get("privileged") is True:
        errs.append(invalid_value(path, GoValue(_go_security_context(sc)),
                                  "cannot set `allowPrivilegeEscalation` to false and "
                                  "`privileged` to true"))
    return errs


def _go_security_context(sc: Obj) -> str:
    return go_struct([(k[0].upper() + k[1:], v) for k, v in sc.items()]).text


def _validate_seccomp(profile: Any, path: str) -> Errs:
    if not isinstance(profile, dict):
        return []
    kind = profile.get("type", "")
    errs: Errs = []
    if kind == "":
        errs.append(required(f"{path}.type", "type is required when seccompProfile is set"))
    elif kind not in ("Localhost", "RuntimeDefault", "Unconfined"):
        errs.append(unsupported(f"{path}.type", kind, ["Localhost", "RuntimeDefault",
                                                      "Unconfined"]))
    if kind == "Localhost":
        if profile.get("localhostProfile") is None:
            errs.append(required(f"{path}.localhostProfile", "must be set when seccomp type is "
                                 "Localhost"))
    elif profile.get("localhostProfile") is not None:
        errs.append(invalid_value(f"{path}.localhostProfile", profile, "can only be set when "
                                  "seccomp type is Localhost"))
    return errs


def _validate_container_common(ctr: Obj, volumes: dict[str, Obj], path: str,
                               restart_policy: str) -> Errs:
    key, pins = _shallow_key(ctr, ("volumeMounts",), "container", path, restart_policy)
    if key in _VALID_SHALLOW:
        # Everything but the mounts (checked against this pod's volumes) is known to pass.
        return _validate_volume_mounts(ctr.get("volumeMounts"), volumes, ctr,
                                       f"{path}.volumeMounts")
    errs = _validate_container_fields(ctr, volumes, path, restart_policy)
    if not errs:
        _VALID_SHALLOW.remember(key, pins)
    return errs


def _validate_container_fields(ctr: Obj, volumes: dict[str, Obj], path: str,
                               restart_policy: str) -> Errs:
    errs: Errs = []
    name = str(ctr.get("name") or "")
    if not name:
        errs.append(required(f"{path}.name"))
    else:
        errs.extend(_dns_label(name, f"{path}.name"))
    if not ctr.get("image"):
        errs.append(required(f"{path}.image"))
    tmp = ctr.get("terminationMessagePolicy") or ""
    if not tmp:
        errs.append(required(f"{path}.terminationMessagePolicy"))
    elif tmp not in ("File", "FallbackToLogsOnError"):
        errs.append(unsupported(f"{path}.terminationMessagePolicy", tmp,
                                ["File", "FallbackToLogsOnError"]))
    errs.extend(_memo(_validate_container_ports, ctr.get("ports"), f"{path}.ports"))
    errs.extend(_memo(validate_env, ctr.get("env"), f"{path}.env"))
    errs.extend(_memo(validate_env_from, ctr.get("envFrom"), f"{path}.envFrom"))
    errs.extend(_validate_volume_mounts(ctr.get("volumeMounts"), volumes, ctr,
                                        f"{path}.volumeMounts"))
    policy = ctr.get("imagePullPolicy") or ""
    if not policy:
        errs.append(required(f"{path}.imagePullPolicy"))
    elif policy not in _PULL_POLICIES:
        errs.append(unsupported(f"{path}.imagePullPolicy", policy, _PULL_POLICIES))
    errs.extend(_memo(validate_resource_requirements, ctr.get("resources"),
                      f"{path}.resources"))
    for rp in _l(ctr.get("resizePolicy")):
        rp = _d(rp)
        rpath = f"{path}.resizePolicy"
        res, pol = rp.get("resourceName", ""), rp.get("restartPolicy", "")
        if res == "":
            errs.append(required(rpath))
        elif res not in ("cpu", "memory"):
            errs.append(unsupported(rpath, res, ["cpu", "memory"]))
        if pol == "":
            errs.append(required(rpath))
        elif pol not in ("NotRequired", "RestartContainer"):
            errs.append(unsupported(rpath, pol, ["NotRequired", "RestartContainer"]))
        if restart_policy == "Never" and pol != "NotRequired":
            errs.append(invalid_value(rpath, pol, "must be 'NotRequired' when `restartPolicy` "
                                      "is 'Never'"))
    errs.extend(_validate_security_context(ctr.get("securityContext"),
                                           f"{path}.securityContext"))
    return errs


def _host_port_conflicts(containers: list[Obj], path: str) -> Errs:
    errs: Errs = []
    seen: set[str] = set()
    for ci, ctr in enumerate(containers):
        for pi, port in enumerate(_l(ctr.get("ports"))):
            port = _d(port)
            hp = port.get("hostPort")
            if not hp:
                continue  # what _int reads as 0 too (the common case: no host port)
            hp = _int(hp)
            if hp == 0:
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{hp}"
            if key in seen:
                errs.append(duplicate(f"{path}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def _validate_containers(containers: Any, volumes: dict[str, Obj], grace: Any, path: str,
                         restart_policy: str) -> Errs:
    ctrs = [_d(c) for c in _l(containers)]
    if not ctrs:
        return [required(path)]
    errs: Errs = []
    names: set[str] = set()
    for i, ctr in enumerate(ctrs):
        p = f"{path}[{i}]"
        # As in _validate_container_common, but the key also holds the grace period, which
        # the lifecycle and probe checks read: a container whose own checks all passed with
        # the very same values has only its mounts (against this pod's volumes) and the
        # uniqueness of its name checked again.
        key, pins = _shallow_key(ctr, ("volumeMounts",), "regular container", p,
                                 restart_policy, id(grace))
        known = key in _VALID_SHALLOW
        if known:
            own = _validate_volume_mounts(ctr.get("volumeMounts"), volumes, ctr,
                                          f"{p}.volumeMounts")
        else:
            own = _validate_container_fields(ctr, volumes, p, restart_policy)
        errs.extend(own)
        name = ctr.get("name", "")
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        else:
            names.add(name)
        if known:
            continue
        specific: Errs = []
        if isinstance(ctr.get("lifecycle"), dict):
            specific.extend(_validate_lifecycle(ctr["lifecycle"], grace, f"{p}.lifecycle"))
        for field, kind in (("livenessProbe", "liveness"), ("readinessProbe", "readiness"),
                            ("startupProbe", "startup")):
            if ctr.get(field) is not None:
                specific.extend(_memo(_probe_at, ctr[field], f"{p}.{field}", grace, kind))
        if ctr.get("restartPolicy") is not None:
            specific.append(forbidden_field(f"{p}.restartPolicy", "may not be set for non-init "
                                            "containers"))
        if own or specific:
            errs.extend(specific)
        else:
            _VALID_SHALLOW.remember(key, (*pins, grace))
    errs.extend(_host_port_conflicts(ctrs, path))
    return errs


def _validate_init_containers(containers: Any, regular: Any, volumes: dict[str, Obj],
                              grace: Any, path: str, restart_policy: str) -> Errs:
    errs: Errs = []
    if not _l(containers):
        return errs
    names = {_d(c).get("name") for c in _l(regular)}
    for i, ctr in enumerate(_l(containers)):
        ctr = _d(ctr)
        p = f"{path}[{i}]"
        errs.extend(_validate_container_common(ctr, volumes, p, restart_policy))
        always = False
        if ctr.get("restartPolicy") is not None:
            if ctr["restartPolicy"] != "Always":
                errs.append(unsupported(f"{p}.restartPolicy", ctr["restartPolicy"], ["Always"]))
            always = ctr["restartPolicy"] == "Always"
        name = ctr.get("name", "")
        if name in names:
            errs.append(duplicate(f"{p}.name", name))
        elif name:
            names.add(name)
        errs.extend(_host_port_conflicts([ctr], path))
        if always:
            if isinstance(ctr.get("lifecycle"), dict):
                errs.extend(_validate_lifecycle(ctr["lifecycle"], grace, f"{p}.lifecycle"))
            for key, kind in (("livenessProbe", "liveness"), ("readinessProbe", "readiness"),
                              ("startupProbe", "startup")):
                errs.extend(_validate_probe(ctr.get(key), grace, f"{p}.{key}", kind))
        else:
            for key in ("lifecycle", "livenessProbe", "readinessProbe", "startupProbe"):
                if ctr.get(key) is not None:
                    errs.append(forbidden_field(f"{p}.{key}", "may not be set for init "
                                                "containers without restartPolicy=Always"))
    return errs


# ============================================================================ pod spec

_RESTART_POLICIES = ["Always", "OnFailure", "Never"]
_DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
_TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]


def validate_tolerations(tolerations: Any, path: str) -> Errs:
    """``ValidateTolerations``."""
    errs: Errs = []
    for i, tol in enumerate(_l(tolerations)):
        errs.extend(_memo(_validate_toleration, tol, f"{path}[{i}]"))
    return errs


def _validate_toleration(item: Any, p: str) -> Errs:
    errs: Errs = []
    tol = _d(item)
    key = str(tol.get("key") or "")
    op = tol.get("operator") or ""
    if key:
        errs.extend(validate_label_name(key, f"{p}.key"))
    if not key and op != "Exists":
        errs.append(invalid_value(f"{p}.operator", op, "operator must be Exists when `key` "
                                  "is empty, which means \"match all values and all keys\""))
    effect = tol.get("effect") or ""
    if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
        errs.append(invalid_value(f"{p}.effect", effect, "effect must be 'NoExecute' when "
                                  "`tolerationSeconds` is set"))
    value = str(tol.get("value") or "")
    if op in ("Equal", ""):
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid_value(f"{p}.operator", value, ";".join(msgs)))
    elif op == "Exists":
        if value:
            errs.append(invalid_value(f"{p}.operator", value, "value must be empty when "
                                      "`operator` is 'Exists'"))
    else:
        errs.append(unsupported(f"{p}.operator", op, ["Equal", "Exists"]))
    if effect and effect not in _TAINT_EFFECTS:
        errs.append(unsupported(f"{p}.effect", effect, _TAINT_EFFECTS))
    return errs


def _validate_node_selector_requirement(req: Obj, path: str, *, allow_invalid: bool) -> Errs:
    errs: Errs = []
    op = req.get("operator", "")
    values = _l(req.get("values"))
    if op in ("In", "NotIn"):
        if not values:
            errs.append(required(f"{path}.values", "must be specified when `operator` is 'In' "
                                 "or 'NotIn'"))
    elif op in ("Exists", "DoesNotExist"):
        if values:
            errs.append(forbidden_field(f"{path}.values", "may not be specified when "
                                        "`operator` is 'Exists' or 'DoesNotExist'"))
    elif op in ("Gt", "Lt"):
        if len(values) != 1:
            errs.append(required(f"{path}.values", "must be specified single value when "
                                 "`operator` is 'Lt' or 'Gt'"))
    else:
        errs.append(invalid_value(f"{path}.operator", op, "not a valid selector operator"))
    errs.extend(validate_label_name(str(req.get("key", "")), f"{path}.key"))
    if not allow_invalid:
        for j, v in enumerate(values):
            errs.extend(invalid_value(f"{path}.values[{j}]", v, m)
                        for m in is_valid_label_value(str(v)))
    return errs


def _validate_node_selector_term(term: Obj, path: str, *, allow_invalid: bool) -> Errs:
    errs: Errs = []
    for j, req in enumerate(_l(term.get("matchExpressions"))):
        errs.extend(_validate_node_selector_requirement(
            _d(req), f"{path}.matchExpressions[{j}]", allow_invalid=allow_invalid))
    for j, req in enumerate(_l(term.get("matchFields"))):
        req = _d(req)
        fp = f"{path}.matchFields[{j}]"
        if req.get("operator") in ("In", "NotIn"):
            if len(_l(req.get("values"))) != 1:
                errs.append(required(f"{fp}.values", "must be only one value when `operator` is "
                                     "'In' or 'NotIn' for node field selector"))
        else:
            errs.append(invalid_value(f"{fp}.operator", req.get("operator", ""),
                                      "not a valid selector operator"))
        if req.get("key") != "metadata.name":
            errs.append(invalid_value(f"{fp}.key", req.get("key", ""),
                                      "not a valid field selector key"))
        else:
            for k, v in enumerate(_l(req.get("values"))):
                errs.extend(_dns_subdomain(str(v), f"{fp}.values[{k}]"))
    return errs


def _validate_pod_affinity_term(term: Obj, path: str) -> Errs:
    errs = validate_label_selector(term.get("labelSelector"), f"{path}.labelSelector")
    errs.extend(validate_label_selector(term.get("namespaceSelector"),
                                        f"{path}.namespaceSelector"))
    for name in _l(term.get("namespaces")):
        errs.extend(invalid_value(f"{path}.namespace", name, m)
                    for m in is_dns1123_label(str(name)))
    topology = str(term.get("topologyKey") or "")
    if not topology:
        errs.append(required(f"{path}.topologyKey", "can not be empty"))
    errs.extend(validate_label_name(topology, f"{path}.topologyKey"))
    return errs


def _validate_affinity(affinity: Any, path: str) -> Errs:
    errs: Errs = []
    aff = _d(affinity)
    node = aff.get("nodeAffinity")
    if isinstance(node, dict):
        np = f"{path}.nodeAffinity"
        req = node.get("requiredDuringSchedulingIgnoredDuringExecution")
        if isinstance(req, dict):
            rp = f"{np}.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms"
            terms = _l(req.get("nodeSelectorTerms"))
            if not terms:
                errs.append(required(rp, "must have at least one node selector term"))
            for i, term in enumerate(terms):
                errs.extend(_validate_node_selector_term(_d(term), f"{rp}[{i}]",
                                                         allow_invalid=False))
        for i, pref in enumerate(_l(node.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            pref = _d(pref)
            pp = f"{np}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
            weight = _int(pref.get("weight"))
            if weight <= 0 or weight > 100:
                errs.append(invalid_value(f"{pp}.weight", weight, "must be in the range 1-100"))
            errs.extend(_validate_node_selector_term(_d(pref.get("preference")),
                                                     f"{pp}.preference", allow_invalid=True))
    for kind in ("podAffinity", "podAntiAffinity"):
        pa = aff.get(kind)
        if not isinstance(pa, dict):
            continue
        kp = f"{path}.{kind}"
        for i, term in enumerate(_l(pa.get("requiredDuringSchedulingIgnoredDuringExecution"))):
            errs.extend(_validate_pod_affinity_term(
                _d(term), f"{kp}.requiredDuringSchedulingIgnoredDuringExecution[{i}]"))
        for i, wt in enumerate(_l(pa.get("preferredDuringSchedulingIgnoredDuringExecution"))):
            wt = _d(wt)
            wp = f"{kp}.preferredDuringSchedulingIgnoredDuringExecution[{i}]"
            weight = _int(wt.get("weight"))
            if weight <= 0 or weight > 100:
                errs.append(invalid_value(f"{wp}.weight", weight, "must be in the range 1-100"))
            errs.extend(_validate_pod_affinity_term(_d(wt.get("podAffinityTerm")),
                                                    f"{wp}.podAffinityTerm"))
    return errs


def _validate_topology_spread(constraints: Any, path: str) -> Errs:
    errs: Errs = []
    items = [_d(c) for c in _l(constraints)]
    for i, c in enumerate(items):
        p = f"{path}[{i}]"
        skew = _int(c.get("maxSkew"))
        if skew <= 0:
            errs.append(invalid_value(f"{p}.maxSkew", skew, IS_NOT_POSITIVE_ERROR_MSG))
        if not c.get("topologyKey"):
            errs.append(required(f"{p}.topologyKey", "can not be empty"))
        action = c.get("whenUnsatisfiable", "")
        if action not in ("DoNotSchedule", "ScheduleAnyway"):
            errs.append(unsupported(f"{p}.whenUnsatisfiable", action,
                                    ["DoNotSchedule", "ScheduleAnyway"]))
        for rest in items[i + 1:]:
            if rest.get("topologyKey") == c.get("topologyKey") and \
                    rest.get("whenUnsatisfiable") == action:
                errs.append(duplicate(f"{p}.{{topologyKey, whenUnsatisfiable}}",
                                      f"{{{c.get('topologyKey', '')}, {action}}}"))
                break
        if c.get("minDomains") is not None:
            md = _int(c["minDomains"])
            if md <= 0:
                errs.append(invalid_value(f"{p}.minDomains", md, IS_NOT_POSITIVE_ERROR_MSG))
            if action != "DoNotSchedule":
                errs.append(invalid_value(f"{p}.minDomains", md, "can only use minDomains if "
                                          f"whenUnsatisfiable=DoNotSchedule, not {action}"))
        for key in ("nodeAffinityPolicy", "nodeTaintsPolicy"):
            if c.get(key) is not None and c[key] not in ("Honor", "Ignore"):
                errs.append(unsupported(f"{p}.{key}", c[key], ["Honor", "Ignore"]))
        errs.extend(validate_label_selector(c.get("labelSelector"), f"{p}.labelSelector"))
    return errs


def _validate_dns_config(config: Any, policy: str, path: str) -> Errs:
    errs: Errs = []
    if policy == "None":
        if not isinstance(config, dict):
            return [required(path, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not _l(config.get("nameservers")):
            return [required(f"{path}.nameservers", "must provide at least one DNS nameserver "
                             "when `dnsPolicy` is None")]
    if not isinstance(config, dict):
        return errs
    servers = _l(config.get("nameservers"))
    if len(servers) > 3:
        errs.append(invalid_value(f"{path}.nameservers", servers,
                                  "must not have more than 3 nameservers"))
    for i, ns in enumerate(servers):
        errs.extend(is_valid_ip(f"{path}.nameservers[{i}]", str(ns)))
    searches = _l(config.get("searches"))
    if len(searches) > 32:
        errs.append(invalid_value(f"{path}.searches", searches,
                                  "must not have more than 32 search paths"))
    for i, search in enumerate(searches):
        search = str(search)
        if search != ".":
            search = search.removesuffix(".")
            errs.extend(_dns_subdomain_underscore(search, f"{path}.searches[{i}]"))
    for i, option in enumerate(_l(config.get("options"))):
        if not _d(option).get("name"):
            errs.append(required(f"{path}.options[{i}]", "must not be empty"))
    return errs


def _dns_subdomain_underscore(value: str, path: str) -> Errs:
    fmt = r"_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*"
    errs: Errs = []
    if len(value) > 253:
        errs.append(invalid_value(path, value, "must be no more than 253 characters"))
    if not re.match("^" + fmt + "$", value):
        errs.append(invalid_value(
            path, value, "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '_', '-' or '.', and must start and end with an alphanumeric character "
            f"(e.g. 'example.com', regex used for validation is '{fmt}')"))
    return errs


def _validate_pod_security_context(spec: Obj, path: str) -> Errs:
    sc = spec.get("securityContext")
    if not isinstance(sc, dict):
        return []
    errs: Errs = []
    for key in ("fsGroup", "runAsUser", "runAsGroup"):
        if sc.get(key) is not None and not 0 <= _int(sc[key]) <= 0xFFFFFFFF:
            errs.append(invalid_value(f"{path}.{key}", _int(sc[key]),
                                      inclusive_range_error(0, 4294967295)))
    for i, gid in enumerate(_l(sc.get("supplementalGroups"))):
        if not 0 <= _int(gid) <= 0xFFFFFFFF:
            errs.append(invalid_value(f"{path}.supplementalGroups[{i}]", _int(gid),
                                      inclusive_range_error(0, 4294967295)))
    if sc.get("shareProcessNamespace") and spec.get("hostPID"):
        errs.append(invalid_value(f"{path}.shareProcessNamespace", True, "ShareProcessNamespace "
                                  "and HostPID cannot both be enabled"))
    names: set[str] = set()
    for i, sysctl in enumerate(_l(sc.get("sysctls"))):
        name = str(_d(sysctl).get("name") or "")
        sp = f"{path}.sysctls[{i}].name"
        if not name:
            errs.append(required(sp))
        elif name in names:
            errs.append(duplicate(sp, name))
        names.add(name)
    policy = sc.get("fsGroupChangePolicy")
    if policy is not None and policy not in ("Always", "OnRootMismatch"):
        errs.append(unsupported(f"{path}.fsGroupChangePolicy", policy,
                                ["Always", "OnRootMismatch"]))
    errs.extend(_validate_seccomp(sc.get("seccompProfile"), f"{path}.seccompProfile"))
    return errs


def validate_pod_spec(
    spec: dict[str, Any], path: str, *, pod_meta: Obj | None = None, is_pod: bool = False
) -> list[FieldError]:
    """``ValidatePodSpec`` for ``spec`` found at ``path`` (e.g. ``spec.template.spec``)."""
    spec = _d(spec)
    errs: Errs = []
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is None:
        errs.append(required(f"{path}.terminationGracePeriodSeconds"))
    volumes, verrs = validate_volumes(spec.get("volumes"), f"{path}.volumes")
    errs.extend(verrs)
    restart = str(spec.get("restartPolicy") or "")
    errs.extend(_validate_containers(spec.get("containers"), volumes, grace,
                                     f"{path}.containers", restart))
    errs.extend(_validate_init_containers(spec.get("initContainers"), spec.get("containers"),
                                          volumes, grace, f"{path}.initContainers", restart))
    if spec.get("hostNetwork"):
        for i, ctr in enumerate(_l(spec.get("containers"))):
            for j, port in enumerate(_l(_d(ctr).get("ports"))):
                port = _d(port)
                hp, cp = _int(port.get("hostPort")), _int(port.get("containerPort"))
                if (is_pod or hp != 0) and hp != cp:
                    errs.append(invalid_value(f"{path}.containers[{i}].ports[{j}].hostPort", hp,
                                              "must match `containerPort` when `hostNetwork` is "
                                              "true"))
    # The other fields are the template's own objects in every pod of a template: they are
    # checked once per set of values (see _shallow_key).
    key, pins = _shallow_key(spec, _POD_SPEC_PER_POD, "pod spec", path)
    if key not in _VALID_SHALLOW:
        found = _validate_pod_spec_fields(spec, path, restart)
        if found:
            errs.extend(found)
        else:
            _VALID_SHALLOW.remember(key, pins)
    return errs


# What differs between pods of one template: the token volume and the mounts naming it.
_POD_SPEC_PER_POD = ("volumes", "containers", "initContainers")


def _validate_pod_spec_fields(spec: Obj, path: str, restart: str) -> Errs:
    """The rest of ``ValidatePodSpec``: what does not read the volumes and containers."""
    errs: Errs = []
    if not restart:
        errs.append(required(f"{path}.restartPolicy"))
    elif restart not in _RESTART_POLICIES:
        errs.append(unsupported(f"{path}.restartPolicy", restart, _RESTART_POLICIES))
    dns = str(spec.get("dnsPolicy") or "")
    if not dns:
        errs.append(required(f"{path}.dnsPolicy"))
    elif dns not in _DNS_POLICIES:
        errs.append(unsupported(f"{path}.dnsPolicy", dns, _DNS_POLICIES))
    if spec.get("nodeSelector"):
        errs.extend(validate_labels(spec.get("nodeSelector"), f"{path}.nodeSelector"))
    if spec.get("securityContext"):
        errs.extend(_validate_pod_security_context(spec, f"{path}.securityContext"))
    for i, secret in enumerate(_l(spec.get("imagePullSecrets"))):
        if set(_d(secret)) - {"name"}:
            errs.append(invalid_value(f"{path}.imagePullSecrets[{i}]", secret,
                                      "only name may be set"))
    if spec.get("affinity"):
        errs.extend(_memo(_validate_affinity, spec["affinity"], f"{path}.affinity"))
    if spec.get("dnsConfig") is not None or dns == "None":
        errs.extend(_validate_dns_config(spec.get("dnsConfig"), dns, f"{path}.dnsConfig"))
    for i, gate in enumerate(_l(spec.get("readinessGates"))):
        errs.extend(_qualified(str(_d(gate).get("conditionType", "")),
                               f"{path}.readinessGates[{i}].conditionType"))
    seen_gates: set[str] = set()
    for i, gate in enumerate(_l(spec.get("schedulingGates"))):
        name = str(_d(gate).get("name", ""))
        errs.extend(_qualified(name, f"{path}.schedulingGates[{i}]"))
        if name in seen_gates:
            errs.append(duplicate(f"{path}.schedulingGates[{i}]", name))
        seen_gates.add(name)
    if spec.get("topologySpreadConstraints"):
        errs.extend(_validate_topology_spread(spec.get("topologySpreadConstraints"),
                                              f"{path}.topologySpreadConstraints"))
    if spec.get("serviceAccountName"):
        errs.extend(invalid_value(f"{path}.serviceAccountName", spec["serviceAccountName"], m)
                    for m in name_is_dns_subdomain(str(spec["serviceAccountName"])))
    if spec.get("nodeName"):
        errs.extend(invalid_value(f"{path}.nodeName", spec["nodeName"], m)
                    for m in name_is_dns_subdomain(str(spec["nodeName"])))
    if spec.get("activeDeadlineSeconds") is not None:
        ads = _int(spec["activeDeadlineSeconds"])
        if ads < 1 or ads > MAX_INT32:
            errs.append(invalid_value(f"{path}.activeDeadlineSeconds", ads,
                                      inclusive_range_error(1, MAX_INT32)))
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs.extend(_dns_label(str(spec[key]), f"{path}.{key}"))
    if _l(spec.get("tolerations")):
        errs.extend(validate_tolerations(spec["tolerations"], f"{path}.tolerations"))
    for i, alias in enumerate(_l(spec.get("hostAliases"))):
        alias = _d(alias)
        errs.extend(is_valid_ip(f"{path}.hostAliases[{i}].ip", str(alias.get("ip", ""))))
        for j, host in enumerate(_l(alias.get("hostnames"))):
            errs.extend(_dns_subdomain(str(host), f"{path}.hostAliases[{i}].hostnames[{j}]"))
    if spec.get("priorityClassName"):
        errs.extend(invalid_value(f"{path}.priorityClassName", spec["priorityClassName"], m)
                    for m in name_is_dns_subdomain(str(spec["priorityClassName"])))
    if spec.get("runtimeClassName") is not None:
        errs.extend(invalid_value(f"{path}.runtimeClassName", spec["runtimeClassName"], m)
                    for m in name_is_dns_subdomain(str(spec["runtimeClassName"])))
    if spec.get("preemptionPolicy") is not None:
        pp = spec["preemptionPolicy"]
        if pp == "":
            errs.append(required(f"{path}.preemptionPolicy"))
        elif pp not in ("PreemptLowerPriority", "Never"):
            errs.append(unsupported(f"{path}.preemptionPolicy", pp,
                                    ["PreemptLowerPriority", "Never"]))
    if isinstance(spec.get("overhead"), dict):
        errs.extend(validate_resource_requirements({"limits": spec["overhead"]},
                                                   f"{path}.overhead"))
    os_ = spec.get("os")
    if isinstance(os_, dict):
        if not os_.get("name"):
            errs.append(required(f"{path}.os.name", "cannot be empty"))
        elif os_["name"] not in ("linux", "windows"):
            errs.append(unsupported(f"{path}.os", os_["name"], ["linux", "windows"]))
    return errs


def _validate_pod_specific_annotations(annotations: Any, spec: Obj, path: str) -> Errs:
    errs: Errs = []
    ann = _d(annotations)
    if "kubernetes.io/config.mirror" in ann and not spec.get("nodeName"):
        errs.append(invalid_value(_key(path, "kubernetes.io/config.mirror"),
                                  ann["kubernetes.io/config.mirror"],
                                  "must set spec.nodeName if mirror pod annotation is set"))
    cost = ann.get("controller.kubernetes.io/pod-deletion-cost")
    if cost is not None:
        try:
            ok = -(2**31) <= int(str(cost), 10) <= MAX_INT32 and str(cost).strip() == str(cost)
        except ValueError:
            ok = False
        if not ok:
            errs.append(invalid_value(_key(path, "controller.kubernetes.io/pod-deletion-cost"),
                                      cost, "must be a 32bit integer"))
    return errs


def validate_pod_template_spec(template: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: template metadata labels/annotations and its PodSpec."""
    template = _d(template)
    meta = _d(template.get("metadata"))
    spec = _d(template.get("spec"))
    errs = validate_labels(meta.get("labels"), f"{path}.labels")
    errs.extend(validate_annotations(meta.get("annotations"), f"{path}.annotations"))
    errs.extend(_validate_pod_specific_annotations(meta.get("annotations"), spec,
                                                   f"{path}.annotations"))
    errs.extend(validate_pod_spec(spec, f"{path}.spec"))
    if _l(spec.get("ephemeralContainers")):
        errs.append(forbidden_field(f"{path}.spec.ephemeralContainers",
                                    "ephemeral containers not allowed in pod template"))
    return errs


def _validate_pod_metadata_and_spec(pod: Obj) -> Errs:
    meta = _d(pod.get("metadata"))
    spec = _d(pod.get("spec"))
    errs = validate_object_meta(meta, namespaced=True)
    errs.extend(_validate_pod_specific_annotations(meta.get("annotations"), spec,
                                                   "metadata.annotations"))
    errs.extend(validate_pod_spec(spec, "spec", pod_meta=meta, is_pod=True))
    if not spec.get("serviceAccountName"):
        for vi, vol in enumerate(_l(spec.get("volumes"))):
            projected = _d(vol).get("projected")
            if not isinstance(projected, dict):
                continue
            for si, source in enumerate(_l(projected.get("sources"))):
                if _d(source).get("serviceAccountToken") is not None:
                    errs.append(forbidden_field(
                        f"spec.volumes[{vi}].projected.sources[{si}].serviceAccountToken",
                        "must not be specified when serviceAccountName is not set"))
    for key in ("containers", "initContainers"):
        for i, ctr in enumerate(_l(spec.get(key))):
            image = str(_d(ctr).get("image") or "")
            if image != image.strip():
                errs.append(invalid_value(f"spec.{key}[{i}].image", image,
                                          "must not have leading or trailing whitespace"))
    return errs


def validate_pod(pod: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodCreate``."""
    errs = _validate_pod_metadata_and_spec(pod)
    spec = _d(pod.get("spec"))
    if _l(spec.get("ephemeralContainers")):
        errs.append(forbidden_field("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and _l(spec.get("schedulingGates")):
        errs.append(forbidden_field("spec.nodeName", "cannot be set until all schedulingGates "
                                    "have been cleared"))
    return errs


_UPDATABLE_POD_FIELDS = (
    "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
    "`spec.tolerations` (only additions to existing tolerations),"
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
    "negative)"
)


def _tolerations_only_added(new: list[Any], old: list[Any], path: str) -> Errs:
    for o in old:
        o = _d(o)
        found = False
        for n in new:
            n = _d(n)
            probe = {**o, "tolerationSeconds": n.get("tolerationSeconds")}
            if semantic_equal({k: v for k, v in probe.items() if v is not None},
                              {k: v for k, v in n.items() if v is not None}):
                found = True
                break
        if not found:
            return [forbidden_field(path, "existing toleration can not be modified except its "
                                    "tolerationSeconds")]
    return validate_tolerations(new, path)


def validate_pod_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodUpdate``: only images, activeDeadlineSeconds, added tolerations and
    removed scheduling gates may change; anything else is refused with the spec diff."""
    nmeta, ometa = _d(new.get("metadata")), _d(old.get("metadata"))
    errs = validate_object_meta_update(nmeta, ometa)
    errs.extend(_validate_pod_metadata_and_spec(new))
    nspec, ospec = _d(new.get("spec")), _d(old.get("spec"))
    for key in ("containers", "initContainers"):
        ncs, ocs = _l(nspec.get(key)), _l(ospec.get(key))
        if len(ncs) != len(ocs):
            errs.append(forbidden_field(f"spec.{key}", "pod updates may not add or remove "
                                        "containers"))
            return errs
        for i, ctr in enumerate(ncs):
            image = str(_d(ctr).get("image") or "")
            if not image:
                errs.append(required(f"spec.{key}[{i}].image"))
            if image.strip() != image:
                errs.append(invalid_value(f"spec.{key}[{i}].image", image,
                                          "must not have leading or trailing whitespace"))
    nads, oads = nspec.get("activeDeadlineSeconds"), ospec.get("activeDeadlineSeconds")
    if nads is not None:
        if _int(nads) < 0 or _int(nads) > MAX_INT32:
            errs.append(invalid_value("spec.activeDeadlineSeconds", _int(nads),
                                      inclusive_range_error(0, MAX_INT32)))
            return errs
        if oads is not None and _int(oads) < _int(nads):
            errs.append(invalid_value("spec.activeDeadlineSeconds", _int(nads),
                                      "must be less than or equal to previous value"))
            return errs
    elif oads is not None:
        errs.append(invalid_value("spec.activeDeadlineSeconds", None,
                                  "must not update from a positive integer to nil value"))
    errs.extend(_tolerations_only_added(_l(nspec.get("tolerations")),
                                        _l(ospec.get("tolerations")), "spec.tolerations"))
    new_gates = [_d(g).get("name") for g in _l(nspec.get("schedulingGates"))]
    old_gates = {_d(g).get("name") for g in _l(ospec.get("schedulingGates"))}
    for i, gate in enumerate(new_gates):
        if gate not in old_gates:
            errs.append(forbidden_field(f"spec.schedulingGates[{i}].name", "only deletion is "
                                        f"allowed, but found new scheduling gate '{gate}'"))
    if semantic_equal(nspec, ospec):
        return errs
    munged = dict(nspec)
    for key in ("containers", "initContainers"):
        if key in munged or key in ospec:
            munged[key] = [{**_d(c), "image": _d(o).get("image")}
                           for c, o in zip(_l(nspec.get(key)), _l(ospec.get(key)), strict=True)]
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        if key in ospec:
            munged[key] = ospec[key]
        else:
            munged.pop(key, None)
    ogp, ngp = ospec.get("terminationGracePeriodSeconds"), munged.get(
        "terminationGracePeriodSeconds")
    if isinstance(ogp, int) and ogp < 0 and ngp == 1:
        munged["terminationGracePeriodSeconds"] = ogp
    # The deprecated serviceAccount mirrors serviceAccountName and is not part of core.PodSpec.
    munged.pop("serviceAccount", None)
    ocompare = {k: v for k, v in ospec.items() if k != "serviceAccount"}
    if not semantic_equal(munged, ocompare):
        from .diff import pod_spec_diff

        errs.append(forbidden_field(
            "spec", f"pod updates may not change fields other than {_UPDATABLE_POD_FIELDS}\n"
            + pod_spec_diff(ocompare, munged)))
    return errs


_SYSTEM_CONDITIONS = ("PodScheduled", "Ready", "Initialized")
# The system condition types and those found to be qualified names: the kubelet writes the
# same few on every status update of every pod. Only successes are kept, so error messages are
# always computed afresh.
_ACCEPTED_CONDITION_TYPES: set[str] = set(_SYSTEM_CONDITIONS)
_TYPE_KEY = itertools.repeat("type")  # map(dict.get, conditions, _TYPE_KEY): their types
_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
# A dotted quad of decimal octets without leading zeros is an address ``IsValidIP`` accepts
# (each pod IP is new, and parsing it with ipaddress costs more than the rest of the update);
# anything else takes the full check.
_PLAIN_IPV4 = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}")
# Pod IPs found valid (each pod's IP comes back in every later status write of the pod).
_ACCEPTED_POD_IPS: set[str] = set()


def _validate_condition_types(conditions: list[Any]) -> Errs:
    errs: Errs = []
    for i, cond in enumerate(conditions):
        ctype = cond.get("type", "") if isinstance(cond, dict) else ""
        if type(ctype) is str and ctype in _ACCEPTED_CONDITION_TYPES:
            continue
        ctype = str(ctype)
        if ctype in _SYSTEM_CONDITIONS:
            continue
        type_errs = _qualified(ctype, f"metadata.conditions[{i}].Type")
        if type_errs:
            errs.extend(type_errs)
        else:
            if len(_ACCEPTED_CONDITION_TYPES) >= 4096:
                _ACCEPTED_CONDITION_TYPES.clear()
                _ACCEPTED_CONDITION_TYPES.update(_SYSTEM_CONDITIONS)
            _ACCEPTED_CONDITION_TYPES.add(ctype)
    return errs


def validate_pod_status_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodStatusUpdate``."""
    # Every pod write (create, update, status) validates the metadata maps: see
    # validate_object_meta_update.
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")),
                                       old_validated=True)
    status, ostatus = _d(new.get("status")), _d(old.get("status"))
    conditions = _l(status.get("conditions"))
    try:
        # The common case in one pass in C: every condition is a dict of a type already
        # accepted. A condition that is not a dict, or an unhashable type, raises TypeError.
        known = _ACCEPTED_CONDITION_TYPES.issuperset(map(dict.get, conditions, _TYPE_KEY))
    except TypeError:
        known = False
    if not known:
        errs.extend(_validate_condition_types(conditions))
    new_spec, ospec = new.get("spec"), _d(old.get("spec"))
    # A status update keeps the very spec (and so its nodeName).
    if new_spec is not ospec and _d(new_spec).get("nodeName") != ospec.get("nodeName"):
        errs.append(forbidden_field("status.nodeName", "may not be changed directly"))
    nominated = status.get("nominatedNodeName")
    if nominated and nominated != ostatus.get("nominatedNodeName"):
        errs.extend(invalid_value("status.nominatedNodeName", nominated, m)
                    for m in name_is_dns_subdomain(str(nominated)))
    if ostatus.get("qosClass") and status.get("qosClass") != ostatus.get("qosClass"):
        errs.append(invalid_value("status.qosClass", status.get("qosClass", ""),
                                  FIELD_IMMUTABLE_ERROR_MSG))
    restart = ospec.get("restartPolicy", "Always")
    if restart != "Always":
        news = {_d(s).get("name"): _d(s) for s in _l(status.get("containerStatuses"))}
        for i, ost in enumerate(_l(ostatus.get("containerStatuses"))):
            term = _d(_d(ost).get("state")).get("terminated")
            if not isinstance(term, dict):
                continue
            if term.get("exitCode", 0) != 0 and restart == "OnFailure":
                continue
            nst = news.get(_d(ost).get("name"))
            if nst is not None and not isinstance(_d(nst.get("state")).get("terminated"), dict):
                errs.append(forbidden_field(f"status.containerStatuses[{i}].state",
                                            "may not be transitioned to non-terminated state"))
    for i, ip in enumerate(_l(status.get("podIPs"))):
        address = str(_d(ip).get("ip", ""))
        if address in _ACCEPTED_POD_IPS:
            continue
        if _PLAIN_IPV4.fullmatch(address) is None:
            ip_errs = is_valid_ip(f"status.podIPs[{i}]", address)
            if ip_errs:
                errs.extend(ip_errs)
                continue
        if len(_ACCEPTED_POD_IPS) >= 65536:
            _ACCEPTED_POD_IPS.clear()
        _ACCEPTED_POD_IPS.add(address)
    host_ips = _l(status.get("hostIPs"))
    if host_ips and status.get("hostIP") != _d(host_ips[0]).get("ip"):
        errs.append(invalid_value("status.hostIPs[0].ip", _d(host_ips[0]).get("ip", ""),
                                  "must be equal to `hostIP`"))
    return errs


def validate_pod_template(obj: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodTemplate`` (the PodTemplate kind)."""
    errs = validate_object_meta(_d(obj.get("metadata")), namespaced=True)
    errs.extend(validate_pod_template_spec(_d(obj.get("template")), "template"))
    return errs


# ============================================================================ services

_SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]


def _is_headless(spec: Obj) -> bool:
    ips = _l(spec.get("clusterIPs"))
    return len(ips) == 1 and ips[0] == "None"


def _go_service_port(port: Obj) -> GoValue:
    """An internal ``core.ServicePort`` as ``json.Marshal`` prints it."""
    target = port.get("targetPort", 0)
    return go_struct([("Name", port.get("name", "")), ("Protocol", port.get("protocol", "")),
                      ("AppProtocol", port.get("appProtocol")), ("Port", port.get("port", 0)),
                      ("TargetPort", target if target is not None else 0),
                      ("NodePort", port.get("nodePort", 0))])


def _validate_service_port(port: Obj, require_name: bool, names: set[str], path: str) -> Errs:
    errs: Errs = []
    name = str(port.get("name") or "")
    if require_name and not name:
        errs.append(required(f"{path}.name"))
    elif name:
        errs.extend(_dns_label(name, f"{path}.name"))
        if name in names:
            errs.append(duplicate(f"{path}.name", name))
        else:
            names.add(name)
    number = _int(port.get("port"))
    errs.extend(invalid_value(f"{path}.port", number, m) for m in is_valid_port_num(number))
    proto = port.get("protocol") or ""
    if not proto:
        errs.append(required(f"{path}.protocol"))
    elif proto not in _SUPPORTED_PROTOCOLS:
        errs.append(unsupported(f"{path}.protocol", proto, _SUPPORTED_PROTOCOLS))
    errs.extend(validate_port_num_or_name(port.get("targetPort", 0), f"{path}.targetPort"))
    if port.get("appProtocol") is not None:
        errs.extend(_qualified(str(port["appProtocol"]), f"{path}.appProtocol"))
    return errs


def _validate_cluster_ips(spec: Obj) -> Errs:
    """``ValidateServiceClusterIPsRelatedFields``."""
    if spec.get("type") == "ExternalName":
        return []
    errs: Errs = []
    ips = _l(spec.get("clusterIPs"))
    cip = spec.get("clusterIP") or ""
    if cip:
        if not ips:
            errs.append(required("spec.clusterIPs"))
        elif ips[0] != cip:
            errs.append(invalid_value("spec.clusterIPs", ips, "first value must match "
                                      "`clusterIP`"))
    elif ips:
        errs.append(invalid_value("spec.clusterIPs", ips, "must be empty when `clusterIP` is "
                                  "not specified"))
    seen: set[str] = set()
    for i, fam in enumerate(_l(spec.get("ipFamilies"))):
        if fam not in ("IPv4", "IPv6"):
            errs.append(unsupported(f"spec.ipFamilies[{i}]", fam, ["IPv4", "IPv6"]))
        if fam in seen:
            errs.append(duplicate(f"spec.ipFamilies[{i}]", fam))
        seen.add(fam)
    policy = spec.get("ipFamilyPolicy")
    policies = ["PreferDualStack", "RequireDualStack", "SingleStack"]
    if policy is not None and policy not in policies:
        errs.append(unsupported("spec.ipFamilyPolicy", policy, policies))
    bad = False
    for i, ip in enumerate(ips):
        if i == 0 and ip == "None":
            if len(ips) > 1:
                bad = True
                errs.append(invalid_value("spec.clusterIPs", ips, "'None' must be the first and "
                                          "only value"))
            continue
        ip_errs = is_valid_ip(f"spec.clusterIPs[{i}]", str(ip))
        bad = bad or bool(ip_errs)
        errs.extend(ip_errs)
    if len(ips) > 2:
        errs.append(invalid_value("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if bad:
        return errs
    if len(ips) > 1:
        versions = {ipaddress.ip_address(ip).version for ip in ips}
        if len(versions) != len(ips):
            errs.append(invalid_value("spec.clusterIPs", ips, "may specify no more than one IP "
                                      "for each IP family"))
    fams = _l(spec.get("ipFamilies"))
    if not _is_headless(spec):
        for i, ip in enumerate(ips[:len(fams)]):
            v6 = ipaddress.ip_address(ip).version == 6
            if fams[i] == "IPv4" and v6:
                errs.append(invalid_value(f"spec.clusterIPs[{i}]", ip, "expected an IPv4 value "
                                          f"as indicated by `ipFamilies[{i}]`"))
            if fams[i] == "IPv6" and not v6:
                errs.append(invalid_value(f"spec.clusterIPs[{i}]", ip, "expected an IPv6 value "
                                          f"as indicated by `ipFamilies[{i}]`"))
    return errs


def validate_service(svc: dict[str, Any]) -> list[FieldError]:
    """``ValidateService``."""
    meta = _d(svc.get("metadata"))
    spec = _d(svc.get("spec"))
    errs = validate_object_meta(meta, namespaced=True, name_check="dns1035")
    stype = spec.get("type") or ""
    ports = [_d(p) for p in _l(spec.get("ports"))]
    if not ports and not _is_headless(spec) and stype != "ExternalName":
        errs.append(required("spec.ports"))
    ips = _l(spec.get("clusterIPs"))
    if stype == "LoadBalancer" and _is_headless(spec):
        errs.append(invalid_value("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for "
                                  "LoadBalancer services"))
    elif stype == "NodePort" and _is_headless(spec):
        errs.append(invalid_value("spec.clusterIPs[0]", ips[0], "may not be set to 'None' for "
                                  "NodePort services"))
    elif stype == "ExternalName":
        if ips:
            errs.append(forbidden_field("spec.clusterIPs", "may not be set for ExternalName "
                                        "services"))
        if _l(spec.get("ipFamilies")):
            errs.append(forbidden_field("spec.ipFamilies", "may not be set for ExternalName "
                                        "services"))
        if spec.get("ipFamilyPolicy") is not None:
            errs.append(forbidden_field("spec.ipFamilyPolicy", "may not be set for ExternalName "
                                        "services"))
        cname = str(spec.get("externalName") or "").removesuffix(".")
        if cname:
            errs.extend(_dns_subdomain(cname, "spec.externalName"))
        else:
            errs.append(required("spec.externalName"))
    names: set[str] = set()
    for i, port in enumerate(ports):
        errs.extend(_validate_service_port(port, len(ports) > 1, names, f"spec.ports[{i}]"))
    if spec.get("selector") is not None:
        errs.extend(validate_labels(spec.get("selector"), "spec.selector"))
    affinity = spec.get("sessionAffinity") or ""
    if not affinity:
        errs.append(required("spec.sessionAffinity"))
    elif affinity not in ("ClientIP", "None"):
        errs.append(unsupported("spec.sessionAffinity", affinity, ["ClientIP", "None"]))
    config = spec.get("sessionAffinityConfig")
    if affinity == "ClientIP":
        cp = "spec.sessionAffinityConfig"
        if not isinstance(config, dict):
            errs.append(required(cp, "when session affinity type is ClientIP"))
        elif not isinstance(config.get("clientIP"), dict):
            errs.append(required(f"{cp}.clientIP", "when session affinity type is ClientIP"))
        elif config["clientIP"].get("timeoutSeconds") is None:
            errs.append(required(f"{cp}.clientIP.timeoutSeconds",
                                 "when session affinity type is ClientIP"))
        else:
            timeout = _int(config["clientIP"]["timeoutSeconds"])
            if timeout <= 0 or timeout > 86400:
                errs.append(invalid_value(f"{cp}.clientIP.timeoutSeconds", timeout,
                                          "must be greater than 0 and less than 86400"))
    elif affinity == "None" and config is not None:
        errs.append(forbidden_field("spec.sessionAffinityConfig", "must not be set when session "
                                    "affinity is None"))
    errs.extend(_validate_cluster_ips(spec))
    for i, ip in enumerate(_l(spec.get("externalIPs"))):
        ip_errs = is_valid_ip(f"spec.externalIPs[{i}]", str(ip))
        errs.extend(ip_errs or _non_special_ip(str(ip), f"spec.externalIPs[{i}]"))
    if not stype:
        errs.append(required("spec.type"))
    elif stype not in _SERVICE_TYPES:
        errs.append(unsupported("spec.type", stype, _SERVICE_TYPES))
    if stype == "ClusterIP":
        for i, port in enumerate(ports):
            if _int(port.get("nodePort")) != 0:
                errs.append(forbidden_field(f"spec.ports[{i}].nodePort", "may not be used when "
                                            "`type` is 'ClusterIP'"))
    node_ports: set[tuple[Any, int]] = set()
    for i, port in enumerate(ports):
        np_ = _int(port.get("nodePort"))
        if np_ == 0:
            continue
        key = (port.get("protocol"), np_)
        if key in node_ports:
            errs.append(duplicate(f"spec.ports[{i}].nodePort", np_))
        node_ports.add(key)
    seen_ports: set[tuple[Any, int]] = set()
    for i, port in enumerate(ports):
        key = (port.get("protocol"), _int(port.get("port")))
        if key in seen_ports:
            errs.append(duplicate(f"spec.ports[{i}]", _go_service_port(
                {"protocol": port.get("protocol", ""), "port": _int(port.get("port"))})))
        seen_ports.add(key)
    if _l(spec.get("loadBalancerSourceRanges")) and stype != "LoadBalancer":
        errs.append(forbidden_field("spec.LoadBalancerSourceRanges", "may only be used when "
                                    "`type` is 'LoadBalancer'"))
    if spec.get("allocateLoadBalancerNodePorts") is not None and stype != "LoadBalancer":
        errs.append(forbidden_field("spec.allocateLoadBalancerNodePorts", "may only be used when "
                                    "`type` is 'LoadBalancer'"))
    if stype == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        errs.append(required("allocateLoadBalancerNodePorts"))
    if spec.get("loadBalancerClass") is not None:
        if stype == "LoadBalancer":
            errs.extend(_qualified(str(spec["loadBalancerClass"]), "spec.loadBalancerClass"))
        else:
            errs.append(forbidden_field("spec.loadBalancerClass", "may only be used when `type` "
                                        "is 'LoadBalancer'"))
    accessible = stype in ("LoadBalancer", "NodePort") or (
        stype == "ClusterIP" and bool(_l(spec.get("externalIPs"))))
    etp = spec.get("externalTrafficPolicy") or ""
    if not accessible:
        if etp:
            errs.append(invalid_value("spec.externalTrafficPolicy", etp, "may only be set for "
                                      "externally-accessible services"))
    elif not etp:
        errs.append(required("spec.externalTrafficPolicy"))
    elif etp not in ("Cluster", "Local"):
        errs.append(unsupported("spec.externalTrafficPolicy", etp, ["Cluster", "Local"]))
    needs_hc = stype == "LoadBalancer" and etp == "Local"
    hc = _int(spec.get("healthCheckNodePort"))
    if not needs_hc and hc != 0:
        errs.append(invalid_value("spec.healthCheckNodePort", hc, "may only be set when `type` "
                                  "is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"))
    itp = spec.get("internalTrafficPolicy")
    if itp is None and stype in ("NodePort", "LoadBalancer", "ClusterIP"):
        errs.append(required("spec.internalTrafficPolicy"))
    if itp is not None and itp not in ("Cluster", "Local"):
        errs.append(unsupported("spec.internalTrafficPolicy", itp, ["Cluster", "Local"]))
    td = spec.get("trafficDistribution")
    if td is not None and td not in ("PreferClose", "PreferSameZone", "PreferSameNode"):
        errs.append(unsupported("spec.trafficDistribution", td,
                                ["PreferClose", "PreferSameNode", "PreferSameZone"]))
    return errs


def _non_special_ip(ip: str, path: str) -> Errs:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return [invalid_value(path, ip, "must be a valid IP address")]
    errs: Errs = []
    if addr.is_unspecified:
        errs.append(invalid_value(path, ip, f"may not be unspecified ({ip})"))
    if addr.is_loopback:
        errs.append(invalid_value(path, ip, "may not be in the loopback range (127.0.0.0/8, "
                                  "::1/128)"))
    if addr.is_link_local:
        errs.append(invalid_value(path, ip, "may not be in the link-local range "
                                  "(169.254.0.0/16, fe80::/10)"))
    return errs


def validate_service_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceUpdate``: cluster IPs and IP families may not change once set."""
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    nspec, ospec = _d(new.get("spec")), _d(old.get("spec"))
    if "ExternalName" not in (nspec.get("type"), ospec.get("type")) and not (
            _is_headless(nspec) and _is_headless(ospec)):
        nips, oips = _l(nspec.get("clusterIPs")), _l(ospec.get("clusterIPs"))
        if len(nips) == len(oips):
            for i, ip in enumerate(oips):
                if ip != nips[i]:
                    errs.append(invalid_value(f"spec.clusterIPs[{i}]", nips, "may not change "
                                              "once set"))
        elif len(oips) > len(nips):
            if not nips:
                errs.append(invalid_value("spec.clusterIPs[0]", nips, "primary clusterIP can "
                                          "not be unset"))
            elif nips[0] != oips[0]:
                errs.append(invalid_value("spec.clusterIPs[0]", nips, "may not change once set"))
        elif oips and nips[0] != oips[0]:
            errs.append(invalid_value("spec.clusterIPs[0]", nips, "may not change once set"))
        nf, of = _l(nspec.get("ipFamilies")), _l(ospec.get("ipFamilies"))
        if _is_headless(nspec) == _is_headless(ospec) and not _is_headless(nspec) and \
                len(nf) == len(of):
            for i, fam in enumerate(of):
                if fam != nf[i]:
                    errs.append(invalid_value("spec.ipFamilies[0]", nf, "may not change once "
                                              "set"))
    if ospec.get("type") == "LoadBalancer" == nspec.get("type") and \
            ospec.get("loadBalancerClass") != nspec.get("loadBalancerClass"):
        errs.append(invalid_value("spec.loadBalancerClass", nspec.get("loadBalancerClass"),
                                  "may not change once set"))
    return errs + validate_service(new)


def validate_service_status_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    ingress = _l(_d(_d(new.get("status")).get("loadBalancer")).get("ingress"))
    if ingress and _d(new.get("spec")).get("type") != "LoadBalancer":
        errs.append(forbidden_field("status.loadBalancer.ingress", "may only be used when "
                                    "`spec.type` is 'LoadBalancer'"))
    for i, ing in enumerate(ingress):
        ing = _d(ing)
        if ing.get("ip"):
            errs.extend(is_valid_ip(f"status.loadBalancer.ingress[{i}].ip", str(ing["ip"])))
    return errs


# ============================================================================ namespace, node

def validate_namespace(ns: dict[str, Any]) -> list[FieldError]:
    """``ValidateNamespace`` (the finalizer path has no index upstream)."""
    errs = validate_object_meta(_d(ns.get("metadata")), namespaced=False, name_check="label")
    for fin in _l(_d(ns.get("spec")).get("finalizers")):
        fin = str(fin)
        errs.extend(_qualified(fin, "spec.finalizers"))
        if "/" not in fin and fin not in ("kubernetes", "orphan", "foregroundDeletion"):
            errs.append(invalid_value("spec.finalizers", fin, "name is neither a standard "
                                      "finalizer name nor is it fully qualified"))
    return errs


def validate_namespace_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    return validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))


def validate_namespace_status_update(new: dict[str, Any],
                                     old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    phase = _d(new.get("status")).get("phase", "")
    if not _d(new.get("metadata")).get("deletionTimestamp"):
        if phase != "Active":
            errs.append(invalid_value("status.Phase", phase, "may only be 'Active' if "
                                      "`deletionTimestamp` is empty"))
    elif phase != "Terminating":
        errs.append(invalid_value("status.Phase", phase, "may only be 'Terminating' if "
                                  "`deletionTimestamp` is not empty"))
    return errs


def _validate_node_taints(taints: Any, path: str) -> Errs:
    errs: Errs = []
    unique: dict[str, set[str]] = {}
    for i, taint in enumerate(_l(taints)):
        taint = _d(taint)
        p = f"{path}[{i}]"
        key = str(taint.get("key", ""))
        errs.extend(validate_label_name(key, f"{p}.key"))
        value = str(taint.get("value") or "")
        msgs = is_valid_label_value(value)
        if msgs:
            errs.append(invalid_value(f"{p}.value", value, ";".join(msgs)))
        effect = taint.get("effect") or ""
        if not effect:
            errs.append(required(f"{p}.effect"))
        elif effect not in _TAINT_EFFECTS:
            errs.append(unsupported(f"{p}.effect", effect, _TAINT_EFFECTS))
        if key in unique.get(effect, set()):
            go = go_struct([("Key", key), ("Value", value), ("Effect", effect),
                            ("TimeAdded", taint.get("timeAdded"))])
            errs.append(FieldError("Duplicate value", p, go,
                                   "taints must be unique by key and effect pair"))
            continue
        unique.setdefault(effect, set()).add(key)
    return errs


def _validate_node_resources(node: Obj) -> Errs:
    errs: Errs = []
    status = _d(node.get("status"))
    for section in ("capacity", "allocatable"):
        # A heartbeat keeps the very same (never mutated) maps.
        errs.extend(_memo(_validate_resource_values, status.get(section), f"status.{section}"))
    return errs


def _validate_resource_values(values: Any, path: str) -> Errs:
    errs: Errs = []
    values = _d(values)
    for name in sorted(values):
        errs.extend(validate_resource_quantity_value(name, values[name], f"{path}.{name}"))
    return errs


def _valid_cidr(path: str, value: str) -> Errs:
    try:
        ipaddress.ip_network(value, strict=False)
        if "/" not in value:
            raise ValueError
    except ValueError:
        return [invalid_value(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or "
                              "2001:db8::/64)")]
    return []


def validate_node(node: dict[str, Any]) -> list[FieldError]:
    """``ValidateNode`` (taint errors are reported under ``metadata.taints`` upstream)."""
    errs = validate_object_meta(_d(node.get("metadata")), namespaced=False)
    spec = _d(node.get("spec"))
    if _l(spec.get("taints")):
        errs.extend(_validate_node_taints(spec["taints"], "metadata.taints"))
    errs.extend(_validate_node_resources(node))
    cidrs = _l(spec.get("podCIDRs"))
    for i, cidr in enumerate(cidrs):
        errs.extend(_valid_cidr(f"spec.podCIDRs[{i}]", str(cidr)))
    return errs


def validate_node_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateNodeUpdate``: podCIDR and providerID may only go from empty to set."""
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    errs.extend(_validate_node_resources(new))
    seen: list[Any] = []
    for i, addr in enumerate(_l(_d(new.get("status")).get("addresses"))):
        if addr in seen:
            errs.append(duplicate(f"status.addresses[{i}]", go_struct(
                [("Type", _d(addr).get("type", "")), ("Address", _d(addr).get("address", ""))])))
        seen.append(addr)
    nspec, ospec = _d(new.get("spec")), _d(old.get("spec"))
    ocidrs, ncidrs = _l(ospec.get("podCIDRs")), _l(nspec.get("podCIDRs"))
    if ocidrs:
        message = "node updates may not change podCIDR except from \"\" to valid"
        if len(ocidrs) != len(ncidrs):
            errs.append(forbidden_field("spec.podCIDRs", message))
        else:
            for i, value in enumerate(ocidrs):
                if value != ncidrs[i]:
                    errs.append(forbidden_field("spec.podCIDRs", message))
    if ospec.get("providerID") and ospec.get("providerID") != nspec.get("providerID"):
        errs.append(forbidden_field("spec.providerID", "node updates may not change providerID "
                                    "except from \"\" to valid"))
    if _l(nspec.get("taints")):
        errs.extend(_validate_node_taints(nspec["taints"], "metadata.taints"))
    if nspec.get("externalID") != ospec.get("externalID"):
        errs.append(forbidden_field("spec.externalID", "may not be updated"))
    return errs


# ============================================================================ config and secrets

def _size(value: Any) -> int:
    return len(value.encode()) if isinstance(value, str) else 0


def validate_config_map(cm: dict[str, Any]) -> list[FieldError]:
    """``ValidateConfigMap``."""
    errs = validate_object_meta(_d(cm.get("metadata")), namespaced=True)
    data, binary = _d(cm.get("data")), _d(cm.get("binaryData"))
    total = 0
    for key in sorted(data):
        errs.extend(invalid_value(_key("data", key), key, m) for m in is_config_map_key(key))
        if key in binary:
            errs.append(invalid_value(_key("data", key), key,
                                      "duplicate of key present in binaryData"))
        total += _size(data[key])
    for key in sorted(binary):
        errs.extend(invalid_value(_key("binaryData", key), key, m)
                    for m in is_config_map_key(key))
        total += len(_b64(binary[key]))
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("[]", MAX_SECRET_SIZE))
    return errs


def _b64(value: Any) -> bytes:
    try:
        return base64.b64decode(str(value))
    except ValueError:
        return b""


def validate_config_map_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(forbidden_field("immutable", "field is immutable when `immutable` is "
                                        "set"))
        for key in ("data", "binaryData"):
            if not semantic_equal(new.get(key), old.get(key)):
                errs.append(forbidden_field(key, "field is immutable when `immutable` is set"))
    return errs + validate_config_map(new)


def validate_secret(secret: dict[str, Any]) -> list[FieldError]:
    """``ValidateSecret``."""
    meta = _d(secret.get("metadata"))
    errs = validate_object_meta(meta, namespaced=True)
    data = _d(secret.get("data"))
    total = 0
    for key in sorted(data):
        errs.extend(invalid_value(_key("data", key), key, m) for m in is_config_map_key(key))
        total += len(_b64(data[key]))
    if total > MAX_SECRET_SIZE:
        errs.append(too_long("data", MAX_SECRET_SIZE))
    stype = secret.get("type") or ""
    annotations = _d(meta.get("annotations"))
    if stype == "kubernetes.io/service-account-token":
        if not annotations.get("kubernetes.io/service-account.name"):
            errs.append(required(_key("metadata.annotations",
                                      "kubernetes.io/service-account.name")))
    elif stype == "kubernetes.io/dockercfg":
        if ".dockercfg" not in data:
            errs.append(required(_key("data", ".dockercfg")))
    elif stype == "kubernetes.io/dockerconfigjson":
        if ".dockerconfigjson" not in data:
            errs.append(required(_key("data", ".dockerconfigjson")))
    elif stype == "kubernetes.io/basic-auth":
        if "username" not in data and "password" not in data:
            errs.append(required(_key("data", "username")))
            errs.append(required(_key("data", "password")))
    elif stype == "kubernetes.io/ssh-auth":
        if not _b64(data.get("ssh-privatekey", "")):
            errs.append(required(_key("data", "ssh-privatekey")))
    elif stype == "kubernetes.io/tls":
        if "tls.crt" not in data:
            errs.append(required(_key("data", "tls.crt")))
        if "tls.key" not in data:
            errs.append(required(_key("data", "tls.key")))
    return errs


def validate_secret_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    errs.extend(validate_immutable(new.get("type", ""), old.get("type", ""), "type"))
    if old.get("immutable") is True:
        if new.get("immutable") is not True:
            errs.append(forbidden_field("immutable", "field is immutable when `immutable` is "
                                        "set"))
        if not semantic_equal(new.get("data"), old.get("data")):
            errs.append(forbidden_field("data", "field is immutable when `immutable` is set"))
    return errs + validate_secret(new)


def validate_service_account(sa: dict[str, Any]) -> list[FieldError]:
    return validate_object_meta(_d(sa.get("metadata")), namespaced=True)


def validate_service_account_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    return errs + validate_service_account(new)


# ============================================================================ endpoints

def validate_endpoints(ep: dict[str, Any]) -> list[FieldError]:
    """``ValidateEndpoints``."""
    errs = validate_object_meta(_d(ep.get("metadata")), namespaced=True)
    for i, subset in enumerate(_l(ep.get("subsets"))):
        subset = _d(subset)
        p = f"subsets[{i}]"
        if not _l(subset.get("addresses")) and not _l(subset.get("notReadyAddresses")):
            errs.append(required(p, "must specify `addresses` or `notReadyAddresses`"))
        for kind in ("addresses", "notReadyAddresses"):
            for j, addr in enumerate(_l(subset.get(kind))):
                addr = _d(addr)
                ap = f"{p}.{kind}[{j}]"
                ip = str(addr.get("ip", ""))
                errs.extend(is_valid_ip(f"{ap}.ip", ip))
                if addr.get("hostname"):
                    errs.extend(_dns_label(str(addr["hostname"]), f"{ap}.hostname"))
                if addr.get("nodeName") is not None:
                    errs.extend(invalid_value(f"{ap}.nodeName", addr["nodeName"], m)
                                for m in name_is_dns_subdomain(str(addr["nodeName"])))
                errs.extend(_non_special_ip(ip, f"{ap}.ip"))
        ports = _l(subset.get("ports"))
        for j, port in enumerate(ports):
            port = _d(port)
            pp = f"{p}.ports[{j}]"
            if len(ports) > 1 and not port.get("name"):
                errs.append(required(f"{pp}.name"))
            elif port.get("name"):
                errs.extend(_dns_label(str(port["name"]), f"{pp}.name"))
            number = _int(port.get("port"))
            errs.extend(invalid_value(f"{pp}.port", number, m) for m in is_valid_port_num(number))
            proto = port.get("protocol") or ""
            if not proto:
                errs.append(required(f"{pp}.protocol"))
            elif proto not in _SUPPORTED_PROTOCOLS:
                errs.append(unsupported(f"{pp}.protocol", proto, _SUPPORTED_PROTOCOLS))
    return errs


def validate_endpoints_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    return errs + validate_endpoints(new)


# ============================================================================ quota and limits

_QUOTA_RESOURCES = (*_STANDARD_RESOURCES, "requests.storage")


def _validate_quota_resource_name(name: str, path: str) -> Errs:
    errs = _validate_resource_name(name, path)
    if "/" not in name and name not in _QUOTA_RESOURCES and not _is_hugepages(name):
        errs.append(invalid_value(path, name, "must be a standard resource for quota"))
    return errs


def validate_resource_quota(rq: dict[str, Any]) -> list[FieldError]:
    """``ValidateResourceQuota``."""
    errs = validate_object_meta(_d(rq.get("metadata")), namespaced=True)
    errs.extend(_validate_quota_spec(_d(rq.get("spec"))))
    errs.extend(_validate_quota_status(_d(rq.get("status")), "status"))
    return errs


def _validate_quota_spec(spec: Obj) -> Errs:
    errs: Errs = []
    hard = _d(spec.get("hard"))
    for name in sorted(hard):
        p = _key("spec.hard", name)
        errs.extend(_validate_quota_resource_name(name, p))
        errs.extend(validate_resource_quantity_value(name, hard[name], p))
    scopes = _l(spec.get("scopes"))
    standard_scopes = ("Terminating", "NotTerminating", "BestEffort", "NotBestEffort",
                       "PriorityClass", "CrossNamespacePodAffinity",
                       "VolumeAttributesClass")
    for scope in scopes:
        if scope not in standard_scopes:
            errs.append(invalid_value("spec.scopes", scopes, "unsupported scope"))
    if {"BestEffort", "NotBestEffort"} <= set(scopes) or \
            {"Terminating", "NotTerminating"} <= set(scopes):
        errs.append(invalid_value("spec.scopes", scopes, "conflicting scopes"))
    return errs


def _validate_quota_status(status: Obj, path: str) -> Errs:
    errs: Errs = []
    for section in ("hard", "used"):
        values = _d(status.get(section))
        for name in sorted(values):
            p = _key(f"{path}.{section}", name)
            errs.extend(_validate_quota_resource_name(name, p))
            errs.extend(validate_resource_quantity_value(name, values[name], p))
    return errs


def validate_resource_quota_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    errs.extend(_validate_quota_spec(_d(new.get("spec"))))
    nscopes = _l(_d(new.get("spec")).get("scopes"))
    if set(nscopes) != set(_l(_d(old.get("spec")).get("scopes"))):
        errs.append(invalid_value("spec.scopes", nscopes, FIELD_IMMUTABLE_ERROR_MSG))
    return errs


def validate_resource_quota_status_update(new: dict[str, Any],
                                          old: dict[str, Any]) -> list[FieldError]:
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    return errs + _validate_quota_status(_d(new.get("status")), "status")


def validate_limit_range(lr: dict[str, Any]) -> list[FieldError]:
    """``ValidateLimitRange``."""
    errs = validate_object_meta(_d(lr.get("metadata")), namespaced=True)
    types: set[str] = set()
    for i, limit in enumerate(_l(_d(lr.get("spec")).get("limits"))):
        limit = _d(limit)
        p = f"spec.limits[{i}]"
        ltype = str(limit.get("type") or "")
        type_errs = [invalid_value(f"{p}.type", ltype, m) for m in is_qualified_name(ltype)]
        if not type_errs and "/" not in ltype and ltype not in (
                "Pod", "Container", "PersistentVolumeClaim"):
            type_errs.append(invalid_value(f"{p}.type", ltype, "must be a standard limit type "
                                           "or fully qualified"))
        errs.extend(type_errs)
        if ltype in types:
            errs.append(duplicate(f"{p}.type", ltype))
        types.add(ltype)
        sections: dict[str, Obj] = {}
        for section in ("max", "min", "default", "defaultRequest", "maxLimitRequestRatio"):
            values = _d(limit.get(section))
            if ltype == "Pod" and section in ("default", "defaultRequest"):
                if values:
                    errs.append(forbidden_field(f"{p}.{section}", "may not be specified when "
                                                "`type` is 'Pod'"))
                continue
            sections[section] = values
            for name in sorted(values):
                rp = _key(f"{p}.{section}", name)
                if ltype in ("Pod", "Container"):
                    errs.extend(_validate_container_resource_name(name, rp))
                else:
                    errs.extend(_validate_resource_name(name, rp))
        if ltype == "PersistentVolumeClaim" and "storage" not in sections["min"] and \
                "storage" not in sections["max"]:
            errs.append(required(f"{p}.limits", "either minimum or maximum storage value is "
                                 "required, but neither was provided"))
        keys = sorted(set().union(*[set(v) for v in sections.values()]))
        for name in keys:
            mn = sections["min"].get(name)
            mx = sections["max"].get(name)
            df = sections.get("default", {}).get(name)
            dr = sections.get("defaultRequest", {}).get(name)
            q = {k: _quantity(v) for k, v in (("min", mn), ("max", mx), ("default", df),
                                               ("req", dr))}
            if mn is not None and mx is not None and q["min"] > q["max"]:
                errs.append(invalid_value(_key(f"{p}.min", name), _qstr(mn),
                                          f"min value {_qstr(mn)} is greater than max value "
                                          f"{_qstr(mx)}"))
            if dr is not None and mn is not None and q["min"] > q["req"]:
                errs.append(invalid_value(_key(f"{p}.defaultRequest", name), _qstr(dr),
                                          f"min value {_qstr(mn)} is greater than default "
                                          f"request value {_qstr(dr)}"))
            if dr is not None and mx is not None and q["req"] > q["max"]:
                errs.append(invalid_value(_key(f"{p}.defaultRequest", name), _qstr(dr),
                                          f"default request value {_qstr(dr)} is greater than "
                                          f"max value {_qstr(mx)}"))
            if dr is not None and df is not None and q["req"] > q["default"]:
                errs.append(invalid_value(_key(f"{p}.defaultRequest", name), _qstr(dr),
                                          f"default request value {_qstr(dr)} is greater than "
                                          f"default limit value {_qstr(df)}"))
            if df is not None and mn is not None and q["min"] > q["default"]:
                errs.append(invalid_value(_key(f"{p}.default", name), _qstr(mn),
                                          f"min value {_qstr(mn)} is greater than default value "
                                          f"{_qstr(df)}"))
            if df is not None and mx is not None and q["default"] > q["max"]:
                errs.append(invalid_value(_key(f"{p}.default", name), _qstr(mx),
                                          f"default value {_qstr(df)} is greater than max value "
                                          f"{_qstr(mx)}"))
            ratio = sections["maxLimitRequestRatio"].get(name)
            if ratio is not None and (_quantity(ratio) or 0) < 1:
                errs.append(invalid_value(_key(f"{p}.maxLimitRequestRatio", name), _qstr(ratio),
                                          f"ratio {_qstr(ratio)} is less than 1"))
    return errs


# ============================================================================ storage

_ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]


def _validate_access_modes(modes: list[Any], path: str) -> Errs:
    errs: Errs = []
    if not modes:
        errs.append(required(path, "at least 1 access mode is required"))
    for mode in modes:
        if mode not in _ACCESS_MODES:
            errs.append(unsupported(path, mode, _ACCESS_MODES))
    if "ReadWriteOncePod" in modes and any(m != "ReadWriteOncePod" and m in _ACCESS_MODES
                                           for m in modes):
        errs.append(forbidden_field(path, "may not use ReadWriteOncePod with other access "
                                    "modes"))
    return errs


def validate_persistent_volume_claim(pvc: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolumeClaim``."""
    errs = validate_object_meta(_d(pvc.get("metadata")), namespaced=True)
    spec = _d(pvc.get("spec"))
    errs.extend(_validate_access_modes(_l(spec.get("accessModes")), "spec.accessModes"))
    if spec.get("selector") is not None:
        errs.extend(validate_label_selector(spec["selector"], "spec.selector"))
    requests = _d(_d(spec.get("resources")).get("requests"))
    sp = "spec.resources[storage]"
    if "storage" not in requests:
        errs.append(required(sp))
    else:
        amount = _quantity(requests["storage"])
        if amount is not None and amount <= 0:
            errs.append(invalid_value(sp, _qstr(requests["storage"]), IS_NOT_POSITIVE_ERROR_MSG))
    if spec.get("storageClassName"):
        errs.extend(_dns_subdomain(str(spec["storageClassName"]), "spec.storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in ("Block", "Filesystem"):
        errs.append(unsupported("spec.volumeMode", mode, ["Block", "Filesystem"]))
    return errs


def validate_persistent_volume_claim_update(new: dict[str, Any],
                                            old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolumeClaimUpdate``: the spec is immutable except the storage
    request of a bound claim and, once, ``volumeName``."""
    errs = validate_object_meta_update(_d(new.get("metadata")), _d(old.get("metadata")))
    errs.extend(validate_persistent_volume_claim(new))
    nspec, ospec = dict(_d(new.get("spec"))), dict(_d(old.get("spec")))
    if not ospec.get("volumeName"):
        ospec["volumeName"] = nspec.get("volumeName")
    bound = _d(new.get("status")).get("phase") == "Bound"
    if bound:
        nres = dict(_d(nspec.get("resources")))
        nreq = dict(_d(nres.get("requests")))
        if "storage" in _d(_d(ospec.get("resources")).get("requests")):
            nreq["storage"] = _d(_d(ospec.get("resources")).get("requests"))["storage"]
        nres["requests"] = nreq
        nspec["resources"] = nres
    if not semantic_equal(nspec, ospec):
        from .diff import struct_diff

        errs.append(forbidden_field(
            "spec", "spec is immutable after creation except resources.requests and "
            "volumeAttributesClassName for bound claims\n"
            + struct_diff("core.PersistentVolumeClaimSpec", ospec, nspec)))
    old_size = _quantity(_d(_d(_d(old.get("spec")).get("resources")).get("requests")).get(
        "storage", 0))
    new_size = _quantity(_d(_d(_d(new.get("spec")).get("resources")).get("requests")).get(
        "storage", 0))
    if old_size is not None and new_size is not None and new_size < old_size:
        errs.append(forbidden_field("spec.resources.requests.storage", "field can not be less "
                                    "than status.capacity"))
    return errs


_PV_SOURCES = ("hostPath", "nfs", "local", "csi", "iscsi", "rbd", "cephfs", "fc", "flexVolume",
               "azureFile", "azureDisk", "glusterfs", "cinder", "gcePersistentDisk",
               "awsElasticBlockStore", "vsphereVolume", "portworxVolume", "scaleIO",
               "storageos", "photonPersistentDisk", "quobyte", "flocker")


def validate_persistent_volume(pv: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolume`` (the checks a learner's hostPath/nfs/local PV meets)."""
    errs = validate_object_meta(_d(pv.get("metadata")), namespaced=False)
    spec = _d(pv.get("spec"))
    errs.extend(_validate_access_modes(_l(spec.get("accessModes")), "spec.accessModes"))
    capacity = _d(spec.get("capacity"))
    if not capacity:
        errs.append(required("spec.capacity"))
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(unsupported("spec.capacity", GoValue(go_json(sorted(capacity))), ["storage"]))
    for name in sorted(capacity):
        errs.extend(validate_resource_quantity_value(name, capacity[name],
                                                     _key("spec.capacity", name)))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy and policy not in ("Delete", "Recycle", "Retain"):
        errs.append(unsupported("spec.persistentVolumeReclaimPolicy", policy,
                                ["Delete", "Recycle", "Retain"]))
    count = 0
    for source in _PV_SOURCES:
        if spec.get(source) is None:
            continue
        if count > 0:
            errs.append(forbidden_field(f"spec.{source}", "may not specify more than 1 volume "
                                        "type"))
            continue
        count += 1
        src = _d(spec[source])
        if source == "hostPath":
            if not src.get("path"):
                errs.append(required("spec.hostPath.path"))
            else:
                errs.extend(_validate_path_no_backsteps(src["path"], "spec.hostPath.path"))
        elif source == "local":
            if not src.get("path"):
                errs.append(required("spec.local.path"))
        elif source == "nfs":
            if not src.get("server"):
                errs.append(required("spec.nfs.server"))
            if not src.get("path"):
                errs.append(required("spec.nfs.path"))
    if count == 0:
        errs.append(required("spec", "must specify a volume type"))
    return errs


# ============================================================================ events, leases

def validate_event(event: dict[str, Any]) -> list[FieldError]:
    """``ValidateEventCreate`` for core/v1 Events (the legacy shape)."""
    # Every component writes ~5 Events per pod: the two maps are read without _d's calls.
    meta = event.get("metadata")
    if not isinstance(meta, dict):
        meta = {}
    # A recorder's Event arrives with a fresh name in one of a few namespaces and nothing
    # else in its metadata. Of such metadata validate_object_meta checks only that the name
    # is a DNS subdomain and the namespace a DNS label: a namespace it accepted before (in
    # VALID_NAMESPACES, which it fills) is not checked again. Errors always come from the full
    # check.
    name, namespace = meta.get("name"), meta.get("namespace")
    if (len(meta) == 2 and type(namespace) is str and namespace in VALID_NAMESPACES
            and name and not is_dns1123_subdomain(name)):
        errs: list[FieldError] = []
    else:
        errs = validate_object_meta(meta, namespaced=True)
    involved = event.get("involvedObject")
    involved_ns = involved.get("namespace") if isinstance(involved, dict) else None
    # The namespace read above (None when missing, where upstream reads ""): a truthy
    # involvedObject namespace differs from both alike.
    if involved_ns and involved_ns != namespace:
        errs.append(invalid_value("involvedObject.namespace", involved_ns,
                                  "does not match event.namespace"))
    return errs


def validate_lease(lease: dict[str, Any]) -> list[FieldError]:
    """``ValidateLease`` (coordination.k8s.io)."""
    # Renewals keep the metadata's values: its verdict is remembered.
    errs = validate_object_meta_remembered(_d(lease.get("metadata")), namespaced=True)
    spec = _d(lease.get("spec"))
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and _int(duration) < 1:
        errs.append(invalid_value("spec.leaseDurationSeconds", _int(duration),
                                  "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if transitions is not None and _int(transitions) < 0:
        errs.append(invalid_value("spec.leaseTransitions", _int(transitions),
                                  IS_NEGATIVE_ERROR_MSG))
    return errs

