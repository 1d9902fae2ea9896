"""The scheduling framework's data: statuses, the scheduler's view of pods and nodes.

Models ``k8s.io/kube-scheduler/framework`` (``Status`` and its codes), ``pkg/scheduler/framework``
(``PodInfo``, ``NodeInfo``, ``Resource``, ``FitError``) and the request arithmetic of
``k8s.io/component-helpers/resource`` (``PodRequests``: the sum of the regular containers, the
maximum of the init containers, restartable sidecars added to both, plus overhead).

Everything here is parsed once per pod or node and kept as plain tuples and ints, so a plugin
evaluating a node does a few integer comparisons instead of walking the API objects again.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from ..api.quantity import QuantityError, milli, value
from ..sim.memo import by_identity

__all__ = [
    "ERROR",
    "MAX_NODE_SCORE",
    "SKIP",
    "SUCCESS",
    "UNRESOLVABLE",
    "UNSCHEDULABLE",
    "NodeInfo",
    "PodEntry",
    "PodInfo",
    "Status",
    "fit_error_message",
    "parse_taints",
    "parse_tolerations",
]

Obj = dict[str, Any]

# Status codes (fwk.Code). UNRESOLVABLE is "UnschedulableAndUnresolvable": preemption cannot help.
SUCCESS, ERROR, UNSCHEDULABLE, UNRESOLVABLE, SKIP = 0, 1, 2, 3, 4
MAX_NODE_SCORE = 100

# pkg/scheduler/util: what scoring assumes for a container that requests nothing.
DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024

HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
REGION_LABEL = "topology.kubernetes.io/region"


class Status:
    """A plugin's verdict for one node: a code and the reasons shown in FailedScheduling."""

    __slots__ = ("code", "plugin", "reasons")

    def __init__(self, code: int, *reasons: str, plugin: str = "") -> None:
        self.code = code
        self.reasons = reasons
        self.plugin = plugin

    @property
    def rejected(self) -> bool:
        return self.code in (UNSCHEDULABLE, UNRESOLVABLE)

    def message(self) -> str:
        return ", ".join(self.reasons)

    def __repr__(self) -> str:
        return f"Status({self.code}, {self.reasons!r}, plugin={self.plugin!r})"


def fit_error_message(num_all_nodes: int, counts: dict[str, int], pre_filter_msg: str = "",
                      post_filter_msg: str = "") -> str:
    """``FitError.Error()``: ``0/N nodes are available: <n reason>, …. <post-filter message>``.

    One ``count reason`` entry per distinct reason, sorted as strings (so ``1 node(s)…`` sorts
    before ``3 Insufficient cpu``), joined with ``, ``; the PostFilter (preemption) message is
    appended after a space as it is, with no period added.
    """
    msg = f"0/{num_all_nodes} nodes are available:"
    if pre_filter_msg:
        msg += f" {pre_filter_msg}."
    else:
        histogram = sorted(f"{n} {reason}" for reason, n in counts.items())
        if histogram:
            msg += " " + ", ".join(histogram) + "."
    if post_filter_msg:
        msg += f" {post_filter_msg}"
    return msg


# --------------------------------------------------------------------------- quantities

@lru_cache(maxsize=4096)
def _milli(q: str | int | float) -> int:
    try:
        return milli(q)
    except QuantityError:
        return 0


@lru_cache(maxsize=4096)
def _value(q: str | int | float) -> int:
    try:
        return value(q)
    except QuantityError:
        return 0


def _container_requests(container: Obj, non_missing: bool) -> tuple[int, int, int]:
    requests = (container.get("resources") or {}).get("requests") or {}
    cpu = requests.get("cpu")
    mem = requests.get("memory")
    eph = requests.get("ephemeral-storage")
    c = _milli(cpu) if cpu is not None else (DEFAULT_MILLI_CPU_REQUEST if non_missing else 0)
    m = _value(mem) if mem is not None else (DEFAULT_MEMORY_REQUEST if non_missing else 0)
    e = _value(eph) if eph is not None else 0
    return c, m, e


def pod_requests(spec: Obj, non_missing: bool = False) -> tuple[int, int, int]:
    """``resource.PodRequests`` for cpu (milli), memory and ephemeral-storage (bytes).

    ``non_missing`` fills a missing cpu/memory request of each container with the scoring
    defaults (100m, 200Mi), as NodeResourcesFit's scorer and ``NodeInfo.NonZeroRequested`` do.
    """
    cpu = mem = eph = 0
    for c in spec.get("containers") or ():
        a, b, d = _container_requests(c, non_missing)
        cpu += a
        mem += b
        eph += d
    init_cpu = init_mem = init_eph = 0
    side_cpu = side_mem = side_eph = 0
    for c in spec.get("initContainers") or ():
        a, b, d = _container_requests(c, non_missing)
        if c.get("restartPolicy") == "Always":
            # A sidecar runs beside everything started after it.
            cpu += a
            mem += b
            eph += d
            side_cpu += a
            side_mem += b
            side_eph += d
            a, b, d = side_cpu, side_mem, side_eph
        else:
            a, b, d = a + side_cpu, b + side_mem, d + side_eph
        init_cpu, init_mem, init_eph = max(init_cpu, a), max(init_mem, b), max(init_eph, d)
    cpu, mem, eph = max(cpu, init_cpu), max(mem, init_mem), max(eph, init_eph)
    pod_level = (spec.get("resources") or {}).get("requests") or {}
    if "cpu" in pod_level:
        cpu = _milli(pod_level["cpu"])
    if "memory" in pod_level:
        mem = _value(pod_level["memory"])
    overhead = spec.get("overhead") or {}
    if overhead:
        cpu += _milli(overhead.get("cpu", 0))
        mem += _value(overhead.get("memory", 0))
        eph += _value(overhead.get("ephemeral-storage", 0))
    return cpu, mem, eph


# --------------------------------------------------------------------------- taints

Taint = tuple[str, str, str]                      # key, value, effect
Toleration = tuple[str, str, str, str, Any]        # key, operator, value, effect, seconds


def parse_taints(taints: list[Obj] | None) -> tuple[Taint, ...]:
    return tuple((t.get("key", ""), t.get("value", "") or "", t.get("effect", ""))
                 for t in taints or ())


def parse_tolerations(tolerations: list[Obj] | None) -> tuple[Toleration, ...]:
    return tuple((t.get("key", "") or "", t.get("operator", "") or "", t.get("value", "") or "",
                  t.get("effect", "") or "", t.get("tolerationSeconds"))
                 for t in tolerations or ())


# Pods of one template share its (never mutated) tolerations list (admission's default
# tolerations included): each pending pod's PodInfo parses it once per template.
_template_tolerations = by_identity(parse_tolerations)


def tolerates(toleration: Toleration, taint: Taint) -> bool:
    """``Toleration.ToleratesTaint``."""
    key, op, val, effect, _ = toleration
    if effect and effect != taint[2]:
        return False
    if key and key != taint[0]:
        return False
    if op == "Exists":
        return True
    if op in ("", "Equal"):
        return val == taint[1]
    return False


def tolerated(tolerations: tuple[Toleration, ...], taint: Taint) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


# --------------------------------------------------------------------------- node selectors

def _requirement_matches(req: Obj, labels: dict[str, str]) -> bool:
    key = req.get("key", "")
    op = req.get("operator")
    values: Sequence[str] = req.get("values") or ()
    if op == "In":
        return key in labels and labels[key] in values
    if op == "NotIn":
        return key not in labels or labels[key] not in values
    if op == "Exists":
        return key in labels
    if op == "DoesNotExist":
        return key not in labels
    if op in ("Gt", "Lt"):
        if key not in labels or len(values) != 1:
            return False
        try:
            have, want = int(labels[key]), int(values[0])
        except ValueError:
            return False
        return have > want if op == "Gt" else have < want
    return False


def term_matches(term: Obj, name: str, labels: dict[str, str]) -> bool:
    """A ``NodeSelectorTerm``: every expression and field requirement holds; empty → no match."""
    exprs = term.get("matchExpressions") or ()
    fields = term.get("matchFields") or ()
    if not exprs and not fields:
        return False
    for req in exprs:
        if not _requirement_matches(req, labels):
            return False
    for req in fields:
        if req.get("key") != "metadata.name":
            return False
        if not _requirement_matches({**req, "key": "n"}, {"n": name}):
            return False
    return True


# --------------------------------------------------------------------------- pods

def normalized_image_name(name: str) -> str:
    """ImageLocality's ``normalizedImageName``: an untagged image means ``:latest``."""
    if name.rfind(":") <= name.rfind("/"):
        return name + ":latest"
    return name


_FACTS: dict[int, tuple[Any, ...]] = {}
# Facts per "shape": for specs with plain containers only (no init containers, pod-level
# resources or overhead), what spec_facts reads is each container's resources and ports maps
# and image, and hostNetwork. Pods of one template have new container dicts (their volume
# mounts differ) but share those maps, so the key holds their ids and the value pins them. While
# pinned, those objects live and no other object has their ids: a key found names the very
# objects it was made of.
_FACTS_BY_SHAPE: dict[tuple[Any, ...], tuple[list[Any], tuple[Any, ...]]] = {}


def spec_facts(spec: Obj) -> tuple[Any, ...]:
    """Requests, non-zero requests, host ports, images and container count of a pod spec.

    Memoised on the identity of the spec's parts: the pending pod, its assumed entry and the
    bound pod share their container lists (objects are copy-on-write), so each pod is parsed once.
    """
    containers = spec.get("containers")
    parts = (containers, spec.get("initContainers"), spec.get("resources"),
             spec.get("overhead"), spec.get("hostNetwork"))
    hit = _FACTS.get(id(containers))
    if (hit is not None and hit[0][0] is containers and hit[0][1] is parts[1]
            and hit[0][2] is parts[2] and hit[0][3] is parts[3] and hit[0][4] is parts[4]):
        return hit[1]
    shape: tuple[Any, ...] | None = None
    if not (parts[1] or parts[2] or parts[3]) and isinstance(containers, list):
        shape_parts: list[Any] = [bool(parts[4])]
        for c in containers:
            shape_parts += (id(c.get("resources")), id(c.get("ports")), c.get("image", ""))
        shape = tuple(shape_parts)
        known = _FACTS_BY_SHAPE.get(shape)
        if known is not None:
            facts = known[1]
        else:
            facts = _spec_facts(spec, containers)
            if len(_FACTS_BY_SHAPE) > 4096:
                _FACTS_BY_SHAPE.clear()
            pins = [part for c in containers for part in (c.get("resources"), c.get("ports"))]
            _FACTS_BY_SHAPE[shape] = (pins, facts)
    else:
        facts = _spec_facts(spec, containers)
    if len(_FACTS) > 20_000:
        _FACTS.clear()
    _FACTS[id(containers)] = (parts, facts)
    return facts


def _spec_facts(spec: Obj, containers: Any) -> tuple[Any, ...]:
    every = list(spec.get("initContainers") or ()) + list(containers or ())
    return (pod_requests(spec), pod_requests(spec, non_missing=True)[:2], pod_host_ports(spec),
            tuple(normalized_image_name(c.get("image", "")) for c in every), len(every))


class PodInfo:
    """What the scheduler needs of a pod waiting to be scheduled, parsed once per attempt."""

    __slots__ = (
        "affinity_key",
        "gated",
        "has_pod_affinity",
        "host_ports",
        "images",
        "key",
        "labels",
        "name",
        "names_hostname",
        "namespace",
        "node_selector",
        "nominated_node",
        "nonzero",
        "num_containers",
        "owner_kind",
        "owner_name",
        "owner_uid",
        "pod",
        "preemption_policy",
        "preferred",
        "priority",
        "requests",
        "required",
        "required_names",
        "signature",
        "spread_constraints",
        "tolerations",
        "uid",
    )

    def __init__(self, pod: Obj) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.namespace = meta.get("namespace", "default")
        self.name = meta.get("name", "")
        self.key = f"{self.namespace}/{self.name}"
        self.uid = meta.get("uid", "")
        self.labels: dict[str, str] = meta.get("labels") or {}
        self.priority = int(spec.get("priority") or 0)
        self.preemption_policy = spec.get("preemptionPolicy") or "PreemptLowerPriority"
        self.gated = bool(spec.get("schedulingGates"))
        self.nominated_node = (pod.get("status") or {}).get("nominatedNodeName") or ""
        (self.requests, self.nonzero, self.host_ports, self.images,
         self.num_containers) = spec_facts(spec)
        self.tolerations = _template_tolerations(spec.get("tolerations"))
        self.node_selector: dict[str, str] = spec.get("nodeSelector") or {}
        affinity = spec.get("affinity")
        self.required: list[Obj] | None
        self.preferred: tuple[tuple[int, Obj], ...]
        (self.required, self.preferred, self.required_names, self.has_pod_affinity,
         self.names_hostname, self.affinity_key) = (
            _affinity_facts(affinity or {}, self.node_selector)
            if affinity or self.node_selector else _NO_AFFINITY)
        self.spread_constraints: list[Obj] = list(spec.get("topologySpreadConstraints") or ())
        self.owner_uid, self.owner_kind, self.owner_name = _owners(
            meta.get("ownerReferences") or ())
        # Everything the cacheable plugins look at: two pods with the same signature get the same
        # filter verdicts and raw scores on equal nodes.
        self.signature = (self.requests, self.nonzero, self.host_ports, self.tolerations,
                          self.affinity_key)


AffinityFacts = tuple[list[Obj] | None, tuple[tuple[int, Obj], ...], tuple[str, ...] | None,
                      bool, bool, str]
# What _affinity_facts says of a pod with neither affinity nor a node selector (most pods).
_NO_AFFINITY: AffinityFacts = (None, (), None, False, False, "")


def _affinity_facts(affinity: Obj, node_selector: dict[str, str]) -> AffinityFacts:
    """PodInfo's required terms, weighted preferred terms, pinned node names, whether it has
    inter-pod (anti-)affinity, whether it names nodes by hostname, and its affinity key."""
    node_aff = affinity.get("nodeAffinity") or {}
    required = node_aff.get("requiredDuringSchedulingIgnoredDuringExecution")
    terms: list[Obj] | None = (
        list(required.get("nodeSelectorTerms") or []) if isinstance(required, dict) else None
    )
    preferred = tuple(
        (int(p.get("weight") or 0), p.get("preference") or {})
        for p in node_aff.get("preferredDuringSchedulingIgnoredDuringExecution") or ()
        if int(p.get("weight") or 0) != 0
    )
    has_pod_affinity = bool(affinity.get("podAffinity") or affinity.get("podAntiAffinity"))
    text = repr(node_aff) if node_aff else ""
    names_hostname = (HOSTNAME_LABEL in text or "metadata.name" in text
                      or HOSTNAME_LABEL in node_selector)
    affinity_key = (repr((sorted(node_selector.items()), terms, preferred))
                    if node_selector or node_aff else "")
    return (terms, preferred, _required_node_names(terms), has_pod_affinity, names_hostname,
            affinity_key)


@by_identity
def _owners(refs: list[Obj] | tuple[()]) -> tuple[str, str, str]:
    """The first owner's uid and the controller's kind and name, per (never mutated) list:
    the pods of one ReplicaSet share theirs."""
    first = refs[0] if refs else None
    controller = next((o for o in refs if o.get("controller")), None)
    return (first.get("uid", "") if first else "",
            controller.get("kind", "") if controller else "",
            controller.get("name", "") if controller else "")


def _required_node_names(terms: list[Obj] | None) -> tuple[str, ...] | None:
    """NodeAffinity PreFilter: the node names a pod is pinned to via ``metadata.name`` fields.

    Returns None when every node is eligible; an empty tuple when the terms conflict.
    """
    if not terms:
        return None
    names: set[str] | None = None
    for term in terms:
        term_names: set[str] | None = None
        for req in term.get("matchFields") or ():
            if req.get("key") == "metadata.name" and req.get("operator") == "In":
                vals = set(req.get("values") or ())
                term_names = vals if term_names is None else term_names & vals
        if term_names is None:
            return None
        names = term_names if names is None else names | term_names
    return tuple(sorted(names or ()))


def pod_host_ports(spec: Obj) -> tuple[tuple[str, str, int], ...]:
    """(hostIP, protocol, hostPort) the pod needs; hostNetwork pods need their containerPorts."""
    out = []
    host_network = bool(spec.get("hostNetwork"))
    for c in list(spec.get("initContainers") or ()) + list(spec.get("containers") or ()):
        for p in c.get("ports") or ():
            port = p.get("hostPort") or (p.get("containerPort") if host_network else 0)
            if port:
                out.append((p.get("hostIP") or "0.0.0.0", p.get("protocol") or "TCP", int(port)))
    return tuple(out)


class PodEntry:
    """A pod assigned (or assumed) to a node, as the scheduler cache accounts for it."""

    __slots__ = ("key", "labels", "namespace", "node", "nonzero", "owner", "pod", "ports",
                 "priority", "requests", "start", "terminating", "uid")

    def __init__(self, pod: Obj, node: str) -> None:
        meta = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.pod = pod
        self.namespace = meta.get("namespace", "default")
        self.key = f"{self.namespace}/{meta.get('name', '')}"
        self.uid = meta.get("uid", "")
        self.labels: dict[str, str] = meta.get("labels") or {}
        self.node = node
        self.priority = int(spec.get("priority") or 0)
        self.requests, self.nonzero, self.ports = spec_facts(spec)[:3]
        owners = meta.get("ownerReferences") or ()
        self.owner = owners[0].get("uid", "") if owners else ""
        self.terminating = bool(meta.get("deletionTimestamp"))
        status = pod.get("status") or {}
        self.start = status.get("startTime") or meta.get("creationTimestamp") or ""

    @classmethod
    def of(cls, info: PodInfo, node: str) -> PodEntry:
        """The entry of a pod just scheduled (the assumed pod), from its parsed PodInfo."""
        pod = info.pod
        meta = pod.get("metadata") or {}
        entry = cls.__new__(cls)
        entry.pod = pod
        entry.namespace = info.namespace
        entry.key = info.key
        entry.uid = info.uid
        entry.labels = info.labels
        entry.node = node
        entry.priority = info.priority
        entry.requests, entry.nonzero, entry.ports = info.requests, info.nonzero, info.host_ports
        entry.owner = info.owner_uid
        entry.terminating = bool(meta.get("deletionTimestamp"))
        status = pod.get("status") or {}
        entry.start = status.get("startTime") or meta.get("creationTimestamp") or ""
        return entry


# --------------------------------------------------------------------------- nodes

class NodeInfo:
    """One node with the sums of what is assigned to it (``framework.NodeInfo``)."""

    __slots__ = (
        "alloc_cpu", "alloc_eph", "alloc_mem", "alloc_pods", "dyn", "images", "labels", "name",
        "node", "nz_cpu", "nz_mem", "owners", "pods", "ports", "pos", "req_cpu", "req_eph",
        "req_mem", "sig", "taints", "unschedulable", "zone_key",
    )

    def __init__(self, node: Obj) -> None:
        self.name: str = node["metadata"]["name"]
        self.pos = -1
        self.pods: dict[str, PodEntry] = {}
        self.ports: dict[tuple[str, str, int], int] = {}
        self.owners: dict[str, int] = {}
        self.req_cpu = self.req_mem = self.req_eph = 0
        self.nz_cpu = self.nz_mem = 0
        self.sig = 0
        self.set_node(node)
        self.refresh()

    def set_node(self, node: Obj) -> None:
        self.node = node
        meta = node.get("metadata") or {}
        spec = node.get("spec") or {}
        status = node.get("status") or {}
        alloc = status.get("allocatable") or {}
        self.alloc_cpu = _milli(alloc.get("cpu", 0))
        self.alloc_mem = _value(alloc.get("memory", 0))
        self.alloc_eph = _value(alloc.get("ephemeral-storage", 0))
        self.alloc_pods = _value(alloc.get("pods", 0))
        self.labels: dict[str, str] = meta.get("labels") or {}
        self.taints = parse_taints(spec.get("taints"))
        self.unschedulable = bool(spec.get("unschedulable"))
        images: dict[str, int] = {}
        for image in status.get("images") or ():
            size = int(image.get("sizeBytes") or 0)
            for name in image.get("names") or ():
                images[name] = size
        self.images = images
        region = self.labels.get(REGION_LABEL, "")
        zone = self.labels.get(ZONE_LABEL, "")
        self.zone_key = f"{region}:\x00:{zone}" if (region or zone) else ""

    def static_key(self) -> tuple[Any, ...]:
        """Everything of the node object that filters and scores read.

        The hostname label is unique to each node; only its presence counts here (pods whose
        selectors name it take the node-by-node path, see ``PodInfo.names_hostname``).
        """
        labels = tuple(sorted((k, v) for k, v in self.labels.items() if k != HOSTNAME_LABEL))
        return (labels, HOSTNAME_LABEL in self.labels, self.taints, self.unschedulable,
                self.alloc_cpu, self.alloc_mem, self.alloc_eph, self.alloc_pods,
                tuple(sorted(self.images.items())))

    def refresh(self) -> None:
        """Recompute the dynamic part of the equivalence key after pods changed."""
        ports = tuple(sorted(k for k, n in self.ports.items() if n > 0)) if self.ports else ()
        self.dyn = (self.req_cpu, self.req_mem, self.req_eph, self.nz_cpu, self.nz_mem,
                    len(self.pods), ports)

    def add(self, entry: PodEntry) -> None:
        self.pods[entry.key] = entry
        self.req_cpu += entry.requests[0]
        self.req_mem += entry.requests[1]
        self.req_eph += entry.requests[2]
        self.nz_cpu += entry.nonzero[0]
        self.nz_mem += entry.nonzero[1]
        for p in entry.ports:
            self.ports[p] = self.ports.get(p, 0) + 1
        if entry.owner and not entry.terminating:
            self.owners[entry.owner] = self.owners.get(entry.owner, 0) + 1
        self.refresh()

    def remove(self, entry: PodEntry) -> None:
        if self.pods.pop(entry.key, None) is None:
            return
        self.req_cpu -= entry.requests[0]
        self.req_mem -= entry.requests[1]
        self.req_eph -= entry.requests[2]
        self.nz_cpu -= entry.nonzero[0]
        self.nz_mem -= entry.nonzero[1]
        for p in entry.ports:
            n = self.ports.get(p, 0) - 1
            if n > 0:
                self.ports[p] = n
            else:
                self.ports.pop(p, None)
        if entry.owner and not entry.terminating:
            n = self.owners.get(entry.owner, 0) - 1
            if n > 0:
                self.owners[entry.owner] = n
            else:
                self.owners.pop(entry.owner, None)
        self.refresh()

    def clone(self) -> NodeInfo:
        """A private copy for preemption's what-if evaluation."""
        other = NodeInfo.__new__(NodeInfo)
        for slot in NodeInfo.__slots__:
            setattr(other, slot, getattr(self, slot))
        other.pods = dict(self.pods)
        other.ports = dict(self.ports)
        other.owners = dict(self.owners)
        return other
