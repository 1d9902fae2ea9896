"""The lab's kubectl against the real kubectl 1.37.1 binary, byte for byte.

Everything here is client-side in kubectl (no cluster needed): cobra/pflag usage errors and
suggestions, help texts, required flags, the generators of ``create``/``run``/``expose`` with
``--dry-run=client``, the resource builder's file handling (YAML/JSON decoding errors, kind
validation, ``resource mapping not found``, multi-document streams) and
``delete --dry-run=client``. (Unknown kinds and resource types make the binary refresh its
discovery from the network, so those texts are checked in tests/unit/kubectl against
kubernetes.md §9.4 and cli-runtime's mapper.go instead.) The binary gets a discovery cache
written from the lab's kinds table (tests/oracle/kubectl_oracle.py), so both sides map the same
resources. Each case must produce identical stdout, stderr (klog stamps aside) and exit code.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from kubectl_oracle import available, copy_files, ours, real

from k8slab import Lab

pytestmark = pytest.mark.skipif(not available(), reason="real kubectl binary not installed")

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: test-web-deployment
  labels: {tier: web}
spec:
  selector:
    matchLabels:
      app: test-web-deployment
  replicas: 10
  template:
    metadata:
      labels:
        app: test-web-deployment
    spec:
      containers:
        - name: test-web
          image: nginx:1.10
          ports:
            - containerPort: 80
            - containerPort: 53
              protocol: UDP
"""
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
       "  - name: c\n    image: busybox\n")
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n"

FILES: dict[str, str | bytes] = {
    "deploy.yaml": DEPLOY,
    "pod.yaml": POD,
    "cm.yaml": CM,
    "bad.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n",
    "tab.yaml": "metadata:\n\tname: x\n",
    "indent.yaml": "a:\n  b: 1\n c: 2\n",
    "flow.yaml": "a: [1, 2\nb: 3\n",
    "quote.yaml": 'a: "abc\nb: 3\n',
    "alias.yaml": "a: *x\n",
    "bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdef", "bcdefg")),
    "binary.yaml": b"apiVersion: v1\x01\n",
    "nokind.yaml": "metadata:\n  name: x\n",
    "onlyav.yaml": "apiVersion: v1\n",
    "onlykind.yaml": "kind: Pod\n",
    "avnum.yaml": "apiVersion: 1\nkind: Pod\n",
    "kindlist.yaml": "apiVersion: v1\nkind: [1]\n",
    "list.yaml": "- a\n- b\n",
    "scalar.yaml": "hello\n",
    "empty.yaml": "",
    "comments.yaml": "# nothing\n",
    "sep.yaml": "--- foo\nmetadata: {}\n",
    "types.yaml": ("a: 2020-01-01\nb: 1e3\nc: yes\nd: 0777\ne: 1_000\nf: ~\nh: 0x1F\n1: x\n"
                   "true: y\ni: 1.0\nk: \"\\u00e9\"\nl: !!str 5\nm: 3.14159265358979323846\n"
                   "n: -.5\no: 09\np: 1e500\nq: 190:20:30\nr: <&>\n"),
    "keys.yaml": "y: 1\nn: 2\nYes: 3\noff: 4\n0o17: 7\n+12: 8\n1.5: 9\n1e3: 10\n.5: 11\n",
    "dup.yaml": "metadata:\n  name: x\n  name: y\n",
    "multi.yaml": CM + "---\n" + POD + "---\n" + "metadata:\n  name: x\n---\n"
                  + CM.replace("name: a", "name: b"),
    "multibad.yaml": CM + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n",
    "nsp.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\n",
    "badname.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: n\n",
    "bad.json": '{"metadata": {"name": 1}',
    "good.json": '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}',
    "dir/a.yaml": CM,
    "dir/b.yml": POD,
    "dir/ignored.txt": "not yaml",
    "dir/sub/c.yaml": CM.replace("name: a", "name: c"),
    "env.txt": "A=1\n# comment\nB=two\n\n",
    "badenv.txt": "A=1\nB = two\n",
    "f.txt": "hello\n",
}

# Each case: the arguments after "kubectl", and stdin.
CASES: list[tuple[str, list[str], str]] = [
    # cobra / pflag
    ("unknown-flag", ["get", "--foo"], ""),
    ("unknown-shorthand", ["get", "pods", "-x"], ""),
    ("needs-arg-short", ["get", "-n"], ""),
    ("needs-arg-long", ["get", "pods", "--namespace"], ""),
    ("bad-bool", ["get", "pods", "--all-namespaces=foo"], ""),
    ("bad-bool-short", ["get", "pods", "-w=3"], ""),
    ("bad-int", ["scale", "deploy/x", "--replicas=abc"], ""),
    ("bad-syntax", ["get", "pods", "---x"], ""),
    ("bad-syntax-eq", ["get", "pods", "--=x"], ""),
    ("root-unknown-flag", ["--foo", "get"], ""),
    ("root-needs-arg", ["--namespace"], ""),
    ("unknown-command", ["foo"], ""),
    ("unknown-command-2", ["gett", "pods"], ""),
    ("unknown-command-none", ["zzzzzz"], ""),
    ("suggest-prefix", ["c"], ""),
    ("suggest-e", ["e"], ""),
    ("group-unknown", ["rollout", "statsu", "x"], ""),
    ("group-bare-rollout", ["rollout"], ""),
    ("group-bare-set", ["set"], ""),
    ("group-bare-create-secret", ["create", "secret"], ""),
    ("create-unexpected", ["create", "deploymen", "x"], ""),
    ("create-nothing", ["create"], ""),
    ("apply-nothing", ["apply"], ""),
    ("help-get", ["get", "--help"], ""),
    ("help-short", ["rollout", "undo", "-h"], ""),
    ("help-cmd", ["help", "scale"], ""),
    ("help-unknown", ["help", "foo"], ""),
    ("help-root", ["--help"], ""),
    ("help-then-error", ["get", "pods", "--help", "--foo"], ""),
    ("options", ["options"], ""),
    ("deprecated-record", ["scale", "--record", "deploy/x"], ""),
    ("required-replicas", ["scale", "deploy/x"], ""),
    ("required-image", ["create", "deployment", "x"], ""),
    ("required-image-run", ["run", "x"], ""),
    ("negative-replicas", ["scale", "deploy/x", "--replicas=-1"], ""),
    ("version-client", ["version", "--client"], ""),
    ("version-client-json", ["version", "--client", "-o", "json"], ""),
    ("version-client-yaml", ["version", "--client", "-o", "yaml"], ""),
    ("version-extra", ["version", "foo"], ""),
    ("version-bad-output", ["version", "-o", "foo"], ""),
    ("get-nothing", ["get"], ""),
    ("describe-nothing", ["describe"], ""),
    ("delete-nothing", ["delete"], ""),
    ("label-nothing", ["label"], ""),
    ("logs-nothing", ["logs"], ""),
    ("logs-too-many", ["logs", "a", "b", "c"], ""),
    ("logs-selector-and-name", ["logs", "-l", "app=x", "a"], ""),
    ("exec-nothing", ["exec"], ""),
    ("exec-no-command", ["exec", "x"], ""),
    ("exec-old-form", ["exec", "x", "ls"], ""),
    ("cordon-nothing", ["cordon"], ""),
    ("drain-nothing", ["drain"], ""),
    ("explain-two", ["explain", "a", "b"], ""),
    ("explain-nothing", ["explain"], ""),
    ("wait-no-for", ["wait", "x"], ""),
    ("wait-bad-for", ["wait", "--for=foo"], ""),
    ("rollout-status-nothing", ["rollout", "status"], ""),
    ("rollout-history-nothing", ["rollout", "history"], ""),
    ("api-resources-args", ["api-resources", "foo"], ""),
    ("api-resources-output", ["api-resources", "-o", "foo"], ""),
    # --cached: the binary reads discovery from its cache instead of refreshing it.
    ("api-resources", ["api-resources", "--cached"], ""),
    ("api-resources-wide", ["api-resources", "--cached", "-o", "wide"], ""),
    ("api-resources-name", ["api-resources", "--cached", "-o", "name"], ""),
    ("api-resources-cluster", ["api-resources", "--cached", "--namespaced=false"], ""),
    ("api-resources-apps", ["api-resources", "--cached", "--api-group=apps", "--no-headers"],
     ""),
    ("api-resources-sort-kind", ["api-resources", "--cached", "--sort-by=kind"], ""),
    ("dry-run-bad", ["apply", "-f", "pod.yaml", "--dry-run=foo"], ""),
    ("cascade-bad", ["delete", "--cascade=foo", "pods", "x"], ""),
    ("validate-bad", ["apply", "-f", "pod.yaml", "--validate=foo"], ""),
    ("path-missing", ["apply", "-f", "nope.yaml"], ""),
    ("path-missing-record", ["apply", "--record", "-f", "nope.yaml"], ""),
    ("path-missing-two", ["create", "-f", "nope.yaml", "-f", "nope2.yaml"], ""),
    # generators
    ("create-deploy", ["create", "deployment", "web", "--image=nginx:1.25", "--image=busybox",
                       "--replicas=3", "--port=80", "--dry-run=client", "-o", "yaml"], ""),
    ("create-deploy-talk", ["create", "deployment", "--image", "nginx:1.10",
                            "test-web-deployment", "--dry-run=client", "-o", "yaml"], ""),
    ("create-deploy-cmd", ["create", "deployment", "web", "--image=busybox",
                           "--dry-run=client", "-o", "json", "--", "date", "-u"], ""),
    ("create-deploy-name", ["create", "deployment", "web", "--image=busybox",
                            "--dry-run=client"], ""),
    ("create-deploy-oname", ["create", "deployment", "web", "--image=busybox",
                             "--dry-run=client", "-o", "name"], ""),
    ("create-deploy-ns", ["-n", "team", "create", "deployment", "web", "--image=busybox",
                          "--dry-run=client", "-o", "yaml"], ""),
    ("create-deploy-multi-cmd", ["create", "deployment", "x", "--image=a", "--image=b",
                                 "--dry-run=client", "--", "date"], ""),
    ("create-deploy-dry-true", ["create", "deployment", "x", "--image=a", "--dry-run=true",
                                "-o", "name"], ""),
    ("create-deploy-dry-bare", ["create", "deployment", "x", "--image=a", "--dry-run",
                                "-o", "name"], ""),
    ("create-deploy-two-names", ["create", "deployment", "a", "b", "--image=x"], ""),
    ("create-deploy-bad-output", ["create", "deployment", "x", "--image=a",
                                  "--dry-run=client", "-o", "wide"], ""),
    ("create-deploy-jsonpath", ["create", "deployment", "x", "--image=a", "--dry-run=client",
                                "-o", "jsonpath={.spec.template.spec.containers[0].name}"], ""),
    ("create-deploy-jsonpath-empty", ["create", "deployment", "x", "--image=a",
                                      "--dry-run=client", "-o", "jsonpath"], ""),
    ("create-ns", ["create", "namespace", "foo", "--dry-run=client", "-o", "yaml"], ""),
    ("create-ns-nothing", ["create", "namespace"], ""),
    ("create-cm", ["create", "configmap", "cm", "--from-literal=a=1", "--from-literal=b=x=y",
                   "--from-file=f.txt", "--from-file=k=f.txt", "--dry-run=client", "-o",
                   "yaml"], ""),
    ("create-cm-env", ["create", "configmap", "cm", "--from-env-file=env.txt",
                       "--dry-run=client", "-o", "yaml"], ""),
    ("create-cm-badenv", ["create", "configmap", "cm", "--from-env-file=badenv.txt",
                          "--dry-run=client"], ""),
    ("create-cm-literal", ["create", "configmap", "cm", "--from-literal=a",
                           "--dry-run=client"], ""),
    ("create-cm-dup", ["create", "configmap", "cm", "--from-literal=a=1",
                       "--from-literal=a=2", "--dry-run=client"], ""),
    ("create-cm-badkey", ["create", "configmap", "cm", "--from-literal=x@y=2",
                          "--dry-run=client"], ""),
    ("create-cm-nofile", ["create", "configmap", "cm", "--from-file=nope.txt",
                          "--dry-run=client"], ""),
    ("create-secret", ["create", "secret", "generic", "s", "--from-literal=a=1",
                       "--from-file=f.txt", "--type=Opaque", "--dry-run=client", "-o",
                       "yaml"], ""),
    ("create-secret-empty", ["create", "secret", "generic", "s", "--dry-run=client", "-o",
                             "json"], ""),
    ("create-secret-dup", ["create", "secret", "generic", "s", "--from-literal=a=1",
                           "--from-literal=a=2", "--dry-run=client"], ""),
    ("create-secret-badkey", ["create", "secret", "generic", "s", "--from-literal=x@y=1",
                              "--dry-run=client"], ""),
    ("create-secret-nokey", ["create", "secret", "generic", "s", "--from-literal==1",
                             "--dry-run=client"], ""),
    ("create-cm-dir", ["create", "configmap", "c", "--from-file=dir", "--dry-run=client", "-o",
                       "yaml"], ""),
    ("create-cm-dir-key", ["create", "configmap", "c", "--from-file=k=dir",
                           "--dry-run=client"], ""),
    ("create-secret-mixed", ["create", "secret", "generic", "s", "--from-file=f.txt",
                             "--from-env-file=env.txt", "--dry-run=client"], ""),
    ("create-svc-clusterip", ["create", "service", "clusterip", "svc", "--tcp=80:8080",
                              "--tcp=443", "--tcp=81:http", "--dry-run=client", "-o",
                              "yaml"], ""),
    ("create-svc-nodeport", ["create", "service", "nodeport", "np", "--tcp=8080:80",
                             "--node-port=30044", "--dry-run=client", "-o", "yaml"], ""),
    ("create-svc-lb", ["create", "service", "loadbalancer", "lb", "--tcp=80",
                       "--dry-run=client", "-o", "yaml"], ""),
    ("create-svc-headless", ["create", "service", "clusterip", "hl", "--clusterip=None",
                             "--dry-run=client", "-o", "yaml"], ""),
    ("create-svc-noport", ["create", "service", "clusterip", "x", "--dry-run=client"], ""),
    ("create-svc-badport", ["create", "service", "clusterip", "x", "--tcp=abc",
                            "--dry-run=client"], ""),
    ("create-svc-badtarget", ["create", "service", "clusterip", "x", "--tcp=80:0",
                              "--dry-run=client"], ""),
    ("create-svc-externalname", ["create", "service", "externalname", "e",
                                 "--external-name=bar.com", "--dry-run=client", "-o",
                                 "yaml"], ""),
    ("create-sa", ["create", "serviceaccount", "sa", "--dry-run=client", "-o", "yaml"], ""),
    ("run-pod", ["run", "x", "--image=nginx", "--dry-run=client", "-o", "yaml"], ""),
    ("run-pod-full", ["run", "x", "--image=nginx", "--port=80", "--labels=a=b,c=d",
                      "--env=A=1", "--env=B=2", "--restart=Never", "--dry-run=client", "-o",
                      "yaml", "--", "sh", "-c", "date"], ""),
    ("run-pod-command", ["run", "x", "--image=nginx", "--command", "--dry-run=client", "-o",
                         "yaml", "--", "sleep", "10"], ""),
    ("run-pod-policy", ["run", "x", "--image=nginx", "--restart=OnFailure",
                        "--image-pull-policy=IfNotPresent", "--annotations=x=y",
                        "--dry-run=client", "-o", "yaml"], ""),
    ("run-pod-args", ["run", "x", "y", "--image=nginx", "--dry-run=client", "-o", "yaml"], ""),
    ("run-rm", ["run", "x", "--image=nginx", "--rm", "--dry-run=client"], ""),
    ("run-restart", ["run", "x", "--image=nginx", "--restart=Foo", "--dry-run=client"], ""),
    ("run-expose", ["run", "x", "--image=nginx", "--expose", "--dry-run=client"], ""),
    ("run-attach-dry", ["run", "x", "--image=nginx", "--attach", "--dry-run=client"], ""),
    ("run-badlabels", ["run", "x", "--image=nginx", "--labels=bad", "--dry-run=client"], ""),
    ("run-badenv", ["run", "x", "--image=nginx", "--env=BAD", "--dry-run=client"], ""),
    ("run-name", ["run", "X", "--image=nginx", "--dry-run=client"], ""),
    ("expose-f", ["expose", "-f", "deploy.yaml", "--validate=false", "--dry-run=client", "-o",
                  "yaml"], ""),
    ("expose-f-port", ["expose", "-f", "deploy.yaml", "--port=80", "--type=LoadBalancer",
                       "--name=svc", "--dry-run=client", "-o", "yaml"], ""),
    ("expose-f-target", ["expose", "-f", "deploy.yaml", "--port=8080", "--target-port=80",
                         "--type=NodePort", "--dry-run=client", "-o", "yaml"], ""),
    ("expose-f-name", ["expose", "-f", "deploy.yaml", "--port=80", "--validate=false",
                       "--dry-run=client"], ""),
    # the resource builder and decoding
    ("create-f-pod", ["create", "-f", "pod.yaml", "--validate=false", "--dry-run=client"], ""),
    ("create-f-pod-yaml", ["create", "-f", "pod.yaml", "--validate=false", "--dry-run=client",
                           "-o", "yaml"], ""),
    ("create-f-stdin", ["create", "-f", "-", "--validate=false", "--dry-run=client", "-o",
                        "name"], CM),
    ("create-f-dir", ["create", "-f", "dir", "--validate=false", "--dry-run=client", "-o",
                      "name"], ""),
    ("create-f-dir-r", ["create", "-f", "dir", "-R", "--validate=false", "--dry-run=client",
                        "-o", "name"], ""),
    ("create-f-glob", ["create", "-f", "dir/*.yaml", "--validate=false", "--dry-run=client",
                       "-o", "name"], ""),
    ("create-f-comma", ["create", "-f", "pod.yaml,cm.yaml", "--validate=false",
                        "--dry-run=client"], ""),
    ("create-f-multi-novalidate", ["create", "-f", "multi.yaml", "--validate=false",
                                   "--dry-run=client", "-o", "name"], ""),
    ("create-f-multibad", ["create", "-f", "multibad.yaml", "--validate=false",
                           "--dry-run=client", "-o", "name"], ""),
    ("create-f-two-files", ["create", "-f", "bad.yaml", "-f", "cm.yaml", "--validate=false",
                            "--dry-run=client"], ""),
    ("create-f-json", ["create", "-f", "good.json", "--validate=false", "--dry-run=client", "-o",
                       "yaml"], ""),
    ("create-f-badjson", ["create", "-f", "bad.json", "--dry-run=client"], ""),
    ("create-f-badname", ["create", "-f", "badname.yaml", "--validate=false",
                          "--dry-run=client"], ""),
    ("create-f-empty", ["create", "-f", "empty.yaml", "--dry-run=client"], ""),
    ("apply-f-empty", ["apply", "-f", "comments.yaml"], ""),
    ("create-f-labels", ["create", "-f", "dir", "-R", "-l", "x=y", "--validate=false",
                         "--dry-run=client"], ""),
    ("namespace-mismatch", ["-n", "b", "create", "-f", "nsp.yaml", "--validate=false",
                            "--dry-run=client"], ""),
    ("namespace-match", ["-n", "a", "create", "-f", "nsp.yaml", "--validate=false",
                         "--dry-run=client", "-o", "yaml"], ""),
    ("delete-cluster-scoped-with-n", ["delete", "namespace", "n1", "-n", "bar",
                                      "--dry-run=client"], ""),
    ("delete-dry-name", ["delete", "pod", "a", "--dry-run=client"], ""),
    ("delete-dry-many", ["delete", "pods,configmaps", "a", "b", "--dry-run=client"], ""),
    ("delete-dry-ns", ["delete", "namespace", "n1", "--dry-run=client"], ""),
    ("delete-dry-f", ["delete", "-f", "dir", "-R", "--validate=false", "--dry-run=client"], ""),
    ("delete-dry-oname", ["delete", "deploy/web", "--dry-run=client", "-o", "name"], ""),
    ("delete-bad-output", ["delete", "deploy/web", "-o", "yaml"], ""),
    ("delete-force", ["delete", "pod", "a", "--force", "--grace-period=0",
                      "--dry-run=client"], ""),
    ("delete-force-grace", ["delete", "pod", "a", "--force", "--grace-period=5"], ""),
    ("delete-now-grace", ["delete", "pod", "a", "--now", "--grace-period=5"], ""),
    ("delete-all-selector", ["delete", "pods", "--all", "-l", "a=b"], ""),
    ("delete-type-only", ["delete", "pods"], ""),
    ("delete-mixed-args", ["delete", "pods", "pod/a"], ""),
    ("delete-slashes", ["delete", "pods/a/b"], ""),
]
for _name in ("bad", "tab", "indent", "flow", "quote", "alias", "bomb", "binary", "nokind",
              "onlyav", "onlykind", "avnum", "kindlist", "list", "scalar", "sep", "types",
              "keys", "dup"):
    CASES.append((f"decode-{_name}", ["create", "-f", f"{_name}.yaml", "--dry-run=client"],
                  ""))
    CASES.append((f"decode-{_name}-novalidate",
                  ["create", "-f", f"{_name}.yaml", "--validate=false", "--dry-run=client"],
                  ""))


# kubectl patch: the option checks made before any request (patch.go Complete/Validate)
CASES += [
    ("patch-no-patch", ["patch", "deploy", "coredns"], ""),
    ("patch-bad-type", ["patch", "deploy", "coredns", "-p", "{}", "--type", "foo"], ""),
    ("patch-and-patch-file", ["patch", "deploy", "coredns", "-p", "{}", "--patch-file", "x"],
     ""),
]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oracle")
    copy_files(path, FILES)
    return path


@pytest.fixture(scope="module")
def lab(workdir: Path) -> Lab:
    return Lab(seed=0, workdir=workdir)


# Strict validation would make the binary download the OpenAPI schema, so file cases that are
# not about validation pass --validate=false (the lab's server-side field validation is tested
# with the apiserver).

# Root-level cases run without the fake server: a flag before an unknown command makes the
# real binary look for a plugin instead.
NO_SERVER = {"unknown-command", "unknown-command-2", "unknown-command-none", "suggest-prefix",
             "suggest-e", "options"}


@pytest.mark.parametrize(("name", "args", "stdin"), CASES, ids=[c[0] for c in CASES])
def test_same_as_kubectl(lab: Lab, workdir: Path, name: str, args: list[str],
                         stdin: str) -> None:
    want = real(workdir, args, stdin, connect=name not in NO_SERVER)
    got = ours(lab, args, stdin)
    assert got == want, f"{name}: kubectl {' '.join(args)}"


def test_random_container_suffix_has_upstream_shape(lab: Lab, workdir: Path) -> None:
    # create_deployment.go sanitizeAndUniquify: "." and "_" become "-" plus 5 random
    # characters from utilrand's alphabet. The suffix itself is random on both sides.
    args = ["create", "deployment", "web", "--image=my.reg/x/ng_i.nx:1.0", "--dry-run=client",
            "-o", "jsonpath={.spec.template.spec.containers[0].name}"]
    want, _, _ = real(workdir, args)
    got, _, _ = ours(lab, args)
    import re

    pattern = re.compile(r"^ng-i-nx-[bcdfghjklmnpqrstvwxz2456789]{5}$")
    assert pattern.match(want) and pattern.match(got)


def test_cluster_stays_unchanged_by_client_side_commands(lab: Lab, workdir: Path) -> None:
    # Dry runs, usage errors and refused files must not write anything.
    before = len(lab.trace)
    for _, args, stdin in CASES:
        ours(lab, args, stdin)
    assert not [r for r in lab.trace.since(before) if r.source == "kubectl"]
