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
    "NodeControl",
    "ReplicasControl",
    "figure_output",
    "nodes_status_html",
    "replicas_status_html",
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

    def refresh(self) -> None:
        """Re-compute the status and the chart from the lab (state only, no printing)."""
        self.status.value = self.status_html()
        self.transcript.value = transcript_html(self.log)
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
