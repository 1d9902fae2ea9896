"""Exercise checks: look at the lab's cluster and say precisely what is right and what is not.

A check reads the apiserver's objects (what ``kubectl get`` would show) and, where the lesson is
about *who did what*, the trace. It returns a :class:`CheckResult`, which a notebook shows as a
✓/✗ panel (HTML, plus the same lines as ``text/plain`` for nbval and terminals): every
requirement on its own line, the first wrong one explained with the value found, and a hint for
the next command to try. Results are plain text built from cluster state only, so the same lab
gives the same panel in any process.

Checks of chapters 04–08 also read the network's request log (``cluster.network.log``) where an
exercise asks the learner to *see* something happen (a request answered through a new node
port, a curl loop that saw the new nginx version), and Traefik's routers for the ingress
exercise (:func:`k8slab.notebook.charts.match_route`).

The small "inspection" helpers (:func:`pod_status`, :func:`deployment_state`, :func:`node_rows`)
are pure functions of the store; the widgets show the same facts with them. ``pod_status``
follows the STATUS column of ``kubectl get pods`` (``printPod`` in
``pkg/printers/internalversion/printers.go``).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..api.kinds import by_gvk
from ..api.selectors import from_label_selector
from .charts import control_plane_steps, node_sort_key

__all__ = [
    "CheckResult",
    "Requirement",
    "check_chapter00",
    "check_chapter01",
    "check_chapter02",
    "check_chapter03",
    "check_chapter04",
    "check_chapter05",
    "check_chapter06",
    "check_chapter07",
    "check_chapter08",
    "deployment_state",
    "expect_error",
    "node_rows",
    "object_diff",
    "pod_status",
]

Obj = dict[str, Any]

_POD = by_gvk("v1", "Pod")
_NODE = by_gvk("v1", "Node")
_NAMESPACE = by_gvk("v1", "Namespace")
_DEPLOYMENT = by_gvk("apps/v1", "Deployment")


# ---------------------------------------------------------------------------- result objects


@dataclass(frozen=True)
class Requirement:
    """One line of a check: what should hold, whether it does, and what was found instead."""

    ok: bool
    text: str
    found: str = ""


@dataclass(frozen=True)
class CheckResult:
    """The outcome of an exercise check; displays as a ✓/✗ panel."""

    title: str
    requirements: tuple[Requirement, ...]
    hint: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def passed(self) -> bool:
        return all(r.ok for r in self.requirements)

    def __bool__(self) -> bool:
        return self.passed

    @property
    def first_problem(self) -> Requirement | None:
        return next((r for r in self.requirements if not r.ok), None)

    def lines(self) -> list[str]:
        head = "✓" if self.passed else "✗"
        verdict = "done" if self.passed else "not yet"
        out = [f"{head} {self.title}: {verdict}"]
        for r in self.requirements:
            out.append(f"  {'✓' if r.ok else '✗'} {r.text}")
            if not r.ok and r.found:
                out.append(f"      found: {r.found}")
        out.extend(f"  {n}" for n in self.notes)
        if not self.passed and self.hint:
            out.append(f"Hint: {self.hint}")
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    def __repr__(self) -> str:
        return str(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        colour = "#27ae60" if self.passed else "#c0392b"
        rows = []
        for r in self.requirements:
            mark = f'<span style="color:{"#27ae60" if r.ok else "#c0392b"}">' \
                   f'{"✓" if r.ok else "✗"}</span>'
            found = (f'<div style="margin-left:1.6em;color:#7f8c8d">found: '
                     f"{html.escape(r.found)}</div>" if not r.ok and r.found else "")
            rows.append(f"<li style=\"list-style:none\">{mark} {html.escape(r.text)}{found}</li>")
        for n in self.notes:
            rows.append(f'<li style="list-style:none;color:#7f8c8d">{html.escape(n)}</li>')
        hint = (f'<div style="margin-top:.4em"><b>Hint:</b> {html.escape(self.hint)}</div>'
                if not self.passed and self.hint else "")
        verdict = "done" if self.passed else "not yet"
        return (
            f'<div class="k8slab-check" style="border-left:4px solid {colour};'
            f'padding:.3em .8em;margin:.2em 0">'
            f'<div style="color:{colour};font-weight:bold">{"✓" if self.passed else "✗"} '
            f"{html.escape(self.title)}: {verdict}</div>"
            f'<ul style="margin:.3em 0;padding-left:.4em">{"".join(rows)}</ul>{hint}</div>'
        )


def expect_error(
    result: Any,
    contains: str | None = None,
    *,
    exit_code: int | None = None,
) -> Any:
    """Assert that a command failed (and how), then hand the result back for display.

    ``result`` is a :class:`~k8slab.lab.Result` (``lab.kubectl(...)``) or a callable that must
    raise. Unlike the ``raises-exception`` cell tag, this fails when nothing went wrong.
    """
    if callable(result) and not hasattr(result, "exit_code"):
        try:
            value = result()
        except Exception as exc:  # the point is to catch whatever the callable raised
            text = f"{type(exc).__name__}: {exc}"
            if contains is not None and contains not in text:
                raise AssertionError(
                    f"the error does not mention {contains!r}: {text}") from exc
            return text
        raise AssertionError(f"expected an error, but the call returned {value!r}")
    code = getattr(result, "exit_code", None)
    if code is None:
        raise TypeError("expect_error needs a command result or a callable")
    if code == 0:
        raise AssertionError("expected the command to fail, but it exited 0")
    if exit_code is not None and code != exit_code:
        raise AssertionError(f"expected exit code {exit_code}, got {code}")
    output = getattr(result, "stdout", "") + getattr(result, "stderr", "")
    if contains is not None and contains not in output:
        raise AssertionError(f"the error output does not mention {contains!r}:\n{output}")
    return result


# ---------------------------------------------------------------------------- inspection


def _api(lab: Any) -> Any:
    return lab.api if hasattr(lab, "api") else lab.cluster.api


def _meta(obj: Obj) -> Obj:
    return obj.get("metadata") or {}


def pod_status(pod: Obj) -> str:
    """The STATUS column ``kubectl get pods`` prints for ``pod`` (regular containers)."""
    status = pod.get("status") or {}
    reason = status.get("reason") or status.get("phase") or "Pending"
    running = False
    for cs in reversed(status.get("containerStatuses") or []):
        state = cs.get("state") or {}
        waiting, terminated = state.get("waiting"), state.get("terminated")
        if waiting and waiting.get("reason"):
            reason = waiting["reason"]
        elif terminated and terminated.get("reason"):
            reason = terminated["reason"]
        elif terminated:
            reason = (f"Signal:{terminated['signal']}" if terminated.get("signal")
                      else f"ExitCode:{terminated.get('exitCode', 0)}")
        elif cs.get("ready") and state.get("running"):
            running = True
    if reason == "Completed" and running:
        reason = "Running"
    if _meta(pod).get("deletionTimestamp"):
        if status.get("reason") == "NodeLost":
            reason = "Unknown"
        elif status.get("phase") not in ("Succeeded", "Failed"):
            reason = "Terminating"
    return str(reason)


def pod_ready(pod: Obj) -> bool:
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def node_ready(node: Obj) -> str:
    """The Ready condition's status: ``True``, ``False`` or ``Unknown``."""
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return str(c.get("status"))
    return "Unknown"


def node_status(node: Obj) -> str:
    """The STATUS column of ``kubectl get nodes`` (``printNode``)."""
    text = "Ready" if node_ready(node) == "True" else "NotReady"
    if (node.get("spec") or {}).get("unschedulable"):
        text += ",SchedulingDisabled"
    return text


def deployment_pods(lab: Any, dep: Obj) -> list[Obj]:
    """Pods the Deployment's selector matches in its namespace (what its ReplicaSets own)."""
    selector = from_label_selector((dep.get("spec") or {}).get("selector"))
    return _api(lab).list(_POD, _meta(dep).get("namespace", "default"), selector=selector)


@dataclass(frozen=True)
class DeploymentState:
    """What ``kubectl get deployment`` and ``get pods`` say about one Deployment."""

    exists: bool
    name: str
    namespace: str = "default"
    replicas: int = 0
    ready: int = 0
    updated: int = 0
    available: int = 0
    images: tuple[str, ...] = ()
    generation: int = 0
    observed_generation: int = 0
    pods: tuple[tuple[str, str, str, str], ...] = ()  # (name, status, node, image)

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _, status, _, _ in self.pods:
            counts[status] = counts.get(status, 0) + 1
        return counts

    def kubectl_line(self) -> str:
        """``READY 2/2   UP-TO-DATE 2   AVAILABLE 2`` like ``kubectl get deploy``."""
        return (f"READY {self.ready}/{self.replicas}   UP-TO-DATE {self.updated}   "
                f"AVAILABLE {self.available}")


def deployment_state(lab: Any, name: str, namespace: str = "default") -> DeploymentState:
    dep = _api(lab).try_get(_DEPLOYMENT, namespace, name)
    if dep is None:
        return DeploymentState(False, name, namespace)
    spec = dep.get("spec") or {}
    status = dep.get("status") or {}
    containers = ((spec.get("template") or {}).get("spec") or {}).get("containers") or []
    pods = []
    for pod in deployment_pods(lab, dep):
        pcs = (pod.get("spec") or {}).get("containers") or []
        pods.append((_meta(pod)["name"], pod_status(pod),
                     (pod.get("spec") or {}).get("nodeName") or "",
                     ",".join(c.get("image", "") for c in pcs)))
    return DeploymentState(
        True, name, namespace,
        replicas=int(spec.get("replicas", 1)),
        ready=int(status.get("readyReplicas") or 0),
        updated=int(status.get("updatedReplicas") or 0),
        available=int(status.get("availableReplicas") or 0),
        images=tuple(c.get("image", "") for c in containers),
        generation=int(_meta(dep).get("generation") or 0),
        observed_generation=int(status.get("observedGeneration") or 0),
        pods=tuple(pods),
    )


def node_rows(lab: Any, namespace: str | None = "default") -> list[tuple[str, str, str, int]]:
    """``(name, STATUS, role, pods)`` per Node in natural name order; ``pods`` counts the
    pods bound to it that are not being deleted (in ``namespace``; None: all)."""
    api = _api(lab)
    counts: dict[str, int] = {}
    for pod in api.iter_kind(_POD, namespace):
        node = (pod.get("spec") or {}).get("nodeName")
        if node and not _meta(pod).get("deletionTimestamp"):
            counts[node] = counts.get(node, 0) + 1
    rows = []
    for node in api.list(_NODE):
        name = _meta(node)["name"]
        labels = _meta(node).get("labels") or {}
        role = ("control-plane" if "node-role.kubernetes.io/control-plane" in labels
                else "<none>")
        rows.append((name, node_status(node), role, counts.get(name, 0)))
    rows.sort(key=lambda r: node_sort_key(r[0]))
    return rows


def object_diff(a: Any, b: Any, path: str = "") -> list[tuple[str, Any, Any]]:
    """Every place two JSON-like objects differ, as ``(path, value in a, value in b)``.

    Paths read like kubectl's field paths (``spec.template.spec.containers[0].ports``); a
    value missing on one side is ``None`` there. Keys are visited in sorted order, so the
    list is the same in any process.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        out: list[tuple[str, Any, Any]] = []
        for key in sorted(set(a) | set(b)):
            sub = f"{path}.{key}" if path else str(key)
            if key not in a or key not in b:
                out.append((sub, a.get(key), b.get(key)))
            else:
                out.extend(object_diff(a[key], b[key], sub))
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out.extend(object_diff(x, y, f"{path}[{i}]"))
        return out
    return [] if a == b else [(path, a, b)]


# ---------------------------------------------------------------------------- helpers


def _check(title: str, requirements: Sequence[Requirement], hint: str = "") -> CheckResult:
    return CheckResult(title, tuple(requirements), hint)


def _deployment_requirements(
    state: DeploymentState, replicas: int, image: str, *, create_hint: str,
    container: str = "nginx", image_hint: str | None = None,
) -> tuple[list[Requirement], dict[str, str]]:
    """The usual "N pods of IMAGE, rolled out and available" requirements, with hints."""
    name = state.name
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}

    def add(ok: bool, text: str, found: str, hint: str) -> None:
        reqs.append(Requirement(ok, text, "" if ok else found))
        hints[text] = hint

    add(state.exists, f"deployment/{name} exists in namespace {state.namespace}",
        f'no Deployment named "{name}"', create_hint)
    if not state.exists:
        return reqs, hints
    add(state.replicas == replicas, f"spec.replicas is {replicas}",
        f"spec.replicas is {state.replicas}",
        f"kubectl scale deployment --replicas {replicas} {name}")
    add(state.images == (image,), f"its pod template runs {image}",
        f"image {', '.join(state.images) or '(none)'}",
        image_hint or (f"kubectl set image deployment/{name} {container}={image} (the "
                       f"container is called {container} in the talk's manifest)"))
    done = (state.observed_generation >= state.generation and state.updated == replicas
            and state.available == replicas)
    add(done, f"the rollout is complete: {replicas} up to date and available",
        f"{state.kubectl_line()} (observedGeneration {state.observed_generation} of "
        f"generation {state.generation})",
        "let the cluster work: lab.sleep(30), or run `kubectl rollout status "
        f"deployment/{name}`")
    live = [p for p in state.pods if p[1] != "Terminating"]
    wrong = [p for p in live if p[1] != "Running" or p[3] != image]
    ok = len(live) == replicas and not wrong
    found = (f"{len(live)} pods: " + ", ".join(f"{p[0]} {p[1]} {p[3]}" for p in live[:6])
             + (" …" if len(live) > 6 else "")) if live else "no pods"
    add(ok, f"exactly {replicas} pods, all Running {image}", found,
        "old pods take a moment to terminate and new ones to start: let time pass "
        "(lab.sleep(30)) and check again")
    return reqs, hints


def _first_hint(reqs: Sequence[Requirement], hints: dict[str, str]) -> str:
    problem = next((r for r in reqs if not r.ok), None)
    return hints.get(problem.text, "") if problem is not None else ""


# ---------------------------------------------------------------------------- chapters


def check_chapter00(lab: Any, namespace: str = "practice", pod: str = "test-pod") -> CheckResult:
    """Exercise 0: a namespace ``practice`` holding the running ``test-pod`` from the
    chapter's manifest."""
    api = _api(lab)
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}
    ns = api.try_get(_NAMESPACE, "", namespace)
    phase = ((ns or {}).get("status") or {}).get("phase", "")
    text = f"namespace {namespace} exists and is Active"
    reqs.append(Requirement(ns is not None and phase == "Active", text,
                            "no such namespace" if ns is None else f"phase {phase}"))
    hints[text] = f"kubectl create namespace {namespace}"
    obj = api.try_get(_POD, namespace, pod) if ns is not None else None
    text = f"pod {pod} exists in namespace {namespace}"
    elsewhere = [n for n in ("default",) if n != namespace and api.try_get(_POD, n, pod)]
    reqs.append(Requirement(obj is not None, text,
                            f"pod {pod} is in namespace {elsewhere[0]} instead"
                            if elsewhere else f'no pod named "{pod}" there'))
    hints[text] = f"kubectl create -f test-pod.yaml -n {namespace}"
    if obj is not None:
        status = pod_status(obj)
        text = f"pod {pod} is Running"
        reqs.append(Requirement(status == "Running", text, f"STATUS {status}"))
        hints[text] = ("the image is pulled and the container started in a few seconds of "
                       "virtual time: lab.sleep(10), then look again with "
                       f"kubectl get pods -n {namespace}")
    return _check("Exercise 0.1: a pod of your own in your own namespace", reqs,
                  _first_hint(reqs, hints))


EXPECTED_ORDER_HELP = (
    "each component reacts to the previous component's write, which it learns about from its "
    "watch on the apiserver"
)


def _component_order(lab: Any, since: int, follow: str) -> list[str]:
    order: list[str] = []
    for step in control_plane_steps(lab, since, follow, include_events=False):
        if not step.is_request:
            continue
        name = "kubelet" if step.component.startswith("kubelet") else step.component
        if name == "kubectl" or name in order:
            continue
        order.append(name)
    return order


def check_chapter01(
    lab: Any,
    order: Sequence[str] | None,
    hello_node: str | None = None,
    *,
    since: int = 0,
    follow: str = "deployment/test-web-deployment",
    hello: str = "hello",
) -> CheckResult:
    """Exercise 1.1: the components that acted on the apply, in order (kubelets written as
    ``kubelet``); exercise 1.2: the node the pod of Deployment ``hello`` was bound to."""
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}
    truth = _component_order(lab, since, follow)
    given = [("kubelet" if str(x).strip().startswith("kubelet") else str(x).strip())
             for x in (order or [])]
    text = "the components that acted, in the order they wrote to the apiserver"
    if not truth:
        reqs.append(Requirement(False, text, f"nothing about {follow} in the trace yet"))
        hints[text] = f"create {follow} first (the %%apply cell above)"
    elif given == truth:
        reqs.append(Requirement(True, text + ": " + " → ".join(truth)))
    else:
        pos = next((i for i, (a, b) in enumerate(zip(given, truth)) if a != b),
                   min(len(given), len(truth)))
        if pos < len(given) and pos < len(truth):
            found = (f"position {pos + 1} is {given[pos]!r}, but the trace shows "
                     f"{truth[pos]!r} acting next")
        elif len(given) < len(truth):
            found = f"{len(given)} components given; {truth[len(given)]!r} is missing next"
        else:
            found = f"{given[pos]!r} did not write anything about {follow} after the others"
        reqs.append(Requirement(False, text, found))
        hints[text] = ("hover over the dots of the timeline, or read the table under it: "
                       + EXPECTED_ORDER_HELP)
    if hello_node is not None or order is None:
        api = _api(lab)
        dep = api.try_get(_DEPLOYMENT, "default", hello)
        text = f"the pod of deployment/{hello} runs on the node you named"
        if dep is None:
            reqs.append(Requirement(False, text, f'no Deployment named "{hello}"'))
            hints[text] = f"kubectl create deployment --image nginx:1.10 {hello}"
        else:
            nodes = sorted({(p.get("spec") or {}).get("nodeName") or ""
                            for p in deployment_pods(lab, dep)
                            if not _meta(p).get("deletionTimestamp")} - {""},
                           key=node_sort_key)
            ok = bool(nodes) and hello_node in nodes
            reqs.append(Requirement(ok, text, f"you named {hello_node!r}; its pod is bound "
                                    f"to {', '.join(nodes) or 'no node yet'}"))
            hints[text] = ("pick deployment/hello in the timeline widget and look for the "
                           "default-scheduler's bind, or run kubectl get pods -o wide")
    return _check("Exercise 1: who did what", reqs, _first_hint(reqs, hints))


def check_chapter02(
    lab: Any,
    joined: str = "t.cs.11",
    failed: str = "t.cs.3",
    deployment: str = "test-web-deployment",
) -> CheckResult:
    """Exercise 2: ``joined`` has joined and is Ready, ``failed`` is down, and every replica
    of ``deployment`` runs again on healthy nodes."""
    api = _api(lab)
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}
    rows = {r[0]: r for r in node_rows(lab)}
    text = f"node {joined} has joined and is Ready"
    row = rows.get(joined)
    reqs.append(Requirement(row is not None and row[1].startswith("Ready"), text,
                            "not in kubectl get nodes" if row is None else f"STATUS {row[1]}"))
    hints[text] = (f"cargo run tcs create -i {joined} (in a %%sh cell), then let a few seconds "
                   "pass for its kubelet to register")
    text = f"node {failed} is down (NotReady)"
    row = rows.get(failed)
    reqs.append(Requirement(row is not None and row[1].startswith("NotReady"), text,
                            "not in kubectl get nodes" if row is None else f"STATUS {row[1]}"))
    hints[text] = (f"pick {failed} in the node widget and press 'fail node' (or call "
                   f"lab.cluster.fail_node({failed!r})); the node controller marks it "
                   "NotReady after about 50 s without heartbeats")
    dep = api.try_get(_DEPLOYMENT, "default", deployment)
    state = deployment_state(lab, deployment)
    text = f"all replicas of deployment/{deployment} are available"
    reqs.append(Requirement(state.exists and state.available == state.replicas > 0, text,
                            f'no Deployment named "{deployment}"' if dep is None
                            else state.kubectl_line()))
    hints[text] = ("pods on an unreachable node are evicted only after their 300 s "
                   "toleration for node.kubernetes.io/unreachable; let more virtual time pass")
    stuck = [p for p in state.pods if p[2] == failed and p[1] != "Terminating"]
    text = f"no live pod of deployment/{deployment} is left on {failed}"
    reqs.append(Requirement(state.exists and not stuck, text,
                            ", ".join(f"{p[0]} ({p[1]})" for p in stuck)))
    hints[text] = ("the taint manager evicts them 300 s after the node became unreachable; "
                   "the ReplicaSet then creates replacements on the healthy nodes")
    return _check("Exercise 2: survive a node failure", reqs, _first_hint(reqs, hints))


def check_chapter03(
    lab: Any,
    deployment: str = "test-web-deployment",
    replicas: int = 5,
    image: str = "nginx:1.11",
) -> CheckResult:
    """Exercise 3: ``deployment`` back, declared from YAML, scaled to ``replicas`` pods of
    ``image``, rolled out and available."""
    state = deployment_state(lab, deployment)
    reqs, hints = _deployment_requirements(
        state, replicas, image,
        create_hint="kubectl apply -f test-web-deployment.yaml (the declarative twin)")
    return _check(f"Exercise 3: {replicas} pods of {image}", reqs, _first_hint(reqs, hints))


# ---------------------------------------------------------------------------- chapters 04–08

_SERVICE = by_gvk("v1", "Service")
_REPLICA_SET = by_gvk("apps/v1", "ReplicaSet")
_ENDPOINT_SLICE = by_gvk("discovery.k8s.io/v1", "EndpointSlice")
_INGRESS = by_gvk("networking.k8s.io/v1", "Ingress")
_EVENT = by_gvk("v1", "Event")
_REVISION = "deployment.kubernetes.io/revision"
_REVISION_HISTORY = "deployment.kubernetes.io/revision-history"


def _selects(selector: dict[str, str] | None, labels: dict[str, str] | None) -> bool:
    if not selector:
        return False
    labels = labels or {}
    return all(labels.get(k) == v for k, v in selector.items())


def _ready_endpoints(lab: Any, namespace: str, service: str) -> list[tuple[str, int | None]]:
    """``(pod, port)`` of the Service's ready endpoints, from its EndpointSlices."""
    out = []
    for s in _api(lab).list(_ENDPOINT_SLICE, namespace):
        if (_meta(s).get("labels") or {}).get("kubernetes.io/service-name") != service:
            continue
        port = next((p.get("port") for p in s.get("ports") or ()), None)
        for ep in s.get("endpoints") or ():
            if (ep.get("conditions") or {}).get("ready") is False:
                continue
            out.append(((ep.get("targetRef") or {}).get("name", ""), port))
    return sorted(out, key=lambda e: e[0])


def _log_rows(lab: Any) -> list[Any]:
    log = getattr(getattr(getattr(lab, "cluster", lab), "network", None), "log", None)
    return list(log.rows()) if log is not None else []


def _created_at(lab: Any, kind: str, namespace: str, name: str) -> int | None:
    """Virtual time of the last ``create`` of an object in the trace."""
    found = None
    for r in lab.trace.select(kind=kind, action="create", namespace=namespace, name=name):
        found = r.time
    return found


def check_chapter04(
    lab: Any,
    node_port: int = 30066,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
) -> CheckResult:
    """Exercise 4: a Service on node port ``node_port`` (the port the talk's ``http HEAD
    http://ms.iirii.com:30066`` expects) that reaches the nginx pods, and the talk's command
    answered through it."""
    api = _api(lab)
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}

    def add(ok: bool, text: str, found: str, hint: str) -> None:
        reqs.append(Requirement(ok, text, "" if ok else found))
        hints[text] = hint

    services = api.list(_SERVICE, namespace)
    svc = next((s for s in services for p in (s.get("spec") or {}).get("ports") or ()
                if p.get("nodePort") == node_port), None)
    in_use = ", ".join(f"{p['nodePort']} ({_meta(s)['name']})" for s in services
                       for p in (s.get("spec") or {}).get("ports") or () if p.get("nodePort"))
    add(svc is not None, f"a Service in {namespace} has node port {node_port}",
        f"node ports in use: {in_use or 'none'}",
        "kubectl expose cannot choose a node port: write the Service in a %%apply cell with "
        f"type: NodePort and nodePort: {node_port} under ports (test-web-svc.yaml is a model)")
    if svc is None:
        return _check(f"Exercise 4: the talk's port {node_port}", reqs, _first_hint(reqs, hints))
    name = _meta(svc)["name"]
    spec = svc.get("spec") or {}
    dep = api.try_get(_DEPLOYMENT, namespace, deployment)
    template_labels = (((dep or {}).get("spec") or {}).get("template") or {}).get(
        "metadata", {}).get("labels")
    selector = spec.get("selector") or {}
    add(_selects(selector, template_labels),
        f"service/{name} selects the pods of deployment/{deployment}",
        f"selector {selector or '(none)'}; the pods are labelled {template_labels or '(none)'}",
        f"selector: app: {deployment} — the label the Deployment's pod template sets")
    port = next(p for p in spec.get("ports") or () if p.get("nodePort") == node_port)
    target = port.get("targetPort", port.get("port"))
    add(target in (80, "80"), "its targetPort is 80, where nginx listens",
        f"targetPort {target}",
        "port is the Service's own port; targetPort is the container's (80 for nginx)")
    endpoints = _ready_endpoints(lab, namespace, name)
    add(bool(endpoints), f"service/{name} has ready endpoints",
        "no ready endpoint: no running pod matches the selector",
        f"kubectl get endpointslices -l kubernetes.io/service-name={name}")
    since = _created_at(lab, "Service", namespace, name) or 0
    answered = [r for r in _log_rows(lab) if r.time >= since and r.client == "workstation"
                and r.service == f"{namespace}/{name}" and r.status == 200]
    add(bool(answered), f"a request from the workstation through service/{name} got 200 OK",
        "no answered request through it yet",
        f"run the talk's test in a %%sh cell: http HEAD http://ms.iirii.com:{node_port}")
    return _check(f"Exercise 4: the talk's port {node_port}", reqs, _first_hint(reqs, hints))


def _resolve_fencepost(value: Any, replicas: int, round_up: bool) -> int | None:
    """``intstr.GetScaledValueFromIntOrPercent`` (kubernetes.md §1.2)."""
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.endswith("%") and value[:-1].isdigit():
        scaled = int(value[:-1]) * replicas
        return -(-scaled // 100) if round_up else scaled // 100
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def check_chapter05(
    lab: Any,
    image: str = "nginx:1.12",
    replicas: int = 10,
    max_surge: int = 2,
    max_unavailable: int = 0,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
    server: str = "nginx/1.12.2",
) -> CheckResult:
    """Exercise 5: roll to ``image`` without ever dropping below ``replicas`` available pods
    (maxUnavailable 0, maxSurge 2), and watch the new version answer."""
    api = _api(lab)
    state = deployment_state(lab, deployment, namespace)
    reqs, hints = _deployment_requirements(
        state, replicas, image, container="test-web",
        create_hint="kubectl apply -f test-web-deployment.yaml",
        image_hint=f"change image: to {image} in your manifest and kubectl apply it")
    if not state.exists:
        return _check("Exercise 5: a rollout without losing capacity", reqs,
                      _first_hint(reqs, hints))
    dep = api.try_get(_DEPLOYMENT, namespace, deployment) or {}
    strategy = (dep.get("spec") or {}).get("strategy") or {}
    ru = strategy.get("rollingUpdate") or {}
    surge = _resolve_fencepost(ru.get("maxSurge"), replicas, True)
    unavailable = _resolve_fencepost(ru.get("maxUnavailable"), replicas, False)
    text = f"strategy RollingUpdate with maxSurge {max_surge} and maxUnavailable " \
           f"{max_unavailable}"
    ok = (strategy.get("type") == "RollingUpdate" and surge == max_surge
          and unavailable == max_unavailable)
    reqs.insert(1, Requirement(ok, text, "" if ok else (
        f"{strategy.get('type')} maxSurge {ru.get('maxSurge')} maxUnavailable "
        f"{ru.get('maxUnavailable')}")))
    hints[text] = ("set spec.strategy.rollingUpdate in your copy of the manifest (%%apply) "
                   "before or together with the new image")
    # When did the rollout to `image` start? The creation of the ReplicaSet that runs it.
    new_rs = [rs for rs in api.list(_REPLICA_SET, namespace)
              if any(r.get("name") == deployment for r in _meta(rs).get("ownerReferences") or ())
              and [c.get("image") for c in rs["spec"]["template"]["spec"]["containers"]]
              == [image]]
    text = f"during the rollout to {image}, at least {replicas} pods were available at " \
           "every moment"
    if not new_rs:
        reqs.append(Requirement(False, text, f"no ReplicaSet runs {image} yet"))
    else:
        start = min((_created_at(lab, "ReplicaSet", namespace, _meta(rs)["name"]) or 0)
                    for rs in new_rs)
        # From the new ReplicaSet's creation until the Deployment first reports the rollout
        # done (all updated and available): later dips (a node failure) are another story.
        seen: list[tuple[int, int]] = []
        for r in lab.trace.select(kind="Deployment", namespace=namespace, name=deployment,
                                  start=start):
            if r.action not in ("update", "update-status") or "available" not in r.detail:
                continue
            available = int(r.detail.get("available") or 0)
            seen.append((r.time, available))
            if r.detail.get("updated") == available == replicas:
                break
        low = min(seen, key=lambda s: s[1]) if seen else None
        ok = low is None or low[1] >= replicas
        reqs.append(Requirement(ok, text, "" if ok or low is None else
                                f"only {low[1]} available {(low[0] - start) / 1e9:.1f} s "
                                "after the rollout began"))
    hints[text] = ("with maxUnavailable 0 the controller removes an old pod only after a new "
                   "one is available; set the strategy first, then change the image")
    text = f"your curl loop saw {server} answer"
    seen_new = any(r.client == "workstation" and r.server == server for r in _log_rows(lab))
    reqs.append(Requirement(seen_new, text, "" if seen_new else
                            f"no response with Server: {server} from the workstation"))
    hints[text] = ("run the talk's loop with grep -i: while sleep 0.2;do curl -s -I "
                   "http://ms.iirii.com:30044 | grep -i server;done")
    return _check("Exercise 5: a rollout without losing capacity", reqs,
                  _first_hint(reqs, hints))


def _owned_replica_sets(lab: Any, deployment: str, namespace: str) -> list[Obj]:
    return [rs for rs in _api(lab).list(_REPLICA_SET, namespace)
            if any(r.get("controller") and r.get("name") == deployment
                   for r in _meta(rs).get("ownerReferences") or ())]


def _rs_revision(rs: Obj) -> int:
    try:
        return int((_meta(rs).get("annotations") or {}).get(_REVISION, "0"))
    except ValueError:
        return 0


def check_chapter06(
    lab: Any,
    image: str = "nginx:1.10",
    replicas: int = 10,
    deployment: str = "test-web-deployment",
    namespace: str = "default",
) -> CheckResult:
    """Exercise 6: ``image`` is back through ``kubectl rollout undo --to-revision``: its old
    ReplicaSet re-used under the newest revision number, the rollout complete."""
    state = deployment_state(lab, deployment, namespace)
    reqs, hints = _deployment_requirements(
        state, replicas, image, container="test-web",
        create_hint="kubectl apply -f test-web-deployment.yaml",
        image_hint=("find the revision that runs it with kubectl rollout history deployment "
                    f"{deployment} --revision=N, then kubectl rollout undo deployment "
                    f"{deployment} --to-revision=N"))
    if not state.exists:
        return _check("Exercise 6: roll back to a chosen revision", reqs,
                      _first_hint(reqs, hints))
    sets = _owned_replica_sets(lab, deployment, namespace)
    runs = [rs for rs in sets
            if [c.get("image") for c in rs["spec"]["template"]["spec"]["containers"]]
            == [image]]
    newest = max(sets, key=_rs_revision) if sets else None
    text = f"the ReplicaSet running {image} holds the newest revision"
    ok = bool(runs) and newest is not None and newest in runs
    reqs.append(Requirement(ok, text, "" if ok else (
        f"no ReplicaSet runs {image}" if not runs else
        f"revision {_rs_revision(newest) if newest else '?'} is "
        f"{_meta(newest)['name'] if newest else '?'}, {image} is at revision "
        f"{_rs_revision(runs[0])}")))
    hints[text] = f"kubectl rollout undo deployment {deployment} --to-revision=N"
    text = (f"it was re-used, not re-created: only one ReplicaSet runs {image} and it "
            "remembers its earlier revision numbers")
    history = (_meta(runs[0]).get("annotations") or {}).get(_REVISION_HISTORY, "") if runs \
        else ""
    ok = len(runs) == 1 and bool(history)
    reqs.append(Requirement(ok, text, "" if ok else (
        f"{len(runs)} ReplicaSets run {image}" if len(runs) != 1 else
        f"{_meta(runs[0])['name']} has no {_REVISION_HISTORY} annotation: it never came "
        "back")))
    hints[text] = ("a rollback re-activates the old ReplicaSet and moves its old number to "
                   f"the {_REVISION_HISTORY} annotation (kubernetes.md §1.9)")
    return _check("Exercise 6: roll back to a chosen revision", reqs, _first_hint(reqs, hints))


def check_chapter07(
    lab: Any,
    within: int = 6,
    deployment: str = "test-web-deployment",
    container: str = "nginx",
    namespace: str = "default",
) -> CheckResult:
    """Exercise 7: a liveness probe that restarts a broken container within ``within``
    seconds (periodSeconds × failureThreshold), rolled out, seen to work, and healthy now."""
    api = _api(lab)
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}

    def add(ok: bool, text: str, found: str, hint: str) -> None:
        reqs.append(Requirement(ok, text, "" if ok else found))
        hints[text] = hint

    dep = api.try_get(_DEPLOYMENT, namespace, deployment)
    add(dep is not None, f"deployment/{deployment} exists", f'no Deployment named '
        f'"{deployment}"', "kubectl apply -f test-web-health.yaml")
    if dep is None:
        return _check("Exercise 7: a faster liveness probe", reqs, _first_hint(reqs, hints))
    containers = dep["spec"]["template"]["spec"].get("containers") or []
    probe = next((c.get("livenessProbe") for c in containers if c.get("name") == container),
                 None) or {}
    period = int(probe.get("periodSeconds", 10))
    threshold = int(probe.get("failureThreshold", 3))
    add(bool(probe) and period * threshold <= within,
        f"its liveness probe gives up within {within} s (periodSeconds × failureThreshold)",
        f"periodSeconds {period} × failureThreshold {threshold} = {period * threshold} s"
        if probe else "no livenessProbe", "set the probe with the widget's sliders and "
        "'apply probe settings', or edit livenessProbe in a copy of test-web-health.yaml")
    state = deployment_state(lab, deployment, namespace)
    done = (state.observed_generation >= state.generation and state.updated == state.replicas
            and state.available == state.replicas)
    add(done, "the new pod template is rolled out", state.kubectl_line(),
        f"kubectl rollout status deployment {deployment}")
    current = [p for p in deployment_pods(lab, dep)
               if not _meta(p).get("deletionTimestamp")]
    # Pods whose ReplicaSet's template already has a fast enough liveness probe.
    fast = set()
    for rs in _owned_replica_sets(lab, deployment, namespace):
        probe_rs = next((c.get("livenessProbe") for c in rs["spec"]["template"]["spec"].get(
            "containers") or () if c.get("name") == container), None) or {}
        if probe_rs and (int(probe_rs.get("periodSeconds", 10))
                         * int(probe_rs.get("failureThreshold", 3))) <= within:
            fast.add((_meta(rs).get("labels") or {}).get("pod-template-hash"))
    killed = {e["involvedObject"].get("name") for e in api.list(_EVENT, namespace)
              if e.get("reason") == "Killing" and "failed liveness probe" in e.get(
                  "message", "")}
    seen = [p for p in current
            if (_meta(p).get("labels") or {}).get("pod-template-hash") in fast
            and _meta(p)["name"] in killed
            and any(int(c.get("restartCount") or 0) > 0
                    for c in (p.get("status") or {}).get("containerStatuses") or ())]
    add(bool(seen), f"a pod with the {within} s probe was restarted by its liveness probe",
        "no pod with such a probe has been restarted by it yet",
        "pick a pod in the widget and press 'break the app' (kubectl exec POD -- touch "
        f"/tmp/broken), then let {within + 5} seconds pass")
    unready = [f"{_meta(p)['name']} ({pod_status(p)})" for p in current if not pod_ready(p)]
    add(not unready and bool(current), f"every pod of deployment/{deployment} is Ready again",
        ", ".join(unready) or "no pods", "a restarted container gets a fresh filesystem "
        "(no /tmp/broken): let a few seconds pass")
    return _check("Exercise 7: a faster liveness probe", reqs, _first_hint(reqs, hints))


def check_chapter08(
    lab: Any,
    host: str = "api.iirii.com",
    service: str = "httpbin",
    port: int = 8000,
    path: str = "/get",
    namespace: str = "default",
) -> CheckResult:
    """Exercise 8: an Ingress rule sends ``Host: host`` to ``service:port`` through
    Traefik."""
    from .charts import match_route

    api = _api(lab)
    reqs: list[Requirement] = []
    hints: dict[str, str] = {}

    def add(ok: bool, text: str, found: str, hint: str) -> None:
        reqs.append(Requirement(ok, text, "" if ok else found))
        hints[text] = hint

    ingresses = api.list(_INGRESS, namespace)
    mine = [i for i in ingresses for r in (i.get("spec") or {}).get("rules") or ()
            if r.get("host") == host]
    hosts = sorted({r.get("host") or "*" for i in ingresses
                    for r in (i.get("spec") or {}).get("rules") or ()})
    add(bool(mine), f"an Ingress in {namespace} has a rule for host {host}",
        f"hosts with rules: {', '.join(hosts) or 'none'}",
        f"add a rule with host: {host} (httpbin-ingress.yaml is a model) in a %%apply cell")
    if not mine:
        return _check(f"Exercise 8: {host} through Traefik", reqs, _first_hint(reqs, hints))
    backends = [(p.get("backend") or {}).get("service") or {}
                for i in mine for r in (i.get("spec") or {}).get("rules") or ()
                if r.get("host") == host for p in (r.get("http") or {}).get("paths") or ()]
    ok = any(b.get("name") == service and (b.get("port") or {}).get("number") == port
             for b in backends)
    named = []
    for b in backends:
        p = b.get("port") or {}
        named.append(f"{b.get('name')}:{p.get('number') or p.get('name')}")
    add(ok, f"the rule's backend is service {service} port {port}",
        ", ".join(named) or "no backend",
        f"backend: service: name: {service}, port: number: {port} (the Service's port, not "
        "the container's)")
    addressed = [i for i in mine if ((i.get("status") or {}).get("loadBalancer") or {}).get(
        "ingress")]
    add(bool(addressed), "Traefik serves it: kubectl get ingress shows an ADDRESS",
        "no ADDRESS yet", "ingressClassName: traefik, and let a second pass for Traefik to "
        "write the status")
    route = match_route(lab, host, path)
    add(route is not None and route.service == f"{namespace}/{service}",
        f"Traefik routes {host}{path} to {service}",
        f"it goes to {route.backend}" if route else "no router matches (404 page not found)",
        "check the path and pathType of your rule (Prefix / matches everything)")
    return _check(f"Exercise 8: {host} through Traefik", reqs, _first_hint(reqs, hints))
