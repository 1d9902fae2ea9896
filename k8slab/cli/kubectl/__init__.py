"""kubectl 1.37.1 for the lab's workstation.

Entry point: :func:`kubectl` — ``kubectl(ctx, argv)`` with ``argv[0] == "kubectl"`` is a
process (:mod:`k8slab.sim.process`) that prints what the real kubectl prints and returns its
exit status. The command tree and flag parsing are cobra's and pflag's (:mod:`.cmd`,
:mod:`.flags`); each subcommand lives in its own module named after
``k8s.io/kubectl/pkg/cmd/<name>``. Time passes as for a real client (see :mod:`.factory`).

No Python traceback ever reaches the learner: an internal error prints ``error: <message>``
and exits 1 — except under pytest (or with ``K8SLAB_STRICT=1``), where it is raised so the
bug fails the test.
"""

from __future__ import annotations

import os
from typing import Any

from ...sim.process import ExecContext, Proc, Stream
from .cmd import execute, register

__all__ = ["kubectl", "register"]


def _strict() -> bool:
    flag = os.environ.get("K8SLAB_STRICT")
    if flag is not None:
        return flag not in ("", "0", "false")
    return "PYTEST_CURRENT_TEST" in os.environ


class _Warnings:
    """client-go's warning handler as kubectl configures it: each distinct ``Warning:``
    header of the apiserver is printed once per invocation, on stderr."""

    def __init__(self, stderr: Stream) -> None:
        self.stderr = stderr
        self.seen: set[str] = set()

    def __call__(self, text: str) -> None:
        if text not in self.seen:
            self.seen.add(text)
            self.stderr.write(f"Warning: {text}\n")


def kubectl(ctx: ExecContext, argv: list[str]) -> Proc:
    """Run one kubectl command line."""
    cluster = getattr(ctx.host, "cluster", None)
    api = getattr(cluster, "api", None)
    warnings = _Warnings(ctx.stderr)
    gen = execute(ctx, list(argv))
    value: Any = None
    try:
        while True:
            # The apiserver's warnings reach kubectl only for kubectl's own requests: the
            # sink is set while kubectl's code runs, not while the cluster moves meanwhile.
            previous = api.warning_sink if api is not None else None
            if api is not None:
                api.warning_sink = warnings
            try:
                effect = gen.send(value)
            except StopIteration as stop:
                return int(stop.value or 0)
            finally:
                if api is not None:
                    api.warning_sink = previous
            value = yield effect
    except Exception as exc:
        if _strict():
            raise
        ctx.stderr.write(f"error: {exc}\n")
        return 1
