"""``/bin/sh`` and ``/bin/bash`` inside containers, wired to the lab's shell interpreter.

The interpreter itself (:mod:`k8slab.apps.sh`) knows the language; this module gives it the
container it runs in: the command table resolves names through the container's ``PATH`` and
filesystem (:class:`~k8slab.apps.rootfs.ContainerCommands`), and the flavour picks the wording
of error messages — BusyBox ``ash`` (``sh: foo: not found``) or GNU bash
(``bash: foo: command not found``).

Invocation follows ``sh(1)``: ``sh -c 'script' [name [args…]]`` runs the string; ``sh file``
runs a file; a plain ``sh`` reads commands from stdin, and with no stdin (a container's PID 1
without ``stdin: true``) it reads EOF at once and exits 0 — which is why ``busybox`` with its
default ``CMD ["sh"]`` ends up in ``CrashLoopBackOff``.
"""

from __future__ import annotations

from typing import Any

from ..sim.process import ExecContext, Proc

__all__ = ["bash_command", "busybox_sh_command", "shell_available"]


def shell_available() -> bool:
    try:
        from .sh import Shell  # noqa: F401
    except ImportError:
        return False
    return True


def _command_table(ctx: ExecContext) -> Any:
    host = ctx.host
    table = getattr(host, "commands", None)
    if table is None:
        return {}
    return table


def _run(ctx: ExecContext, argv: list[str], flavour: str) -> Proc:
    try:
        from .sh import Shell
    except ImportError:  # pragma: no cover - the interpreter ships with the package
        name = argv[0].rsplit("/", 1)[-1] if argv else "sh"
        ctx.stderr.write(f"{name}: the lab's shell interpreter is not installed yet\n")
        return 127
    shell = Shell(_command_table(ctx), flavour=flavour)
    return (yield from shell.command(ctx, argv))


def busybox_sh_command(ctx: ExecContext, argv: list[str]) -> Proc:
    """BusyBox ``ash`` (``/bin/sh`` in busybox and alpine images)."""
    return (yield from _run(ctx, argv, "busybox"))


def bash_command(ctx: ExecContext, argv: list[str]) -> Proc:
    """GNU bash (``/bin/bash``; also ``/bin/sh`` in debian images — dash in reality)."""
    return (yield from _run(ctx, argv, "bash"))
