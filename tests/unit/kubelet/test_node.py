"""The kubelet's Node, Lease and node status (pkg/kubelet/kubelet_node_status.go,
nodestatus/setters.go; kubernetes.md §6, §5.2)."""

from __future__ import annotations

from kubelet_helpers import EVENT, NODE, ensure_pod_cidrs

from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import parse_rfc3339

LEASE = by_gvk("coordination.k8s.io/v1", "Lease")


def test_registration_labels_taints_addresses(kcluster: Cluster) -> None:
    cp = kcluster.api.get(NODE, "", "t.cs.1")
    worker = kcluster.api.get(NODE, "", "t.cs.2")
    assert cp["metadata"]["labels"] == {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": "t.cs.1",
        "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "",
        "node.kubernetes.io/exclude-from-external-load-balancers": ""}
    assert "node-role.kubernetes.io/control-plane" not in worker["metadata"]["labels"]
    assert {"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"} in \
        cp["spec"]["taints"]
    assert worker["status"]["addresses"] == [{"address": "172.16.0.2", "type": "InternalIP"},
                                             {"address": "t.cs.2", "type": "Hostname"}]
    assert worker["status"]["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 10250}}


def test_allocatable_subtracts_hard_eviction_thresholds(kcluster: Cluster) -> None:
    # kubernetes.md §5.2: allocatable = capacity - memory.available<100Mi, nodefs 10 %.
    st = kcluster.api.get(NODE, "", "t.cs.2")["status"]
    cap, alloc = st["capacity"], st["allocatable"]
    mem = int(cap["memory"].removesuffix("Ki"))
    assert int(alloc["memory"].removesuffix("Ki")) == mem - 100 * 1024
    assert mem < 8 * 1024 * 1024  # MemTotal is below the RAM size
    disk = int(cap["ephemeral-storage"].removesuffix("Ki")) * 1024
    assert int(alloc["ephemeral-storage"]) == disk - int(disk * 0.1)
    assert cap["pods"] == alloc["pods"] == "110"
    assert cap["cpu"] == alloc["cpu"] == "4"


def test_ready_condition_wording_and_node_info(kcluster: Cluster) -> None:
    st = kcluster.api.get(NODE, "", "t.cs.3")["status"]
    conds = {c["type"]: c for c in st["conditions"]}
    assert [c["type"] for c in st["conditions"]] == ["MemoryPressure", "DiskPressure",
                                                     "PIDPressure", "Ready"]
    assert conds["Ready"]["reason"] == "KubeletReady"
    assert conds["Ready"]["message"] == "kubelet is posting ready status"
    assert conds["MemoryPressure"]["reason"] == "KubeletHasSufficientMemory"
    info = st["nodeInfo"]
    assert info["kubeletVersion"] == "v1.37.0"
    assert info["containerRuntimeVersion"] == "containerd://2.1.4"
    assert len(info["machineID"]) == 32 and len(info["bootID"]) == 36


def test_not_ready_until_pod_cidr_then_node_ready_event() -> None:
    c = Cluster(seed=1)
    c.boot()
    ready = {x["type"]: x for x in c.api.get(NODE, "", "t.cs.2")["status"]["conditions"]}
    if ready["Ready"]["status"] == "False":
        assert ready["Ready"]["reason"] == "KubeletNotReady"
        assert ready["Ready"]["message"].startswith(
            "container runtime network not ready: NetworkReady=false "
            "reason:NetworkPluginNotReady")
    ensure_pod_cidrs(c)
    ready = {x["type"]: x for x in c.api.get(NODE, "", "t.cs.2")["status"]["conditions"]}
    assert ready["Ready"]["status"] == "True"
    reasons = [e["reason"] for e in c.api.list(EVENT, "default")
               if e["involvedObject"]["name"] == "t.cs.2"]
    assert reasons[:3] == ["Starting", "InvalidDiskCapacity", "NodeHasSufficientMemory"]
    assert "NodeReady" in reasons


def test_lease_renewed_every_ten_seconds(kcluster: Cluster) -> None:
    lease = kcluster.api.get(LEASE, "kube-node-lease", "t.cs.2")
    assert lease["spec"]["holderIdentity"] == "t.cs.2"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    first = parse_rfc3339(lease["spec"]["renewTime"])
    kcluster.loop.advance(10 * SECOND)
    second = parse_rfc3339(kcluster.api.get(LEASE, "kube-node-lease", "t.cs.2")["spec"]
                           ["renewTime"])
    assert second - first == 10 * SECOND


def test_unchanged_status_posted_every_five_minutes(kcluster: Cluster) -> None:
    def heartbeat() -> int:
        st = kcluster.api.get(NODE, "", "t.cs.4")["status"]
        return parse_rfc3339(st["conditions"][-1]["lastHeartbeatTime"])

    first = heartbeat()
    kcluster.loop.advance(60 * SECOND)
    assert heartbeat() == first
    kcluster.loop.advance(300 * SECOND)
    assert heartbeat() > first


def test_power_off_stops_heartbeats_and_reboot_changes_boot_id(kcluster: Cluster) -> None:
    kubelet = kcluster.kubelets["t.cs.4"]
    boot = kcluster.api.get(NODE, "", "t.cs.4")["status"]["nodeInfo"]["bootID"]
    kubelet.stop()
    assert not kubelet.running
    renew = kcluster.api.get(LEASE, "kube-node-lease", "t.cs.4")["spec"]["renewTime"]
    kcluster.loop.advance(60 * SECOND)
    assert kcluster.api.get(LEASE, "kube-node-lease", "t.cs.4")["spec"]["renewTime"] == renew
    kubelet.start()
    node = kcluster.api.get(NODE, "", "t.cs.4")
    assert node["status"]["nodeInfo"]["bootID"] != boot
    rebooted = [e for e in kcluster.api.list(EVENT, "default") if e["reason"] == "Rebooted"]
    assert rebooted and rebooted[0]["message"] == (
        f"Node t.cs.4 has been rebooted, boot id: {node['status']['nodeInfo']['bootID']}")


def test_control_plane_mirror_pods(kcluster: Cluster) -> None:
    # kubeadm's static pods (cmd/kubeadm/app/phases/controlplane/manifests.go, etcd/local.go).
    from kubelet_helpers import POD

    node = kcluster.api.get(NODE, "", "t.cs.1")
    for component in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        pod = kcluster.api.get(POD, "kube-system", f"{component}-t.cs.1")
        meta = pod["metadata"]
        assert meta["labels"] == {"component": component, "tier": "control-plane"}
        ann = meta["annotations"]
        assert ann["kubernetes.io/config.source"] == "file"
        assert ann["kubernetes.io/config.hash"] == ann["kubernetes.io/config.mirror"]
        assert meta["ownerReferences"] == [{"apiVersion": "v1", "controller": True,
                                            "kind": "Node", "name": "t.cs.1",
                                            "uid": node["metadata"]["uid"]}]
        spec = pod["spec"]
        assert spec["priorityClassName"] == "system-node-critical"
        assert spec["priority"] == 2000001000 and spec["hostNetwork"] is True
        st = pod["status"]
        assert st["phase"] == "Running" and st["podIP"] == "172.16.0.1"
        assert all(cs["ready"] for cs in st["containerStatuses"])
    api = kcluster.api.get(POD, "kube-system", "kube-apiserver-t.cs.1")
    assert api["metadata"]["annotations"][
        "kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint"] == "172.16.0.1:6443"
