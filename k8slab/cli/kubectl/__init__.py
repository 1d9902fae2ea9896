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

from ...sim.process import ExecContext, Proc
from .cmd import execute, register

__all__ = ["kubectl", "register"]


def _strict() -> bool:
    flag = os.environ.get("K8SLAB_STRICT")
    if flag is not None:
        return flag not in ("", "0", "false")
    return "PYTEST_CURRENT_TEST" in os.environ


def kubectl(ctx: ExecContext, argv: list[str]) -> Proc:
    """Run one kubectl command line."""
    try:
        code = yield from execute(ctx, list(argv))
    except Exception as exc:
        if _strict():
            raise
        ctx.stderr.write(f"error: {exc}\n")
        return 1
    return code
