"""The ``busybox`` image: BusyBox's ``sh`` and applets in a tiny root filesystem.

The image's ``CMD`` is ``sh``; the talk runs it as
``/bin/sh -c 'echo Exec-Started:$(date …); touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy;
sleep 600'``. PID 1 is then BusyBox ``ash`` with no signal handlers, so SIGTERM is dropped
(PID 1 of a namespace only gets signals it handles) and a stop always ends with SIGKILL after
the grace period: exit code 137, ``reason: Error``.

Most applets come from :mod:`k8slab.apps.textutils` (shared with alpine images); the ones that
need to know the machine they run on — ``hostname`` (``-i`` looks the pod IP up), ``uname``,
``id``, ``whoami``, ``ps`` — are here and read it from ``ctx.host`` (the container). The
network applets (``nslookup``, ``ping``, ``nc``, ``telnet``, ``wget``) are
:mod:`k8slab.cli.tools` commands installed through :func:`k8slab.apps.rootfs.register_tool`.
"""

from __future__ import annotations

from typing import Any

from ..sim.process import Command, ExecContext, Proc, Sleep
from .base import App

__all__ = ["BusyBox", "applets"]


class BusyBox(App):
    """Nothing but PID 1 running whatever ``argv`` names."""


def _hosts_entry(ctx: ExecContext, name: str) -> tuple[str, list[str]] | None:
    """glibc's ``files`` backend for ``gethostbyname``: the first ``/etc/hosts`` line naming
    ``name`` gives the canonical name (its first name) and the address."""
    try:
        text = ctx.fs.read("/etc/hosts").decode("utf-8", "replace")
    except OSError:
        return None
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and ":" not in words[0] and name in words[1:]:
            return words[1], [words[0]]
    return None


def _hostname(ctx: ExecContext, argv: list[str]) -> Proc:
    """``hostname [-s|-f|-d|-i]`` (BusyBox ``networking/hostname.c``; net-tools' options are
    the same): ``-f``/``-d``/``-i`` look the name up (``/etc/hosts``, which the kubelet fills
    with the pod IP, then DNS) and print the canonical name, its domain part or the address."""
    name = str(getattr(ctx.host, "hostname", "localhost"))
    letters = "".join(a[1:] for a in argv[1:] if a.startswith("-") and not a.startswith("--"))
    longs = {a[2:] for a in argv[1:] if a.startswith("--")}
    flags = set(letters) | {{"domain": "d", "fqdn": "f", "long": "f", "ip-address": "i",
                             "short": "s"}.get(o, "") for o in longs}
    operands = [a for a in argv[1:] if not a.startswith("-")]
    if flags & {"d", "f", "i"}:
        entry = _hosts_entry(ctx, name)
        if entry is None:
            transport = getattr(ctx.host, "transport", None)
            client = getattr(transport, "client", None)
            if client is not None:
                ips, elapsed, failure = client.resolver.resolve(name)
                yield Sleep(elapsed)
                if not failure and ips:
                    entry = (name, list(ips))
        if entry is None:
            ctx.stderr.write(f"hostname: {name}: Unknown host\n")
            return 1
        canonical, addresses = entry
        if "f" in flags:
            ctx.stdout.write(canonical + "\n")
        elif "s" in flags:
            ctx.stdout.write(canonical.split(".", 1)[0] + "\n")
        elif "d" in flags:
            if "." in canonical:
                ctx.stdout.write(canonical.split(".", 1)[1] + "\n")
        else:
            ctx.stdout.write(" ".join(addresses) + "\n")
        return 0
    if "s" in flags:
        ctx.stdout.write(name.split(".", 1)[0] + "\n")
        return 0
    if operands or "F" in flags:
        # Setting the name needs CAP_SYS_ADMIN, which containers do not get.
        ctx.stderr.write("hostname: sethostname: Operation not permitted\n")
        return 1
    ctx.stdout.write(f"{name}\n")
    return 0


def _uname(ctx: ExecContext, argv: list[str]) -> Proc:
    host: Any = ctx.host
    kernel = getattr(host, "kernel_version", "6.8.0-87-generic")
    hostname = getattr(host, "hostname", "localhost")
    flags = "".join(a[1:] for a in argv[1:] if a.startswith("-"))
    if "a" in flags:
        ctx.stdout.write(f"Linux {hostname} {kernel} #88-Ubuntu SMP PREEMPT_DYNAMIC Fri Sep 26 "
                         "14:32:19 UTC 2025 x86_64 GNU/Linux\n")
        return 0
    parts = []
    if not flags or "s" in flags:
        parts.append("Linux")
    if "n" in flags:
        parts.append(hostname)
    if "r" in flags:
        parts.append(kernel)
    if "m" in flags:
        parts.append("x86_64")
    ctx.stdout.write(" ".join(parts) + "\n")
    return 0
    yield  # pragma: no cover


def _names(ctx: ExecContext, path: str) -> dict[int, str]:
    try:
        text = ctx.fs.read(path).decode()
    except OSError:
        return {}
    out: dict[int, str] = {}
    for line in text.splitlines():
        fields = line.split(":")
        if len(fields) >= 3 and fields[2].isdigit():
            out.setdefault(int(fields[2]), fields[0])
    return out


def _id(ctx: ExecContext, argv: list[str]) -> Proc:
    uid, gid, groups = getattr(ctx.host, "user", (0, 0, (0,)))
    users = _names(ctx, "/etc/passwd")
    names = _names(ctx, "/etc/group")
    if "-u" in argv:
        ctx.stdout.write(f"{uid}\n")
        return 0
    if "-un" in argv or ("-u" in argv and "-n" in argv):
        ctx.stdout.write(f"{users.get(uid, uid)}\n")
        return 0
    group_text = ",".join(f"{g}({names.get(g, g)})" for g in groups)
    ctx.stdout.write(f"uid={uid}({users.get(uid, uid)}) gid={gid}({names.get(gid, gid)}) "
                     f"groups={group_text}\n")
    return 0
    yield  # pragma: no cover


def _whoami(ctx: ExecContext, argv: list[str]) -> Proc:
    uid = getattr(ctx.host, "user", (0, 0, (0,)))[0]
    ctx.stdout.write(f"{_names(ctx, '/etc/passwd').get(uid, uid)}\n")
    return 0
    yield  # pragma: no cover


def _ps(ctx: ExecContext, argv: list[str]) -> Proc:
    procs = getattr(ctx.host, "processes", lambda: [])()
    ctx.stdout.write("PID   USER     TIME  COMMAND\n")
    for pid, cmdline in [*procs, (max([p for p, _ in procs], default=0) + 7, "ps")]:
        ctx.stdout.write(f"{pid:>5} root      0:00 {cmdline}\n")
    return 0
    yield  # pragma: no cover


def applets() -> dict[str, Command]:
    """Applets that read the machine they run on."""
    return {"hostname": _hostname, "uname": _uname, "id": _id, "whoami": _whoami, "ps": _ps}
