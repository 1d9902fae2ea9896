"""``dustise/sleep``: the Istio book's client pod — an Ubuntu image that sleeps forever.

It exists to ``kubectl exec`` into: ``bash``, ``curl``, HTTPie's ``http`` and ``wrk`` are on
its ``PATH``. The HTTP tools themselves arrive with the network issue
(:func:`k8slab.apps.rootfs.register_tool`); until then the binaries exist and say they are not
installed. PID 1 ``sleep`` has no signal handler, so deleting the pod takes the full grace
period (SIGKILL, exit 137).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..sim.process import Command, ExecContext, Proc, Sleep
from .base import FOREVER, App
from .rootfs import missing_tool

__all__ = ["SleepApp"]


class SleepApp(App):
    @classmethod
    def image_binaries(cls, image: Any) -> Mapping[str, Command]:
        return {"/usr/bin/curl": missing_tool("curl"), "/usr/bin/http": missing_tool("http"),
                "/usr/local/bin/wrk": missing_tool("wrk"), "/bin/sleep": _sleep,
                # BusyBox applets of the Alpine base (istio.md §6.2); no telnet, which
                # Alpine ships in busybox-extras
                "/bin/ping": missing_tool("ping"), "/usr/bin/nc": missing_tool("nc"),
                "/usr/bin/nslookup": missing_tool("nslookup")}


def _sleep(ctx: ExecContext, argv: list[str]) -> Proc:
    """GNU ``sleep``: ``infinity`` and suffixed numbers (s/m/h/d), summed."""
    if len(argv) < 2:
        ctx.stderr.write("sleep: missing operand\nTry 'sleep --help' for more information.\n")
        return 1
    total = 0.0
    for arg in argv[1:]:
        if arg in ("inf", "infinity"):
            yield Sleep(FOREVER)
            return 0
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(arg[-1:], 0)
        number = arg[:-1] if unit else arg
        try:
            total += float(number) * (unit or 1)
        except ValueError:
            ctx.stderr.write(f"sleep: invalid time interval '{arg}'\n"
                             "Try 'sleep --help' for more information.\n")
            return 1
    yield Sleep(int(total * 1_000_000_000))
    return 0
