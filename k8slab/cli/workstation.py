"""The learner's workstation: a laptop with bash, the usual text tools, kubectl and the talk's
``tcs`` tool, pointed at the simulated cluster.

Its home directory ``/home/learner`` is the lab's folder: real files there can be read
(``kubectl apply -f k8s.run.yaml``), every write stays in memory (:class:`OverlayFS`). One bash
session lives as long as the workstation, so ``export``, ``cd``, functions and aliases carry
over from one notebook cell to the next, as in one terminal window.

Time: the shell runs on the cluster's virtual clock (``sleep 5`` lets the whole cluster move five
seconds). Every run is bounded — commands that never end on their own (``while sleep 0.2; do …;
done``, ``watch``, ``kubectl get -w``, ``tail -f``) are stopped as if Ctrl-C were pressed once
the run has used ``K8SLAB_RUN_FOR`` of virtual time (default 60 s); see ``docs/lab-shell.md``.

Adding a tool is one line: ``workstation.register("curl", curl)``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..apps.rootfs import register_tool
from ..apps.sh import DEFAULT_RUN_FOR, RUN_FOR_VAR, Shell, ShellState, parse_run_for
from ..apps.textutils import commands as text_commands
from ..sim.clock import SECOND
from ..sim.fs import OverlayFS
from ..sim.process import Buffer, Command, ExecContext, Proc, Stream, run_blocking
from . import tools
from .kubectl import kubectl
from .tcs import tcs
from .watch import watch

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["Workstation"]


class _Tee:
    """Collects a stream's text and passes it on live (to a notebook's sys.stdout)."""

    def __init__(self, buffer: Buffer, live: Stream) -> None:
        self.buffer = buffer
        self.live = live

    def write(self, text: str) -> None:
        if text:
            self.buffer.write(text)
            self.live.write(text)


def cargo(ctx: ExecContext, argv: list[str]) -> Proc:
    """``cargo run tcs …``: the talk builds and runs its ``tcs`` tool with cargo; the lab has
    it prebuilt, so this only forwards to ``tcs``."""
    args = argv[1:]
    if args[:1] != ["run"]:
        sub = args[0] if args else ""
        if not sub:
            ctx.stderr.write("error: the lab's cargo only runs the tcs tool: cargo run tcs "
                             "<command>\n")
            return 1
        ctx.stderr.write(f"error: no such command: `{sub}`\n\n\tView all installed commands "
                         "with `cargo --list`\n")
        return 101
    rest = args[1:]
    while rest and rest[0].startswith("-") and rest[0] != "--":
        flag = rest.pop(0)
        if flag in ("--bin", "-p", "--package") and rest:
            rest.pop(0)
    if rest and rest[0] == "--":
        rest.pop(0)
    if rest and rest[0] == "tcs":
        rest.pop(0)
    shell = ctx.extra.get("shell")
    program = (shell.lookup("tcs") if shell is not None else None) or tcs
    return (yield from program(ctx, ["tcs", *rest]))


class Workstation:
    """The learner's laptop: a bash session over the cluster."""

    home = "/home/learner"
    hostname = "learner"
    user = "learner"
    # The lab shell's $$: an interactive bash started a moment after login.
    pid = 2417

    def __init__(self, cluster: Cluster, workdir: Path) -> None:
        self.cluster = cluster
        self.fs = OverlayFS(workdir, self.home)
        self.fs.mkdir("/tmp", parents=True)
        self.fs.mkdir("/etc", parents=True)
        self.fs.write("/etc/hostname", f"{self.hostname}\n".encode())
        self.commands: dict[str, Command] = text_commands("bash")
        self.shell = Shell(self.commands, "bash")
        self.register("sh", self.shell.command, "/usr/bin/sh")
        self.register("bash", self.shell.command, "/usr/bin/bash")
        self.register("kubectl", kubectl, "/usr/local/bin/kubectl")
        self.register("tcs", tcs, f"{self.home}/.cargo/bin/tcs")
        self.register("cargo", cargo, f"{self.home}/.cargo/bin/cargo")
        self.register("watch", watch)
        for name, (command, path) in tools.WORKSTATION.items():
            self.register(name, command, path)
        # The same programs exist inside the images that ship them (curl in dustise/sleep,
        # BusyBox's wget applet in busybox): the image catalogue finds them by name.
        for name, command in tools.CONTAINER.items():
            register_tool(name, command)
        env = {
            "SHELL": "/bin/bash",
            "PWD": self.home,
            "LOGNAME": self.user,
            "HOME": self.home,
            "LANG": "C.UTF-8",
            "TERM": "xterm-256color",
            "USER": self.user,
            "PATH": f"{self.home}/.cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                    "/usr/bin:/sbin:/bin",
        }
        # The laptop's network access, for curl & co. (``ctx.host.transport``).
        network = getattr(cluster, "network", None)
        self.transport = network.workstation_transport(self) if network is not None else None
        self.session: ShellState = self.shell.new_state(
            env, self.home, interactive=True, name="bash", pid=self.pid,
            rng=cluster.streams("workstation/bash"), start=cluster.loop.now)
        # bash sets these without exporting them.
        self.session.vars["HOSTNAME"] = self.hostname
        self.session.vars["PPID"] = str(self.pid - 1)

    # ------------------------------------------------------------------ extension

    def register(self, name: str, command: Command, path: str | None = None) -> None:
        """Install a tool: ``workstation.register("curl", curl)``."""
        self.commands[name] = command
        if path is not None:
            self.shell.paths[name] = path

    # ------------------------------------------------------------------ state

    @property
    def env(self) -> dict[str, str]:
        """The exported environment of the session (what a command started now would get)."""
        return dict(self.session.environ())

    @property
    def cwd(self) -> str:
        return self.session.cwd

    def run_for(self) -> int:
        """The virtual-time budget of a run: ``K8SLAB_RUN_FOR`` or 60 s."""
        value = self.session.vars.get(RUN_FOR_VAR)
        parsed = parse_run_for(value) if value is not None else None
        return parsed if parsed is not None else DEFAULT_RUN_FOR

    # ------------------------------------------------------------------ running

    def run(self, script: str, stdin: str = "", *, run_for: float | str | None = None,
            stdout: Stream | None = None, stderr: Stream | None = None) -> tuple[str, str, int]:
        """Run lab-shell lines; return what they printed and the last exit status.

        ``run_for`` (seconds, or ``"90s"``/``"2m"``) bounds this run instead of
        ``K8SLAB_RUN_FOR``. ``stdout``/``stderr`` receive the output live as well.
        """
        out, err = Buffer(), Buffer()
        out_stream: Any = out if stdout is None else _Tee(out, stdout)
        err_stream: Any = err if stderr is None else _Tee(err, stderr)
        loop = self.cluster.loop
        budget = self._budget(run_for, err_stream)
        now = loop.now
        extra: dict[str, Any] = {"deadline": now + budget, "run_start": now,
                                 "pid": self.pid + 1}
        ctx = ExecContext(stdin, out_stream, err_stream, self.env, self.session.cwd, self.fs,
                          loop, host=self, tty=True, extra=extra)
        code = run_blocking(loop, self.shell.run_script(ctx, script, state=self.session))
        return out.getvalue(), err.getvalue(), code

    def _budget(self, run_for: float | str | None, err: Any) -> int:
        if run_for is None:
            value = self.session.vars.get(RUN_FOR_VAR)
            if value is not None and parse_run_for(value) is None:
                err.write(f"k8slab: {RUN_FOR_VAR}: invalid duration '{value}' (using "
                          f"{DEFAULT_RUN_FOR // SECOND}s)\n")
            return self.run_for()
        parsed = parse_run_for(str(run_for))
        if parsed is None:
            err.write(f"k8slab: invalid run time '{run_for}' (using {self.run_for() // SECOND}s)"
                      "\n")
            return self.run_for()
        return parsed
