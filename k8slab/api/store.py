"""The apiserver and its etcd: the only truth in the lab.

Every component — controllers, the scheduler, kubelets, kube-proxy, kubectl — reads and writes
objects here and learns about changes through watches. Nothing calls another component directly.

What a write goes through, in the apiserver's order (``k8s.io/apiserver/pkg/registry/generic``):

1. decoding: ``apiVersion``/``kind`` resolved, strict JSON decoding against the 1.37 schema
   (unknown fields and wrong types rejected, see :mod:`k8slab.api.schema`);
2. ``generateName`` → name; API defaulting (:class:`~k8slab.api.registry.Strategy`);
3. mutating admission plugins (namespace lifecycle, service accounts, default tolerations…);
4. validation (``pkg/apis/*/validation``) → ``Invalid``;
5. validating admission (quota);
6. storage: uid, ``resourceVersion`` from one global counter (etcd's revision),
   ``creationTimestamp``, ``generation``; the change is appended to the trace and queued for
   every watcher, who receive it after their watch latency through the event loop (the
   watchers one write wakes with the same latency are flushed in one loop step, in the order
   their own steps would have run: see :meth:`APIServer._deliver`).

Objects are plain JSON-like dicts. The store owns what it stores and never hands out copies:
callers treat returned objects as read-only and write by building a new top-level dict
(sharing unchanged sub-trees), which keeps 30,000 pods cheap. ``list`` returns objects in etcd
key order (namespace, then name), as a real apiserver does.
"""

from __future__ import annotations

import builtins
import copy
from collections.abc import Callable, Iterable
from typing import Any

from ..sim.clock import Loop
from ..sim.rand import Streams
from ..sim.timefmt import rfc3339
from ..sim.trace import Trace
from . import errors
from .kinds import Kind, builtin, by_gvk
from .registry import Strategy, strategy_for
from .schema import schema
from .selectors import Selector, matches_field_selector

__all__ = ["ADDED", "DELETED", "MODIFIED", "APIServer", "Watch", "admission_scope"]

Obj = dict[str, Any]
ADDED, MODIFIED, DELETED = "ADDED", "MODIFIED", "DELETED"

# Deprecated APIs the apiserver warns about on every request (``Warning:`` headers; the
# deprecation info of ``k8s.io/kubernetes/pkg/registry``, kubernetes.md §7).
DEPRECATED: dict[tuple[str, str, str], str] = {
    ("", "v1", "Endpoints"):
        "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
}

# Admission plugin signatures: mutate(obj, operation, old) / validate(obj, operation, old).
Admission = Callable[[Obj, str, "Obj | None"], None]
# (kinds as (group, kind) or None for all, operations or None for all, namespaced kinds only)
Scope = tuple["frozenset[tuple[str, str]] | None", "frozenset[str] | None", bool]
# kind, strategy, mutating and validating plugins in scope, apiVersion as stored (a tuple: it
# is unpacked on every write)
_Plan = tuple[Kind, Strategy, list[Admission], list[Admission], str]


def admission_scope(
    *,
    kinds: Iterable[tuple[str, str]] | None = None,
    operations: Iterable[str] | None = None,
    namespaced_only: bool = False,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare which writes an admission plugin can act on (its ``Handles(operation)`` and the
    kind test upstream plugins start with). The store skips a plugin outside its scope, which
    must therefore be exactly the writes on which the plugin returns without doing anything.
    """
    scope: Scope = (frozenset(kinds) if kinds is not None else None,
                    frozenset(operations) if operations is not None else None, namespaced_only)

    def mark(fn: Callable[..., None]) -> Callable[..., None]:
        fn.admission_scope = scope  # type: ignore[attr-defined]
        return fn

    return mark


# metadata the apiserver sets itself on create
_SERVER_OWNED = frozenset(("uid", "resourceVersion", "creationTimestamp", "deletionTimestamp",
                           "deletionGracePeriodSeconds", "generation", "selfLink",
                           "managedFields"))


def _in_scope(plugin: Admission, kind: Kind, operation: str) -> bool:
    scope: Scope | None = getattr(plugin, "admission_scope", None)
    if scope is None:
        return True
    kinds, operations, namespaced_only = scope
    if kinds is not None and (kind.group, kind.kind) not in kinds:
        return False
    if operations is not None and operation not in operations:
        return False
    return not (namespaced_only and not kind.namespaced)


class Watch:
    """One watcher's subscription: a filter, a buffer and a delivery latency.

    Events are buffered and delivered in a single loop callback ``latency`` ns after the first
    one arrived, in order — like a watch stream that a component reads in batches. A watch
    without a field filter reads the events from its :class:`_Fanout`'s log instead of a
    buffer of its own.
    """

    __slots__ = ("_buffer", "_cursor", "_fanout", "_scheduled", "active", "handler", "kind",
                 "latency", "loop", "name")

    def __init__(
        self,
        loop: Loop,
        kind: Kind,
        handler: Callable[[str, Obj, Obj | None], None],
        latency: int,
        name: str,
    ) -> None:
        self.loop = loop
        self.kind = kind
        self.handler = handler
        self.latency = latency
        self.name = name
        self.active = True
        self._buffer: list[tuple[str, Obj, Obj | None]] = []
        self._scheduled = False
        self._fanout: _Fanout | None = None
        # (in a fan-out) the log position of the first event this watch has not taken
        self._cursor = 0

    def push(self, event: str, obj: Obj, old: Obj | None) -> None:
        if not self.active:
            return
        self._buffer.append((event, obj, old))
        if not self._scheduled:
            self._scheduled = True
            self.loop.call_later(self.latency, self._flush)

    def _flush(self) -> None:
        self._scheduled = False
        buffer, self._buffer = self._buffer, []
        handler = self.handler
        for event, obj, old in buffer:
            if not self.active:
                return
            handler(event, obj, old)

    def stop(self) -> None:
        self.active = False
        self._buffer = []
        if self._fanout is not None:
            self._fanout.remove(self)
            self._fanout = None


class _Fanout:
    """The watches of one kind without a field filter that share a latency.

    They all receive every event of the kind, so the events are kept once, in a log that each
    watch reads from its own position; a pod write that finds all of its dozen watchers
    already woken (the common case: writes come in bursts) costs one append. Delivery is as if
    each watch kept its own buffer: a watch not yet woken is woken by the write, the watches
    one write wakes form a batch flushed in one loop step, in the order they were registered
    (:meth:`deliver`), and a flush delivers what arrived before it started — what its own
    handler writes wakes the watch again. When every watch has taken every event, the log is
    dropped.
    """

    __slots__ = ("base", "idle", "latency", "log", "loop", "watches")

    def __init__(self, loop: Loop, latency: int) -> None:
        self.loop = loop
        self.latency = latency
        self.watches: list[Watch] = []
        self.log: list[tuple[str, Obj, Obj | None]] = []
        # the log position of log[0]
        self.base = 0
        # how many watches are not woken (each has taken every event in the log)
        self.idle = 0

    def add(self, w: Watch) -> None:
        w._fanout = self
        w._cursor = self.base + len(self.log)
        self.watches.append(w)
        self.idle += 1

    def remove(self, w: Watch) -> None:
        self.watches.remove(w)
        if not w._scheduled:
            self.idle -= 1

    def wake(self) -> None:
        """Wake the idle watches for the event just logged: one batch, one loop callback."""
        batch = [w for w in self.watches if not w._scheduled]
        for w in batch:
            w._scheduled = True
        self.idle = 0
        self.loop.call_later(self.latency, self.deliver, batch)

    def deliver(self, batch: list[Watch]) -> None:
        """Flush the watches one write woke together, in order.

        Each would have flushed in its own loop callback, all due at the same instant with
        consecutive sequence numbers, so nothing else could run between them: one step does
        the same (a write a handler makes still reaches the watches not yet flushed). Between
        them a ``run_while`` could stop, so the loop is asked; the rest then waits on the loop,
        first in line.
        """
        loop = self.loop
        last = len(batch) - 1
        for i, w in enumerate(batch):
            w._scheduled = False
            if w.active:
                log = self.log
                start = w._cursor - self.base
                end = len(log)
                w._cursor = self.base + end
                self.idle += 1
                if self.idle == len(self.watches):
                    # Everyone has everything: a new log (``log`` is still read below).
                    self.base += end
                    self.log = []
                handler = w.handler
                for event, obj, old in log[start:end]:
                    if not w.active:
                        break
                    handler(event, obj, old)
            if i < last and loop.pausing():
                loop.call_first(self.deliver, batch[i + 1:])
                return


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


class APIServer:
    """kube-apiserver backed by an in-memory etcd."""

    def __init__(self, loop: Loop, streams: Streams, trace: Trace) -> None:
        self.loop = loop
        self.streams = streams
        self.trace = trace
        self.revision = 0
        # kind → namespace → name → object
        self._data: dict[Kind, dict[str, dict[str, Obj]]] = {}
        # kind → its watches without a field filter, by latency (see _Fanout)
        self._fanouts: dict[Kind, list[_Fanout]] = {}
        # field-indexed watches: (kind, field) → value → watches (the kubelet's nodeName watch)
        self._field_watches: dict[Kind, dict[str, dict[str, list[Watch]]]] = {}
        # secondary indexes: kind → index name → (key fn, value → {(ns, name): None}, the
        # part of an object the key reads)
        self._indexes: dict[Kind, dict[str, tuple[Callable[[Obj], Iterable[str]],
                                                  dict[str, dict[tuple[str, str], None]],
                                                  tuple[str, ...]]]] = {}
        # kind → whether a status write may change an index key (see _status_moves_index)
        self._status_moves: dict[Kind, bool] = {}
        # (apiVersion, kind, operation) of a write → what the write needs: see _plan
        self._plans: dict[tuple[Any, Any, str], _Plan] = {}
        # The admission chains, in order (see the mutating and validating properties).
        self._mutating: tuple[Admission, ...] = ()
        self._validating: tuple[Admission, ...] = ()
        # kind name → what the trace keeps of a write, flat (key, value, key, value…)
        self.digests: dict[str, Callable[[Obj], tuple[Any, ...]]] = {}
        # apiserver flags and cluster facts strategies need (service CIDR, node port range…)
        self.options: dict[str, Any] = {}
        # Where the current client wants the apiserver's ``Warning:`` response headers (set by
        # kubectl around its own requests; components ignore warnings, as client-go's default
        # handler only logs them).
        self.warning_sink: Callable[[str], None] | None = None

    # ------------------------------------------------------------------ reads

    def kind_of(self, obj: Obj) -> Kind:
        # Every write resolves its kind up to three times (store, admission plugins).
        api_version = obj.get("apiVersion", "")
        kind_name = obj.get("kind", "")
        if type(api_version) is not str or type(kind_name) is not str:
            api_version, kind_name = str(api_version), str(kind_name)
        kind = by_gvk(api_version, kind_name)
        if kind is None:
            raise errors.bad_request(
                f'no kind "{obj.get("kind")}" is registered for version "{obj.get("apiVersion")}"'
            )
        return kind

    def get(self, kind: Kind, namespace: str, name: str) -> Obj:
        obj = self.try_get(kind, namespace, name)
        if obj is None:
            raise errors.not_found(kind.resource, name)
        return obj

    def try_get(self, kind: Kind, namespace: str, name: str) -> Obj | None:
        if self.warning_sink is not None:
            self._warn(kind)
        by_ns = self._data.get(kind)
        if by_ns is None:
            return None
        objs = by_ns.get(namespace if kind.namespaced else "")
        return objs.get(name) if objs is not None else None

    def list(
        self,
        kind: Kind,
        namespace: str | None = None,
        selector: Selector | None = None,
        fields: list[tuple[str, str, str]] | None = None,
    ) -> list[Obj]:
        """Objects of ``kind`` in etcd key order; ``namespace=None`` means all namespaces."""
        if self.warning_sink is not None:
            self._warn(kind)
        by_ns = self._data.get(kind, {})
        if kind.namespaced and namespace is not None:
            spaces = [namespace] if namespace in by_ns else []
        else:
            spaces = sorted(by_ns)
        out: list[Obj] = []
        for ns in spaces:
            objs = by_ns[ns]
            for name in sorted(objs):
                obj = objs[name]
                if selector is not None and not selector.matches(_meta(obj).get("labels")):
                    continue
                if fields and not matches_field_selector(obj, fields):
                    continue
                out.append(obj)
        return out

    def iter_kind(self, kind: Kind, namespace: str | None = None) -> Iterable[Obj]:
        """Unsorted, cheap iteration over stored objects (for components' internal scans)."""
        by_ns = self._data.get(kind, {})
        if namespace is not None:
            return list(by_ns.get(namespace if kind.namespaced else "", {}).values())
        return [o for objs in by_ns.values() for o in objs.values()]

    def _warn(self, kind: Kind) -> None:
        text = DEPRECATED.get((kind.group, kind.version, kind.kind))
        if text is not None and self.warning_sink is not None:
            self.warning_sink(text)

    def has_objects(self, kind: Kind, namespace: str) -> bool:
        """Whether any object of ``kind`` is stored in ``namespace`` (admission's cheap "no
        LimitRange/ResourceQuota here" test)."""
        by_ns = self._data.get(kind)
        return by_ns is not None and bool(by_ns.get(namespace if kind.namespaced else ""))

    def count(self, kind: Kind) -> int:
        return sum(len(v) for v in self._data.get(kind, {}).values())

    @property
    def mutating(self) -> tuple[Admission, ...]:
        """The mutating admission chain, in order. Registering a plugin assigns a new chain,
        which forgets the remembered write plans (see _plan)."""
        return self._mutating

    @mutating.setter
    def mutating(self, chain: tuple[Admission, ...]) -> None:
        self._mutating = tuple(chain)
        self._plans.clear()

    @property
    def validating(self) -> tuple[Admission, ...]:
        """The validating admission chain, in order (assigned like :attr:`mutating`)."""
        return self._validating

    @validating.setter
    def validating(self, chain: tuple[Admission, ...]) -> None:
        self._validating = tuple(chain)
        self._plans.clear()

    def _plan(self, obj: Obj, operation: str) -> _Plan:
        """What a write of ``obj`` needs before its fields are looked at: the kind, its
        strategy, its apiVersion as stored and the admission plugins in scope.

        Components write the same few kinds again and again (a pod costs nine writes), so this
        is remembered per apiVersion, kind and operation, until a chain is assigned.
        """
        key = (obj.get("apiVersion", ""), obj.get("kind", ""), operation)
        plan = self._plans.get(key)
        if plan is None:
            kind = self.kind_of(obj)
            plan = self._plans[key] = (
                kind, strategy_for(kind.group, kind.kind),
                [p for p in self._mutating if _in_scope(p, kind, operation)],
                [p for p in self._validating if _in_scope(p, kind, operation)],
                kind.api_version)
        return plan

    # --------------------------------------------------------------- indexes

    def add_index(self, kind: Kind, name: str, key: Callable[[Obj], Iterable[str]], *,
                  reads: tuple[str, ...] = ()) -> None:
        """Maintain a secondary index (like an informer indexer) on every write.

        ``reads``: the path of the one part of an object ``key`` looks at (``("spec",)`` for
        ``spec.nodeName``). An update that keeps that very part (stored objects are never
        mutated) keeps the key's values, which are then not computed: a pod's status writes
        keep its spec and its owner references.
        """
        table: dict[str, dict[tuple[str, str], None]] = {}
        self._indexes.setdefault(kind, {})[name] = (key, table, reads)
        self._status_moves.pop(kind, None)
        for obj in self.iter_kind(kind):
            m = _meta(obj)
            for value in key(obj):
                table.setdefault(value, {})[(m.get("namespace", ""), m["name"])] = None

    # (``builtins.list``: in the class body ``list`` names the method above.)
    def by_index(self, kind: Kind, name: str, value: str) -> builtins.list[Obj]:
        # The index holds (namespace, name) in the order the objects took the value; the
        # objects are read from the store, so a write that keeps the value touches nothing.
        idents = self._indexes[kind][name][1].get(value)
        if not idents:
            return []
        by_ns = self._data[kind]
        return [by_ns[ns][n] for ns, n in idents]

    def _reindex(self, kind: Kind, obj: Obj | None, old: Obj | None) -> None:
        indexes = self._indexes.get(kind)
        if not indexes:
            return
        ident: tuple[str, str] | None = None
        for key, table, reads in indexes.values():
            if old is not None and obj is not None:
                if reads:
                    # the part the key reads, in both (a step that is no mapping gives None)
                    new_part, old_part = obj.get(reads[0]), old.get(reads[0])
                    for step in reads[1:]:
                        new_part = new_part.get(step) if type(new_part) is dict else None
                        old_part = old_part.get(step) if type(old_part) is dict else None
                    if new_part is old_part:
                        continue
                new_values = key(obj)
                old_values = key(old)
                if new_values == old_values:
                    continue
            else:
                new_values = key(obj) if obj is not None else ()
                old_values = key(old) if old is not None else ()
            if ident is None:
                m = _meta(obj) if obj is not None else _meta(old)  # type: ignore[arg-type]
                ident = (m.get("namespace", ""), m.get("name", ""))
            for value in old_values:
                bucket = table.get(value)
                if bucket is not None:
                    bucket.pop(ident, None)
                    if not bucket:
                        del table[value]
            for value in new_values:
                table.setdefault(value, {})[ident] = None

    # --------------------------------------------------------------- watches

    def watch(
        self,
        kind: Kind,
        handler: Callable[[str, Obj, Obj | None], None],
        *,
        latency: int = 0,
        name: str = "",
        field: tuple[str, str] | None = None,
    ) -> Watch:
        """Subscribe to changes of ``kind``.

        ``field=("spec.nodeName", node)`` narrows the watch the way a field selector does: an
        object entering the selection arrives as ADDED, one leaving it as DELETED.
        """
        w = Watch(self.loop, kind, handler, latency, name)
        if field is None:
            fanouts = self._fanouts.setdefault(kind, [])
            for fanout in fanouts:
                if fanout.latency == latency:
                    break
            else:
                fanout = _Fanout(self.loop, latency)
                fanouts.append(fanout)
            fanout.add(w)
        else:
            path, value = field
            self._field_watches.setdefault(kind, {}).setdefault(path, {}).setdefault(
                value, []
            ).append(w)
        return w

    def _notify(self, kind: Kind, event: str, obj: Obj, old: Obj | None) -> None:
        fanouts = self._fanouts.get(kind)
        if fanouts:
            item = (event, obj, old)
            for fanout in fanouts:
                fanout.log.append(item)
                if fanout.idle:
                    fanout.wake()
        by_field = self._field_watches.get(kind)
        if not by_field:
            return
        for path, table in by_field.items():
            if event == DELETED:
                old_v = _field(obj, path)
                if old_v:
                    for w in table.get(old_v, ()):
                        w.push(DELETED, obj, None)
                continue
            new_v = _field(obj, path)
            if old is None:
                old_v = None
            elif old.get(first := _PATHS[path][0]) is obj.get(first):
                # The same sub-object holds the field (a status update keeps the spec).
                old_v = new_v
            else:
                old_v = _field(old, path)
            if new_v == old_v:
                if new_v:
                    for w in table.get(new_v, ()):
                        w.push(event, obj, old)
                continue
            if old_v:
                assert old is not None  # old_v is read from old (None when old is)
                for w in table.get(old_v, ()):
                    w.push(DELETED, old, None)
            if new_v:
                for w in table.get(new_v, ()):
                    w.push(ADDED, obj, None)

    # ---------------------------------------------------------------- writes

    def _record(self, source: str, action: str, kind: Kind, obj: Obj) -> None:
        m = obj.get("metadata") or {}
        name = kind.kind
        digest = self.digests.get(name)
        self.trace.append_flat(self.loop.now, source, action, name, m.get("namespace", ""),
                               m.get("name", ""), digest(obj) if digest else ())

    def _next_rv(self) -> str:
        self.revision += 1
        return str(self.revision)

    def decode(self, obj: Obj) -> Kind:
        """Resolve the kind and strictly decode ``obj``; raise BadRequest like the apiserver."""
        kind = self.kind_of(obj)
        definition = schema().definition(str(obj["apiVersion"]), str(obj["kind"]))
        if definition is not None:
            result = schema().decode(obj, definition)
            message = result.message()
            if message:
                raise errors.bad_request(
                    f'{obj["kind"]} in version "{kind.version}" cannot be handled as a '
                    f'{obj["kind"]}: {message}'
                )
        return kind

    def create(
        self,
        obj: Obj,
        *,
        source: str,
        namespace: str | None = None,
        dry_run: bool = False,
        trusted: bool = False,
    ) -> Obj:
        """POST: store a new object.

        Untrusted bodies (from kubectl) are copied and go through the whole pipeline. ``trusted``
        objects are built by the lab's own components from already-defaulted parts: they skip
        decoding and defaulting, and become the store's (callers must not reuse them).
        """
        if not trusted:
            obj = copy.deepcopy(obj)
            self.decode(obj)
        kind, strategy, mutating, validating, api_version = self._plan(obj, "CREATE")
        if self.warning_sink is not None:
            self._warn(kind)
        obj = dict(obj)
        meta = dict(obj.get("metadata") or {})
        obj["metadata"] = meta
        if api_version != obj.get("apiVersion"):
            obj["apiVersion"] = api_version
        if kind.namespaced:
            ns = meta.get("namespace") or namespace or "default"
            meta["namespace"] = ns
        else:
            meta.pop("namespace", None)
            ns = ""
        if not meta.get("name") and meta.get("generateName"):
            meta["name"] = self._generate_name(kind, ns, meta["generateName"])
        name = meta.get("name") or ""
        if not name:
            raise errors.invalid(
                kind.kind, kind.group, "",
                [errors.required("metadata.name", "name or generateName is required")],
            )
        # The apiserver owns these; whatever the client sent is dropped (PrepareForCreate).
        if not _SERVER_OWNED.isdisjoint(meta):
            for key in _SERVER_OWNED:
                meta.pop(key, None)
        if strategy.status_subresource:
            if strategy.initial_status is not None:
                obj["status"] = strategy.initial_status(obj)
            else:
                obj.pop("status", None)
        if strategy.default is not None and not trusted:
            strategy.default(obj)
        if strategy.prepare_create is not None:
            strategy.prepare_create(obj)
        for plugin in mutating:
            plugin(obj, "CREATE", None)
        errs = strategy.validate(obj)
        if errs:
            raise errors.invalid(kind.kind, kind.group, name, errs)
        for plugin in validating:
            plugin(obj, "CREATE", None)
        # try_get, without its call and its deprecation warning (given above)
        by_ns = self._data.get(kind)
        objs = by_ns.get(ns) if by_ns is not None else None
        if objs is not None and name in objs:
            raise errors.already_exists(kind.resource, name)
        if dry_run:
            return obj
        meta["uid"] = self.streams.uuid()
        meta["resourceVersion"] = self._next_rv()
        meta["creationTimestamp"] = rfc3339(self.loop.now)
        if strategy.generation:
            meta["generation"] = 1
        if objs is None:
            objs = self._data.setdefault(kind, {}).setdefault(ns, {})
        objs[name] = obj
        self._reindex(kind, obj, None)
        self._record(source, "create", kind, obj)
        self._notify(kind, ADDED, obj, None)
        return obj

    def _generate_name(self, kind: Kind, ns: str, base: str) -> str:
        # k8s.io/apiserver/pkg/storage/names: base truncated to 58, then 5 random characters.
        base = base[:58]
        while True:
            candidate = base + self.streams.suffix("names")
            if self.try_get(kind, ns, candidate) is None:
                return candidate

    def update(
        self,
        obj: Obj,
        *,
        source: str,
        status: bool = False,
        dry_run: bool = False,
        trusted: bool = False,
        check_version: bool = True,
    ) -> Obj:
        """PUT (``status=True``: PUT …/status).

        As with :meth:`create`, untrusted bodies are copied; trusted ones hand over their
        top-level dict and must not have mutated any sub-tree shared with the stored object.
        """
        if not trusted:
            obj = copy.deepcopy(obj)
            self.decode(obj)
        kind, strategy, mutating, validating, _ = self._plan(obj, "UPDATE")
        if self.warning_sink is not None:
            self._warn(kind)
        meta_in = _meta(obj)
        ns = (meta_in.get("namespace") or "default") if kind.namespaced else ""
        name = meta_in.get("name", "")
        # try_get, without its call and its deprecation warning (given above)
        by_ns = self._data.get(kind)
        objs = by_ns.get(ns) if by_ns is not None else None
        old = objs.get(name) if objs is not None else None
        if old is None:
            raise errors.not_found(kind.resource, name)
        old_meta = old["metadata"]
        rv = meta_in.get("resourceVersion")
        if check_version and rv and rv != old_meta["resourceVersion"]:
            raise errors.conflict(
                kind.resource, name,
                "the object has been modified; please apply your changes to the latest "
                "version and try again",
            )
        if status:
            # The status subresource only changes status (PrepareForUpdate of the status
            # strategy): everything else comes from the stored object.
            new = dict(old)
            if "status" in obj:
                new["status"] = obj["status"]
            meta = dict(old_meta)
            for key in strategy.status_metadata:
                if key in meta_in:
                    meta[key] = meta_in[key]
                else:
                    meta.pop(key, None)
        else:
            new = dict(obj)
            meta = dict(meta_in)
            for key in ("uid", "creationTimestamp", "deletionTimestamp",
                        "deletionGracePeriodSeconds", "generateName"):
                if key in old_meta:
                    meta[key] = old_meta[key]
                else:
                    meta.pop(key, None)
            if kind.namespaced:
                meta["namespace"] = ns
            if strategy.status_subresource:
                if "status" in old:
                    new["status"] = old["status"]
                else:
                    new.pop("status", None)
            if strategy.default is not None and not trusted:
                new["metadata"] = meta
                strategy.default(new)
            if strategy.generation:
                gen = old_meta.get("generation", 1)
                if any(new.get(f) != old.get(f) for f in strategy.spec_fields):
                    gen += 1
                meta["generation"] = gen
            if strategy.prepare_update is not None:
                new["metadata"] = meta
                strategy.prepare_update(new, old)
        new["metadata"] = meta
        if not status:
            for plugin in mutating:
                plugin(new, "UPDATE", old)
        errs = (strategy.validate_status_update(new, old) if status
                else strategy.validate_update(new, old))
        if errs:
            raise errors.invalid(kind.kind, kind.group, name, errs)
        if not status:
            for plugin in validating:
                plugin(new, "UPDATE", old)
        if new == old:
            # A no-op write does not bump the revision or wake watchers (etcd is not touched).
            return old
        if dry_run:
            return new
        meta["resourceVersion"] = self._next_rv()
        if status and not self._status_moves_index(kind, strategy.status_metadata):
            # Every index key reads a part the status write kept (a pod's two status writes).
            self._data[kind][ns][name] = new
        else:
            self._put(kind, ns, name, new, old)
        # Objects whose finalizers are all gone after deletion was requested disappear.
        if meta.get("deletionTimestamp") and not meta.get("finalizers") and (
            kind.kind != "Pod" and kind.kind != "Namespace"
        ):
            self._remove(kind, ns, name, source)
        else:
            self._record(source, "update-status" if status else "update", kind, new)
            self._notify(kind, MODIFIED, new, old)
        return new

    def _status_moves_index(self, kind: Kind, status_metadata: tuple[str, ...]) -> bool:
        """Whether a status write of ``kind`` may change one of its index keys: it keeps every
        part of the object but ``status`` and the ``status_metadata`` keys (remembered per
        kind until an index is added)."""
        moves = self._status_moves.get(kind)
        if moves is None:
            moves = self._status_moves[kind] = any(
                not reads or reads[0] == "status" or (reads[0] == "metadata" and (
                    len(reads) == 1 or reads[1] in status_metadata
                    or reads[1] == "resourceVersion"))
                for _key, _table, reads in self._indexes.get(kind, {}).values())
        return moves

    def _put(self, kind: Kind, ns: str, name: str, new: Obj, old: Obj | None) -> None:
        self._data.setdefault(kind, {}).setdefault(ns, {})[name] = new
        self._reindex(kind, new, old)

    def patch(
        self,
        kind: Kind,
        namespace: str,
        name: str,
        mutate: Callable[[Obj], Obj],
        *,
        source: str,
        status: bool = False,
        dry_run: bool = False,
        trusted: bool = False,
    ) -> Obj:
        """PATCH: ``mutate`` gets a deep copy of the live object and returns the patched one.

        Patches apply to the latest version, so they never conflict.
        """
        live = self.get(kind, namespace, name)
        patched = mutate(copy.deepcopy(live))
        meta = dict(patched.get("metadata") or {})
        meta["resourceVersion"] = live["metadata"]["resourceVersion"]
        patched["metadata"] = meta
        return self.update(patched, source=source, status=status, dry_run=dry_run,
                           trusted=trusted)

    def bind(self, namespace: str, name: str, node: str, *, source: str) -> Obj:
        """POST pods/binding: assign a pod to a node (what the scheduler's binder does).

        Sets ``spec.nodeName`` and the ``PodScheduled`` condition, which a plain update of a
        pod may not change.
        """
        pod_kind = _POD
        assert pod_kind is not None
        pod = self.get(pod_kind, namespace, name)
        spec = pod.get("spec") or {}
        if spec.get("nodeName"):
            raise errors.conflict(
                "pods/binding", name,
                f'pod {name} is already assigned to node "{spec["nodeName"]}"',
            )
        if (pod.get("metadata") or {}).get("deletionTimestamp"):
            raise errors.conflict("pods/binding", name, f"pod {name} is being deleted, cannot "
                                  "be assigned to a host")
        status = dict(pod.get("status") or {})
        conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
        conditions.append({"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": rfc3339(self.loop.now)})
        status["conditions"] = conditions
        new = {**pod, "spec": {**spec, "nodeName": node}, "status": status,
               "metadata": {**pod["metadata"], "resourceVersion": self._next_rv()}}
        self._put(pod_kind, namespace, name, new, pod)
        self._record(source, "bind", pod_kind, new)
        self._notify(pod_kind, MODIFIED, new, pod)
        return new

    def delete(
        self,
        kind: Kind,
        namespace: str,
        name: str,
        *,
        source: str,
        grace_period: int | None = None,
        propagation: str = "Background",
        dry_run: bool = False,
        uid: str | None = None,
    ) -> Obj:
        """DELETE. Returns the object as it was when deletion took effect or started.

        Pods bound to a node are deleted gracefully: they get a ``deletionTimestamp`` and the
        kubelet finishes the job. Objects with finalizers wait for them to be removed.
        """
        ns = namespace if kind.namespaced else ""
        obj = self.get(kind, ns, name)
        meta = obj["metadata"]
        if uid is not None and meta.get("uid") != uid:
            raise errors.conflict(
                kind.resource, name,
                f"Precondition failed: UID in precondition: {uid}, UID in object meta: "
                f"{meta.get('uid')}",
            )
        if dry_run:
            return obj
        finalizers = list(meta.get("finalizers") or [])
        if propagation == "Foreground" and "foregroundDeletion" not in finalizers:
            finalizers.append("foregroundDeletion")
        elif propagation == "Orphan" and "orphan" not in finalizers:
            finalizers.append("orphan")
        graceful = False
        grace = 0
        if kind.kind == "Pod":
            spec_grace = (obj.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
            grace = spec_grace if grace_period is None else grace_period
            phase = (obj.get("status") or {}).get("phase")
            # Unscheduled and finished pods go at once (pod strategy CheckGracefulDelete).
            if (obj.get("spec") or {}).get("nodeName") and phase not in ("Succeeded", "Failed"):
                graceful = grace > 0
        if kind.kind == "Namespace":
            return self._delete_namespace(kind, obj, source)
        if graceful or finalizers:
            existing = meta.get("deletionTimestamp")
            if existing and not graceful:
                return obj
            new_meta = dict(meta)
            new_meta["finalizers"] = finalizers
            if not finalizers:
                new_meta.pop("finalizers")
            if graceful:
                old_grace = meta.get("deletionGracePeriodSeconds")
                if existing and old_grace is not None and old_grace <= grace:
                    return obj
                new_meta["deletionTimestamp"] = rfc3339(self.loop.now + grace * 1_000_000_000)
                new_meta["deletionGracePeriodSeconds"] = grace
            elif not existing:
                new_meta["deletionTimestamp"] = rfc3339(self.loop.now)
                new_meta["deletionGracePeriodSeconds"] = 0
            if "generation" in new_meta and not existing:
                new_meta["generation"] = new_meta["generation"] + 1
            new_meta["resourceVersion"] = self._next_rv()
            new = dict(obj)
            new["metadata"] = new_meta
            self._put(kind, ns, name, new, obj)
            self._record(source, "delete", kind, new)
            self._notify(kind, MODIFIED, new, obj)
            return new
        return self._remove(kind, ns, name, source)

    def _delete_namespace(self, kind: Kind, obj: Obj, source: str) -> Obj:
        meta = obj["metadata"]
        if meta.get("deletionTimestamp"):
            return obj
        new_meta = dict(meta)
        new_meta["deletionTimestamp"] = rfc3339(self.loop.now)
        new_meta["deletionGracePeriodSeconds"] = 0
        new_meta["resourceVersion"] = self._next_rv()
        new = dict(obj)
        new["metadata"] = new_meta
        new["status"] = {**(obj.get("status") or {}), "phase": "Terminating"}
        self._put(kind, "", meta["name"], new, obj)
        self._record(source, "delete", kind, new)
        self._notify(kind, MODIFIED, new, obj)
        return new

    def remove(self, kind: Kind, namespace: str, name: str, *, source: str) -> Obj:
        """Finish a deletion: the object leaves etcd (kubelet's final delete, finalize)."""
        return self._remove(kind, namespace if kind.namespaced else "", name, source)

    def _remove(self, kind: Kind, ns: str, name: str, source: str) -> Obj:
        objs = self._data.get(kind, {}).get(ns, {})
        obj = objs.pop(name, None)
        if obj is None:
            raise errors.not_found(kind.resource, name)
        if not objs:
            self._data[kind].pop(ns, None)
        self._reindex(kind, None, obj)
        # The DELETED event carries the last state with a fresh resourceVersion, like etcd.
        gone = dict(obj)
        gone["metadata"] = {**obj["metadata"], "resourceVersion": self._next_rv()}
        self._record(source, "remove", kind, gone)
        self._notify(kind, DELETED, gone, obj)
        return gone


_PATHS: dict[str, list[str]] = {}
_POD = builtin("v1", "Pod")


def _field(obj: Obj | None, path: str) -> str | None:
    """The non-empty string at ``path`` (``spec.nodeName``) in ``obj``, or None."""
    cur: Any = obj
    parts = _PATHS.get(path) or _PATHS.setdefault(path, path.split("."))
    # Of the values a stored object holds (JSON's), only a mapping has .get: every pod write
    # asks this of a field watch's path.
    try:
        for part in parts:
            cur = cur.get(part)
    except AttributeError:
        return None
    return cur if isinstance(cur, str) and cur else None
