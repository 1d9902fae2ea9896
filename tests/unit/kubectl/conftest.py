"""Fixtures for kubectl tests: a lab and a way to run one kubectl command line in it."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from pathlib import Path

import pytest

from k8slab import Lab
from k8slab.cli.kubectl import kubectl
from k8slab.sim.process import Buffer, ExecContext, run_blocking

Run = Callable[..., tuple[str, str, int]]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    return tmp_path


@pytest.fixture
def lab(workdir: Path) -> Lab:
    return Lab(seed=0, workdir=workdir)


@pytest.fixture
def kc(lab: Lab) -> Run:
    """``kc("get pods", stdin="", deadline=None)`` → (stdout, stderr, exit code)."""

    def run(line: str, stdin: str = "", deadline: int | None = None,
            tty: bool = False) -> tuple[str, str, int]:
        out, err = Buffer(), Buffer()
        ws = lab.workstation
        ctx = ExecContext(stdin, out, err, {"HOME": "/home/learner"}, "/home/learner", ws.fs,
                          lab.cluster.loop, host=ws, tty=tty)
        if deadline is not None:
            ctx.extra["deadline"] = deadline
        code = run_blocking(lab.cluster.loop, kubectl(ctx, ["kubectl", *shlex.split(line)]))
        return out.getvalue(), err.getvalue(), code

    return run


@pytest.fixture
def put(workdir: Path) -> Callable[[str, str], str]:
    """``put("x.yaml", text)`` writes a file into the lab's folder and returns its name."""

    def write(name: str, text: str) -> str:
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return name

    return write
