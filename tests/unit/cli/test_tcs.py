"""``tcs``: the talk's machine tool (``cargo run tcs create -i t.cs.11`` / ``drop``).

Its output is the lab's design (k8slab/cli/tcs.py); what is checked here is that it behaves
like a clap CLI (usage errors on stderr with exit 2, ``Error:`` and exit 1 for failures, the
cluster untouched by a failed command) and that joining and dropping a machine does to the
cluster what kubeadm join and kubectl drain do.
"""

from __future__ import annotations

from k8slab import Lab
from k8slab.api.kinds import by_gvk

NODE = by_gvk("v1", "Node")
POD = by_gvk("v1", "Pod")


def nodes(lab: Lab) -> list[str]:
    return [n["metadata"]["name"] for n in lab.api.list(NODE)]


def test_usage_errors_follow_clap(lab: Lab) -> None:
    before = nodes(lab)
    r = lab.sh("tcs")
    assert r.exit_code == 2 and r.stdout == ""
    assert r.stderr.startswith("Manage the machines of the t.cs Kubernetes cluster\n\n"
                               "Usage: tcs <COMMAND>\n")
    assert "  create  Create a machine and join it to the cluster as a worker\n" in r.stderr
    r = lab.sh("tcs create")
    assert (r.exit_code, r.stderr) == (2, (
        "error: the following required arguments were not provided:\n  --instance <NAME>\n\n"
        "Usage: tcs create [OPTIONS] --instance <NAME>\n\n"
        "For more information, try '--help'.\n"))
    r = lab.sh("tcs crate -i t.cs.11")
    assert r.exit_code == 2
    assert r.stderr == ("error: unrecognized subcommand 'crate'\n\n"
                        "  tip: a similar subcommand exists: 'create'\n\n"
                        "Usage: tcs <COMMAND>\n\nFor more information, try '--help'.\n")
    r = lab.sh("tcs create -i T.CS.11")
    assert r.exit_code == 2 and r.stderr.startswith(
        "error: invalid value 'T.CS.11' for '--instance <NAME>': must be a lowercase RFC 1123 "
        "subdomain")
    r = lab.sh("tcs drop -i t.cs.11 --force")
    assert r.exit_code == 2 and "unexpected argument '--force' found" in r.stderr
    assert nodes(lab) == before


def test_help_and_version_go_to_stdout(lab: Lab) -> None:
    r = lab.sh("tcs --help")
    assert r.exit_code == 0 and r.stdout.startswith("Manage the machines")
    r = lab.sh("tcs create --help")
    assert r.exit_code == 0 and "-i, --instance <NAME>" in r.stdout
    assert lab.sh("tcs -V").stdout == "tcs 0.1.0\n"


def test_failures_leave_the_cluster_unchanged(lab: Lab) -> None:
    before = nodes(lab)
    r = lab.sh("tcs drop -i t.cs.99")
    assert (r.exit_code, r.stderr) == (1, "Error: no machine named t.cs.99\n")
    r = lab.sh("tcs drop -i t.cs.1")
    assert (r.exit_code, r.stderr) == (
        1, "Error: t.cs.1 runs the control plane; refusing to drop it\n")
    r = lab.sh("tcs create -i t.cs.2")
    assert (r.exit_code, r.stderr) == (1, "Error: machine t.cs.2 already exists\n")
    assert nodes(lab) == before


def test_create_joins_a_worker_that_turns_ready(lab: Lab) -> None:
    start = lab.elapsed
    r = lab.sh("tcs create -i t.cs.11")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Creating machine t.cs.11 (4 vCPU, 8 GiB RAM, 100 GiB disk) ..."
    assert lines[1].startswith("Machine t.cs.11 is up at 172.16.0.11 (booted in ")
    assert lines[-1] == ("Run 'kubectl get nodes' on the control-plane to see this node join "
                         "the cluster.")
    assert lab.elapsed - start > 20             # a VM boot and a kubeadm join take a while
    node = lab.api.get(NODE, "", "t.cs.11")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "False"          # NotReady until its network is up
    lab.sleep(30)
    node = lab.api.get(NODE, "", "t.cs.11")
    ready = next(c for c in node["status"]["conditions"] if c["type"] == "Ready")
    assert ready["status"] == "True"
    assert node["spec"]["podCIDR"] == "10.244.4.0/24"
    assert "taints" not in node["spec"]
    proxies = [p for p in lab.api.list(POD, "kube-system")
               if p["metadata"]["name"].startswith("kube-proxy-")
               and p["spec"].get("nodeName") == "t.cs.11"]
    assert len(proxies) == 1
    listing = lab.sh("tcs list").stdout.splitlines()
    assert listing[0].split() == ["NAME", "ROLE", "ADDRESS", "CPUS", "MEMORY", "STATE"]
    assert listing[-1].split() == ["t.cs.11", "worker", "172.16.0.11", "4", "8GiB", "running"]


def test_drop_drains_deletes_and_powers_off(lab: Lab) -> None:
    assert lab.sh("tcs create -i t.cs.11").exit_code == 0
    lab.sleep(30)
    assert lab.kubectl("create deployment web --image=nginx:1.10 --replicas=8").exit_code == 0
    lab.sleep(30)
    on_new = [p["metadata"]["name"] for p in lab.api.list(POD, "default")
              if p["spec"].get("nodeName") == "t.cs.11"]
    assert on_new
    r = lab.sh("tcs drop -i t.cs.11")
    assert r.exit_code == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[:2] == ["Draining t.cs.11 ...", "node/t.cs.11 cordoned"]
    for name in on_new:
        assert f"evicting pod default/{name}" in out and f"pod/{name} evicted" in out
    assert out[-3:] == ["node/t.cs.11 drained", 'node "t.cs.11" deleted',
                        "Powering off t.cs.11 ... done"]
    assert r.stderr.startswith("Warning: ignoring DaemonSet-managed Pods: kube-system/kube-proxy-")
    assert "t.cs.11" not in nodes(lab)
    assert "t.cs.11" not in lab.sh("tcs list").stdout
    lab.sleep(60)
    web = [p for p in lab.api.list(POD, "default")]
    assert len(web) == 8 and all(p["spec"].get("nodeName") != "t.cs.11" for p in web)
    # The kube-proxy pod of the vanished node is garbage-collected.
    assert not [p for p in lab.api.list(POD, "kube-system")
                if p["spec"].get("nodeName") == "t.cs.11"]
    # The name can be used again.
    assert lab.sh("tcs create -i t.cs.11").exit_code == 0
