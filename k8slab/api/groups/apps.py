"""The apps/v1 API group: Deployment, ReplicaSet, DaemonSet, StatefulSet, ControllerRevision.

Models ``pkg/apis/apps/v1/defaults.go`` (``SetDefaults_Deployment``, ``_ReplicaSet``,
``_DaemonSet``, ``_StatefulSet`` plus the PodSpec defaults inside every template),
``pkg/apis/apps/validation/validation.go`` (:mod:`k8slab.api.validation.apps`) and the REST
strategies in ``pkg/registry/apps/{deployment,replicaset,daemonset,statefulset}/strategy.go``:

- ``status`` is a subresource: a create starts from an empty status (``status: {}`` for a
  Deployment, ``status: {replicas: 0}`` for a ReplicaSet, whose ``replicas`` has no
  ``omitempty``), and a plain update keeps the stored status;
- ``metadata.generation`` starts at 1 and grows with every spec change — for a Deployment also
  with every annotation change, "because annotations are copied from deployments to their
  replica sets" (deployment strategy ``PrepareForUpdate``);
- the Deployment status strategy only resets spec and labels, so the deployment controller
  writes its ``deployment.kubernetes.io/revision`` annotation through ``…/status``.

The pod template's ``metadata`` gets no ``creationTimestamp: null``: a 1.35+ server and kubectl
1.37 (``create deployment --dry-run=client -o yaml``) both omit it.
"""

from __future__ import annotations

from typing import Any

from ..defaults import default_pod_template
from ..registry import Strategy, register
from ..store import APIServer
from ..validation import apps as validation

__all__ = [
    "default_daemon_set",
    "default_deployment",
    "default_replica_set",
    "default_stateful_set",
    "deployment_digest",
    "install",
    "replica_set_digest",
]

Obj = dict[str, Any]

REVISION_ANNOTATION = "deployment.kubernetes.io/revision"


# ----------------------------------------------------------------- defaults (apps/v1)


def _spec(obj: Obj) -> Obj:
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        spec = {}
        obj["spec"] = spec
    return spec


def default_deployment(obj: Obj) -> None:
    """``SetDefaults_Deployment``."""
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = {}
        spec["strategy"] = strategy
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = {}
            strategy["rollingUpdate"] = ru
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = "25%"
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(spec.get("template"))


def default_replica_set(obj: Obj) -> None:
    """``SetDefaults_ReplicaSet``."""
    spec = _spec(obj)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.get("template"))


def default_daemon_set(obj: Obj) -> None:
    """``SetDefaults_DaemonSet``: RollingUpdate with maxUnavailable 1 and maxSurge 0."""
    spec = _spec(obj)
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = {}
        spec["updateStrategy"] = strategy
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = {}
            strategy["rollingUpdate"] = ru
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
        if ru.get("maxSurge") is None:
            ru["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    default_pod_template(spec.get("template"))


def default_stateful_set(obj: Obj) -> None:
    """``SetDefaults_StatefulSet`` (MaxUnavailableStatefulSet is beta and on since 1.35)."""
    spec = _spec(obj)
    if not spec.get("podManagementPolicy"):
        spec["podManagementPolicy"] = "OrderedReady"
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = {}
        spec["updateStrategy"] = strategy
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
        if not isinstance(strategy.get("rollingUpdate"), dict):
            strategy["rollingUpdate"] = {}
    ru = strategy.get("rollingUpdate")
    if strategy["type"] == "RollingUpdate" and isinstance(ru, dict):
        if ru.get("partition") is None:
            ru["partition"] = 0
        if ru.get("maxUnavailable") is None:
            ru["maxUnavailable"] = 1
    if not isinstance(spec.get("persistentVolumeClaimRetentionPolicy"), dict):
        spec["persistentVolumeClaimRetentionPolicy"] = {}
    policy = spec["persistentVolumeClaimRetentionPolicy"]
    policy.setdefault("whenDeleted", "Retain")
    policy.setdefault("whenScaled", "Retain")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    for claim in spec.get("volumeClaimTemplates") or []:
        if not isinstance(claim, dict):
            continue
        claim.setdefault("apiVersion", "v1")
        claim.setdefault("kind", "PersistentVolumeClaim")
        claim_spec = claim.get("spec")
        if isinstance(claim_spec, dict) and not claim_spec.get("volumeMode"):
            claim_spec["volumeMode"] = "Filesystem"
        status = claim.get("status")
        if not isinstance(status, dict):
            status = {}
            claim["status"] = status
        status.setdefault("phase", "Pending")
    default_pod_template(spec.get("template"))


# ----------------------------------------------------------------- strategy hooks


def _bump_generation_on_annotations(new: Obj, old: Obj) -> None:
    """Deployment ``PrepareForUpdate``: annotation changes bump the generation too."""
    meta = new["metadata"]
    old_meta = old.get("metadata") or {}
    if (meta.get("annotations") or {}) != (old_meta.get("annotations") or {}):
        base = old_meta.get("generation", 1)
        if meta.get("generation", base) == base:
            meta["generation"] = base + 1


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


# ----------------------------------------------------------------- trace digests


def _owner_name(obj: Obj) -> str:
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return str(ref.get("name", ""))
    return ""


def deployment_digest(obj: Obj) -> tuple[Any, ...]:
    """What the trace keeps about each Deployment write (charts of a rollout), flat."""
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    meta = obj.get("metadata") or {}
    return (
        "replicas", _int(spec.get("replicas")),
        "updated", _int(status.get("updatedReplicas")),
        "ready", _int(status.get("readyReplicas")),
        "available", _int(status.get("availableReplicas")),
        "revision", (meta.get("annotations") or {}).get(REVISION_ANNOTATION, ""),
        "generation", _int(meta.get("generation")),
        "observed", _int(status.get("observedGeneration")),
    )


def replica_set_digest(obj: Obj) -> tuple[Any, ...]:
    """What the trace keeps about each ReplicaSet write (pods per ReplicaSet over time), flat."""
    spec = obj.get("spec") or {}
    status = obj.get("status") or {}
    meta = obj.get("metadata") or {}
    return (
        "replicas", _int(spec.get("replicas")),
        "current", _int(status.get("replicas")),
        "ready", _int(status.get("readyReplicas")),
        "available", _int(status.get("availableReplicas")),
        "revision", (meta.get("annotations") or {}).get(REVISION_ANNOTATION, ""),
        "owner", _owner_name(obj),
    )


# ----------------------------------------------------------------- registration

register("apps", "Deployment", Strategy(
    default=default_deployment,
    validate=validation.validate_deployment,
    validate_update=validation.validate_deployment_update,
    validate_status_update=validation.validate_deployment_status_update,
    generation=True,
    initial_status=lambda obj: {},
    prepare_update=_bump_generation_on_annotations,
    status_metadata=("annotations",),
))

register("apps", "ReplicaSet", Strategy(
    default=default_replica_set,
    validate=validation.validate_replica_set,
    validate_update=validation.validate_replica_set_update,
    validate_status_update=validation.validate_replica_set_status_update,
    generation=True,
    initial_status=lambda obj: {"replicas": 0},
))

register("apps", "DaemonSet", Strategy(
    default=default_daemon_set,
    validate=validation.validate_daemon_set,
    validate_update=validation.validate_daemon_set_update,
    generation=True,
    initial_status=lambda obj: {"currentNumberScheduled": 0, "numberMisscheduled": 0,
                                "desiredNumberScheduled": 0, "numberReady": 0},
))

register("apps", "StatefulSet", Strategy(
    default=default_stateful_set,
    validate=validation.validate_stateful_set,
    validate_update=validation.validate_stateful_set_update,
    generation=True,
    initial_status=lambda obj: {"replicas": 0, "availableReplicas": 0},
))

register("apps", "ControllerRevision", Strategy(
    validate=validation.validate_controller_revision,
    status_subresource=False,
))


def install(api: APIServer) -> None:
    """Register trace digests for apps kinds."""
    api.digests["Deployment"] = deployment_digest
    api.digests["ReplicaSet"] = replica_set_digest
