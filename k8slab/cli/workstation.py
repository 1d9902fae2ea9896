"""The learner's workstation: the lab shell and the tools installed on it.

(Placeholder: the shell language lives in :mod:`k8slab.cli.shell`; this module wires it to the
cluster, an overlay filesystem rooted at the lab's folder and the command table.)
"""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from ..sim.fs import OverlayFS
from ..sim.process import Buffer, ExecContext, run_blocking

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["Workstation"]


class Workstation:
    home = "/home/learner"

    def __init__(self, cluster: Cluster, workdir: Path) -> None:
        self.cluster = cluster
        self.fs = OverlayFS(workdir, self.home)
        self.env = {"HOME": self.home, "PATH": "/usr/local/bin:/usr/bin:/bin"}

    def run(self, script: str, stdin: str = "") -> tuple[str, str, int]:
        from .kubectl import kubectl

        out, err = Buffer(), Buffer()
        code = 0
        for line in script.splitlines():
            argv = shlex.split(line)
            if not argv:
                continue
            ctx = ExecContext(stdin, out, err, dict(self.env), self.home, self.fs,
                              self.cluster.loop, host=self)
            if argv[0] == "kubectl":
                code = run_blocking(self.cluster.loop, kubectl(ctx, argv))
            else:
                err.write(f"sh: {argv[0]}: not found\n")
                code = 127
        return out.getvalue(), err.getvalue(), code
