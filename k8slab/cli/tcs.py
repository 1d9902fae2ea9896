"""``tcs``: the talk's own node tool (``cargo run tcs create -i t.cs.11``). Stub."""

from __future__ import annotations

from ..sim.process import ExecContext, Proc

__all__ = ["tcs"]


def tcs(ctx: ExecContext, argv: list[str]) -> Proc:
    ctx.stderr.write("tcs: not implemented yet\n")
    return 1
    yield  # pragma: no cover
