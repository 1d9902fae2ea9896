"""``kubectl patch``: strategic merge (default), JSON merge and JSON patch, with the apiserver
applying and validating the result (k8s.io/kubectl/pkg/cmd/patch/patch.go)."""

from __future__ import annotations

from k8slab import Lab


def test_strategic_merge_patch_then_no_change(lab: Lab) -> None:
    patch = """'{"spec":{"replicas":3}}'"""
    first = lab.kubectl(f"patch deployment coredns -n kube-system -p {patch}")
    assert (first.stdout, first.exit_code) == ("deployment.apps/coredns patched\n", 0)
    again = lab.kubectl(f"patch deployment coredns -n kube-system -p {patch}")
    assert again.stdout == "deployment.apps/coredns patched (no change)\n"
    spec = lab.kubectl("get deploy coredns -n kube-system -o jsonpath={.spec.replicas}")
    assert spec.stdout == "3"


def test_strategic_merge_keeps_other_containers_fields(lab: Lab) -> None:
    patch = """'{"spec":{"template":{"spec":{"containers":[{"name":"coredns","image":"x:1"}]}}}}'"""
    assert lab.kubectl(f"patch deploy coredns -n kube-system -p {patch}").ok
    out = lab.kubectl("get deploy coredns -n kube-system -o "
                      "jsonpath='{.spec.template.spec.containers[0].args}'").stdout
    assert out == '["-conf","/etc/coredns/Corefile"]'


def test_json_patch_and_merge_patch(lab: Lab) -> None:
    ops = """'[{"op":"replace","path":"/spec/replicas","value":1}]'"""
    assert lab.kubectl(f"patch deploy coredns -n kube-system --type json -p {ops}").ok
    merge = """'{"metadata":{"labels":{"tier":"dns"}}}'"""
    assert lab.kubectl(f"patch deploy coredns -n kube-system --type merge -p {merge}").ok
    got = lab.kubectl("get deploy coredns -n kube-system -o "
                      "jsonpath='{.spec.replicas} {.metadata.labels.tier}'").stdout
    assert got == "1 dns"


def test_invalid_result_is_refused_and_nothing_changes(lab: Lab) -> None:
    rv = "get deploy coredns -n kube-system -o jsonpath={.metadata.resourceVersion}"
    before = lab.kubectl(rv).stdout
    bad = lab.kubectl("""patch deploy coredns -n kube-system -p '{"spec":{"replicas":-1}}'""")
    assert bad.exit_code == 1
    assert bad.stderr == ('The Deployment "coredns" is invalid: spec.replicas: Invalid value: '
                          "-1: must be greater than or equal to 0\n")
    # YAML 1.1 reads `y` as a boolean, as kubectl's go-yaml does: the apiserver refuses it.
    yaml_bool = lab.kubectl("patch deploy coredns -n kube-system --type merge "
                            "-p 'metadata: {labels: {x: y}}'")
    assert "cannot unmarshal bool into Go struct field ObjectMeta.metadata.labels" in (
        yaml_bool.stderr)
    assert lab.kubectl(rv).stdout == before
