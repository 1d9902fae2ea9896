"""Garbage collector (``pkg/controller/garbagecollector``: ``graph_builder.go``,
``garbagecollector.go``).

Owner references make a graph; the collector keeps it (owner uid → dependents) from its watches
of every deletable kind, as the graph builder does, and acts on three kinds of change:

- **background** (kubectl's default, ``--cascade=background``): the owner is gone at once; each
  dependent whose owners are all gone is deleted in turn (pods gracefully), so
  ``kubectl delete deployment x`` removes its ReplicaSets and then their pods;
- **foreground** (``--cascade=foreground``): the owner stays with a ``deletionTimestamp`` and
  the ``foregroundDeletion`` finalizer; its dependents are deleted (those with dependents of
  their own in foreground too) and the finalizer is removed once no dependent with
  ``blockOwnerDeletion: true`` is left — the owner then disappears;
- **orphan** (``--cascade=orphan``): the ``orphan`` finalizer; the owner's references are removed
  from its dependents, then the finalizer, and the dependents live on.

A dependent whose owner does not exist (any more) is collected too (``attemptToDeleteItem``
with "dangling" owners). A dependent that still has a live owner only loses the references to
owners that are gone or waiting for their dependents.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import KINDS, Kind, by_gvk
from ..api.store import ADDED, DELETED, MODIFIED
from ..sim.memo import by_identity
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["GarbageCollector"]

Obj = dict[str, Any]
# (kind key, namespace, name, uid) — the graph node's identity (objectReference)
Ident = tuple[str, str, str, str]

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"


def _kind_key(kind: Kind) -> str:
    return f"{kind.group}/{kind.kind}"


def _owner_uids(obj: Obj) -> tuple[str, ...]:
    refs = (obj.get("metadata") or {}).get("ownerReferences")
    return _uids(refs) if refs else ()


# The pods of one ReplicaSet share one (never mutated) ownerReferences list.
@by_identity
def _uids(refs: list[Obj]) -> tuple[str, ...]:
    return tuple(r.get("uid", "") for r in refs)


def _finalizers(obj: Obj) -> list[str]:
    return list((obj.get("metadata") or {}).get("finalizers") or ())


def _deleting_dependents(obj: Obj) -> bool:
    meta = obj.get("metadata") or {}
    return bool(meta.get("deletionTimestamp")) and FOREGROUND in (meta.get("finalizers") or ())


class GarbageCollector(Controller):
    """The garbage collector: cascading deletion along ownerReferences."""

    name = "garbage-collector-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self._kinds: dict[str, Kind] = {}
        # graph: owner uid → dependents; object uid → (ident, owner uids)
        self._dependents: dict[str, dict[Ident, None]] = {}
        self._nodes: dict[str, tuple[Ident, tuple[str, ...]]] = {}
        for kind in KINDS:
            if kind.kind == "Event" or "delete" not in kind.verbs or "list" not in kind.verbs:
                continue
            key = _kind_key(kind)
            self._kinds[key] = kind
            self.watch(kind, self._handler(key))
            for obj in self.api.iter_kind(kind):
                self._on_object(key, ADDED, obj, None)

    # ------------------------------------------------------------------ the graph

    @staticmethod
    def _ident(key: str, obj: Obj) -> Ident:
        meta = obj["metadata"]
        return key, meta.get("namespace", ""), meta["name"], meta.get("uid", "")

    def _handler(self, key: str) -> Any:
        # (a partial, not a closure: one Python frame less on every watch event of every kind)
        return partial(self._on_object, key)

    def _link(self, ident: Ident, owners: tuple[str, ...],
              previous: tuple[Ident, tuple[str, ...]] | None) -> None:
        """Record ``ident``'s owners; ``previous`` is its node so far (``_nodes[uid]``)."""
        uid = ident[3]
        if previous is not None:
            for owner in previous[1]:
                if owner in owners:
                    continue
                deps = self._dependents.get(owner)
                if deps is not None:
                    deps.pop(previous[0], None)
                    if not deps:
                        del self._dependents[owner]
        for owner in owners:
            self._dependents.setdefault(owner, {})[ident] = None
        self._nodes[uid] = (ident, owners)

    def _unlink(self, ident: Ident) -> tuple[str, ...]:
        node = self._nodes.pop(ident[3], None)
        if node is None:
            return ()
        for owner in node[1]:
            deps = self._dependents.get(owner)
            if deps is not None:
                deps.pop(node[0], None)
                if not deps:
                    del self._dependents[owner]
        return node[1]

    def _on_object(self, key: str, event: str, obj: Obj, old: Obj | None) -> None:
        if event == MODIFIED and old is not None:
            # A status update: same owner references (objects are copy-on-write, so the very
            # same list), not being deleted, already in the graph — nothing to do.
            meta = obj["metadata"]
            if (meta.get("ownerReferences") is old["metadata"].get("ownerReferences")
                    and not meta.get("deletionTimestamp")
                    and meta.get("uid", "") in self._nodes):
                return
        ident = self._ident(key, obj)
        uid = ident[3]
        if event == DELETED:
            owners = self._unlink(ident)
            # Its dependents may have lost their last owner…
            for dep in sorted(self._dependents.get(uid, ())):
                self.queue.add(self._encode(dep))
            # …and owners waiting for their dependents may now be done.
            self._enqueue_waiting_owners(owners)
            return
        owners = _owner_uids(obj)
        previous = self._nodes.get(uid)
        old_owners = previous[1] if previous is not None else ()
        self._link(ident, owners, previous)
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            fins = meta.get("finalizers") or ()
            if ORPHAN in fins or FOREGROUND in fins:
                self.queue.add(self._encode(ident))
                if FOREGROUND in fins:
                    for dep in sorted(self._dependents.get(uid, ())):
                        self.queue.add(self._encode(dep))
        if owners and (event == ADDED or owners != old_owners) and any(
                o not in self._nodes for o in owners):
            # an owner the graph has never seen: find out whether it exists at all
            self.queue.add(self._encode(ident))
        if old_owners and old_owners != owners:
            self._enqueue_waiting_owners(tuple(o for o in old_owners if o not in owners))

    def _enqueue_waiting_owners(self, owners: tuple[str, ...]) -> None:
        for owner_uid in owners:
            node = self._nodes.get(owner_uid)
            if node is None:
                continue
            owner_ident = node[0]
            owner = self._get(owner_ident)
            if owner is not None and _deleting_dependents(owner):
                self.queue.add(self._encode(owner_ident))

    @staticmethod
    def _encode(ident: Ident) -> str:
        return "|".join(ident)

    @staticmethod
    def _decode(key: str) -> Ident:
        kind, ns, name, uid = key.split("|")
        return kind, ns, name, uid

    def _get(self, ident: Ident) -> Obj | None:
        obj = self.api.try_get(self._kinds[ident[0]], ident[1], ident[2])
        if obj is None or obj["metadata"].get("uid") != ident[3]:
            return None
        return obj

    # ------------------------------------------------------------------ attemptToDelete

    def sync(self, key: str) -> None:
        ident = self._decode(key)
        item = self._get(ident)
        if item is None:
            # The object is gone (a "virtual" node): its dependents lose an owner.
            for dep in sorted(self._dependents.get(ident[3], ())):
                self.queue.add(self._encode(dep))
            return
        meta = item["metadata"]
        if meta.get("deletionTimestamp"):
            fins = meta.get("finalizers") or ()
            if ORPHAN in fins:
                self._orphan_dependents(ident)
                self._remove_finalizer(ident, ORPHAN)
            elif FOREGROUND in fins:
                self._process_deleting_dependents(ident, item)
            return
        refs = meta.get("ownerReferences") or []
        if not refs:
            return
        solid: list[Obj] = []
        dangling: list[Obj] = []
        waiting: list[Obj] = []
        for ref in refs:
            state = self._classify(ref, ident[1])
            {"solid": solid, "dangling": dangling, "waiting": waiting}[state].append(ref)
        if solid:
            if dangling or waiting:
                gone = {r.get("uid") for r in [*dangling, *waiting]}
                self._patch_refs(ident, lambda rs: [r for r in rs if r.get("uid") not in gone])
            return
        dependents = self._dependents.get(ident[3])
        if waiting and dependents:
            waiting_uids = {r.get("uid") for r in waiting}
            for dep in sorted(dependents):
                dep_obj = self._get(dep)
                if dep_obj is not None and _deleting_dependents(dep_obj):
                    # Break a cycle: stop blocking the owners we are waiting for.
                    self._patch_refs(ident, lambda rs: [
                        {**r, "blockOwnerDeletion": False} if r.get("uid") in waiting_uids
                        else r for r in rs])
                    break
            self._delete(ident, "Foreground")
            return
        fins = meta.get("finalizers") or ()
        if ORPHAN in fins:
            policy = "Orphan"
        elif FOREGROUND in fins:
            policy = "Foreground"
        else:
            policy = "Background"
        self._delete(ident, policy)

    def _classify(self, ref: Obj, namespace: str) -> str:
        kind = by_gvk(str(ref.get("apiVersion", "")), str(ref.get("kind", "")))
        if kind is None:
            # an owner kind the apiserver does not serve cannot be resolved; leave it be
            return "solid"
        owner = self.api.try_get(kind, namespace if kind.namespaced else "",
                                 str(ref.get("name", "")))
        if owner is None or owner["metadata"].get("uid") != ref.get("uid"):
            return "dangling"
        if _deleting_dependents(owner):
            return "waiting"
        return "solid"

    def _process_deleting_dependents(self, ident: Ident, owner: Obj) -> None:
        """``processDeletingDependentsItem``: wait for blocking dependents, then finish."""
        blocking: list[tuple[Ident, Obj]] = []
        for dep in sorted(self._dependents.get(ident[3], ())):
            dep_obj = self._get(dep)
            if dep_obj is None:
                continue
            for ref in dep_obj["metadata"].get("ownerReferences") or ():
                if ref.get("uid") == ident[3] and ref.get("blockOwnerDeletion"):
                    blocking.append((dep, dep_obj))
                    break
        if not blocking:
            self._remove_finalizer(ident, FOREGROUND)
            return
        for dep, dep_obj in blocking:
            if not _deleting_dependents(dep_obj):
                self.queue.add(self._encode(dep))

    def _orphan_dependents(self, ident: Ident) -> None:
        """``orphanDependents``: remove the owner's references from every dependent."""
        owner_uid = ident[3]
        for dep in sorted(self._dependents.get(owner_uid, ())):
            self._patch_refs(dep, lambda rs: [r for r in rs if r.get("uid") != owner_uid])

    # ------------------------------------------------------------------ writes

    def _patch_refs(self, ident: Ident, change: Any) -> None:
        kind = self._kinds[ident[0]]

        def mutate(live: Obj) -> Obj:
            refs = change(list(live["metadata"].get("ownerReferences") or ()))
            if refs:
                live["metadata"]["ownerReferences"] = refs
            else:
                live["metadata"].pop("ownerReferences", None)
            return live

        try:
            self.api.patch(kind, ident[1], ident[2], mutate, source=self.name, trusted=True)
        except StatusError as err:
            if err.reason != "NotFound":
                raise

    def _remove_finalizer(self, ident: Ident, finalizer: str) -> None:
        kind = self._kinds[ident[0]]

        def mutate(live: Obj) -> Obj:
            fins = [f for f in _finalizers(live) if f != finalizer]
            if fins:
                live["metadata"]["finalizers"] = fins
            else:
                live["metadata"].pop("finalizers", None)
            return live

        try:
            self.api.patch(kind, ident[1], ident[2], mutate, source=self.name, trusted=True)
        except StatusError as err:
            if err.reason != "NotFound":
                raise

    def _delete(self, ident: Ident, policy: str) -> None:
        try:
            self.api.delete(self._kinds[ident[0]], ident[1], ident[2], source=self.name,
                            propagation=policy, uid=ident[3])
        except StatusError as err:
            if err.reason not in ("NotFound", "Conflict"):
                raise
