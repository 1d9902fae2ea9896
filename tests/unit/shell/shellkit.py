"""Running scripts with the lab's shell outside a cluster: a bare loop and an in-memory fs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8slab.apps.sh import Shell
from k8slab.apps.textutils import commands
from k8slab.sim.clock import SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import Buffer, ExecContext, run_blocking

# 2026-06-01T08:00:00Z, the lab's virtual start.
START = 1780300800 * SECOND


@dataclass
class Ran:
    out: str
    err: str
    code: int
    loop: Loop
    fs: MemoryFS

    @property
    def elapsed(self) -> float:
        return (self.loop.now - START) / SECOND


class Machine:
    """A shell of one flavour with the text tools, ``sh``/``bash`` and extra commands."""

    def __init__(self, flavour: str = "bash") -> None:
        self.loop = Loop(START)
        self.fs = MemoryFS()
        self.fs.mkdir("/tmp")
        self.fs.mkdir("/root")
        self.commands: dict[str, Any] = commands(flavour)
        self.shell = Shell(self.commands, flavour)
        self.commands["sh"] = self.shell.command
        if flavour == "bash":
            self.commands["bash"] = self.shell.command

    def run(self, script: str, stdin: str = "", *, run_for: float | None = None,
            tty: bool = False, env: dict[str, str] | None = None, cwd: str = "/root",
            interactive: bool = False) -> Ran:
        out, err = Buffer(), Buffer()
        extra: dict[str, Any] = {}
        if run_for is not None:
            extra = {"deadline": self.loop.now + round(run_for * SECOND),
                     "run_start": self.loop.now}
        environ = {"HOME": "/root", "USER": "root", "PATH": "/usr/bin:/bin"}
        environ.update(env or {})
        ctx = ExecContext(stdin, out, err, environ, cwd, self.fs, self.loop, tty=tty,
                          extra=extra)
        state = self.shell.new_state(environ, cwd, interactive=interactive,
                                     start=self.loop.now)
        code = run_blocking(self.loop, self.shell.run_script(ctx, script, state=state))
        return Ran(out.getvalue(), err.getvalue(), code, self.loop, self.fs)
