"""Running one HTTP tool against the fake transport, on a bare loop and an in-memory fs."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from fake_transport import START, FakeTransport, Host

from k8slab.sim.clock import SECOND, Loop
from k8slab.sim.fs import MemoryFS
from k8slab.sim.process import Buffer, ExecContext, run_blocking


@dataclass
class Ran:
    out: str
    err: str
    code: int
    elapsed: float


class Box:
    """A machine with one network (the fake) and a filesystem."""

    def __init__(self) -> None:
        self.loop = Loop(START)
        self.fs = MemoryFS()
        self.fs.mkdir("/root", parents=True)
        self.fs.mkdir("/tmp", parents=True)
        self.net = FakeTransport(self.loop)
        self.host = Host(self.net)

    def run(self, command: Any, line: str, *, tty: bool = False, stdin: str = "",
            run_for: float | None = None, cwd: str = "/root") -> Ran:
        argv = shlex.split(line)
        out, err = Buffer(), Buffer()
        extra: dict[str, Any] = {}
        if run_for is not None:
            extra["deadline"] = self.loop.now + int(run_for * SECOND)
        ctx = ExecContext(stdin, out, err, {"HOME": "/root", "LANG": "C.UTF-8"}, cwd, self.fs,
                          self.loop, host=self.host, tty=tty, extra=extra)
        t0 = self.loop.now
        code = run_blocking(self.loop, command(ctx, argv))
        return Ran(out.getvalue(), err.getvalue(), code, (self.loop.now - t0) / SECOND)
