"""A stand-in lab for the notebook machinery's tests (used through ``conftest.py``).

Charts, checks and widgets only read ``lab.api`` (``try_get``/``list``/``iter_kind``),
``lab.trace`` and the clock, and act through ``lab.sh``/``lab.sleep``/``lab.cluster.fail_node``.
``FakeLab`` provides exactly that with a dict store that appends the same trace digests the
apiserver keeps (Pod: phase, ready, node, owner, restarts, deleting), so these tests do not
depend on controllers or kubectl being complete. Objects are written the way the components
would leave them; the expected values in the tests come from the scenario, not from the code
under test.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from k8slab.api.kinds import Kind, by_gvk
from k8slab.api.selectors import Selector
from k8slab.sim.clock import SECOND
from k8slab.sim.trace import Trace

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")
NAMESPACE = by_gvk("v1", "Namespace")
DEPLOYMENT = by_gvk("apps/v1", "Deployment")
START = 1_780_300_800 * SECOND  # 2026-06-01T08:00:00Z


@dataclass(frozen=True)
class FakeResult:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0


class FakeLoop:
    def __init__(self) -> None:
        self.start = START
        self.now = START


class FakeAPI:
    def __init__(self, loop: FakeLoop, trace: Trace) -> None:
        self.loop = loop
        self.trace = trace
        self.data: dict[tuple[Kind, str, str], dict[str, Any]] = {}

    def try_get(self, kind: Kind, namespace: str, name: str) -> dict[str, Any] | None:
        return self.data.get((kind, namespace if kind.namespaced else "", name))

    def list(self, kind: Kind, namespace: str | None = None,
             selector: Selector | None = None) -> list[dict[str, Any]]:
        out = []
        for (k, ns, _), obj in sorted(self.data.items(), key=lambda kv: kv[0][1:]):
            if k is not kind or (namespace is not None and kind.namespaced and ns != namespace):
                continue
            if selector is not None and not selector.matches(obj["metadata"].get("labels")):
                continue
            out.append(obj)
        return out

    def iter_kind(self, kind: Kind, namespace: str | None = None) -> list[dict[str, Any]]:
        return self.list(kind, namespace)

    def put(self, obj: dict[str, Any], source: str, action: str) -> None:
        kind = by_gvk(obj["apiVersion"], obj["kind"])
        assert kind is not None
        meta = obj["metadata"]
        ns = meta.get("namespace", "") if kind.namespaced else ""
        key = (kind, ns, meta["name"])
        if action == "remove":
            del self.data[key]
        else:
            self.data[key] = obj
        self.trace.append(self.loop.now, source, action, kind.kind, ns, meta["name"],
                          digest(obj))


def digest(obj: dict[str, Any]) -> dict[str, Any]:
    if obj["kind"] == "Pod":
        status = obj.get("status") or {}
        refs = obj["metadata"].get("ownerReferences") or []
        return {
            "phase": status.get("phase", "Pending"),
            "ready": any(c["type"] == "Ready" and c["status"] == "True"
                         for c in status.get("conditions") or []),
            "node": obj["spec"].get("nodeName", ""),
            "owner": f"{refs[0]['kind']}/{refs[0]['name']}" if refs else "",
            "restarts": 0,
            "deleting": bool(obj["metadata"].get("deletionTimestamp")),
        }
    if obj["kind"] == "Node":
        return {"ready": any(c["type"] == "Ready" and c["status"] == "True"
                             for c in (obj.get("status") or {}).get("conditions") or [])}
    return {}


def node(name: str, ready: str = "True", control_plane: bool = False) -> dict[str, Any]:
    labels = {"kubernetes.io/hostname": name}
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
    return {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels},
            "spec": {}, "status": {"conditions": [{"type": "Ready", "status": ready}]}}


def pod(name: str, *, node_name: str = "", phase: str = "Pending", ready: bool = False,
        image: str = "nginx:1.10", owner: str = "", waiting: str = "",
        deleting: bool = False, labels: dict[str, str] | None = None,
        namespace: str = "default") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": namespace,
                            "labels": labels or {"app": "test-web-deployment"}}
    if owner:
        meta["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                    "name": owner, "uid": "u", "controller": True}]
    if deleting:
        meta["deletionTimestamp"] = "2026-06-01T08:10:00Z"
    state: dict[str, Any] = ({"waiting": {"reason": waiting}} if waiting else
                             {"running": {"startedAt": "2026-06-01T08:00:05Z"}}
                             if phase == "Running" else {})
    statuses = [{"name": "nginx", "image": image, "ready": ready, "restartCount": 0,
                 "state": state}] if node_name else []
    return {
        "apiVersion": "v1", "kind": "Pod", "metadata": meta,
        "spec": {"containers": [{"name": "nginx", "image": image}],
                 **({"nodeName": node_name} if node_name else {})},
        "status": {"phase": phase,
                   "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
                   "containerStatuses": statuses},
    }


def deployment(name: str = "test-web-deployment", *, replicas: int = 1,
               image: str = "nginx:1.10", ready: int = 0, updated: int = 0,
               available: int = 0, generation: int = 1,
               observed: int = 1) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default", "generation": generation},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                 "template": {"metadata": {"labels": {"app": name}},
                              "spec": {"containers": [{"name": "nginx", "image": image}]}}},
        "status": {"observedGeneration": observed, "replicas": replicas,
                   "readyReplicas": ready, "updatedReplicas": updated,
                   "availableReplicas": available},
    }


class FakeCluster:
    def __init__(self, lab: FakeLab) -> None:
        self.loop = lab.loop
        self.lab = lab
        self.failed: list[str] = []

    def fail_node(self, name: str) -> None:
        if self.lab.api.try_get(NODE, "", name) is None:
            raise KeyError(f"no node {name}")
        self.failed.append(name)
        self.lab.api.put(node(name, "Unknown"), "node-lifecycle-controller", "update-status")

    def restore_node(self, name: str) -> None:
        self.failed.remove(name)
        self.lab.api.put(node(name, "True"), f"kubelet/{name}", "update-status")


class FakeLab:
    """``trace``, ``api``, ``cluster.loop``, ``elapsed``, ``sh``/``kubectl``/``sleep``.

    ``sh`` understands the one command the widgets send (``kubectl scale deployment
    --replicas N NAME``) and records every command line it was given.
    """

    def __init__(self) -> None:
        self.loop = FakeLoop()
        self.trace = Trace()
        self.api = FakeAPI(self.loop, self.trace)
        self.cluster = FakeCluster(self)
        self.commands: list[str] = []

    @property
    def elapsed(self) -> float:
        return (self.loop.now - self.loop.start) / SECOND

    def sleep(self, seconds: float) -> FakeResult:
        self.loop.now += round(seconds * SECOND)
        return FakeResult()

    def kubectl(self, command: str) -> FakeResult:
        return self.sh("kubectl " + command)

    def sh(self, script: str) -> FakeResult:
        self.commands.append(script)
        argv = shlex.split(script)
        if argv[:3] == ["kubectl", "scale", "deployment"] and argv[3] == "--replicas":
            n, name = int(argv[4]), argv[5]
            dep = self.api.try_get(DEPLOYMENT, "default", name)
            if dep is None:
                return FakeResult(
                    "", f'Error from server (NotFound): deployments.apps "{name}" not found\n', 1)
            self.api.put({**dep, "spec": {**dep["spec"], "replicas": n}}, "kubectl", "update")
            return FakeResult(f"deployment.apps/{name} scaled\n")
        return FakeResult("", f"sh: {argv[0]}: not found\n", 127)

    def at(self, seconds: float) -> FakeLab:
        """Move the clock to ``seconds`` after the start (for building traces)."""
        self.loop.now = self.loop.start + round(seconds * SECOND)
        return self
