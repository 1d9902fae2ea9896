"""apps/v1 defaulting, strategies and validation through the apiserver.

References: kubernetes.md §1.1 (defaults), §9.4 (error texts); upstream
``pkg/apis/apps/v1/defaults.go``, ``pkg/apis/apps/validation/validation.go`` and
``pkg/registry/apps/deployment/strategy.go``. The Deployment defaults are compared with a real
1.35 server's ``kubectl get deployment -o yaml`` (quoted in the test).
"""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

import pytest
import yaml

from k8slab.api.errors import StatusError
from k8slab.api.kinds import by_gvk
from k8slab.cluster import Cluster

DEPLOYMENT = by_gvk("apps/v1", "Deployment")
REPLICASET = by_gvk("apps/v1", "ReplicaSet")
ROOT = Path(__file__).resolve().parents[3]
KUBECTL = ROOT / ".venv" / "bin" / "kubectl"


def _api():
    api = Cluster(seed=0).api
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}},
               source="test")
    return api


@pytest.fixture
def api():
    return _api()


def body(**spec_overrides):
    d = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "nginx-deployment", "labels": {"app": "nginx"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "nginx"}},
            "template": {
                "metadata": {"labels": {"app": "nginx"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25",
                                         "ports": [{"containerPort": 8080}]}]},
            },
        },
    }
    d["spec"].update(spec_overrides)
    return d


# A real server's answer for the body above (kubectl get deployment -o yaml, Kubernetes 1.35,
# minus metadata the apiserver assigns and status).
REAL_SPEC = yaml.safe_load("""
progressDeadlineSeconds: 600
replicas: 2
revisionHistoryLimit: 10
selector:
  matchLabels:
    app: nginx
strategy:
  rollingUpdate:
    maxSurge: 25%
    maxUnavailable: 25%
  type: RollingUpdate
template:
  metadata:
    labels:
      app: nginx
  spec:
    containers:
    - image: nginx:1.25
      imagePullPolicy: IfNotPresent
      name: nginx
      ports:
      - containerPort: 8080
        protocol: TCP
      resources: {}
      terminationMessagePath: /dev/termination-log
      terminationMessagePolicy: File
    dnsPolicy: ClusterFirst
    restartPolicy: Always
    schedulerName: default-scheduler
    securityContext: {}
    terminationGracePeriodSeconds: 30
""")


def test_deployment_defaults_match_a_real_server(api):
    d = api.create(body(), source="kubectl")
    assert d["spec"] == REAL_SPEC
    assert d["status"] == {}
    assert d["metadata"]["generation"] == 1
    # no creationTimestamp: null in the template (1.35+ server, kubectl 1.37)
    assert "creationTimestamp" not in d["spec"]["template"]["metadata"]


def test_kubectl_create_deployment_body_is_defaulted_like_the_server():
    """The oracle's client-side body (``strategy: {}``) gets 25%/25% on the server."""
    if not KUBECTL.exists():
        pytest.skip("kubectl oracle not installed")
    out = subprocess.run([str(KUBECTL), "create", "deployment", "web", "--image=nginx:1.25",
                          "--replicas=3", "--dry-run=client", "-o", "yaml"],
                         capture_output=True, text=True, check=True,
                         env={"KUBECONFIG": "/dev/null", "PATH": "/usr/bin:/bin"}).stdout
    sent = yaml.safe_load(out)
    assert sent["spec"]["strategy"] == {}
    created = _api().create(sent, source="kubectl")
    assert created["spec"]["strategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}}
    assert created["spec"]["revisionHistoryLimit"] == 10
    assert created["spec"]["progressDeadlineSeconds"] == 600
    assert created["status"] == {}


def test_recreate_gets_no_rolling_update_defaults(api):
    d = api.create(body(strategy={"type": "Recreate"}), source="kubectl")
    assert d["spec"]["strategy"] == {"type": "Recreate"}


def test_replica_set_starts_with_replicas_zero_status(api):
    rs = body()
    rs["kind"] = "ReplicaSet"
    rs["spec"].pop("replicas")
    created = api.create(rs, source="kubectl")
    assert created["spec"]["replicas"] == 1
    assert created["status"] == {"replicas": 0}


def test_generation_follows_spec_and_annotations_not_status(api):
    """deployment strategy PrepareForUpdate: annotations bump the generation too."""
    api.create(body(), source="kubectl")
    d = api.get(DEPLOYMENT, "default", "nginx-deployment")
    changed = copy.deepcopy(d)
    changed["spec"]["replicas"] = 5
    d = api.update(changed, source="kubectl")
    assert d["metadata"]["generation"] == 2
    changed = copy.deepcopy(d)
    changed["metadata"]["annotations"] = {"kubernetes.io/change-cause": "x"}
    d = api.update(changed, source="kubectl")
    assert d["metadata"]["generation"] == 3
    # the controller records its revision through …/status: no generation bump
    status_write = {**d, "metadata": {**d["metadata"], "annotations": {
        **d["metadata"]["annotations"], "deployment.kubernetes.io/revision": "1"}},
        "status": {"observedGeneration": 3}}
    d = api.update(status_write, source="deployment-controller", status=True, trusted=True)
    assert d["metadata"]["generation"] == 3
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    assert d["status"] == {"observedGeneration": 3}


def invalid(api, obj) -> str:
    with pytest.raises(StatusError) as info:
        api.create(obj, source="kubectl")
    assert info.value.reason == "Invalid"
    return info.value.message


def test_negative_replicas_message(api):
    # kubernetes.md §9.4
    assert invalid(api, body(replicas=-1)) == (
        'Deployment.apps "nginx-deployment" is invalid: spec.replicas: Invalid value: -1: '
        "must be greater than or equal to 0")


def test_missing_selector_and_label_mismatch(api):
    b = body()
    del b["spec"]["selector"]
    assert invalid(api, b) == (
        'Deployment.apps "nginx-deployment" is invalid: [spec.selector: Required value, '
        'spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not '
        "match template `labels`]")


def test_empty_selector_message(api):
    b = body(selector={})
    assert invalid(api, b) == (
        'Deployment.apps "nginx-deployment" is invalid: spec.selector: Invalid value: {}: '
        "empty selector is invalid for deployment")


def test_both_fenceposts_zero(api):
    b = body(strategy={"type": "RollingUpdate",
                       "rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}})
    assert invalid(api, b) == (
        'Deployment.apps "nginx-deployment" is invalid: '
        'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when '
        "`maxSurge` is 0")


def test_bad_percent_and_over_100(api):
    b = body(strategy={"type": "RollingUpdate",
                       "rollingUpdate": {"maxSurge": "x", "maxUnavailable": "150%"}})
    msg = invalid(api, b)
    assert ("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"x\": a valid percent string "
            "must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex "
            "used for validation is '[0-9]+%')") in msg
    assert ('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be '
            "greater than 100%") in msg


def test_recreate_with_rolling_update_is_forbidden(api):
    b = body(strategy={"type": "Recreate", "rollingUpdate": {"maxSurge": 1}})
    assert invalid(api, b).endswith(
        "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is "
        "'Recreate'")


def test_restart_policy_and_progress_deadline(api):
    b = body(progressDeadlineSeconds=5, minReadySeconds=10)
    b["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    msg = invalid(api, b)
    assert ('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: '
            '"Always"') in msg
    assert ("spec.progressDeadlineSeconds: Invalid value: 5: must be greater than "
            "minReadySeconds") in msg


def test_selector_is_immutable(api):
    api.create(body(), source="kubectl")
    d = copy.deepcopy(api.get(DEPLOYMENT, "default", "nginx-deployment"))
    d["spec"]["selector"] = {"matchLabels": {"app": "nginx2"}}
    d["spec"]["template"]["metadata"]["labels"] = {"app": "nginx2"}
    with pytest.raises(StatusError) as info:
        api.update(d, source="kubectl")
    assert info.value.message == (
        'Deployment.apps "nginx-deployment" is invalid: spec.selector: Invalid value: '
        '{"matchLabels":{"app":"nginx2"}}: field is immutable')


def test_replica_set_empty_selector_says_deployment(api):
    """Upstream's ReplicaSet validation reuses the Deployment's wording."""
    rs = body(selector={})
    rs["kind"] = "ReplicaSet"
    assert invalid(api, rs) == (
        'ReplicaSet.apps "nginx-deployment" is invalid: spec.selector: Invalid value: {}: '
        "empty selector is invalid for deployment")


def test_status_validation(api):
    api.create(body(), source="kubectl")
    d = api.get(DEPLOYMENT, "default", "nginx-deployment")
    with pytest.raises(StatusError) as info:
        api.update({**d, "status": {"replicas": 1, "readyReplicas": 2}}, source="x",
                   status=True, trusted=True)
    assert "status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas" in (
        info.value.message)


def test_daemon_set_and_stateful_set_defaults(api):
    ds = body()
    ds["kind"] = "DaemonSet"
    del ds["spec"]["replicas"]
    ds = api.create(ds, source="kubectl")
    assert ds["spec"]["updateStrategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert ds["spec"]["revisionHistoryLimit"] == 10
    sts = body()
    sts["kind"] = "StatefulSet"
    sts["metadata"]["name"] = "web"
    sts = api.create(sts, source="kubectl")
    assert sts["spec"]["podManagementPolicy"] == "OrderedReady"
    assert sts["spec"]["updateStrategy"] == {
        "type": "RollingUpdate", "rollingUpdate": {"partition": 0, "maxUnavailable": 1}}
    assert sts["spec"]["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain", "whenScaled": "Retain"}
    assert sts["status"] == {"replicas": 0, "availableReplicas": 0}
