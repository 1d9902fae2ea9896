"""Defaulting: pkg/apis/core/v1/defaults.go and the declarative ``+default`` markers."""

from __future__ import annotations

from coreworld import create, pod, world

from k8slab.api.defaults import default_pod, default_pod_template, image_pull_policy


def test_image_pull_policy_follows_the_tag() -> None:
    # SetDefaults_Container via parsers.ParseImageName: no tag means latest.
    assert image_pull_policy("nginx") == "Always"
    assert image_pull_policy("nginx:latest") == "Always"
    assert image_pull_policy("nginx:1.25") == "IfNotPresent"
    assert image_pull_policy("registry:5000/app") == "Always"
    assert image_pull_policy("nginx@sha256:abc") == "IfNotPresent"


def test_pod_defaults() -> None:
    body = pod(containers=[{"name": "a", "image": "nginx", "ports": [{"containerPort": 80}],
                            "livenessProbe": {"httpGet": {"port": 80}},
                            "resources": {"limits": {"cpu": "0.5", "memory": "1024Mi"}}}])
    default_pod(body)
    spec = body["spec"]
    assert (spec["dnsPolicy"], spec["restartPolicy"], spec["schedulerName"],
            spec["terminationGracePeriodSeconds"], spec["enableServiceLinks"],
            spec["securityContext"]) == ("ClusterFirst", "Always", "default-scheduler", 30,
                                         True, {})
    ctr = spec["containers"][0]
    assert ctr["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    assert ctr["livenessProbe"] == {"httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
                                    "timeoutSeconds": 1, "periodSeconds": 10,
                                    "successThreshold": 1, "failureThreshold": 3}
    # Quantities are canonical; requests copy limits (SetDefaults_Pod).
    assert ctr["resources"] == {"limits": {"cpu": "500m", "memory": "1Gi"},
                                "requests": {"cpu": "500m", "memory": "1Gi"}}
    assert ctr["terminationMessagePath"] == "/dev/termination-log"


def test_template_defaults_do_not_add_pod_only_fields() -> None:
    template = {"spec": {"containers": [{"name": "a", "image": "x:1",
                                         "resources": {"limits": {"cpu": "1"}}}]}}
    default_pod_template(template)
    assert "enableServiceLinks" not in template["spec"]
    assert template["spec"]["containers"][0]["resources"] == {"limits": {"cpu": "1"}}


def test_stored_pod_has_status_and_generation() -> None:
    cluster = world()
    stored = create(cluster, pod())
    assert stored["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    assert stored["metadata"]["generation"] == 1
    assert stored["spec"]["serviceAccount"] == stored["spec"]["serviceAccountName"] == "default"


def test_qos_classes() -> None:
    cluster = world()
    guaranteed = create(cluster, pod("g", containers=[{"name": "a", "image": "x", "resources": {
        "limits": {"cpu": "1", "memory": "1Gi"}}}]))
    burstable = create(cluster, pod("b", containers=[{"name": "a", "image": "x", "resources": {
        "requests": {"cpu": "100m"}}}]))
    assert guaranteed["status"]["qosClass"] == "Guaranteed"
    assert burstable["status"]["qosClass"] == "Burstable"


def test_service_and_namespace_defaults() -> None:
    cluster = world()
    svc = create(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                           "spec": {"type": "NodePort", "selector": {"app": "web"},
                                    "ports": [{"port": 80}]}})
    spec = svc["spec"]
    assert spec["ports"][0]["targetPort"] == 80 and spec["ports"][0]["protocol"] == "TCP"
    assert (spec["sessionAffinity"], spec["externalTrafficPolicy"],
            spec["internalTrafficPolicy"], spec["ipFamilyPolicy"], spec["ipFamilies"]) == (
        "None", "Cluster", "Cluster", "SingleStack", ["IPv4"])
    assert svc["status"] == {"loadBalancer": {}}
    ns = create(cluster, {"apiVersion": "v1", "kind": "Namespace",
                          "metadata": {"name": "demo", "labels": {
                              "kubernetes.io/metadata.name": "other"}}})
    assert ns["metadata"]["labels"] == {"kubernetes.io/metadata.name": "demo"}
    assert ns["spec"] == {"finalizers": ["kubernetes"]}
    assert ns["status"] == {"phase": "Active"}


def test_secret_string_data_becomes_data() -> None:
    cluster = world()
    secret = create(cluster, {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "s"},
                              "stringData": {"password": "hunter2"}})
    assert secret["type"] == "Opaque"
    assert secret["data"] == {"password": "aHVudGVyMg=="}
    assert "stringData" not in secret
