"""The controls of chapters 04–08 run the talk's commands in a real lab, move virtual time
and re-draw, without a browser and without printing (jupyter reference §1.3, §3).

References for the expected behaviour: kubernetes.md §1.4 (a 10-replica rollout with
maxSurge/maxUnavailable never leaves [replicas − maxUnavailable, replicas + maxSurge]), §1.9
(a rollback re-uses the old ReplicaSet under the next revision), §4.3 (readiness never
restarts, liveness does), §7 (kube-proxy sends nothing to a pod that is not ready).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slab import Lab
from k8slab.notebook import charts, widgets

ROOT = Path(__file__).resolve().parents[3]
PLOTLY = "application/vnd.plotly.v1+json"


def _title(control: widgets._Control) -> str:
    return control.plot.outputs[0]["data"][PLOTLY]["layout"]["title"]["text"]


def _lab(chapter: str, script: str) -> Lab:
    lab = Lab(seed=0, workdir=ROOT / "manifests" / chapter)
    result = lab.sh(script)
    assert result.exit_code == 0, result.stderr
    return lab


def test_traffic_control_scales_then_sends_a_batch(capsys: pytest.CaptureFixture) -> None:
    lab = _lab("04-services", "kubectl create -f test-web-deployment.yaml\n"
                              "kubectl apply -f test-web-svc.yaml\nsleep 15")
    control = widgets.TrafficControl(lab, requests=40)
    assert control.replicas.value == 1
    assert "1 ready endpoint (" in control.status.value
    assert _title(control) == "Requests per pod (0 answered through default/test-web-svc)"
    control.replicas.value = 3
    assert [c for c, _ in control.log] == [
        "kubectl scale deployment --replicas 3 test-web-deployment",
        "for i in $(seq 40); do curl -s -o /dev/null http://ms.iirii.com:30044; done"]
    counts = charts.requests_per_pod_counts(lab, control.batch, client="workstation")
    assert sum(counts.values()) == 40 and len(counts) == 3 and all(counts.values())
    assert "3 ready endpoints" in control.status.value
    assert _title(control) == "Requests per pod (40 answered through default/test-web-svc)"
    control.requests.value = 20
    assert sum(charts.requests_per_pod_counts(lab, control.batch).values()) == 20
    assert control.describe().startswith("replicas (3) and requests (20) sliders")
    assert capsys.readouterr() == ("", "")


@pytest.fixture(scope="module")
def rollout_lab() -> Lab:
    return _lab("05-rolling-update", "kubectl apply -f test-web-deployment.yaml "
                                     "-f test-web-svc.yaml\nsleep 30")


def test_rollout_control_applies_the_strategy_then_rolls(rollout_lab: Lab,
                                                         capsys: pytest.CaptureFixture) -> None:
    lab = rollout_lab
    control = widgets.RolloutControl(lab)
    assert (control.replicas.value, control.max_surge.value,
            control.max_unavailable.value) == (10, 1, 1)
    assert control.next_image() == "nginx:1.11"
    control.replicas.value = 6
    control.max_surge.value = 2
    control.max_unavailable.value = 0
    control.roll()
    scale, roll = (c for c, _ in control.log)
    assert scale.startswith("kubectl apply -f /tmp/rollout.yaml\n")
    assert "kubectl rollout status deployment test-web-deployment | tail -1" in roll
    assert "grep -i server; done > /tmp/versions &" in roll
    written = lab.sh("cat /tmp/rollout.yaml").stdout
    assert "maxSurge: 2" in written and "image: nginx:1.11" in written
    assert control.current_image() == "nginx:1.11"
    summary = widgets.rollout_summary(lab, control.start)
    # kubernetes.md §1.4: never below replicas − maxUnavailable, never above replicas + surge
    assert summary["min_available"] >= 6 and summary["max_pods"] <= 8
    assert summary["steps"][0] == (6, 0) and summary["steps"][-1] == (0, 6)
    assert "last rollout: never fewer than 6 available" in control.status.value
    names = [t["name"] for t in control.plot.outputs[0]["data"][PLOTLY]["data"]]
    assert "nginx/1.11.13" in names
    versions = lab.sh("sort /tmp/versions | uniq -c").stdout
    assert "Server: nginx/1.11.13" in versions
    assert capsys.readouterr() == ("", "")


def test_rollout_control_reports_the_apiservers_refusal(rollout_lab: Lab) -> None:
    control = widgets.RolloutControl(rollout_lab)
    image = control.current_image()
    control.max_surge.value = 0
    control.max_unavailable.value = 0
    result = control.roll()
    assert "may not be 0 when `maxSurge` is 0" in result.stderr
    assert len(control.log) == 1 and control.current_image() == image
    assert "may not be 0" in control.transcript.value


def test_revision_control_rolls_back_and_renumbers() -> None:
    lab = _lab("06-rollback", "kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml\n"
                              "sleep 30\nkubectl apply -f k8s.run.yaml\nsleep 30")
    control = widgets.RevisionControl(lab)
    assert list(control.revision.options) == [("1: nginx:1.10", 1),
                                              ("2: nginx:1.11 (current)", 2)]
    result = control.rollback(1)
    assert result.exit_code == 0
    assert "deployment.apps/test-web-deployment rolled back" in result.stdout
    # kubernetes.md §1.9: revision 1 comes back as 3
    assert list(control.revision.options) == [("2: nginx:1.11", 2),
                                              ("3: nginx:1.10 (current)", 3)]
    assert control.revision.value == 2
    assert _title(control) == "Revisions of deployment/test-web-deployment"
    assert control.rollback(None) is None


@pytest.fixture()
def health_lab() -> Lab:
    return _lab("07-health", "kubectl apply -f test-web-health.yaml\nsleep 20")


def test_health_control_breaks_one_pod(health_lab: Lab) -> None:
    lab = health_lab
    control = widgets.HealthControl(lab)
    pods = list(control.pod.options)
    assert len(pods) == 3 and (control.period.value, control.threshold.value) == (5, 3)
    control.break_app(pods[0])
    assert control.log[-1][0] == f"kubectl exec {pods[0]} -- touch /tmp/broken"
    control.let_time_pass(3)
    _, ready, restarts = charts.ready_and_restarts_series(lab, control.since,
                                                          prefix="test-web-deployment-")
    # readiness first: out of the Service, not restarted (kubernetes.md §4.3)
    assert ready[pods[0]][-1] == 0 and restarts[pods[0]][-1] == 0
    assert "<td>0/1</td><td>Running</td><td>0</td>" in control.status.value
    control.let_time_pass(15)
    _, ready, restarts = charts.ready_and_restarts_series(lab, control.since,
                                                          prefix="test-web-deployment-")
    assert ready[pods[0]][-1] == 1 and restarts[pods[0]][-1] == 1
    assert _title(control) == "Ready and restarts per pod"


def test_health_control_sets_the_probe_and_fails_nodes(health_lab: Lab) -> None:
    lab = health_lab
    control = widgets.HealthControl(lab)
    before = set(control.pod.options)
    result = control.set_probe(2, 2)
    assert result.exit_code == 0 and "successfully rolled out" in result.stdout
    assert control.log[-1][0].startswith("kubectl apply -f /tmp/test-web-health.yaml\n")
    dep = lab.api.get(_deployment_kind(), "default", "test-web-deployment")
    probe = dep["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]
    assert (probe["periodSeconds"], probe["failureThreshold"]) == (2, 2)
    assert (control.period.value, control.threshold.value) == (2, 2)
    # a new pod template: new pods, and the picker follows them
    lab.sleep(20)
    control.refresh()
    assert len(control.pod.options) == 3 and before.isdisjoint(control.pod.options)
    control.fail_node("t.cs.2")
    assert "t.cs.2 is powered off" in control.transcript.value
    control.restore_node("t.cs.2")
    control.fail_node("t.cs.99")
    assert "t.cs.99" in control.transcript.value
    missing = widgets.HealthControl(lab, manifest="nope.yaml").set_probe(1, 1)
    assert missing.exit_code == 1 and "nope.yaml" in missing.stderr


def _deployment_kind():  # type: ignore[no-untyped-def]
    from k8slab.api.kinds import by_gvk

    return by_gvk("apps/v1", "Deployment")


def test_ingress_control_sends_by_host_and_path() -> None:
    lab = _lab("08-ingress", "kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml "
                             "-f httpbin.yaml\nkubectl apply -f traefik.yaml\nsleep 30\n"
                             "kubectl apply -f test-web-ingress.yaml -f httpbin-ingress.yaml\n"
                             "sleep 2")
    control = widgets.IngressControl(lab)
    assert widgets.ingress_address(lab) == "172.16.0.240"
    assert "ms.iirii.com/ → default/test-web-svc:8080" in control.status.value
    control.path.value = "/ip"
    assert "ms.iirii.com/ip → default/httpbin:8000" in control.status.value
    result = control.send("example.com", "nothing", 4)
    assert control.log[-1][0] == (
        "for i in $(seq 4); do curl -s -o /dev/null -w '%{http_code}\\n' -H 'Host: "
        "example.com' http://172.16.0.240/nothing; done | sort | uniq -c")
    assert result.stdout == "      4 404\n"
    assert "matches no rule" in control.status.value
    control.send("httpbin.iirii.com", "/get", 3)
    assert charts.requests_per_service_counts(lab, control.since) == {
        "default/httpbin": 3, charts.NO_ROUTE: 4}


def test_ingress_control_without_a_controller() -> None:
    lab = Lab(seed=0)
    control = widgets.IngressControl(lab)
    result = control.send()
    assert result.exit_code == 1 and "no address yet" in result.stderr
    assert "matches no rule" in control.status.value
