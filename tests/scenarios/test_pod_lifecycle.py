"""A pod's life on a node as kubectl sees it: ContainerCreating without an IP, Running and
Ready, Terminating, gone (kubernetes.md §4.5, §9.5; pkg/kubelet/status/generate.go)."""

from __future__ import annotations

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import MILLISECOND, SECOND

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")


def _cluster() -> Cluster:
    c = Cluster(seed=0)
    c.boot()
    for i, node in enumerate(c.api.list(NODE)):
        if not node["spec"].get("podCIDR"):
            cidr = f"10.244.{i}.0/24"
            c.api.update({**node, "spec": {**node["spec"], "podCIDR": cidr}}, source="test",
                         trusted=True)
    c.loop.advance(15 * SECOND)
    return c


def test_creating_then_running_then_deleted() -> None:
    c = _cluster()
    c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "web"},
                  "spec": {"nodeName": "t.cs.2", "containers": [
                      {"name": "nginx", "image": "nginx:1.10"}]}}, source="kubectl")
    c.loop.advance(50 * MILLISECOND)
    st = c.api.get(POD, "default", "web")["status"]
    assert st["phase"] == "Pending"
    assert "podIP" not in st
    cs = st["containerStatuses"][0]
    assert cs["state"] == {"waiting": {"reason": "ContainerCreating"}}
    assert cs["image"] == "nginx:1.10" and cs["imageID"] == ""
    assert "containerID" not in cs
    conds = {x["type"]: x for x in st["conditions"]}
    assert conds["PodReadyToStartContainers"]["status"] == "False"
    assert conds["Initialized"]["status"] == "True"
    assert conds["ContainersReady"]["message"] == "containers with unready status: [nginx]"
    c.loop.advance(20 * SECOND)
    st = c.api.get(POD, "default", "web")["status"]
    assert st["phase"] == "Running"
    writes = [r for r in c.trace.select(action="update-status", kind="Pod", name="web")]
    assert len(writes) <= 3  # the status manager writes few times per pod
    c.api.delete(POD, "default", "web", source="kubectl")
    c.loop.advance(10 * MILLISECOND)
    assert c.api.try_get(POD, "default", "web") is not None  # Terminating
    c.loop.advance(2 * SECOND)
    assert c.api.try_get(POD, "default", "web") is None
    final = c.trace.select(action="update-status", kind="Pod", name="web")[-1]
    assert final.time > writes[-1].time


def test_restart_never_pod_ends_succeeded_or_failed() -> None:
    c = _cluster()
    for name, script in (("ok", "echo done"), ("bad", "exit 3")):
        c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
                      "spec": {"nodeName": "t.cs.3", "restartPolicy": "Never", "containers": [
                          {"name": "job", "image": "busybox",
                           "command": ["sh", "-c", script]}]}}, source="kubectl")
    c.loop.advance(20 * SECOND)
    ok = c.api.get(POD, "default", "ok")["status"]
    bad = c.api.get(POD, "default", "bad")["status"]
    assert ok["containerStatuses"][0]["state"]["terminated"]["reason"] == "Completed"
    assert ok["phase"] == "Succeeded"
    conds = {x["type"]: x for x in ok["conditions"]}
    assert conds["Ready"]["reason"] == "PodCompleted"
    assert conds["PodReadyToStartContainers"]["status"] == "False"
    term = bad["containerStatuses"][0]["state"]["terminated"]
    assert term["reason"] == "Error"
    assert bad["phase"] == "Failed"
    assert [line for _, line in c.kubelets["t.cs.3"].logs("default", "ok")] == ["done"]


_SCRIPT = """
from k8slab.cluster import Cluster
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND
c = Cluster(seed=7)
c.boot()
for i, n in enumerate(c.api.list(by_gvk("v1", "Node"))):
    if not n["spec"].get("podCIDR"):
        c.api.update({**n, "spec": {**n["spec"], "podCIDR": f"10.244.{i}.0/24"}},
                     source="t", trusted=True)
c.loop.advance(15 * SECOND)
c.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "w"},
              "spec": {"nodeName": "t.cs.2", "containers": [
                  {"name": "n", "image": "busybox", "command": ["sh", "-c", "exit 1"]}]}},
             source="k")
c.loop.advance(90 * SECOND)
p = c.api.get(by_gvk("v1", "Pod"), "default", "w")
print(p["status"]["containerStatuses"][0])
print([(e["reason"], e["message"], e["count"]) for e in c.api.list(by_gvk("v1", "Event"),
                                                                    "default")])
"""


def test_same_seed_same_history_in_any_process() -> None:
    # docs/architecture.md "Randomness": byte-identical output whatever PYTHONHASHSEED is.
    import os
    import subprocess
    import sys

    outs = []
    for hashseed in ("1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": hashseed}
        outs.append(subprocess.run([sys.executable, "-c", _SCRIPT], env=env, check=True,
                                   capture_output=True, text=True).stdout)
    assert outs[0] == outs[1]
    assert "CrashLoopBackOff" in outs[0] or "terminated" in outs[0]
