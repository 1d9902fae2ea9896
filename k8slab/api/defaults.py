"""API defaulting shared across groups: PodSpec and everything inside it.

Models ``pkg/apis/core/v1/defaults.go`` (``SetDefaults_PodSpec``, ``SetDefaults_Container``,
``SetDefaults_Probe``, ``SetDefaults_HTTPGetAction``, volume sources, ``SetDefaults_Pod``). The
PodSpec defaults also apply inside pod templates (Deployment, ReplicaSet, DaemonSet, Job…),
which is why ``kubectl get deploy -o yaml`` shows ``dnsPolicy: ClusterFirst`` in the template.

Functions mutate the dict they are given; the apiserver only calls them on its private copy of
a request body.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "default_container",
    "default_pod",
    "default_pod_spec",
    "default_pod_template",
    "default_probe",
    "image_pull_policy",
]

Obj = dict[str, Any]


def image_pull_policy(image: str) -> str:
    """``Always`` for ``:latest`` or an untagged image without a digest, else ``IfNotPresent``."""
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def default_probe(probe: Obj | None) -> None:
    if not isinstance(probe, dict):
        return
    probe.setdefault("timeoutSeconds", 1)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("failureThreshold", 3)
    http = probe.get("httpGet")
    if isinstance(http, dict):
        if not http.get("path"):
            http["path"] = "/"
        http.setdefault("scheme", "HTTP")
    grpc = probe.get("grpc")
    if isinstance(grpc, dict):
        grpc.setdefault("service", "")


def default_container(container: Obj) -> None:
    if not isinstance(container, dict):
        return
    if not container.get("imagePullPolicy") and container.get("image"):
        container["imagePullPolicy"] = image_pull_policy(str(container["image"]))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    if container.get("resources") is None:
        container["resources"] = {}
    for port in container.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("protocol", "TCP")
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(container.get(probe))
    for env in container.get("env") or []:
        ref = (env.get("valueFrom") or {}).get("fieldRef") if isinstance(env, dict) else None
        if isinstance(ref, dict):
            ref.setdefault("apiVersion", "v1")


_MODE = 420  # 0644


def _default_volume(volume: Obj) -> None:
    if not isinstance(volume, dict):
        return
    for source in ("configMap", "secret", "projected", "downwardAPI"):
        src = volume.get(source)
        if isinstance(src, dict):
            src.setdefault("defaultMode", _MODE)
    if isinstance(volume.get("emptyDir"), type(None)) and "emptyDir" in volume:
        volume["emptyDir"] = {}
    host = volume.get("hostPath")
    if isinstance(host, dict):
        host.setdefault("type", "")
    if not any(k for k in volume if k != "name"):
        volume["emptyDir"] = {}


def default_pod_spec(spec: Obj) -> None:
    """``SetDefaults_PodSpec`` plus the container-level defaults."""
    if not isinstance(spec, dict):
        return
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("restartPolicy", "Always")
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("schedulerName", "default-scheduler")
    for key in ("initContainers", "containers", "ephemeralContainers"):
        for container in spec.get(key) or []:
            default_container(container)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)


def default_pod_template(template: Obj | None) -> None:
    """Defaults inside a ``PodTemplateSpec`` (the template's metadata gets none)."""
    if not isinstance(template, dict):
        return
    default_pod_spec(template.get("spec") or {})


def default_pod(pod: Obj) -> None:
    """``SetDefaults_Pod``: the PodSpec defaults plus pod-only ones."""
    spec = pod.get("spec")
    if not isinstance(spec, dict):
        return
    default_pod_spec(spec)
    spec.setdefault("enableServiceLinks", True)
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            resources = container.get("resources") if isinstance(container, dict) else None
            if not isinstance(resources, dict):
                continue
            limits = resources.get("limits") or {}
            if limits:
                requests = dict(resources.get("requests") or {})
                for name, value in limits.items():
                    requests.setdefault(name, value)
                resources["requests"] = requests
