"""Manifests a learner gets wrong, and what the apiserver answers.

The texts are the apiserver's (kubectl prefixes Invalid errors with ``The Pod "x" is
invalid`` itself, from the Status details checked here): strict decoding
(``sigs.k8s.io/json`` via ``k8s.io/apimachinery/pkg/runtime/serializer/json``), Go's
``encoding/json`` type errors, ``resource.ErrFormatWrong``, and field validation
(``pkg/apis/core/validation/validation.go``; ``field.Error.ErrorBody``).
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from k8slab.api.errors import StatusError
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster(seed=0)
    for ns in ("default", "kube-system"):
        c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}},
                     source="kubeadm")
    c.loop.advance(1 * SECOND)
    return c


def _reject(cluster: Cluster, manifest: str) -> StatusError:
    body: Any = yaml.safe_load(manifest)
    try:
        cluster.api.create(copy.deepcopy(body), source="kubectl", dry_run=True)
    except StatusError as err:
        return err
    raise AssertionError("accepted")


POD = """
apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
  - name: nginx
    image: nginx:1.25
"""


def test_typo_in_field_name(cluster: Cluster) -> None:
    err = _reject(cluster, POD.replace("image:", "imagee:"))
    assert (err.code, err.reason) == (400, "BadRequest")
    assert err.message == ('Pod in version "v1" cannot be handled as a Pod: strict decoding '
                           'error: unknown field "spec.containers[0].imagee"')


def test_port_as_string(cluster: Cluster) -> None:
    err = _reject(cluster, POD + '    ports:\n    - containerPort: "80"\n')
    assert err.message == ('Pod in version "v1" cannot be handled as a Pod: json: cannot '
                           "unmarshal string into Go struct field ContainerPort.spec.containers."
                           "ports.containerPort of type int32")


def test_bad_quantity(cluster: Cluster) -> None:
    err = _reject(cluster, POD + "    resources:\n      limits:\n        memory: 128 MB\n")
    assert err.message == ('Pod in version "v1" cannot be handled as a Pod: quantities must '
                           "match the regular expression "
                           "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")


def test_missing_image(cluster: Cluster) -> None:
    err = _reject(cluster, POD.replace("    image: nginx:1.25\n", ""))
    assert (err.code, err.reason, err.kind, err.name) == (422, "Invalid", "Pod", "web")
    assert err.message == 'Pod "web" is invalid: spec.containers[0].image: Required value'
    assert [str(c) for c in err.causes] == ["spec.containers[0].image: Required value"]


def test_uppercase_name(cluster: Cluster) -> None:
    err = _reject(cluster, POD.replace("name: web", "name: Web"))
    assert err.message.startswith('Pod "Web" is invalid: metadata.name: Invalid value: "Web": '
                                  "a lowercase RFC 1123 subdomain must consist of")


def test_wrong_restart_policy_and_probe(cluster: Cluster) -> None:
    manifest = POD + """    livenessProbe:
      initialDelaySeconds: 5
  restartPolicy: Never1
"""
    err = _reject(cluster, manifest)
    assert [str(c) for c in err.causes] == [
        "spec.containers[0].livenessProbe: Required value: must specify a handler type",
        'spec.restartPolicy: Unsupported value: "Never1": supported values: "Always", '
        '"OnFailure", "Never"',
    ]


def test_service_node_port_out_of_range(cluster: Cluster) -> None:
    err = _reject(cluster, """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: 80
""")
    assert err.message == ('Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: '
                           "provided port is not in the valid range. The range of valid ports "
                           "is 30000-32767")


def test_deployment_style_selector_on_a_service(cluster: Cluster) -> None:
    err = _reject(cluster, """
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  ports:
  - port: 80
""")
    assert err.message == ('Service in version "v1" cannot be handled as a Service: json: cannot '
                           "unmarshal object into Go struct field ServiceSpec.spec.selector of "
                           "type string")


def test_dry_run_changes_nothing(cluster: Cluster) -> None:
    before = cluster.api.revision
    body = yaml.safe_load(POD)
    cluster.api.create(body, source="kubectl", dry_run=True)
    assert cluster.api.revision == before
