"""The lab's HTTP and load tools: curl, HTTPie (``http``/``https``), wget (GNU and BusyBox),
wrk and fortio.

Each is a command generator ``tool(ctx, argv) -> Proc`` (see :mod:`k8slab.sim.process`) that
reaches the network only through ``ctx.host.transport`` (:class:`k8slab.network.http.Transport`),
writes files through ``ctx.fs``, lets virtual time pass by sleeping each exchange's time (or
``yield from transport.run_load(spec)`` for wrk and fortio) and returns the real tool's exit
status. Install them with ``workstation.register(name, command, path)`` and, in images,
``k8slab.apps.rootfs.register_tool(name, command)``:

- :data:`WORKSTATION` — the learner's Debian laptop: GNU wget.
- :data:`CONTAINER` — tools found in images: BusyBox's ``wget``, ``nslookup``, ``ping``,
  ``nc`` and ``telnet`` applets in busybox/alpine images (:mod:`.busybox_net`), curl/http/wrk
  in ``dustise/sleep``, fortio in ``fortio/fortio``.
"""

from __future__ import annotations

from ...sim.process import Command
from .busybox_net import nc, nslookup, ping, telnet
from .curl import curl
from .fortio import fortio
from .httpie import http, https
from .wget import busybox_wget, make_busybox_wget, wget
from .wrk import wrk

__all__ = [
    "CONTAINER",
    "WORKSTATION",
    "busybox_wget",
    "curl",
    "fortio",
    "http",
    "https",
    "make_busybox_wget",
    "nc",
    "nslookup",
    "ping",
    "telnet",
    "wget",
    "wrk",
]

#: name → (command, path on the workstation)
WORKSTATION: dict[str, tuple[Command, str]] = {
    "curl": (curl, "/usr/bin/curl"),
    "http": (http, "/usr/bin/http"),
    "https": (https, "/usr/bin/https"),
    "wget": (wget, "/usr/bin/wget"),
    "wrk": (wrk, "/usr/bin/wrk"),
    "fortio": (fortio, "/usr/local/bin/fortio"),
}

#: name → command, for ``rootfs.register_tool`` (wget is BusyBox's applet in images)
CONTAINER: dict[str, Command] = {
    "curl": curl,
    "http": http,
    "https": https,
    "wget": busybox_wget,
    "wrk": wrk,
    "fortio": fortio,
    # BusyBox network applets (busybox and alpine images, dustise/sleep)
    "nslookup": nslookup,
    "ping": ping,
    "nc": nc,
    "telnet": telnet,
}
