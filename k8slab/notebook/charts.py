"""Charts of what happened in a lab, drawn from its trace.

Every function here is a pure function of the lab's append-only trace (:mod:`k8slab.sim.trace`)
and of the current virtual time: it replays the records from the first one, so the state at any
instant is exactly what the apiserver held then, and returns a ``plotly.graph_objects.Figure``
(graph_objects only: no plotly.express, numpy or pandas). Nothing reads the live objects, so a
chart drawn twice from the same trace is the same figure, and tests can assert on ``fig.data``
and ``fig.layout``.

Time series put virtual seconds since a start point on the x axis. The start point is a trace
sequence number (``since``, e.g. ``mark = len(lab.trace)`` taken before a command): the series
starts with the state at that point and ends at the lab's current time. Several writes at the
same virtual instant collapse into the state after the last one, and lines are drawn as steps
(``line.shape="hv"``), because the state holds until the next write.

Chapters 04–08 add charts of traffic, rollouts, revisions, probes and ingress routing. Their
requests come from the network's request log (``cluster.network.log``, one row per HTTP
exchange, indexed by virtual time); a :class:`Mark` (``mark(lab)``) is a trace position that
also remembers its time, so object state and requests share one time axis. A few of them read
the apiserver's current objects for what the trace does not keep: the image of a ReplicaSet
(legend labels), the EndpointSlices that name a pod's Service, and Traefik's routers
(:mod:`k8slab.network.ingress`). Sources: kubernetes.md §1.4 and §1.9 (rollouts, revisions),
§4 (probes), §7 (kube-proxy's uniformly random pick); Traefik's
``pkg/provider/kubernetes/ingress/kubernetes.go`` (router priority = rule length).

The pod buckets follow the STATUS column of ``kubectl get pods``
(``pkg/printers/internalversion/printers.go``, ``printPod``): a pod being deleted shows
``Terminating`` (unless its phase is already terminal); a Pending pod bound to a node shows
its waiting reason, which is
``ContainerCreating`` until the kubelet has started its containers; an unbound Pending pod shows
``Pending``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import plotly.graph_objects as go

from ..sim.clock import SECOND
from ..sim.trace import Record, Trace

__all__ = [
    "NO_ANSWER",
    "NO_ROUTE",
    "PHASES",
    "Mark",
    "Route",
    "Step",
    "control_plane_steps",
    "control_plane_timeline",
    "follow_candidates",
    "mark",
    "match_route",
    "node_sort_key",
    "pod_bucket",
    "pods_by_phase",
    "pods_by_phase_series",
    "pods_per_node",
    "pods_per_node_series",
    "pods_per_replicaset_series",
    "ready_and_restarts",
    "ready_and_restarts_series",
    "requests_per_pod",
    "requests_per_pod_counts",
    "requests_per_service",
    "requests_per_service_counts",
    "responses_by_version",
    "responses_by_version_series",
    "revision_timeline",
    "revision_timeline_series",
    "rollout_overview",
    "routing_table",
    "routing_table_text",
    "scaling_steps",
]

# The buckets of the phase chart, bottom to top, with the colours kubectl users know from
# dashboards: waiting in yellow/orange, running in green, going away in grey.
PHASES: tuple[str, ...] = ("Pending", "ContainerCreating", "Running", "Terminating")
_EXTRA_BUCKETS: tuple[str, ...] = ("Completed", "Failed")
_PHASE_COLOURS = {
    "Pending": "#f1c40f",
    "ContainerCreating": "#e67e22",
    "Running": "#27ae60",
    "Terminating": "#95a5a6",
    "Completed": "#2980b9",
    "Failed": "#c0392b",
}

# The apiserver writes the trace keeps the resulting object digest for; any other action on a
# Pod (an image pull, a probe result) is a component's note, not a change of state.
_WRITES = frozenset({"create", "update", "update-status", "bind", "delete", "remove"})

APISERVER = "kube-apiserver"

# Lanes of the control-plane timeline, top to bottom. Components not listed go after the
# controllers in the order they first act; kubelets come last.
_LANE_ORDER = (
    "kubectl",
    APISERVER,
    "deployment-controller",
    "replicaset-controller",
    "daemonset-controller",
    "statefulset-controller",
    "job-controller",
    "cronjob-controller",
    "endpointslice-controller",
    "garbage-collector",
    "node-lifecycle-controller",
    "default-scheduler",
)

# Which kinds own which: the ownership chains the timeline follows from a root object.
_CHILD_KINDS = {
    "Deployment": ("ReplicaSet",),
    "ReplicaSet": ("Pod",),
    "DaemonSet": ("Pod", "ControllerRevision"),
    "StatefulSet": ("Pod", "ControllerRevision"),
    "Job": ("Pod",),
    "CronJob": ("Job",),
}

_VERBS = {
    "create": "created",
    "update": "updated",
    "update-status": "updated the status of",
    "bind": "bound",
    "delete": "asked to delete",
    "remove": "removed",
    "container-start": "started a container of",
    "container-exit": "saw a container exit in",
    "probe": "probed",
    "power-off": "powered off",
}

# The trace keeps every event a component reports as an "event" record on the object it is
# about (detail: type, reason, message); the Event objects themselves would repeat them.
EVENT = "event"


# ---------------------------------------------------------------------------- helpers


def _trace_and_now(source: Any) -> tuple[Sequence[Record], int]:
    """The records and the current virtual time of a Lab, a Cluster or a bare Trace.

    A bare trace has no clock: its "now" is the time of its last record.
    """
    if isinstance(source, Trace):
        records: Sequence[Record] = source.since(0)
        return records, (records[-1].time if records else 0)
    trace = source.trace
    records = trace.since(0)
    cluster = getattr(source, "cluster", source)
    loop = getattr(cluster, "loop", None)
    now = loop.now if loop is not None else (records[-1].time if records else 0)
    return records, now


def _seconds(ns: int, t0: int) -> float:
    # Millisecond resolution keeps the JSON short and stable; every lab delay is a whole ms.
    return round((ns - t0) / SECOND, 3)


def _start(records: Sequence[Record], since: int, now: int) -> int:
    if since < 0:
        since = max(0, len(records) + since)
    return records[since].time if since < len(records) else now


def node_sort_key(name: str) -> tuple[Any, ...]:
    """``t.cs.2`` before ``t.cs.11``: digits compare as numbers."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def pod_bucket(detail: dict[str, Any], action: str = "update") -> str:
    """The STATUS bucket of a pod from its trace digest (see the module docstring).

    As in ``printPod``, a pod being deleted is ``Terminating`` unless its phase is already
    terminal: a deleted pod whose containers exited 0 shows ``Completed``.
    """
    phase = detail.get("phase") or "Pending"
    if (action == "delete" or detail.get("deleting")) and phase not in ("Succeeded", "Failed"):
        return "Terminating"
    if phase == "Pending":
        return "ContainerCreating" if detail.get("node") else "Pending"
    if phase == "Succeeded":
        return "Completed"
    if phase == "Failed":
        return "Failed"
    return "Running"


def _replay(
    records: Sequence[Record],
    since: int,
    now: int,
    kind: str,
    namespace: str | None,
    classify: Callable[[dict[str, Any], str], str | None],
) -> tuple[list[float], list[dict[str, int]], int]:
    """Replay writes of ``kind`` and sample the per-category counts at every change.

    Returns the x values (seconds since the start), the counts at each x, and the start time.
    ``classify(detail, action)`` names the category an object counts in (None: not counted).
    """
    if since < 0:
        since = max(0, len(records) + since)
    t0 = _start(records, since, now)
    where: dict[tuple[str, str], str | None] = {}
    counts: dict[str, int] = {}

    def apply(r: Record) -> bool:
        key = (r.namespace, r.name)
        old = where.get(key)
        if r.action == "remove":
            where.pop(key, None)
            new = None
        else:
            new = classify(r.detail, r.action)
            where[key] = new
        if old == new:
            return False
        if old is not None:
            counts[old] -= 1
        if new is not None:
            counts[new] = counts.get(new, 0) + 1
        return True

    def relevant(r: Record) -> bool:
        return (r.kind == kind and r.action in _WRITES
                and (namespace is None or r.namespace == namespace))

    for r in records[:since]:
        if relevant(r):
            apply(r)
    xs = [0.0]
    ys = [dict(counts)]
    for r in records[since:]:
        if not relevant(r) or not apply(r):
            continue
        x = _seconds(r.time, t0)
        if x == xs[-1]:
            ys[-1] = dict(counts)
        else:
            xs.append(x)
            ys.append(dict(counts))
    end = _seconds(now, t0)
    if end > xs[-1]:
        xs.append(end)
        ys.append(dict(counts))
    return xs, ys, t0


def _time_axis_title(since: int) -> str:
    return "seconds of virtual time" + (" since the start point" if since else "")


# ---------------------------------------------------------------------------- pods by phase


def pods_by_phase_series(
    lab: Any, since: int = 0, *, namespace: str | None = "default"
) -> tuple[list[float], dict[str, list[int]]]:
    """The data of :func:`pods_by_phase`: x values and one count list per bucket."""
    records, now = _trace_and_now(lab)
    xs, ys, _ = _replay(records, since, now, "Pod", namespace,
                        lambda d, a: pod_bucket(d, a))
    buckets = list(PHASES) + [b for b in _EXTRA_BUCKETS if any(y.get(b) for y in ys)]
    return xs, {b: [y.get(b, 0) for y in ys] for b in buckets}


def pods_by_phase(
    lab: Any,
    since: int = 0,
    *,
    namespace: str | None = "default",
    title: str = "Pods by phase",
) -> go.Figure:
    """A stacked step chart of pods per STATUS bucket over virtual time.

    ``namespace=None`` counts every namespace (kube-system included).
    """
    xs, series = pods_by_phase_series(lab, since, namespace=namespace)
    fig = go.Figure()
    for bucket, ys in series.items():
        fig.add_trace(go.Scatter(
            x=xs, y=ys, name=bucket, mode="lines", stackgroup="pods",
            line={"shape": "hv", "width": 1, "color": _PHASE_COLOURS[bucket]},
            hovertemplate="%{y} " + bucket + "<extra></extra>",
        ))
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": _time_axis_title(since)}, "rangemode": "tozero"},
        yaxis={"title": {"text": "pods"}, "rangemode": "tozero"},
        hovermode="x unified",
        legend={"traceorder": "reversed"},
        template="plotly_white",
        height=360,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
    )
    return fig


# ---------------------------------------------------------------------------- pods per node


def pods_per_node_series(
    lab: Any,
    since: int = 0,
    *,
    namespace: str | None = "default",
    include_terminating: bool = False,
) -> tuple[list[float], dict[str, list[int]]]:
    """The data of :func:`pods_per_node`: x values and one count list per node.

    Every node that ever registered is a series (in natural name order), so an empty or
    drained node shows as a line at zero. Unscheduled pods count nowhere.
    """
    records, now = _trace_and_now(lab)

    def classify(detail: dict[str, Any], action: str) -> str | None:
        if not include_terminating and (action == "delete" or detail.get("deleting")):
            return None
        if (detail.get("phase") or "Pending") in ("Succeeded", "Failed"):
            return None
        return detail.get("node") or None

    xs, ys, _ = _replay(records, since, now, "Pod", namespace, classify)
    nodes = {r.name for r in records if r.kind == "Node" and r.action == "create"}
    for y in ys:
        nodes.update(y)
    names = sorted(nodes, key=node_sort_key)
    return xs, {n: [y.get(n, 0) for y in ys] for n in names}


def _node_readiness_marks(records: Sequence[Record], since: int, now: int,
                          t0: int) -> list[tuple[float, str]]:
    """(x, label) for every Ready/NotReady flip of a Node inside the window.

    Needs the Node digest to carry ``ready``; without it the chart simply has no marks.
    """
    if since < 0:
        since = max(0, len(records) + since)
    ready: dict[str, Any] = {}
    marks: list[tuple[float, str]] = []
    for i, r in enumerate(records):
        if r.kind != "Node" or r.action not in _WRITES or "ready" not in r.detail:
            continue
        old = ready.get(r.name)
        # A digest may hold the Ready condition's status string ("True"/"False"/"Unknown").
        new = r.detail.get("ready") in (True, "True")
        ready[r.name] = new
        if i >= since and old is not None and old != new:
            marks.append((_seconds(r.time, t0), f"{r.name} {'Ready' if new else 'NotReady'}"))
        if r.action == "remove":
            ready.pop(r.name, None)
    return marks


def pods_per_node(
    lab: Any,
    since: int = 0,
    *,
    namespace: str | None = "default",
    include_terminating: bool = False,
    title: str = "Pods per node",
) -> go.Figure:
    """One step line per node: how many pods the apiserver has bound to it over time.

    Pods marked for deletion stop counting unless ``include_terminating`` (a pod evicted from
    a failed node stays ``Terminating`` until its kubelet comes back, but it serves nothing).
    Node Ready/NotReady changes are drawn as dotted vertical lines.
    """
    records, now = _trace_and_now(lab)
    xs, series = pods_per_node_series(lab, since, namespace=namespace,
                                      include_terminating=include_terminating)
    fig = go.Figure()
    for node, ys in series.items():
        fig.add_trace(go.Scatter(
            x=xs, y=ys, name=node, mode="lines", line={"shape": "hv", "width": 2},
            hovertemplate="%{y} pods on " + node + "<extra></extra>",
        ))
    t0 = _start(records, since, now)
    for x, label in _node_readiness_marks(records, since, now, t0):
        fig.add_vline(x=x, line={"dash": "dot", "width": 1, "color": "#7f8c8d"},
                      annotation={"text": label, "textangle": -90, "font": {"size": 10}},
                      annotation_position="top left")
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": _time_axis_title(since)}, "rangemode": "tozero"},
        yaxis={"title": {"text": "pods"}, "rangemode": "tozero"},
        hovermode="x unified",
        template="plotly_white",
        height=360,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
    )
    return fig


# ---------------------------------------------------------------------------- control plane


class Step(NamedTuple):
    """One write in the journey of an object, ``seconds`` after the first one."""

    seconds: float
    component: str
    action: str
    kind: str
    namespace: str
    name: str
    detail: dict[str, Any]

    @property
    def is_request(self) -> bool:
        """Did this step go to the apiserver (a write, or an Event it reported)?"""
        return self.action in _WRITES or self.action == EVENT

    def describe(self) -> str:
        """``default-scheduler bound Pod default/web-1 to t.cs.3`` — the hover text."""
        obj = f"{self.kind} {self.namespace}/{self.name}" if self.namespace else (
            f"{self.kind} {self.name}")
        if self.action == EVENT:
            reason = self.detail.get("reason")
            what = f"{reason} about" if reason else "an event about"
            return f"{self.component} reported {what} {obj}"
        verb = _VERBS.get(self.action, self.action)
        text = f"{self.component} {verb} {obj}"
        if self.action == "bind" and self.detail.get("node"):
            text += f" to {self.detail['node']}"
        return text

    def facts(self) -> str:
        """The object's digest after the write, ``key=value`` in the digest's own order."""
        return " ".join(f"{k}={_fmt(v)}" for k, v in self.detail.items()
                        if v is not None and v != "")


def _fmt(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def component_of(source: str) -> str:
    """The timeline lane of a trace source: every kubectl flavour is one "kubectl" lane."""
    return "kubectl" if source.startswith("kubectl") else source


def _parse_follow(follow: Any, namespace: str) -> tuple[str, str, str]:
    """``"deployment/web"``, ``"deploy/web"``, ``("Deployment", "web")`` or
    ``("Deployment", "ns", "web")`` → (Kind, namespace, name)."""
    from ..api.kinds import lookup

    if isinstance(follow, tuple | list):
        if len(follow) == 3:
            return str(follow[0]), str(follow[1]), str(follow[2])
        if len(follow) == 2:
            return str(follow[0]), namespace, str(follow[1])
        raise ValueError(f"cannot follow {follow!r}")
    text = str(follow)
    if "/" not in text:
        raise ValueError(f"follow must look like kind/name, e.g. deployment/web, not {text!r}")
    kind_text, name = text.split("/", 1)
    kind = lookup(kind_text)
    return (kind.kind if kind is not None else kind_text), namespace, name


def _owner_of(detail: dict[str, Any]) -> tuple[str | None, str] | None:
    """The owner in a digest, as (kind or None, name); digests may carry ``Kind/name``, a bare
    name or a ``{"kind": …, "name": …}`` dict."""
    owner = detail.get("owner")
    if not owner:
        return None
    if isinstance(owner, dict):
        return owner.get("kind"), str(owner.get("name", ""))
    text = str(owner)
    if "/" in text:
        kind, name = text.split("/", 1)
        return kind, name
    return None, text


def _parent_of(r: Record, members: dict[tuple[str, str], str]) -> bool:
    """Does the object ``r`` creates belong to one of ``members`` ((ns, name) → kind)?

    The owner in the digest decides; without one, the name does: controllers name children
    ``<owner>-<hash or suffix>``, which is how kubectl users recognise them too.
    """
    owner = _owner_of(r.detail)
    if owner is not None:
        kind = members.get((r.namespace, owner[1]))
        return kind is not None and owner[0] in (None, kind) and r.kind in _CHILD_KINDS.get(
            kind, ())
    base, dash, _ = r.name.rpartition("-")
    if not dash:
        return False
    kind = members.get((r.namespace, base))
    return kind is not None and r.kind in _CHILD_KINDS.get(kind, ())


def default_follow(lab: Any, since: int = 0) -> tuple[str, str, str] | None:
    """The first object kubectl created at or after ``since`` (events aside)."""
    records, _ = _trace_and_now(lab)
    for r in records[since:]:
        if r.action == "create" and r.source.startswith("kubectl") and r.kind != "Event":
            return r.kind, r.namespace, r.name
    return None


def follow_candidates(lab: Any, since: int = 0,
                      kinds: Iterable[str] = ("Deployment", "ReplicaSet", "Pod")) -> list[str]:
    """``kind/name`` of the objects created at or after ``since`` (for a "follow" picker),
    in creation order."""
    records, _ = _trace_and_now(lab)
    wanted = tuple(kinds)
    out: list[str] = []
    for r in records[since:]:
        if r.action == "create" and r.kind in wanted:
            label = f"{r.kind.lower()}/{r.name}"
            if label not in out:
                out.append(label)
    return out


def control_plane_steps(
    lab: Any,
    since: int = 0,
    follow: Any = None,
    *,
    namespace: str = "default",
    include_events: bool = True,
    limit: int = 500,
) -> list[Step]:
    """Everything that happened to ``follow`` and the objects it came to own, from ``since``.

    ``follow`` names the root (``"deployment/test-web-deployment"``); by default it is the
    first object kubectl created after ``since``. Children are found through the owner in the
    trace digest (Deployment → ReplicaSet → Pod). A step is an apiserver write, a component's
    own action (a kubelet starting a container) or, with ``include_events``, an event a
    component reported about one of those objects: events are how components explain
    themselves. Event objects are not steps of their own (the "event" records say the same).
    Events reported by a kubelet are put on that node's kubelet lane. At most ``limit`` steps.
    """
    records, _ = _trace_and_now(lab)
    if since < 0:
        since = max(0, len(records) + since)
    root = _parse_follow(follow, namespace) if follow is not None else default_follow(lab, since)
    if root is None:
        return []
    # (namespace, name) → kind of the followed objects.
    members: dict[tuple[str, str], str] = {(root[1], root[2]): root[0]}
    pod_nodes: dict[tuple[str, str], str] = {}
    reported: set[tuple[str, str, str, int]] = set()
    t0: int | None = None
    steps: list[Step] = []
    for r in records[since:]:
        if r.kind == "Event":
            # An Event object written without an "event" record (a component that posts
            # events itself) still tells the story: keep its creation as the event step.
            base = _event_subject(r, members)
            if (base is None or r.action != "create" or not include_events
                    or (r.source, r.namespace, base, r.time) in reported):
                continue
            kind = members[(r.namespace, base)]
            r = r._replace(action=EVENT, kind=kind, name=base)
        key = (r.namespace, r.name)
        if members.get(key) != r.kind:
            if r.action == "create" and _parent_of(r, members):
                members[key] = r.kind
            else:
                continue
        if r.action == EVENT:
            if not include_events:
                continue
            reported.add((r.source, r.namespace, r.name, r.time))
        component = component_of(r.source)
        if r.kind == "Pod" and r.detail.get("node"):
            pod_nodes[key] = r.detail["node"]
        if component == "kubelet" and key in pod_nodes:
            component = f"kubelet/{pod_nodes[key]}"
        if t0 is None:
            t0 = r.time
        steps.append(Step(_seconds(r.time, t0), component, r.action, r.kind,
                          r.namespace, r.name, r.detail))
        if len(steps) >= limit:
            break
    return steps


def _event_subject(r: Record, members: dict[tuple[str, str], str]) -> str | None:
    """The followed object an Event is about, from its name ``<object>.<16 hex>``
    (client-go ``tools/record/event.go``), or None."""
    base, dot, _ = r.name.rpartition(".")
    return base if dot and (r.namespace, base) in members else None


def _lane_key(lane: str, first: dict[str, int]) -> tuple[int, int]:
    if lane in _LANE_ORDER:
        return _LANE_ORDER.index(lane), 0
    if lane.startswith("kubelet"):
        return 1000, first[lane]
    return 500, first[lane]


def control_plane_timeline(
    lab: Any,
    since: int = 0,
    follow: Any = None,
    *,
    namespace: str = "default",
    include_events: bool = True,
    limit: int = 500,
    title: str | None = None,
) -> go.Figure:
    """One lane per component; every request is a dot on its lane joined to the apiserver.

    Each component only talks to the apiserver: a filled dot is a write (create, update,
    bind…) and the grey line shows it landing in the apiserver (and so in etcd), where the
    watches of the next component pick it up. Diamonds are events a component reported;
    hollow dots are things a component did on its own machine (a kubelet starting a
    container), which reach nobody until it writes the pod's status. Hover a dot to read what
    happened. See :func:`control_plane_steps` for ``follow``.
    """
    steps = control_plane_steps(lab, since, follow, namespace=namespace,
                                include_events=include_events, limit=limit)
    first: dict[str, int] = {}
    for i, s in enumerate(steps):
        first.setdefault(s.component, i)
    lanes = sorted([*first, APISERVER] if steps else [APISERVER],
                   key=lambda lane: _lane_key(lane, first))
    fig = go.Figure()
    # Connectors first so the dots are drawn over them.
    cx: list[float | None] = []
    cy: list[str | None] = []
    requests = [s for s in steps if s.is_request]
    for s in requests:
        cx += [s.seconds, s.seconds, None]
        cy += [s.component, APISERVER, None]
    fig.add_trace(go.Scatter(
        x=cx, y=cy, mode="lines", name="request to the apiserver", showlegend=False,
        hoverinfo="skip", line={"color": "#bdc3c7", "width": 1},
    ))
    api_x: list[float] = []
    api_text: list[str] = []
    for s in requests:
        api_x.append(s.seconds)
        api_text.append(f"+{s.seconds:.3f} s  stored in etcd: {s.describe()}")
    fig.add_trace(go.Scatter(
        x=api_x, y=[APISERVER] * len(api_x), mode="markers", name=APISERVER,
        text=api_text, hovertemplate="%{text}<extra></extra>",
        marker={"symbol": "square", "size": 7, "color": "#34495e"},
    ))
    for lane in lanes:
        if lane == APISERVER:
            continue
        mine = [s for s in steps if s.component == lane]
        fig.add_trace(go.Scatter(
            x=[s.seconds for s in mine], y=[lane] * len(mine), mode="markers", name=lane,
            text=[_hover(s) for s in mine], hovertemplate="%{text}<extra></extra>",
            marker={"size": 10,
                    "symbol": [_symbol(s) for s in mine]},
        ))
    if title is None:
        root = steps[0] if steps else None
        title = ("One command through the control plane" if root is None else
                 f"{root.kind.lower()}/{root.name} through the control plane")
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "seconds after the first write (virtual time)"},
               "rangemode": "tozero"},
        yaxis={"title": {"text": ""}, "type": "category", "categoryorder": "array",
               "categoryarray": list(reversed(lanes))},
        hovermode="closest",
        template="plotly_white",
        height=max(260, 60 + 45 * len(lanes)),
        margin={"l": 170, "r": 20, "t": 50, "b": 50},
    )
    return fig


def _symbol(s: Step) -> str:
    if s.action == EVENT:
        return "diamond"
    return "circle" if s.is_request else "circle-open"


def _hover(s: Step) -> str:
    text = f"+{s.seconds:.3f} s  {s.describe()}"
    facts = s.facts()
    return f"{text}<br>{facts}" if facts else text


# ============================================================================ chapters 04–08
#
# Services, rollouts, rollbacks, probes and ingress. Object state comes from the trace as
# above; requests come from the network's request log (``cluster.network.log``, see
# :mod:`k8slab.network.log`), which is indexed by virtual time, not by trace position. A
# :class:`Mark` carries both, so a rollout's ReplicaSets and the answers a curl loop got
# during it share one time axis.

_PALETTE = ("#636efa", "#ef553b", "#00cc96", "#ab63fa", "#ffa15a", "#19d3f3", "#ff6692",
            "#b6e880", "#ff97ff", "#fecb52")
NO_ANSWER = "no answer"
NO_ROUTE = "404 page not found (no rule)"


class Mark(int):
    """A trace position (``len(lab.trace)``) that also remembers the virtual time it was
    taken at (:func:`mark`). It is an ``int``, so every chart taking ``since`` accepts it;
    the charts of this section start their time axis at :attr:`time` instead of at the
    first write after the position."""

    time: int

    def __new__(cls, position: int, time: int) -> Mark:
        obj = super().__new__(cls, position)
        obj.time = int(time)
        return obj

    def __repr__(self) -> str:
        return f"Mark({int(self)}, time={self.time})"


def mark(lab: Any) -> Mark:
    """Where the lab is now: take one before a command, chart ``since=`` it afterwards."""
    records, now = _trace_and_now(lab)
    return Mark(len(records), now)


def _origin(records: Sequence[Record], since: int, now: int) -> int:
    if isinstance(since, Mark):
        return since.time
    return _start(records, since, now)


def _timeline(
    records: Sequence[Record],
    since: int,
    now: int,
    t0: int,
    relevant: Callable[[Record], bool],
    update: Callable[[Record, dict[str, Any]], bool],
) -> tuple[list[float], list[dict[str, Any]]]:
    """Replay ``relevant`` records into a state dict and sample it at every change.

    ``update(record, state)`` changes the state and says whether it did. Records before
    ``since`` build the state at the start; writes at the same instant collapse into one
    sample; the last sample is at ``now``.
    """
    if since < 0:
        since = max(0, len(records) + since)
    state: dict[str, Any] = {}
    for r in records[:since]:
        if relevant(r):
            update(r, state)
    xs = [0.0]
    ys = [dict(state)]
    for r in records[since:]:
        if not relevant(r) or not update(r, state):
            continue
        x = max(0.0, _seconds(r.time, t0))
        if x == xs[-1]:
            ys[-1] = dict(state)
        else:
            xs.append(x)
            ys.append(dict(state))
    end = _seconds(now, t0)
    if end > xs[-1]:
        xs.append(end)
        ys.append(dict(state))
    return xs, ys


def _request_log(lab: Any) -> Any | None:
    cluster = getattr(lab, "cluster", lab)
    network = getattr(cluster, "network", None)
    return getattr(network, "log", None)


def _window_rows(lab: Any, since: int) -> tuple[list[Any], int, int]:
    """The request-log rows from the start of the window to now, with t0 and now."""
    records, now = _trace_and_now(lab)
    t0 = _origin(records, since, now)
    log = _request_log(lab)
    rows = list(log.rows(start=t0, end=now)) if log is not None else []
    return rows, t0, now


def _qualified(name: str | None, namespace: str) -> str | None:
    if not name:
        return None
    return name if "/" in name else f"{namespace}/{name}"


def _short(name: str, namespace: str) -> str:
    return name[len(namespace) + 1:] if name.startswith(namespace + "/") else name


def _layout(fig: go.Figure, title: str, since: int, *, y: str, height: int = 360) -> None:
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": _time_axis_title(since)}, "rangemode": "tozero"},
        yaxis={"title": {"text": y}, "rangemode": "tozero"},
        hovermode="x unified",
        template="plotly_white",
        height=height,
        margin={"l": 60, "r": 20, "t": 50, "b": 50},
    )


# ---------------------------------------------------------------------------- 04 requests


def _service_pods(lab: Any, service: str) -> list[str]:
    """``ns/pod`` of the endpoints the Service's EndpointSlices list now (ready or not)."""
    from ..api.kinds import by_gvk

    ns, _, name = service.partition("/")
    api = lab.api if hasattr(lab, "api") else getattr(getattr(lab, "cluster", None), "api",
                                                      None)
    kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")
    if api is None or kind is None:
        return []
    out: list[str] = []
    for s in api.list(kind, ns):
        labels = (s.get("metadata") or {}).get("labels") or {}
        if labels.get("kubernetes.io/service-name") != name:
            continue
        for ep in s.get("endpoints") or ():
            ref = ep.get("targetRef") or {}
            if ref.get("kind") == "Pod" and ref.get("name"):
                out.append(f"{ref.get('namespace') or ns}/{ref['name']}")
    return sorted(set(out))


def requests_per_pod_counts(
    lab: Any,
    since: int = 0,
    *,
    service: str | None = "test-web-svc",
    namespace: str = "default",
    client: str | None = None,
    include_idle: bool = True,
) -> dict[str, int]:
    """How many requests each pod answered since ``since`` (pod names, sorted).

    ``service`` (``name`` or ``ns/name``; None: any) keeps the requests addressed to that
    Service (its ClusterIP, node port or LoadBalancer address); ``client`` keeps one sender
    (``workstation``, ``node/<node>``, ``<ns>/<pod>``). With ``include_idle`` the Service's
    current endpoints that answered nothing count 0, so an unlucky pod shows. Requests that
    got no answer count under :data:`NO_ANSWER`.
    """
    rows, _, _ = _window_rows(lab, since)
    wanted = _qualified(service, namespace)
    counts: dict[str, int] = {}
    failed = 0
    for row in rows:
        if wanted is not None and row.service != wanted:
            continue
        if client is not None and row.client != client:
            continue
        if not row.backend or row.status == 0:
            failed += 1
            continue
        counts[row.backend] = counts.get(row.backend, 0) + 1
    if include_idle and wanted is not None:
        for pod in _service_pods(lab, wanted):
            counts.setdefault(pod, 0)
    out = {_short(k, namespace): counts[k] for k in sorted(counts)}
    if failed:
        out[NO_ANSWER] = failed
    return out


def requests_per_pod(
    lab: Any,
    since: int = 0,
    *,
    service: str | None = "test-web-svc",
    namespace: str = "default",
    client: str | None = None,
    title: str | None = None,
) -> go.Figure:
    """Bars: requests answered per pod, with what a fair random pick would give.

    kube-proxy's iptables rules pick an endpoint uniformly at random for each new connection
    (kubernetes.md §7), so with ``n`` pods and ``N`` requests each pod expects ``N/n``; the
    shaded band is ±2 standard deviations of that binomial count, where about 95 % of pods
    land. A pod outside it is worth a look; a pod at 0 is not in the Service's endpoints.
    """
    counts = requests_per_pod_counts(lab, since, service=service, namespace=namespace,
                                     client=client)
    pods = [p for p in counts if p != NO_ANSWER]
    total = sum(counts[p] for p in pods)
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=pods, y=[counts[p] for p in pods], name="answered", marker={"color": _PALETTE[0]},
        hovertemplate="%{x}: %{y} requests<extra></extra>",
    ))
    if counts.get(NO_ANSWER):
        fig.add_trace(go.Bar(x=[NO_ANSWER], y=[counts[NO_ANSWER]], name=NO_ANSWER,
                             marker={"color": "#c0392b"}))
    if pods and total:
        p = 1 / len(pods)
        mean = total * p
        sd = (total * p * (1 - p)) ** 0.5
        fig.add_hrect(y0=max(0.0, mean - 2 * sd), y1=mean + 2 * sd, line_width=0,
                      fillcolor="#95a5a6", opacity=0.2)
        fig.add_hline(y=mean, line={"dash": "dash", "color": "#7f8c8d", "width": 1},
                      annotation={"text": f"fair share {mean:.1f}"},
                      annotation_position="top right")
    where = f" through {_qualified(service, namespace)}" if service else ""
    fig.update_layout(
        title={"text": title or f"Requests per pod ({total} answered{where})"},
        xaxis={"title": {"text": "pod"}, "type": "category"},
        yaxis={"title": {"text": "requests"}, "rangemode": "tozero"},
        template="plotly_white",
        showlegend=False,
        height=360,
        margin={"l": 60, "r": 20, "t": 50, "b": 80},
    )
    return fig


# ---------------------------------------------------------------------------- 05 rollouts


def _deployment_replica_sets(records: Sequence[Record], deployment: str,
                             namespace: str) -> list[str]:
    """ReplicaSets the Deployment ever owned, in creation order (from their digests)."""
    out: list[str] = []
    for r in records:
        if (r.kind == "ReplicaSet" and r.namespace == namespace and r.action == "create"
                and r.detail.get("owner") == deployment and r.name not in out):
            out.append(r.name)
    return out


def _rs_labels(lab: Any, names: Iterable[str], deployment: str, namespace: str) -> dict[str,
                                                                                       str]:
    """``5dbffd75f nginx:1.10``: the hash, and the image while the ReplicaSet exists."""
    from ..api.kinds import by_gvk

    api = lab.api if hasattr(lab, "api") else getattr(getattr(lab, "cluster", None), "api",
                                                      None)
    kind = by_gvk("apps/v1", "ReplicaSet")
    out: dict[str, str] = {}
    for name in names:
        short = name[len(deployment) + 1:] if name.startswith(deployment + "-") else name
        obj = api.try_get(kind, namespace, name) if api is not None and kind else None
        images = [c.get("image", "") for c in ((((obj or {}).get("spec") or {}).get(
            "template") or {}).get("spec") or {}).get("containers") or ()]
        out[name] = f"{short} {','.join(images)}" if images else short
    return out


def pods_per_replicaset_series(
    lab: Any,
    since: int = 0,
    *,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
    measure: str = "ready",
) -> tuple[list[float], dict[str, list[int]]]:
    """Per ReplicaSet of ``deployment``: ``ready`` pods (Ready and not being deleted),
    ``pods`` (every pod not being deleted) or ``desired`` (its ``spec.replicas``) over time.

    Only ReplicaSets with a non-zero value inside the window are series, oldest first.
    """
    if measure not in ("ready", "pods", "desired"):
        raise ValueError(f"measure must be ready, pods or desired, not {measure!r}")
    records, now = _trace_and_now(lab)
    t0 = _origin(records, since, now)
    owned = _deployment_replica_sets(records, deployment, namespace)
    members = set(owned)

    if measure == "desired":
        def relevant(r: Record) -> bool:
            return (r.kind == "ReplicaSet" and r.namespace == namespace
                    and r.name in members and r.action in _WRITES)

        def update(r: Record, state: dict[str, Any]) -> bool:
            new = 0 if r.action == "remove" else int(r.detail.get("replicas") or 0)
            if state.get(r.name, 0) == new:
                return False
            state[r.name] = new
            return True
    else:
        where: dict[str, str | None] = {}

        def relevant(r: Record) -> bool:
            return r.kind == "Pod" and r.namespace == namespace and r.action in _WRITES

        def update(r: Record, state: dict[str, Any]) -> bool:
            old = where.get(r.name)
            new: str | None = None
            if r.action != "remove" and not (r.action == "delete" or r.detail.get("deleting")):
                owner = _owner_of(r.detail)
                if (owner is not None and owner[1] in members
                        and (measure == "pods" or r.detail.get("ready"))):
                    new = owner[1]
            if r.action == "remove":
                where.pop(r.name, None)
            else:
                where[r.name] = new
            if old == new:
                return False
            if old is not None:
                state[old] -= 1
            if new is not None:
                state[new] = state.get(new, 0) + 1
            return True

    xs, ys = _timeline(records, since, now, t0, relevant, update)
    names = [n for n in owned if any(y.get(n) for y in ys)]
    return xs, {n: [int(y.get(n, 0)) for y in ys] for n in names}


def scaling_steps(
    lab: Any,
    since: int = 0,
    *,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
) -> list[tuple[int, ...]]:
    """The ``spec.replicas`` of the Deployment's ReplicaSets after every scaling write.

    Tuples list the ReplicaSets oldest first, keeping those with replicas inside the
    window: for the talk's rollout, the (old, new) sequence of kubernetes.md §1.4, starting
    with the state at ``since`` — ``[(10, 0), (10, 1), (9, 1), (9, 2), …, (0, 10)]``.
    """
    _, series = pods_per_replicaset_series(lab, since, deployment=deployment,
                                           namespace=namespace, measure="desired")
    records, _ = _trace_and_now(lab)
    names = list(series)
    if since < 0:
        since = max(0, len(records) + since)
    state = {n: 0 for n in names}
    for r in records[:since]:
        if r.kind == "ReplicaSet" and r.namespace == namespace and r.name in state and (
                r.action in _WRITES):
            state[r.name] = 0 if r.action == "remove" else int(r.detail.get("replicas") or 0)
    steps = [tuple(state[n] for n in names)]
    for r in records[since:]:
        if r.kind != "ReplicaSet" or r.namespace != namespace or r.name not in state or (
                r.action not in _WRITES):
            continue
        new = 0 if r.action == "remove" else int(r.detail.get("replicas") or 0)
        if state[r.name] == new:
            continue
        state[r.name] = new
        steps.append(tuple(state[n] for n in names))
    return steps


def _server_label(row: Any) -> str:
    if row.status == 0:
        return NO_ANSWER
    return row.server or f"HTTP {row.status}"


def responses_by_version_series(
    lab: Any,
    since: int = 0,
    *,
    service: str | None = "test-web-svc",
    namespace: str = "default",
    client: str | None = "workstation",
    bucket: float = 1.0,
) -> tuple[list[float], dict[str, list[int]]]:
    """Responses per ``Server`` header in ``bucket``-second bins since ``since``.

    x values are the start of each bin; labels are the header (``nginx/1.10.3``), in the
    order they first answered, with failed requests as :data:`NO_ANSWER`.
    """
    if bucket <= 0:
        raise ValueError("bucket must be positive")
    rows, t0, now = _window_rows(lab, since)
    wanted = _qualified(service, namespace)
    width = round(bucket * SECOND)
    bins = max(1, -(-(now - t0) // width)) if now > t0 else 1
    series: dict[str, list[int]] = {}
    for row in rows:
        if wanted is not None and row.service != wanted:
            continue
        if client is not None and row.client != client:
            continue
        label = _server_label(row)
        counts = series.setdefault(label, [0] * bins)
        i = min(bins - 1, (row.time - t0) // width)
        counts[i] += 1
    xs = [round(i * bucket, 3) for i in range(bins)]
    return xs, series


def _version_colours(labels: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for label in labels:
        out[label] = "#c0392b" if label == NO_ANSWER else _PALETTE[
            (len([k for k in out if k != NO_ANSWER]) + 2) % len(_PALETTE)]
    return out


def responses_by_version(
    lab: Any,
    since: int = 0,
    *,
    service: str | None = "test-web-svc",
    namespace: str = "default",
    client: str | None = "workstation",
    bucket: float = 1.0,
    title: str = "Responses by version",
) -> go.Figure:
    """Stacked bars: how many answers carried each ``Server`` header, per time bin."""
    xs, series = responses_by_version_series(lab, since, service=service, namespace=namespace,
                                             client=client, bucket=bucket)
    colours = _version_colours(series)
    fig = go.Figure()
    for label, ys in series.items():
        fig.add_trace(go.Bar(x=[x + bucket / 2 for x in xs], y=ys, width=bucket, name=label,
                             marker={"color": colours[label]},
                             hovertemplate="%{y} × " + label + "<extra></extra>"))
    _layout(fig, title, since, y=f"responses per {bucket:g} s")
    fig.update_layout(barmode="stack", bargap=0)
    return fig


def rollout_overview(
    lab: Any,
    since: int = 0,
    *,
    deployment: str = "test-web-deployment",
    service: str | None = "test-web-svc",
    namespace: str = "default",
    client: str | None = "workstation",
    bucket: float = 1.0,
    title: str | None = None,
) -> go.Figure:
    """One rollout on one time axis: ready pods (solid) and ``spec.replicas`` (dotted) per
    ReplicaSet on top, the versions that answered the curl loop below."""
    from plotly.subplots import make_subplots

    xs, ready = pods_per_replicaset_series(lab, since, deployment=deployment,
                                           namespace=namespace, measure="ready")
    dxs, desired = pods_per_replicaset_series(lab, since, deployment=deployment,
                                              namespace=namespace, measure="desired")
    bx, versions = responses_by_version_series(lab, since, service=service,
                                               namespace=namespace, client=client,
                                               bucket=bucket)
    names = list(dict.fromkeys([*desired, *ready]))
    labels = _rs_labels(lab, names, deployment, namespace)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.6, 0.4],
                        subplot_titles=("pods per ReplicaSet",
                                        f"responses by version (per {bucket:g} s)"))
    for i, name in enumerate(names):
        colour = _PALETTE[i % len(_PALETTE)]
        if name in ready:
            fig.add_trace(go.Scatter(
                x=xs, y=ready[name], name=f"{labels[name]} ready", mode="lines",
                legendgroup=name, line={"shape": "hv", "width": 2, "color": colour},
                hovertemplate="%{y} ready<extra>" + labels[name] + "</extra>"), row=1, col=1)
        if name in desired:
            fig.add_trace(go.Scatter(
                x=dxs, y=desired[name], name=f"{labels[name]} replicas", mode="lines",
                legendgroup=name, line={"shape": "hv", "width": 1, "dash": "dot",
                                        "color": colour},
                hovertemplate="spec.replicas %{y}<extra>" + labels[name] + "</extra>"),
                row=1, col=1)
    colours = _version_colours(versions)
    for label, ys in versions.items():
        fig.add_trace(go.Bar(x=[x + bucket / 2 for x in bx], y=ys, width=bucket, name=label,
                             marker={"color": colours[label]},
                             hovertemplate="%{y} × " + label + "<extra></extra>"),
                      row=2, col=1)
    fig.update_layout(
        title={"text": title or f"Rollout of deployment/{deployment}"},
        barmode="stack", bargap=0, hovermode="x unified", template="plotly_white",
        height=560, margin={"l": 60, "r": 20, "t": 70, "b": 50},
    )
    fig.update_yaxes(title_text="pods", rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="responses", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text=_time_axis_title(since), rangemode="tozero", row=2, col=1)
    return fig


# ---------------------------------------------------------------------------- 06 revisions


def _revision(text: Any) -> int | None:
    try:
        return int(text)
    except (TypeError, ValueError):
        return None


def revision_timeline_series(
    lab: Any,
    since: int = 0,
    *,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
) -> tuple[list[float], dict[str, list[int | None]]]:
    """The ``deployment.kubernetes.io/revision`` of each ReplicaSet of ``deployment`` over
    time (None before it exists or after it is gone), oldest ReplicaSet first.

    A rollback re-uses the old ReplicaSet and gives it the next number (kubernetes.md §1.9):
    its line jumps, e.g. from 1 to 3.
    """
    records, now = _trace_and_now(lab)
    t0 = _origin(records, since, now)
    owned = _deployment_replica_sets(records, deployment, namespace)
    members = set(owned)

    def relevant(r: Record) -> bool:
        return (r.kind == "ReplicaSet" and r.namespace == namespace and r.name in members
                and r.action in _WRITES)

    def update(r: Record, state: dict[str, Any]) -> bool:
        new = None if r.action == "remove" else _revision(r.detail.get("revision"))
        if state.get(r.name) == new:
            return False
        state[r.name] = new
        return True

    xs, ys = _timeline(records, since, now, t0, relevant, update)
    names = [n for n in owned if any(y.get(n) is not None for y in ys)]
    return xs, {n: [y.get(n) for y in ys] for n in names}


def revision_timeline(
    lab: Any,
    since: int = 0,
    *,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
    title: str | None = None,
) -> go.Figure:
    """Top: each ReplicaSet's revision number over time; bottom: its ready pods.

    The active revision is the highest number; ``rollout undo`` makes an old ReplicaSet the
    highest again, so its line jumps up while its pods come back below.
    """
    from plotly.subplots import make_subplots

    xs, revisions = revision_timeline_series(lab, since, deployment=deployment,
                                             namespace=namespace)
    pxs, ready = pods_per_replicaset_series(lab, since, deployment=deployment,
                                            namespace=namespace, measure="ready")
    names = list(dict.fromkeys([*revisions, *ready]))
    labels = _rs_labels(lab, names, deployment, namespace)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.5, 0.5],
                        subplot_titles=("revision of each ReplicaSet", "ready pods"))
    for i, name in enumerate(names):
        colour = _PALETTE[i % len(_PALETTE)]
        if name in revisions:
            fig.add_trace(go.Scatter(
                x=xs, y=revisions[name], name=f"{labels[name]}", mode="lines+markers",
                legendgroup=name, line={"shape": "hv", "width": 2, "color": colour},
                hovertemplate="revision %{y}<extra>" + labels[name] + "</extra>"),
                row=1, col=1)
        if name in ready:
            fig.add_trace(go.Scatter(
                x=pxs, y=ready[name], name=f"{labels[name]} ready", mode="lines",
                legendgroup=name, showlegend=False,
                line={"shape": "hv", "width": 2, "color": colour},
                hovertemplate="%{y} ready<extra>" + labels[name] + "</extra>"), row=2, col=1)
    fig.update_layout(
        title={"text": title or f"Revisions of deployment/{deployment}"},
        hovermode="x unified", template="plotly_white", height=520,
        margin={"l": 60, "r": 20, "t": 70, "b": 50},
    )
    fig.update_yaxes(title_text="revision", dtick=1, rangemode="tozero", row=1, col=1)
    fig.update_yaxes(title_text="pods", rangemode="tozero", row=2, col=1)
    fig.update_xaxes(title_text=_time_axis_title(since), rangemode="tozero", row=2, col=1)
    return fig


# ---------------------------------------------------------------------------- 07 probes


def ready_and_restarts_series(
    lab: Any,
    since: int = 0,
    *,
    namespace: str = "default",
    prefix: str | None = None,
) -> tuple[list[float], dict[str, list[int | None]], dict[str, list[int | None]]]:
    """READY (1/0) and RESTARTS of every pod (whose name starts with ``prefix``) over time.

    Values are None while the pod does not exist. Pods appear in creation order. A pod
    being deleted is not Ready (it left the Service's endpoints).
    """
    records, now = _trace_and_now(lab)
    t0 = _origin(records, since, now)
    order: list[str] = []

    def relevant(r: Record) -> bool:
        return (r.kind == "Pod" and r.namespace == namespace and r.action in _WRITES
                and (prefix is None or r.name.startswith(prefix)))

    def update(r: Record, state: dict[str, Any]) -> bool:
        if r.action == "remove":
            new = None
        else:
            deleting = r.action == "delete" or bool(r.detail.get("deleting"))
            new = (0 if deleting else int(bool(r.detail.get("ready"))),
                   int(r.detail.get("restarts") or 0))
        if r.name not in order and new is not None:
            order.append(r.name)
        if state.get(r.name) == new:
            return False
        state[r.name] = new
        return True

    xs, ys = _timeline(records, since, now, t0, relevant, update)
    names = [n for n in order if any(y.get(n) is not None for y in ys)]
    ready = {n: [None if y.get(n) is None else y[n][0] for y in ys] for n in names}
    restarts = {n: [None if y.get(n) is None else y[n][1] for y in ys] for n in names}
    return xs, ready, restarts


def _segments(xs: list[float], values: list[int | None], want: int) -> list[float | None]:
    """x pairs (with None breaks) of the stretches where ``values`` equals ``want``."""
    out: list[float | None] = []
    start: float | None = None
    for i, v in enumerate(values):
        if v == want and start is None:
            start = xs[i]
        elif v != want and start is not None:
            out += [start, xs[i], None]
            start = None
    if start is not None:
        out += [start, xs[-1], None]
    return out


def ready_and_restarts(
    lab: Any,
    since: int = 0,
    *,
    namespace: str = "default",
    prefix: str | None = None,
    title: str = "Ready and restarts per pod",
) -> go.Figure:
    """Top: one strip per pod, green while Ready, red while not. Bottom: RESTARTS per pod.

    Readiness failures turn a strip red without restarting anything; liveness failures add
    a restart (and the strip goes red while the container starts again).
    """
    from plotly.subplots import make_subplots

    xs, ready, restarts = ready_and_restarts_series(lab, since, namespace=namespace,
                                                    prefix=prefix)
    names = list(ready)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        row_heights=[0.5, 0.5], subplot_titles=("READY", "RESTARTS"))
    for want, label, colour in ((1, "Ready", "#27ae60"), (0, "not Ready", "#c0392b")):
        sx: list[float | None] = []
        sy: list[str | None] = []
        for name in names:
            seg = _segments(xs, ready[name], want)
            sx += seg
            sy += [None if x is None else name for x in seg]
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", name=label,
                                 line={"width": 10, "color": colour},
                                 hovertemplate="%{y}: " + label + "<extra></extra>"),
                      row=1, col=1)
    for i, name in enumerate(names):
        fig.add_trace(go.Scatter(
            x=xs, y=restarts[name], name=name, mode="lines", showlegend=False,
            line={"shape": "hv", "width": 2, "color": _PALETTE[i % len(_PALETTE)]},
            hovertemplate="%{y} restarts<extra>" + name + "</extra>"), row=2, col=1)
    fig.update_layout(
        title={"text": title}, hovermode="closest", template="plotly_white",
        height=max(420, 300 + 22 * len(names)),
        margin={"l": 250, "r": 20, "t": 70, "b": 50},
    )
    fig.update_yaxes(type="category", categoryorder="array",
                     categoryarray=list(reversed(names)), row=1, col=1)
    fig.update_yaxes(title_text="restarts", rangemode="tozero", dtick=1, row=2, col=1)
    fig.update_xaxes(title_text=_time_axis_title(since), rangemode="tozero", row=2, col=1)
    return fig


# ---------------------------------------------------------------------------- 08 ingress


class Route(NamedTuple):
    """One Traefik router built from an Ingress path (highest priority first)."""

    priority: int
    rule: str
    service: str        # ns/name
    port: Any
    endpoints: tuple[str, ...]

    @property
    def backend(self) -> str:
        return f"{self.service}:{self.port}"


def _ingress_controller(lab: Any) -> Any | None:
    cluster = getattr(lab, "cluster", lab)
    return getattr(getattr(cluster, "network", None), "ingress", None)


def routing_table(lab: Any) -> list[Route]:
    """The routers Traefik's Ingress provider serves now, in the order it tries them
    (priority = length of the rule, longest first). Empty while no Traefik pod runs."""
    controller = _ingress_controller(lab)
    if controller is None:
        return []
    out = []
    for router in controller.routers():
        ns, name, port = router.service
        servers = tuple(f"{ip}:{p}" for ip, p in controller.servers(router.service))
        out.append(Route(router.priority, router.rule, f"{ns}/{name}", port, servers))
    return out


def match_route(lab: Any, host: str, path: str) -> Route | None:
    """The router a request for ``host`` and ``path`` would take (None: Traefik's 404).

    Unlike sending a request this changes nothing (no round-robin turn is used).
    """
    controller = _ingress_controller(lab)
    if controller is None:
        return None
    host = host.rsplit(":", 1)[0].lower()
    path = path.split("?", 1)[0] or "/"
    routes = routing_table(lab)
    for router, route in zip(controller.routers(), routes):
        if router.matches(host, path):
            return route
    return None


def routing_table_text(lab: Any) -> str:
    """:func:`routing_table` as a fixed-width table (what Traefik's dashboard lists)."""
    routes = routing_table(lab)
    if not routes:
        return "no routers: no Traefik pod is running, or no Ingress has a backend with " \
               "ready endpoints"
    head = ("PRIORITY", "RULE", "SERVICE", "SERVERS")
    rows = [(str(r.priority), r.rule, r.backend, ",".join(r.endpoints) or "<none>")
            for r in routes]
    widths = [max(len(x[i]) for x in (head, *rows)) for i in range(3)]
    lines = []
    for row in (head, *rows):
        lines.append("   ".join(c.ljust(w) for c, w in zip(row[:3], widths)) + "   " + row[3])
    return "\n".join(lines)


def _pod_services(lab: Any) -> dict[str, str]:
    """``ns/pod`` → ``ns/service`` for every pod an EndpointSlice lists (first Service by
    name when several select it)."""
    from ..api.kinds import by_gvk

    api = lab.api if hasattr(lab, "api") else getattr(getattr(lab, "cluster", None), "api",
                                                      None)
    kind = by_gvk("discovery.k8s.io/v1", "EndpointSlice")
    out: dict[str, str] = {}
    if api is None or kind is None:
        return out
    pairs = []
    for s in api.list(kind):
        meta = s.get("metadata") or {}
        svc = (meta.get("labels") or {}).get("kubernetes.io/service-name")
        if not svc:
            continue
        ns = meta.get("namespace", "")
        for ep in s.get("endpoints") or ():
            ref = ep.get("targetRef") or {}
            if ref.get("kind") == "Pod" and ref.get("name"):
                pairs.append((f"{ref.get('namespace') or ns}/{ref['name']}", f"{ns}/{svc}"))
    for pod, svc in sorted(pairs):
        out.setdefault(pod, svc)
    return out


def requests_per_service_counts(
    lab: Any,
    since: int = 0,
    *,
    entry: str = "traefik/traefik",
    client: str | None = "workstation",
) -> dict[str, int]:
    """Requests that came in through the ingress Service ``entry``, by where they went.

    Traefik answers a request that matches no router itself (``404 page not found``, no
    ``Server`` header); the others it proxies straight to a pod of the backend Service
    (bypassing kube-proxy), which the request log records as a hop from the Traefik pod. The
    hop's pod names its Service through the EndpointSlices.
    """
    rows, _, _ = _window_rows(lab, since)
    entry_pods: set[str] = set()
    counts: dict[str, int] = {}
    unrouted = failed = 0
    for row in rows:
        if row.service != entry or (client is not None and row.client != client):
            continue
        if row.backend:
            entry_pods.add(row.backend)
        if row.status == 0:
            failed += 1
        elif not row.server:
            unrouted += 1
    services = _pod_services(lab)
    for row in rows:
        if row.client in entry_pods and row.backend:
            label = services.get(row.backend, row.backend)
            counts[label] = counts.get(label, 0) + 1
    out = {k: counts[k] for k in sorted(counts)}
    if unrouted:
        out[NO_ROUTE] = unrouted
    if failed:
        out[NO_ANSWER] = failed
    return out


def requests_per_service(
    lab: Any,
    since: int = 0,
    *,
    entry: str = "traefik/traefik",
    client: str | None = "workstation",
    title: str = "Requests through the ingress, per backend Service",
) -> go.Figure:
    """Bars: where the requests sent to the ingress controller ended up."""
    counts = requests_per_service_counts(lab, since, entry=entry, client=client)
    colours = [("#c0392b" if k in (NO_ROUTE, NO_ANSWER) else _PALETTE[i % len(_PALETTE)])
               for i, k in enumerate(counts)]
    fig = go.Figure(go.Bar(x=list(counts), y=list(counts.values()), marker={"color": colours},
                           hovertemplate="%{x}: %{y} requests<extra></extra>"))
    fig.update_layout(
        title={"text": title},
        xaxis={"title": {"text": "backend"}, "type": "category"},
        yaxis={"title": {"text": "requests"}, "rangemode": "tozero"},
        template="plotly_white", showlegend=False, height=340,
        margin={"l": 60, "r": 20, "t": 50, "b": 80},
    )
    return fig
