"""Server-side table cells, kind by kind.

Each expectation follows the Go function named in the test
(``k8s.io/kubernetes/pkg/printers/internalversion/printers.go``) and kubernetes.md §§4.5, 6,
7, 8, 9.1, 3.5 where the reference spells the cell out.
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import lookup
from k8slab.api.printers import table
from k8slab.sim.timefmt import parse_rfc3339

T0 = "2026-06-01T08:00:00Z"
NOW = parse_rfc3339(T0) + (5 * 60 + 3) * 1_000_000_000  # 5m3s after T0
Obj = dict[str, Any]


def _at(seconds_before_now: int) -> str:
    from k8slab.sim.timefmt import rfc3339

    return rfc3339(NOW - seconds_before_now * 1_000_000_000)


def row(kind: str, obj: Obj) -> list[str]:
    k = lookup(kind)
    assert k is not None
    return table(k, [obj], NOW).rows[0]


def headers(kind: str, wide: bool = False) -> list[str]:
    k = lookup(kind)
    assert k is not None
    return [c.name for c in table(k, [], NOW).columns if wide or c.priority == 0]


def pod(status: Obj, spec: Obj | None = None, meta: Obj | None = None) -> Obj:
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": T0,
                     **(meta or {})},
        "spec": spec or {"containers": [{"name": "c", "image": "nginx"}]},
        "status": status,
    }


RUNNING = {"name": "c", "ready": True, "restartCount": 0,
           "state": {"running": {"startedAt": T0}}}


# ------------------------------------------------------------------ pods (printPod, §4.5)

def test_pod_columns_and_running_row() -> None:
    assert headers("pods") == ["Name", "Ready", "Status", "Restarts", "Age"]
    assert headers("pods", wide=True)[5:] == ["IP", "Node", "Nominated Node", "Readiness Gates"]
    r = row("pods", pod({"phase": "Running", "podIP": "10.244.1.5",
                         "podIPs": [{"ip": "10.244.1.5"}], "containerStatuses": [RUNNING]},
                        {"nodeName": "t.cs.2", "containers": [{"name": "c", "image": "x"}]}))
    assert r == ["web-1", "1/1", "Running", "0", "5m3s", "10.244.1.5", "t.cs.2", "<none>",
                 "<none>"]


def test_restarts_show_time_since_last_termination() -> None:
    # kubernetes.md §4.5 / §9.1: "2 (12s ago)"
    cs = {**RUNNING, "restartCount": 2,
          "lastState": {"terminated": {"exitCode": 137, "finishedAt": _at(12)}}}
    assert row("pods", pod({"phase": "Running", "containerStatuses": [cs]}))[3] == "2 (12s ago)"


def test_waiting_reason_wins_crashloop() -> None:
    cs = {"name": "c", "ready": False, "restartCount": 3,
          "state": {"waiting": {"reason": "CrashLoopBackOff"}},
          "lastState": {"terminated": {"exitCode": 1, "reason": "Error",
                                       "finishedAt": _at(40)}}}
    r = row("pods", pod({"phase": "Running", "containerStatuses": [cs]}))
    assert r[1:4] == ["0/1", "CrashLoopBackOff", "3 (40s ago)"]


def test_image_pull_errors_and_container_creating() -> None:
    for reason in ("ErrImagePull", "ImagePullBackOff", "ContainerCreating"):
        cs = {"name": "c", "ready": False, "restartCount": 0,
              "state": {"waiting": {"reason": reason}}}
        assert row("pods", pod({"phase": "Pending", "containerStatuses": [cs]}))[2] == reason


def test_unscheduled_pod_is_pending_with_none_cells() -> None:
    r = row("pods", pod({"phase": "Pending"}))
    assert r[1:3] == ["0/1", "Pending"]
    assert r[5:7] == ["<none>", "<none>"]


def test_terminated_without_reason_prints_exit_code_or_signal() -> None:
    exit1 = {"name": "c", "state": {"terminated": {"exitCode": 1}}}
    sig = {"name": "c", "state": {"terminated": {"exitCode": 137, "signal": 9}}}
    assert row("pods", pod({"phase": "Failed", "containerStatuses": [exit1]}))[2] == "ExitCode:1"
    assert row("pods", pod({"phase": "Failed", "containerStatuses": [sig]}))[2] == "Signal:9"


def test_completed_with_running_sidecar_reads_running_or_not_ready() -> None:
    done = {"name": "a", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}
    spec = {"containers": [{"name": "b"}, {"name": "a"}]}
    ready = {"phase": "Running", "containerStatuses": [{**RUNNING, "name": "b"}, done],
             "conditions": [{"type": "Ready", "status": "True"}]}
    assert row("pods", pod(ready, spec))[1:3] == ["1/2", "Running"]
    not_ready = {**ready, "conditions": [{"type": "Ready", "status": "False"}]}
    assert row("pods", pod(not_ready, spec))[2] == "NotReady"


def test_init_container_states() -> None:
    spec = {"initContainers": [{"name": "i1"}, {"name": "i2"}], "containers": [{"name": "c"}]}
    done = {"name": "i1", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}
    cases = [
        ({"name": "i2", "state": {"waiting": {"reason": "PodInitializing"}}}, "Init:1/2"),
        ({"name": "i2", "state": {"waiting": {"reason": "ImagePullBackOff"}}},
         "Init:ImagePullBackOff"),
        ({"name": "i2", "state": {"terminated": {"exitCode": 2}}}, "Init:ExitCode:2"),
        ({"name": "i2", "state": {"terminated": {"exitCode": 1, "reason": "Error"}}},
         "Init:Error"),
        ({"name": "i2", "state": {"running": {}}}, "Init:1/2"),
    ]
    for second, expected in cases:
        status = {"phase": "Pending", "initContainerStatuses": [done, second],
                  "containerStatuses": [{"name": "c", "state": {"waiting": {
                      "reason": "PodInitializing"}}}]}
        assert row("pods", pod(status, spec))[2] == expected


def test_restartable_init_container_counts_as_a_container() -> None:
    spec = {"initContainers": [{"name": "side", "restartPolicy": "Always"}],
            "containers": [{"name": "c"}]}
    side = {"name": "side", "ready": True, "started": True, "restartCount": 1,
            "state": {"running": {}},
            "lastState": {"terminated": {"exitCode": 1, "finishedAt": _at(70)}}}
    status = {"phase": "Running", "initContainerStatuses": [side], "containerStatuses": [RUNNING],
              "conditions": [{"type": "Initialized", "status": "True"}]}
    assert row("pods", pod(status, spec))[1:4] == ["2/2", "Running", "1 (70s ago)"]


def test_deleting_pod_is_terminating_or_unknown_on_lost_node() -> None:
    meta = {"deletionTimestamp": _at(-30)}
    assert row("pods", pod({"phase": "Running", "containerStatuses": [RUNNING]},
                           meta=meta))[2] == "Terminating"
    lost = {"phase": "Running", "reason": "NodeLost", "containerStatuses": [RUNNING]}
    assert row("pods", pod(lost, meta=meta))[2] == "Unknown"
    done = {"phase": "Succeeded", "containerStatuses": [
        {"name": "c", "state": {"terminated": {"exitCode": 0, "reason": "Completed"}}}]}
    assert row("pods", pod(done, meta=meta))[2] == "Completed"


def test_scheduling_gated_and_evicted() -> None:
    gated = {"phase": "Pending", "conditions": [{"type": "PodScheduled", "status": "False",
                                                 "reason": "SchedulingGated"}]}
    assert row("pods", pod(gated))[2] == "SchedulingGated"
    assert row("pods", pod({"phase": "Failed", "reason": "Evicted"}))[2] == "Evicted"


def test_readiness_gates_cell() -> None:
    spec = {"containers": [{"name": "c"}], "readinessGates": [{"conditionType": "x/a"},
                                                              {"conditionType": "x/b"}]}
    status = {"phase": "Running", "conditions": [{"type": "x/a", "status": "True"}]}
    assert row("pods", pod(status, spec))[8] == "1/2"


# ------------------------------------------------------------------ nodes (printNode, §6)

def node(conditions: list[Obj], labels: Obj | None = None, unschedulable: bool = False) -> Obj:
    return {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "t.cs.2", "creationTimestamp": T0, "labels": labels or {}},
            "spec": {"unschedulable": unschedulable},
            "status": {"conditions": conditions,
                       "addresses": [{"type": "InternalIP", "address": "172.16.0.2"},
                                     {"type": "Hostname", "address": "t.cs.2"}],
                       "nodeInfo": {"kubeletVersion": "v1.37.0", "osImage": "Ubuntu",
                                    "kernelVersion": "6.8", "containerRuntimeVersion": "c://2"}}}


def test_node_status_and_roles() -> None:
    ready = [{"type": "Ready", "status": "True"}]
    r = row("nodes", node(ready, {"node-role.kubernetes.io/control-plane": ""}))
    assert r[:5] == ["t.cs.2", "Ready", "control-plane", "5m3s", "v1.37.0"]
    assert r[5:] == ["172.16.0.2", "<none>", "Ubuntu", "6.8", "c://2"]
    assert row("nodes", node([{"type": "Ready", "status": "False"}]))[1:3] == ["NotReady",
                                                                             "<none>"]
    assert row("nodes", node([{"type": "Ready", "status": "Unknown"}]))[1] == "NotReady"
    assert row("nodes", node([]))[1] == "Unknown"
    assert row("nodes", node(ready, unschedulable=True))[1] == "Ready,SchedulingDisabled"
    both = {"node-role.kubernetes.io/worker": "", "kubernetes.io/role": "edge"}
    assert row("nodes", node(ready, both))[2] == "edge,worker"


# ------------------------------------------------------------------ services (§7)

def svc(spec: Obj, status: Obj | None = None) -> Obj:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "namespace": "default", "creationTimestamp": T0},
            "spec": spec, "status": status or {}}


def test_service_cells() -> None:
    assert headers("svc") == ["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age"]
    nodeport = svc({"type": "NodePort", "clusterIP": "10.96.12.7", "clusterIPs": ["10.96.12.7"],
                    "ports": [{"port": 80, "nodePort": 30044, "protocol": "TCP"}],
                    "selector": {"app": "web", "tier": "fe"}})
    assert row("svc", nodeport) == ["web", "NodePort", "10.96.12.7", "<none>", "80:30044/TCP",
                                    "5m3s", "app=web,tier=fe"]
    lb = svc({"type": "LoadBalancer", "clusterIPs": ["10.96.0.9"],
              "ports": [{"port": 80, "nodePort": 31000, "protocol": "TCP"},
                        {"port": 443, "nodePort": 31001, "protocol": "TCP"}]})
    assert row("svc", lb)[3:5] == ["<pending>", "80:31000/TCP,443:31001/TCP"]
    lb_up = svc(lb["spec"], {"loadBalancer": {"ingress": [{"ip": "1.2.3.4"}]}})
    assert row("svc", lb_up)[3] == "1.2.3.4"
    ext = svc({"type": "ExternalName", "externalName": "example.com"})
    assert row("svc", ext)[2:5] == ["<none>", "example.com", "<none>"]
    headless = svc({"type": "ClusterIP", "clusterIPs": ["None"], "externalIPs": ["5.6.7.8"],
                    "ports": [{"port": 53, "protocol": "UDP"}]})
    assert row("svc", headless)[2:5] == ["None", "5.6.7.8", "53/UDP"]
    assert row("svc", headless)[6] == "<none>"


def test_endpoints_cell_lists_three_then_more() -> None:
    ep = {"apiVersion": "v1", "kind": "Endpoints",
          "metadata": {"name": "web", "creationTimestamp": T0},
          "subsets": [{"addresses": [{"ip": f"10.244.1.{i}"} for i in range(1, 6)],
                       "ports": [{"port": 80, "protocol": "TCP"}]}]}
    assert row("ep", ep)[1] == "10.244.1.1:80,10.244.1.2:80,10.244.1.3:80 + 2 more..."
    assert row("ep", {**ep, "subsets": []})[1] == "<none>"


def test_endpoint_slice_cells() -> None:
    es = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
          "metadata": {"name": "web-x7k2p", "creationTimestamp": T0}, "addressType": "IPv4",
          "ports": [{"name": "", "port": 80, "protocol": "TCP"}],
          "endpoints": [{"addresses": [f"10.0.0.{i}"]} for i in range(4)]}
    assert row("endpointslices", es)[1:4] == ["IPv4", "80",
                                              "10.0.0.0,10.0.0.1,10.0.0.2 + 1 more..."]
    empty = {**es, "ports": [], "endpoints": []}
    assert row("endpointslices", empty)[2:4] == ["<unset>", "<unset>"]


# ------------------------------------------------------------------ events (printEvent, §9.1)

def test_event_cells() -> None:
    assert headers("events") == ["Last Seen", "Type", "Reason", "Object", "Message"]
    ev = {"apiVersion": "v1", "kind": "Event",
          "metadata": {"name": "web-1.1", "namespace": "default"},
          "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{c}"},
          "reason": "Pulled", "message": "  Successfully pulled\n", "type": "Normal",
          "source": {"component": "kubelet", "host": "t.cs.2"},
          "firstTimestamp": _at(120), "lastTimestamp": _at(12), "count": 3}
    assert row("events", ev) == ["12s", "Normal", "Pulled", "pod/web-1", "spec.containers{c}",
                                 "kubelet, t.cs.2", "Successfully pulled", "2m", "3", "web-1.1"]
    no_count = {**ev, "count": None, "lastTimestamp": None}
    assert row("events", no_count)[0] == "2m"
    assert row("events", no_count)[8] == "1"


# ------------------------------------------------------------------ workloads

def test_deployment_row_matches_reference_sample() -> None:
    d = {"apiVersion": "apps/v1", "kind": "Deployment",
         "metadata": {"name": "nginx-deployment", "creationTimestamp": _at(18)},
         "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "nginx"}},
                  "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"},
                                                       {"name": "side", "image": "busybox"}]}}},
         "status": {"readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3}}
    assert headers("deploy") == ["Name", "Ready", "Up-to-date", "Available", "Age"]
    assert row("deploy", d) == ["nginx-deployment", "3/3", "3", "3", "18s", "nginx,side",
                                "nginx:1.14.2,busybox", "app=nginx"]


def test_replica_set_daemon_set_stateful_set_rows() -> None:
    tmpl = {"spec": {"containers": [{"name": "c", "image": "i"}],
                     "nodeSelector": {"disk": "ssd"}}}
    rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
          "metadata": {"name": "web-75675f5897", "creationTimestamp": T0},
          "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}, "matchExpressions": [
              {"key": "env", "operator": "In", "values": ["prod", "dev"]}]}, "template": tmpl},
          "status": {"replicas": 3, "readyReplicas": 2}}
    assert row("rs", rs) == ["web-75675f5897", "3", "3", "2", "5m3s", "c", "i",
                             "app=web,env in (dev,prod)"]
    ds = {**rs, "kind": "DaemonSet", "status": {"desiredNumberScheduled": 3,
                                                "currentNumberScheduled": 3, "numberReady": 1,
                                                "updatedNumberScheduled": 3,
                                                "numberAvailable": 1}}
    assert row("ds", ds)[:8] == ["web-75675f5897", "3", "3", "1", "3", "1", "disk=ssd", "5m3s"]
    sts = {**rs, "kind": "StatefulSet", "status": {"readyReplicas": 1}}
    assert row("sts", sts) == ["web-75675f5897", "1/3", "5m3s", "c", "i"]


def test_job_and_cronjob_rows() -> None:
    job = {"apiVersion": "batch/v1", "kind": "Job",
           "metadata": {"name": "pi", "creationTimestamp": _at(100)},
           "spec": {"completions": 1, "template": {"spec": {"containers": []}}},
           "status": {"succeeded": 1, "startTime": _at(100), "completionTime": _at(64),
                      "conditions": [{"type": "Complete", "status": "True"}]}}
    assert headers("jobs") == ["Name", "Status", "Completions", "Duration", "Age"]
    assert row("jobs", job)[:5] == ["pi", "Complete", "1/1", "36s", "100s"]
    queue = {**job, "spec": {"parallelism": 3}, "status": {"startTime": _at(10)}}
    assert row("jobs", queue)[1:4] == ["Running", "0/1 of 3", "10s"]
    cj = {"apiVersion": "batch/v1", "kind": "CronJob",
          "metadata": {"name": "hello", "creationTimestamp": T0},
          "spec": {"schedule": "*/1 * * * *", "suspend": False, "jobTemplate": {"spec": {}}},
          "status": {}}
    assert row("cj", cj)[:7] == ["hello", "*/1 * * * *", "<none>", "False", "0", "<none>",
                                 "5m3s"]


def test_hpa_targets_and_min_pods() -> None:
    # kubernetes.md §3.5: "cpu: 45%/50%", "cpu: <unknown>/50%", " + N more..."
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "php-apache", "creationTimestamp": T0},
           "spec": {"scaleTargetRef": {"kind": "Deployment", "name": "php-apache"},
                    "minReplicas": 1, "maxReplicas": 10,
                    "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                        "type": "Utilization", "averageUtilization": 50}}}]},
           "status": {"currentReplicas": 1, "currentMetrics": [{"type": "Resource", "resource": {
               "name": "cpu", "current": {"averageUtilization": 45}}}]}}
    assert headers("hpa") == ["Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas",
                              "Age"]
    assert row("hpa", hpa) == ["php-apache", "Deployment/php-apache", "cpu: 45%/50%", "1", "10",
                               "1", "5m3s"]
    fresh = {**hpa, "status": {}, "spec": {**hpa["spec"], "minReplicas": None}}
    assert row("hpa", fresh)[2:4] == ["cpu: <unknown>/50%", "<unset>"]
    metrics = hpa["spec"]["metrics"] + [
        {"type": "Resource", "resource": {"name": "memory", "target": {
            "type": "AverageValue", "averageValue": "200Mi"}}},
        {"type": "Pods", "pods": {"target": {"averageValue": "1k"}}}]
    many = {**hpa, "spec": {**hpa["spec"], "metrics": metrics}}
    assert row("hpa", many)[2] == "cpu: 45%/50%, memory: <unknown>/200Mi + 1 more..."
    v1 = {**hpa, "apiVersion": "autoscaling/v1", "spec": {
        "scaleTargetRef": hpa["spec"]["scaleTargetRef"], "maxReplicas": 5,
        "targetCPUUtilizationPercentage": 30}, "status": {"currentCPUUtilizationPercentage": 45}}
    assert row("hpa", v1)[2] == "cpu: 45%/30%"


# ------------------------------------------------------------------ config, storage, misc

def test_configmap_secret_namespace_serviceaccount_rows() -> None:
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c",
                                                                 "creationTimestamp": T0},
          "data": {"a": "1", "b": "2"}, "binaryData": {"c": "AA=="}}
    assert row("cm", cm) == ["c", "3", "5m3s"]
    secret = {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s",
                                                                  "creationTimestamp": T0},
              "type": "Opaque", "data": {"p": "cGFzcw=="}}
    assert row("secrets", secret) == ["s", "Opaque", "1", "5m3s"]
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "demo",
                                                                 "creationTimestamp": T0},
          "status": {"phase": "Terminating"}}
    assert row("ns", ns) == ["demo", "Terminating", "5m3s"]
    sa = {"apiVersion": "v1", "kind": "ServiceAccount",
          "metadata": {"name": "default", "creationTimestamp": T0}}
    assert row("sa", sa) == ["default", "0", "5m3s"]


def test_pv_pvc_storageclass_rows() -> None:
    pv = {"apiVersion": "v1", "kind": "PersistentVolume",
          "metadata": {"name": "pv1", "creationTimestamp": T0},
          "spec": {"capacity": {"storage": "5Gi"},
                   "accessModes": ["ReadWriteMany", "ReadWriteOnce"],
                   "persistentVolumeReclaimPolicy": "Retain", "storageClassName": "standard",
                   "claimRef": {"namespace": "default", "name": "data"}},
          "status": {"phase": "Bound"}}
    assert headers("pv")[-2:] == ["Reason", "Age"]
    assert row("pv", pv) == ["pv1", "5Gi", "RWO,RWX", "Retain", "Bound", "default/data",
                             "standard", "<unset>", "", "5m3s", "<unset>"]
    pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
           "metadata": {"name": "data", "creationTimestamp": T0},
           "spec": {"storageClassName": "standard",
                    "resources": {"requests": {"storage": "1Gi"}}},
           "status": {"phase": "Pending"}}
    assert row("pvc", pvc)[:8] == ["data", "Pending", "", "", "", "standard", "<unset>", "5m3s"]
    sc = {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
          "metadata": {"name": "standard", "creationTimestamp": T0, "annotations": {
              "storageclass.kubernetes.io/is-default-class": "true"}},
          "provisioner": "rancher.io/local-path", "volumeBindingMode": "WaitForFirstConsumer"}
    assert row("sc", sc) == ["standard (default)", "rancher.io/local-path", "Delete",
                             "WaitForFirstConsumer", "false", "5m3s"]


def test_resource_quota_splits_requests_and_limits() -> None:
    # kubernetes.md §8.6: "requests.cpu: 500m/1, requests.memory: 0/1Gi" (newest server order)
    rq = {"apiVersion": "v1", "kind": "ResourceQuota",
          "metadata": {"name": "q", "creationTimestamp": T0},
          "status": {"hard": {"requests.memory": "1Gi", "requests.cpu": "1", "limits.cpu": "2",
                              "pods": "10"},
                     "used": {"requests.cpu": "500m", "pods": "3"}}}
    assert headers("quota") == ["Name", "Request", "Limit", "Age"]
    assert row("quota", rq) == ["q", "pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi",
                                "limits.cpu: 0/2", "5m3s"]


def test_kinds_without_printer_get_name_and_created_at() -> None:
    # pkg/registry/rest/table.go defaultTableConvertor
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
            "metadata": {"name": "reader", "creationTimestamp": T0}}
    k = lookup("roles")
    assert k is not None
    t = table(k, [role], NOW)
    assert [c.name for c in t.columns] == ["Name", "Created At"]
    assert t.rows == [["reader", "2026-06-01T08:00:00Z"]]


def test_rbac_pdb_priorityclass_lease_rows() -> None:
    rb = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
          "metadata": {"name": "rb", "creationTimestamp": T0},
          "roleRef": {"kind": "Role", "name": "reader"},
          "subjects": [{"kind": "User", "name": "jane"},
                       {"kind": "ServiceAccount", "namespace": "default", "name": "app"}]}
    assert row("rolebindings", rb) == ["rb", "Role/reader", "5m3s", "jane", "", "default/app"]
    pdb = {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget",
           "metadata": {"name": "p", "creationTimestamp": T0}, "spec": {"minAvailable": "50%"},
           "status": {"disruptionsAllowed": 1}}
    assert row("pdb", pdb) == ["p", "50%", "N/A", "1", "5m3s"]
    pc = {"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass",
          "metadata": {"name": "high", "creationTimestamp": T0}, "value": 1000,
          "globalDefault": False, "preemptionPolicy": "Never"}
    assert row("pc", pc) == ["high", "1000", "false", "5m3s", "Never"]
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": "t.cs.2", "creationTimestamp": T0},
             "spec": {"holderIdentity": "t.cs.2"}}
    assert row("leases", lease) == ["t.cs.2", "t.cs.2", "5m3s"]


def test_ingress_and_ip_address_rows() -> None:
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "in", "creationTimestamp": T0},
           "spec": {"ingressClassName": "nginx", "tls": [{}],
                    "rules": [{"host": f"h{i}.example"} for i in range(5)]}}
    assert row("ing", ing) == ["in", "nginx", "h0.example,h1.example,h2.example + 2 more...", "",
                               "80, 443", "5m3s"]
    ip = {"apiVersion": "networking.k8s.io/v1", "kind": "IPAddress",
          "metadata": {"name": "10.96.0.1", "creationTimestamp": T0},
          "spec": {"parentRef": {"group": "", "resource": "services", "namespace": "default",
                                 "name": "kubernetes"}}}
    assert headers("ipaddresses") == ["Name", "ParentRef"]
    assert row("ipaddresses", ip)[:2] == ["10.96.0.1", "services/default/kubernetes"]


def test_objects_are_not_mutated() -> None:
    import copy

    p = pod({"phase": "Running", "containerStatuses": [RUNNING]})
    before = copy.deepcopy(p)
    row("pods", p)
    assert p == before
