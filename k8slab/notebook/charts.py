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
    "PHASES",
    "Step",
    "control_plane_steps",
    "control_plane_timeline",
    "follow_candidates",
    "node_sort_key",
    "pod_bucket",
    "pods_by_phase",
    "pods_by_phase_series",
    "pods_per_node",
    "pods_per_node_series",
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
