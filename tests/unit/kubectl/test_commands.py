"""kubectl's commands against a running lab.

References: kubernetes.md §0.1 (``No resources found``), §1.9–1.10 (rollout), §7 (expose),
§9.1–9.4 (tables, messages, errors); upstream ``k8s.io/kubectl/pkg/cmd/<command>``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pytest

from k8slab import Lab
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND

DEPLOY = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 1, maxUnavailable: 1}
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
POD = by_gvk("v1", "Pod")
DEPLOYMENT = by_gvk("apps/v1", "Deployment")


@pytest.fixture
def web(kc: Callable, put: Callable, lab: Lab) -> Lab:
    put("web.yaml", DEPLOY)
    assert kc("apply -f web.yaml")[2] == 0
    lab.sleep(30)
    return lab


# ------------------------------------------------------------------------- get


def test_get_empty_namespace_message_on_stderr(kc: Callable) -> None:
    assert kc("get deploy") == ("", "No resources found in default namespace.\n", 0)
    assert kc("get deploy -n kube-public") == (
        "", "No resources found in kube-public namespace.\n", 0)
    assert kc("get deploy -A -l app=none") == ("", "No resources found\n", 0)


def test_get_not_found_per_name_after_found(kc: Callable, web: Lab) -> None:
    out, err, code = kc("get deploy web nope1 nope2 -o name")
    assert out == "deployment.apps/web\n"
    assert err == ('Error from server (NotFound): deployments.apps "nope1" not found\n'
                   'Error from server (NotFound): deployments.apps "nope2" not found\n')
    assert code == 1


def test_get_yaml_single_object_vs_list(kc: Callable, web: Lab) -> None:
    single, _, _ = kc("get deploy web -o yaml")
    assert single.startswith("apiVersion: apps/v1\nkind: Deployment\n")
    listed, _, _ = kc("get deploy -o yaml")
    assert listed.startswith("apiVersion: v1\nitems:\n- apiVersion: apps/v1\n")
    assert listed.endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")
    assert kc("get deploy nope -o yaml") == (
        "", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)


def test_get_several_kinds_prefixes_names(kc: Callable, web: Lab) -> None:
    out, _, code = kc("get deploy,rs")
    assert code == 0
    blocks = out.split("\n\n")
    assert len(blocks) == 2
    assert blocks[0].splitlines()[1].startswith("deployment.apps/web ")
    assert blocks[1].splitlines()[1].startswith("replicaset.apps/web-")


def test_get_type_name_jsonpath_and_custom_columns(kc: Callable, web: Lab) -> None:
    assert kc("get deploy/web -o jsonpath={.spec.replicas}") == ("3", "", 0)
    out, _, _ = kc("get deploy web -o custom-columns=NAME:.metadata.name,R:.spec.replicas")
    assert out == "NAME   R\nweb    3\n"


def test_get_errors(kc: Callable, web: Lab) -> None:
    assert kc("get foo") == ("", 'error: the server doesn\'t have a resource type "foo"\n', 1)
    assert kc("get pods web -A")[1] == (
        "error: a resource cannot be retrieved by name across all namespaces\n")
    assert kc("get pods pod/x")[1].startswith(
        "error: there is no need to specify a resource type as a separate argument")
    assert kc("get pods -o yaml --show-labels")[1] == (
        "error: --show-labels option cannot be used with yaml printer\n")


def test_get_watch_stops_at_deadline_like_ctrl_c(kc: Callable, web: Lab) -> None:
    now = web.cluster.loop.now
    out, err, code = kc("get deploy web -w", deadline=now + 5 * SECOND)
    assert web.cluster.loop.now == now + 5 * SECOND
    assert out.startswith("NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    ")
    assert (err, code) == ("", 1)


def test_get_watch_prints_changes(kc: Callable, web: Lab) -> None:
    now = web.cluster.loop.now

    def scale() -> None:  # another client, one second into the watch
        def mutate(obj: dict) -> dict:
            obj["spec"]["replicas"] = 4
            return obj

        web.api.patch(DEPLOYMENT, "default", "web", mutate, source="other")

    web.cluster.loop.call_later(SECOND, scale)
    out, _, _ = kc("get deploy web -w -o 'jsonpath={.spec.replicas} '",
                   deadline=now + 3 * SECOND)
    values = out.split()
    assert values[0] == "3" and "4" in values[1:]


# ------------------------------------------------------------------------- mutations


def test_scale_messages_and_errors(kc: Callable, web: Lab) -> None:
    assert kc("scale deployment --replicas 2 web") == ("deployment.apps/web scaled\n", "", 0)
    assert web.api.get(DEPLOYMENT, "default", "web")["spec"]["replicas"] == 2
    assert kc("scale deploy web") == ("", 'error: required flag(s) "replicas" not set\n', 1)
    assert kc("scale deploy web --replicas=-1")[1] == (
        "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal "
        "to 0\n")
    assert kc("scale deploy web --replicas=5 --current-replicas=3") == (
        "", "error: Expected replicas to be 3, was 2\n", 1)
    assert kc("scale deploy nope --replicas=1") == (
        "", 'Error from server (NotFound): deployments.apps "nope" not found\n', 1)


def test_set_image(kc: Callable, web: Lab) -> None:
    assert kc("set image deployment/web nginx=nginx:1.11") == (
        "deployment.apps/web image updated\n", "", 0)
    assert kc("set image deployment/web nginx=nginx:1.11") == ("", "", 0)  # §9.3
    assert kc("set image deployment/web foo=nginx:1.11") == (
        "", 'error: unable to find container named "foo"\n', 1)
    _, err, code = kc("set image deployment/web nginx=nginx:1.12 --record")
    assert code == 0 and err.startswith("Flag --record has been deprecated")
    cause = web.api.get(DEPLOYMENT, "default", "web")["metadata"]["annotations"][
        "kubernetes.io/change-cause"]
    assert cause == "kubectl set image deployment/web nginx=nginx:1.12 --record=true"  # §1.9


def test_label_and_annotate_rules(kc: Callable, web: Lab) -> None:
    assert kc("label namespace default istio-injection=enabled") == (
        "namespace/default labeled\n", "", 0)
    assert kc("label namespace default istio-injection=enabled") == (
        "namespace/default not labeled\n", "", 0)
    assert kc("label namespace default istio-injection=disabled") == (
        "", "error: 'istio-injection' already has a value (enabled), and --overwrite is "
            "false\n", 1)
    assert kc("label namespace default istio-injection=disabled --overwrite")[0] == (
        "namespace/default labeled\n")
    assert kc("label namespace default istio-injection-") == (
        "namespace/default unlabeled\n", "", 0)
    assert kc("label namespace default missing-") == (
        'label "missing" not found.\nnamespace/default not labeled\n', "", 0)
    assert kc("label deploy web a=b@")[1].startswith('error: invalid label value: "a=b@": ')
    assert kc("annotate deploy web note=x") == ("deployment.apps/web annotated\n", "", 0)
    assert kc("annotate deploy web note=y") == (
        "", "error: --overwrite is false but found the following declared annotation(s): "
            "'note' already has a value (x)\n", 1)
    assert kc("label") == ("", "error: one or more resources must be specified as <resource> "
                               "<name> or <resource>/<name>\n", 1)


def test_delete_waits_and_reports_namespace(kc: Callable, web: Lab) -> None:
    pods = web.api.list(POD, "default")
    name = pods[0]["metadata"]["name"]
    start = web.cluster.loop.now
    assert kc(f"delete pod {name}") == (f'pod "{name}" deleted from default namespace\n', "", 0)
    # --wait (default): kubectl returned only once the kubelet had removed the pod
    assert web.api.try_get(POD, "default", name) is None
    assert web.cluster.loop.now > start
    assert kc(f"delete pod {name}") == (
        "", f'Error from server (NotFound): pods "{name}" not found\n', 1)
    assert kc("delete pods -l app=nothing") == ("No resources found\n", "", 0)
    assert kc("delete deploy web --wait=false") == (
        'deployment.apps "web" deleted from default namespace\n', "", 0)
    assert kc("delete pods")[1] == "error: resource(s) were provided, but no name was specified\n"


def test_force_delete_warning(kc: Callable, web: Lab) -> None:
    name = web.api.list(POD, "default")[0]["metadata"]["name"]
    out, err, code = kc(f"delete pod {name} --force --grace-period=0")
    assert (out, code) == (f'pod "{name}" force deleted from default namespace\n', 0)
    assert err.startswith("Warning: Immediate deletion does not wait for confirmation")


def test_expose_deployment(kc: Callable, web: Lab) -> None:
    assert kc("expose deployment web --port=80 --type=LoadBalancer") == (
        "service/web exposed\n", "", 0)
    svc = web.api.get(by_gvk("v1", "Service"), "default", "web")
    assert svc["spec"]["selector"] == {"app": "web"}
    assert svc["spec"]["ports"][0]["targetPort"] == 80
    assert svc["spec"]["type"] == "LoadBalancer"


# ------------------------------------------------------------------------- rollout


def test_rollout_history_undo_texts(kc: Callable, put: Callable, web: Lab) -> None:
    put("web.yaml", DEPLOY.replace("nginx:1.10", "nginx:1.11"))
    kc("apply -f web.yaml --record")
    web.sleep(30)
    out, _, _ = kc("rollout history deployment web")
    assert out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n"
                   "2         kubectl apply --filename=web.yaml --record=true\n\n")
    assert kc("rollout undo deployment web") == ("deployment.apps/web rolled back\n", "", 0)
    web.sleep(30)
    out, _, _ = kc("rollout history deployment web")
    # §1.9: revision 1's ReplicaSet is re-used and becomes revision 3
    assert out.splitlines()[2:4] == ["2         kubectl apply --filename=web.yaml --record=true",
                                     "3         <none>"]
    assert kc("rollout undo deployment web --to-revision=1") == (
        "", "error: unable to find specified revision 1 in history\n", 1)
    assert kc("rollout undo deployment web --to-revision=3") == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n",
        "", 0)
    assert kc("rollout history deployment web --revision=9") == (
        "", "error: unable to find the specified revision\n", 1)


def test_rollout_status_follows_the_rollout(kc: Callable, put: Callable, web: Lab) -> None:
    put("web.yaml", DEPLOY.replace("nginx:1.10", "nginx:1.11"))
    kc("apply -f web.yaml")
    out, _err, code = kc("rollout status deployment/web")
    lines = out.splitlines()
    assert lines[-1] == 'deployment "web" successfully rolled out' and code == 0
    assert lines[0].startswith('Waiting for deployment "web" rollout to finish: ')


def test_rollout_pause_resume_restart(kc: Callable, web: Lab) -> None:
    assert kc("rollout pause deploy/web") == ("deployment.apps/web paused\n", "", 0)
    assert kc("rollout pause deploy/web") == ("deployment.apps/web already paused\n", "", 0)
    assert kc("rollout undo deploy/web")[1] == (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
        "resume' and try again\n")
    assert kc("rollout resume deploy/web") == ("deployment.apps/web resumed\n", "", 0)
    assert kc("rollout restart deploy/web") == ("deployment.apps/web restarted\n", "", 0)
    template = web.api.get(DEPLOYMENT, "default", "web")["spec"]["template"]
    assert "kubectl.kubernetes.io/restartedAt" in template["metadata"]["annotations"]


# ------------------------------------------------------------------------- pods


def test_logs_and_exec(kc: Callable, put: Callable, lab: Lab) -> None:
    put("bb.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bb\nspec:\n  containers:\n"
        "  - name: bb\n    image: busybox\n    args: [sh, -c, 'echo hello; echo world; "
        "sleep 3600']\n")
    kc("apply -f bb.yaml")
    lab.sleep(20)
    assert kc("logs bb") == ("hello\nworld\n", "", 0)
    assert kc("logs bb --tail=1") == ("world\n", "", 0)
    out, _, _ = kc("logs pod/bb --timestamps")
    assert out.split(" ", 1)[0].startswith("2026-06-01T08:0") and out.endswith(" world\n")
    assert kc("exec bb -- echo hi") == ("hi\n", "", 0)
    assert kc("exec bb -- sh -c 'exit 3'") == ("", "command terminated with exit code 3\n", 3)
    assert kc("exec bb ls")[1] == ("error: exec [POD] [COMMAND] is not supported anymore. Use "
                                   "exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' "
                                   "for help and examples\n")
    assert kc("logs pod test-xxx") == (
        "", 'Error from server (NotFound): pods "pod" not found\n', 1)


def test_logs_follow_ends_at_deadline(kc: Callable, put: Callable, lab: Lab) -> None:
    put("bb.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: bb\nspec:\n  containers:\n"
        "  - name: bb\n    image: busybox\n    args: [sh, -c, 'echo start; sleep 3600']\n")
    kc("apply -f bb.yaml")
    lab.sleep(20)
    now = lab.cluster.loop.now
    out, _, code = kc("logs -f bb", deadline=now + 3 * SECOND)
    assert (out, code) == ("start\n", 130)
    assert lab.cluster.loop.now == now + 3 * SECOND


def test_logs_picks_a_pod_of_a_deployment(kc: Callable, web: Lab) -> None:
    _, err, code = kc("logs deploy/web")
    assert code == 0 and err.startswith("Found 3 pods, using pod/web-")


# ------------------------------------------------------------------------- cluster-wide


def test_cordon_and_drain(kc: Callable, web: Lab) -> None:
    assert kc("cordon t.cs.2") == ("node/t.cs.2 cordoned\n", "", 0)
    assert kc("cordon t.cs.2") == ("node/t.cs.2 already cordoned\n", "", 0)
    out, _err, code = kc("drain t.cs.3 --ignore-daemonsets")
    assert code == 0 and out.startswith("node/t.cs.3 cordoned\n")
    assert out.endswith("node/t.cs.3 drained\n")
    assert not web.api.list(POD, None, fields=[("spec.nodeName", "=", "t.cs.3")]) or all(
        p["metadata"].get("deletionTimestamp") or not p["metadata"].get("ownerReferences")
        or p["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet"
        for p in web.api.list(POD, None, fields=[("spec.nodeName", "=", "t.cs.3")]))
    assert kc("uncordon t.cs.2") == ("node/t.cs.2 uncordoned\n", "", 0)
    assert kc("cordon") == ("", "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' "
                                "for help and examples\n", 1)


def test_version_and_cluster_info(kc: Callable) -> None:
    assert kc("version") == ("Client Version: v1.37.1\nKustomize Version: v5.8.1\n"
                             "Server Version: v1.37.0\n", "", 0)
    out, _, _ = kc("cluster-info")
    assert out.startswith("Kubernetes control plane is running at https://172.16.0.1:6443\n")
    assert out.endswith("\nTo further debug and diagnose cluster problems, use 'kubectl "
                        "cluster-info dump'.\n")


def test_explain(kc: Callable) -> None:
    out, _, code = kc("explain deployment.spec.replicas")
    assert code == 0
    assert out.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
                          "FIELD: replicas <integer>\n\n\nDESCRIPTION:\n    Number of desired")
    out, _, _ = kc("explain pods")
    assert out.startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n")
    assert "\nFIELDS:\n  apiVersion\t<string>\n" in out
    assert "  spec\t<PodSpec>\n" in out
    assert kc("explain pods.spec.nope") == ("", 'error: field "nope" does not exist\n', 1)
    assert kc("explain nope")[1] == 'error: the server doesn\'t have a resource type "nope"\n'


def test_events_and_wait(kc: Callable, web: Lab) -> None:
    out, _, code = kc("events")
    assert code == 0
    assert out.splitlines()[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    assert "Deployment/web" in out
    assert kc("wait --for=condition=Available deploy/web") == (
        "deployment.apps/web condition met\n", "", 0)
    out, err, code = kc("wait --for=condition=Ready pod -l app=nothing --timeout=1s")
    assert (err, code) == ("error: no matching resources found\n", 1)


# ------------------------------------------------------------------------- the process


def test_every_call_takes_virtual_time_deterministically(tmp_path) -> None:
    def run(lab: Lab) -> list[int]:
        stamps = []
        for line in ("get nodes", "get pods -A", "version", "get --foo"):
            lab.kubectl(line)
            stamps.append(lab.cluster.loop.now)
        return stamps

    a, b = run(Lab(seed=7, workdir=tmp_path)), run(Lab(seed=7, workdir=tmp_path))
    assert a == b
    steps = [y - x for x, y in itertools.pairwise(a)]
    assert all(5_000_000 <= s <= 200_000_000 for s in steps)  # 5–200 ms per call


def test_internal_errors_never_show_a_traceback(kc: Callable, monkeypatch) -> None:
    from k8slab.cli.kubectl import cmd

    def broken(inv):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(cmd._RUNNERS, "kubectl version", broken)
    with pytest.raises(RuntimeError):  # under pytest the bug must fail loudly
        kc("version")
    monkeypatch.setenv("K8SLAB_STRICT", "0")
    assert kc("version") == ("", "error: boom\n", 1)


def test_top_uses_the_metrics_api_provider(kc: Callable, web: Lab) -> None:
    assert kc("top pod") == ("", "error: Metrics API not available\n", 1)  # §9.2

    class Provider:
        def pod_metrics(self, namespace: str | None) -> list[dict]:
            pods = web.api.list(POD, namespace)
            return [{"metadata": {"name": p["metadata"]["name"],
                                  "namespace": p["metadata"]["namespace"],
                                  "labels": p["metadata"].get("labels")},
                     "containers": [{"name": "nginx",
                                     "usage": {"cpu": "1500u", "memory": "3145728"}}]}
                    for p in pods]

        def node_metrics(self) -> list[dict]:
            return [{"metadata": {"name": "t.cs.2"}, "usage": {"cpu": "250m",
                                                             "memory": "1Gi"}}]

    web.cluster.extensions["metrics.k8s.io"] = Provider()
    out, _, code = kc("top pod")
    lines = out.splitlines()
    assert code == 0 and lines[0].split() == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert lines[1].split()[1:] == ["2m", "3Mi"]  # millicores rounded up, whole MiB
    out, _, _ = kc("top node")
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:]}
    assert rows["t.cs.2"][0] == "250m" and rows["t.cs.2"][2] == "1024Mi"
    assert rows["t.cs.1"] == ["<unknown>"] * 4


def test_run_and_expose_generators_create_objects(kc: Callable, lab: Lab) -> None:
    assert kc("run web --image=nginx --port=80 --expose") == (
        "service/web created\npod/web created\n", "", 0)
    svc = lab.api.get(by_gvk("v1", "Service"), "default", "web")
    assert svc["spec"]["selector"] == {"run": "web"}
    assert kc("run web --image=nginx")[1] == (
        'Error from server (AlreadyExists): pods "web" already exists\n')


def test_describe_uses_the_describers(kc: Callable, web: Lab) -> None:
    out, _, code = kc("describe deploy web")
    assert code == 0 and out.startswith("Name:")
    out, _, _ = kc("describe pod web")  # a bare name also matches as a prefix
    assert out.count("\nName:") + out.startswith("Name:") == 3
    assert kc("describe pod nope") == ("", 'Error from server (NotFound): pods "nope" not '
                                           "found\n", 1)
