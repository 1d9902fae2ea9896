"""``kubectl get`` tables for the talk's objects: server cells + kubectl layout, byte for byte.

References: kubernetes.md §9.1 (columns and the two samples), §4.5 (pod STATUS/RESTARTS), §6
(node STATUS), §7 (svc cells), §3.5 (HPA TARGETS), §0.1 (tabwriter, ``-A``), §0.2 (AGE), and
kubectl get.go (kind prefixes and one blank line between resource types for ``get all``).
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import lookup
from k8slab.api.printers import table
from k8slab.cli.kubectl.printers.table import render
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import parse_rfc3339, rfc3339

T0 = parse_rfc3339("2026-06-01T08:00:00Z")
Obj = dict[str, Any]


def at(seconds: int) -> str:
    return rfc3339(T0 + seconds * SECOND)


def get(groups: list[tuple[str, list[Obj]]], now_s: int, **kw: Any) -> str:
    tables = []
    for name, objs in groups:
        k = lookup(name)
        assert k is not None
        tables.append((k, table(k, objs, T0 + now_s * SECOND), objs))
    return render(tables, **kw)


def node(name: str, ip: str, role: str | None, ready: str = "True") -> Obj:
    labels = {"kubernetes.io/hostname": name}
    if role:
        labels[f"node-role.kubernetes.io/{role}"] = ""
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": name, "creationTimestamp": at(0), "labels": labels},
            "spec": {},
            "status": {"conditions": [{"type": "Ready", "status": ready}],
                       "addresses": [{"type": "InternalIP", "address": ip}],
                       "nodeInfo": {"kubeletVersion": "v1.37.0",
                                    "osImage": "Ubuntu 24.04.3 LTS",
                                    "kernelVersion": "6.8.0-87-generic",
                                    "containerRuntimeVersion": "containerd://2.1.4"}}}


NODES = [node("t.cs.1", "172.16.0.1", "control-plane"), node("t.cs.2", "172.16.0.2", None),
         node("t.cs.11", "172.16.0.11", None, "Unknown")]


def test_get_nodes_and_wide() -> None:
    assert get([("nodes", NODES)], 120) == """\
NAME      STATUS     ROLES           AGE   VERSION
t.cs.1    Ready      control-plane   2m    v1.37.0
t.cs.2    Ready      <none>          2m    v1.37.0
t.cs.11   NotReady   <none>          2m    v1.37.0
"""
    assert get([("nodes", NODES[:1])], 120, wide=True) == (
        "NAME     STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   "
        "OS-IMAGE             KERNEL-VERSION     CONTAINER-RUNTIME\n"
        "t.cs.1   Ready    control-plane   2m    v1.37.0   172.16.0.1    <none>        "
        "Ubuntu 24.04.3 LTS   6.8.0-87-generic   containerd://2.1.4\n")


def deployment() -> Obj:
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "nginx-deployment", "namespace": "default",
                         "creationTimestamp": at(0), "labels": {"app": "nginx"}},
            "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                     "template": {"spec": {"containers": [{"name": "nginx",
                                                           "image": "nginx:1.14.2"}]}}},
            "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                       "availableReplicas": 3}}


def pod(name: str, node_name: str, ip: str, restarts: int = 0) -> Obj:
    cs: Obj = {"name": "nginx", "ready": True, "restartCount": restarts,
               "state": {"running": {"startedAt": at(5)}}}
    if restarts:
        cs["lastState"] = {"terminated": {"exitCode": 137, "finishedAt": at(291)}}
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": "default", "creationTimestamp": at(0),
                         "labels": {"app": "nginx", "pod-template-hash": "75675f5897"}},
            "spec": {"nodeName": node_name, "containers": [{"name": "nginx"}]},
            "status": {"phase": "Running", "podIP": ip, "podIPs": [{"ip": ip}],
                       "containerStatuses": [cs]}}


PODS = [pod("nginx-deployment-75675f5897-k2q9m", "t.cs.2", "10.244.1.4", 2),
        pod("nginx-deployment-75675f5897-x7wlz", "t.cs.3", "10.244.2.3")]


def test_reference_samples() -> None:
    # kubernetes.md §9.1: the deployment sample at 18s and the pod sample at 5m3s.
    assert get([("deploy", [deployment()])], 18) == (
        "NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "nginx-deployment   3/3     3            3           18s\n")
    assert get([("pods", PODS[:1])], 303) == (
        "NAME                                READY   STATUS    RESTARTS      AGE\n"
        "nginx-deployment-75675f5897-k2q9m   1/1     Running   2 (12s ago)   5m3s\n")


def test_get_pods_wide_with_labels_and_all_namespaces() -> None:
    assert get([("pods", PODS)], 303, wide=True) == """\
NAME                                READY   STATUS    RESTARTS      AGE    IP           NODE     NOMINATED NODE   READINESS GATES
nginx-deployment-75675f5897-k2q9m   1/1     Running   2 (12s ago)   5m3s   10.244.1.4   t.cs.2   <none>           <none>
nginx-deployment-75675f5897-x7wlz   1/1     Running   0             5m3s   10.244.2.3   t.cs.3   <none>           <none>
"""  # noqa: E501
    assert get([("pods", PODS[1:])], 303, show_labels=True, namespace_column=True) == """\
NAMESPACE   NAME                                READY   STATUS    RESTARTS   AGE    LABELS
default     nginx-deployment-75675f5897-x7wlz   1/1     Running   0          5m3s   app=nginx,pod-template-hash=75675f5897
"""  # noqa: E501


def test_get_all_prefixes_kinds_and_separates_groups() -> None:
    svc = {"apiVersion": "v1", "kind": "Service",
           "metadata": {"name": "kubernetes", "namespace": "default", "creationTimestamp": at(0)},
           "spec": {"type": "ClusterIP", "clusterIP": "10.96.0.1", "clusterIPs": ["10.96.0.1"],
                    "ports": [{"port": 443, "protocol": "TCP"}]}}
    nginx = {"apiVersion": "v1", "kind": "Service",
             "metadata": {"name": "nginx", "namespace": "default", "creationTimestamp": at(60)},
             "spec": {"type": "NodePort", "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                      "ports": [{"port": 80, "nodePort": 30044, "protocol": "TCP"}]}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "nginx-deployment-75675f5897", "namespace": "default",
                       "creationTimestamp": at(0)},
          "spec": {"replicas": 3}, "status": {"replicas": 3, "readyReplicas": 3}}
    text = get([("pods", PODS), ("services", [svc, nginx]), ("deploy", [deployment()]),
                ("rs", [rs])], 303, show_kind=True)
    assert text == """\
NAME                                    READY   STATUS    RESTARTS      AGE
pod/nginx-deployment-75675f5897-k2q9m   1/1     Running   2 (12s ago)   5m3s
pod/nginx-deployment-75675f5897-x7wlz   1/1     Running   0             5m3s

NAME                 TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE
service/kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP        5m3s
service/nginx        NodePort    10.96.12.7   <none>        80:30044/TCP   4m3s

NAME                               READY   UP-TO-DATE   AVAILABLE   AGE
deployment.apps/nginx-deployment   3/3     3            3           5m3s

NAME                                          DESIRED   CURRENT   READY   AGE
replicaset.apps/nginx-deployment-75675f5897   3         3         3       5m3s
"""


def test_get_events_and_hpa() -> None:
    ev = {"apiVersion": "v1", "kind": "Event",
          "metadata": {"name": "nginx-deployment.18b2", "namespace": "default"},
          "involvedObject": {"kind": "Deployment", "name": "nginx-deployment"},
          "reason": "ScalingReplicaSet", "type": "Normal",
          "message": "Scaled up replica set nginx-deployment-75675f5897 from 0 to 3",
          "source": {"component": "deployment-controller"},
          "firstTimestamp": at(0), "lastTimestamp": at(0), "count": 1}
    assert get([("events", [ev])], 95) == """\
LAST SEEN   TYPE     REASON              OBJECT                        MESSAGE
95s         Normal   ScalingReplicaSet   deployment/nginx-deployment   Scaled up replica set nginx-deployment-75675f5897 from 0 to 3
"""  # noqa: E501
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "php-apache", "namespace": "default", "creationTimestamp": at(0)},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "php-apache"},
                    "minReplicas": 1, "maxReplicas": 10,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": 50}}}]},
           "status": {"currentReplicas": 7, "currentMetrics": [{"type": "Resource", "resource": {
               "name": "cpu", "current": {"averageUtilization": 61}}}]}}
    assert get([("hpa", [hpa])], 600) == """\
NAME         REFERENCE               TARGETS        MINPODS   MAXPODS   REPLICAS   AGE
php-apache   Deployment/php-apache   cpu: 61%/50%   1         10        7          10m
"""
