"""The Node object a kubelet registers and keeps current (``pkg/kubelet/kubelet_node_status.go``,
``pkg/kubelet/nodestatus/setters.go``, ``pkg/kubelet/cm/node_container_manager_linux.go``).

- **Labels** (``initialNode``): ``kubernetes.io/hostname``, ``kubernetes.io/os=linux``,
  ``kubernetes.io/arch=amd64`` and their deprecated ``beta.kubernetes.io/*`` twins; kubeadm adds
  ``node-role.kubernetes.io/control-plane`` and
  ``node.kubernetes.io/exclude-from-external-load-balancers`` on the control plane, and the
  ``kubeadm.alpha.kubernetes.io/cri-socket`` annotation.
- **Capacity/allocatable**: capacity is what the machine reports (MemTotal in Ki — a little less
  than the RAM —, the root filesystem's size in Ki, ``pods`` = ``maxPods`` 110, hugepages 0);
  allocatable subtracts the hard eviction thresholds, ``memory.available<100Mi`` and
  ``nodefs.available<10%`` (no kube/system reservations by default). 10 % of a byte count is
  rarely a multiple of 1024, which is why allocatable ephemeral storage prints as a plain
  integer.
- **Conditions**: ``MemoryPressure``/``DiskPressure``/``PIDPressure`` False with
  ``KubeletHasSufficientMemory``… and ``Ready`` True ``KubeletReady`` "kubelet is posting ready
  status", or False ``KubeletNotReady`` with the runtime's network error while the CNI is not
  initialised. ``lastHeartbeatTime`` moves on every post, ``lastTransitionTime`` on flips.
- **nodeInfo**: versions from :class:`~k8slab.config.ClusterConfig`; machine, system and boot
  IDs from the node's seeded stream (a new boot ID after every reboot).
"""

from __future__ import annotations

from typing import Any

from ..sim.timefmt import rfc3339

__all__ = ["NETWORK_NOT_READY", "capacity", "conditions", "node_labels", "node_object"]

Obj = dict[str, Any]

NETWORK_NOT_READY = (
    "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady "
    "message:Network plugin returns error: cni plugin not initialized"
)

_PRESSURE = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available",
     "NodeHasSufficientMemory"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
     "NodeHasNoDiskPressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available",
     "NodeHasSufficientPID"),
)


def node_labels(node: Any) -> dict[str, str]:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": node.name,
        "kubernetes.io/os": "linux",
    }
    if node.role == "control-plane":
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    labels.update(node.labels)
    return dict(sorted(labels.items()))


def memory_total_ki(memory_mib: int) -> int:
    """MemTotal: the RAM less what the firmware and kernel keep (about 1.6 % + 60 MiB)."""
    ki = memory_mib * 1024
    return ki - ki * 16 // 1000 - 60 * 1024


def disk_total_ki(gib: int) -> int:
    """The ext4 root filesystem's size: about 96.7 % of the disk."""
    return gib * 1024 * 1024 * 967 // 1000


def capacity(node: Any) -> tuple[dict[str, str], dict[str, str]]:
    mem_ki = memory_total_ki(node.memory_mib)
    disk_ki = disk_total_ki(node.ephemeral_storage_gib)
    cap = {
        "cpu": str(node.cpu),
        "ephemeral-storage": f"{disk_ki}Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": f"{mem_ki}Ki",
        "pods": str(node.max_pods),
    }
    disk_bytes = disk_ki * 1024
    alloc_disk = disk_bytes - int(disk_bytes * 0.1)
    alloc = {
        "cpu": str(node.cpu),
        "ephemeral-storage": f"{alloc_disk // 1024}Ki" if alloc_disk % 1024 == 0
        else str(alloc_disk),
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": f"{mem_ki - 100 * 1024}Ki",
        "pods": str(node.max_pods),
    }
    return cap, alloc


def conditions(ready: bool, ready_message: str, now: int, previous: list[Obj] | None
               ) -> tuple[list[Obj], list[str]]:
    """The four conditions, keeping transition times; also the node events the flips raise."""
    old = {c.get("type"): c for c in previous or []}
    stamp = rfc3339(now)
    out: list[Obj] = []
    events: list[str] = []
    for ctype, reason, message, event in _PRESSURE:
        prev = old.get(ctype)
        ltt = prev["lastTransitionTime"] if prev and prev.get("status") == "False" else stamp
        if prev is None or prev.get("status") != "False":
            events.append(event)
        out.append({"lastHeartbeatTime": stamp, "lastTransitionTime": ltt, "message": message,
                     "reason": reason, "status": "False", "type": ctype})
    status = "True" if ready else "False"
    prev = old.get("Ready")
    ltt = prev["lastTransitionTime"] if prev and prev.get("status") == status else stamp
    if ready:
        cond = {"lastHeartbeatTime": stamp, "lastTransitionTime": ltt,
                "message": "kubelet is posting ready status", "reason": "KubeletReady",
                "status": "True", "type": "Ready"}
        if prev is None or prev.get("status") != "True":
            events.append("NodeReady")
    else:
        cond = {"lastHeartbeatTime": stamp, "lastTransitionTime": ltt,
                "message": ready_message, "reason": "KubeletNotReady", "status": "False",
                "type": "Ready"}
        if prev is not None and prev.get("status") == "True":
            events.append("NodeNotReady")
    out.append(cond)
    return out, events


def node_object(node: Any, config: Any, ids: dict[str, str]) -> Obj:
    """The Node a kubelet POSTs when it registers (before its first status update)."""
    annotations = {
        "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///var/run/containerd/containerd.sock",
        "node.alpha.kubernetes.io/ttl": "0",
        "volumes.kubernetes.io/controller-managed-attach-detach": "true",
    }
    spec: Obj = {}
    if node.taints:
        spec["taints"] = [
            {k: v for k, v in (("effect", t.effect), ("key", t.key), ("value", t.value)) if v}
            for t in node.taints
        ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"annotations": annotations, "labels": node_labels(node),
                     "name": node.name},
        "spec": spec,
        "status": {},
    }


def node_info(config: Any, ids: dict[str, str]) -> Obj:
    return {
        "architecture": "amd64",
        "bootID": ids["boot"],
        "containerRuntimeVersion": config.container_runtime,
        "kernelVersion": config.kernel_version,
        "kubeletVersion": config.kubernetes_version,
        "machineID": ids["machine"],
        "operatingSystem": "linux",
        "osImage": config.os_image,
        "systemUUID": ids["system"],
    }


RUNTIME_HANDLERS = [
    {"features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}, "name": ""},
    {"features": {"recursiveReadOnlyMounts": True, "userNamespaces": True}, "name": "runc"},
]
