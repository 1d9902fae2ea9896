"""Exercise checks of chapters 04–08 name the first unmet requirement, what was found, and
the command that fixes it.

The objects are written as the components leave them (EndpointSlices with ready conditions,
ReplicaSets with ``deployment.kubernetes.io/revision`` and ``revision-history``, kubelet
``Killing`` events); facts checked: kubernetes.md §1.2 (percentages resolve against
replicas), §1.9 (a rollback re-uses the old ReplicaSet under a new revision), §4.3 (a
liveness failure is reported as ``Killing … failed liveness probe``), §7 (node ports).
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from labfakes import SECOND, FakeLab, deployment, pod

from k8slab import Lab
from k8slab.network.log import RequestLog
from k8slab.notebook import checks

ROOT = Path(__file__).resolve().parents[3]
DEP = "test-web-deployment"


def _log(lab: FakeLab) -> RequestLog:
    log = RequestLog()
    lab.cluster.network = SimpleNamespace(log=log)  # type: ignore[attr-defined]
    return log


def _request(lab: FakeLab, log: RequestLog, service: str, *, status: int = 200,
             server: str = "nginx/1.10.3", client: str = "workstation") -> None:
    i = log.intern
    log.append(lab.loop.now, i(client), i(service), i("default/web-a"), status, i(server),
               1_000_000)


def _service(name: str, node_port: int, *, target: Any = 80,
             selector: dict | None = None) -> dict:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": "default"},
            "spec": {"type": "NodePort", "selector": selector or {"app": DEP},
                     "ports": [{"port": 80, "targetPort": target, "nodePort": node_port}]}}


def _slice(service: str, ready: bool = True) -> dict:
    return {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": f"{service}-abcde", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": service}},
            "addressType": "IPv4", "ports": [{"port": 80}],
            "endpoints": [{"addresses": ["10.244.1.2"], "conditions": {"ready": ready},
                           "targetRef": {"kind": "Pod", "name": "web-a"}}]}


# ---------------------------------------------------------------------------- 04


def test_chapter04_walks_from_the_node_port_to_an_answer(fake_lab: FakeLab) -> None:
    api = fake_lab.api
    log = _log(fake_lab)
    api.put(deployment(), "kubectl", "create")
    api.put(_service("test-web-svc", 30044, target=80), "kubectl", "create")
    first = checks.check_chapter04(fake_lab)
    assert first.first_problem.found == "node ports in use: 30044 (test-web-svc)"
    assert "nodePort: 30066" in first.hint and len(first.requirements) == 1
    api.put(_service("talk", 30066, target=8080, selector={"app": "web"}), "kubectl", "create")
    wrong = checks.check_chapter04(fake_lab)
    assert [r.ok for r in wrong.requirements] == [True, False, False, False, False]
    assert wrong.requirements[1].found == (
        "selector {'app': 'web'}; the pods are labelled {'app': 'test-web-deployment'}")
    assert wrong.requirements[2].found == "targetPort 8080"
    api.put(_service("talk", 30066), "kubectl", "update")
    api.put(_slice("talk", ready=False), "endpointslice-controller", "create")
    assert checks.check_chapter04(fake_lab).first_problem.text == (
        "service/talk has ready endpoints")
    api.put(_slice("talk"), "endpointslice-controller", "update")
    waiting = checks.check_chapter04(fake_lab)
    assert waiting.first_problem.found == "no answered request through it yet"
    assert waiting.hint.endswith("http HEAD http://ms.iirii.com:30066")
    _request(fake_lab, log, "default/talk", status=0, server="")
    _request(fake_lab, log, "default/talk", client="default/client")
    assert not checks.check_chapter04(fake_lab).passed
    _request(fake_lab, log, "default/talk")
    done = checks.check_chapter04(fake_lab)
    assert done.passed and str(done).startswith("✓ Exercise 4: the talk's port 30066: done")


# ---------------------------------------------------------------------------- 05


def _rolled(lab: FakeLab, image: str, strategy: dict, available: list[int]) -> None:
    """A Deployment rolled to ``image``: its new ReplicaSet's creation, then the
    Deployment's reported availability at each status write."""
    dep = deployment(replicas=10, image=image, ready=10, updated=10, available=10)
    dep["spec"]["strategy"] = strategy
    dep["spec"]["template"]["spec"]["containers"][0]["name"] = "test-web"
    lab.api.put(dep, "kubectl", "update")
    lab.api.put({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                 "metadata": {"name": f"{DEP}-new", "namespace": "default",
                              "ownerReferences": [{"kind": "Deployment", "name": DEP,
                                                   "controller": True}]},
                 "spec": {"template": dep["spec"]["template"]}},
                "deployment-controller", "create")
    for k, n in enumerate(available):
        lab.loop.now += SECOND
        updated = 10 if k == len(available) - 1 else 5
        lab.trace.append(lab.loop.now, "deployment-controller", "update-status", "Deployment",
                         "default", DEP, {"available": n, "updated": updated})
    for i in range(10):
        lab.api.put(pod(f"{DEP}-new-{i}", node_name="t.cs.2", phase="Running", ready=True,
                        image=image, owner=f"{DEP}-new"), "kubelet/t.cs.2", "update-status")


def test_chapter05_strategy_capacity_and_the_new_version_seen(fake_lab: FakeLab) -> None:
    log = _log(fake_lab)
    assert checks.check_chapter05(fake_lab).first_problem.found == (
        'no Deployment named "test-web-deployment"')
    rolling = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 1}}
    _rolled(fake_lab, "nginx:1.12", rolling, [10, 9, 10])
    result = checks.check_chapter05(fake_lab)
    assert result.first_problem.found == "RollingUpdate maxSurge 1 maxUnavailable 1"
    dip = next(r for r in result.requirements if r.text.startswith("during the rollout"))
    assert dip.found == "only 9 available 2.0 s after the rollout began"
    # kubernetes.md §1.2: 20 % of 10 surges by ceil(2) = 2, 0 % is 0
    fake_lab.api.data.clear()
    fake_lab.trace = fake_lab.api.trace = type(fake_lab.trace)()
    _rolled(fake_lab, "nginx:1.12",
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "20%",
                                                        "maxUnavailable": "0%"}},
            [10, 10, 10])
    # a dip after the rollout was done (a node failure, say) is not the rollout's fault
    fake_lab.loop.now += SECOND
    fake_lab.trace.append(fake_lab.loop.now, "deployment-controller", "update-status",
                          "Deployment", "default", DEP, {"available": 7, "updated": 10})
    almost = checks.check_chapter05(fake_lab)
    assert almost.first_problem.text == "your curl loop saw nginx/1.12.2 answer"
    _request(fake_lab, log, "default/test-web-svc", server="nginx/1.12.2")
    assert checks.check_chapter05(fake_lab).passed


def test_fenceposts_resolve_like_the_deployment_controller() -> None:
    assert checks._resolve_fencepost("25%", 10, True) == 3
    assert checks._resolve_fencepost("25%", 10, False) == 2
    assert checks._resolve_fencepost(1, 10, True) == 1
    assert checks._resolve_fencepost("x", 10, True) is None


# ---------------------------------------------------------------------------- 06


def _replica_set(name: str, image: str, revision: int, history: str = "") -> dict:
    annotations = {"deployment.kubernetes.io/revision": str(revision)}
    if history:
        annotations["deployment.kubernetes.io/revision-history"] = history
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": name, "namespace": "default", "annotations": annotations,
                         "ownerReferences": [{"kind": "Deployment", "name": DEP,
                                              "controller": True}]},
            "spec": {"template": {"spec": {"containers": [{"name": "test-web",
                                                           "image": image}]}}}}


def _running(lab: FakeLab, image: str, owner: str) -> None:
    dep = deployment(replicas=10, image=image, ready=10, updated=10, available=10)
    lab.api.put(dep, "kubectl", "update")
    for i in range(10):
        lab.api.put(pod(f"{owner}-{i}", node_name="t.cs.2", phase="Running", ready=True,
                        image=image, owner=owner), "kubelet/t.cs.2", "update-status")


def test_chapter06_wants_the_old_replicaset_back_under_the_newest_revision(
        fake_lab: FakeLab) -> None:
    fake_lab.api.put(_replica_set(f"{DEP}-old", "nginx:1.10", 1), "dc", "create")
    fake_lab.api.put(_replica_set(f"{DEP}-new", "nginx:1.11", 2), "dc", "create")
    _running(fake_lab, "nginx:1.11", f"{DEP}-new")
    before = checks.check_chapter06(fake_lab)
    assert before.first_problem.found == "image nginx:1.11"
    assert "--to-revision=N" in before.hint
    # after `rollout undo`: the old ReplicaSet runs again as revision 3 (kubernetes.md §1.9)
    fake_lab.api.data.clear()
    fake_lab.api.put(_replica_set(f"{DEP}-old", "nginx:1.10", 3, "1"), "dc", "update")
    fake_lab.api.put(_replica_set(f"{DEP}-new", "nginx:1.11", 2), "dc", "update")
    _running(fake_lab, "nginx:1.10", f"{DEP}-old")
    assert checks.check_chapter06(fake_lab).passed
    # nginx:1.11 wanted, but its ReplicaSet is not the newest
    wrong = checks.check_chapter06(fake_lab, image="nginx:1.11")
    assert wrong.requirements[2].found == "image nginx:1.10"
    # a second ReplicaSet for the same image (not a rollback) fails the re-use rule
    fake_lab.api.put(_replica_set(f"{DEP}-copy", "nginx:1.10", 4), "dc", "create")
    copied = checks.check_chapter06(fake_lab)
    assert copied.requirements[-2].ok
    assert copied.requirements[-1].found == "2 ReplicaSets run nginx:1.10"
    # and a newest revision that runs something else is named
    fake_lab.api.put(_replica_set(f"{DEP}-copy", "nginx:1.12", 4), "dc", "update")
    other = checks.check_chapter06(fake_lab)
    assert other.requirements[-2].found == (
        f"revision 4 is {DEP}-copy, nginx:1.10 is at revision 3")


# ---------------------------------------------------------------------------- 07


def _health(lab: FakeLab, period: int, threshold: int, *, restarts: int = 0,
            killed: bool = False, ready: bool = True) -> None:
    probe = {"exec": {"command": ["sh", "-c", "test ! -e /tmp/broken"]},
             "periodSeconds": period, "failureThreshold": threshold}
    dep = deployment(replicas=1, ready=1, updated=1, available=1)
    dep["spec"]["template"]["spec"]["containers"][0]["livenessProbe"] = probe
    lab.api.put(dep, "kubectl", "update")
    rs = _replica_set(f"{DEP}-h{period}", "nginx:1.10", period)
    rs["metadata"]["labels"] = {"pod-template-hash": f"h{period}"}
    rs["spec"]["template"]["spec"]["containers"][0].update(name="nginx", livenessProbe=probe)
    lab.api.put(rs, "dc", "create")
    p = pod(f"{DEP}-h{period}-x", node_name="t.cs.2", phase="Running", ready=ready,
            owner=rs["metadata"]["name"],
            labels={"app": DEP, "pod-template-hash": f"h{period}"})
    p["status"]["containerStatuses"][0]["restartCount"] = restarts
    lab.api.put(p, "kubelet/t.cs.2", "update-status")
    if killed:
        lab.api.put({"apiVersion": "v1", "kind": "Event",
                     "metadata": {"name": f"{p['metadata']['name']}.1", "namespace": "default"},
                     "involvedObject": {"kind": "Pod", "name": p["metadata"]["name"]},
                     "reason": "Killing", "type": "Normal",
                     "message": "Container nginx failed liveness probe, will be restarted"},
                    "kubelet/t.cs.2", "create")


def test_chapter07_wants_a_fast_probe_rolled_out_and_proven(fake_lab: FakeLab) -> None:
    _health(fake_lab, 5, 3, restarts=1, killed=True)
    slow = checks.check_chapter07(fake_lab)
    assert slow.first_problem.found == "periodSeconds 5 × failureThreshold 3 = 15 s"
    # the restart under the old, slow probe does not count
    proof = next(r for r in slow.requirements if "restarted" in r.text)
    assert not proof.ok
    fake_lab.api.data.clear()
    _health(fake_lab, 2, 3, ready=False)
    untested = checks.check_chapter07(fake_lab)
    assert untested.first_problem.text == "a pod with the 6 s probe was restarted by its " \
                                          "liveness probe"
    assert "break the app" in untested.hint
    _health(fake_lab, 2, 3, restarts=1, killed=True, ready=False)
    assert checks.check_chapter07(fake_lab).first_problem.found.endswith("(Running)")
    _health(fake_lab, 2, 3, restarts=1, killed=True)
    assert checks.check_chapter07(fake_lab).passed


# ---------------------------------------------------------------------------- 08


@pytest.fixture(scope="module")
def traefik_lab() -> Lab:
    lab = Lab(seed=0, workdir=ROOT / "manifests" / "08-ingress")
    r = lab.sh("kubectl apply -f test-web-deployment.yaml -f test-web-svc.yaml "
               "-f httpbin.yaml -f traefik.yaml -f test-web-ingress.yaml\nsleep 30")
    assert r.exit_code == 0, r.stderr
    return lab


API = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: api
spec:
  ingressClassName: {cls}
  rules:
    - host: api.iirii.com
      http:
        paths:
          - path: {path}
            pathType: Prefix
            backend:
              service:
                name: {svc}
                port:
                  number: {port}
"""


def test_chapter08_follows_the_rule_to_traefiks_router(traefik_lab: Lab) -> None:
    lab = traefik_lab
    none = checks.check_chapter08(lab)
    assert none.first_problem.found == "hosts with rules: ms.iirii.com"
    assert lab.apply(API.format(cls="nginx", path="/", svc="test-web-svc", port=8080)).ok
    lab.sleep(2)
    wrong = checks.check_chapter08(lab)
    assert [r.ok for r in wrong.requirements] == [True, False, False, False]
    assert wrong.requirements[1].found == "test-web-svc:8080"
    assert wrong.requirements[3].found == "no router matches (404 page not found)"
    assert lab.apply(API.format(cls="traefik", path="/status", svc="httpbin", port=8000)).ok
    lab.sleep(2)
    partial = checks.check_chapter08(lab)
    assert partial.first_problem.found == "no router matches (404 page not found)"
    assert lab.apply(API.format(cls="traefik", path="/", svc="httpbin", port=8000)).ok
    lab.sleep(2)
    assert checks.check_chapter08(lab).passed
