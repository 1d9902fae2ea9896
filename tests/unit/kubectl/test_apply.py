"""``kubectl apply``/``create -f`` against the lab's apiserver.

References: kubernetes.md §9.3 (messages), §9.4 (errors), §1.9 (``--record``); upstream
``k8s.io/kubectl/pkg/cmd/apply/apply.go`` (three-way merge, last-applied annotation, warning
text, error aggregation) and ``pkg/cmd/util/helpers.go`` (CheckErr formats).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from k8slab import Lab
from k8slab.api.kinds import by_gvk

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.10
        ports:
        - containerPort: 80
"""
DEPLOYMENT = by_gvk("apps/v1", "Deployment")
CONFIGMAP = by_gvk("v1", "ConfigMap")
LAST = "kubectl.kubernetes.io/last-applied-configuration"


def _deploy(lab: Lab) -> dict:
    assert DEPLOYMENT is not None
    return lab.api.get(DEPLOYMENT, "default", "web")


def test_created_configured_unchanged(kc: Callable, put: Callable, lab: Lab) -> None:
    put("web.yaml", DEPLOY)
    assert kc("apply -f web.yaml") == ("deployment.apps/web created\n", "", 0)
    assert kc("apply -f web.yaml") == ("deployment.apps/web unchanged\n", "", 0)
    put("web.yaml", DEPLOY.replace("nginx:1.10", "nginx:1.11"))
    assert kc("apply -f web.yaml") == ("deployment.apps/web configured\n", "", 0)
    container = _deploy(lab)["spec"]["template"]["spec"]["containers"][0]
    assert container["image"] == "nginx:1.11"


def test_last_applied_is_the_file_as_json_with_namespace(kc: Callable, put: Callable,
                                                         lab: Lab) -> None:
    put("web.yaml", DEPLOY)
    kc("apply -f web.yaml")
    text = _deploy(lab)["metadata"]["annotations"][LAST]
    # GetModifiedConfiguration: compact JSON, sorted keys, trailing newline; the builder
    # wrote the default namespace into the object first.
    assert text.endswith("}\n") and text.startswith('{"apiVersion":"apps/v1","kind"')
    assert json.loads(text)["metadata"] == {"name": "web", "namespace": "default"}


def test_three_way_merge_keeps_server_fields_and_drops_removed_ones(
    kc: Callable, put: Callable, lab: Lab
) -> None:
    put("web.yaml", DEPLOY.replace("  replicas: 2\n", "  replicas: 2\n  minReadySeconds: 5\n"))
    kc("apply -f web.yaml")
    # another client changes a field the file does not mention
    assert kc("annotate deploy web team=blue")[2] == 0
    put("web.yaml", DEPLOY)  # minReadySeconds removed from the file
    assert kc("apply -f web.yaml")[0] == "deployment.apps/web configured\n"
    d = _deploy(lab)
    assert "minReadySeconds" not in d["spec"] or d["spec"]["minReadySeconds"] == 0
    assert d["metadata"]["annotations"]["team"] == "blue"
    # server defaults survive (they were never in the file)
    assert d["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_apply_after_create_warns_and_merges_containers(kc: Callable, put: Callable,
                                                        lab: Lab) -> None:
    assert kc("create deployment web --image=nginx:1.10")[2] == 0
    put("web.yaml", DEPLOY)
    out, err, code = kc("apply -f web.yaml")
    assert (out, code) == ("deployment.apps/web configured\n", 0)
    assert err == (
        "Warning: resource deployments/web is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
        "kubectl apply. kubectl apply should only be used on resources created declaratively "
        "by either kubectl create --save-config or kubectl apply. The missing annotation will "
        "be patched automatically.\n")
    names = [c["name"] for c in _deploy(lab)["spec"]["template"]["spec"]["containers"]]
    assert names == ["nginx"]  # same merge key "nginx": merged, not duplicated


def test_record_writes_change_cause_and_warns(kc: Callable, put: Callable, lab: Lab) -> None:
    put("k8s.run.yaml", DEPLOY)
    _out, err, code = kc("apply -f k8s.run.yaml --record")
    assert code == 0
    assert err == "Flag --record has been deprecated, --record will be removed in the future\n"
    annotations = _deploy(lab)["metadata"]["annotations"]
    assert annotations["kubernetes.io/change-cause"] == (
        "kubectl apply --filename=k8s.run.yaml --record=true")


def test_multi_document_good_first_errors_after(kc: Callable, put: Callable, lab: Lab) -> None:
    put("multi.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\n"
        "apiVersion: v1\nkind: Foo\nmetadata:\n  name: f\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: two\n")
    out, err, code = kc("apply -f multi.yaml")
    assert out == "configmap/one created\nconfigmap/two created\n"
    # brief + cli-runtime mapper.go: the mapping error, with its CRD hint, after the successes
    assert err == ('error: resource mapping not found for name: "f" namespace: "" from '
                   '"multi.yaml": no matches for kind "Foo" in version "v1"\n'
                   "ensure CRDs are installed first\n")
    assert code == 1
    assert CONFIGMAP is not None
    assert lab.api.try_get(CONFIGMAP, "default", "two") is not None


def test_istio_kinds_without_crds(kc: Callable, put: Callable) -> None:
    put("vs.yaml", "apiVersion: networking.istio.io/v1alpha3\nkind: VirtualService\n"
        "metadata:\n  name: flaskapp\nspec:\n  hosts: [flaskapp]\n")
    _, err, code = kc("apply -f vs.yaml")
    assert code == 1
    assert err == ('error: resource mapping not found for name: "flaskapp" namespace: "" from '
                   '"vs.yaml": no matches for kind "VirtualService" in version '
                   '"networking.istio.io/v1alpha3"\nensure CRDs are installed first\n')


def test_invalid_errors_single_and_several(kc: Callable, put: Callable) -> None:
    # kubernetes.md §9.4: one cause on the same line
    put("neg.yaml", DEPLOY.replace("replicas: 2", "replicas: -1"))
    assert kc("apply -f neg.yaml") == (
        "", 'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be '
            "greater than or equal to 0\n", 1)


def test_invalid_with_several_causes_is_a_bullet_list(kc: Callable, put: Callable) -> None:
    # helpers.go MultilineError: the prefix line keeps its trailing space.
    put("bad.yaml", DEPLOY.replace("replicas: 2", "replicas: -1").replace(
        "    metadata:\n      labels: {app: web}", "    metadata:\n      labels: {app: other}"))
    out, err, code = kc("apply -f bad.yaml")
    lines = err.splitlines()
    assert (out, code) == ("", 1)
    assert lines[0] == 'The Deployment "web" is invalid: '
    assert lines[1] == ("* spec.replicas: Invalid value: -1: must be greater than or equal "
                        "to 0")
    assert lines[2].startswith("* spec.template.metadata.labels: Invalid value: ")


def test_strict_decoding_error_on_create(kc: Callable, put: Callable) -> None:
    put("typo.yaml", DEPLOY.replace("replicas: 2", "replica: 2"))
    assert kc("apply -f typo.yaml") == (
        "", 'Error from server (BadRequest): error when creating "typo.yaml": Deployment in '
            'version "v1" cannot be handled as a Deployment: strict decoding error: unknown '
            'field "spec.replica"\n', 1)


def test_create_existing_and_invalid_aggregate(kc: Callable, put: Callable) -> None:
    put("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n")
    out, err, code = kc("create -f cm.yaml")
    assert out == "configmap/a created\n" and code == 1
    assert err.startswith('The ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: '
                          '"Bad_Name": a lowercase RFC 1123 subdomain')
    out, err, code = kc("create -f cm.yaml")
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == ('Error from server (AlreadyExists): error when creating "cm.yaml": '
                        'configmaps "a" already exists')
    assert lines[1].startswith('Error from server (Invalid): error when creating "cm.yaml": '
                               'ConfigMap "Bad_Name" is invalid: metadata.name:')


def test_dry_runs_write_nothing(kc: Callable, put: Callable, lab: Lab) -> None:
    put("web.yaml", DEPLOY)
    before = len(lab.trace)
    out, _, code = kc("apply -f web.yaml --dry-run=client -o yaml")
    assert code == 0 and LAST in out and "namespace: default" in out
    assert kc("apply -f web.yaml --dry-run=server")[0] == (
        "deployment.apps/web created (server dry run)\n")
    assert not [r for r in lab.trace.since(before) if r.source == "kubectl"]


def test_output_yaml_printed_after_all_objects(kc: Callable, put: Callable) -> None:
    put("two.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n")
    out, _, code = kc("apply -f two.yaml -o name")
    assert (out, code) == ("configmap/a\nconfigmap/b\n", 0)
    out, _, _ = kc("apply -f two.yaml -o yaml")
    assert out.startswith("apiVersion: v1\nitems:\n") and "kind: List" in out


def test_stdin_and_path_errors(kc: Callable) -> None:
    cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\n"
    assert kc("apply -f -", stdin=cm) == ("configmap/s created\n", "", 0)
    assert kc("apply -f nope.yaml") == ("", 'error: the path "nope.yaml" does not exist\n', 1)
    assert kc("apply") == ("", "error: must specify one of -f and -k\n", 1)


def test_url_manifests_are_offline(kc: Callable) -> None:
    url = ("https://github.com/kubernetes-sigs/metrics-server/releases/download/v0.3.7/"
           "components.yaml")
    from k8slab.cli.kubectl.resource import URLS

    if url in URLS:  # another part of the lab provides it
        return
    _, err, code = kc(f"apply -f {url}")
    assert code == 1
    assert err == (f'error: unable to read URL "{url}", server reported 404 Not Found, '
                   "status code=404\n")
