"""kubectl (placeholder entry point; see the package modules)."""

from __future__ import annotations

from ...sim.process import ExecContext, Proc

__all__ = ["kubectl"]


def kubectl(ctx: ExecContext, argv: list[str]) -> Proc:
    ctx.stderr.write("kubectl: not implemented yet\n")
    return 1
    yield  # pragma: no cover
