"""The default admission chain (plugin/pkg/admission/*, apiserver/pkg/admission/plugin/*)."""

from __future__ import annotations

import copy

from coreworld import NODE, QUOTA, create, error, pod, world

from k8slab.api.admission import compute_quota_usage, ensure_system_priority_classes
from k8slab.sim.clock import SECOND


def test_service_account_volume_and_mount() -> None:
    # plugin/pkg/admission/serviceaccount: kube-api-access-<5> projected volume, 3607 s token.
    cluster = world()
    stored = create(cluster, pod())
    spec = stored["spec"]
    volume = spec["volumes"][-1]
    assert volume["name"].startswith("kube-api-access-") and len(volume["name"]) == 21
    assert volume["projected"]["defaultMode"] == 420
    assert volume["projected"]["sources"][0] == {
        "serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}
    assert spec["containers"][0]["volumeMounts"] == [{
        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
        "name": volume["name"], "readOnly": True}]


def test_automount_false_skips_the_token() -> None:
    cluster = world()
    stored = create(cluster, pod(automountServiceAccountToken=False))
    assert "volumes" not in stored["spec"]


def test_missing_service_account_is_forbidden() -> None:
    cluster = world()
    err = error(cluster, pod(serviceAccountName="robot"))
    assert err.reason == "Forbidden"
    assert err.message == ('pods "web" is forbidden: error looking up service account '
                           'default/robot: serviceaccount "robot" not found')


def test_generated_names_are_reported_by_prefix() -> None:
    cluster = world()
    body = pod(serviceAccountName="robot")
    body["metadata"] = {"generateName": "web-7d4b9c-"}
    err = error(cluster, body)
    assert err.message.startswith('pods "web-7d4b9c-" is forbidden: ')


def test_default_tolerations_priority_and_node_taint() -> None:
    cluster = world()
    spec = create(cluster, pod())["spec"]
    assert spec["tolerations"] == [
        {"effect": "NoExecute", "key": "node.kubernetes.io/not-ready", "operator": "Exists",
         "tolerationSeconds": 300},
        {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable", "operator": "Exists",
         "tolerationSeconds": 300}]
    assert (spec["priority"], spec["preemptionPolicy"]) == (0, "PreemptLowerPriority")
    ensure_system_priority_classes(cluster.api)
    critical = create(cluster, pod("dns", priorityClassName="system-cluster-critical"))
    assert critical["spec"]["priority"] == 2000000000
    err = error(cluster, pod("x", priorityClassName="gold"))
    assert err.message == 'pods "x" is forbidden: no PriorityClass with name gold was found'
    node = create(cluster, {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n1"}})
    assert cluster.api.get(NODE, "", "n1")["spec"]["taints"] == [
        {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"}]
    assert node["metadata"]["name"] == "n1"


def test_namespace_lifecycle() -> None:
    cluster = world()
    body = pod()
    body["metadata"]["namespace"] = "nowhere"
    err = error(cluster, body)
    assert (err.reason, err.message) == ("NotFound", 'namespaces "nowhere" not found')
    create(cluster, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "gone"}})
    cluster.loop.advance(1 * SECOND)
    ns_kind = cluster.api.kind_of({"apiVersion": "v1", "kind": "Namespace"})
    cluster.api.delete(ns_kind, "", "gone", source="kubectl")
    body["metadata"]["namespace"] = "gone"
    err = error(cluster, body)
    assert err.message == ('pods "web" is forbidden: unable to create new content in '
                           "namespace gone because it is being terminated")


def test_limit_ranger_defaults_and_annotation() -> None:
    cluster = world()
    create(cluster, {"apiVersion": "v1", "kind": "LimitRange", "metadata": {"name": "lr"},
                     "spec": {"limits": [{"type": "Container",
                                          "default": {"cpu": "500m", "memory": "256Mi"},
                                          "defaultRequest": {"cpu": "100m"},
                                          "max": {"cpu": "1"}}]}})
    stored = create(cluster, pod())
    assert stored["spec"]["containers"][0]["resources"] == {
        "limits": {"cpu": "500m", "memory": "256Mi"},
        "requests": {"cpu": "100m", "memory": "256Mi"}}
    assert stored["metadata"]["annotations"]["kubernetes.io/limit-ranger"] == (
        "LimitRanger plugin set: cpu, memory request for container nginx; cpu, memory limit "
        "for container nginx")
    assert stored["status"]["qosClass"] == "Burstable"
    err = error(cluster, pod("big", containers=[{"name": "a", "image": "x", "resources": {
        "limits": {"cpu": "2"}}}]))
    assert err.message == ('pods "big" is forbidden: maximum cpu usage per Container is 1, but '
                           "limit is 2")


def test_resource_quota_exceeded_message() -> None:
    # kubernetes.md §8.6: "exceeded quota: <q>, requested: …, used: …, limited: …".
    cluster = world()
    quota = create(cluster, {"apiVersion": "v1", "kind": "ResourceQuota",
                             "metadata": {"name": "compute"},
                             "spec": {"hard": {"requests.cpu": "1", "pods": "10"}}})
    used = compute_quota_usage(cluster.api, quota)
    assert used == {"pods": "0", "requests.cpu": "0"}
    live = cluster.api.get(QUOTA, "default", "compute")
    cluster.api.update({**live, "status": {"hard": live["spec"]["hard"], "used": used}},
                       source="resourcequota-controller", status=True, trusted=True)
    ok = pod("a", containers=[{"name": "a", "image": "x", "resources": {
        "requests": {"cpu": "600m"}}}])
    create(cluster, ok)
    err = error(cluster, pod("b", containers=[{"name": "b", "image": "x", "resources": {
        "requests": {"cpu": "500m"}}}]))
    assert err.message == ('pods "b" is forbidden: exceeded quota: compute, requested: '
                           "requests.cpu=500m, used: requests.cpu=600m, limited: "
                           "requests.cpu=1")
    err = error(cluster, pod("c"))
    assert err.message == ('pods "c" is forbidden: failed quota: compute: must specify '
                           "requests.cpu for: nginx")
    assert cluster.api.get(QUOTA, "default", "compute")["status"]["used"] == {
        "pods": "1", "requests.cpu": "600m"}


def test_plugins_do_not_mutate_shared_subtrees() -> None:
    # Components pass trusted objects that share sub-trees with stored ones.
    cluster = world()
    spec = {"containers": [{"name": "a", "image": "x:1", "imagePullPolicy": "IfNotPresent",
                            "terminationMessagePath": "/dev/termination-log",
                            "terminationMessagePolicy": "File", "resources": {}}],
            "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
            "terminationGracePeriodSeconds": 30, "schedulerName": "default-scheduler",
            "securityContext": {}}
    snapshot = copy.deepcopy(spec)
    cluster.api.create({"apiVersion": "v1", "kind": "Pod",
                        "metadata": {"name": "p", "namespace": "default"}, "spec": spec},
                       source="replicaset-controller", trusted=True)
    assert spec == snapshot


def test_namespace_lifecycle_refuses_after_the_namespace_it_admitted_in_terminates() -> None:
    # NamespaceLifecycle remembers the last namespace object a create was admitted in: the
    # terminating namespace is a new object, which must be judged afresh.
    cluster = world()
    create(cluster, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "gone"}})
    cluster.loop.advance(1 * SECOND)
    config = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c1",
                                                                     "namespace": "gone"}}
    create(cluster, config)  # admitted: "gone" is remembered as live
    ns_kind = cluster.api.kind_of({"apiVersion": "v1", "kind": "Namespace"})
    cluster.api.delete(ns_kind, "", "gone", source="kubectl")
    config["metadata"]["name"] = "c2"
    err = error(cluster, config)
    assert err.message == ('configmaps "c2" is forbidden: unable to create new content in '
                           "namespace gone because it is being terminated")
