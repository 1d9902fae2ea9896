"""Controls run the talk's commands, move virtual time and re-draw, without a browser.

They must never print (nbval compares a cell's streams; jupyter reference §1.3): the chart
reaches the Output widget as state (its ``outputs`` trait) and the status as HTML values.
"""

from __future__ import annotations

import pytest
from labfakes import SECOND, FakeLab, deployment, node

from k8slab.notebook import charts, widgets

PLOTLY = "application/vnd.plotly.v1+json"


def _figure_title(control: widgets._Control) -> str:
    return control.plot.outputs[0]["data"][PLOTLY]["layout"]["title"]["text"]


def test_replicas_slider_runs_the_talks_scale_command(fake_lab: FakeLab,
                                                      capsys: pytest.CaptureFixture) -> None:
    fake_lab.api.put(deployment(replicas=2, ready=2, updated=2, available=2), "kubectl",
                     "create")
    control = widgets.ReplicasControl(fake_lab, settle=20,
                                      chart=lambda lab: charts.pods_by_phase(lab))
    assert control.slider.value == 2
    assert "READY 2/2" in control.status.value
    assert _figure_title(control) == "Pods by phase"
    start = fake_lab.loop.now
    control.slider.value = 4
    assert fake_lab.commands == ["kubectl scale deployment --replicas 4 test-web-deployment"]
    assert fake_lab.loop.now - start == 20 * SECOND
    assert fake_lab.api.try_get(*_dep_key())["spec"]["replicas"] == 4
    assert control.transcript.value == (
        '<pre class="k8slab-terminal" style="margin:.2em 0">$ kubectl scale deployment '
        "--replicas 4 test-web-deployment\ndeployment.apps/test-web-deployment scaled</pre>")
    assert "t = 20.0 s of virtual time" in control.status.value
    assert capsys.readouterr() == ("", "")


def _dep_key() -> tuple:
    from labfakes import DEPLOYMENT

    return DEPLOYMENT, "default", "test-web-deployment"


def test_failed_scale_puts_the_knob_back(fake_lab: FakeLab) -> None:
    control = widgets.ReplicasControl(fake_lab, "missing", settle=20)
    start = fake_lab.loop.now
    control.slider.value = 3
    assert control.slider.value == 1          # nothing changed in the cluster
    assert fake_lab.loop.now == start         # and no settling time passed
    assert len(fake_lab.commands) == 1        # putting the knob back ran no second command
    assert "NotFound" in control.transcript.value
    assert control.plot.outputs == ()         # no chart asked for


def test_scale_command_in_another_namespace(fake_lab: FakeLab) -> None:
    control = widgets.ReplicasControl(fake_lab, "web", "shop")
    assert control.command(3) == "kubectl scale deployment --replicas 3 web -n shop"


def test_let_time_pass_button(fake_lab: FakeLab) -> None:
    control = widgets.ReplicasControl(fake_lab)
    control.seconds.value = 45
    assert control.wait.description == "let 45 seconds pass"
    start = fake_lab.loop.now
    control.wait.click()
    assert fake_lab.loop.now - start == 45 * SECOND
    assert "$ sleep 45" in control.transcript.value


def test_control_displays_as_widget_with_a_plain_description(fake_lab: FakeLab) -> None:
    control = widgets.ReplicasControl(fake_lab)
    bundle = control._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"] == (
        "replicas slider for deployment/test-web-deployment at 1 (run the notebook to use it)")


def test_node_picker_fails_and_restores_workers(fake_lab: FakeLab,
                                               capsys: pytest.CaptureFixture) -> None:
    control = widgets.NodeControl(fake_lab, chart=lambda lab: charts.pods_per_node(lab))
    assert list(control.node.options) == ["t.cs.2", "t.cs.3", "t.cs.10"]
    control.node.value = "t.cs.3"
    control.fail.click()
    assert fake_lab.cluster.failed == ["t.cs.3"]
    assert "<td>t.cs.3</td><td>NotReady</td>" in control.status.value
    assert "$ # fail_node(&#x27;t.cs.3&#x27;)" in control.transcript.value
    control.restore.click()
    assert fake_lab.cluster.failed == []
    assert "<td>t.cs.3</td><td>Ready</td>" in control.status.value
    assert _figure_title(control) == "Pods per node"
    assert capsys.readouterr() == ("", "")


def test_node_picker_learns_about_new_nodes_and_reports_errors(fake_lab: FakeLab) -> None:
    control = widgets.NodeControl(fake_lab)
    fake_lab.api.put(node("t.cs.11"), "kubelet/t.cs.11", "create")
    control.let_time_pass(5)
    assert list(control.node.options) == ["t.cs.2", "t.cs.3", "t.cs.10", "t.cs.11"]
    control.fail_node("t.cs.99")
    assert "no node t.cs.99" in control.transcript.value


def test_node_picker_without_power_switch(fake_lab: FakeLab) -> None:
    control = widgets.NodeControl(fake_lab)
    fake_lab.cluster = type("Bare", (), {"loop": fake_lab.loop})()
    control.fail.click()
    assert "this lab has no fail_node yet" in control.transcript.value


def test_follow_picker_redraws_the_timeline(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    t, now = fake_lab.trace.append, fake_lab.loop.now
    t(now, "kubectl", "create", "Deployment", "default", "web", {})
    t(now + 2_000_000, "deployment-controller", "create", "ReplicaSet", "default", "web-5d8f",
      {"owner": "Deployment/web"})
    control = widgets.FollowControl(fake_lab, mark)
    assert list(control.follow.options) == ["deployment/web", "replicaset/web-5d8f"]
    assert _figure_title(control) == "deployment/web through the control plane"
    assert ("    0.002  deployment-controller  create  ReplicaSet default/web-5d8f"
            in control.table.value)
    control.follow.value = "replicaset/web-5d8f"
    assert _figure_title(control) == "replicaset/web-5d8f through the control plane"


def test_steps_text_is_a_fixed_width_table(fake_lab: FakeLab) -> None:
    t, now = fake_lab.trace.append, fake_lab.loop.now
    mark = len(fake_lab.trace)
    t(now, "kubectl", "create", "Deployment", "default", "web", {})
    t(now + 1_000_000, "deployment-controller", "create", "ReplicaSet", "default", "web-5d8f",
      {})
    t(now + 2_000_000, "replicaset-controller", "create", "Pod", "default", "web-5d8f-x", {})
    t(now + 3_000_000, "default-scheduler", "bind", "Pod", "default", "web-5d8f-x",
      {"node": "t.cs.2"})
    t(now + 4_000_000, "kubelet", "event", "Pod", "default", "web-5d8f-x",
      {"reason": "Pulling"})
    text = widgets.steps_text(charts.control_plane_steps(fake_lab, mark))
    assert text.splitlines() == [
        " +SECONDS  COMPONENT              ACTION  OBJECT",
        "    0.000  kubectl                create  Deployment default/web",
        "    0.001  deployment-controller  create  ReplicaSet default/web-5d8f",
        "    0.002  replicaset-controller  create  Pod default/web-5d8f-x",
        "    0.003  default-scheduler      bind    Pod default/web-5d8f-x -> t.cs.2",
        "    0.004  kubelet/t.cs.2         event   Pod default/web-5d8f-x: Pulling",
    ]
