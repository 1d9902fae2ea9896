"""The DaemonSet controller (``pkg/controller/daemon``: ``daemon_controller.go``, ``update.go``,
``util/daemonset_util.go``).

One pod per eligible node. A node is eligible when the template's ``nodeName``, nodeSelector and
required node affinity match it and its NoSchedule/NoExecute taints are tolerated — counting the
tolerations every daemon pod gets (``AddOrUpdateDaemonPodTolerations``): not-ready and
unreachable ``NoExecute`` without a time limit, disk-pressure, memory-pressure, pid-pressure and
unschedulable ``NoSchedule``, and network-unavailable ``NoSchedule`` for host-network pods. A
node with an untolerated NoSchedule taint keeps a pod it already has; an untolerated NoExecute
taint removes it.

Pods are created through the apiserver and placed by the default scheduler: the controller pins
each one with required node affinity on ``metadata.name``
(``ReplaceDaemonSetPodNodeNameNodeAffinity``) and labels it with ``controller-revision-hash``
and ``pod-template-generation``. Each template version is a ControllerRevision
``<ds>-<hash>``; a RollingUpdate replaces old pods node by node, at most ``maxUnavailable``
(default 1) unavailable at a time, unavailable old pods first. Status:
desired/current/misscheduled/ready/updated/available/unavailable counts and
``observedGeneration``. Events: ``SuccessfulCreate`` ``Created pod: <name>``,
``SuccessfulDelete`` ``Deleted pod: <name>``, ``FailedDaemonPod`` for failed pods.
"""

from __future__ import annotations

import copy
import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.registry import strategy_for
from ..api.store import DELETED
from ..scheduler.framework import parse_taints, parse_tolerations, term_matches, tolerated
from ..sim.clock import MILLISECOND, SECOND
from ..sim.memo import by_identity
from ..sim.timefmt import parse_rfc3339
from .base import Controller, split_key
from .deployment.util import compute_hash
from .replicaset import POD_OWNER_INDEX, ensure_pod_owner_index

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["DaemonSetController", "daemon_tolerations"]

Obj = dict[str, Any]

DS = builtin("apps/v1", "DaemonSet")
POD = builtin("v1", "Pod")
NODE = builtin("v1", "Node")
REVISION = builtin("apps/v1", "ControllerRevision")

HASH_LABEL = "controller-revision-hash"
GENERATION_LABEL = "pod-template-generation"
BURST_REPLICAS = 250
# (node, being deleted, Failed, Ready since, revision hash label, template generation label)
_Facts = tuple[str, bool, bool, "int | None", "str | None", "str | None"]
# A sync walks every node. Watch events that arrive within QUEUE_BATCH of each other are handled
# by one sync, and pure status changes of daemon pods wait STATUS_BATCH, so a burst of kubelet
# updates across a thousand nodes costs a handful of syncs instead of thousands.
QUEUE_BATCH = 50 * MILLISECOND
STATUS_BATCH = 500 * MILLISECOND


def daemon_tolerations(spec: Obj) -> list[Obj]:
    """``AddOrUpdateDaemonPodTolerations``: the template's tolerations plus the automatic ones."""
    tolerations = [dict(t) for t in spec.get("tolerations") or ()]
    auto = [
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
        ("node.kubernetes.io/memory-pressure", "NoSchedule"),
        ("node.kubernetes.io/pid-pressure", "NoSchedule"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
    ]
    if spec.get("hostNetwork"):
        auto.append(("node.kubernetes.io/network-unavailable", "NoSchedule"))
    for key, effect in auto:
        wanted = {"key": key, "operator": "Exists", "effect": effect}
        for i, t in enumerate(tolerations):
            # AddOrUpdateTolerationInPodSpec: same key, operator, value and effect is replaced.
            if (t.get("key") == key and t.get("operator", "Equal") == "Exists"
                    and t.get("effect") == effect and not t.get("value")):
                tolerations[i] = wanted
                break
        else:
            tolerations.append(wanted)
    return tolerations


# NodeShouldRunDaemonPod runs for every DaemonSet on every node change; the tolerations it checks
# depend only on the (never mutated) template spec.
@by_identity
def _parsed_daemon_tolerations(spec: Obj) -> tuple[Any, ...]:
    return parse_tolerations(daemon_tolerations(spec))


def _node_affinity(affinity: Obj | None, node: str) -> Obj:
    """``ReplaceDaemonSetPodNodeNameNodeAffinity``: required terms pin ``metadata.name``."""
    affinity = copy.deepcopy(affinity) if affinity else {}
    node_aff = affinity.setdefault("nodeAffinity", {})
    node_aff["requiredDuringSchedulingIgnoredDuringExecution"] = {"nodeSelectorTerms": [{
        "matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}
    return affinity


@lru_cache(maxsize=8192)
def _parse(text: str) -> int:
    return parse_rfc3339(text)


def _created(obj: Obj) -> tuple[int, str]:
    text = (obj.get("metadata") or {}).get("creationTimestamp")
    return (_parse(text) if text else 0, obj["metadata"]["name"])


def _phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def _ready_since(pod: Obj) -> int | None:
    for cond in (pod.get("status") or {}).get("conditions") or ():
        if cond.get("type") == "Ready" and cond.get("status") == "True":
            text = cond.get("lastTransitionTime")
            return _parse(text) if text else 0
    return None


def _scaled(value: Any, total: int) -> int:
    """``intstr.GetScaledValueFromIntOrPercent`` rounding up."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            return math.ceil(int(value[:-1]) * total / 100)
        except ValueError:
            return 1
    try:
        return int(value)
    except (TypeError, ValueError):
        return 1


class DaemonSetController(Controller):
    """daemonset-controller."""

    name = "daemonset-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        # per DaemonSet uid, per node name: (template, node labels, node spec, should_run)
        self._eligibility: dict[str, dict[str, tuple[Any, Any, Any, tuple[bool, bool]]]] = {}
        # per DaemonSet uid: id(pod) → (pod, what a sync reads of it), for the pods the last
        # _pods_by_node saw (see _pod_facts)
        self._facts: dict[str, dict[int, tuple[Obj, _Facts]]] = {}
        self._current: dict[int, tuple[Obj, _Facts]] = {}
        # per DaemonSet uid: (template, collisionCount, compute_hash of them)
        self._hashes: dict[str, tuple[Obj, Any, str]] = {}
        # per DaemonSet uid: (template spec, the defaulted pod spec its pods share)
        self._pod_specs: dict[str, tuple[Obj, Obj]] = {}
        self.queue.latency = QUEUE_BATCH
        # A DaemonSet's pods are the pods whose controller reference carries its uid, as
        # upstream's ControllerRefManager claims them: the index the ReplicaSet controller
        # keeps (one index fewer to update on every pod write).
        ensure_pod_owner_index(self.api)
        self.watch(DS, self._on_ds)
        self.watch(POD, self._on_pod)
        self.watch(NODE, self._on_node)

    # ------------------------------------------------------------------ watches

    def _on_ds(self, event: str, ds: Obj, old: Obj | None) -> None:
        if event != DELETED:
            self.enqueue(ds)
        else:
            self._facts.pop(ds["metadata"].get("uid", ""), None)
            self._eligibility.pop(ds["metadata"].get("uid", ""), None)
            self._hashes.pop(ds["metadata"].get("uid", ""), None)
            self._pod_specs.pop(ds["metadata"].get("uid", ""), None)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        for ref in (pod.get("metadata") or {}).get("ownerReferences") or ():
            if ref.get("controller") and ref.get("kind") == "DaemonSet":
                key = f"{pod['metadata'].get('namespace', 'default')}/{ref.get('name', '')}"
                if event == DELETED or old is None or old.get("spec") is not pod.get("spec") \
                        or (old["metadata"].get("deletionTimestamp")
                            != pod["metadata"].get("deletionTimestamp")):
                    self.queue.add(key)
                elif (_phase(old) != _phase(pod) or _ready_since(old) != _ready_since(pod)):
                    # Status only: batch a burst of kubelet updates into one status sync.
                    self.queue.add_after(key, STATUS_BATCH)
                return

    def _on_node(self, event: str, node: Obj, old: Obj | None) -> None:
        """``addNode``/``updateNode``: a DaemonSet is synced when a node it should run on
        arrives, or when a node's change flips ``NodeShouldRunDaemonPod`` for it (which reads
        the node's name, labels and taints only: a heartbeat or a Ready change flips
        nothing). Upstream leaves a deleted node to the pod GC; the lab's controller also
        syncs then, so the status counts drop as soon as the node is gone."""
        if event == DELETED:
            for ds in self.api.list(DS):
                self.enqueue(ds)
            return
        if old is None:
            for ds in self.api.list(DS):
                if self.should_run(ds, node)[0]:
                    self.enqueue(ds)
            return
        if (old["metadata"].get("labels") == node["metadata"].get("labels")
                and old.get("spec") == node.get("spec")):
            return
        for ds in self.api.list(DS):
            # (the old node's verdict is usually cached: the last sync or event computed it)
            if self.should_run(ds, old) != self.should_run(ds, node):
                self.enqueue(ds)

    # ------------------------------------------------------------------ eligibility

    def should_run(self, ds: Obj, node: Obj) -> tuple[bool, bool]:
        """``NodeShouldRunDaemonPod``: (should run, should continue running).

        Cached per DaemonSet and node on the identity of the template and of the node's labels
        and spec (objects are copy-on-write, so a heartbeat keeps them).
        """
        eligibility = self._eligibility.setdefault(ds["metadata"].get("uid", ""), {})
        name = node["metadata"]["name"]
        template = ds["spec"]["template"]
        labels = node["metadata"].get("labels")
        spec = node.get("spec")
        hit = eligibility.get(name)
        if hit is not None and hit[0] is template and hit[1] is labels and hit[2] is spec:
            return hit[3]
        result = self._should_run(ds, node)
        eligibility[name] = (template, labels, spec, result)
        return result

    def _should_run(self, ds: Obj, node: Obj) -> tuple[bool, bool]:
        spec = ds["spec"]["template"].get("spec") or {}
        meta = node["metadata"]
        name = meta["name"]
        labels = meta.get("labels") or {}
        if spec.get("nodeName") and spec["nodeName"] != name:
            return False, False
        for k, v in (spec.get("nodeSelector") or {}).items():
            if labels.get(k) != v:
                return False, False
        required = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
                    .get("requiredDuringSchedulingIgnoredDuringExecution"))
        if isinstance(required, dict) and not any(
                term_matches(t, name, labels) for t in required.get("nodeSelectorTerms") or ()):
            return False, False
        tolerations = _parsed_daemon_tolerations(spec)
        untolerated = [t for t in parse_taints((node.get("spec") or {}).get("taints"))
                       if t[2] in ("NoSchedule", "NoExecute") and not tolerated(tolerations, t)]
        if untolerated:
            return False, not any(t[2] == "NoExecute" for t in untolerated)
        return True, True

    # ------------------------------------------------------------------ history

    def _revision(self, ds: Obj) -> tuple[str, Obj, int]:
        """The ControllerRevision of the current template, created or bumped if needed."""
        meta = ds["metadata"]
        ns = meta.get("namespace", "default")
        template = ds["spec"]["template"]
        collision = (ds.get("status") or {}).get("collisionCount")
        # (the hash walks the template's JSON byte by byte; the template object only changes
        # with the DaemonSet's spec)
        known = self._hashes.get(meta["uid"])
        if known is not None and known[0] is template and known[1] == collision:
            hash_ = known[2]
        else:
            hash_ = compute_hash(template, collision)
            self._hashes[meta["uid"]] = (template, collision, hash_)
        name = f"{meta['name']}-{hash_}"
        owned = [r for r in self.api.list(REVISION, ns)
                 if any(ref.get("uid") == meta["uid"]
                        for ref in r["metadata"].get("ownerReferences") or ())]
        top = max((int(r.get("revision") or 0) for r in owned), default=0)
        existing = next((r for r in owned if r["metadata"]["name"] == name), None)
        if existing is not None:
            if int(existing.get("revision") or 0) < top:
                existing = self.api.update({**existing, "revision": top + 1},
                                           source=self.name, trusted=True)
            return hash_, existing, len(owned)
        patch = {"spec": {"template": {**template, "$patch": "replace"}}}
        labels = {**(template.get("metadata") or {}).get("labels", {}), HASH_LABEL: hash_}
        cr_meta: Obj = {"name": name, "namespace": ns, "labels": labels,
                        "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                                             "name": meta["name"], "uid": meta["uid"],
                                             "controller": True, "blockOwnerDeletion": True}]}
        if meta.get("annotations"):
            cr_meta["annotations"] = dict(meta["annotations"])
        cr = {"apiVersion": "apps/v1", "kind": "ControllerRevision", "metadata": cr_meta,
              "data": copy.deepcopy(patch), "revision": top + 1}
        created = self.api.create(cr, source=self.name)
        return hash_, created, len(owned) + 1

    def _cleanup_history(self, ds: Obj, current: str) -> None:
        limit = int(ds["spec"].get("revisionHistoryLimit", 10))
        ns = ds["metadata"].get("namespace", "default")
        uid = ds["metadata"]["uid"]
        live_hashes = {p["metadata"].get("labels", {}).get(HASH_LABEL)
                       for p in self.api.by_index(POD, POD_OWNER_INDEX, uid)}
        old = [r for r in self.api.list(REVISION, ns)
               if any(ref.get("uid") == uid for ref in r["metadata"].get("ownerReferences") or ())
               and r["metadata"]["name"] != current
               and r["metadata"].get("labels", {}).get(HASH_LABEL) not in live_hashes]
        old.sort(key=lambda r: int(r.get("revision") or 0))
        for r in old[:max(0, len(old) - limit)]:
            self.api.delete(REVISION, ns, r["metadata"]["name"], source=self.name)

    # ------------------------------------------------------------------ sync

    def sync(self, key: str) -> None:
        ns, name = split_key(key)
        ds = self.api.try_get(DS, ns, name)
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return
        hash_, revision, revisions = self._revision(ds)
        generation = str(ds["metadata"].get("generation", 1))
        runs = self._runs(ds)
        by_node = self._pods_by_node(ds)
        facts = self._pod_facts
        current = self._current  # what facts() reads, looked up inline below
        to_create: list[str] = []
        to_delete: list[Obj] = []
        outdated = False
        for nname, (run, keep) in runs.items():
            pods = by_node.get(nname)
            if not pods:
                if run:
                    to_create.append(nname)
                continue
            if len(pods) == 1:
                f = current[id(pods[0])][1]
                if not f[1] and not f[2]:
                    # The common case, one live pod that has not failed: the general path
                    # below with nothing to create and no failed pod.
                    if not outdated and f[4] != hash_ and f[5] != generation:
                        outdated = True
                    if not keep:
                        to_delete.append(pods[0])
                    continue
            live: list[Obj] = []
            failed: list[Obj] = []
            for p in pods:
                f = current[id(p)][1]
                if f[1]:
                    continue
                live.append(p)
                if f[2]:
                    failed.append(p)
                if not outdated and not _updated(f, hash_, generation):
                    outdated = True
            for pod in failed:
                self.recorder.event(ds, "Warning", "FailedDaemonPod",
                                    f"Found failed daemon pod {ns}/{pod['metadata']['name']} "
                                    f"on node {nname}, will try to kill it")
                to_delete.append(pod)
            running = [p for p in live if not facts(p)[2]] if failed else live
            if run and not running:
                to_create.append(nname)
            elif run and len(running) > 1:
                to_delete.extend(running[1:])
            elif not keep and running:
                to_delete.extend(running)
        # Pods left on nodes that no longer exist are the pod GC's (gcOrphaned), not ours.
        if to_create or to_delete:
            self._sync_nodes(ds, to_create[:BURST_REPLICAS], to_delete, hash_, generation)
            by_node = self._pods_by_node(ds)
        strategy = ds["spec"].get("updateStrategy") or {}
        rolling = strategy.get("type", "RollingUpdate") == "RollingUpdate"
        if outdated and rolling and self._rolling_update(ds, runs, by_node, hash_, generation):
            by_node = self._pods_by_node(ds)
        if revisions > 1:
            self._cleanup_history(ds, revision["metadata"]["name"])
        self._update_status(ds, runs, by_node, hash_, generation)

    def _runs(self, ds: Obj) -> dict[str, tuple[bool, bool]]:
        """:meth:`should_run` for every node, in node name order (the cache check inlined)."""
        template = ds["spec"]["template"]
        eligibility = self._eligibility.setdefault(ds["metadata"].get("uid", ""), {})
        runs: dict[str, tuple[bool, bool]] = {}
        for n in self.api.list(NODE):
            meta = n["metadata"]
            name = meta["name"]
            hit = eligibility.get(name)
            if (hit is not None and hit[0] is template and hit[1] is meta.get("labels")
                    and hit[2] is n.get("spec")):
                runs[name] = hit[3]
            else:
                runs[name] = self.should_run(ds, n)
        return runs

    def _pod_facts(self, pod: Obj) -> _Facts:
        """What a sync reads of a pod the last :meth:`_pods_by_node` returned."""
        return self._current[id(pod)][1]

    def _pods_by_node(self, ds: Obj) -> dict[str, list[Obj]]:
        """The DaemonSet's pods by node (oldest first), and their facts in ``_current``.

        A sync walks every daemon pod several times; pods are copy-on-write, so what it reads
        of one — (node, being deleted, Failed, Ready since, revision hash, template
        generation) — is kept until the pod object is replaced.
        """
        uid = ds["metadata"]["uid"]
        previous = self._facts.get(uid) or {}
        current: dict[int, tuple[Obj, _Facts]] = {}
        by_node: dict[str, list[Obj]] = {}
        # the nodes with more than one pod, whose pods are sorted below
        crowded: dict[str, list[Obj]] = {}
        for pod in self.api.by_index(POD, POD_OWNER_INDEX, uid):
            key = id(pod)
            hit = previous.get(key)
            if hit is None or hit[0] is not pod:
                meta = pod["metadata"]
                labels = meta.get("labels") or {}
                hit = (pod, ((pod.get("spec") or {}).get("nodeName") or _pinned_node(pod),
                             bool(meta.get("deletionTimestamp")),
                             (pod.get("status") or {}).get("phase") == "Failed",
                             _ready_since(pod), labels.get(HASH_LABEL),
                             labels.get(GENERATION_LABEL)))
            current[key] = hit
            node = hit[1][0]
            pods = by_node.get(node)
            if pods is None:
                by_node[node] = [pod]
            else:
                pods.append(pod)
                crowded[node] = pods
        for pods in crowded.values():
            pods.sort(key=_created)
        self._facts[uid] = self._current = current
        return by_node

    def _sync_nodes(self, ds: Obj, create: list[str], delete: list[Obj], hash_: str,
                    generation: str) -> None:
        ns = ds["metadata"].get("namespace", "default")
        for pod in delete:
            try:
                self.api.delete(POD, ns, pod["metadata"]["name"], source=self.name)
            except StatusError:
                continue
            self.recorder.event(ds, "Normal", "SuccessfulDelete",
                                f"Deleted pod: {pod['metadata']['name']}")
        for node in create:
            pod = self._new_pod(ds, node, hash_, generation)
            # The pod is built from the decoded, validated template with the API defaulting
            # applied (see _pod_spec), the only thing the untrusted path would add: it is
            # written as trusted, without a second deep copy and decode.
            created = self.api.create(pod, source=self.name, trusted=True)
            self.recorder.event(ds, "Normal", "SuccessfulCreate",
                                f"Created pod: {created['metadata']['name']}")

    def _pod_spec(self, ds: Obj) -> Obj:
        """The pod spec every pod of the DaemonSet's template shares but for its node affinity:
        the template's, with the daemon tolerations and the Pod API defaults, built once per
        template (pods are copy-on-write: nothing mutates a stored pod's spec).

        The Pod defaulting fills in spec-level fields, containers and volumes; it reads and
        writes neither ``affinity`` nor ``tolerations``, so defaulting this spec once, with
        ``affinity`` keeping its place among the keys, gives each pod what defaulting its own
        copy gave.
        """
        uid = ds["metadata"]["uid"]
        template_spec = ds["spec"]["template"].get("spec") or {}
        hit = self._pod_specs.get(uid)
        if hit is not None and hit[0] is template_spec:
            return hit[1]
        spec = copy.deepcopy(template_spec)
        spec["tolerations"] = daemon_tolerations(spec)
        spec["affinity"] = None  # (each pod's own, see _new_pod)
        holder: Obj = {"apiVersion": "v1", "kind": "Pod", "spec": spec}
        default = strategy_for("", "Pod").default
        if default is not None:
            default(holder)
        self._pod_specs[uid] = (template_spec, holder["spec"])
        return holder["spec"]

    def _new_pod(self, ds: Obj, node: str, hash_: str, generation: str) -> Obj:
        meta = ds["metadata"]
        template = ds["spec"]["template"]
        tmeta = template.get("metadata") or {}
        affinity = (template.get("spec") or {}).get("affinity")
        spec = {**self._pod_spec(ds), "affinity": _node_affinity(affinity, node)}
        labels = {**(tmeta.get("labels") or {}), HASH_LABEL: hash_, GENERATION_LABEL: generation}
        pod_meta: Obj = {"generateName": f"{meta['name']}-", "namespace": meta.get("namespace",
                                                                                  "default"),
                         "labels": labels,
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "DaemonSet",
                                              "name": meta["name"], "uid": meta["uid"],
                                              "controller": True, "blockOwnerDeletion": True}]}
        if tmeta.get("annotations"):
            pod_meta["annotations"] = dict(tmeta["annotations"])
        return {"apiVersion": "v1", "kind": "Pod", "metadata": pod_meta, "spec": spec}

    def _available(self, ds: Obj, pod: Obj) -> bool:
        return _available(self._pod_facts(pod)[3], _min_ready(ds), self.loop.now)

    def _rolling_update(self, ds: Obj, runs: dict[str, tuple[bool, bool]],
                        by_node: dict[str, list[Obj]], hash_: str, generation: str) -> bool:
        """``rollingUpdate`` with maxSurge 0: replace old pods, maxUnavailable at a time."""
        desired = sum(1 for run, _ in runs.values() if run)
        ru = (ds["spec"].get("updateStrategy") or {}).get("rollingUpdate") or {}
        max_unavailable = _scaled(ru.get("maxUnavailable", 1), desired)
        unavailable = 0
        replace: list[Obj] = []
        candidates: list[Obj] = []
        facts = self._pod_facts
        for nname in sorted(by_node):
            live = [p for p in by_node[nname] if not facts(p)[1]]
            new = [p for p in live if _updated(facts(p), hash_, generation)]
            old = [p for p in live if not _updated(facts(p), hash_, generation)]
            if len(new) > 1 or len(old) > 1 or (not new and not old) or (new and old):
                unavailable += 1
            elif new:
                if not self._available(ds, new[0]):
                    unavailable += 1
            elif not self._available(ds, old[0]):
                replace.append(old[0])
            elif unavailable < max_unavailable:
                candidates.append(old[0])
        budget = min(max(max_unavailable - unavailable, 0), len(candidates))
        delete = replace + candidates[:budget]
        if delete:
            self._sync_nodes(ds, [], delete, hash_, generation)
        return bool(delete)

    def _update_status(self, ds: Obj, runs: dict[str, tuple[bool, bool]],
                       by_node: dict[str, list[Obj]], hash_: str, generation: str) -> None:
        desired = current = misscheduled = ready = available = updated = 0
        waiting = False
        pod_facts = self._current  # what _pod_facts() reads, looked up inline
        now = self.loop.now
        min_ready = _min_ready(ds)
        for nname, (run, _) in runs.items():
            node_pods = by_node.get(nname)
            if run:
                desired += 1
                if node_pods:
                    current += 1
                    f = pod_facts[id(node_pods[0])][1]
                    if f[3] is not None:
                        ready += 1
                        if _available(f[3], min_ready, now):
                            available += 1
                        else:
                            waiting = True
                    if _updated(f, hash_, generation):
                        updated += 1
            elif node_pods:
                misscheduled += 1
        status: Obj = {"currentNumberScheduled": current, "numberMisscheduled": misscheduled,
                       "desiredNumberScheduled": desired, "numberReady": ready}
        old = ds.get("status") or {}
        observed = ds["metadata"].get("generation")
        for field, value in (("observedGeneration", observed),
                             ("updatedNumberScheduled", updated),
                             ("numberAvailable", available),
                             ("numberUnavailable", desired - available),
                             ("collisionCount", old.get("collisionCount"))):
            if value:
                status[field] = value
        if old.get("conditions"):
            status["conditions"] = old["conditions"]
        if status != old:
            self.api.update({**ds, "status": status}, source=self.name, status=True,
                            trusted=True)
        if waiting:
            self.queue.add_after(f"{ds['metadata'].get('namespace', 'default')}/"
                                 f"{ds['metadata']['name']}", min_ready)


def _pinned_node(pod: Obj) -> str:
    """The node a not-yet-scheduled daemon pod is pinned to by its node affinity."""
    required = ((((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {})
                .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in required.get("nodeSelectorTerms") or ():
        for req in term.get("matchFields") or ():
            if req.get("key") == "metadata.name" and req.get("values"):
                return str(req["values"][0])
    return ""


def _updated(facts: _Facts, hash_: str, generation: str) -> bool:
    """``IsPodUpdated`` on a pod's facts: the revision hash or the template generation
    matches."""
    return facts[4] == hash_ or facts[5] == generation


def _min_ready(ds: Obj) -> int:
    """The DaemonSet's ``minReadySeconds``, in nanoseconds."""
    return int(ds["spec"].get("minReadySeconds") or 0) * SECOND


def _available(ready_since: int | None, min_ready: int, now: int) -> bool:
    """``IsPodAvailable``: ready for at least ``min_ready`` (:func:`_min_ready`)."""
    if ready_since is None:
        return False
    return min_ready == 0 or ready_since + min_ready <= now


