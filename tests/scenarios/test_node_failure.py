"""A worker loses power (chapter 02's "kill a node"), kubernetes.md §6.

The node goes NotReady about 50 s after its last heartbeat (node-monitor-grace-period, 1.32+),
gets the unreachable taints, its pods are marked not Ready and, 300 s after the NoExecute taint
(DefaultTolerationSeconds), deleted — they stay Terminating on the dead node while the
ReplicaSet's replacements run elsewhere. Powered on again, the node turns Ready, its taints
go and the stale pods disappear.
"""

from __future__ import annotations

from k8slab import Lab
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

POD = by_gvk("v1", "Pod")
NODE = by_gvk("v1", "Node")


def status_of(lab: Lab, node: str) -> str:
    for line in lab.kubectl("get nodes").stdout.splitlines()[1:]:
        cells = line.split()
        if cells[0] == node:
            return cells[1]
    raise AssertionError(node)


def web_pods(lab: Lab) -> list[dict]:
    return [p for p in lab.api.list(POD, "default")]


def test_kill_and_restore_a_worker(lab: Lab) -> None:
    assert lab.kubectl("create deployment web --image=nginx:1.10 --replicas=6").exit_code == 0
    lab.sleep(30)
    victims = [p["metadata"]["name"] for p in web_pods(lab)
               if p["spec"]["nodeName"] == "t.cs.2"]
    assert victims
    lab.cluster.fail_node("t.cs.2")
    lab.sleep(35)
    assert status_of(lab, "t.cs.2") == "Ready"      # still within the grace period
    lab.cluster.loop.run_while(lambda: status_of(lab, "t.cs.2") != "NotReady",
                               limit=40 * SECOND)
    assert status_of(lab, "t.cs.2") == "NotReady"
    lab.sleep(10)
    taints = {(t["key"], t["effect"])
              for t in lab.api.get(NODE, "", "t.cs.2")["spec"].get("taints", [])}
    assert taints == {("node.kubernetes.io/unreachable", "NoSchedule"),
                      ("node.kubernetes.io/unreachable", "NoExecute")}
    describe = lab.kubectl("describe node t.cs.2").stdout
    assert "NodeStatusUnknown   Kubelet stopped posting node status." in describe
    assert "Node t.cs.2 status is now: NodeNotReady" in describe
    lab.sleep(250)
    assert all(not p["metadata"].get("deletionTimestamp") for p in web_pods(lab))
    lab.sleep(60)
    pods = {p["metadata"]["name"]: p for p in web_pods(lab)}
    for name in victims:
        assert pods[name]["metadata"]["deletionTimestamp"]         # Terminating
    table = lab.kubectl("get pods").stdout
    assert all(f"{name}   1/1     Terminating" in table for name in victims)
    replacements = [p for n, p in pods.items() if n not in victims]
    assert len(replacements) == 6
    lab.sleep(30)
    assert all(p["spec"]["nodeName"] != "t.cs.2" and p["status"]["phase"] == "Running"
               for p in web_pods(lab) if p["metadata"]["name"] not in victims)
    lab.cluster.restore_node("t.cs.2")
    lab.sleep(40)
    assert status_of(lab, "t.cs.2") == "Ready"
    assert "taints" not in lab.api.get(NODE, "", "t.cs.2")["spec"]
    assert {p["metadata"]["name"] for p in web_pods(lab)}.isdisjoint(victims)
