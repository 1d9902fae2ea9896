"""Deployment helpers shared by the controller and by kubectl's rollout commands.

Models ``pkg/controller/deployment/util/deployment_util.go`` (revisions, annotations,
fenceposts, proportions, status counters, conditions), ``ComputeHash`` and the ReplicaSet sort
orders of ``pkg/controller/controller_utils.go``, and — for the kubectl engineer — the client
side of ``kubectl rollout`` (``staging/src/k8s.io/kubectl/pkg/polymorphichelpers``:
``history.go``, ``rollback.go``, ``rollout_status.go``).

Public interface for kubectl (all pure functions of store reads, they never write):

- :func:`revision` — ``deployment.kubernetes.io/revision`` of a ReplicaSet as an int;
- :func:`history` — ``[(revision, replicaset), …]`` ascending, what ``rollout history`` lists;
- :func:`rollback_template` / :func:`rollback_annotations` — what ``rollout undo`` patches in;
- :func:`rollout_status` — one line of ``rollout status`` and whether the rollout is done;
- :func:`compute_hash` — the ``pod-template-hash`` of a template.

The hash: upstream feeds FNV-32a with go-spew's ``%#v`` dump of the Go ``PodTemplateSpec``
struct (every field in declaration order, Quantity internals included), which cannot be
reproduced from JSON. We feed FNV-32a with canonical JSON instead (sorted keys, no spaces), so
the same template gives the same hash in every process, and keep the rest exact:
little-endian ``collisionCount`` bytes, decimal ``Sum32``, ``SafeEncodeString``.
"""

from __future__ import annotations

import json
import math
import struct
from collections.abc import Iterable
from typing import Any

from ...api.kinds import builtin
from ...sim.clock import SECOND
from ...sim.timefmt import parse_rfc3339

__all__ = [
    "ANNOTATIONS_TO_SKIP",
    "CHANGE_CAUSE_ANNOTATION",
    "DESIRED_REPLICAS_ANNOTATION",
    "HASH_LABEL",
    "MAX_REPLICAS_ANNOTATION",
    "REVISION_ANNOTATION",
    "REVISION_HISTORY_ANNOTATION",
    "compute_hash",
    "condition",
    "deployment_complete",
    "equal_ignore_hash",
    "find_new_replica_set",
    "find_old_replica_sets",
    "history",
    "max_revision",
    "max_surge",
    "max_unavailable",
    "new_rs_new_replicas",
    "owned_replica_sets",
    "resolve_fenceposts",
    "revision",
    "rollback_annotations",
    "rollback_template",
    "rollout_status",
    "safe_encode_string",
]

Obj = dict[str, Any]

HASH_LABEL = "pod-template-hash"
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"

# deployment_util.go annotationsToSkip (also kubectl's rollback.go copy of it)
ANNOTATIONS_TO_SKIP = frozenset({
    LAST_APPLIED_ANNOTATION,
    REVISION_ANNOTATION,
    REVISION_HISTORY_ANNOTATION,
    DESIRED_REPLICAS_ANNOTATION,
    MAX_REPLICAS_ANNOTATION,
    ROLLBACK_TO_ANNOTATION,
})

# Condition reasons (deployment_util.go)
REPLICASET_UPDATED = "ReplicaSetUpdated"
FAILED_RS_CREATE = "ReplicaSetCreateError"
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
MIN_AVAILABLE = "MinimumReplicasAvailable"
MIN_UNAVAILABLE = "MinimumReplicasUnavailable"

MAX_INT32 = 2**31 - 1
# sync.go maxRevHistoryLengthInChars
MAX_REV_HISTORY_CHARS = 2000

RS_KIND = builtin("apps/v1", "ReplicaSet")

# --------------------------------------------------------------------------- hashing

# k8s.io/apimachinery/pkg/util/rand: consonants and digits that cannot spell words.
_ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
_FNV_OFFSET = 0x811C9DC5
_FNV_PRIME = 0x01000193


def safe_encode_string(text: str) -> str:
    """``rand.SafeEncodeString``: each byte mapped into the no-vowel alphabet."""
    return "".join(_ALPHANUMS[b % len(_ALPHANUMS)] for b in text.encode())


def _fnv32a(data: bytes, h: int = _FNV_OFFSET) -> int:
    for b in data:
        h = ((h ^ b) * _FNV_PRIME) & 0xFFFFFFFF
    return h


def compute_hash(template: Obj, collision_count: int | None = None) -> str:
    """``controller.ComputeHash``: FNV-32a of the template (canonical JSON, see module doc)."""
    dump = json.dumps(template, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    h = _fnv32a(dump.encode())
    if collision_count is not None:
        # binary.LittleEndian.PutUint32 into an 8-byte buffer: 4 value bytes, 4 zero bytes
        h = _fnv32a(struct.pack("<I", collision_count & 0xFFFFFFFF) + b"\0\0\0\0", h)
    return safe_encode_string(str(h))


# --------------------------------------------------------------------------- small accessors


def spec_int(obj: Obj, name: str, default: int = 0) -> int:
    value = (obj.get("spec") or {}).get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def status_int(obj: Obj, name: str) -> int:
    value = (obj.get("status") or {}).get(name)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def replicas(obj: Obj) -> int:
    return spec_int(obj, "replicas", 0)


def annotations_of(obj: Obj) -> dict[str, str]:
    return (obj.get("metadata") or {}).get("annotations") or {}


def created_ns(obj: Obj) -> int:
    text = (obj.get("metadata") or {}).get("creationTimestamp")
    return parse_rfc3339(text) if text else 0


def controller_ref(obj: Obj) -> Obj | None:
    """``metav1.GetControllerOf``."""
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or ():
        if ref.get("controller"):
            return ref
    return None


def is_controlled_by(obj: Obj, owner: Obj) -> bool:
    ref = controller_ref(obj)
    return ref is not None and ref.get("uid") == (owner.get("metadata") or {}).get("uid")


def new_controller_ref(owner: Obj) -> Obj:
    """``metav1.NewControllerRef`` (fields in OwnerReference declaration order)."""
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


# --------------------------------------------------------------------------- sort orders


def by_creation(rs: Obj) -> tuple[int, str]:
    """``controller.ReplicaSetsByCreationTimestamp``: older first, ties by name."""
    return created_ns(rs), rs["metadata"]["name"]


def by_size_older(rs: Obj) -> tuple[int, int, str]:
    """``ReplicaSetsBySizeOlder``: larger first, ties older first."""
    return (-replicas(rs), *by_creation(rs))


def sort_by_size_newer(rss: list[Obj]) -> list[Obj]:
    """``ReplicaSetsBySizeNewer``: larger first, ties newer first."""
    return sorted(sorted(rss, key=by_creation, reverse=True), key=lambda r: -replicas(r))


def by_revision(rs: Obj) -> tuple[int, int, str]:
    """``ReplicaSetsByRevision`` (unparseable revisions fall back to creation order)."""
    rev = _revision_or_none(rs)
    return (rev if rev is not None else -1, *by_creation(rs))


# --------------------------------------------------------------------------- revisions


def _revision_or_none(rs: Obj) -> int | None:
    value = annotations_of(rs).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    try:
        return int(value)
    except ValueError:
        return None


def revision(rs: Obj) -> int:
    """``deploymentutil.Revision``: the revision annotation as an int (0 when absent).

    Raises ValueError for an annotation that is not an integer (strconv.ParseInt fails).
    """
    rev = _revision_or_none(rs)
    if rev is None:
        raise ValueError(f'strconv.ParseInt: parsing "{annotations_of(rs)[REVISION_ANNOTATION]}": '
                         "invalid syntax")
    return rev


def max_revision(rss: Iterable[Obj]) -> int:
    best = 0
    for rs in rss:
        rev = _revision_or_none(rs)
        if rev is not None and rev > best:
            best = rev
    return best


def set_new_replica_set_annotations(
    deployment: Obj, rs_annotations: dict[str, str], new_revision: str, exists: bool
) -> bool:
    """``SetNewReplicaSetAnnotations`` on a private copy of the RS annotations."""
    changed = False
    for key, value in annotations_of(deployment).items():
        if key in ANNOTATIONS_TO_SKIP or rs_annotations.get(key) == value:
            continue
        rs_annotations[key] = value
        changed = True
    old_revision = rs_annotations.get(REVISION_ANNOTATION)
    try:
        old_int = int(old_revision) if old_revision is not None else 0
    except ValueError:
        return False
    new_int = int(new_revision)
    if old_int < new_int:
        rs_annotations[REVISION_ANNOTATION] = new_revision
        changed = True
    if old_revision is not None and old_int < new_int:
        # Rolling back to this RS: remember the revisions it served before.
        history_value = rs_annotations.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history_value.split(",")
        if not old_revisions[0]:
            rs_annotations[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total = len(history_value) + len(old_revision) + 1
            start = 0
            while total > MAX_REV_HISTORY_CHARS and start < len(old_revisions):
                total -= len(old_revisions[start]) + 1
                start += 1
            if total <= MAX_REV_HISTORY_CHARS:
                rs_annotations[REVISION_HISTORY_ANNOTATION] = ",".join(
                    [*old_revisions[start:], old_revision])
    if not exists:
        d_replicas = replicas(deployment)
        if set_replicas_annotations(rs_annotations, d_replicas,
                                    d_replicas + max_surge(deployment)):
            changed = True
    return changed


def set_replicas_annotations(rs_annotations: dict[str, str], desired: int, maximum: int) -> bool:
    updated = False
    if rs_annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired):
        rs_annotations[DESIRED_REPLICAS_ANNOTATION] = str(desired)
        updated = True
    if rs_annotations.get(MAX_REPLICAS_ANNOTATION) != str(maximum):
        rs_annotations[MAX_REPLICAS_ANNOTATION] = str(maximum)
        updated = True
    return updated


def replicas_annotations_need_update(rs: Obj, desired: int, maximum: int) -> bool:
    ann = annotations_of(rs)
    return (ann.get(DESIRED_REPLICAS_ANNOTATION) != str(desired)
            or ann.get(MAX_REPLICAS_ANNOTATION) != str(maximum))


def _int_annotation(rs: Obj, key: str) -> int | None:
    value = annotations_of(rs).get(key)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        return None


def desired_replicas_annotation(rs: Obj) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


# --------------------------------------------------------------------------- fenceposts


def _int_or_percent(value: Any, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``."""
    if isinstance(value, str):
        if not value.endswith("%"):
            raise ValueError("invalid value for IntOrString: invalid type: string is not a "
                             "percentage")
        pct = int(value[:-1])
        scaled = pct * total / 100
        return math.ceil(scaled) if round_up else math.floor(scaled)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return 0


def is_rolling_update(deployment: Obj) -> bool:
    return ((deployment.get("spec") or {}).get("strategy") or {}).get("type") == "RollingUpdate"


def _rolling(deployment: Obj) -> Obj:
    return (((deployment.get("spec") or {}).get("strategy") or {}).get("rollingUpdate")) or {}


def resolve_fenceposts(max_surge_value: Any, max_unavailable_value: Any,
                       desired: int) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailable down; both 0 → unavailable 1."""
    surge = _int_or_percent(0 if max_surge_value is None else max_surge_value, desired, True)
    unavailable = _int_or_percent(0 if max_unavailable_value is None else max_unavailable_value,
                                  desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def max_unavailable(deployment: Obj) -> int:
    d_replicas = replicas(deployment)
    if not is_rolling_update(deployment) or d_replicas == 0:
        return 0
    ru = _rolling(deployment)
    _, unavailable = resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"), d_replicas)
    return min(unavailable, d_replicas)


def max_surge(deployment: Obj) -> int:
    if not is_rolling_update(deployment):
        return 0
    ru = _rolling(deployment)
    surge, _ = resolve_fenceposts(ru.get("maxSurge"), ru.get("maxUnavailable"),
                                  replicas(deployment))
    return surge


def _round_half_away(x: float) -> int:
    """``integer.RoundToInt32`` (Go's math.Round: halves away from zero)."""
    magnitude = abs(x)
    whole = math.floor(magnitude)
    if magnitude - whole >= 0.5:
        whole += 1
    return int(whole) if x >= 0 else -int(whole)


def get_proportion(rs: Obj | None, deployment: Obj, to_add: int, added: int) -> int:
    """``GetReplicaSetProportion``: this RS's share of ``to_add`` (clipped to what is left)."""
    if rs is None or replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _replica_set_fraction(rs, deployment)
    allowed = to_add - added
    if to_add > 0:
        return min(fraction, allowed)
    return max(fraction, allowed)


def _replica_set_fraction(rs: Obj, deployment: Obj) -> int:
    d_replicas = replicas(deployment)
    if d_replicas == 0:
        return -replicas(rs)
    deployment_replicas = d_replicas + max_surge(deployment)
    annotated = _int_annotation(rs, MAX_REPLICAS_ANNOTATION)
    if annotated is None:
        annotated = status_int(deployment, "replicas")
    if annotated == 0:
        return 0
    new_size = replicas(rs) * deployment_replicas / annotated
    return _round_half_away(new_size) - replicas(rs)


def new_rs_new_replicas(deployment: Obj, all_rss: list[Obj], new_rs: Obj) -> int:
    """``NewRSNewReplicas``: how big the new RS may be right now."""
    strategy = ((deployment.get("spec") or {}).get("strategy") or {}).get("type")
    d_replicas = replicas(deployment)
    if strategy == "RollingUpdate":
        surge = _int_or_percent(_rolling(deployment).get("maxSurge", 0), d_replicas, True)
        current = sum(replicas(rs) for rs in all_rss)
        max_total = d_replicas + surge
        if current >= max_total:
            return replicas(new_rs)
        scale_up = min(max_total - current, d_replicas - replicas(new_rs))
        return replicas(new_rs) + scale_up
    if strategy == "Recreate":
        return d_replicas
    raise ValueError(f"deployment type {strategy} isn't supported")


def is_saturated(deployment: Obj, rs: Obj | None) -> bool:
    if rs is None:
        return False
    desired = desired_replicas_annotation(rs)
    if desired is None:
        return False
    d_replicas = replicas(deployment)
    return (replicas(rs) == d_replicas and desired == d_replicas
            and status_int(rs, "availableReplicas") == d_replicas)


# --------------------------------------------------------------------------- finding RSs


def equal_ignore_hash(t1: Obj, t2: Obj) -> bool:
    """``EqualIgnoreHash``: templates equal apart from the pod-template-hash label."""
    m1 = t1.get("metadata") or {}
    m2 = t2.get("metadata") or {}
    l1 = {k: v for k, v in (m1.get("labels") or {}).items() if k != HASH_LABEL}
    l2 = {k: v for k, v in (m2.get("labels") or {}).items() if k != HASH_LABEL}
    if l1 != l2:
        return False
    r1 = {k: v for k, v in m1.items() if k != "labels" and v not in (None, {}, [])}
    r2 = {k: v for k, v in m2.items() if k != "labels" and v not in (None, {}, [])}
    if r1 != r2:
        return False
    rest1 = {k: v for k, v in t1.items() if k != "metadata"}
    rest2 = {k: v for k, v in t2.items() if k != "metadata"}
    return rest1 == rest2


def template_of(obj: Obj) -> Obj:
    return (obj.get("spec") or {}).get("template") or {}


# find_new_replica_set's verdicts per (RS template, deployment template) pair: both are parts of
# stored objects, never mutated, and every sync compares the same pairs again. Keyed by the two
# ids, with the objects pinned so that the ids are not reused while remembered.
_SAME_TEMPLATE: dict[tuple[int, int], tuple[Obj, Obj, bool]] = {}


def _same_template(rs_template: Obj, template: Obj) -> bool:
    key = (id(rs_template), id(template))
    hit = _SAME_TEMPLATE.get(key)
    if hit is not None and hit[0] is rs_template and hit[1] is template:
        return hit[2]
    same = equal_ignore_hash(rs_template, template)
    if len(_SAME_TEMPLATE) >= 1024:
        _SAME_TEMPLATE.clear()
    _SAME_TEMPLATE[key] = (rs_template, template, same)
    return same


def find_new_replica_set(deployment: Obj, rs_list: list[Obj]) -> Obj | None:
    """``FindNewReplicaSet``: the oldest RS whose template matches the deployment's."""
    template = template_of(deployment)
    for rs in sorted(rs_list, key=by_creation):
        if _same_template(template_of(rs), template):
            return rs
    return None


def find_old_replica_sets(deployment: Obj, rs_list: list[Obj]) -> tuple[list[Obj], list[Obj]]:
    """``FindOldReplicaSets``: (old RSs with replicas, all old RSs)."""
    new_rs = find_new_replica_set(deployment, rs_list)
    new_uid = new_rs["metadata"]["uid"] if new_rs is not None else None
    all_old = [rs for rs in rs_list if rs["metadata"].get("uid") != new_uid]
    return [rs for rs in all_old if replicas(rs) != 0], all_old


def filter_active(rss: Iterable[Obj | None]) -> list[Obj]:
    """``controller.FilterActiveReplicaSets``."""
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


def find_active_or_latest(new_rs: Obj | None, old_rss: list[Obj]) -> Obj | None:
    """``FindActiveOrLatest``."""
    if new_rs is None and not old_rss:
        return None
    newest_first = sorted(old_rss, key=by_creation, reverse=True)
    active = filter_active([*newest_first, new_rs])
    if not active:
        return new_rs if new_rs is not None else newest_first[0]
    if len(active) == 1:
        return active[0]
    return None


def owned_replica_sets(api: Any, deployment: Obj) -> list[Obj]:
    """``ListReplicaSets``: RSs in the namespace matched by the selector and controlled by
    the deployment (what kubectl's ``GetAllReplicaSets`` sees; no adoption)."""
    from ...api.selectors import from_label_selector

    meta = deployment["metadata"]
    selector = from_label_selector((deployment.get("spec") or {}).get("selector"))
    out = []
    for rs in api.list(RS_KIND, meta.get("namespace", "default"), selector=selector):
        if is_controlled_by(rs, deployment):
            out.append(rs)
    return out


# --------------------------------------------------------------------------- counters


def replica_count(rss: Iterable[Obj | None]) -> int:
    return sum(replicas(rs) for rs in rss if rs is not None)


def actual_replica_count(rss: Iterable[Obj | None]) -> int:
    return sum(status_int(rs, "replicas") for rs in rss if rs is not None)


def ready_replica_count(rss: Iterable[Obj | None]) -> int:
    return sum(status_int(rs, "readyReplicas") for rs in rss if rs is not None)


def available_replica_count(rss: Iterable[Obj | None]) -> int:
    return sum(status_int(rs, "availableReplicas") for rs in rss if rs is not None)


def terminating_replica_count(rss: Iterable[Obj | None]) -> int | None:
    """``GetTerminatingReplicaCountForReplicaSets``: None if an observed RS lacks the field."""
    total = 0
    for rs in rss:
        if rs is None:
            continue
        status = rs.get("status") or {}
        if "terminatingReplicas" not in status:
            if status_int(rs, "observedGeneration") == 0:
                continue
            return None
        total += status_int(rs, "terminatingReplicas")
    return total


# --------------------------------------------------------------------------- conditions


def condition(status: Obj, kind: str) -> Obj | None:
    for c in status.get("conditions") or ():
        if c.get("type") == kind:
            return c
    return None


def new_condition(kind: str, status: str, reason: str, message: str, now: str) -> Obj:
    """``NewDeploymentCondition`` (DeploymentCondition field order)."""
    return {"type": kind, "status": status, "lastUpdateTime": now, "lastTransitionTime": now,
            "reason": reason, "message": message}


def set_condition(status: Obj, cond: Obj) -> None:
    """``SetDeploymentCondition`` on a private status dict."""
    current = condition(status, cond["type"])
    if current is not None and current["status"] == cond["status"] and (
            current.get("reason") == cond["reason"]):
        return
    if current is not None and current["status"] == cond["status"]:
        cond = {**cond, "lastTransitionTime": current.get("lastTransitionTime")}
    status["conditions"] = [c for c in status.get("conditions") or ()
                            if c.get("type") != cond["type"]] + [cond]


def remove_condition(status: Obj, kind: str) -> None:
    conditions = [c for c in status.get("conditions") or () if c.get("type") != kind]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def has_progress_deadline(deployment: Obj) -> bool:
    value = (deployment.get("spec") or {}).get("progressDeadlineSeconds")
    return value is not None and value != MAX_INT32


def has_revision_history_limit(deployment: Obj) -> bool:
    value = (deployment.get("spec") or {}).get("revisionHistoryLimit")
    return value is not None and value != MAX_INT32


def generation(obj: Obj) -> int:
    return (obj.get("metadata") or {}).get("generation") or 0


def deployment_complete(deployment: Obj, status: Obj) -> bool:
    """``DeploymentComplete``: all desired replicas updated and available, none old."""
    want = replicas(deployment)
    return (status.get("updatedReplicas", 0) == want and status.get("replicas", 0) == want
            and status.get("availableReplicas", 0) == want
            and status.get("observedGeneration", 0) >= generation(deployment))


def deployment_progressing(deployment: Obj, status: Obj) -> bool:
    """``DeploymentProgressing``: more updated/ready/available pods or fewer old ones."""
    old = deployment.get("status") or {}
    old_old = old.get("replicas", 0) - old.get("updatedReplicas", 0)
    new_old = status.get("replicas", 0) - status.get("updatedReplicas", 0)
    return (status.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
            or new_old < old_old
            or status.get("readyReplicas", 0) > old.get("readyReplicas", 0)
            or status.get("availableReplicas", 0) > old.get("availableReplicas", 0))


def deployment_timed_out(deployment: Obj, status: Obj, now_ns: int) -> bool:
    """``DeploymentTimedOut``: no progress for progressDeadlineSeconds."""
    if not has_progress_deadline(deployment):
        return False
    cond = condition(status, "Progressing")
    if cond is None:
        return False
    if cond.get("reason") == NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == TIMED_OUT:
        return True
    last = parse_rfc3339(cond["lastUpdateTime"])
    deadline = last + spec_int(deployment, "progressDeadlineSeconds") * SECOND
    return deadline < now_ns


# --------------------------------------------------------------------------- kubectl rollout


def history(api: Any, deployment: Obj) -> list[tuple[int, Obj]]:
    """What ``kubectl rollout history`` sees: ``(revision, replicaset)`` ascending.

    Like kubectl's ``DeploymentHistoryViewer`` a later RS with the same revision wins and an
    RS without the annotation counts as revision 0; RSs with an unparseable revision are
    skipped. The change cause is ``rs["metadata"]["annotations"]["kubernetes.io/change-cause"]``
    and the template ``rs["spec"]["template"]``.
    """
    by_rev: dict[int, Obj] = {}
    for rs in owned_replica_sets(api, deployment):
        rev = _revision_or_none(rs)
        if rev is not None:
            by_rev[rev] = rs
    return sorted(by_rev.items())


def _rollback_source(api: Any, deployment: Obj, to_revision: int) -> Obj:
    """kubectl rollback.go ``deploymentRevision``."""
    name = deployment["metadata"]["name"]
    if to_revision < 0:
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    latest: Obj | None = None
    latest_rev = -1
    previous: Obj | None = None
    previous_rev = -1
    for rs in owned_replica_sets(api, deployment):
        rev = _revision_or_none(rs)
        if rev is None:
            continue
        if to_revision == 0:
            if latest_rev < rev:
                previous, previous_rev = latest, latest_rev
                latest, latest_rev = rs, rev
            elif previous_rev < rev:
                previous, previous_rev = rs, rev
        elif to_revision == rev:
            return rs
    if to_revision > 0:
        raise ValueError(f"unable to find specified revision {to_revision} in history")
    if previous is None:
        raise ValueError(f'no rollout history found for deployment "{name}"')
    return previous


def rollback_template(api: Any, deployment: Obj, to_revision: int) -> Obj:
    """The pod template ``kubectl rollout undo [--to-revision=N]`` puts back.

    ``to_revision=0`` means the previous revision. Returns the RS template with the
    ``pod-template-hash`` label removed (a new dict; the stored RS is untouched). Raises
    ValueError with kubectl's text: ``unable to find specified revision N in history`` or
    ``no rollout history found for deployment "x"``. kubectl prints
    ``deployment.apps/x skipped rollback (current template already matches revision N)`` when
    ``equal_ignore_hash(result, deployment template)``, and refuses paused deployments —
    those checks are the caller's.
    """
    rs = _rollback_source(api, deployment, to_revision)
    template = template_of(rs)
    meta = dict(template.get("metadata") or {})
    labels = {k: v for k, v in (meta.get("labels") or {}).items() if k != HASH_LABEL}
    meta["labels"] = labels
    return {**template, "metadata": meta}


def rollback_annotations(api: Any, deployment: Obj, to_revision: int) -> dict[str, str]:
    """The ``metadata.annotations`` kubectl's undo patch sets alongside the template: the
    deployment's own skipped annotations plus the RS's other annotations (change-cause)."""
    rs = _rollback_source(api, deployment, to_revision)
    out = {k: v for k, v in annotations_of(deployment).items() if k in ANNOTATIONS_TO_SKIP}
    for key, value in annotations_of(rs).items():
        if key not in ANNOTATIONS_TO_SKIP:
            out[key] = value
    return out


def rollout_status(deployment: Obj) -> tuple[str, bool]:
    """``DeploymentStatusViewer.Status``: (line incl. newline, done).

    Raises ValueError('deployment "x" exceeded its progress deadline') once the Progressing
    condition says ProgressDeadlineExceeded (kubectl prints it as ``error: …``, exit 1).
    """
    name = deployment["metadata"]["name"]
    status = deployment.get("status") or {}
    if generation(deployment) <= status.get("observedGeneration", 0):
        cond = condition(status, "Progressing")
        if cond is not None and cond.get("reason") == TIMED_OUT:
            raise ValueError(f'deployment "{name}" exceeded its progress deadline')
        want = (deployment.get("spec") or {}).get("replicas")
        updated = status.get("updatedReplicas", 0)
        total = status.get("replicas", 0)
        available = status.get("availableReplicas", 0)
        if want is not None and updated < want:
            return (f'Waiting for deployment "{name}" rollout to finish: {updated} out of '
                    f"{want} new replicas have been updated...\n", False)
        if total > updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {total - updated} old '
                    "replicas are pending termination...\n", False)
        if available < updated:
            return (f'Waiting for deployment "{name}" rollout to finish: {available} of '
                    f"{updated} updated replicas are available...\n", False)
        return f'deployment "{name}" successfully rolled out\n', True
    return "Waiting for deployment spec update to be observed...\n", False
