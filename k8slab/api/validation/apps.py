"""Validation of the apps/v1 API group (``pkg/apis/apps/validation/validation.go``).

Deployment and ReplicaSet follow upstream field by field, in upstream order, with upstream's
messages — including its quirks: a ReplicaSet with an empty selector is told the selector "is
invalid for deployment". Bad values are rendered as ``field.Error`` does since apimachinery
1.31 (see :func:`k8slab.api.errors.go_repr`): maps, selectors and ``IntOrString`` through
``json.Marshal`` (``{"matchLabels":{"app":"web"}}``, ``"25%"``, ``0``).

DaemonSet and StatefulSet get the checks a learner can trip over (selector, template labels,
restart policy, strategy types, non-negative counts).

The pod template itself is checked by :func:`k8slab.api.validation.core.validate_pod_template_spec`.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import (
    FieldError,
    GoValue,
    forbidden_field,
    go_json,
    invalid_value,
    required,
    unsupported,
)
from ..selectors import from_label_selector
from . import core as core_validation
from .meta import (
    semantic_equal,
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)

__all__ = [
    "go_label_selector",
    "validate_controller_revision",
    "validate_daemon_set",
    "validate_daemon_set_update",
    "validate_deployment",
    "validate_deployment_status_update",
    "validate_deployment_update",
    "validate_replica_set",
    "validate_replica_set_status_update",
    "validate_replica_set_update",
    "validate_stateful_set",
    "validate_stateful_set_update",
]

Obj = dict[str, Any]

# apimachinery/pkg/api/validation: isNegativeErrorMsg, fieldImmutableErrorMsg
_NEGATIVE = "must be greater than or equal to 0"
_IMMUTABLE = "field is immutable"
_PERCENT_FMT = "[0-9]+%"
_PERCENT = re.compile("^" + _PERCENT_FMT + "$")


# ----------------------------------------------------------------- Go value rendering


def go_label_selector(sel: dict[str, Any] | None) -> GoValue:
    """A ``metav1.LabelSelector`` as ``json.Marshal`` prints it in a ``field.Error``: struct
    fields in declaration order (``matchLabels`` before ``matchExpressions``), empty ones
    omitted, map keys sorted."""
    if sel is None:
        return GoValue("null")
    parts: list[str] = []
    if sel.get("matchLabels"):
        parts.append('"matchLabels":' + go_json(sel["matchLabels"]))
    exprs = sel.get("matchExpressions")
    if exprs:
        rendered = []
        for e in exprs:
            fields = [f'"key":{go_json(e.get("key", ""))}',
                      f'"operator":{go_json(e.get("operator", ""))}']
            if e.get("values"):
                fields.append('"values":' + go_json(list(e["values"])))
            rendered.append("{" + ",".join(fields) + "}")
        parts.append('"matchExpressions":[' + ",".join(rendered) + "]")
    return GoValue("{" + ",".join(parts) + "}")


# ----------------------------------------------------------------- shared helpers


def _nonnegative(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid_value(path, value, _NEGATIVE)]
    return []


def _int(value: Any, default: int = 0) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _percent_value(value: Any) -> tuple[int, bool]:
    """``getPercentValue``: (n, True) for a valid ``"n%"`` string."""
    if not isinstance(value, str) or not _PERCENT.match(value):
        return 0, False
    return int(value[:-1]), True


def _int_or_percent_value(value: Any) -> int:
    """``getIntOrPercentValue``: the percentage, or ``IntValue()`` (Atoi of a string, else 0)."""
    number, is_percent = _percent_value(value)
    if is_percent:
        return number
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            return 0
    return _int(value)


def _validate_positive_int_or_percent(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, str):
        if not _PERCENT.match(value):
            return [invalid_value(
                path, value,
                "a valid percent string must be a numeric string followed by an ending '%' "
                f"(e.g. '1%',  or '93%', regex used for validation is '{_PERCENT_FMT}')")]
        return []
    return _nonnegative(_int(value), path)


def _not_more_than_100_percent(value: Any, path: str) -> list[FieldError]:
    number, is_percent = _percent_value(value)
    if not is_percent or number <= 100:
        return []
    return [invalid_value(path, value, "must not be greater than 100%")]


def _validate_selector(sel: Any, path: str, owner: str) -> list[FieldError]:
    """The selector part shared by the workload specs; ``owner`` is the word upstream uses."""
    if sel is None:
        return [required(path)]
    errs = validate_label_selector(sel, path)
    if not (sel.get("matchLabels") or {}) and not (sel.get("matchExpressions") or []):
        errs.append(invalid_value(path, go_label_selector(sel),
                                  f"empty selector is invalid for {owner}"))
    return errs


def _selector_is_valid(sel: Any) -> bool:
    """``LabelSelectorAsSelector`` fails only on an unknown operator or bad values."""
    if sel is None:
        return True
    for expr in sel.get("matchExpressions") or []:
        if expr.get("operator") not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return False
    return True


def _validate_template_for_controller(
    template: Any, sel: Any, path: str, kind_word: str
) -> list[FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet`` (and its DaemonSet/StatefulSet twins)."""
    if not isinstance(template, dict):
        return [required(path)]
    errs: list[FieldError] = []
    selector = from_label_selector(sel)
    labels = (template.get("metadata") or {}).get("labels")
    if not selector.empty() and not selector.matches(labels):
        errs.append(invalid_value(f"{path}.metadata.labels", labels,
                                  "`selector` does not match template `labels`"))
    errs.extend(core_validation.validate_pod_template_spec(template, path))
    spec = template.get("spec") or {}
    policy = spec.get("restartPolicy", "")
    if policy != "Always":
        errs.append(unsupported(f"{path}.spec.restartPolicy", policy, ["Always"]))
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(forbidden_field(f"{path}.spec.activeDeadlineSeconds",
                                    f"activeDeadlineSeconds in {kind_word} is not Supported"))
    return errs


def _meta_create(obj: Obj) -> list[FieldError]:
    return validate_object_meta(obj.get("metadata") or {}, namespaced=True)


def _meta_update(new: Obj, old: Obj) -> list[FieldError]:
    return validate_object_meta_update(new.get("metadata") or {}, old.get("metadata") or {})


def _immutable_selector(new: Obj, old: Obj) -> list[FieldError]:
    new_sel = (new.get("spec") or {}).get("selector")
    old_sel = (old.get("spec") or {}).get("selector")
    if not semantic_equal(new_sel, old_sel):
        return [invalid_value("spec.selector", go_label_selector(new_sel), _IMMUTABLE)]
    return []


def _status_counts(status: Obj, fields: tuple[str, ...]) -> list[FieldError]:
    errs: list[FieldError] = []
    for name in fields:
        errs.extend(_nonnegative(status.get(name, 0), f"status.{name}"))
    return errs


# ----------------------------------------------------------------- Deployment


def _validate_rolling_update(ru: Obj, path: str) -> list[FieldError]:
    unavailable = ru.get("maxUnavailable")
    surge = ru.get("maxSurge")
    errs = _validate_positive_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs.extend(_validate_positive_int_or_percent(surge, f"{path}.maxSurge"))
    if _int_or_percent_value(unavailable) == 0 and _int_or_percent_value(surge) == 0:
        errs.append(invalid_value(f"{path}.maxUnavailable", unavailable,
                                  "may not be 0 when `maxSurge` is 0"))
    errs.extend(_not_more_than_100_percent(unavailable, f"{path}.maxUnavailable"))
    return errs


def _validate_deployment_strategy(strategy: Obj, path: str) -> list[FieldError]:
    kind = strategy.get("type", "")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            return [forbidden_field(f"{path}.rollingUpdate",
                                    "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        ru = strategy.get("rollingUpdate")
        if ru is None:
            return [required(f"{path}.rollingUpdate",
                             "this should be defaulted and never be nil")]
        return _validate_rolling_update(ru, f"{path}.rollingUpdate")
    return [unsupported(f"{path}.type", kind, ["Recreate", "RollingUpdate"])]


def _validate_deployment_spec(spec: Obj) -> list[FieldError]:
    errs = _nonnegative(spec.get("replicas", 0), "spec.replicas")
    sel = spec.get("selector")
    errs.extend(_validate_selector(sel, "spec.selector", "deployment"))
    if not _selector_is_valid(sel):
        errs.append(invalid_value("spec.selector", go_label_selector(sel),
                                  "invalid label selector"))
    else:
        errs.extend(_validate_template_for_controller(
            spec.get("template"), sel, "spec.template", "ReplicaSet"))
    errs.extend(_validate_deployment_strategy(spec.get("strategy") or {}, "spec.strategy"))
    min_ready = _int(spec.get("minReadySeconds"))
    errs.extend(_nonnegative(min_ready, "spec.minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs.extend(_nonnegative(deadline, "spec.progressDeadlineSeconds"))
        if _int(deadline) <= min_ready:
            errs.append(invalid_value("spec.progressDeadlineSeconds", deadline,
                                      "must be greater than minReadySeconds"))
    return errs


def validate_deployment(obj: Obj) -> list[FieldError]:
    """``ValidateDeployment``."""
    return _meta_create(obj) + _validate_deployment_spec(obj.get("spec") or {})


def validate_deployment_update(new: Obj, old: Obj) -> list[FieldError]:
    """``ValidateDeploymentUpdate`` plus the apps/v1 strategy's immutable selector."""
    errs = _meta_update(new, old)
    errs.extend(_validate_deployment_spec(new.get("spec") or {}))
    errs.extend(_immutable_selector(new, old))
    return errs


def validate_deployment_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """``ValidateDeploymentStatusUpdate``."""
    errs = _meta_update(new, old)
    status = new.get("status") or {}
    errs.extend(_status_counts(status, (
        "observedGeneration", "replicas", "updatedReplicas", "readyReplicas",
        "availableReplicas", "unavailableReplicas", "terminatingReplicas")))
    if status.get("collisionCount") is not None:
        errs.extend(_nonnegative(status["collisionCount"], "status.collisionCount"))
    replicas = _int(status.get("replicas"))
    msg = "cannot be greater than status.replicas"
    for name in ("updatedReplicas", "readyReplicas", "availableReplicas"):
        if _int(status.get(name)) > replicas:
            errs.append(invalid_value(f"status.{name}", status.get(name), msg))
    if _int(status.get("availableReplicas")) > _int(status.get("readyReplicas")):
        errs.append(invalid_value("status.availableReplicas", status.get("availableReplicas"),
                                  "cannot be greater than readyReplicas"))
    old_count = (old.get("status") or {}).get("collisionCount")
    new_count = status.get("collisionCount")
    if old_count is not None and (new_count is None or _int(new_count) < _int(old_count)):
        errs.append(invalid_value("status.collisionCount", new_count,
                                  "cannot be decremented"))
    return errs


# ----------------------------------------------------------------- ReplicaSet


def _validate_replica_set_spec(spec: Obj) -> list[FieldError]:
    errs = _nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs.extend(_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    sel = spec.get("selector")
    # upstream's ReplicaSet validation reuses the Deployment's words
    errs.extend(_validate_selector(sel, "spec.selector", "deployment"))
    if not _selector_is_valid(sel):
        errs.append(invalid_value("spec.selector", go_label_selector(sel),
                                  "invalid label selector"))
    else:
        errs.extend(_validate_template_for_controller(
            spec.get("template"), sel, "spec.template", "ReplicaSet"))
    return errs


def validate_replica_set(obj: Obj) -> list[FieldError]:
    """``ValidateReplicaSet``."""
    return _meta_create(obj) + _validate_replica_set_spec(obj.get("spec") or {})


def validate_replica_set_update(new: Obj, old: Obj) -> list[FieldError]:
    """``ValidateReplicaSetUpdate`` plus the apps/v1 strategy's immutable selector."""
    errs = _meta_update(new, old)
    errs.extend(_validate_replica_set_spec(new.get("spec") or {}))
    errs.extend(_immutable_selector(new, old))
    return errs


def validate_replica_set_status_update(new: Obj, old: Obj) -> list[FieldError]:
    """``ValidateReplicaSetStatusUpdate``."""
    errs = _meta_update(new, old)
    status = new.get("status") or {}
    errs.extend(_status_counts(status, (
        "replicas", "fullyLabeledReplicas", "readyReplicas", "availableReplicas",
        "terminatingReplicas", "observedGeneration")))
    replicas = _int(status.get("replicas"))
    msg = "cannot be greater than status.replicas"
    for name in ("fullyLabeledReplicas", "readyReplicas", "availableReplicas"):
        if _int(status.get(name)) > replicas:
            errs.append(invalid_value(f"status.{name}", status.get(name), msg))
    if _int(status.get("availableReplicas")) > _int(status.get("readyReplicas")):
        errs.append(invalid_value("status.availableReplicas", status.get("availableReplicas"),
                                  "cannot be greater than readyReplicas"))
    return errs


# ----------------------------------------------------------------- DaemonSet, StatefulSet


def _validate_daemon_set_spec(spec: Obj) -> list[FieldError]:
    sel = spec.get("selector")
    errs = _validate_selector(sel, "spec.selector", "daemonset")
    if _selector_is_valid(sel):
        errs.extend(_validate_template_for_controller(
            spec.get("template"), sel, "spec.template", "DaemonSet"))
    errs.extend(_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit"))
    strategy = spec.get("updateStrategy") or {}
    kind = strategy.get("type", "")
    if kind not in ("OnDelete", "RollingUpdate"):
        errs.append(unsupported("spec.updateStrategy.type", kind, ["OnDelete", "RollingUpdate"]))
    elif kind == "RollingUpdate":
        ru = strategy.get("rollingUpdate") or {}
        path = "spec.updateStrategy.rollingUpdate"
        errs.extend(_validate_positive_int_or_percent(ru.get("maxUnavailable"),
                                                      f"{path}.maxUnavailable"))
        errs.extend(_validate_positive_int_or_percent(ru.get("maxSurge"), f"{path}.maxSurge"))
        if (_int_or_percent_value(ru.get("maxUnavailable")) == 0
                and _int_or_percent_value(ru.get("maxSurge")) == 0):
            errs.append(invalid_value(f"{path}.maxUnavailable",
                                      ru.get("maxUnavailable"),
                                      "may not be 0 when `maxSurge` is 0"))
    return errs


def validate_daemon_set(obj: Obj) -> list[FieldError]:
    """``ValidateDaemonSet`` (the checks a learner can trip over)."""
    return _meta_create(obj) + _validate_daemon_set_spec(obj.get("spec") or {})


def validate_daemon_set_update(new: Obj, old: Obj) -> list[FieldError]:
    errs = _meta_update(new, old)
    errs.extend(_validate_daemon_set_spec(new.get("spec") or {}))
    errs.extend(_immutable_selector(new, old))
    return errs


def _validate_stateful_set_spec(spec: Obj) -> list[FieldError]:
    errs: list[FieldError] = []
    policy = spec.get("podManagementPolicy", "")
    if policy not in ("OrderedReady", "Parallel"):
        errs.append(unsupported("spec.podManagementPolicy", policy, ["OrderedReady", "Parallel"]))
    kind = (spec.get("updateStrategy") or {}).get("type", "")
    if kind not in ("OnDelete", "RollingUpdate"):
        errs.append(unsupported("spec.updateStrategy.type", kind, ["OnDelete", "RollingUpdate"]))
    errs.extend(_nonnegative(spec.get("replicas", 0), "spec.replicas"))
    errs.extend(_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    sel = spec.get("selector")
    errs.extend(_validate_selector(sel, "spec.selector", "statefulset"))
    if _selector_is_valid(sel):
        errs.extend(_validate_template_for_controller(
            spec.get("template"), sel, "spec.template", "StatefulSet"))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit"))
    return errs


def validate_stateful_set(obj: Obj) -> list[FieldError]:
    """``ValidateStatefulSet`` (the checks a learner can trip over)."""
    return _meta_create(obj) + _validate_stateful_set_spec(obj.get("spec") or {})


def validate_stateful_set_update(new: Obj, old: Obj) -> list[FieldError]:
    errs = _meta_update(new, old)
    errs.extend(_validate_stateful_set_spec(new.get("spec") or {}))
    old_spec = old.get("spec") or {}
    new_spec = new.get("spec") or {}
    # Only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy,
    # minReadySeconds and revisionHistoryLimit may change (statefulset validation).
    mutable = ("replicas", "ordinals", "template", "updateStrategy", "minReadySeconds",
               "persistentVolumeClaimRetentionPolicy", "revisionHistoryLimit")
    if any(new_spec.get(k) != old_spec.get(k) for k in sorted(set(new_spec) | set(old_spec))
           if k not in mutable):
        errs.append(forbidden_field(
            "spec", "updates to statefulset spec for fields other than 'replicas', "
            "'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', "
            "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
    return errs


def validate_controller_revision(obj: Obj) -> list[FieldError]:
    errs = _meta_create(obj)
    errs.extend(_nonnegative(obj.get("revision", 0), "revision"))
    return errs
