"""What every HTTP tool needs from the machine it runs on: its network, clock and files.

A tool reaches the network only through ``ctx.host.transport`` (the
:class:`~k8slab.network.http.Transport` of the workstation or pod it runs on). The C library
of that machine shows in error texts (glibc's ``Name or service not known`` vs musl's ``Name
does not resolve``): Alpine images carry ``/etc/alpine-release``, so that file decides.
"""

from __future__ import annotations

from typing import Any

from ...network.http import Transport
from ...sim.fs import FSError, normpath
from ...sim.process import ExecContext
from ...sim.timefmt import to_datetime

__all__ = [
    "EXEC_COST",
    "NoNetwork",
    "deadline",
    "gai_strerror",
    "is_musl",
    "local_time",
    "transport",
    "write_file",
]


# What starting the program costs before it sends anything (virtual ns): a C tool execs in
# about a millisecond, HTTPie imports requests for a few hundred. It also guarantees that a
# loop of instantly failing commands (``while true; do wget …; done``) still moves the clock
# towards the run's deadline.
EXEC_COST = {
    "curl": 2_000_000,
    "wget": 1_000_000,
    "busybox-wget": 500_000,
    "http": 200_000_000,
    "wrk": 3_000_000,
    "fortio": 8_000_000,
}


class NoNetwork(Exception):
    """The machine has no network model attached (cannot happen once the network exists)."""


def transport(ctx: ExecContext) -> Transport:
    tr = getattr(ctx.host, "transport", None)
    if tr is None:
        raise NoNetwork
    return tr


def deadline(ctx: ExecContext) -> int | None:
    """The run's Ctrl-C instant (absolute virtual ns), if the shell set one."""
    value: Any = ctx.extra.get("deadline") if ctx.extra else None
    return int(value) if value is not None else None


def is_musl(ctx: ExecContext) -> bool:
    try:
        return bool(ctx.fs.exists("/etc/alpine-release"))
    except (FSError, AttributeError):
        return False


def gai_strerror(ctx: ExecContext) -> str:
    """EAI_NONAME as the machine's libc words it."""
    return "Name does not resolve" if is_musl(ctx) else "Name or service not known"


def local_time(ns: int, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """Wall-clock text of a virtual instant (the lab's machines run in UTC)."""
    return to_datetime(ns).strftime(fmt)


def write_file(ctx: ExecContext, path: str, data: bytes) -> str | None:
    """Write through the machine's filesystem; the errno text on failure, else None.

    ``/dev/null`` swallows the data and ``/dev/stdout``/``/dev/stderr`` are the streams, as
    on a real machine (the in-memory trees have no device files)."""
    full = normpath(path, ctx.cwd)
    if full == "/dev/null":
        return None
    if full in ("/dev/stdout", "/dev/stderr"):
        stream = ctx.stdout if full == "/dev/stdout" else ctx.stderr
        stream.write(data.decode("utf-8", "replace"))
        return None
    try:
        if ctx.fs.is_dir(full):
            raise FSError("EISDIR", full)
        ctx.fs.write(full, data, now=ctx.now)
    except FSError as err:
        return err.strerror_text
    return None


def read_file(ctx: ExecContext, path: str) -> bytes | None:
    try:
        return ctx.fs.read(normpath(path, ctx.cwd))
    except FSError:
        return None
