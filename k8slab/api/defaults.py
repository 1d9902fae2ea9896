"""API defaulting shared across groups: PodSpec and everything inside it.

Models ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_PodSpec``, ``SetDefaults_Container``,
``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``, ``SetDefaults_Volume`` and the volume
sources, ``SetDefaults_Pod``, ``SetDefaults_ResourceList``) plus the declarative ``+default``
markers of ``k8s.io/api/core/v1`` (container port protocol ``TCP``, gRPC probe service ``""``).
The PodSpec defaults also apply inside pod templates (Deployment, ReplicaSet, DaemonSet, Job…),
which is why ``kubectl get deploy -o yaml`` shows ``dnsPolicy: ClusterFirst`` in the template.

Go treats an empty string like a missing field, so "unset" here means missing, ``null`` or
``""``. Resource quantities are rounded up to milli precision and stored in canonical form
(``0.5`` → ``500m``, ``1024Mi`` → ``1Gi``), as the apiserver's round trip through
``resource.Quantity`` does.

Functions mutate the dict they are given; the apiserver only calls them on its private copy of
a request body.
"""

from __future__ import annotations

import math
from typing import Any

from . import quantity

__all__ = [
    "default_container",
    "default_pod",
    "default_pod_spec",
    "default_pod_template",
    "default_probe",
    "default_resource_list",
    "image_pull_policy",
]

Obj = dict[str, Any]


def _unset(obj: Obj, key: str) -> bool:
    return obj.get(key) in (None, "")


def _default(obj: Obj, key: str, value: Any) -> None:
    if _unset(obj, key):
        obj[key] = value


def image_pull_policy(image: str) -> str:
    """``Always`` when the tag is ``latest`` — including no tag and no digest, which
    ``parsers.ParseImageName`` reads as ``latest`` — else ``IfNotPresent``."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def _round_quantity(value: Any) -> Any:
    """``SetDefaults_ResourceList``: round up to milli scale, then the canonical string."""
    if isinstance(value, bool):
        return value
    try:
        amount = quantity.parse(value)
    except (ValueError, TypeError):
        return value
    if (amount * 1000).denominator != 1:
        return quantity.canonical(f"{math.ceil(amount * 1000)}m")
    try:
        return quantity.canonical(value)
    except (ValueError, TypeError):
        return value


def default_resource_list(resources: Any) -> Any:
    """A ResourceList with canonical quantities (a new dict; ``None`` stays ``None``)."""
    if not isinstance(resources, dict):
        return resources
    return {name: _round_quantity(v) for name, v in resources.items()}


def _default_http_get(http: Any) -> None:
    if isinstance(http, dict):
        _default(http, "path", "/")
        _default(http, "scheme", "HTTP")


def default_probe(probe: Obj | None) -> None:
    if not isinstance(probe, dict):
        return
    for key, value in (("timeoutSeconds", 1), ("periodSeconds", 10), ("successThreshold", 1),
                       ("failureThreshold", 3)):
        if probe.get(key) in (None, 0):
            probe[key] = value
    _default_http_get(probe.get("httpGet"))
    grpc = probe.get("grpc")
    if isinstance(grpc, dict) and grpc.get("service") is None:
        grpc["service"] = ""


def _default_env(env: Any) -> None:
    for var in env if isinstance(env, list) else []:
        ref = (var.get("valueFrom") or {}).get("fieldRef") if isinstance(var, dict) else None
        if isinstance(ref, dict):
            _default(ref, "apiVersion", "v1")


def default_container(container: Obj) -> None:
    """``SetDefaults_Container`` and the defaults of everything a container holds."""
    if not isinstance(container, dict):
        return
    if _unset(container, "imagePullPolicy"):
        container["imagePullPolicy"] = image_pull_policy(str(container.get("image") or ""))
    _default(container, "terminationMessagePath", "/dev/termination-log")
    _default(container, "terminationMessagePolicy", "File")
    resources = container.get("resources")
    if not isinstance(resources, dict):
        container["resources"] = {}
    else:
        for key in ("limits", "requests"):
            if isinstance(resources.get(key), dict):
                resources[key] = default_resource_list(resources[key])
    for port in container.get("ports") or []:
        if isinstance(port, dict):
            _default(port, "protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(container.get(probe))
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        for hook in ("postStart", "preStop"):
            if isinstance(lifecycle.get(hook), dict):
                _default_http_get(lifecycle[hook].get("httpGet"))
    _default_env(container.get("env"))


_MODE = 420  # 0644

_VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret",
    "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "flexVolume", "cinder",
    "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
    "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO",
    "storageos", "csi", "ephemeral", "image",
)


def _default_volume(volume: Obj) -> None:
    if not isinstance(volume, dict):
        return
    if all(volume.get(k) is None for k in _VOLUME_SOURCES):
        # SetDefaults_Volume: a volume with no source is an emptyDir.
        volume["emptyDir"] = {}
    for source in ("configMap", "secret", "projected", "downwardAPI"):
        src = volume.get(source)
        if isinstance(src, dict) and src.get("defaultMode") is None:
            src["defaultMode"] = _MODE
    if isinstance(volume.get("emptyDir"), dict) and "sizeLimit" in volume["emptyDir"]:
        volume["emptyDir"]["sizeLimit"] = _round_quantity(volume["emptyDir"]["sizeLimit"])
    host = volume.get("hostPath")
    if isinstance(host, dict) and host.get("type") is None:
        host["type"] = ""
    projected = volume.get("projected")
    if isinstance(projected, dict):
        for projection in projected.get("sources") or []:
            if not isinstance(projection, dict):
                continue
            token = projection.get("serviceAccountToken")
            if isinstance(token, dict) and token.get("expirationSeconds") is None:
                token["expirationSeconds"] = 3600
            for item in (projection.get("downwardAPI") or {}).get("items") or []:
                if isinstance(item, dict) and isinstance(item.get("fieldRef"), dict):
                    _default(item["fieldRef"], "apiVersion", "v1")
    dapi = volume.get("downwardAPI")
    if isinstance(dapi, dict):
        for item in dapi.get("items") or []:
            if isinstance(item, dict) and isinstance(item.get("fieldRef"), dict):
                _default(item["fieldRef"], "apiVersion", "v1")


def default_pod_spec(spec: Obj) -> None:
    """``SetDefaults_PodSpec`` plus the container- and volume-level defaults."""
    if not isinstance(spec, dict):
        return
    _default(spec, "dnsPolicy", "ClusterFirst")
    _default(spec, "restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    _default(spec, "schedulerName", "default-scheduler")
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or []:
            default_container(container)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)
    if isinstance(spec.get("overhead"), dict):
        spec["overhead"] = default_resource_list(spec["overhead"])


def default_pod_template(template: Obj | None) -> None:
    """Defaults inside a ``PodTemplateSpec`` (the template's metadata gets none)."""
    if not isinstance(template, dict):
        return
    default_pod_spec(template.get("spec") or {})


def default_pod(pod: Obj) -> None:
    """``SetDefaults_Pod``: the PodSpec defaults plus pod-only ones (requests from limits,
    ``enableServiceLinks``, host ports under ``hostNetwork``)."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            resources = container.get("resources") if isinstance(container, dict) else None
            if not isinstance(resources, dict):
                continue
            limits = resources.get("limits")
            if isinstance(limits, dict) and limits:
                requests = dict(resources.get("requests") or {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
                resources["requests"] = requests
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or []:
                for port in (container.get("ports") or []) if isinstance(container, dict) else []:
                    if isinstance(port, dict) and not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
