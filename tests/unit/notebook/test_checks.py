"""Exercise checks say exactly which requirement fails, with what was found and a hint.

``pod_status`` is checked against kubectl's STATUS rules (``printPod`` in
``pkg/printers/internalversion/printers.go``).
"""

from __future__ import annotations

import pytest
from labfakes import FakeLab, FakeResult, deployment, node, pod

from k8slab.notebook import checks

DEP = "test-web-deployment"


def _namespace(name: str, phase: str = "Active") -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name},
            "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": phase}}


def _running_deployment(lab: FakeLab, replicas: int, image: str, **status: int) -> None:
    counts = {"ready": replicas, "updated": replicas, "available": replicas, **status}
    lab.api.put(deployment(DEP, replicas=replicas, image=image, **counts), "kubectl", "create")
    nodes = ["t.cs.2", "t.cs.3", "t.cs.10"]
    for i in range(replicas):
        lab.api.put(pod(f"{DEP}-7c9d-{i}", node_name=nodes[i % 3], phase="Running",
                        ready=True, image=image, owner=f"{DEP}-7c9d"),
                    "kubelet/t.cs.2", "update-status")


# ---------------------------------------------------------------------------- pod_status


@pytest.mark.parametrize(("kwargs", "expected"), [
    ({}, "Pending"),
    ({"node_name": "t.cs.2", "waiting": "ContainerCreating"}, "ContainerCreating"),
    ({"node_name": "t.cs.2", "waiting": "ImagePullBackOff"}, "ImagePullBackOff"),
    ({"node_name": "t.cs.2", "phase": "Running", "ready": True}, "Running"),
    ({"node_name": "t.cs.2", "phase": "Running", "ready": True, "deleting": True},
     "Terminating"),
])
def test_pod_status_follows_kubectl(kwargs: dict, expected: str) -> None:
    assert checks.pod_status(pod("p", **kwargs)) == expected


def test_pod_status_node_lost_and_terminated_containers() -> None:
    lost = pod("p", node_name="t.cs.2", phase="Running", deleting=True)
    lost["status"]["reason"] = "NodeLost"
    assert checks.pod_status(lost) == "Unknown"
    crashed = pod("p", node_name="t.cs.2", phase="Running")
    crashed["status"]["containerStatuses"][0]["state"] = {"terminated": {"exitCode": 137}}
    assert checks.pod_status(crashed) == "ExitCode:137"
    done = pod("p", node_name="t.cs.2", phase="Succeeded", deleting=True)
    done["status"]["containerStatuses"][0]["state"] = {"terminated": {"reason": "Completed"}}
    assert checks.pod_status(done) == "Completed"   # finished pods keep their reason


# ---------------------------------------------------------------------------- results


def test_check_result_panel_text_and_html() -> None:
    result = checks.CheckResult("Exercise 9", (
        checks.Requirement(True, "first thing"),
        checks.Requirement(False, "second thing", "found <this>"),
    ), "try `kubectl get pods`")
    assert not result.passed and not result
    assert repr(result) == (
        "✗ Exercise 9: not yet\n"
        "  ✓ first thing\n"
        "  ✗ second thing\n"
        "      found: found <this>\n"
        "Hint: try `kubectl get pods`"
    )
    page = result._repr_html_()
    assert "found &lt;this&gt;" in page and "Hint:" in page
    ok = checks.CheckResult("Exercise 9", (checks.Requirement(True, "x"),), "unused hint")
    assert repr(ok) == "✓ Exercise 9: done\n  ✓ x"
    assert "Hint" not in ok._repr_html_()


def test_expect_error_accepts_failures_and_rejects_success() -> None:
    failed = FakeResult("", 'Error from server (NotFound): pods "pod" not found\n', 1)
    assert checks.expect_error(failed, "NotFound", exit_code=1) is failed
    with pytest.raises(AssertionError, match="exited 0"):
        checks.expect_error(FakeResult("ok\n"))
    with pytest.raises(AssertionError, match="does not mention"):
        checks.expect_error(failed, "AlreadyExists")
    with pytest.raises(AssertionError, match="exit code 2"):
        checks.expect_error(failed, exit_code=2)

    def boom() -> None:
        raise ValueError("bad value")

    assert checks.expect_error(boom, "bad") == "ValueError: bad value"
    with pytest.raises(AssertionError, match="returned 3"):
        checks.expect_error(lambda: 3)


# ---------------------------------------------------------------------------- chapter 00


def test_chapter00_wants_the_pod_in_its_own_namespace(fake_lab: FakeLab) -> None:
    first = checks.check_chapter00(fake_lab)
    assert not first.passed
    assert first.hint == "kubectl create namespace practice"
    fake_lab.api.put(_namespace("practice"), "kubectl", "create")
    fake_lab.api.put(pod("test-pod", labels={"app": "test-pod"}), "kubectl", "create")
    wrong_ns = checks.check_chapter00(fake_lab)
    assert wrong_ns.first_problem.found == "pod test-pod is in namespace default instead"
    assert wrong_ns.hint == "kubectl create -f test-pod.yaml -n practice"
    fake_lab.api.put(pod("test-pod", namespace="practice", node_name="t.cs.2",
                         waiting="ContainerCreating"), "kubectl", "create")
    starting = checks.check_chapter00(fake_lab)
    assert starting.first_problem.found == "STATUS ContainerCreating"
    fake_lab.api.put(pod("test-pod", namespace="practice", node_name="t.cs.2",
                         phase="Running", ready=True), "kubelet/t.cs.2", "update-status")
    assert checks.check_chapter00(fake_lab).passed


# ---------------------------------------------------------------------------- chapter 01


def _journey(lab: FakeLab) -> int:
    mark = len(lab.trace)
    t, now = lab.trace.append, lab.loop.now
    t(now, "kubectl", "create", "Deployment", "default", DEP, {})
    t(now + 1, "deployment-controller", "create", "ReplicaSet", "default", f"{DEP}-7c9d",
      {"owner": f"Deployment/{DEP}"})
    t(now + 2, "replicaset-controller", "create", "Pod", "default", f"{DEP}-7c9d-x1",
      {"owner": f"ReplicaSet/{DEP}-7c9d"})
    t(now + 3, "default-scheduler", "bind", "Pod", "default", f"{DEP}-7c9d-x1",
      {"node": "t.cs.3", "owner": f"ReplicaSet/{DEP}-7c9d"})
    t(now + 4, "kubelet/t.cs.3", "update-status", "Pod", "default", f"{DEP}-7c9d-x1",
      {"phase": "Running", "owner": f"ReplicaSet/{DEP}-7c9d"})
    t(now + 5, "deployment-controller", "update-status", "Deployment", "default", DEP, {})
    return mark


def test_chapter01_order_of_components(fake_lab: FakeLab) -> None:
    mark = _journey(fake_lab)
    truth = ["deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"]
    assert checks.check_chapter01(fake_lab, truth, since=mark).passed
    # kubelet/<node> is accepted for "kubelet".
    assert checks.check_chapter01(fake_lab, [*truth[:3], "kubelet/t.cs.3"], since=mark).passed
    swapped = checks.check_chapter01(fake_lab, [truth[1], truth[0], *truth[2:]], since=mark)
    assert swapped.first_problem.found == (
        "position 1 is 'replicaset-controller', but the trace shows 'deployment-controller' "
        "acting next")
    short = checks.check_chapter01(fake_lab, truth[:2], since=mark)
    assert short.first_problem.found == "2 components given; 'default-scheduler' is missing next"


def test_chapter01_hello_node(fake_lab: FakeLab) -> None:
    mark = _journey(fake_lab)
    truth = ["deployment-controller", "replicaset-controller", "default-scheduler", "kubelet"]
    missing = checks.check_chapter01(fake_lab, truth, "t.cs.2", since=mark)
    assert missing.first_problem.found == 'no Deployment named "hello"'
    fake_lab.api.put(deployment("hello"), "kubectl", "create")
    fake_lab.api.put(pod("hello-6f-x", node_name="t.cs.10", labels={"app": "hello"}),
                     "default-scheduler", "bind")
    wrong = checks.check_chapter01(fake_lab, truth, "t.cs.2", since=mark)
    assert wrong.first_problem.found == "you named 't.cs.2'; its pod is bound to t.cs.10"
    assert checks.check_chapter01(fake_lab, truth, "t.cs.10", since=mark).passed


# ---------------------------------------------------------------------------- chapter 02


def test_chapter02_node_failure_recovered(fake_lab: FakeLab) -> None:
    _running_deployment(fake_lab, 3, "nginx:1.10")
    result = checks.check_chapter02(fake_lab, failed="t.cs.3")
    assert [r.ok for r in result.requirements] == [False, False, True, False]
    assert result.requirements[0].found == "not in kubectl get nodes"
    assert result.requirements[1].found == "STATUS Ready"
    fake_lab.api.put(node("t.cs.11"), "kubelet/t.cs.11", "create")
    fake_lab.cluster.fail_node("t.cs.3")
    # Before eviction: the pod on t.cs.3 is still there and the Deployment lacks one.
    fake_lab.api.put(deployment(DEP, replicas=3, ready=2, updated=3, available=2),
                     "deployment-controller", "update-status")
    stuck = checks.check_chapter02(fake_lab, failed="t.cs.3")
    assert stuck.first_problem.text == (
        "all replicas of deployment/test-web-deployment are available")
    assert stuck.first_problem.found == "READY 2/3   UP-TO-DATE 3   AVAILABLE 2"
    assert "300 s" in stuck.hint
    assert stuck.requirements[3].found == "test-web-deployment-7c9d-1 (Running)"
    # After eviction and replacement.
    fake_lab.api.put(pod(f"{DEP}-7c9d-1", node_name="t.cs.3", phase="Running", deleting=True),
                     "node-lifecycle-controller", "delete")
    fake_lab.api.put(pod(f"{DEP}-7c9d-9", node_name="t.cs.11", phase="Running", ready=True),
                     "kubelet/t.cs.11", "update-status")
    fake_lab.api.put(deployment(DEP, replicas=3, ready=3, updated=3, available=3),
                     "deployment-controller", "update-status")
    assert checks.check_chapter02(fake_lab, failed="t.cs.3").passed


# ---------------------------------------------------------------------------- chapter 03


def test_chapter03_missing_deployment(fake_lab: FakeLab) -> None:
    result = checks.check_chapter03(fake_lab)
    assert not result.passed
    assert len(result.requirements) == 1
    assert result.first_problem.found == 'no Deployment named "test-web-deployment"'
    assert result.hint.startswith("kubectl apply -f test-web-deployment.yaml")


def test_chapter03_names_the_first_wrong_field_and_its_fix(fake_lab: FakeLab) -> None:
    _running_deployment(fake_lab, 2, "nginx:1.10")
    result = checks.check_chapter03(fake_lab)
    assert result.first_problem.text == "spec.replicas is 5"
    assert result.first_problem.found == "spec.replicas is 2"
    assert result.hint == "kubectl scale deployment --replicas 5 test-web-deployment"
    assert result.requirements[2].found == "image nginx:1.10"


def test_chapter03_waits_for_the_rollout(fake_lab: FakeLab) -> None:
    _running_deployment(fake_lab, 5, "nginx:1.11", available=4, generation=3, observed=2)
    result = checks.check_chapter03(fake_lab)
    assert [r.ok for r in result.requirements][:3] == [True, True, True]
    assert result.first_problem.found == (
        "READY 5/5   UP-TO-DATE 5   AVAILABLE 4 (observedGeneration 2 of generation 3)")
    assert "lab.sleep" in result.hint


def test_chapter03_passes_and_is_deterministic(fake_lab: FakeLab) -> None:
    _running_deployment(fake_lab, 5, "nginx:1.11")
    first = checks.check_chapter03(fake_lab)
    assert first.passed
    assert repr(first) == repr(checks.check_chapter03(fake_lab))
    assert repr(first).splitlines()[0] == "✓ Exercise 3: 5 pods of nginx:1.11: done"


def test_object_diff_names_each_differing_path() -> None:
    created = {"labels": {"app": "web"}, "spec": {"replicas": 1, "containers": [
        {"name": "nginx", "image": "nginx:1.10"}]}}
    declared = {"labels": None, "spec": {"replicas": 1, "containers": [
        {"name": "nginx", "image": "nginx:1.10", "ports": [{"containerPort": 80}]}]}}
    assert checks.object_diff(created, declared) == [
        ("labels", {"app": "web"}, None),
        ("spec.containers[0].ports", None, [{"containerPort": 80}]),
    ]
    assert checks.object_diff(declared, declared) == []
    assert checks.object_diff([1, 2], [1]) == [("", [1, 2], [1])]
