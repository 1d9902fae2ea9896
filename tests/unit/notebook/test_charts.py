"""Charts replay the trace: the state at every instant is what the writes left.

The buckets follow kubectl's STATUS column (``printPod`` in
``pkg/printers/internalversion/printers.go``): a deleting pod is Terminating, a bound Pending
pod ContainerCreating, an unbound one Pending.
"""

from __future__ import annotations

import json

from labfakes import FakeLab, pod

from k8slab.notebook import charts
from k8slab.sim.trace import Trace

S = 1_000_000_000


def _lifecycle(lab: FakeLab, name: str, *, t: float, node: str = "t.cs.2",
               owner: str = "test-web-deployment-5d8f") -> None:
    """create (Pending) at t, bind at t+0.002, Running at t+2."""
    api = lab.api
    lab.at(t)
    api.put(pod(name, owner=owner), "replicaset-controller", "create")
    lab.at(t + 0.002)
    api.put(pod(name, owner=owner, node_name=node, waiting="ContainerCreating"),
            "default-scheduler", "bind")
    lab.at(t + 2)
    api.put(pod(name, owner=owner, node_name=node, phase="Running", ready=True),
            f"kubelet/{node}", "update-status")


def test_pods_by_phase_replays_one_pod_through_its_life(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    _lifecycle(fake_lab, "web-1", t=10)
    fake_lab.at(20)
    fake_lab.api.put(pod("web-1", node_name="t.cs.2", phase="Running", ready=True,
                         deleting=True), "kubectl", "delete")
    fake_lab.at(50)
    fake_lab.api.put(pod("web-1", node_name="t.cs.2", phase="Running", deleting=True),
                     "kubelet/t.cs.2", "remove")
    fake_lab.at(60)
    fig = charts.pods_by_phase(fake_lab, since=mark)
    assert [t.name for t in fig.data] == ["Pending", "ContainerCreating", "Running",
                                          "Terminating"]
    by = {t.name: list(t.y) for t in fig.data}
    # x counts from the first write after the mark (t=10) to the lab's now (t=60).
    assert list(fig.data[0].x) == [0.0, 0.002, 2.0, 10.0, 40.0, 50.0]
    assert by["Pending"] == [1, 0, 0, 0, 0, 0]
    assert by["ContainerCreating"] == [0, 1, 0, 0, 0, 0]
    assert by["Running"] == [0, 0, 1, 0, 0, 0]
    assert by["Terminating"] == [0, 0, 0, 1, 0, 0]
    assert all(t.stackgroup == "pods" and t.line.shape == "hv" for t in fig.data)


def test_pods_by_phase_starts_from_the_state_at_the_mark(fake_lab: FakeLab) -> None:
    _lifecycle(fake_lab, "web-1", t=1)
    mark = len(fake_lab.trace)
    _lifecycle(fake_lab, "web-2", t=30)
    xs, series = charts.pods_by_phase_series(fake_lab, since=mark)
    assert xs[0] == 0.0
    assert series["Running"][0] == 1          # web-1, already running at the mark
    assert series["Running"][-1] == 2


def test_writes_at_the_same_instant_collapse_into_the_last_state(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    fake_lab.at(5)
    for i in range(3):
        fake_lab.api.put(pod(f"web-{i}"), "replicaset-controller", "create")
    xs, series = charts.pods_by_phase_series(fake_lab, since=mark)
    assert xs == [0.0]
    assert series["Pending"] == [3]


def test_only_api_writes_change_state_and_namespace_filters(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    fake_lab.at(1)
    fake_lab.api.put(pod("web-1"), "replicaset-controller", "create")
    fake_lab.api.put(pod("coredns-1", namespace="kube-system"), "replicaset-controller",
                     "create")
    fake_lab.at(2)
    # A component's note about a pod (an image pull) is not a write: no state in its detail.
    fake_lab.trace.append(fake_lab.loop.now, "kubelet/t.cs.2", "pull", "Pod", "default",
                          "web-1", {"image": "nginx:1.10"})
    fake_lab.at(3)
    _, default = charts.pods_by_phase_series(fake_lab, since=mark)
    _, everywhere = charts.pods_by_phase_series(fake_lab, since=mark, namespace=None)
    assert default["Pending"] == [1, 1]
    assert everywhere["Pending"] == [2, 2]


def test_finished_pods_get_their_own_bucket_only_when_present(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    fake_lab.at(1)
    fake_lab.api.put(pod("job-1", node_name="t.cs.2", phase="Succeeded"), "kubelet/t.cs.2",
                     "create")
    _, series = charts.pods_by_phase_series(fake_lab, since=mark)
    assert list(series) == ["Pending", "ContainerCreating", "Running", "Terminating",
                            "Completed"]
    _, empty = charts.pods_by_phase_series(FakeLab(), since=0)
    assert "Completed" not in empty


def test_pod_bucket_matches_kubectl_status_words() -> None:
    assert charts.pod_bucket({"phase": "Pending", "node": ""}) == "Pending"
    assert charts.pod_bucket({"phase": "Pending", "node": "t.cs.2"}) == "ContainerCreating"
    assert charts.pod_bucket({"phase": "Running", "node": "t.cs.2"}) == "Running"
    assert charts.pod_bucket({"phase": "Running", "deleting": True}) == "Terminating"
    assert charts.pod_bucket({"phase": "Running"}, "delete") == "Terminating"
    assert charts.pod_bucket({"phase": "Failed"}) == "Failed"
    # A deleted pod whose containers already exited shows its terminal status (printPod).
    assert charts.pod_bucket({"phase": "Succeeded", "deleting": True}) == "Completed"


def test_pods_per_node_lists_every_node_in_natural_order(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    _lifecycle(fake_lab, "web-1", t=1, node="t.cs.2")
    _lifecycle(fake_lab, "web-2", t=1.5, node="t.cs.10")
    fig = charts.pods_per_node(fake_lab, since=mark)
    assert [t.name for t in fig.data] == ["t.cs.1", "t.cs.2", "t.cs.3", "t.cs.10"]
    last = {t.name: t.y[-1] for t in fig.data}
    assert last == {"t.cs.1": 0, "t.cs.2": 1, "t.cs.3": 0, "t.cs.10": 1}
    # An unbound pod counts on no node.
    first_bind = list(fig.data[1].x).index(0.002)
    assert fig.data[1].y[first_bind - 1] == 0


def test_pods_per_node_drops_evicted_pods_and_marks_node_readiness(fake_lab: FakeLab) -> None:
    mark = len(fake_lab.trace)
    _lifecycle(fake_lab, "web-1", t=1, node="t.cs.3")
    fake_lab.at(60)
    fake_lab.cluster.fail_node("t.cs.3")
    fake_lab.at(360)
    fake_lab.api.put(pod("web-1", node_name="t.cs.3", phase="Running", deleting=True),
                     "node-lifecycle-controller", "delete")
    fake_lab.at(400)
    fig = charts.pods_per_node(fake_lab, since=mark)
    on3 = next(t for t in fig.data if t.name == "t.cs.3")
    assert on3.y[-1] == 0
    kept = charts.pods_per_node_series(fake_lab, since=mark, include_terminating=True)[1]
    assert kept["t.cs.3"][-1] == 1
    texts = [a.text for a in fig.layout.annotations]
    assert texts == ["t.cs.3 NotReady"]
    assert fig.layout.shapes[0].x0 == 59.0   # 60 s on the lab clock, 1 s after the mark


def _apply_chain(lab: FakeLab) -> int:
    """The writes one ``kubectl apply`` of a 1-replica Deployment causes, by hand."""
    mark = len(lab.trace)
    t = lab.trace.append
    base = lab.loop.now
    t(base, "kubectl", "create", "Deployment", "default", "web", {"replicas": 1})
    t(base + 2_000_000, "deployment-controller", "create", "ReplicaSet", "default",
      "web-5d8f", {"replicas": 1, "owner": "Deployment/web"})
    # Components report events on the object (the trace's "event" records); the Event
    # object written for it repeats the same thing and is not a step of its own.
    t(base + 2_000_000, "deployment-controller", "event", "Deployment", "default", "web",
      {"type": "Normal", "reason": "ScalingReplicaSet", "message": "Scaled up replica set"})
    t(base + 2_000_000, "deployment-controller", "create", "Event", "default",
      "web.18a1b2c3d4e5f601", {})
    t(base + 4_000_000, "replicaset-controller", "create", "Pod", "default", "web-5d8f-abcde",
      {"phase": "Pending", "node": "", "owner": "ReplicaSet/web-5d8f"})
    # An unrelated object in between must not join the journey.
    t(base + 5_000_000, "kubectl", "create", "Pod", "default", "other", {"phase": "Pending"})
    t(base + 6_000_000, "default-scheduler", "bind", "Pod", "default", "web-5d8f-abcde",
      {"phase": "Pending", "node": "t.cs.3", "owner": "ReplicaSet/web-5d8f"})
    # A component that posts its Event object directly, with no "event" record.
    t(base + 6_000_000, "default-scheduler", "create", "Event", "default",
      "web-5d8f-abcde.18a1b2c3d4e5f602", {})
    t(base + 1 * S, "kubelet", "event", "Pod", "default", "web-5d8f-abcde",
      {"type": "Normal", "reason": "Pulled", "message": "Successfully pulled image"})
    t(base + 1 * S, "kubelet/t.cs.3", "container-start", "Pod", "default", "web-5d8f-abcde",
      {"container": "nginx"})
    t(base + 2 * S, "kubelet/t.cs.3", "update-status", "Pod", "default", "web-5d8f-abcde",
      {"phase": "Running", "ready": True, "node": "t.cs.3", "owner": "ReplicaSet/web-5d8f"})
    t(base + 2 * S + 3_000_000, "replicaset-controller", "update-status", "ReplicaSet",
      "default", "web-5d8f", {"replicas": 1, "ready": 1})
    return mark


def test_control_plane_steps_follow_owners_from_the_first_kubectl_create(
        fake_lab: FakeLab) -> None:
    mark = _apply_chain(fake_lab)
    steps = charts.control_plane_steps(fake_lab, mark)
    assert [(s.component, s.action, s.name) for s in steps] == [
        ("kubectl", "create", "web"),
        ("deployment-controller", "create", "web-5d8f"),
        ("deployment-controller", "event", "web"),
        ("replicaset-controller", "create", "web-5d8f-abcde"),
        ("default-scheduler", "bind", "web-5d8f-abcde"),
        ("default-scheduler", "event", "web-5d8f-abcde"),
        # The kubelet's event names no node; the pod's binding does.
        ("kubelet/t.cs.3", "event", "web-5d8f-abcde"),
        ("kubelet/t.cs.3", "container-start", "web-5d8f-abcde"),
        ("kubelet/t.cs.3", "update-status", "web-5d8f-abcde"),
        ("replicaset-controller", "update-status", "web-5d8f"),
    ]
    assert [s.seconds for s in steps][:5] == [0.0, 0.002, 0.002, 0.004, 0.006]
    assert steps[4].describe() == "default-scheduler bound Pod default/web-5d8f-abcde to t.cs.3"
    assert steps[5].describe() == "default-scheduler reported an event about Pod " \
        "default/web-5d8f-abcde"
    assert steps[6].describe() == (
        "kubelet/t.cs.3 reported Pulled about Pod default/web-5d8f-abcde")
    assert [s.is_request for s in steps[6:9]] == [True, False, True]
    no_events = charts.control_plane_steps(fake_lab, mark, include_events=False)
    assert [s.action for s in no_events].count("event") == 0
    assert len(no_events) == len(steps) - 3
    assert len(charts.control_plane_steps(fake_lab, mark, limit=3)) == 3


def test_control_plane_steps_can_follow_a_child_or_go_by_names(fake_lab: FakeLab) -> None:
    mark = _apply_chain(fake_lab)
    pod_only = charts.control_plane_steps(fake_lab, mark, "pod/web-5d8f-abcde")
    assert {s.name for s in pod_only} == {"web-5d8f-abcde"}
    # Without owners in the digests, children are recognised by <owner>-<suffix> names.
    bare = Trace()
    bare.append(0, "kubectl", "create", "Deployment", "default", "web", {})
    bare.append(1, "deployment-controller", "create", "ReplicaSet", "default", "web-5d8f", {})
    bare.append(2, "replicaset-controller", "create", "Pod", "default", "web-5d8f-x1", {})
    bare.append(3, "replicaset-controller", "create", "Pod", "default", "webby-x1", {})
    assert [s.name for s in charts.control_plane_steps(bare, 0, "deploy/web")] == [
        "web", "web-5d8f", "web-5d8f-x1"]


def test_control_plane_timeline_has_one_lane_per_component(fake_lab: FakeLab) -> None:
    mark = _apply_chain(fake_lab)
    fig = charts.control_plane_timeline(fake_lab, mark, "deployment/web")
    names = [t.name for t in fig.data]
    assert names == ["request to the apiserver", "kube-apiserver", "kubectl",
                     "deployment-controller", "replicaset-controller", "default-scheduler",
                     "kubelet/t.cs.3"]
    # Top to bottom: kubectl, the apiserver, controllers, scheduler, kubelet.
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(names[2:3] + names[1:2]
                                                                 + names[3:]))
    connectors = fig.data[0]
    assert list(connectors.y[:3]) == ["kubectl", "kube-apiserver", None]
    # Every write and reported event lands in the apiserver; starting a container does not.
    assert len(fig.data[1].x) == 9
    assert len(connectors.x) == 9 * 3
    sched = fig.data[5]
    assert list(sched.marker.symbol) == ["circle", "diamond"]
    assert sched.text[0].startswith("+0.006 s  default-scheduler bound Pod default/")
    assert "node=t.cs.3" in sched.text[0]
    kubelet = fig.data[6]
    assert list(kubelet.marker.symbol) == ["diamond", "circle-open", "circle"]
    assert fig.layout.title.text == "deployment/web through the control plane"


def test_charts_are_pure_and_carry_no_random_ids(fake_lab: FakeLab) -> None:
    mark = _apply_chain(fake_lab)
    for build in (lambda: charts.control_plane_timeline(fake_lab, mark),
                  lambda: charts.pods_by_phase(fake_lab, mark),
                  lambda: charts.pods_per_node(fake_lab, mark)):
        first, second = build().to_json(), build().to_json()
        assert first == second
        assert '"uid"' not in first
        json.loads(first)


def test_follow_candidates_in_creation_order(fake_lab: FakeLab) -> None:
    mark = _apply_chain(fake_lab)
    assert charts.follow_candidates(fake_lab, mark) == [
        "deployment/web", "replicaset/web-5d8f", "pod/web-5d8f-abcde", "pod/other"]


def test_node_sort_key_orders_numbers_numerically() -> None:
    assert sorted(["t.cs.11", "t.cs.2", "t.cs.1"], key=charts.node_sort_key) == [
        "t.cs.1", "t.cs.2", "t.cs.11"]
