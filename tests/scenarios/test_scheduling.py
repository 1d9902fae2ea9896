"""Scheduling as the learner sees it (kubernetes.md §5).

- §5.1–5.3: the talk's 10-replica Deployment lands on the three workers, none on the tainted
  control plane, spread evenly (PodTopologySpread system defaults, LeastAllocated);
- §5.4: a pod that fits nowhere stays Pending with PodScheduled=False/Unschedulable and a
  Warning FailedScheduling whose message is FitError's, with the preemption tail (the taint
  reason is the 1.35+ wording, kubernetes#134740);
- ``Scheduled`` events come from default-scheduler through the events API
  (``reportingInstance: default-scheduler-t.cs.1``).
"""

from __future__ import annotations

from k8slab import Lab
from k8slab.api.kinds import by_gvk

POD = by_gvk("v1", "Pod")
EVENT = by_gvk("v1", "Event")

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-web-deployment
spec:
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 1
      maxUnavailable: 1
  selector:
    matchLabels:
      app: test-web-deployment
  replicas: 10
  template:
    metadata:
      labels:
        app: test-web-deployment
    spec:
      containers:
        - name: test-web
          image: nginx:1.10
          ports:
            - containerPort: 80
"""

HUNGRY = """apiVersion: v1
kind: Pod
metadata:
  name: hungry
spec:
  containers:
  - name: c
    image: nginx:1.10
    resources:
      requests:
        cpu: "6"
"""


def test_talk_deployment_spreads_over_the_workers(lab: Lab) -> None:
    assert lab.apply(DEPLOYMENT).exit_code == 0
    lab.sleep(30)
    counts: dict[str, int] = {}
    for pod in lab.api.list(POD, "default"):
        node = pod["spec"]["nodeName"]
        counts[node] = counts.get(node, 0) + 1
    assert "t.cs.1" not in counts
    assert sorted(counts) == ["t.cs.2", "t.cs.3", "t.cs.4"]
    assert max(counts.values()) - min(counts.values()) <= 1
    table = lab.kubectl("get pods -o wide").stdout.splitlines()
    assert len(table) == 11 and all("Running" in row for row in table[1:])


def test_scheduled_events_name_the_scheduler_instance(lab: Lab) -> None:
    lab.kubectl("run solo --image=nginx:1.10")
    lab.sleep(5)
    (event,) = [e for e in lab.api.list(EVENT, "default")
                if e["involvedObject"]["name"] == "solo" and e["reason"] == "Scheduled"]
    node = lab.api.get(POD, "default", "solo")["spec"]["nodeName"]
    assert event["message"] == f"Successfully assigned default/solo to {node}"
    assert event["reportingComponent"] == "default-scheduler"
    assert event["reportingInstance"] == "default-scheduler-t.cs.1"


def test_pod_that_fits_nowhere_stays_pending(lab: Lab) -> None:
    assert lab.apply(HUNGRY).exit_code == 0
    lab.sleep(5)
    expected = ("0/4 nodes are available: 1 node(s) had untolerated taint(s), 3 Insufficient "
                "cpu. preemption: 0/4 nodes are available: 4 Preemption is not helpful for "
                "scheduling.")
    pod = lab.api.get(POD, "default", "hungry")
    assert pod["status"]["phase"] == "Pending"
    (cond,) = [c for c in pod["status"]["conditions"] if c["type"] == "PodScheduled"]
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable",
                                                                  expected)
    events = [e for e in lab.api.list(EVENT, "default")
              if e["involvedObject"]["name"] == "hungry" and e["reason"] == "FailedScheduling"]
    assert [(e["type"], e["message"]) for e in events] == [("Warning", expected)]
    row = lab.kubectl("get pod hungry").stdout.splitlines()[1].split()
    assert row[1:3] == ["0/1", "Pending"]
    assert expected in lab.kubectl("describe pod hungry").stdout


def test_pending_pod_is_scheduled_when_a_big_enough_machine_joins(lab: Lab) -> None:
    assert lab.apply(HUNGRY).exit_code == 0
    lab.sleep(5)
    assert lab.sh("tcs create -i t.cs.11 --cpus 8").exit_code == 0
    lab.sleep(30)
    assert lab.api.get(POD, "default", "hungry")["spec"].get("nodeName") == "t.cs.11"
