"""The talk's HTTP command lines as written, run by the lab's bash with the tools installed.

/work/shared/seed/000_b392f1fcee4fae96.txt: ``while sleep 0.2;do curl -s -I … | grep
server;done``, ``while true; do wget -q -O- http://ms.iirii.com:30077; done``, ``for i in
\\`seq 100\\`;do http --body http://flaskapp/env/version;done`` (also piped to ``awk``).
Expected behaviour: istio.md §6.4 (``grep server`` is case-sensitive: nginx's ``Server:``
never matches, Envoy's ``server:`` does) and §6.5 (HTTPie's blank line on a terminal only).
"""

from __future__ import annotations

from typing import Any

from fake_transport import START, FakeTransport, Host, Reply, nginx_page, static

from k8slab.apps.sh import Shell
from k8slab.apps.textutils import commands
from k8slab.cli.tools.curl import curl
from k8slab.cli.tools.httpie import http
from k8slab.cli.tools.wget import wget
from k8slab.network.http import Response
from k8slab.sim.clock import SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import Buffer, ExecContext, run_blocking


class Lab:
    def __init__(self) -> None:
        self.loop = Loop(START)
        self.fs = MemoryFS()
        self.fs.mkdir("/root", parents=True)
        self.net = FakeTransport(self.loop)
        table: dict[str, Any] = dict(commands("bash"))
        table.update({"curl": curl, "http": http, "wget": wget})
        self.shell = Shell(table, "bash")
        table["bash"] = self.shell.command

    def run(self, script: str, *, run_for: float, tty: bool = True) -> tuple[str, str, int]:
        out, err = Buffer(), Buffer()
        extra = {"deadline": self.loop.now + int(run_for * SECOND), "run_start": self.loop.now}
        ctx = ExecContext("", out, err, {"HOME": "/root", "PATH": "/usr/bin:/bin"}, "/root",
                          self.fs, self.loop, host=Host(self.net), tty=tty, extra=extra)
        state = self.shell.new_state(ctx.env, "/root", interactive=True, start=self.loop.now)
        code = run_blocking(self.loop, self.shell.run_script(ctx, script, state=state))
        return out.getvalue(), err.getvalue(), code


def alternating(req: Any, n: int) -> Reply:
    return static(200, b"v1" if n % 2 == 0 else b"v2")(req, n)


def test_rolling_update_watch_loop_greps_case_sensitively() -> None:
    lab = Lab()
    lab.net.add("ms.iirii.com", "192.168.49.2", 30044, nginx_page())
    out, _, _ = lab.run("while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep server;"
                        "done", run_for=2)
    assert out == ""  # nginx says "Server:"; grep server matches nothing (istio.md §6.4)
    out, _, _ = lab.run("while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep -i "
                        "server;done", run_for=2)
    lines = out.split("\n")[:-1]
    assert 8 <= len(lines) <= 10 and set(lines) == {"Server: nginx/1.10.3\r"}
    lab.net.add("ms.iirii.com", "192.168.49.2", 30044, lambda r, n: Reply(Response(
        200, [("server", "envoy"), ("content-length", "0")], b"")))
    out, _, _ = lab.run("while sleep 0.2;do curl -s -I http://ms.iirii.com:30044 | grep server;"
                        "done", run_for=1)
    assert set(out.split("\n")[:-1]) == {"server: envoy\r"}


def test_hpa_load_loop_runs_until_the_deadline() -> None:
    lab = Lab()
    lab.net.add("ms.iirii.com", "192.168.49.2", 30077, static(200, b"3.14\n",
                                                              latency=5_000_000))
    out, _, code = lab.run("while true; do wget -q -O- http://ms.iirii.com:30077; done",
                           run_for=10)
    iterations = out.count("3.14\n")
    assert code == 130 and iterations > 1000  # ~5.5 ms of virtual time each


def test_flaskapp_loop_on_a_terminal_and_through_awk() -> None:
    lab = Lab()
    lab.net.add("flaskapp", "10.96.0.20", 80, alternating)
    out, _, code = lab.run("for i in `seq 100`;do http --body http://flaskapp/env/version;done",
                           run_for=60)
    assert code == 0 and out == "v1\n\nv2\n\n" * 50
    out, _, _ = lab.run("for i in `seq 100`;do http --body http://flaskapp/env/version;done | "
                        "awk -F\"v1\" '{print NF-1}'", run_for=60)
    assert out == "50\n"  # piped: no newlines, one line "v1v2v1…"
