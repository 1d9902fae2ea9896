"""ReplicaSet controller (``pkg/controller/replicaset/replica_set.go``, ``replica_set_utils.go``).

Keeps ``spec.replicas`` active pods for every ReplicaSet (kubernetes.md §2):

- pods are created from the (already defaulted) template with ``generateName: <rs>-`` and a
  controller reference (``controller: true``, ``blockOwnerDeletion: true``), in "slow start"
  batches of 1, 2, 4, 8 … that stop at the first failure, at most ``burstReplicas`` (500) per
  sync; events ``SuccessfulCreate`` "Created pod: x", ``FailedCreate`` "Error creating: …",
  ``SuccessfulDelete`` "Deleted pod: x", ``FailedDelete`` "Error deleting: …"
  (``controller_utils.go`` ``RealPodControl``);
- extra pods are deleted in the order of ``controller_utils.go`` ``ActivePodsWithRanks``
  (unscheduled, Pending < Unknown < Running, not ready, lower pod-deletion-cost, more pods of
  the same owner on the node, recently ready, more restarts, newer — times compared on the
  LogarithmicScaleDown log₂ scale, ties broken by UID);
- orphan pods matching the selector are adopted, owned pods that stop matching are released
  (``ControllerRefManager``); pods that are terminating, Succeeded or Failed do not count;
- status: ``replicas``, ``fullyLabeledReplicas``, ``readyReplicas``, ``availableReplicas``
  (ready for ``minReadySeconds``, re-checked with a delayed requeue), ``terminatingReplicas``
  (DeploymentReplicaSetTerminatingReplicas, beta and on since 1.35), ``observedGeneration``
  and the ``ReplicaFailure`` condition;
- ``ControllerExpectations``: after creating or deleting pods the controller waits until its
  watch has seen them (or five minutes passed) before it creates or deletes again.

Like the informer cache it models, the controller keeps its own view of each ReplicaSet's pods,
fed by its pod watch: counters are updated per pod event, so a sync costs O(1) however many
pods a ReplicaSet has (a 30,000-replica Deployment would otherwise rescan 30,000 pods for every
status change). Pods are built copy-on-write: every pod of a ReplicaSet shares one ``spec``
dict (the template's, plus the Pod-only defaults applied once) and one owner-reference list.
"""

from __future__ import annotations

import copy
import heapq
import json
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from ..api import defaults
from ..api.errors import StatusError
from ..api.kinds import Kind, builtin
from ..api.selectors import Selector, from_label_selector
from ..api.store import ADDED, DELETED, MODIFIED, APIServer
from ..api.validation.meta import name_is_dns_subdomain
from ..sim.clock import MINUTE, SECOND
from ..sim.memo import by_identity
from ..sim.timefmt import parse_rfc3339, rfc3339
from .base import Controller, split_key

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = [
    "BURST_REPLICAS",
    "POD_OWNER_INDEX",
    "ReplicaSetController",
    "claim_objects",
    "ensure_pod_owner_index",
    "is_pod_available",
    "is_pod_ready",
]

Obj = dict[str, Any]

POD = builtin("v1", "Pod")
REPLICASET = builtin("apps/v1", "ReplicaSet")

BURST_REPLICAS = 500  # replica_set.go BurstReplicas
SLOW_START_INITIAL_BATCH = 1  # controller_utils.go SlowStartInitialBatchSize
EXPECTATIONS_TIMEOUT = 5 * MINUTE  # controller_utils.go ExpectationsTimeout
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
POD_OWNER_INDEX = "owner"
# (keyed by status.phase as read: None when the pod has none yet)
_PHASE_ORDINAL: dict[str | None, int] = {"Pending": 0, "Unknown": 1, "Running": 2}


# --------------------------------------------------------------------------- pod helpers


def _controller_ref(obj: Obj) -> Obj | None:
    return _controller_of((obj.get("metadata") or {}).get("ownerReferences") or ())


def _controller_of(refs: Iterable[Obj]) -> Obj | None:
    for ref in refs:
        if ref.get("controller"):
            return ref
    return None


def _controller_uid(pod: Obj) -> tuple[str, ...]:
    refs = (pod.get("metadata") or {}).get("ownerReferences")
    return _controller_uids(refs) if refs else ()


# The owner index's key is computed for the old and the new object of a pod write that changes
# its ownerReferences (see add_index's ``reads``), and a ReplicaSet's pods share one (never
# mutated) ownerReferences list.
@by_identity
def _controller_uids(refs: list[Obj]) -> tuple[str, ...]:
    ref = _controller_of(refs)
    return (ref["uid"],) if ref is not None and ref.get("uid") else ()


def ensure_pod_owner_index(api: APIServer) -> None:
    """Pods by the uid of their controller (``api.by_index(POD, "owner", uid)``)."""
    try:
        api.by_index(POD, POD_OWNER_INDEX, "")
    except KeyError:
        api.add_index(POD, POD_OWNER_INDEX, _controller_uid, reads=("metadata", "ownerReferences"))


def _ready_condition(pod: Obj) -> Obj | None:
    for c in (pod.get("status") or {}).get("conditions") or ():
        if c.get("type") == "Ready":
            return c
    return None


def is_pod_ready(pod: Obj) -> bool:
    """``podutil.IsPodReady``."""
    c = _ready_condition(pod)
    return c is not None and c.get("status") == "True"


def _ready_since(pod: Obj) -> int:
    c = _ready_condition(pod)
    text = c.get("lastTransitionTime") if c else None
    return parse_rfc3339(text) if text else 0


def is_pod_available(pod: Obj, min_ready_seconds: int, now: int) -> bool:
    """``podutil.IsPodAvailable``: ready, and for longer than minReadySeconds (strictly)."""
    if not is_pod_ready(pod):
        return False
    if min_ready_seconds == 0:
        return True
    since = _ready_since(pod)
    return since != 0 and since + min_ready_seconds * SECOND < now


def _pod_state(pod: Obj) -> str:
    """``active`` (counted), ``terminating`` or ``inactive`` (``controller.IsPodActive``)."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return "inactive"
    if (pod.get("metadata") or {}).get("deletionTimestamp"):
        return "terminating"
    return "active"


def _labels(obj: Obj) -> dict[str, str]:
    return (obj.get("metadata") or {}).get("labels") or {}


def _go_log2_int(x: float) -> int:
    """``int64(math.Log2(x))`` with Go's Log2 (exact for powers of two)."""
    frac, exp = math.frexp(x)
    if frac == 0.5:
        return exp - 1
    return int(math.log(frac) * (1 / math.log(2)) + exp)


def _log_rank(t: int, now: int) -> int:
    d = now - t
    return _go_log2_int(float(d)) if d > 0 else -1


def _deletion_cost(pod: Obj) -> int:
    value = ((pod.get("metadata") or {}).get("annotations") or {}).get(POD_DELETION_COST)
    if value is None:
        return 0
    try:
        cost = int(value)
    except ValueError:
        return 0
    return cost if -(2**31) <= cost < 2**31 else 0


def _deletion_key(pod: Obj, rank: int, now: int) -> tuple[Any, ...]:
    """A sort key ordering pods as ``ActivePodsWithRanks.Less`` does (smaller goes first)."""
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ready = is_pod_ready(pod)
    if ready:
        since = _ready_since(pod)
        ready_key = (0, 0) if since == 0 else (1, _log_rank(since, now))
    else:
        ready_key = (0, 0)
    restarts = max((int(c.get("restartCount") or 0)
                    for c in status.get("containerStatuses") or ()), default=0)
    created_text = meta.get("creationTimestamp")
    created = parse_rfc3339(created_text) if created_text else 0
    created_key = (0, 0) if created == 0 else (1, _log_rank(created, now))
    return (1 if spec.get("nodeName") else 0, _PHASE_ORDINAL.get(status.get("phase"), 0),
            1 if ready else 0, _deletion_cost(pod), -rank, ready_key, -restarts, created_key,
            meta.get("uid", ""))


def get_pods_to_delete(pods: list[Obj], related: list[Obj], diff: int, now: int) -> list[Obj]:
    """``getPodsToDelete``: the ``diff`` pods to delete first."""
    if diff >= len(pods):
        return sorted(pods, key=lambda p: p["metadata"]["name"])[:diff]
    on_node: dict[str, int] = {}
    for pod in related:
        if _pod_state(pod) == "active":
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1
    return heapq.nsmallest(diff, pods, key=lambda p: _deletion_key(
        p, on_node.get((p.get("spec") or {}).get("nodeName") or "", 0), now))


# --------------------------------------------------------------------------- ControllerRef


def claim_objects(
    api: APIServer,
    kind: Kind,
    owner: Obj,
    selector: Selector,
    candidates: list[Obj],
    can_adopt: Callable[[], bool],
    *,
    source: str,
) -> list[Obj]:
    """``ControllerRefManager.ClaimObject`` over ``candidates``: keep owned matches, release
    owned objects that stopped matching, adopt matching orphans."""
    owner_meta = owner["metadata"]
    owner_uid = owner_meta.get("uid")
    deleting = bool(owner_meta.get("deletionTimestamp"))
    adopt_ok: bool | None = None
    claimed: list[Obj] = []
    for obj in candidates:
        meta = obj["metadata"]
        ref = _controller_ref(obj)
        matches = selector.matches(meta.get("labels"))
        if ref is not None:
            if ref.get("uid") != owner_uid:
                continue
            if matches:
                claimed.append(obj)
            elif not deleting:
                release_object(api, kind, obj, owner_uid, source=source)
            continue
        if deleting or not matches or meta.get("deletionTimestamp"):
            continue
        if adopt_ok is None:
            adopt_ok = can_adopt()
        if not adopt_ok:
            continue
        adopted = adopt_object(api, kind, obj, owner, source=source)
        if adopted is not None:
            claimed.append(adopted)
    return claimed


def _new_controller_ref(owner: Obj) -> Obj:
    meta = owner["metadata"]
    return {"apiVersion": owner["apiVersion"], "kind": owner["kind"], "name": meta["name"],
            "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}


def adopt_object(api: APIServer, kind: Kind, obj: Obj, owner: Obj, *, source: str) -> Obj | None:
    """The adoption patch: append a controller reference to the owner."""
    meta = obj["metadata"]
    ref = _new_controller_ref(owner)

    def mutate(live: Obj) -> Obj:
        refs = list(live["metadata"].get("ownerReferences") or [])
        refs.append(ref)
        live["metadata"]["ownerReferences"] = refs
        return live

    try:
        return api.patch(kind, meta.get("namespace", ""), meta["name"], mutate, source=source,
                         trusted=True)
    except StatusError as err:
        if err.reason == "NotFound":
            return None
        raise


def release_object(api: APIServer, kind: Kind, obj: Obj, owner_uid: str | None, *,
                   source: str) -> None:
    """The release patch: drop the owner's reference from ``obj``."""
    meta = obj["metadata"]

    def mutate(live: Obj) -> Obj:
        refs = [r for r in live["metadata"].get("ownerReferences") or ()
                if r.get("uid") != owner_uid]
        if refs:
            live["metadata"]["ownerReferences"] = refs
        else:
            live["metadata"].pop("ownerReferences", None)
        return live

    try:
        api.patch(kind, meta.get("namespace", ""), meta["name"], mutate, source=source,
                  trusted=True)
    except StatusError as err:
        if err.reason not in ("NotFound", "Invalid"):
            raise


# --------------------------------------------------------------------------- expectations


class _Expectation:
    __slots__ = ("add", "delete", "keys", "timestamp")

    def __init__(self, add: int, delete: int, keys: set[str], timestamp: int) -> None:
        self.add = add
        self.delete = delete
        self.keys = keys
        self.timestamp = timestamp


class Expectations:
    """``UIDTrackingControllerExpectations``: creations/deletions a sync waits to observe."""

    def __init__(self, clock: Callable[[], int]) -> None:
        self._clock = clock
        self._items: dict[str, _Expectation] = {}

    def satisfied(self, key: str) -> bool:
        exp = self._items.get(key)
        if exp is None:
            return True
        if exp.add <= 0 and exp.delete <= 0:
            return True
        return self._clock() - exp.timestamp > EXPECTATIONS_TIMEOUT

    def expect_creations(self, key: str, count: int) -> None:
        self._items[key] = _Expectation(count, 0, set(), self._clock())

    def expect_deletions(self, key: str, pod_keys: list[str]) -> None:
        self._items[key] = _Expectation(0, len(pod_keys), set(pod_keys), self._clock())

    def creation_observed(self, key: str) -> None:
        exp = self._items.get(key)
        if exp is not None:
            exp.add -= 1

    def deletion_observed(self, key: str, pod_key: str) -> None:
        exp = self._items.get(key)
        if exp is not None and pod_key in exp.keys:
            exp.keys.discard(pod_key)
            exp.delete -= 1

    def forget(self, key: str) -> None:
        self._items.pop(key, None)


# --------------------------------------------------------------------------- per-RS view


class _View:
    """The controller's informer-like view of the pods one ReplicaSet (by uid) controls."""

    __slots__ = ("active", "basis", "basis_of", "fully", "labels_seen", "mismatched", "owner",
                 "ready", "selector", "template_labels", "terminating")

    def __init__(self) -> None:
        self.active: dict[str, Obj] = {}
        self.terminating: dict[str, Obj] = {}
        self.ready: dict[str, Obj] = {}
        self.mismatched: dict[str, Obj] = {}
        self.fully = 0
        self.basis: str | None = None
        # the (selector, template labels) objects ``basis`` was computed from
        self.basis_of: tuple[Any, Any] = (None, None)
        self.selector: Selector | None = None
        self.template_labels: tuple[tuple[str, str], ...] = ()
        # the last labels map _label_facts judged, with its verdicts (reset by a new basis)
        self.labels_seen: tuple[dict[str, str], bool, bool] | None = None
        # the last (namespace, ownerReferences list) controller_key read, with its answer
        self.owner: tuple[str, list[Obj], Obj, str] | None = None

    def controller_key(self, namespace: str, refs: list[Obj]) -> tuple[Obj, str]:
        """The controller reference in ``refs`` (a counted pod's: it has one) and the queue
        key of the ReplicaSet it names. The pods of a ReplicaSet share one (never mutated)
        ownerReferences list: the answer for the last list is remembered."""
        owner = self.owner
        if owner is not None and owner[1] is refs and owner[0] == namespace:
            return owner[2], owner[3]
        ref = _controller_of(refs)
        assert ref is not None
        key = f"{namespace}/{ref.get('name', '')}"
        self.owner = (namespace, refs, ref, key)
        return ref, key

    def _label_facts(self, pod: Obj) -> tuple[bool, bool]:
        """Whether ``pod`` carries every template label, and whether the selector (if any)
        selects it. The pods of one template share their (never mutated) labels map: the
        verdicts for the last map are remembered."""
        labels = _labels(pod)
        seen = self.labels_seen
        if seen is not None and seen[0] is labels:
            return seen[1], seen[2]
        fully = all(labels.get(k) == v for k, v in self.template_labels)
        selected = self.selector is None or self.selector.matches(labels)
        self.labels_seen = (labels, fully, selected)
        return fully, selected

    def _fully_labeled(self, pod: Obj) -> bool:
        return self._label_facts(pod)[0]

    def add(self, name: str, pod: Obj) -> None:
        state = _pod_state(pod)
        if state == "terminating":
            self.terminating[name] = pod
            return
        if state != "active":
            return
        self.active[name] = pod
        if is_pod_ready(pod):
            self.ready[name] = pod
        if self.basis is not None:
            fully, selected = self._label_facts(pod)
            if fully:
                self.fully += 1
            if not selected:
                self.mismatched[name] = pod

    def replace(self, name: str, pod: Obj) -> bool:
        """``pod`` replaces the counted pod ``name``, still active, with the same controller and
        labels: only the ready set may change. Returns whether the pod became ready. (Where
        the view's pods sit in its dicts does not matter: every use sorts or counts.)"""
        self.active[name] = pod
        if is_pod_ready(pod):
            # (the ready set holds exactly the counted pods that are ready)
            became_ready = name not in self.ready
            self.ready[name] = pod
        else:
            became_ready = False
            self.ready.pop(name, None)
        if name in self.mismatched:
            self.mismatched[name] = pod
        return became_ready

    def remove(self, name: str) -> None:
        self.terminating.pop(name, None)
        pod = self.active.pop(name, None)
        if pod is None:
            return
        self.ready.pop(name, None)
        self.mismatched.pop(name, None)
        if self.basis is not None and self._fully_labeled(pod):
            self.fully -= 1

    def empty(self) -> bool:
        return not self.active and not self.terminating

    def rebase(self, rs: Obj) -> None:
        """Recount what depends on the RS's selector and template labels, if they changed."""
        spec = rs.get("spec") or {}
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        selector = spec.get("selector")
        # Stored objects are never mutated: the same sub-dicts mean the same basis (every
        # status write of the RS keeps its spec).
        if (self.basis is not None and self.basis_of[0] is selector
                and self.basis_of[1] is template_labels):
            return
        self.basis_of = (selector, template_labels)
        basis = json.dumps([selector, template_labels], sort_keys=True)
        if basis == self.basis:
            return
        self.basis = basis
        self.selector = from_label_selector(spec.get("selector"))
        self.template_labels = tuple(sorted(template_labels.items()))
        self.labels_seen = None
        self.fully = sum(1 for p in self.active.values() if self._fully_labeled(p))
        self.mismatched = {n: p for n, p in self.active.items()
                           if not self._label_facts(p)[1]}


# --------------------------------------------------------------------------- the controller


class ReplicaSetController(Controller):
    """``ReplicaSetController``: ReplicaSets → Pods."""

    name = "replicaset-controller"
    burst_replicas: ClassVar[int] = BURST_REPLICAS

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        ensure_pod_owner_index(self.api)
        self.expectations = Expectations(lambda: self.loop.now)
        self._views: dict[str, _View] = {}
        self._pod_view: dict[tuple[str, str], str] = {}
        self._orphans: dict[str, dict[str, Obj]] = {}
        # per RS uid: (template and template spec they were derived from, pod spec, metadata)
        self._pod_parts: dict[str, tuple[Obj, Obj, Obj, Obj]] = {}
        self.watch(REPLICASET, self._on_replica_set)
        self.watch(POD, self._on_pod)
        # The informer's initial list.
        for pod in self.api.iter_kind(POD):
            self._observe(pod, None, ADDED)
        for rs in self.api.list(REPLICASET):
            self.enqueue(rs)

    # ------------------------------------------------------------------ the pod view

    def _observe(self, pod: Obj, old: Obj | None, event: str) -> None:
        meta = pod["metadata"]
        ns = meta.get("namespace", "")
        name = meta["name"]
        ident = (ns, name)
        # (The commonest update, of a pod the view counts as it is, is handled by _on_pod.)
        if event == MODIFIED and old is not None and self._same_counts(ident, pod, old):
            # Most other pod updates (status details) change nothing the counters depend on.
            view = self._views[self._pod_view[ident]]
            view.active[name] = pod
            if name in view.ready:
                view.ready[name] = pod
            if name in view.mismatched:
                view.mismatched[name] = pod
            return
        prev = self._pod_view.pop(ident, None)
        if prev is not None:
            prev_view = self._views.get(prev)
            if prev_view is not None:
                prev_view.remove(name)
                if prev_view.empty():
                    del self._views[prev]
        orphans = self._orphans.get(ns)
        if orphans is not None and orphans.pop(name, None) is not None and not orphans:
            del self._orphans[ns]
        if event == DELETED:
            return
        ref = _controller_ref(pod)
        if ref is not None:
            if ref.get("kind") != "ReplicaSet" or not ref.get("uid"):
                return
            uid = ref["uid"]
            owner_view = self._views.get(uid)
            if owner_view is None:
                owner_view = self._views[uid] = _View()
            owner_view.add(name, pod)
            if not owner_view.empty():
                self._pod_view[ident] = uid
            else:
                del self._views[uid]
        elif _pod_state(pod) == "active":
            self._orphans.setdefault(ns, {})[name] = pod

    def _counting(self, ident: tuple[str, str], pod: Obj, old: Obj) -> _View | None:
        """The view counting ``old`` (the very object it holds: active, controlled by the
        view's ReplicaSet) if ``pod`` keeps its references and labels and stays active."""
        uid = self._pod_view.get(ident)
        if uid is None:
            return None
        view = self._views[uid]
        meta, old_meta = pod["metadata"], old["metadata"]
        if (view.active.get(ident[1]) is not old
                or meta.get("ownerReferences") is not old_meta.get("ownerReferences")):
            return None
        labels, old_labels = meta.get("labels"), old_meta.get("labels")
        if (_pod_state(pod) == "active"
                and (labels is old_labels or (labels or {}) == (old_labels or {}))):
            return view
        return None

    def _same_counts(self, ident: tuple[str, str], pod: Obj, old: Obj) -> bool:
        uid = self._pod_view.get(ident)
        if uid is None:
            return False
        ref = _controller_ref(pod)
        return (ref is not None and ref.get("uid") == uid and _controller_ref(old) == ref
                and _pod_state(pod) == "active" and _pod_state(old) == "active"
                and _labels(pod) == _labels(old) and is_pod_ready(pod) == is_pod_ready(old))

    # ------------------------------------------------------------------ handlers

    def _resolve(self, namespace: str, ref: Obj | None) -> Obj | None:
        if ref is None or ref.get("kind") != "ReplicaSet":
            return None
        rs = self.api.try_get(REPLICASET, namespace, ref.get("name", ""))
        if rs is None or rs["metadata"].get("uid") != ref.get("uid"):
            return None
        return rs

    def _replica_sets_for_pod(self, pod: Obj) -> list[Obj]:
        """``getPodReplicaSets``: RSs whose selector matches an orphan pod."""
        labels = _labels(pod)
        if not labels:
            return []
        out = []
        for rs in self.api.list(REPLICASET, pod["metadata"].get("namespace", "")):
            selector = (rs.get("spec") or {}).get("selector")
            if selector and from_label_selector(selector).matches(labels):
                out.append(rs)
        return out

    @staticmethod
    def _key(obj: Obj) -> str:
        meta = obj["metadata"]
        return f"{meta.get('namespace', '')}/{meta['name']}"

    def _on_replica_set(self, event: str, rs: Obj, old: Obj | None) -> None:
        if event == DELETED:
            self.expectations.forget(self._key(rs))
            self._pod_parts.pop(rs["metadata"].get("uid", ""), None)
        self.enqueue(rs)

    def _deleted_pod(self, pod: Obj) -> None:
        """``deletePod``: a deletion (or its start) observed."""
        ns = pod["metadata"].get("namespace", "")
        rs = self._resolve(ns, _controller_ref(pod))
        if rs is None:
            return
        key = self._key(rs)
        self.expectations.deletion_observed(key, self._key(pod))
        self.queue.add(key)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        meta = pod["metadata"]
        ns = meta.get("namespace", "")
        if event == MODIFIED and old is not None:
            name = meta["name"]
            view = self._counting((ns, name), pod, old)
            if view is not None:
                # Most pod updates (the bind, status details, readiness) keep a counted pod
                # active, its controller and its labels: the view only swaps the object, and of
                # the handling below only the requeue of its ReplicaSet applies.
                became_ready = view.replace(name, pod)
                counted_ref, key = view.controller_key(ns, meta["ownerReferences"])
                # With its key already queued, _pod_updated would only add the key again (its
                # delayed re-check needs a pod that became ready): the ReplicaSet is not read.
                if ((became_ready or not self.queue.queued(key))
                        and old["metadata"].get("resourceVersion") != meta.get("resourceVersion")):
                    rs = self._resolve(ns, counted_ref)
                    if rs is not None:
                        self._pod_updated(rs, key, pod, old)
                return
        self._observe(pod, old, event)
        if event == DELETED:
            self._deleted_pod(pod)
            return
        if event == ADDED:
            if meta.get("deletionTimestamp"):
                self._deleted_pod(pod)
                return
            ref = _controller_ref(pod)
            if ref is not None:
                rs = self._resolve(ns, ref)
                if rs is not None:
                    key = self._key(rs)
                    self.expectations.creation_observed(key)
                    self.queue.add(key)
                return
            for rs in self._replica_sets_for_pod(pod):
                self.enqueue(rs)
            return
        if event != MODIFIED or old is None:
            return
        old_meta = old["metadata"]
        if old_meta.get("resourceVersion") == meta.get("resourceVersion"):
            return
        labels, old_labels = meta.get("labels"), old_meta.get("labels")
        # (identity first: most updates keep the metadata maps of the stored pod)
        labels_changed = labels is not old_labels and old_labels != labels
        if meta.get("deletionTimestamp"):
            self._deleted_pod(pod)
            if labels_changed:
                self._deleted_pod(old)
            return
        ref = _controller_ref(pod)
        old_ref = (ref if meta.get("ownerReferences") is old_meta.get("ownerReferences")
                   else _controller_ref(old))
        ref_changed = ref is not old_ref and ref != old_ref
        if ref_changed and old_ref is not None:
            previous = self._resolve(ns, old_ref)
            if previous is not None:
                self.enqueue(previous)
        if ref is not None:
            rs = self._resolve(ns, ref)
            if rs is not None:
                self._pod_updated(rs, self._key(rs), pod, old)
            return
        if labels_changed or ref_changed:
            for rs in self._replica_sets_for_pod(pod):
                self.enqueue(rs)

    def _pod_updated(self, rs: Obj, key: str, pod: Obj, old: Obj) -> None:
        """``updatePod``'s requeue of the pod's (current) controller ``rs``, queued as ``key``."""
        self.queue.add(key)
        min_ready = (rs.get("spec") or {}).get("minReadySeconds") or 0
        if min_ready > 0 and not is_pod_ready(old) and is_pod_ready(pod):
            # "Add a second to avoid milliseconds skew in AddAfter."
            self.queue.add_after(key, min_ready * SECOND + SECOND)

    # ------------------------------------------------------------------ syncReplicaSet

    def sync(self, key: str) -> None:
        ns, name = split_key(key)
        rs = self.api.try_get(REPLICASET, ns, name)
        if rs is None:
            self.expectations.forget(key)
            return
        meta = rs["metadata"]
        uid = meta["uid"]
        needs_sync = self.expectations.satisfied(key)
        view = self._views.get(uid) or _View()
        view.rebase(rs)
        selector = view.selector
        assert selector is not None
        deleting = bool(meta.get("deletionTimestamp"))
        # claimPods: release owned pods that stopped matching, adopt matching orphans.
        adopted: list[Obj] = []
        if view.mismatched and not deleting:
            for pod in sorted(view.mismatched.values(), key=lambda p: p["metadata"]["name"]):
                release_object(self.api, POD, pod, uid, source=self.name)
        orphans = self._orphans.get(ns)
        if orphans and not deleting:
            candidates = [orphans[n] for n in sorted(orphans)
                          if selector.matches(_labels(orphans[n]))]
            if candidates:
                adopted = claim_objects(self.api, POD, rs, selector, candidates,
                                        lambda: self._can_adopt(rs), source=self.name)
        manage_error: StatusError | None = None
        if needs_sync and not deleting:
            try:
                self.manage_replicas(rs, view, adopted, key)
            except StatusError as err:
                manage_error = err
        status = self.calculate_status(rs, view, adopted, manage_error)
        updated = self.update_status(rs, status)
        spec = updated.get("spec") or {}
        min_ready = spec.get("minReadySeconds") or 0
        st = updated.get("status") or {}
        want = spec.get("replicas", 0)
        if (manage_error is None and min_ready > 0 and st.get("readyReplicas", 0) == want
                and st.get("availableReplicas", 0) != want):
            self.queue.add_after(key, min_ready * SECOND)
        if manage_error is not None:
            raise manage_error

    def _can_adopt(self, rs: Obj) -> bool:
        meta = rs["metadata"]
        fresh = self.api.try_get(REPLICASET, meta.get("namespace", ""), meta["name"])
        return (fresh is not None and fresh["metadata"].get("uid") == meta.get("uid")
                and not fresh["metadata"].get("deletionTimestamp"))

    @staticmethod
    def _claimed(view: _View, adopted: list[Obj]) -> list[Obj]:
        pods = [p for n, p in view.active.items() if n not in view.mismatched]
        return pods + adopted

    def manage_replicas(self, rs: Obj, view: _View, adopted: list[Obj], key: str) -> None:
        """``manageReplicas``: create or delete pods towards ``spec.replicas``."""
        have = len(view.active) - len(view.mismatched) + len(adopted)
        want = (rs.get("spec") or {}).get("replicas", 0)
        diff = have - want
        if diff < 0:
            count = min(-diff, self.burst_replicas)
            self.expectations.expect_creations(key, count)
            successes, error = self._slow_start(count, lambda: self.create_pod(rs))
            for _ in range(count - successes):
                self.expectations.creation_observed(key)
            if error is not None:
                raise error
        elif diff > 0:
            count = min(diff, self.burst_replicas)
            pods = self._claimed(view, adopted)
            related = self._related_pods(rs)
            to_delete = get_pods_to_delete(pods, related, count, self.loop.now)
            self.expectations.expect_deletions(key, [self._key(p) for p in to_delete])
            first_error: StatusError | None = None
            for pod in to_delete:
                try:
                    self.delete_pod(rs, pod)
                except StatusError as err:
                    self.expectations.deletion_observed(key, self._key(pod))
                    if err.reason != "NotFound" and first_error is None:
                        first_error = err
            if first_error is not None:
                raise first_error

    @staticmethod
    def _slow_start(count: int, create: Callable[[], object]) -> tuple[int, StatusError | None]:
        """``slowStartBatch``: batches of 1, 2, 4 … until one fails."""
        remaining = count
        successes = 0
        batch = min(remaining, SLOW_START_INITIAL_BATCH)
        while batch > 0:
            error: StatusError | None = None
            for _ in range(batch):
                try:
                    create()
                    successes += 1
                except StatusError as err:
                    if error is None:
                        error = err
            if error is not None:
                return successes, error
            remaining -= batch
            batch = min(2 * batch, remaining)
        return successes, None

    def _related_pods(self, rs: Obj) -> list[Obj]:
        """``getIndirectlyRelatedPods``: active pods of every RS with the same controller."""
        ref = _controller_ref(rs)
        meta = rs["metadata"]
        if ref is None:
            related = [rs]
        else:
            related = [r for r in self.api.list(REPLICASET, meta.get("namespace", ""))
                       if (_controller_ref(r) or {}).get("uid") == ref.get("uid")]
        out: list[Obj] = []
        for r in related:
            view = self._views.get(r["metadata"]["uid"])
            if view is not None:
                out.extend(view.active.values())
        return out

    # ------------------------------------------------------------------ pod control

    def _parts(self, rs: Obj) -> tuple[Obj, Obj]:
        """The pod spec and metadata (all but the name) every pod of ``rs`` shares."""
        meta = rs["metadata"]
        template = (rs.get("spec") or {}).get("template") or {}
        cached = self._pod_parts.get(meta["uid"])
        if cached is not None and cached[0] is template:
            return cached[2], cached[3]
        template_spec = template.get("spec") or {}
        if cached is not None and cached[1] is template_spec:
            spec = cached[2]
        else:
            # The apiserver would apply the Pod-only defaults (enableServiceLinks, requests
            # from limits) to each pod; derive them once for the template.
            holder = {"spec": copy.deepcopy(template_spec)}
            defaults.default_pod(holder)
            spec = holder["spec"]
        prefix = f"{meta['name']}-"
        if name_is_dns_subdomain(prefix, True):
            prefix = meta["name"]
        template_meta = template.get("metadata") or {}
        pod_meta: Obj = {"generateName": prefix, "namespace": meta.get("namespace", "default")}
        if template_meta.get("labels"):
            pod_meta["labels"] = template_meta["labels"]
        if template_meta.get("annotations"):
            pod_meta["annotations"] = template_meta["annotations"]
        # (one list for all the pods of the ReplicaSet, kept while it lives)
        pod_meta["ownerReferences"] = (cached[3]["ownerReferences"] if cached is not None
                                       else [_new_controller_ref(rs)])
        if template_meta.get("finalizers"):
            pod_meta["finalizers"] = template_meta["finalizers"]
        self._pod_parts[meta["uid"]] = (template, template_spec, spec, pod_meta)
        return spec, pod_meta

    def create_pod(self, rs: Obj) -> Obj:
        """``RealPodControl.CreatePods`` for one pod, with its events."""
        spec, pod_meta = self._parts(rs)
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {**pod_meta}, "spec": spec}
        try:
            created = self.api.create(pod, source=self.name, trusted=True)
        except StatusError as err:
            if not (err.reason == "Forbidden" and "being terminated" in err.message):
                self.recorder.event(rs, "Warning", "FailedCreate", f"Error creating: {err}")
            raise
        self.recorder.event(rs, "Normal", "SuccessfulCreate",
                            f"Created pod: {created['metadata']['name']}")
        return created

    def delete_pod(self, rs: Obj, pod: Obj) -> None:
        """``RealPodControl.DeletePod`` with its events."""
        meta = pod["metadata"]
        try:
            self.api.delete(POD, meta.get("namespace", ""), meta["name"], source=self.name)
        except StatusError as err:
            if err.reason != "NotFound":
                self.recorder.event(rs, "Warning", "FailedDelete", f"Error deleting: {err}")
            raise
        self.recorder.event(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {meta['name']}")

    # ------------------------------------------------------------------ status

    def calculate_status(self, rs: Obj, view: _View, adopted: list[Obj],
                         manage_error: StatusError | None) -> Obj:
        """``calculateStatus`` from the view (O(1) unless minReadySeconds > 0)."""
        spec = rs.get("spec") or {}
        min_ready = spec.get("minReadySeconds") or 0
        now = self.loop.now
        replicas = len(view.active) - len(view.mismatched) + len(adopted)
        fully = view.fully
        ready = len(view.ready)
        for pod in view.mismatched.values():
            if view._fully_labeled(pod):
                fully -= 1
            if is_pod_ready(pod):
                ready -= 1
        for pod in adopted:
            if view._fully_labeled(pod):
                fully += 1
            if is_pod_ready(pod):
                ready += 1
        if min_ready == 0:
            available = ready
        else:
            available = sum(1 for n, p in view.ready.items() if n not in view.mismatched
                            and is_pod_available(p, min_ready, now))
            available += sum(1 for p in adopted if is_pod_available(p, min_ready, now))
        old = rs.get("status") or {}
        status: Obj = {"replicas": replicas}
        if fully:
            status["fullyLabeledReplicas"] = fully
        if ready:
            status["readyReplicas"] = ready
        if available:
            status["availableReplicas"] = available
        status["terminatingReplicas"] = len(view.terminating)
        conditions = list(old.get("conditions") or ())
        failure = next((c for c in conditions if c.get("type") == "ReplicaFailure"), None)
        if manage_error is not None and failure is None:
            reason = "FailedCreate" if replicas < spec.get("replicas", 0) else "FailedDelete"
            conditions.append({"type": "ReplicaFailure", "status": "True",
                               "lastTransitionTime": rfc3339(now), "reason": reason,
                               "message": str(manage_error)})
        elif manage_error is None and failure is not None:
            conditions = [c for c in conditions if c.get("type") != "ReplicaFailure"]
        if conditions:
            status["conditions"] = conditions
        return status

    def update_status(self, rs: Obj, status: Obj) -> Obj:
        """``updateReplicaSetStatus``: write only when something changed."""
        old = rs.get("status") or {}
        generation = rs["metadata"].get("generation", 0)
        rest = dict(old)
        rest.pop("observedGeneration", None)
        unchanged = status == rest
        if unchanged and old.get("observedGeneration", 0) == generation:
            return rs
        status["observedGeneration"] = generation
        ordered = {k: status[k] for k in ("replicas", "fullyLabeledReplicas", "readyReplicas",
                                          "availableReplicas", "terminatingReplicas",
                                          "observedGeneration", "conditions") if k in status}
        return self.api.update({**rs, "status": ordered}, source=self.name, status=True,
                               trusted=True, check_version=False)
