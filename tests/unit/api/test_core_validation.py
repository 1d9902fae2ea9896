"""Core validation: paths and messages of pkg/apis/core/validation/validation.go.

Every expected string below is built from the upstream format strings (ValidatePodSpec,
validateContainerCommon, validateContainerPorts, validateProbe/validateHandler,
validateResourceRequirements, ValidatePodUpdate, ValidateService, ValidateNodeUpdate,
ValidateConfigMap, ValidateNamespace).
"""

from __future__ import annotations

from typing import Any

from coreworld import POD, create, error, pod, world

from k8slab.api.validation import core as v


def _pod(**spec: Any) -> dict[str, Any]:
    body = pod(**spec)
    body["metadata"]["namespace"] = "default"
    from k8slab.api.defaults import default_pod

    default_pod(body)
    return body


def _messages(errs: list[Any]) -> list[str]:
    return [str(e) for e in errs]


def test_missing_image_is_required() -> None:
    body = _pod(containers=[{"name": "nginx"}])
    assert "spec.containers[0].image: Required value" in _messages(v.validate_pod(body))


def test_no_containers_at_all() -> None:
    body = _pod(containers=[])
    assert _messages(v.validate_pod(body)) == ["spec.containers: Required value"]


def test_duplicate_container_names() -> None:
    body = _pod(containers=[{"name": "a", "image": "x"}, {"name": "a", "image": "y"}])
    assert _messages(v.validate_pod(body)) == ['spec.containers[1].name: Duplicate value: "a"']


def test_container_port_out_of_range_and_missing() -> None:
    body = _pod(containers=[{"name": "a", "image": "x",
                             "ports": [{"containerPort": 70000}, {"name": "web"}]}])
    assert _messages(v.validate_pod(body)) == [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 "
        "and 65535, inclusive",
        "spec.containers[0].ports[1].containerPort: Required value",
    ]


def test_restart_policy_supported_values() -> None:
    body = _pod(restartPolicy="Sometimes")
    assert _messages(v.validate_pod(body)) == [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", '
        '"OnFailure", "Never"']


def test_probe_needs_exactly_one_handler() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "livenessProbe": {"periodSeconds": 5},
                             "readinessProbe": {"exec": {"command": ["true"]},
                                                "tcpSocket": {"port": 80}}}])
    assert _messages(v.validate_pod(body)) == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 "
        "handler type",
    ]


def test_liveness_success_threshold_must_be_one() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "livenessProbe": {
        "httpGet": {"port": 8080}, "successThreshold": 2}}])
    assert _messages(v.validate_pod(body)) == [
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"]


def test_request_above_limit() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "resources": {
        "limits": {"cpu": "500m"}, "requests": {"cpu": "1"}}}])
    assert _messages(v.validate_pod(body)) == [
        'spec.containers[0].resources.requests: Invalid value: "1": must be less than or equal '
        "to cpu limit of 500m"]


def test_unknown_resource_name() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "resources": {
        "requests": {"cpus": "1"}}}])
    assert _messages(v.validate_pod(body)) == [
        'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a '
        "standard resource type or fully qualified",
        'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a '
        "standard resource for containers",
    ]


def test_env_names_and_sources() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "env": [
        {"name": ""}, {"name": "A=B"}, {"name": "X", "valueFrom": {}}]}])
    assert _messages(v.validate_pod(body)) == [
        "spec.containers[0].env[0].name: Required value",
        'spec.containers[0].env[1].name: Invalid value: "A=B": a valid environment variable '
        "name must consist only of printable ASCII characters other than '='",
        'spec.containers[0].env[2].valueFrom: Invalid value: "": must specify one of: '
        "`fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
    ]


def test_volume_mount_of_unknown_volume() -> None:
    body = _pod(containers=[{"name": "a", "image": "x", "volumeMounts": [
        {"name": "data", "mountPath": "/data"}]}])
    assert _messages(v.validate_pod(body)) == [
        'spec.containers[0].volumeMounts[0].name: Not found: "data"']


def test_toleration_operator_with_empty_key() -> None:
    body = _pod(tolerations=[{"operator": "Equal", "value": "x"}])
    assert _messages(v.validate_pod(body)) == [
        'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when '
        '`key` is empty, which means "match all values and all keys"']


def test_pod_update_may_only_change_images() -> None:
    cluster = world()
    create(cluster, pod())
    live = cluster.api.get(POD, "default", "web")
    import copy

    changed = copy.deepcopy(live)
    changed["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    try:
        cluster.api.update(changed, source="kubectl")
    except Exception as err:  # StatusError
        message = str(err)
    else:
        raise AssertionError("update accepted")
    first, *diff = message.split("\n")
    assert first == (
        'Pod "web" is invalid: spec: Forbidden: pod updates may not change fields other than '
        "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
        "`spec.tolerations` (only additions to existing tolerations),"
        "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously "
        "negative)")
    assert diff[0] == "  core.PodSpec{"
    assert any(line.startswith("- \t\t\tPorts:") for line in diff)
    assert any(line.startswith("+ \t\t\tPorts:") and "ContainerPort: 80" in line
               for line in diff)
    # An image change alone is fine and bumps the pod's generation.
    image = copy.deepcopy(live)
    image["spec"]["containers"][0]["image"] = "nginx:1.26"
    updated = cluster.api.update(image, source="kubectl")
    assert updated["metadata"]["generation"] == 2


def test_service_validation_messages() -> None:
    cluster = world()
    err = error(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                          "spec": {"ports": [{"port": 80}, {"port": 80}]}})
    assert err.message == (
        'Service "web" is invalid: [spec.ports[0].name: Required value, spec.ports[1].name: '
        'Required value, spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP",'
        '"AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}]')
    err = error(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "1web"},
                          "spec": {"ports": [{"port": 80}]}})
    assert err.message.startswith('Service "1web" is invalid: metadata.name: Invalid value: '
                                  '"1web": a DNS-1035 label must consist of lower case')
    err = error(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                          "spec": {"type": "Cluster", "ports": [{"port": 80}]}})
    assert 'spec.type: Unsupported value: "Cluster": supported values: "ClusterIP", ' \
        '"ExternalName", "LoadBalancer", "NodePort"' in err.message


def test_service_cluster_ip_is_immutable() -> None:
    cluster = world()
    svc = create(cluster, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                           "spec": {"ports": [{"port": 80}]}})
    import copy

    changed = copy.deepcopy(svc)
    changed["spec"]["clusterIP"] = "10.96.5.5"
    changed["spec"]["clusterIPs"] = ["10.96.5.5"]
    try:
        cluster.api.update(changed, source="kubectl")
    except Exception as err:
        assert str(err) == ('Service "web" is invalid: spec.clusterIPs[0]: Invalid value: '
                            '["10.96.5.5"]: may not change once set')
    else:
        raise AssertionError("update accepted")


def test_node_pod_cidr_and_taints() -> None:
    old = {"metadata": {"name": "n1", "resourceVersion": "1"},
           "spec": {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}}
    new = {"metadata": {"name": "n1", "resourceVersion": "1"},
           "spec": {"podCIDR": "10.244.2.0/24", "podCIDRs": ["10.244.2.0/24"],
                    "taints": [{"key": "a", "effect": "NoSchedule"},
                               {"key": "a", "effect": "NoSchedule"}]}}
    assert _messages(v.validate_node_update(new, old)) == [
        'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid',
        'metadata.taints[1]: Duplicate value: {"Key":"a","Value":"","Effect":"NoSchedule",'
        '"TimeAdded":null}: taints must be unique by key and effect pair',
    ]


def test_config_map_keys_and_size() -> None:
    cm = {"metadata": {"name": "c", "namespace": "default"},
          "data": {"bad key": "x", "big": "x" * (1024 * 1024)}}
    assert _messages(v.validate_config_map(cm)) == [
        'data[bad key]: Invalid value: "bad key": a valid config key must consist of '
        "alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or "
        "'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        "[]: Too long: may not be more than 1048576 bytes",
    ]


def test_namespace_name_is_a_dns_label() -> None:
    errs = v.validate_namespace({"metadata": {"name": "My.NS"}})
    assert errs[0].field == "metadata.name"
    assert errs[0].detail.startswith("a lowercase RFC 1123 label must consist")
