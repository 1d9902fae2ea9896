"""Knobs for the chapters: ipywidgets controls wired to a lab.

Each control turns one knob of a chapter and shows what it did: the command it ran (as a
terminal transcript), a one-line summary of the cluster, and a chart from
:mod:`k8slab.notebook.charts`, re-drawn from the trace after every change.

Two rules keep notebooks reproducible under nbval (see the jupyter reference, §1.3 and §3):

- nothing is ever printed or ``display``-ed into an ``Output`` widget; the chart is placed by
  assigning the Output's ``outputs`` trait, which travels as widget state (a comm message nbval
  ignores), not as a cell output stream;
- what a control shows is computed by pure functions of the lab's state
  (:func:`replicas_status_html`, :func:`nodes_status_html`, the chart functions), so tests
  call them directly and drive the controls with ``slider.value = …`` / ``button.click()``
  without a browser.

A control displays as its widget tree; its ``text/plain`` is a short description of the
control, so a notebook saved without widget state still says what was there.

Node failure uses ``lab.cluster.fail_node(name)`` / ``restore_node(name)``: powering a machine
off and on is the outside world acting, not a component (docs/architecture.md).

Chapters 04–08 add :class:`TrafficControl` (replicas and a batch of requests through a
Service), :class:`RolloutControl` (replicas, maxSurge, maxUnavailable, and a rollout watched by
the talk's curl loop), :class:`RevisionControl` (``rollout undo --to-revision``),
:class:`HealthControl` (break the app in a pod, fail a node, liveness period and threshold) and
:class:`IngressControl` (Host and path of requests to Traefik). They run the talk's commands in
the lab shell (``lab.sh``, with ``run_for=`` for the never-ending loops, docs/lab-shell.md);
manifests they generate are written to the workstation's in-memory ``/tmp`` and applied from
there, so a learner can ``cat`` what was applied.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import ipywidgets as W
import plotly.graph_objects as go
import plotly.io as pio

from .charts import control_plane_steps, control_plane_timeline, follow_candidates
from .checks import deployment_state, node_rows

__all__ = [
    "FollowControl",
    "HealthControl",
    "IngressControl",
    "NodeControl",
    "ReplicasControl",
    "RevisionControl",
    "RolloutControl",
    "TrafficControl",
    "figure_output",
    "ingress_address",
    "nodes_status_html",
    "pods_table_html",
    "replicas_status_html",
    "revision_options",
    "rollout_summary",
    "routing_html",
    "service_status_html",
    "steps_text",
    "transcript_html",
]

Chart = Callable[[Any], go.Figure]


# ---------------------------------------------------------------------------- pure views


def figure_output(fig: go.Figure) -> dict[str, Any]:
    """A notebook ``display_data`` output for ``fig`` with the plotly MIME type only (what
    the ``plotly_mimetype`` renderer sends; no uid, no random div id)."""
    bundle = pio.renderers["plotly_mimetype"].to_mimebundle(fig.to_dict())
    return {"output_type": "display_data", "data": bundle, "metadata": {}}


def _clock(lab: Any) -> str:
    elapsed = getattr(lab, "elapsed", None)
    return f"t = {elapsed:.1f} s of virtual time" if elapsed is not None else ""


def transcript_html(log: list[tuple[str, Any]], last: int = 1) -> str:
    """The last ``last`` commands and their output, like a terminal."""
    parts = []
    for command, result in log[-last:]:
        out = (getattr(result, "stdout", "") + getattr(result, "stderr", "")).rstrip("\n")
        parts.append("$ " + html.escape(command) + ("\n" + html.escape(out) if out else ""))
    if not parts:
        return ""
    return ('<pre class="k8slab-terminal" style="margin:.2em 0">' + "\n".join(parts)
            + "</pre>")


def replicas_status_html(lab: Any, deployment: str, namespace: str = "default") -> str:
    """One line about ``deployment`` as kubectl would report it, plus its pods by STATUS."""
    state = deployment_state(lab, deployment, namespace)
    if not state.exists:
        body = f"deployment/{html.escape(deployment)} does not exist (yet)"
    else:
        counts = state.status_counts()
        pods = ", ".join(f"{n} {html.escape(s)}" for s, n in sorted(counts.items())) or "no pods"
        body = (f"<b>deployment/{html.escape(deployment)}</b> "
                f"{html.escape(state.kubectl_line())} &nbsp;·&nbsp; pods: {pods}")
    return f"<div>{body} &nbsp;·&nbsp; <i>{html.escape(_clock(lab))}</i></div>"


def nodes_status_html(lab: Any, namespace: str | None = "default") -> str:
    """A small ``kubectl get nodes`` table with a PODS column (pods bound, not deleting)."""
    rows = node_rows(lab, namespace)
    cells = "".join(
        f"<tr><td>{html.escape(n)}</td><td>{html.escape(s)}</td><td>{html.escape(r)}</td>"
        f'<td style="text-align:right">{p}</td></tr>'
        for n, s, r, p in rows
    )
    return ('<table class="k8slab-nodes" style="font-family:monospace">'
            "<tr><th>NAME</th><th>STATUS</th><th>ROLES</th><th>PODS</th></tr>"
            f"{cells}</table><div><i>{html.escape(_clock(lab))}</i></div>")


def steps_text(steps: list[Any]) -> str:
    """The control-plane journey as a fixed-width table: one line per step."""
    width = max([len("COMPONENT"), *(len(s.component) for s in steps)])
    action = max([len("ACTION"), *(len(s.action) for s in steps)])
    lines = [f"{'+SECONDS':>9}  {'COMPONENT':<{width}}  {'ACTION':<{action}}  OBJECT"]
    for s in steps:
        obj = f"{s.kind} {s.namespace}/{s.name}" if s.namespace else f"{s.kind} {s.name}"
        if s.action == "bind" and s.detail.get("node"):
            obj += f" -> {s.detail['node']}"
        elif s.action == "event" and s.detail.get("reason"):
            obj += f": {s.detail['reason']}"
        lines.append(f"{s.seconds:>9.3f}  {s.component:<{width}}  {s.action:<{action}}  {obj}")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- base


class _Control:
    """A status line, a chart area and the lab they describe."""

    description = "lab control"

    def __init__(self, lab: Any, chart: Chart | None) -> None:
        self.lab = lab
        self.chart = chart
        self.log: list[tuple[str, Any]] = []
        self.status = W.HTML()
        self.transcript = W.HTML()
        self.plot = W.Output()
        self.widget: W.Box  # built by each control

    def _seconds_row(self, value: int) -> W.HBox:
        self.seconds = W.BoundedIntText(value=value, min=1, max=3600, step=10,
                                        description="seconds",
                                        layout=W.Layout(width="11em"))
        self.wait = W.Button(description=self._wait_label(value), icon="clock-o")
        self.seconds.observe(lambda ch: setattr(self.wait, "description",
                                                self._wait_label(ch["new"])), names="value")
        self.wait.on_click(lambda _b: self.let_time_pass(self.seconds.value))
        return W.HBox([self.seconds, self.wait])

    @staticmethod
    def _wait_label(n: int) -> str:
        return f"let {n} second{'s' if n != 1 else ''} pass"

    def let_time_pass(self, seconds: float) -> None:
        """Advance the lab's virtual clock (``lab.sleep``) and re-draw."""
        self.log.append((f"sleep {seconds:g}", self.lab.sleep(seconds)))
        self.refresh()

    def status_html(self) -> str:  # pragma: no cover - overridden
        return ""

    def figure(self) -> go.Figure | None:
        """The chart for the lab's current state (None without a chart)."""
        return self.chart(self.lab) if self.chart is not None else None

    #: how many of the last commands the transcript shows
    shown = 1

    def refresh(self) -> None:
        """Re-compute the status and the chart from the lab (state only, no printing)."""
        self.status.value = self.status_html()
        self.transcript.value = transcript_html(self.log, self.shown)
        fig = self.figure()
        self.plot.outputs = (figure_output(fig),) if fig is not None else ()

    def describe(self) -> str:
        return self.description

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        bundle = self.widget._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        bundle = dict(bundle or {})
        bundle["text/plain"] = self.describe()
        return bundle

    def __repr__(self) -> str:
        return self.describe()


# ---------------------------------------------------------------------------- controls


class ReplicasControl(_Control):
    """A replicas slider for one Deployment.

    Moving the slider runs the talk's ``kubectl scale deployment --replicas N NAME``, lets
    ``settle`` seconds of virtual time pass, then re-draws the chart (by default nothing: pass
    e.g. ``chart=lambda lab: pods_by_phase(lab, since=mark)``).
    """

    def __init__(
        self,
        lab: Any,
        deployment: str = "test-web-deployment",
        namespace: str = "default",
        *,
        max_replicas: int = 10,
        settle: float = 20,
        chart: Chart | None = None,
    ) -> None:
        super().__init__(lab, chart)
        self.deployment = deployment
        self.namespace = namespace
        self.settle = settle
        state = deployment_state(lab, deployment, namespace)
        self.slider = W.IntSlider(value=state.replicas if state.exists else 1, min=0,
                                  max=max(max_replicas, state.replicas),
                                  description="replicas", continuous_update=False)
        self._syncing = False
        self.slider.observe(self._on_slider, names="value")
        self.widget = W.VBox([W.HBox([self.slider]), self._seconds_row(30), self.transcript,
                              self.status, self.plot])
        self.refresh()

    def _on_slider(self, change: dict[str, Any]) -> None:
        if self._syncing:
            return
        result = self.scale(change["new"])
        if getattr(result, "exit_code", 1) != 0:
            # The command failed, so nothing changed: put the knob back where the cluster is.
            state = deployment_state(self.lab, self.deployment, self.namespace)
            self._syncing = True
            try:
                self.slider.value = state.replicas if state.exists else change["old"]
            finally:
                self._syncing = False

    def command(self, replicas: int) -> str:
        ns = f" -n {self.namespace}" if self.namespace != "default" else ""
        return f"kubectl scale deployment --replicas {replicas} {self.deployment}{ns}"

    def scale(self, replicas: int) -> Any:
        """What moving the slider does; returns the kubectl result."""
        command = self.command(replicas)
        result = self.lab.sh(command)
        self.log.append((command, result))
        if getattr(result, "exit_code", 1) == 0 and self.settle:
            self.lab.sleep(self.settle)
        self.refresh()
        return result

    def status_html(self) -> str:
        return replicas_status_html(self.lab, self.deployment, self.namespace)

    def describe(self) -> str:
        return (f"replicas slider for deployment/{self.deployment} at {self.slider.value} "
                "(run the notebook to use it)")


class NodeControl(_Control):
    """Pick a node, power it off or on, and let time pass.

    "fail node" calls ``lab.cluster.fail_node(name)``: the machine stops, its kubelet stops
    heart-beating, and the control plane notices on its own schedule (NotReady after the
    node monitor grace period, evictions after the pods' 300 s toleration). "restore node"
    calls ``restore_node(name)``.
    """

    def __init__(
        self,
        lab: Any,
        *,
        namespace: str | None = "default",
        seconds: int = 60,
        chart: Chart | None = None,
    ) -> None:
        super().__init__(lab, chart)
        self.namespace = namespace
        names = self._worker_names()
        self.node = W.Dropdown(options=names, value=names[0] if names else None,
                               description="node")
        self.fail = W.Button(description="fail node", button_style="danger", icon="power-off")
        self.restore = W.Button(description="restore node", button_style="success",
                                icon="plug")
        self.fail.on_click(lambda _b: self.fail_node(self.node.value))
        self.restore.on_click(lambda _b: self.restore_node(self.node.value))
        self.widget = W.VBox([W.HBox([self.node, self.fail, self.restore]),
                              self._seconds_row(seconds), self.transcript, self.status,
                              self.plot])
        self.refresh()

    def _worker_names(self) -> list[str]:
        return [n for n, _, role, _ in node_rows(self.lab, self.namespace)
                if role != "control-plane"]

    def _power(self, action: str, name: str | None) -> None:
        if not name:
            return
        method = getattr(self.lab.cluster, action, None)
        if method is None:
            self.log.append((f"# {action}({name!r})", _Note(
                "", f"this lab has no {action} yet\n", 1)))
        else:
            try:
                method(name)
                text = (f"{name} is powered off: its kubelet stops heart-beating\n"
                        if action == "fail_node" else
                        f"{name} is powered on: its kubelet starts again\n")
                self.log.append((f"# {action}({name!r})", _Note(text, "", 0)))
            except (KeyError, ValueError) as exc:
                self.log.append((f"# {action}({name!r})", _Note("", f"{exc}\n", 1)))
        self.refresh()

    def fail_node(self, name: str | None) -> None:
        """What "fail node" does."""
        self._power("fail_node", name)

    def restore_node(self, name: str | None) -> None:
        """What "restore node" does."""
        self._power("restore_node", name)

    def refresh(self) -> None:
        names = self._worker_names()
        node = getattr(self, "node", None)
        if node is not None and list(node.options) != names:
            keep = node.value if node.value in names else (names[0] if names else None)
            node.options = names
            node.value = keep
        super().refresh()

    def status_html(self) -> str:
        return nodes_status_html(self.lab, self.namespace)

    def describe(self) -> str:
        return (f"node picker at {self.node.value} with 'fail node', 'restore node' and "
                "'let time pass' buttons (run the notebook to use it)")


class FollowControl(_Control):
    """Chapter 01's knob: which object's journey through the control plane to draw."""

    def __init__(self, lab: Any, since: int = 0, *, namespace: str = "default") -> None:
        super().__init__(lab, None)
        self.since = since
        self.namespace = namespace
        options = follow_candidates(lab, since)
        self.follow = W.Dropdown(options=options, value=options[0] if options else None,
                                 description="follow", layout=W.Layout(width="32em"))
        self.follow.observe(lambda _ch: self.refresh(), names="value")
        self.table = W.HTML()
        self.widget = W.VBox([self.follow, self.plot, self.table])
        self.refresh()

    def figure(self) -> go.Figure | None:
        if not self.follow.value:
            return None
        return control_plane_timeline(self.lab, self.since, self.follow.value,
                                      namespace=self.namespace)

    def refresh(self) -> None:
        options = follow_candidates(self.lab, self.since)
        follow = getattr(self, "follow", None)
        if follow is None:
            return
        if list(follow.options) != options:
            keep = follow.value if follow.value in options else (options[0] if options
                                                                 else None)
            follow.options = options
            follow.value = keep
        steps = (control_plane_steps(self.lab, self.since, follow.value,
                                     namespace=self.namespace) if follow.value else [])
        self.table.value = ('<pre style="margin:.2em 0">' + html.escape(steps_text(steps))
                            + "</pre>")
        super().refresh()

    def describe(self) -> str:
        return (f"object picker following {self.follow.value} through the control plane "
                "(run the notebook to use it)")


class _Note:
    """A command-like result for actions that are not shell commands (powering a node)."""

    def __init__(self, stdout: str, stderr: str, exit_code: int) -> None:
        self.stdout, self.stderr, self.exit_code = stdout, stderr, exit_code


# ============================================================================ chapters 04–08


def _run(lab: Any, script: str, run_for: str | None = None) -> Any:
    """Run lab-shell lines; ``run_for`` bounds never-ending lines (docs/lab-shell.md).

    Labs without a workstation (test doubles) get the script without the bound."""
    if run_for is not None and getattr(lab, "workstation", None) is not None:
        return lab.sh(script, run_for=run_for)
    return lab.sh(script)


def _write_file(lab: Any, path: str, text: str) -> bool:
    """Put ``text`` in the workstation's in-memory filesystem (False if there is none)."""
    workstation = getattr(lab, "workstation", None)
    fs = getattr(workstation, "fs", None)
    if fs is None:
        return False
    fs.write(path, text.encode(), now=lab.cluster.loop.now)
    return True


def _read_home_file(lab: Any, name: str) -> str | None:
    workstation = getattr(lab, "workstation", None)
    fs = getattr(workstation, "fs", None)
    if fs is None:
        return None
    home = getattr(workstation, "home", "/home/learner")
    try:
        return fs.read(f"{home}/{name}").decode()
    except Exception:  # a missing file: the caller builds the manifest another way
        return None


def _api_of(lab: Any) -> Any:
    return lab.api if hasattr(lab, "api") else lab.cluster.api


def _kind(api_version: str, kind: str) -> Any:
    from ..api.kinds import by_gvk

    return by_gvk(api_version, kind)


def service_status_html(lab: Any, service: str, namespace: str = "default") -> str:
    """``service/x: 3 ready endpoints (ip:port, …), 1 not ready`` from its EndpointSlices."""
    api = _api_of(lab)
    ready: list[str] = []
    unready: list[str] = []
    for s in api.list(_kind("discovery.k8s.io/v1", "EndpointSlice"), namespace):
        labels = (s.get("metadata") or {}).get("labels") or {}
        if labels.get("kubernetes.io/service-name") != service:
            continue
        port = next((p.get("port") for p in s.get("ports") or ()), None)
        for ep in s.get("endpoints") or ():
            for address in (ep.get("addresses") or ())[:1]:
                target = f"{address}:{port}" if port else address
                ok = (ep.get("conditions") or {}).get("ready") is not False
                (ready if ok else unready).append(target)
    if api.try_get(_kind("v1", "Service"), namespace, service) is None:
        body = f"service/{html.escape(service)} does not exist (yet)"
    else:
        body = (f"<b>service/{html.escape(service)}</b>: {len(ready)} ready endpoint"
                f"{'s' if len(ready) != 1 else ''} ({html.escape(', '.join(ready)) or 'none'})")
        if unready:
            body += f", {len(unready)} not ready ({html.escape(', '.join(unready))})"
    return f"<div>{body} &nbsp;·&nbsp; <i>{html.escape(_clock(lab))}</i></div>"


def pods_table_html(lab: Any, prefix: str, namespace: str = "default") -> str:
    """A ``kubectl get pods -o wide``-like table of the pods whose name starts with
    ``prefix``: NAME READY STATUS RESTARTS NODE."""
    from .checks import pod_status

    rows = []
    for pod in _api_of(lab).list(_kind("v1", "Pod"), namespace):
        name = pod["metadata"]["name"]
        if not name.startswith(prefix):
            continue
        statuses = (pod.get("status") or {}).get("containerStatuses") or []
        containers = (pod.get("spec") or {}).get("containers") or []
        ready = sum(1 for c in statuses if c.get("ready"))
        restarts = sum(int(c.get("restartCount") or 0) for c in statuses)
        rows.append((name, f"{ready}/{len(containers)}", pod_status(pod), str(restarts),
                     (pod.get("spec") or {}).get("nodeName") or "<none>"))
    cells = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
                    for row in rows)
    return ('<table class="k8slab-pods" style="font-family:monospace">'
            "<tr><th>NAME</th><th>READY</th><th>STATUS</th><th>RESTARTS</th><th>NODE</th>"
            f"</tr>{cells}</table><div><i>{html.escape(_clock(lab))}</i></div>")


def rollout_summary(lab: Any, since: int, deployment: str = "test-web-deployment",
                    namespace: str = "default") -> dict[str, Any]:
    """What a rollout did since ``since``, from the trace: the fewest available replicas the
    Deployment reported, the most pods (not being deleted) it had, and its (old, new) steps.
    """
    from .charts import _trace_and_now, pods_per_replicaset_series, scaling_steps

    records, _ = _trace_and_now(lab)
    start = since if since >= 0 else max(0, len(records) + since)
    available = [int(r.detail.get("available") or 0) for r in records[start:]
                 if r.kind == "Deployment" and r.name == deployment
                 and r.namespace == namespace and r.action in ("update", "update-status")
                 and "available" in r.detail]
    _, pods = pods_per_replicaset_series(lab, since, deployment=deployment,
                                         namespace=namespace, measure="pods")
    totals = [sum(v) for v in zip(*pods.values())] if pods else [0]
    return {"min_available": min(available) if available else None,
            "max_pods": max(totals),
            "steps": scaling_steps(lab, since, deployment=deployment, namespace=namespace)}


def _workers(lab: Any) -> list[str]:
    return [n for n, _, role, _ in node_rows(lab) if role != "control-plane"]


class TrafficControl(_Control):
    """Chapter 04's knobs: how many replicas serve the Service, and how many requests to
    send through it.

    Moving "replicas" runs the talk's ``kubectl scale deployment --replicas N NAME`` and lets
    ``settle`` seconds pass; either slider then sends the requests with ``curl`` in a loop
    and re-draws :func:`~k8slab.notebook.charts.requests_per_pod` for that batch only.
    """

    def __init__(
        self,
        lab: Any,
        deployment: str = "test-web-deployment",
        service: str = "test-web-svc",
        *,
        url: str = "http://ms.iirii.com:30044",
        namespace: str = "default",
        max_replicas: int = 10,
        requests: int = 100,
        settle: float = 20,
        chart: Chart | None = None,
    ) -> None:
        from .charts import mark, requests_per_pod

        super().__init__(lab, chart)
        self.deployment = deployment
        self.service = service
        self.url = url
        self.namespace = namespace
        self.settle = settle
        self.batch = mark(lab)
        if chart is None:
            self.chart = lambda lab: requests_per_pod(
                lab, self.batch, service=f"{namespace}/{service}", client="workstation")
        state = deployment_state(lab, deployment, namespace)
        self.replicas = W.IntSlider(value=state.replicas if state.exists else 1, min=1,
                                    max=max(max_replicas, state.replicas),
                                    description="replicas", continuous_update=False)
        self.requests = W.IntSlider(value=requests, min=10, max=500, step=10,
                                    description="requests", continuous_update=False)
        self.send = W.Button(description="send requests", icon="paper-plane")
        self.replicas.observe(lambda ch: self.scale(ch["new"]), names="value")
        self.requests.observe(lambda ch: self.send_requests(ch["new"]), names="value")
        self.send.on_click(lambda _b: self.send_requests())
        self.widget = W.VBox([W.HBox([self.replicas, self.requests, self.send]),
                              self.transcript, self.status, self.plot])
        self.refresh()

    def scale(self, replicas: int) -> Any:
        """What moving "replicas" does: scale, let the pods start, send a batch."""
        command = f"kubectl scale deployment --replicas {replicas} {self.deployment}"
        if self.namespace != "default":
            command += f" -n {self.namespace}"
        result = self.lab.sh(command)
        self.log.append((command, result))
        if getattr(result, "exit_code", 1) == 0 and self.settle:
            self.lab.sleep(self.settle)
        return self.send_requests()

    def command(self, requests: int) -> str:
        return f"for i in $(seq {requests}); do curl -s -o /dev/null {self.url}; done"

    def send_requests(self, requests: int | None = None) -> Any:
        """Send one batch with curl from the workstation and re-draw for that batch."""
        from .charts import mark

        n = int(requests if requests is not None else self.requests.value)
        self.batch = mark(self.lab)
        command = self.command(n)
        result = self.lab.sh(command)
        self.log.append((command, result))
        self.refresh()
        return result

    def status_html(self) -> str:
        return (replicas_status_html(self.lab, self.deployment, self.namespace)
                + service_status_html(self.lab, self.service, self.namespace))

    def describe(self) -> str:
        return (f"replicas ({self.replicas.value}) and requests ({self.requests.value}) sliders "
                f"for service/{self.service} (run the notebook to use them)")


def _deployment_manifest(base: dict[str, Any], *, replicas: int, max_surge: Any,
                         max_unavailable: Any, image: str | None = None,
                         container: str | None = None) -> dict[str, Any]:
    """``base`` (a Deployment manifest) with its replicas, rolling-update knobs and image
    replaced; everything else as the file says."""
    import copy

    doc = copy.deepcopy(base)
    spec = doc.setdefault("spec", {})
    spec["replicas"] = replicas
    spec["strategy"] = {"type": "RollingUpdate",
                        "rollingUpdate": {"maxSurge": max_surge,
                                          "maxUnavailable": max_unavailable}}
    if image is not None:
        for c in spec["template"]["spec"]["containers"]:
            if container is None or c.get("name") == container:
                c["image"] = image
    return doc


class RolloutControl(_Control):
    """Chapter 05's knobs: replicas, maxSurge and maxUnavailable, and a button that rolls
    the Deployment to the other nginx version while the talk's curl loop watches.

    A rollout is two runs of ``kubectl apply -f /tmp/rollout.yaml`` (the chapter's manifest
    with the knobs' values, written to the workstation's in-memory ``/tmp``): the first
    applies the new replicas and strategy with the current image and waits (scaling, no new
    ReplicaSet), the second switches the image while ``while sleep 0.2; do curl -s -I … |
    grep -i server; done`` runs in the background until ``kubectl rollout status`` returns.
    The chart is :func:`~k8slab.notebook.charts.rollout_overview` of that second run.
    """

    shown = 2
    path = "/tmp/rollout.yaml"

    def __init__(
        self,
        lab: Any,
        deployment: str = "test-web-deployment",
        *,
        manifest: str = "test-web-deployment.yaml",
        container: str = "test-web",
        images: tuple[str, str] = ("nginx:1.10", "nginx:1.11"),
        service: str = "test-web-svc",
        url: str = "http://ms.iirii.com:30044",
        namespace: str = "default",
        chart: Chart | None = None,
    ) -> None:
        from .charts import mark, rollout_overview

        super().__init__(lab, chart)
        self.deployment = deployment
        self.manifest = manifest
        self.container = container
        self.images = images
        self.service = service
        self.url = url
        self.namespace = namespace
        self.start = mark(lab)
        self.rolled = False
        if chart is None:
            self.chart = lambda lab: rollout_overview(
                lab, self.start, deployment=deployment, service=f"{namespace}/{service}")
        dep = self._deployment() or {}
        spec = dep.get("spec") or {}
        ru = (spec.get("strategy") or {}).get("rollingUpdate") or {}
        self.replicas = W.IntSlider(value=int(spec.get("replicas", 10)), min=1, max=20,
                                    description="replicas", continuous_update=False)
        self.max_surge = W.IntSlider(value=_as_int(ru.get("maxSurge"), 1), min=0, max=10,
                                     description="maxSurge", continuous_update=False)
        self.max_unavailable = W.IntSlider(value=_as_int(ru.get("maxUnavailable"), 1), min=0,
                                           max=10, description="maxUnavailable",
                                           continuous_update=False,
                                           style={"description_width": "initial"})
        self.button = W.Button(description="roll out", button_style="primary",
                               icon="refresh")
        self.button.on_click(lambda _b: self.roll())
        self.widget = W.VBox([W.HBox([self.replicas, self.max_surge, self.max_unavailable]),
                              self.button, self.transcript, self.status, self.plot])
        self.refresh()

    def _deployment(self) -> dict[str, Any] | None:
        return _api_of(self.lab).try_get(_kind("apps/v1", "Deployment"), self.namespace,
                                         self.deployment)

    def _base(self) -> dict[str, Any]:
        import yaml

        text = _read_home_file(self.lab, self.manifest)
        if text:
            for doc in yaml.safe_load_all(text):
                if isinstance(doc, dict) and doc.get("kind") == "Deployment":
                    return doc
        dep = self._deployment() or {}
        spec = dep.get("spec") or {}
        return {"apiVersion": "apps/v1", "kind": "Deployment",
                "metadata": {"name": self.deployment},
                "spec": {"selector": spec.get("selector"), "template": spec.get("template")}}

    def current_image(self) -> str:
        dep = self._deployment() or {}
        for c in ((dep.get("spec") or {}).get("template") or {}).get("spec", {}).get(
                "containers") or ():
            if c.get("name") == self.container:
                return str(c.get("image", ""))
        return self.images[0]

    def next_image(self) -> str:
        return self.images[1] if self.current_image() == self.images[0] else self.images[0]

    def _apply(self, image: str) -> str:
        import yaml

        doc = _deployment_manifest(self._base(), replicas=self.replicas.value,
                                   max_surge=self.max_surge.value,
                                   max_unavailable=self.max_unavailable.value, image=image,
                                   container=self.container)
        text = yaml.safe_dump(doc, sort_keys=False)
        if _write_file(self.lab, self.path, text):
            return f"kubectl apply -f {self.path}"
        return "kubectl apply -f - <<'EOF'\n" + text + "EOF"

    def roll(self) -> Any:
        """What "roll out" does (see the class docstring); returns the last result."""
        from .charts import mark

        dep = self._deployment()
        if dep is None:
            note = _Note("", f'Error from server (NotFound): deployments.apps '
                             f'"{self.deployment}" not found\n', 1)
            self.log.append((f"# roll out {self.deployment}", note))
            self.refresh()
            return note
        wait = f"kubectl rollout status deployment {self.deployment} | tail -1"
        spec = dep.get("spec") or {}
        ru = (spec.get("strategy") or {}).get("rollingUpdate") or {}
        if (spec.get("replicas") != self.replicas.value
                or ru.get("maxSurge") != self.max_surge.value
                or ru.get("maxUnavailable") != self.max_unavailable.value):
            script = f"{self._apply(self.current_image())}\n{wait}"
            result = _run(self.lab, script, run_for="5m")
            self.log.append((script, result))
            if "is invalid" in getattr(result, "stderr", "") or not self._applied():
                self.refresh()
                return result
        self.start = mark(self.lab)
        script = (f"{self._apply(self.next_image())}\n"
                  f"while sleep 0.2; do curl -s -I {self.url} | grep -i server; done "
                  "> /tmp/versions &\n"
                  f"{wait}\nsleep 2\nkill %1")
        result = _run(self.lab, script, run_for="5m")
        self.log.append((script, result))
        self.rolled = True
        self.refresh()
        return result

    def _applied(self) -> bool:
        spec = (self._deployment() or {}).get("spec") or {}
        ru = (spec.get("strategy") or {}).get("rollingUpdate") or {}
        return (spec.get("replicas") == self.replicas.value
                and ru.get("maxSurge") == self.max_surge.value
                and ru.get("maxUnavailable") == self.max_unavailable.value)

    def status_html(self) -> str:
        text = replicas_status_html(self.lab, self.deployment, self.namespace)
        if self.rolled:
            s = rollout_summary(self.lab, self.start, self.deployment, self.namespace)
            text += (f"<div>last rollout: never fewer than {s['min_available']} available, "
                     f"at most {s['max_pods']} pods, {len(s['steps']) - 1} scaling steps</div>")
        return text

    def describe(self) -> str:
        return (f"replicas ({self.replicas.value}), maxSurge ({self.max_surge.value}) and "
                f"maxUnavailable ({self.max_unavailable.value}) sliders with a 'roll out' "
                "button (run the notebook to use them)")


def _as_int(value: Any, default: int) -> int:
    return value if isinstance(value, int) else default


def revision_options(lab: Any, deployment: str = "test-web-deployment",
                     namespace: str = "default") -> list[tuple[str, int]]:
    """``[("1: nginx:1.10", 1), ("2: nginx:1.11 (current)", 2)]`` from the Deployment's
    ReplicaSets, as ``kubectl rollout history`` numbers them."""
    api = _api_of(lab)
    dep = api.try_get(_kind("apps/v1", "Deployment"), namespace, deployment)
    if dep is None:
        return []
    uid = dep["metadata"].get("uid")
    current = _revision_of(dep)
    out = []
    for rs in api.list(_kind("apps/v1", "ReplicaSet"), namespace):
        refs = rs["metadata"].get("ownerReferences") or []
        if not any(r.get("controller") and (r.get("uid") == uid or r.get("name") == deployment)
                   for r in refs):
            continue
        rev = _revision_of(rs)
        if rev is None:
            continue
        images = ",".join(c.get("image", "") for c in rs["spec"]["template"]["spec"].get(
            "containers") or ())
        out.append((f"{rev}: {images}{' (current)' if rev == current else ''}", rev))
    return sorted(out, key=lambda o: o[1])


def _revision_of(obj: dict[str, Any]) -> int | None:
    text = (obj.get("metadata", {}).get("annotations") or {}).get(
        "deployment.kubernetes.io/revision")
    try:
        return int(text) if text is not None else None
    except ValueError:
        return None


class RevisionControl(_Control):
    """Chapter 06's knob: which revision to roll back to.

    "roll back" runs ``kubectl rollout undo deployment NAME --to-revision=N`` with the
    talk's curl loop in the background until the rollout is done, then ``kubectl rollout
    history``; the chart is :func:`~k8slab.notebook.charts.revision_timeline` since the
    control was made (or ``since``). The picker re-reads the history after each rollback:
    the revision you picked comes back under a new number.
    """

    def __init__(
        self,
        lab: Any,
        deployment: str = "test-web-deployment",
        *,
        url: str = "http://ms.iirii.com:30044",
        namespace: str = "default",
        since: int | None = None,
        chart: Chart | None = None,
    ) -> None:
        from .charts import mark, revision_timeline

        super().__init__(lab, chart)
        self.deployment = deployment
        self.url = url
        self.namespace = namespace
        self.since = mark(lab) if since is None else since
        if chart is None:
            self.chart = lambda lab: revision_timeline(lab, self.since,
                                                       deployment=deployment,
                                                       namespace=namespace)
        options = revision_options(lab, deployment, namespace)
        self.revision = W.Dropdown(options=options,
                                   value=options[0][1] if options else None,
                                   description="revision")
        self.button = W.Button(description="roll back to it", button_style="warning",
                               icon="undo")
        self.button.on_click(lambda _b: self.rollback(self.revision.value))
        self.widget = W.VBox([W.HBox([self.revision, self.button]), self.transcript,
                              self.status, self.plot])
        self.refresh()

    def command(self, revision: int) -> str:
        return (f"kubectl rollout undo deployment {self.deployment} --to-revision={revision}\n"
                f"while sleep 0.2; do curl -s -I {self.url} | grep -i server; done "
                "> /tmp/versions &\n"
                f"kubectl rollout status deployment {self.deployment} | tail -1\n"
                "sleep 2\nkill %1\n"
                f"kubectl rollout history deployment {self.deployment}")

    def rollback(self, revision: int | None) -> Any:
        """What "roll back to it" does; returns the shell's result."""
        if revision is None:
            return None
        command = self.command(revision)
        result = _run(self.lab, command, run_for="5m")
        self.log.append((command, result))
        self.refresh()
        return result

    def refresh(self) -> None:
        picker = getattr(self, "revision", None)
        if picker is not None:
            options = revision_options(self.lab, self.deployment, self.namespace)
            if list(picker.options) != options:
                values = [v for _, v in options]
                keep = picker.value if picker.value in values else (values[0] if values
                                                                    else None)
                picker.options = options
                picker.value = keep
        super().refresh()

    def status_html(self) -> str:
        return replicas_status_html(self.lab, self.deployment, self.namespace)

    def describe(self) -> str:
        return (f"revision picker at {self.revision.value} with a 'roll back to it' button "
                "(run the notebook to use it)")


class HealthControl(_Control):
    """Chapter 07's knobs: break the app in one pod, fail a node, and tune the liveness
    probe's period and failure threshold.

    "break the app" runs ``kubectl exec POD -- touch /tmp/broken``: the chapter's Deployment
    probes ``test ! -e /tmp/broken`` for readiness and liveness, so the pod leaves the
    Service at its next readiness probe and is restarted (with a fresh filesystem) after
    ``failureThreshold`` liveness failures. "apply" writes the chapter's manifest with the
    chosen ``periodSeconds``/``failureThreshold`` to ``/tmp`` and applies it (a new pod
    template: the Deployment rolls out new pods). "fail node"/"restore node" power a worker
    off and on. The chart is :func:`~k8slab.notebook.charts.ready_and_restarts`.
    """

    shown = 1

    def __init__(
        self,
        lab: Any,
        deployment: str = "test-web-deployment",
        *,
        manifest: str = "test-web-health.yaml",
        container: str = "nginx",
        namespace: str = "default",
        since: int | None = None,
        seconds: int = 30,
        chart: Chart | None = None,
    ) -> None:
        from .charts import mark, ready_and_restarts

        super().__init__(lab, chart)
        self.deployment = deployment
        self.manifest = manifest
        self.container = container
        self.namespace = namespace
        self.since = mark(lab) if since is None else since
        if chart is None:
            self.chart = lambda lab: ready_and_restarts(lab, self.since, namespace=namespace,
                                                        prefix=f"{deployment}-")
        probe = self._liveness()
        pods = self._pods()
        self.pod = W.Dropdown(options=pods, value=pods[0] if pods else None, description="pod",
                              layout=W.Layout(width="28em"))
        self.breaker = W.Button(description="break the app", button_style="danger",
                                icon="bug")
        self.breaker.on_click(lambda _b: self.break_app(self.pod.value))
        workers = _workers(lab)
        self.node = W.Dropdown(options=workers, value=workers[0] if workers else None,
                               description="node")
        self.fail = W.Button(description="fail node", button_style="danger", icon="power-off")
        self.restore = W.Button(description="restore node", button_style="success",
                                icon="plug")
        self.fail.on_click(lambda _b: self._power("fail_node", self.node.value))
        self.restore.on_click(lambda _b: self._power("restore_node", self.node.value))
        self.period = W.IntSlider(value=int(probe.get("periodSeconds", 10)), min=1, max=10,
                                  description="period (s)", continuous_update=False)
        self.threshold = W.IntSlider(value=int(probe.get("failureThreshold", 3)), min=1,
                                     max=6, description="failures", continuous_update=False)
        self.apply_button = W.Button(description="apply probe settings", icon="check")
        self.apply_button.on_click(lambda _b: self.set_probe(self.period.value,
                                                             self.threshold.value))
        self.widget = W.VBox([
            W.HBox([self.pod, self.breaker]),
            W.HBox([self.node, self.fail, self.restore]),
            W.HBox([W.HTML("<b>livenessProbe</b>"), self.period, self.threshold,
                    self.apply_button]),
            self._seconds_row(seconds), self.transcript, self.status, self.plot])
        self.refresh()

    def _pods(self) -> list[str]:
        return [p["metadata"]["name"] for p in _api_of(self.lab).list(_kind("v1", "Pod"),
                                                                      self.namespace)
                if p["metadata"]["name"].startswith(self.deployment + "-")
                and not p["metadata"].get("deletionTimestamp")]

    def _liveness(self) -> dict[str, Any]:
        dep = _api_of(self.lab).try_get(_kind("apps/v1", "Deployment"), self.namespace,
                                        self.deployment) or {}
        for c in (((dep.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
                "containers") or ():
            if c.get("name") == self.container:
                return c.get("livenessProbe") or {}
        return {}

    def break_app(self, pod: str | None) -> Any:
        """What "break the app" does: the probed file appears in that pod's container."""
        if not pod:
            return None
        command = f"kubectl exec {pod} -- touch /tmp/broken"
        result = self.lab.sh(command)
        self.log.append((command, result))
        self.refresh()
        return result

    def _power(self, action: str, name: str | None) -> None:
        if not name:
            return
        try:
            getattr(self.lab.cluster, action)(name)
            text = (f"{name} is powered off: its kubelet stops, nobody probes its pods\n"
                    if action == "fail_node" else
                    f"{name} is powered on: its kubelet starts again\n")
            self.log.append((f"# {action}({name!r})", _Note(text, "", 0)))
        except (AttributeError, KeyError, ValueError) as exc:
            self.log.append((f"# {action}({name!r})", _Note("", f"{exc}\n", 1)))
        self.refresh()

    def fail_node(self, name: str | None) -> None:
        self._power("fail_node", name)

    def restore_node(self, name: str | None) -> None:
        self._power("restore_node", name)

    def set_probe(self, period: int, threshold: int) -> Any:
        """What "apply probe settings" does; returns the shell's result."""
        import yaml

        self.period.value = period
        self.threshold.value = threshold

        text = _read_home_file(self.lab, self.manifest)
        if text is None:
            note = _Note("", f"{self.manifest}: not in the lab's folder\n", 1)
            self.log.append((f"# apply {self.manifest}", note))
            self.refresh()
            return note
        docs = [d for d in yaml.safe_load_all(text) if d is not None]
        for doc in docs:
            if doc.get("kind") != "Deployment":
                continue
            for c in doc["spec"]["template"]["spec"]["containers"]:
                if c.get("name") == self.container:
                    probe = c.setdefault("livenessProbe", {})
                    probe["periodSeconds"] = period
                    probe["failureThreshold"] = threshold
        path = "/tmp/" + self.manifest.rsplit("/", 1)[-1]
        body = yaml.safe_dump_all(docs, sort_keys=False)
        if _write_file(self.lab, path, body):
            apply = f"kubectl apply -f {path}"
        else:
            apply = "kubectl apply -f - <<'EOF'\n" + body + "EOF"
        command = f"{apply}\nkubectl rollout status deployment {self.deployment} | tail -1"
        result = _run(self.lab, command, run_for="5m")
        self.log.append((command, result))
        self.refresh()
        return result

    def refresh(self) -> None:
        picker = getattr(self, "pod", None)
        if picker is not None:
            pods = self._pods()
            if list(picker.options) != pods:
                keep = picker.value if picker.value in pods else (pods[0] if pods else None)
                picker.options = pods
                picker.value = keep
        super().refresh()

    def status_html(self) -> str:
        return pods_table_html(self.lab, self.deployment + "-", self.namespace)

    def describe(self) -> str:
        return (f"'break the app' for pod {self.pod.value}, 'fail node'/'restore node' for "
                f"{self.node.value}, liveness period {self.period.value} s and "
                f"{self.threshold.value} failures (run the notebook to use them)")


def ingress_address(lab: Any, service: tuple[str, str] = ("traefik", "traefik")) -> str | None:
    """The LoadBalancer address of the ingress controller's Service (None while pending)."""
    svc = _api_of(lab).try_get(_kind("v1", "Service"), service[0], service[1])
    for ing in (((svc or {}).get("status") or {}).get("loadBalancer") or {}).get(
            "ingress") or ():
        if ing.get("ip"):
            return str(ing["ip"])
    return None


def routing_html(lab: Any, host: str, path: str) -> str:
    """Traefik's routers, with the one a request for ``host`` + ``path`` takes in bold."""
    from .charts import match_route, routing_table

    chosen = match_route(lab, host, path)
    rows = []
    for r in routing_table(lab):
        style = ' style="font-weight:bold;background:#eafaf1"' if r == chosen else ""
        rows.append(f"<tr{style}><td>{r.priority}</td><td>{html.escape(r.rule)}</td>"
                    f"<td>{html.escape(r.backend)}</td>"
                    f"<td>{html.escape(','.join(r.endpoints))}</td></tr>")
    verdict = (f"{html.escape(host)}{html.escape(path)} → {html.escape(chosen.backend)}"
               if chosen else f"{html.escape(host)}{html.escape(path)} matches no rule: "
                              "Traefik answers 404 page not found")
    return ('<table class="k8slab-routes" style="font-family:monospace">'
            "<tr><th>PRIORITY</th><th>RULE</th><th>SERVICE</th><th>SERVERS</th></tr>"
            f"{''.join(rows)}</table><div>{verdict} &nbsp;·&nbsp; "
            f"<i>{html.escape(_clock(lab))}</i></div>")


class IngressControl(_Control):
    """Chapter 08's knobs: the Host header and the path of requests sent to Traefik.

    "send" runs ``curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: HOST'
    http://ADDRESS/PATH`` in a loop against the ingress controller's LoadBalancer address;
    the status shows Traefik's routing table with the router that host and path match, and
    the chart counts where every request sent since the control was made ended up
    (:func:`~k8slab.notebook.charts.requests_per_service`).
    """

    def __init__(
        self,
        lab: Any,
        *,
        hosts: tuple[str, ...] = ("ms.iirii.com", "httpbin.iirii.com", "example.com"),
        path: str = "/",
        requests: int = 20,
        entry: tuple[str, str] = ("traefik", "traefik"),
        since: int | None = None,
        chart: Chart | None = None,
    ) -> None:
        from .charts import mark, requests_per_service

        super().__init__(lab, chart)
        self.entry = entry
        self.since = mark(lab) if since is None else since
        if chart is None:
            self.chart = lambda lab: requests_per_service(lab, self.since,
                                                          entry="/".join(entry))
        self.host = W.Combobox(options=list(hosts), value=hosts[0], description="Host",
                               ensure_option=False)
        self.path = W.Text(value=path, description="path")
        self.count = W.IntSlider(value=requests, min=1, max=100, description="requests",
                                 continuous_update=False)
        self.button = W.Button(description="send", icon="paper-plane")
        self.button.on_click(lambda _b: self.send())
        self.host.observe(lambda _ch: self.refresh(), names="value")
        self.path.observe(lambda _ch: self.refresh(), names="value")
        self.widget = W.VBox([W.HBox([self.host, self.path]), W.HBox([self.count,
                                                                      self.button]),
                              self.transcript, self.status, self.plot])
        self.refresh()

    def command(self, host: str, path: str, requests: int) -> str:
        address = ingress_address(self.lab, self.entry) or "<pending>"
        path = path if path.startswith("/") else "/" + path
        return (f"for i in $(seq {requests}); do curl -s -o /dev/null -w '%{{http_code}}\\n' "
                f"-H 'Host: {host}' http://{address}{path}; done | sort | uniq -c")

    def send(self, host: str | None = None, path: str | None = None,
             requests: int | None = None) -> Any:
        """What "send" does; the arguments default to the controls' values."""
        if host is not None:
            self.host.value = host
        if path is not None:
            self.path.value = path
        if requests is not None:
            self.count.value = requests
        if ingress_address(self.lab, self.entry) is None:
            note = _Note("", "the ingress controller's Service has no address yet\n", 1)
            self.log.append(("# send", note))
            self.refresh()
            return note
        command = self.command(self.host.value, self.path.value or "/", self.count.value)
        result = self.lab.sh(command)
        self.log.append((command, result))
        self.refresh()
        return result

    def status_html(self) -> str:
        path = self.path.value or "/"
        return routing_html(self.lab, self.host.value, path if path.startswith("/")
                            else "/" + path)

    def describe(self) -> str:
        return (f"Host ({self.host.value}) and path ({self.path.value}) of requests to the "
                "ingress controller, with a 'send' button (run the notebook to use them)")
