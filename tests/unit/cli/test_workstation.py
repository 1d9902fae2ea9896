"""The learner's workstation: the talk's command lines, the session, the lab's folder, bounded
runs, ``watch`` and the speed of the shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from k8slab.cli.watch import header
from k8slab.cli.workstation import Workstation
from k8slab.cluster import Cluster
from k8slab.sim.clock import MILLISECOND, SECOND
from k8slab.sim.process import Sleep


@pytest.fixture
def ws(cluster: Cluster, tmp_path: Path) -> Workstation:
    (tmp_path / "k8s.run.yaml").write_text("image: nginx:1.11\n")
    return Workstation(cluster, tmp_path)


def fake_kubectl(ctx: Any, argv: list[str]) -> Any:
    """A stand-in with kubectl's shape: a round trip, then a table."""
    yield Sleep(5 * MILLISECOND)
    ctx.stdout.write("NAME    REFERENCE   TARGETS\n" if argv[1:2] == ["get"] else "")
    return 0


def test_the_talks_command_lines_parse_and_run(ws: Workstation) -> None:
    ws.register("kubectl", fake_kubectl)
    talk = [
        "kubectl describe namespaces",
        "kubectl get node,pod",
        "kubectl create deployment --image nginx:1.10 test-web-deployment",
        "kubectl apply -f k8s.run.yaml --record",
        "cargo run tcs create -i t.cs.11",
        "watch -n 1 kubectl top pod",
        "watch -n 1 kubectl get hpa",
        "while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep server;done",
        "while true; do wget -q -O- http://ms.iirii.com:30077; done",
        "for i in `seq 100`;do http --body http://flaskapp/env/version;done",
        "for i in `seq 100`;do http --body http://flaskapp/env/version;done | "
        "awk -F\"v1\" '{print NF-1}'",
        "fortio load -a -c 8 -qps 500 -t 60s \"http://ms.iirii.com:30077\"",
    ]
    for line in talk:
        _out, err, code = ws.run(line, run_for=2)
        assert "syntax error" not in err, line
        assert code != 2, line


def test_session_state_carries_across_runs(ws: Workstation) -> None:
    ws.run("export NS=dev; cd /tmp; greet() { echo hi $1; }; alias k=kubectl; x=local")
    out, err, code = ws.run("echo $NS $x $PWD; greet you; pwd; env | grep ^NS=")
    assert (out, err, code) == ("dev local /tmp\nhi you\n/tmp\nNS=dev\n", "", 0)
    assert ws.env["NS"] == "dev"
    assert ws.cwd == "/tmp"


def test_home_is_the_lab_folder_read_only_underneath(ws: Workstation, tmp_path: Path) -> None:
    out, _, _ = ws.run("cat k8s.run.yaml; sed -i 's/1.11/1.12/' k8s.run.yaml; cat k8s.run.yaml;"
                       " echo new > made.txt; rm k8s.run.yaml; ls")
    assert out == "image: nginx:1.11\nimage: nginx:1.12\nmade.txt\n"
    assert (tmp_path / "k8s.run.yaml").read_text() == "image: nginx:1.11\n"
    assert not (tmp_path / "made.txt").exists()


def test_identity_of_the_machine(ws: Workstation) -> None:
    out, _, _ = ws.run("hostname; whoami; echo $HOME $SHELL $$; which kubectl")
    assert out == "learner\nlearner\n/home/learner /bin/bash 2417\n/usr/local/bin/kubectl\n"


def test_unknown_command(ws: Workstation) -> None:
    assert ws.run("foo") == ("", "bash: foo: command not found\n", 127)


def test_sleep_moves_the_whole_cluster(ws: Workstation, cluster: Cluster) -> None:
    seen: list[int] = []
    cluster.loop.call_later(3 * SECOND, lambda: seen.append(cluster.loop.now))
    before = cluster.loop.now
    ws.run("sleep 5")
    assert cluster.loop.now == before + 5 * SECOND
    assert seen == [before + 3 * SECOND]


def test_default_bound_is_sixty_seconds(ws: Workstation, cluster: Cluster) -> None:
    before = cluster.loop.now
    out, err, code = ws.run("while true; do sleep 1; done")
    assert (out, err, code) == ("", "", 130)
    assert cluster.loop.now - before == 60 * SECOND


def test_bound_from_the_environment_and_per_run(ws: Workstation, cluster: Cluster) -> None:
    ws.run("export K8SLAB_RUN_FOR=2m")
    before = cluster.loop.now
    ws.run("while sleep 1; do :; done")
    assert cluster.loop.now - before == 120 * SECOND
    before = cluster.loop.now
    ws.run("while sleep 1; do :; done", run_for="15s")
    assert cluster.loop.now - before == 15 * SECOND


def test_invalid_bound_is_reported_and_ignored(ws: Workstation, cluster: Cluster) -> None:
    ws.run("export K8SLAB_RUN_FOR=soon")
    before = cluster.loop.now
    _, err, code = ws.run("while sleep 1; do :; done")
    assert err == "k8slab: K8SLAB_RUN_FOR: invalid duration 'soon' (using 60s)\n"
    assert (code, cluster.loop.now - before) == (130, 60 * SECOND)


def test_cargo_run_forwards_to_tcs(ws: Workstation) -> None:
    calls: list[list[str]] = []

    def tcs(ctx: Any, argv: list[str]) -> Any:
        calls.append(argv)
        ctx.stdout.write("node t.cs.11 created\n")
        return 0
        yield  # pragma: no cover

    ws.register("tcs", tcs)
    assert ws.run("cargo run tcs create -i t.cs.11")[0] == "node t.cs.11 created\n"
    assert ws.run("tcs drop -i t.cs.11")[2] == 0
    assert calls == [["tcs", "create", "-i", "t.cs.11"], ["tcs", "drop", "-i", "t.cs.11"]]


def test_stdin_reaches_the_command(ws: Workstation) -> None:
    assert ws.run("wc -l", stdin="a\nb\n")[0] == "2\n"


def test_live_streams_receive_output_as_written(ws: Workstation) -> None:
    events: list[tuple[str, str]] = []

    class Live:
        def __init__(self, name: str) -> None:
            self.name = name

        def write(self, text: str) -> None:
            events.append((self.name, text))

    out, err, _ = ws.run("echo a; echo b >&2; echo c", stdout=Live("out"), stderr=Live("err"))
    assert events == [("out", "a\n"), ("err", "b\n"), ("out", "c\n")]
    assert (out, err) == ("a\nc\n", "b\n")


# ---------------------------------------------------------------------- watch


def test_watch_header_layout() -> None:
    # procps-ng src/watch.c output_header: "Every %.1fs: " + command on the left,
    # "<host>: <time>" right-aligned to the width; a command too long is cut with "...".
    now = 1780300800 * SECOND
    line = header(1.0, "kubectl get hpa", "learner", now, 80)
    assert line == ("Every 1.0s: kubectl get hpa" + " " * 20 + "learner: Mon Jun  1 08:00:00 2026")
    assert len(line) == 80
    cut = header(2.0, "x" * 60, "learner", now, 80)
    # 80 - len("Every 2.0s: ") - len("learner: Mon Jun  1 08:00:00 2026") = 35 columns left,
    # so 35 - 3 - 1 characters of the command, the ellipsis and one space.
    assert cut == "Every 2.0s: " + "x" * 31 + "... learner: Mon Jun  1 08:00:00 2026"
    assert header(1.0, "date", "a-very-long-host-name", now, 20) == ""


def test_watch_prints_a_screen_when_the_output_changes(ws: Workstation) -> None:
    out, err, code = ws.run("echo 1 > n; (sleep 2.5; echo 2 > n) & watch -n 1 cat n", run_for=5)
    assert code == 130 and err == "[1] 2418\n"
    head = "Every 1.0s: cat n" + " " * 30 + "learner: Mon Jun  1 08:0"
    assert out == (f"{head}2:00 2026\n\n1\n\n{head}2:03 2026\n\n2\n")


def test_watch_no_title_and_usage(ws: Workstation) -> None:
    out, _, _ = ws.run("watch -t -n 2 echo hi", run_for=3)
    assert out == "hi\n"
    out, err, code = ws.run("watch")
    assert code == 1 and out == "" and err.startswith("\nUsage:\n watch [options] command\n")


