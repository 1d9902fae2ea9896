# ruff: noqa: E501, W291
"""``kubectl describe`` output for the objects of the talk, byte for byte.

The expected texts are what kubectl 1.37 prints for such objects: the field order and format
strings of ``k8s.io/kubectl/pkg/describe/describe.go`` (kubernetes.md §9.5), laid out by Go's
tabwriter (padding 2, one column width per block of tabbed lines), the 1.37 probe line of
kubernetes.md §4.6 and the event ages of §0.2 (``12s (x3 over 2m)``).

Objects are kept in a minimal stand-in for the apiserver's read side (get, list in key order,
indexes) so each test controls every field it describes, statuses included.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from types import SimpleNamespace
from typing import Any

from k8slab.api.kinds import Kind, by_gvk, lookup
from k8slab.api.selectors import Selector
from k8slab.cli.kubectl.describe import describe
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import parse_rfc3339, rfc3339

T0 = parse_rfc3339("2026-06-01T08:02:00Z")
Obj = dict[str, Any]


class ReadAPI:
    """The reads ``describe`` makes of the apiserver (``k8slab.api.store.APIServer``)."""

    def __init__(self) -> None:
        self.data: dict[Kind, dict[tuple[str, str], Obj]] = {}
        self.indexes: dict[tuple[Kind, str], Callable[[Obj], Iterable[str]]] = {}

    def put(self, obj: Obj) -> Obj:
        kind = by_gvk(obj["apiVersion"], obj["kind"])
        assert kind is not None
        meta = {"creationTimestamp": rfc3339(T0), "uid": f"uid-{obj['metadata']['name']}",
                **obj["metadata"]}
        if kind.namespaced:
            meta.setdefault("namespace", "default")
        obj = {**obj, "metadata": meta}
        self.data.setdefault(kind, {})[(meta.get("namespace", ""), meta["name"])] = obj
        return obj

    def try_get(self, kind: Kind, namespace: str, name: str) -> Obj | None:
        return self.data.get(kind, {}).get((namespace if kind.namespaced else "", name))

    def get(self, kind: Kind, namespace: str, name: str) -> Obj:
        obj = self.try_get(kind, namespace, name)
        assert obj is not None
        return obj

    def list(self, kind: Kind, namespace: str | None = None,
             selector: Selector | None = None) -> list[Obj]:
        out = []
        for (ns, _), obj in sorted(self.data.get(kind, {}).items()):
            if namespace is not None and kind.namespaced and ns != namespace:
                continue
            if selector is not None and not selector.matches(obj["metadata"].get("labels")):
                continue
            out.append(obj)
        return out

    def add_index(self, kind: Kind, name: str, key: Callable[[Obj], Iterable[str]]) -> None:
        self.indexes[(kind, name)] = key

    def by_index(self, kind: Kind, name: str, value: str) -> list[Obj]:
        key = self.indexes[(kind, name)]
        return [o for o in self.data.get(kind, {}).values() if value in key(o)]


def world() -> SimpleNamespace:
    return SimpleNamespace(api=ReadAPI())


def put(w: SimpleNamespace, obj: Obj) -> Obj:
    return w.api.put(obj)


def event(w: SimpleNamespace, obj: Obj, type_: str, reason: str, message: str, source: Obj,
          first: int, last: int | None = None, count: int = 1, field_path: str = "") -> None:
    meta = obj["metadata"]
    involved = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": meta["name"],
                "uid": meta["uid"]}
    if meta.get("namespace"):
        involved["namespace"] = meta["namespace"]
    if field_path:
        involved["fieldPath"] = field_path
    put(w, {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": f"{meta['name']}.{T0 + first * SECOND:x}",
                         "namespace": meta.get("namespace") or "default"},
            "involvedObject": involved, "reason": reason, "message": message, "type": type_,
            "source": source, "firstTimestamp": at(first),
            "lastTimestamp": at(first if last is None else last), "count": count})


def at(seconds: int) -> str:
    return rfc3339(T0 + seconds * SECOND)


def show(w: SimpleNamespace, kind: str, obj: Obj, now_s: int) -> str:
    k = lookup(kind)
    assert k is not None
    return describe(w, k, obj, T0 + now_s * SECOND)


TEMPLATE = {
    "metadata": {"labels": {"app": "nginx"}},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2",
                             "ports": [{"containerPort": 80, "protocol": "TCP"}]}]},
}


def deployment(w: SimpleNamespace) -> tuple[Obj, Obj]:
    d = put(w, {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "nginx-deployment", "namespace": "default",
                     "labels": {"app": "nginx"},
                     "annotations": {"deployment.kubernetes.io/revision": "1"}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                 "template": TEMPLATE, "strategy": {"type": "RollingUpdate", "rollingUpdate": {
                     "maxUnavailable": "25%", "maxSurge": "25%"}}},
        "status": {"replicas": 3, "updatedReplicas": 3, "readyReplicas": 3,
                   "availableReplicas": 3,
                   "conditions": [
                       {"type": "Available", "status": "True",
                        "reason": "MinimumReplicasAvailable"},
                       {"type": "Progressing", "status": "True",
                        "reason": "NewReplicaSetAvailable"}]},
    })
    tmpl = {**TEMPLATE, "metadata": {"labels": {"app": "nginx",
                                                "pod-template-hash": "75675f5897"}}}
    rs = put(w, {
        "apiVersion": "apps/v1", "kind": "ReplicaSet",
        "metadata": {"name": "nginx-deployment-75675f5897", "namespace": "default",
                     "labels": {"app": "nginx", "pod-template-hash": "75675f5897"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment",
                                          "name": "nginx-deployment",
                                          "uid": d["metadata"]["uid"], "controller": True}]},
        "spec": {"replicas": 3, "selector": {"matchLabels": {
            "app": "nginx", "pod-template-hash": "75675f5897"}}, "template": tmpl},
        "status": {"replicas": 3, "readyReplicas": 3},
    })
    return d, rs


def test_describe_deployment() -> None:
    w = world()
    d, _ = deployment(w)
    event(w, d, "Normal", "ScalingReplicaSet",
          "Scaled up replica set nginx-deployment-75675f5897 from 0 to 3",
          {"component": "deployment-controller"}, 0)
    assert show(w, "deploy", d, 18) == """\
Name:                   nginx-deployment
Namespace:              default
CreationTimestamp:      Mon, 01 Jun 2026 08:02:00 +0000
Labels:                 app=nginx
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=nginx
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=nginx
  Containers:
   nginx:
    Image:         nginx:1.14.2
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  <none>
NewReplicaSet:   nginx-deployment-75675f5897 (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  18s   deployment-controller  Scaled up replica set nginx-deployment-75675f5897 from 0 to 3
"""


def test_describe_deployment_lists_old_replica_sets_after_a_rollout() -> None:
    w = world()
    d, rs = deployment(w)
    newer = {**d, "spec": {**d["spec"], "template": {**TEMPLATE, "spec": {"containers": [
        {**TEMPLATE["spec"]["containers"][0], "image": "nginx:1.16.1"}]}}}}
    put(w, newer)
    put(w, {**rs, "spec": {**rs["spec"], "replicas": 0}, "status": {"replicas": 0}})
    text = show(w, "deploy", w.api.get(lookup("deploy"), "default", "nginx-deployment"), 60)
    assert "OldReplicaSets:  nginx-deployment-75675f5897 (0/0 replicas created)\n" in text
    assert "NewReplicaSet:   <none>\n" in text
    assert "Events:          <none>\n" in text


def test_describe_pod() -> None:
    w = world()
    _, rs = deployment(w)
    pod = put(w, {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "nginx-deployment-75675f5897-k2q9m", "namespace": "default",
                     "labels": {"app": "nginx", "pod-template-hash": "75675f5897"},
                     "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet",
                                          "name": rs["metadata"]["name"],
                                          "uid": rs["metadata"]["uid"], "controller": True}]},
        "spec": {
            "priority": 0, "serviceAccountName": "default", "nodeName": "t.cs.2",
            "containers": [{
                "name": "nginx", "image": "nginx:1.14.2",
                "ports": [{"containerPort": 80, "protocol": "TCP"}],
                "livenessProbe": {"httpGet": {"path": "/healthz", "port": 8080,
                                              "scheme": "HTTP"},
                                  "initialDelaySeconds": 3, "timeoutSeconds": 1,
                                  "periodSeconds": 3, "successThreshold": 1,
                                  "failureThreshold": 3},
                "env": [{"name": "MODE", "value": "demo"},
                        {"name": "MY_POD", "valueFrom": {"fieldRef": {
                            "apiVersion": "v1", "fieldPath": "metadata.name"}}}],
                "volumeMounts": [{"name": "kube-api-access-5xkqj", "readOnly": True,
                                  "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
            }],
            "volumes": [{"name": "kube-api-access-5xkqj", "projected": {"sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                    "fieldPath": "metadata.namespace"}}]}}]}}],
            "tolerations": [
                {"key": "node.kubernetes.io/unreachable", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300},
                {"key": "node.kubernetes.io/not-ready", "operator": "Exists",
                 "effect": "NoExecute", "tolerationSeconds": 300}],
        },
        "status": {
            "phase": "Running", "hostIP": "172.16.0.2", "podIP": "10.244.1.3",
            "podIPs": [{"ip": "10.244.1.3"}], "startTime": at(0), "qosClass": "BestEffort",
            "conditions": [{"type": t, "status": "True"} for t in (
                "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                "PodScheduled")],
            "containerStatuses": [{
                "name": "nginx", "ready": True, "restartCount": 2, "started": True,
                "containerID": "containerd://4f2a",
                "imageID": "docker.io/library/nginx@sha256:ff2a",
                "state": {"running": {"startedAt": at(40)}},
                "lastState": {"terminated": {"exitCode": 137, "reason": "Error",
                                             "startedAt": at(20), "finishedAt": at(39)}},
            }],
        },
    })
    event(w, pod, "Normal", "Scheduled",
          "Successfully assigned default/nginx-deployment-75675f5897-k2q9m to t.cs.2",
          {"component": "default-scheduler"}, 0)
    event(w, pod, "Warning", "Unhealthy",
          "Liveness probe failed: HTTP probe failed with statuscode: 500",
          {"component": "kubelet", "host": "t.cs.2"}, 10, 30, 3, "spec.containers{nginx}")
    assert show(w, "pods", w.api.get(lookup("pods"), "default", pod["metadata"]["name"]),
                150) == """\
Name:             nginx-deployment-75675f5897-k2q9m
Namespace:        default
Priority:         0
Service Account:  default
Node:             t.cs.2/172.16.0.2
Start Time:       Mon, 01 Jun 2026 08:02:00 +0000
Labels:           app=nginx
                  pod-template-hash=75675f5897
Annotations:      <none>
Status:           Running
IP:               10.244.1.3
IPs:
  IP:           10.244.1.3
Controlled By:  ReplicaSet/nginx-deployment-75675f5897
Containers:
  nginx:
    Container ID:   containerd://4f2a
    Image:          nginx:1.14.2
    Image ID:       docker.io/library/nginx@sha256:ff2a
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Mon, 01 Jun 2026 08:02:40 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Mon, 01 Jun 2026 08:02:20 +0000
      Finished:     Mon, 01 Jun 2026 08:02:39 +0000
    Ready:          True
    Restart Count:  2
    Liveness:       http-get http://:8080/healthz delay=3s timeout=1s period=3s successThreshold=1 failureThreshold=3
    Environment:
      MODE:    demo
      MY_POD:  nginx-deployment-75675f5897-k2q9m (v1:metadata.name)
    Mounts:
      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-5xkqj (ro)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  kube-api-access-5xkqj:
    Type:                    Projected (a volume that contains injected data from multiple sources)
    TokenExpirationSeconds:  3607
    ConfigMapName:           kube-root-ca.crt
    Optional:                false
    DownwardAPI:             true
QoS Class:                   BestEffort
Node-Selectors:              <none>
Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type     Reason     Age                 From               Message
  ----     ------     ----                ----               -------
  Normal   Scheduled  2m30s               default-scheduler  Successfully assigned default/nginx-deployment-75675f5897-k2q9m to t.cs.2
  Warning  Unhealthy  2m (x3 over 2m20s)  kubelet            Liveness probe failed: HTTP probe failed with statuscode: 500
"""


def test_terminating_pod_shows_grace_period() -> None:
    # describe.go: "Terminating (lasts %s)" from time.Since(deletionTimestamp), which is still
    # in the future during the grace period: HumanDuration of a negative time is <invalid>.
    w = world()
    pod = put(w, {"apiVersion": "v1", "kind": "Pod",
                  "metadata": {"name": "p", "namespace": "default"},
                  "spec": {"containers": [{"name": "c", "image": "busybox"}]},
                  "status": {"phase": "Running"}})
    gone = {**pod, "metadata": {**pod["metadata"], "deletionTimestamp": at(30),
                                "deletionGracePeriodSeconds": 30}}
    text = show(w, "pods", gone, 5)
    assert "Status:                    Terminating (lasts <invalid>)\n" in text
    assert "Termination Grace Period:  30s\n" in text
    assert "Node:                      <none>\n" in text
    assert "IPs:                       <none>\n" in text


def test_describe_service_with_endpoint_slices() -> None:
    w = world()
    svc = put(w, {"apiVersion": "v1", "kind": "Service",
                  "metadata": {"name": "nginx", "namespace": "default",
                               "labels": {"app": "nginx"}},
                  "spec": {"type": "NodePort", "selector": {"app": "nginx"},
                           "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                           "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                           "ports": [{"port": 80, "targetPort": 80, "nodePort": 30044,
                                      "protocol": "TCP"}],
                           "sessionAffinity": "None", "externalTrafficPolicy": "Cluster",
                           "internalTrafficPolicy": "Cluster"}})
    put(w, {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
            "metadata": {"name": "nginx-x7k2p", "namespace": "default",
                         "labels": {"kubernetes.io/service-name": "nginx"}},
            "addressType": "IPv4", "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
            "endpoints": [{"addresses": [f"10.244.{i}.5"], "conditions": {"ready": i != 2}}
                          for i in range(1, 6)]})
    assert show(w, "svc", svc, 60) == """\
Name:                     nginx
Namespace:                default
Labels:                   app=nginx
Annotations:              <none>
Selector:                 app=nginx
Type:                     NodePort
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.12.7
IPs:                      10.96.12.7
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30044/TCP
Endpoints:                10.244.1.5:80,10.244.3.5:80,10.244.4.5:80 + 1 more...
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
"""


def test_describe_node_allocated_resources() -> None:
    w = world()
    node = put(w, {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": "t.cs.2", "labels": {"kubernetes.io/hostname": "t.cs.2"}},
        "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"],
                 "taints": [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}],
                 "unschedulable": True},
        "status": {"capacity": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                   "allocatable": {"cpu": "4", "memory": "8Gi", "pods": "110"},
                   "addresses": [{"type": "InternalIP", "address": "172.16.0.2"}],
                   "nodeInfo": {"kubeletVersion": "v1.37.0"}},
    })
    for name, cpu, mem in (("a", "500m", "128Mi"), ("b", "250m", "64Mi")):
        put(w, {"apiVersion": "v1", "kind": "Pod",
                "metadata": {"name": name, "namespace": "default"},
                "spec": {"nodeName": "t.cs.2", "containers": [{"name": "c", "resources": {
                    "requests": {"cpu": cpu, "memory": mem}, "limits": {"cpu": "1"}}}]},
                "status": {"phase": "Running"}})
    put(w, {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "done", "namespace": "x"},
            "spec": {"nodeName": "t.cs.2", "containers": [{"name": "c"}]},
            "status": {"phase": "Succeeded"}})
    text = show(w, "nodes", node, 120)
    assert text.startswith("Name:               t.cs.2\nRoles:              <none>\n")
    assert ("Taints:             node.kubernetes.io/unschedulable:NoSchedule\n"
            "Unschedulable:      true\n"
            'Lease:              Failed to get lease: leases.coordination.k8s.io "t.cs.2" not '
            "found\n") in text
    assert """\
Non-terminated Pods:          (2 in total)
  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------  ---------------  -------------  ---
  default                     a       500m (12%)    1 (25%)     128Mi (1%)       0 (0%)         2m
  default                     b       250m (6%)     1 (25%)     64Mi (0%)        0 (0%)         2m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                750m (18%)  2 (50%)
  memory             192Mi (2%)  0 (0%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
""" in text


def test_describe_configmap_secret_serviceaccount_namespace() -> None:
    w = world()
    ns = put(w, {"apiVersion": "v1", "kind": "Namespace",
                 "metadata": {"name": "default",
                              "labels": {"kubernetes.io/metadata.name": "default"}},
                 "status": {"phase": "Active"}})
    assert show(w, "ns", ns, 1) == """\
Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"""
    cm = put(w, {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "cfg", "namespace": "default"},
                 "data": {"port": "80", "index.html": "<h1>hi</h1>\n"}})
    assert show(w, "cm", cm, 1) == """\
Name:         cfg
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
index.html:
----
<h1>hi</h1>


port:
----
80


BinaryData
====

Events:  <none>
"""
    secret = put(w, {"apiVersion": "v1", "kind": "Secret",
                     "metadata": {"name": "db", "namespace": "default"}, "type": "Opaque",
                     "data": {"password": "czNjcjN0", "user": "YWRtaW4="}})
    assert show(w, "secret", secret, 1) == """\
Name:         db
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  6 bytes
user:      5 bytes
"""
    sa = put(w, {"apiVersion": "v1", "kind": "ServiceAccount",
                 "metadata": {"name": "default", "namespace": "default"}})
    assert show(w, "sa", sa, 1) == """\
Name:                default
Namespace:           default
Labels:              <none>
Annotations:         <none>
Image pull secrets:  <none>
Mountable secrets:   <none>
Tokens:              <none>
Events:              <none>
"""


def test_describe_endpoints_and_generic_fallback() -> None:
    w = world()
    ep = put(w, {"apiVersion": "v1", "kind": "Endpoints",
                 "metadata": {"name": "nginx", "namespace": "default"},
                 "subsets": [{"addresses": [{"ip": "10.244.1.5"}, {"ip": "10.244.2.5"}],
                              "notReadyAddresses": [{"ip": "10.244.3.5"}],
                              "ports": [{"port": 80, "protocol": "TCP"}]}]})
    assert show(w, "ep", ep, 1) == """\
Name:         nginx
Namespace:    default
Labels:       <none>
Annotations:  <none>
Subsets:
  Addresses:          10.244.1.5,10.244.2.5
  NotReadyAddresses:  10.244.3.5
  Ports:
    Name     Port  Protocol
    ----     ----  --------
    <unset>  80    TCP

Events:  <none>
"""
    # describe.go genericDescriber: the remaining fields with camel-case split labels.
    lease = put(w, {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
                    "metadata": {"name": "t.cs.2", "namespace": "kube-node-lease"},
                    "spec": {"holderIdentity": "t.cs.2", "leaseDurationSeconds": 40}})
    text = show(w, "leases", lease, 1)
    assert text.startswith("Name:         t.cs.2\nNamespace:    kube-node-lease\n"
                           "Labels:       <none>\nAnnotations:  <none>\nAPI Version:  "
                           "coordination.k8s.io/v1\nKind:         Lease\nMetadata:\n")
    assert "  Creation Timestamp:  2026-06-01T08:02:00Z\n" in text
    assert "Spec:\n  Holder Identity:         t.cs.2\n  Lease Duration Seconds:  40\n" in text
    assert text.endswith("Events:                    <none>\n")


def test_describe_hpa() -> None:
    # describe.go describeHorizontalPodAutoscalerV2: the metric line is written in two pieces
    # ("resource cpu on pods" + "  (as a percentage of request):\t…"), so its label is one wide
    # cell that sets the width of the whole first block.
    w = world()
    hpa = put(w, {
        "apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "php-apache", "namespace": "default"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment",
                                    "name": "php-apache"},
                 "minReplicas": 1, "maxReplicas": 10,
                 "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                     "type": "Utilization", "averageUtilization": 50}}}]},
        "status": {"currentReplicas": 7, "desiredReplicas": 7,
                   "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                       "averageUtilization": 61, "averageValue": "122m"}}}],
                   "conditions": [
                       {"type": "AbleToScale", "status": "True", "reason": "ReadyForNewScale",
                        "message": "recommended size matches current size"},
                       {"type": "ScalingActive", "status": "True", "reason": "ValidMetricFound",
                        "message": "the HPA was able to successfully calculate a replica count "
                                   "from cpu resource utilization (percentage of request)"},
                       {"type": "ScalingLimited", "status": "False",
                        "reason": "DesiredWithinRange",
                        "message": "the desired count is within the acceptable range"}]},
    })
    event(w, hpa, "Normal", "SuccessfulRescale",
          "New size: 7; reason: cpu resource utilization (percentage of request) above target",
          {"component": "horizontal-pod-autoscaler"}, 0)
    assert show(w, "hpa", hpa, 60) == """\
Name:                                                  php-apache
Namespace:                                             default
Labels:                                                <none>
Annotations:                                           <none>
CreationTimestamp:                                     Mon, 01 Jun 2026 08:02:00 +0000
Reference:                                             Deployment/php-apache
Metrics:                                               ( current / target )
  resource cpu on pods  (as a percentage of request):  61% (122m) / 50%
Min replicas:                                          1
Max replicas:                                          10
Deployment pods:                                       7 current / 7 desired
Conditions:
  Type            Status  Reason              Message
  ----            ------  ------              -------
  AbleToScale     True    ReadyForNewScale    recommended size matches current size
  ScalingActive   True    ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)
  ScalingLimited  False   DesiredWithinRange  the desired count is within the acceptable range
Events:
  Type    Reason             Age   From                       Message
  ----    ------             ----  ----                       -------
  Normal  SuccessfulRescale  60s   horizontal-pod-autoscaler  New size: 7; reason: cpu resource utilization (percentage of request) above target
"""
