"""The text tools both kinds of machine have: GNU coreutils/grep/sed/mawk on the learner's
workstation (``flavour="bash"``) and BusyBox applets in containers (``flavour="busybox"``).

>>> table = commands("busybox")                              # doctest: +SKIP
>>> table["cat"](ctx, ["cat", "/tmp/healthy"])               # a Proc

Each tool is a :data:`~k8slab.sim.process.Command`; the flavour only changes wording (``cat:
/tmp/x: No such file or directory`` vs ``cat: can't open '/tmp/x': No such file or
directory``) and the few behaviours where the implementations differ. ``sleep`` and ``tail
-f`` take virtual time; everything else is instantaneous. ``export`` and ``cd`` are shell
builtins (:mod:`k8slab.apps.sh.builtins`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ...sim.process import Command, ExecContext
from .awk import AWK
from .basic import BASIC
from .common import Tool
from .files import FILES
from .sed import SED
from .text import TEXT

__all__ = ["commands"]

_ALL: dict[str, Callable[..., Any]] = {**BASIC, **FILES, **TEXT, **SED, **AWK}


def _run(fn: Callable[..., Any], name: str, gnu: bool, ctx: ExecContext, argv: list[str]) -> Any:
    result = fn(Tool(ctx, name, gnu), list(argv[1:]))
    if hasattr(result, "send"):
        return (yield from result)
    return result


def commands(flavour: str) -> dict[str, Command]:
    """The tool table of a machine: ``"bash"`` (the workstation) or ``"busybox"``."""
    if flavour not in ("bash", "busybox"):
        raise ValueError(f"unknown flavour {flavour!r}")
    gnu = flavour == "bash"
    return {name: partial(_run, fn, name, gnu) for name, fn in _ALL.items()}
