"""Admission plugins of the lab's apiserver (``k8s.io/kubernetes/plugin/pkg/admission`` and
``k8s.io/apiserver/pkg/admission/plugin``).

The default ``--enable-admission-plugins`` of a 1.37 kube-apiserver, in the order of
``AllOrderedPlugins`` (``pkg/kubeapiserver/options/plugins.go``), as far as the lab needs them:

=========================== ======== ===============================================
plugin                      phase    what it does here
=========================== ======== ===============================================
NamespaceLifecycle          mutating missing namespace → NotFound; Terminating → Forbidden
LimitRanger                 both     container defaults from LimitRanges, min/max checks
ServiceAccount              mutating ``default`` SA, the ``kube-api-access-xxxxx`` volume
TaintNodesByCondition       mutating new Nodes start with ``not-ready:NoSchedule``
PodSecurity                 validat. no-op (no namespace in the lab sets enforce labels)
Priority                    both     ``priority``/``preemptionPolicy`` from PriorityClasses
DefaultTolerationSeconds    mutating the two 300 s NoExecute tolerations
DefaultStorageClass         mutating PVCs without a class get the default one
ResourceQuota               validat. usage accounting and ``exceeded quota`` refusals
=========================== ======== ===============================================

Each plugin declares with :func:`~k8slab.api.store.admission_scope` the kinds and operations
it can act on — what upstream plugins check first (``Handles(operation)`` and their kind test)
— so the store only calls the plugins that apply to a write (an Event never goes through
LimitRanger or ServiceAccount).

Mutating plugins run after defaulting (the lab's store runs them where the handler chain
does, before validation); then Service REST allocation (:mod:`k8slab.api.servicealloc`)
runs, as ``BeginCreate`` does after admission. Validating plugins run after field validation.

Objects written by components share sub-trees with stored objects, so every plugin is
copy-on-write: it replaces nested dicts and lists it changes, never mutates them.

A refusal is ``admission.NewForbidden``: ``pods "web-7d4b9c-" is forbidden: …`` — naming the
object by its ``generateName`` when the apiserver has not generated the name yet, which is
what a ReplicaSet's ``FailedCreate`` event shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from ..sim.memo import by_identity
from ..sim.rand import NAME_ALPHABET, name_suffix
from . import errors, quantity
from .kinds import Kind, builtin
from .servicealloc import ServiceAllocator
from .store import APIServer, admission_scope

__all__ = [
    "SYSTEM_PRIORITY_CLASSES",
    "compute_quota_usage",
    "ensure_system_priority_classes",
    "install",
    "pod_quota_usage",
]

Obj = dict[str, Any]

NAMESPACE = builtin("v1", "Namespace")
POD = builtin("v1", "Pod")
NODE = builtin("v1", "Node")
SERVICE_ACCOUNT = builtin("v1", "ServiceAccount")
LIMIT_RANGE = builtin("v1", "LimitRange")
RESOURCE_QUOTA = builtin("v1", "ResourceQuota")
PVC = builtin("v1", "PersistentVolumeClaim")
PRIORITY_CLASS = builtin("scheduling.k8s.io/v1", "PriorityClass")
STORAGE_CLASS = builtin("storage.k8s.io/v1", "StorageClass")

API_TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
IMMORTAL_NAMESPACES = ("default", "kube-public", "kube-system")

SYSTEM_PRIORITY_CLASSES: tuple[Obj, ...] = (
    {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
     "metadata": {"name": "system-node-critical"}, "value": 2000001000,
     "preemptionPolicy": "PreemptLowerPriority",
     "description": "Used for system critical pods that must not be moved from their current "
                    "node."},
    {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
     "metadata": {"name": "system-cluster-critical"}, "value": 2000000000,
     "preemptionPolicy": "PreemptLowerPriority",
     "description": "Used for system critical pods that must run in the cluster, but can be "
                    "moved to another node if necessary."},
)


# ============================================================================ helpers

def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def _is(obj: Obj, api_version: str, kind: str) -> bool:
    return obj.get("kind") == kind and obj.get("apiVersion") == api_version


def _name_for_errors(obj: Obj) -> str:
    """``extractResourceName``: the name, or the ``generateName`` when the apiserver has not
    generated the name yet at admission time (the lab's store generates it earlier; a name
    that is the prefix plus five generated characters is taken as generated)."""
    meta = _meta(obj)
    name, prefix = meta.get("name", ""), meta.get("generateName", "")
    if prefix and name.startswith(prefix[:58]) and len(name) == len(prefix[:58]) + 5 and all(
            c in NAME_ALPHABET for c in name[-5:]):
        return prefix
    return name or prefix or "Unknown"


# Pods of one template share its (never mutated) tolerations list: they share the result too,
# which pod validation then recognises as already checked.
@by_identity
def _with_default_tolerations(given: list[Obj] | None) -> list[Obj] | None:
    """DefaultTolerationSeconds: ``given`` with the not-ready and unreachable tolerations it
    lacks, or ``given`` itself when it has both."""
    tolerations = given or []
    not_ready = unreachable = False
    for tol in tolerations:
        key, effect = tol.get("key") or "", tol.get("effect") or ""
        if effect in ("NoExecute", ""):
            not_ready = not_ready or key in ("node.kubernetes.io/not-ready", "")
            unreachable = unreachable or key in ("node.kubernetes.io/unreachable", "")
    added = list(tolerations)
    if not not_ready:
        added.append(_NOT_READY_TOLERATION)
    if not unreachable:
        added.append(_UNREACHABLE_TOLERATION)
    return given if len(added) == len(tolerations) else added


def _forbidden(kind: Kind, obj: Obj, detail: str) -> errors.StatusError:
    return errors.forbidden(kind.resource, _name_for_errors(obj), detail)


def _aggregate(messages: list[str]) -> str:
    """``utilerrors.NewAggregate(errs).Error()``."""
    unique: list[str] = []
    for m in messages:
        if m not in unique:
            unique.append(m)
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _q(value: Any) -> Fraction | None:
    try:
        return quantity.parse(value)
    except (ValueError, TypeError, AttributeError):
        return None


def _qstr(value: Any) -> str:
    try:
        return quantity.canonical(value)
    except (ValueError, TypeError, AttributeError):
        return str(value)


# ============================================================================ plugins

class _Plugins:
    """The admission chain bound to one apiserver.

    The store calls each plugin only on the writes its ``admission_scope`` declares, so a
    plugin does not test the kind and operation again.
    """

    def __init__(self, api: APIServer) -> None:
        self.api = api
        self.rng = api.streams("serviceaccount-admission")
        # The last stored Namespace a create was admitted in (not terminating). Stored objects
        # are never mutated, so while the store hands out this very dict its phase is known;
        # the reference pins it.
        self._live_namespace: Obj | None = None

    # ------------------------------------------------------------ NamespaceLifecycle

    @admission_scope(namespaced_only=True)
    def namespace_lifecycle(self, obj: Obj, operation: str, old: Obj | None) -> None:
        assert NAMESPACE is not None
        # Every write of a namespaced object comes here (6+ per pod): the common case, an
        # existing namespace, returns first, whatever the kind (resolved only to refuse); only
        # a create needs the namespace's phase.
        ns_name = (obj.get("metadata") or {}).get("namespace") or ""
        ns = self.api.try_get(NAMESPACE, "", ns_name) if ns_name else None
        if ns is not None:
            if ns is self._live_namespace or operation != "CREATE":
                return
            status = ns.get("status")
            if not status or status.get("phase") != "Terminating":
                self._live_namespace = ns
                return
        kind = self.api.kind_of(obj)
        if (kind.kind == "Namespace" and kind.group == "") or not kind.namespaced:
            return
        if ns is None:
            raise errors.not_found("namespaces", ns_name)
        # A create in a terminating namespace (the only case left).
        err = _forbidden(kind, obj, f"unable to create new content in namespace {ns_name} "
                                    "because it is being terminated")
        err.causes.append(errors.FieldError(
            "NamespaceTerminating", "metadata.namespace", errors.OMIT,
            f"namespace {ns_name} is being terminated"))
        raise err

    # ------------------------------------------------------------ LimitRanger

    def _limit_ranges(self, namespace: str) -> list[Obj]:
        assert LIMIT_RANGE is not None
        if not self.api.has_objects(LIMIT_RANGE, namespace):
            return []  # the common case, decided without listing and sorting
        return sorted(self.api.iter_kind(LIMIT_RANGE, namespace),
                      key=lambda lr: _meta(lr).get("name", ""))

    @admission_scope(kinds=[("", "Pod")], operations=["CREATE"])
    def limit_ranger_admit(self, obj: Obj, operation: str, old: Obj | None) -> None:
        ranges = self._limit_ranges(_meta(obj).get("namespace", ""))
        if not ranges:
            return
        spec = dict(obj.get("spec") or {})
        notes: list[str] = []
        for lr in ranges:
            for item in (lr.get("spec") or {}).get("limits") or []:
                if item.get("type") != "Container":
                    continue
                limits = item.get("default") or {}
                requests = item.get("defaultRequest") or {}
                if not limits and not requests:
                    continue
                for key, label in (("containers", "container"),
                                   ("initContainers", "init container")):
                    if not spec.get(key):
                        continue
                    spec[key] = [self._merge_resources(c, limits, requests, label, notes)
                                 for c in spec[key]]
        if notes:
            from .groups.core import pod_qos_class

            obj["spec"] = spec
            meta = dict(_meta(obj))
            meta["annotations"] = {**(meta.get("annotations") or {}),
                                   "kubernetes.io/limit-ranger":
                                   "LimitRanger plugin set: " + "; ".join(notes)}
            obj["metadata"] = meta
            obj["status"] = {**(obj.get("status") or {}), "qosClass": pod_qos_class(obj)}

    @staticmethod
    def _merge_resources(ctr: Obj, limits: Obj, requests: Obj, label: str,
                         notes: list[str]) -> Obj:
        res = ctr.get("resources") or {}
        have_lim = dict(res.get("limits") or {})
        have_req = dict(res.get("requests") or {})
        set_lim = [k for k in limits if k not in have_lim]
        set_req = [k for k in requests if k not in have_req]
        if not set_lim and not set_req:
            return ctr
        for k in set_lim:
            have_lim[k] = limits[k]
        for k in set_req:
            have_req[k] = requests[k]
        if set_req:
            notes.append(", ".join(sorted(set_req)) + f" request for {label} {ctr.get('name')}")
        if set_lim:
            notes.append(", ".join(sorted(set_lim)) + f" limit for {label} {ctr.get('name')}")
        new_res = dict(res)
        if have_lim:
            new_res["limits"] = have_lim
        if have_req:
            new_res["requests"] = have_req
        return {**ctr, "resources": new_res}

    @admission_scope(kinds=[("", "Pod"), ("", "PersistentVolumeClaim")])
    def limit_ranger_validate(self, obj: Obj, operation: str, old: Obj | None) -> None:
        if _is(obj, "v1", "Pod"):
            if operation != "CREATE":
                return
            problems = self._pod_limit_problems(obj)
        elif _is(obj, "v1", "PersistentVolumeClaim"):
            problems = self._pvc_limit_problems(obj)
        else:
            return
        if problems:
            raise _forbidden(self.api.kind_of(obj), obj, _aggregate(problems))

    def _pod_limit_problems(self, pod: Obj) -> list[str]:
        problems: list[str] = []
        spec = pod.get("spec") or {}
        for lr in self._limit_ranges(_meta(pod).get("namespace", "")):
            for item in (lr.get("spec") or {}).get("limits") or []:
                ltype = item.get("type")
                if ltype == "Container":
                    for key in ("containers", "initContainers"):
                        for ctr in spec.get(key) or []:
                            res = ctr.get("resources") or {}
                            problems.extend(_constraints(
                                "Container", item, res.get("requests") or {},
                                res.get("limits") or {}))
                elif ltype == "Pod":
                    requests, limits = _pod_totals(spec)
                    problems.extend(_constraints("Pod", item, requests, limits))
        return problems

    def _pvc_limit_problems(self, pvc: Obj) -> list[str]:
        problems: list[str] = []
        res = (pvc.get("spec") or {}).get("resources") or {}
        for lr in self._limit_ranges(_meta(pvc).get("namespace", "")):
            for item in (lr.get("spec") or {}).get("limits") or []:
                if item.get("type") == "PersistentVolumeClaim":
                    problems.extend(_constraints("PersistentVolumeClaim", item,
                                                 res.get("requests") or {},
                                                 res.get("limits") or {}, pvc=True))
        return problems

    # ------------------------------------------------------------ ServiceAccount

    @admission_scope(kinds=[("", "Pod")], operations=["CREATE"])
    def service_account(self, obj: Obj, operation: str, old: Obj | None) -> None:
        assert SERVICE_ACCOUNT is not None
        meta = _meta(obj)
        if "kubernetes.io/config.mirror" in (meta.get("annotations") or {}):
            return
        spec = dict(obj.get("spec") or {})
        name = spec.get("serviceAccountName") or "default"
        spec["serviceAccountName"] = name
        spec["serviceAccount"] = name
        namespace = meta.get("namespace", "")
        sa = self.api.try_get(SERVICE_ACCOUNT, namespace, name)
        if sa is None:
            raise _forbidden(self.api.kind_of(obj), obj, "error looking up service account "
                             f"{namespace}/{name}: serviceaccount \"{name}\" not found")
        automount = spec.get("automountServiceAccountToken")
        if automount is None:
            automount = sa.get("automountServiceAccountToken")
        if automount is not False:
            self._mount_token(spec)
        if not spec.get("imagePullSecrets") and sa.get("imagePullSecrets"):
            spec["imagePullSecrets"] = [{"name": s.get("name", "")}
                                        for s in sa["imagePullSecrets"]]
        obj["spec"] = spec

    def _mount_token(self, spec: Obj) -> None:
        volume_name = ""
        for vol in spec.get("volumes") or []:
            if str(vol.get("name", "")).startswith("kube-api-access-"):
                volume_name = vol["name"]
                break
        has_volume = bool(volume_name)
        if not volume_name:
            volume_name = "kube-api-access-" + name_suffix(self.rng)
        mount = {"mountPath": API_TOKEN_MOUNT_PATH, "name": volume_name, "readOnly": True}
        needs_volume = False
        for key in ("initContainers", "containers"):
            containers = spec.get(key)
            if not containers:
                continue
            new_list = []
            for ctr in containers:
                if any(m.get("mountPath") == API_TOKEN_MOUNT_PATH
                       for m in ctr.get("volumeMounts") or []):
                    new_list.append(ctr)
                    continue
                new_list.append({**ctr, "volumeMounts": [*(ctr.get("volumeMounts") or []),
                                                         dict(mount)]})
                needs_volume = True
            spec[key] = new_list
        if needs_volume and not has_volume:
            spec["volumes"] = [*(spec.get("volumes") or []), _token_volume(volume_name)]

    # ------------------------------------------------------------ TaintNodesByCondition

    @admission_scope(kinds=[("", "Node")], operations=["CREATE"])
    def taint_nodes_by_condition(self, obj: Obj, operation: str, old: Obj | None) -> None:
        spec = obj.get("spec") or {}
        taints = spec.get("taints") or []
        if any(t.get("key") == "node.kubernetes.io/not-ready" and t.get("effect") ==
               "NoSchedule" for t in taints):
            return
        obj["spec"] = {**spec, "taints": [*taints, {"key": "node.kubernetes.io/not-ready",
                                                    "effect": "NoSchedule"}]}

    # ------------------------------------------------------------ Priority

    def _priority_class(self, name: str) -> Obj | None:
        if PRIORITY_CLASS is not None:
            pc = self.api.try_get(PRIORITY_CLASS, "", name)
            if pc is not None:
                return pc
        for pc in SYSTEM_PRIORITY_CLASSES:
            if pc["metadata"]["name"] == name:
                return pc
        return None

    def _default_priority_class(self) -> Obj | None:
        if PRIORITY_CLASS is None:
            return None
        best: Obj | None = None
        # Only globalDefault classes compete (usually none: the system classes are not), so
        # they are picked out before sorting.
        defaults = [pc for pc in self.api.iter_kind(PRIORITY_CLASS) if pc.get("globalDefault")]
        for pc in sorted(defaults, key=lambda p: _meta(p)["name"]):
            if best is None or pc.get("value", 0) < best.get("value", 0):
                best = pc
        return best

    @admission_scope(kinds=[("", "Pod")], operations=["CREATE", "UPDATE"])
    def priority(self, obj: Obj, operation: str, old: Obj | None) -> None:
        spec = dict(obj.get("spec") or {})
        if operation == "UPDATE" and old is not None:
            ospec = old.get("spec") or {}
            for key in ("priority", "preemptionPolicy"):
                if ospec.get(key) is not None and spec.get(key) != ospec[key]:
                    spec[key] = ospec[key]
                    obj["spec"] = spec
            return
        if operation != "CREATE":
            return
        if not spec.get("priorityClassName"):
            pc = self._default_priority_class()
            value = pc.get("value", 0) if pc else 0
            policy = (pc or {}).get("preemptionPolicy", "PreemptLowerPriority")
            if pc:
                spec["priorityClassName"] = _meta(pc)["name"]
        else:
            pc = self._priority_class(spec["priorityClassName"])
            if pc is None:
                raise _forbidden(self.api.kind_of(obj), obj, "no PriorityClass with name "
                                 f"{spec['priorityClassName']} was found")
            value = pc.get("value", 0)
            policy = pc.get("preemptionPolicy", "PreemptLowerPriority")
        if spec.get("priority") is not None and spec["priority"] != value:
            raise _forbidden(self.api.kind_of(obj), obj, "the integer value of priority "
                             f"({spec['priority']}) must not be provided in pod spec; priority "
                             f"admission controller computed {value} from the given "
                             "PriorityClass name")
        spec["priority"] = value
        if spec.get("preemptionPolicy") is not None and spec["preemptionPolicy"] != policy:
            raise _forbidden(self.api.kind_of(obj), obj, "the string value of PreemptionPolicy "
                             f"({spec['preemptionPolicy']}) must not be provided in pod spec; "
                             f"priority admission controller computed {policy} from the given "
                             "PriorityClass name")
        spec["preemptionPolicy"] = policy
        obj["spec"] = spec

    # ------------------------------------------------------------ DefaultTolerationSeconds

    @admission_scope(kinds=[("", "Pod")], operations=["CREATE"])
    def default_toleration_seconds(self, obj: Obj, operation: str, old: Obj | None) -> None:
        spec = obj.get("spec") or {}
        given = spec.get("tolerations")
        added = _with_default_tolerations(given)
        if added is not given:
            obj["spec"] = {**spec, "tolerations": added}

    # ------------------------------------------------------------ DefaultStorageClass

    @admission_scope(kinds=[("", "PersistentVolumeClaim")], operations=["CREATE"])
    def default_storage_class(self, obj: Obj, operation: str, old: Obj | None) -> None:
        spec = obj.get("spec") or {}
        if spec.get("storageClassName") is not None or STORAGE_CLASS is None:
            return
        defaults = [sc for sc in self.api.iter_kind(STORAGE_CLASS)
                    if (_meta(sc).get("annotations") or {}).get(
                        "storageclass.kubernetes.io/is-default-class") == "true"]
        if not defaults:
            return
        # Several defaults: the newest wins (1.26+), ties by name.
        chosen = sorted(defaults, key=lambda sc: (_meta(sc).get("creationTimestamp", ""),
                                                  _meta(sc).get("name", "")))[-1]
        obj["spec"] = {**spec, "storageClassName": _meta(chosen)["name"]}

    # ------------------------------------------------------------ PodSecurity

    @admission_scope(kinds=[("", "Pod"), ("", "Namespace")])
    def pod_security(self, obj: Obj, operation: str, old: Obj | None) -> None:
        """PodSecurity enforces nothing unless a namespace carries
        ``pod-security.kubernetes.io/enforce`` labels; the lab's namespaces do not."""

    # ------------------------------------------------------------ ResourceQuota

    @admission_scope(operations=["CREATE"], namespaced_only=True)
    def resource_quota(self, obj: Obj, operation: str, old: Obj | None) -> None:
        if RESOURCE_QUOTA is None:
            return
        # The store drops the namespace of cluster-scoped objects on create, and a namespace
        # without quotas is the common case: both return before the kind is resolved.
        namespace = (obj.get("metadata") or {}).get("namespace", "")
        if not namespace or not self.api.has_objects(RESOURCE_QUOTA, namespace):
            return
        kind = self.api.kind_of(obj)
        if not kind.namespaced:
            return
        quotas = self.api.iter_kind(RESOURCE_QUOTA, namespace)
        delta = object_quota_usage(kind, obj)
        if not delta:
            return
        updates: list[tuple[Obj, Obj]] = []
        for rq in sorted(quotas, key=lambda q: _meta(q).get("name", "")):
            hard = (rq.get("status") or {}).get("hard") or (rq.get("spec") or {}).get("hard")
            hard = hard or {}
            tracked = [name for name in hard if name in delta or (
                kind.kind == "Pod" and name in _POD_VALIDATION_RESOURCES)]
            if not tracked:
                continue
            if kind.kind == "Pod":
                missing = _pod_missing_resources(obj, tracked)
                if missing:
                    raise _forbidden(kind, obj, f"failed quota: {_meta(rq).get('name')}: "
                                                f"must specify {missing}")
            requested = {name: delta[name] for name in tracked if name in delta and
                         delta[name] != 0}
            if not requested:
                continue
            status_used = (rq.get("status") or {}).get("used")
            if status_used is None or any(name not in status_used for name in requested):
                names = ",".join(sorted(requested))
                raise _forbidden(kind, obj, f"status unknown for quota: {_meta(rq)['name']}, "
                                            f"resources: {names}")
            used = {name: _q(status_used.get(name, "0")) or Fraction(0) for name in hard}
            exceeded = sorted(name for name, amount in requested.items()
                              if (_q(hard[name]) or Fraction(0)) < used.get(name, Fraction(0))
                              + amount)
            if exceeded:
                raise _forbidden(kind, obj, "exceeded quota: {}, requested: {}, used: {}, "
                                 "limited: {}".format(
                                     _meta(rq)["name"],
                                     _pretty({n: _fmt(n, requested[n]) for n in exceeded}),
                                     _pretty({n: _fmt(n, used.get(n, Fraction(0)))
                                              for n in exceeded}),
                                     _pretty({n: _qstr(hard[n]) for n in exceeded})))
            new_used = dict(status_used)
            for name, amount in requested.items():
                new_used[name] = _fmt(name, used.get(name, Fraction(0)) + amount)
            updates.append((rq, new_used))
        for rq, new_used in updates:
            status = {**(rq.get("status") or {}), "used": new_used}
            self.api.update({**rq, "status": status}, source="kube-apiserver", status=True,
                            trusted=True, check_version=False)


# ============================================================================ quota usage

_POD_VALIDATION_RESOURCES = ("requests.cpu", "requests.memory", "limits.cpu", "limits.memory",
                             "cpu", "memory")
_LEGACY_COUNTS = {"pods": "pods", "services": "services", "secrets": "secrets",
                  "configmaps": "configmaps", "persistentvolumeclaims": "persistentvolumeclaims",
                  "replicationcontrollers": "replicationcontrollers",
                  "resourcequotas": "resourcequotas"}


def _fmt(name: str, amount: Fraction) -> str:
    if name in _LEGACY_COUNTS or name.startswith("count/") or name.startswith("services."):
        return str(int(amount))
    if name.endswith("memory") or name.endswith("storage"):
        return _memory_string(amount)
    if amount.denominator == 1:
        return str(int(amount))
    return quantity.canonical(f"{int(amount * 1000)}m")


def _memory_string(amount: Fraction) -> str:
    n = int(amount) if amount.denominator == 1 else int(amount) + 1
    for unit, factor in (("Gi", 2**30), ("Mi", 2**20), ("Ki", 2**10)):
        if n and n % factor == 0:
            return f"{n // factor}{unit}"
    return str(n)


def _pretty(values: dict[str, str]) -> str:
    return ",".join(f"{k}={values[k]}" for k in sorted(values))


def _sum_resources(containers: Iterable[Obj], section: str) -> dict[str, Fraction]:
    totals: dict[str, Fraction] = {}
    for ctr in containers:
        for name, value in ((ctr.get("resources") or {}).get(section) or {}).items():
            amount = _q(value)
            if amount is not None:
                totals[name] = totals.get(name, Fraction(0)) + amount
    return totals


def _pod_totals(spec: Obj) -> tuple[dict[str, Fraction], dict[str, Fraction]]:
    """``resourcehelper.PodRequests``/``PodLimits``: containers summed, init containers'
    maximum when larger, plus overhead."""
    result = []
    for section in ("requests", "limits"):
        totals = _sum_resources(spec.get("containers") or [], section)
        for ctr in spec.get("initContainers") or []:
            for name, amount in _sum_resources([ctr], section).items():
                if amount > totals.get(name, Fraction(0)):
                    totals[name] = amount
        for name, value in (spec.get("overhead") or {}).items():
            extra = _q(value)
            if extra is not None and name in totals:
                totals[name] += extra
        result.append(totals)
    return result[0], result[1]


def pod_quota_usage(pod: Obj) -> dict[str, Fraction]:
    """What one non-terminal pod counts against quotas (the pods evaluator)."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return {}
    requests, limits = _pod_totals(pod.get("spec") or {})
    usage: dict[str, Fraction] = {"pods": Fraction(1), "count/pods": Fraction(1)}
    for name in ("cpu", "memory", "ephemeral-storage"):
        if name in requests:
            usage[f"requests.{name}"] = requests[name]
            usage[name] = requests[name]
        if name in limits:
            usage[f"limits.{name}"] = limits[name]
    return usage


def object_quota_usage(kind: Kind, obj: Obj) -> dict[str, Fraction]:
    """The usage one object adds: object counts, pod compute, PVC storage, service ports."""
    usage: dict[str, Fraction] = {f"count/{kind.resource}": Fraction(1)}
    if kind.group == "" and kind.plural in _LEGACY_COUNTS:
        usage[kind.plural] = Fraction(1)
    if kind.kind == "Pod" and kind.group == "":
        usage.update(pod_quota_usage(obj))
    elif kind.kind == "Service" and kind.group == "":
        stype = (obj.get("spec") or {}).get("type")
        ports = len((obj.get("spec") or {}).get("ports") or [])
        if stype in ("NodePort", "LoadBalancer"):
            usage["services.nodeports"] = Fraction(ports)
        if stype == "LoadBalancer":
            usage["services.loadbalancers"] = Fraction(1)
    elif kind.kind == "PersistentVolumeClaim" and kind.group == "":
        storage = _q((((obj.get("spec") or {}).get("resources") or {}).get("requests")
                      or {}).get("storage"))
        if storage is not None:
            usage["requests.storage"] = storage
    return usage


def _pod_missing_resources(pod: Obj, tracked: list[str]) -> str:
    """The pods evaluator's ``Constraints``: quota on cpu/memory makes every container
    declare them. Returns ``limits.cpu for: nginx; …`` or ``""``."""
    required = sorted(set(tracked) & set(_POD_VALIDATION_RESOURCES))
    if not required:
        return ""
    missing: dict[str, list[str]] = {}
    spec = pod.get("spec") or {}
    for ctr in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        res = ctr.get("resources") or {}
        for name in required:
            section, resource = ("requests", name) if "." not in name else name.split(".", 1)
            if resource not in (res.get(section) or {}):
                missing.setdefault(name, []).append(ctr.get("name", ""))
    return "; ".join(f"{name} for: {','.join(sorted(set(names)))}"
                     for name, names in sorted(missing.items()))


def compute_quota_usage(api: APIServer, quota: Obj) -> dict[str, str]:
    """Recount what ``quota`` tracks in its namespace (the resourcequota controller's sync)."""
    namespace = _meta(quota).get("namespace", "")
    hard = (quota.get("spec") or {}).get("hard") or {}
    totals = {name: Fraction(0) for name in hard}
    wanted = set(hard)
    from .kinds import KINDS

    for kind in KINDS:
        if not kind.namespaced or "create" not in kind.verbs:
            continue
        names = {f"count/{kind.resource}", kind.plural if kind.group == "" else ""}
        if kind.kind in ("Pod", "Service", "PersistentVolumeClaim") and kind.group == "":
            names |= set(_POD_VALIDATION_RESOURCES) | {"requests.storage", "services.nodeports",
                                                       "services.loadbalancers",
                                                       "requests.ephemeral-storage",
                                                       "limits.ephemeral-storage",
                                                       "ephemeral-storage", "count/pods"}
        if not names & wanted:
            continue
        for obj in api.iter_kind(kind, namespace):
            for name, amount in object_quota_usage(kind, obj).items():
                if name in totals:
                    totals[name] += amount
    return {name: _fmt(name, amount) for name, amount in sorted(totals.items())}


# ============================================================================ LimitRanger math

def _constraints(ltype: str, item: Obj, requests: Obj, limits: Obj,
                 pvc: bool = False) -> list[str]:
    problems: list[str] = []
    for name in sorted(item.get("min") or {}):
        enforced = item["min"][name]
        req, lim = requests.get(name), limits.get(name)
        e = _q(enforced) or Fraction(0)
        if req is None:
            problems.append(f"minimum {name} usage per {ltype} is {_qstr(enforced)}.  No "
                            "request is specified")
        elif (_q(req) or Fraction(0)) < e:
            problems.append(f"minimum {name} usage per {ltype} is {_qstr(enforced)}, but "
                            f"request is {_qstr(req)}")
        elif lim is not None and (_q(lim) or Fraction(0)) < e:
            problems.append(f"minimum {name} usage per {ltype} is {_qstr(enforced)}, but limit "
                            f"is {_qstr(lim)}")
    for name in sorted(item.get("max") or {}):
        enforced = item["max"][name]
        req, lim = requests.get(name), limits.get(name)
        e = _q(enforced) or Fraction(0)
        if pvc:
            if req is not None and (_q(req) or Fraction(0)) > e:
                problems.append(f"maximum {name} usage per {ltype} is {_qstr(enforced)}, but "
                                f"request is {_qstr(req)}")
            continue
        if lim is None:
            problems.append(f"maximum {name} usage per {ltype} is {_qstr(enforced)}.  No limit "
                            "is specified")
        elif (_q(lim) or Fraction(0)) > e:
            problems.append(f"maximum {name} usage per {ltype} is {_qstr(enforced)}, but limit "
                            f"is {_qstr(lim)}")
        elif req is not None and (_q(req) or Fraction(0)) > e:
            problems.append(f"maximum {name} usage per {ltype} is {_qstr(enforced)}, but "
                            f"request is {_qstr(req)}")
    for name in sorted(item.get("maxLimitRequestRatio") or {}):
        enforced = item["maxLimitRequestRatio"][name]
        req, lim = _q(requests.get(name)), _q(limits.get(name))
        if not req:
            problems.append(f"{name} max limit to request ratio per {ltype} is "
                            f"{_qstr(enforced)}, but no request is specified or request is 0")
        elif not lim:
            problems.append(f"{name} max limit to request ratio per {ltype} is "
                            f"{_qstr(enforced)}, but no limit is specified or limit is 0")
        elif lim / req > (_q(enforced) or Fraction(0)):
            problems.append(f"{name} max limit to request ratio per {ltype} is "
                            f"{_qstr(enforced)}, but provided ratio is {float(lim / req):f}")
    return problems


# Shared by every pod's token volume: stored objects are never mutated, and sharing lets
# validation recognise the sub-tree it already checked.
_TOKEN_PROJECTION: Obj = {"defaultMode": 420, "sources": [
    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
    {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
    {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1",
                                             "fieldPath": "metadata.namespace"},
                                "path": "namespace"}]}},
]}
_NOT_READY_TOLERATION: Obj = {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                              "operator": "Exists", "tolerationSeconds": 300}
_UNREACHABLE_TOLERATION: Obj = {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                                "operator": "Exists", "tolerationSeconds": 300}


def _token_volume(name: str) -> Obj:
    """``TokenVolumeSource``: token, the cluster CA and the namespace, mode 0644."""
    return {"name": name, "projected": _TOKEN_PROJECTION}


# ============================================================================ wiring

def ensure_system_priority_classes(api: APIServer) -> None:
    """The apiserver's bootstrap ``system-node-critical`` and ``system-cluster-critical``."""
    if PRIORITY_CLASS is None:
        return
    for pc in SYSTEM_PRIORITY_CLASSES:
        if api.try_get(PRIORITY_CLASS, "", pc["metadata"]["name"]) is None:
            api.create({**pc, "metadata": dict(pc["metadata"])}, source="kube-apiserver",
                       trusted=True)


def install(api: APIServer) -> None:
    """Register the admission chain (and Service allocation after it) on ``api``."""
    plugins = _Plugins(api)
    api.mutating += (
        plugins.namespace_lifecycle,
        plugins.limit_ranger_admit,
        plugins.service_account,
        plugins.taint_nodes_by_condition,
        plugins.priority,
        plugins.default_toleration_seconds,
        plugins.default_storage_class,
        ServiceAllocator(api),
    )
    api.validating += (
        plugins.limit_ranger_validate,
        plugins.pod_security,
        plugins.resource_quota,
    )
