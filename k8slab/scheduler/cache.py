"""The scheduler's cache: nodes in node-tree order and the pods assigned or assumed on them.

Models ``pkg/scheduler/backend/cache`` (``cacheImpl`` with assumed pods, ``nodeTree``) and the
snapshot the algorithm reads. Node order matters: the algorithm scans nodes round-robin from
where the previous cycle stopped, so the order is the one upstream builds — zones in the order
they first appeared, nodes within a zone in the order they were added, interleaved zone by zone.

It also keeps the *equivalence partitions* behind the fast path (see :mod:`.algorithm`): for a
pod owner (the UID the spread constraint counts by), nodes are grouped by everything that filters
and scores read — the node object's relevant fields, the requested sums, the pod count, the used
host ports and the number of the owner's pods on the node. Each group holds the sorted positions
of its nodes, updated incrementally as pods come and go.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable
from typing import Any

from .framework import ZONE_LABEL, NodeInfo, PodEntry, PodInfo

__all__ = ["Partition", "SchedulerCache"]

Obj = dict[str, Any]
ClassKey = tuple[int, tuple[Any, ...], int]

_MAX_PARTITIONS = 8
_MAX_CLASS_IDS = 100_000


def _same_images_and_labels(old: Obj, new: Obj) -> bool:
    """Whether two node objects share their (never mutated) image list and labels map."""
    return ((old.get("status") or {}).get("images") is (new.get("status") or {}).get("images")
            and (old.get("metadata") or {}).get("labels")
            is (new.get("metadata") or {}).get("labels"))


class Partition:
    """Nodes grouped into classes that are indistinguishable for pods of one owner.

    Classes are named by the small integers ``class_id`` gives their keys: the algorithm keys
    its per-cycle caches by them, and hashing two ints beats hashing the nested keys.
    """

    __slots__ = ("class_id", "key_of", "members", "owner", "zone_counts")

    def __init__(self, owner: str, order: list[NodeInfo],
                 class_id: Callable[[ClassKey], int]) -> None:
        self.owner = owner
        self.class_id = class_id
        self.members: dict[int, list[int]] = {}
        self.key_of: dict[str, int] = {}
        self.zone_counts: dict[str, int] = {}
        for ni in order:
            key = class_id(self._key(ni))
            self.key_of[ni.name] = key
            self.members.setdefault(key, []).append(ni.pos)
            if owner:
                zone = ni.labels.get(ZONE_LABEL, "")
                self.zone_counts[zone] = self.zone_counts.get(zone, 0) + ni.owners.get(owner, 0)

    def _key(self, ni: NodeInfo) -> ClassKey:
        return (ni.sig, ni.dyn, ni.owners.get(self.owner, 0) if self.owner else 0)

    def update(self, ni: NodeInfo, old_owner_count: int, old_zone: str) -> None:
        old = self.key_of.get(ni.name)
        new = self.class_id(self._key(ni))
        if self.owner:
            zone = ni.labels.get(ZONE_LABEL, "")
            counts = self.zone_counts
            new_count = ni.owners.get(self.owner, 0)
            if zone == old_zone:
                # The node's pods came or went (its zone is the same): one update.
                counts[zone] = counts.get(zone, 0) - old_owner_count + new_count
            else:
                counts[old_zone] = counts.get(old_zone, 0) - old_owner_count
                counts[zone] = counts.get(zone, 0) + new_count
        if old == new:
            return
        if old is not None:
            members = self.members[old]
            i = bisect_left(members, ni.pos)
            del members[i]
            if not members:
                del self.members[old]
        self.key_of[ni.name] = new
        insort(self.members.setdefault(new, []), ni.pos)


class SchedulerCache:
    """Nodes, assigned pods and assumed pods, as the scheduling cycle sees them."""

    def __init__(self) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self.pods: dict[str, PodEntry] = {}
        self.assumed: dict[str, str] = {}
        self.order: list[NodeInfo] = []
        self.image_nodes: dict[str, int] = {}
        self.zoned_nodes = 0
        # nodes carrying the zone label at all (an empty value included)
        self.zone_label_nodes = 0
        # zone key → node names in insertion order (nodeTree)
        self._zones: dict[str, list[str]] = {}
        self._order_dirty = False
        self._sigs: dict[tuple[Any, ...], int] = {}
        self._partitions: dict[str, Partition] = {}
        # class key → id; ids are never reused (caches keyed by them outlive a reset)
        self._class_ids: dict[ClassKey, int] = {}
        self._next_class_id = 0
        # assigned pods that arrived before their node (kept until the node shows up)
        self._orphans: dict[str, PodEntry] = {}

    # ------------------------------------------------------------------ nodes

    def _intern(self, ni: NodeInfo) -> None:
        ni.sig = self._sigs.setdefault(ni.static_key(), len(self._sigs))

    def _count_images(self, ni: NodeInfo, delta: int) -> None:
        for name in ni.images:
            n = self.image_nodes.get(name, 0) + delta
            if n > 0:
                self.image_nodes[name] = n
            else:
                self.image_nodes.pop(name, None)
        if ni.labels.get(ZONE_LABEL):
            self.zoned_nodes += delta
        if ZONE_LABEL in ni.labels:
            self.zone_label_nodes += delta

    def add_node(self, node: Obj) -> NodeInfo:
        name = node["metadata"]["name"]
        if name in self.nodes:
            return self.update_node(node)
        ni = NodeInfo(node)
        self._intern(ni)
        self.nodes[name] = ni
        self._zones.setdefault(ni.zone_key, []).append(name)
        self._count_images(ni, +1)
        self._order_dirty = True
        for key in [k for k, e in self._orphans.items() if e.node == name]:
            entry = self._orphans.pop(key)
            ni.add(entry)
        return ni

    def update_node(self, node: Obj) -> NodeInfo:
        name = node["metadata"]["name"]
        ni = self.nodes.get(name)
        if ni is None:
            return self.add_node(node)
        old_zone_key = ni.zone_key
        old_zone_label = ni.labels.get(ZONE_LABEL, "")
        # The counts read the node's image list and labels: the very same (never mutated)
        # objects count the same (a taint or podCIDR update keeps them).
        recount = not _same_images_and_labels(ni.node, node)
        if recount:
            self._count_images(ni, -1)
        ni.set_node(node)
        if recount:
            self._count_images(ni, +1)
        old_sig = ni.sig
        self._intern(ni)
        if ni.zone_key != old_zone_key:
            self._zones[old_zone_key].remove(name)
            if not self._zones[old_zone_key]:
                del self._zones[old_zone_key]
            self._zones.setdefault(ni.zone_key, []).append(name)
            self._order_dirty = True
        elif ni.sig != old_sig or ni.labels.get(ZONE_LABEL, "") != old_zone_label:
            self._changed(ni, old_zone_label)
        return ni

    def remove_node(self, name: str) -> NodeInfo | None:
        ni = self.nodes.pop(name, None)
        if ni is None:
            return None
        self._count_images(ni, -1)
        zone = self._zones.get(ni.zone_key, [])
        if name in zone:
            zone.remove(name)
        if not zone:
            self._zones.pop(ni.zone_key, None)
        # Pods still bound to the vanished node stay accounted as orphans until they go.
        for entry in ni.pods.values():
            self._orphans[entry.key] = entry
        self._order_dirty = True
        return ni

    def node_order(self) -> list[NodeInfo]:
        """``nodeTree.list()``: one node from each zone in turn, zones in first-seen order."""
        if self._order_dirty:
            zones = [z for z in self._zones.values() if z]
            out: list[NodeInfo] = []
            index = 0
            while len(out) < len(self.nodes):
                progressed = False
                for names in zones:
                    if index < len(names):
                        out.append(self.nodes[names[index]])
                        progressed = True
                if not progressed:
                    break
                index += 1
            for pos, ni in enumerate(out):
                ni.pos = pos
            self.order = out
            self._order_dirty = False
            self._partitions.clear()
        return self.order

    # ------------------------------------------------------------------ pods

    def add_pod(self, pod: Obj, node: str, entry: PodEntry | None = None) -> PodEntry:
        """Account an assigned pod (a confirmed assumed pod is re-read from the API object)."""
        if entry is None:
            entry = PodEntry(pod, node)
        key = entry.key
        old = self.pods.get(key)
        if old is not None:
            self._unaccount(old)
        self.assumed.pop(key, None)
        self.pods[key] = entry
        self._account(entry)
        return entry

    def assume(self, pod: Obj, node: str, info: PodInfo | None = None) -> PodEntry:
        """Account ``pod`` on ``node`` before the bind lands (``info``: the pod, parsed)."""
        entry = self.add_pod(pod, node, PodEntry.of(info, node) if info is not None else None)
        self.assumed[entry.key] = node
        return entry

    def forget(self, key: str) -> None:
        if key in self.assumed:
            self.remove_pod(key)

    def remove_pod(self, key: str) -> PodEntry | None:
        entry = self.pods.pop(key, None)
        self.assumed.pop(key, None)
        if entry is not None:
            self._unaccount(entry)
        return entry

    def _account(self, entry: PodEntry) -> None:
        ni = self.nodes.get(entry.node)
        if ni is None:
            self._orphans[entry.key] = entry
            return
        old = ni.owners.get(entry.owner, 0) if entry.owner else 0
        ni.add(entry)
        self._changed(ni, ni.labels.get(ZONE_LABEL, ""), entry.owner, old)

    def _unaccount(self, entry: PodEntry) -> None:
        if self._orphans.pop(entry.key, None) is not None:
            return
        ni = self.nodes.get(entry.node)
        if ni is None:
            return
        old = ni.owners.get(entry.owner, 0) if entry.owner else 0
        ni.remove(entry)
        self._changed(ni, ni.labels.get(ZONE_LABEL, ""), entry.owner, old)

    # ------------------------------------------------------------------ partitions

    def _changed(self, ni: NodeInfo, old_zone: str, owner: str = "", old_count: int = -1) -> None:
        if self._order_dirty or not self._partitions:
            return
        for part in self._partitions.values():
            if part.owner and part.owner == owner:
                before = old_count
            else:
                before = ni.owners.get(part.owner, 0) if part.owner else 0
            part.update(ni, before, old_zone)

    def class_id(self, key: ClassKey) -> int:
        """The id of an equivalence-class key (equal keys, equal ids)."""
        cid = self._class_ids.get(key)
        if cid is None:
            self._next_class_id += 1
            cid = self._class_ids[key] = self._next_class_id
        return cid

    def partition(self, owner: str) -> Partition:
        order = self.node_order()
        if len(self._class_ids) > _MAX_CLASS_IDS:
            # Forget old keys; partitions are rebuilt with fresh ids.
            self._class_ids.clear()
            self._partitions.clear()
        part = self._partitions.pop(owner, None)
        if part is None:
            part = Partition(owner, order, self.class_id)
            if len(self._partitions) >= _MAX_PARTITIONS:
                del self._partitions[next(iter(self._partitions))]
        self._partitions[owner] = part
        return part
