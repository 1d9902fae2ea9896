"""What a container image *does* once it runs: the App behaviour interface.

The kubelet's container runtime (:mod:`k8slab.kubelet.runtime`) starts an :class:`App` for every
container it creates and asks it four things, which is all a real container runtime can observe
of a process too:

- :meth:`App.main` — the PID 1 program, a :data:`~k8slab.sim.process.Command` generator run on
  the loop. Its stdout/stderr become the container log, its return value the exit code.
- :meth:`App.on_signal` — what PID 1 does with the stop signal (``SIGTERM``, or the image's
  ``STOPSIGNAL``): exit after a delay with some code, or ignore it (a shell as PID 1 has no
  handler, so the kernel drops the signal and the kubelet has to ``SIGKILL`` after the grace
  period → exit code 137).
- :meth:`App.listening` — which TCP ports accept connections right now (``tcpSocket`` probes,
  later kube-proxy and curl).
- :meth:`App.serve_http` — one HTTP exchange on a listening port (``httpGet`` probes today; the
  network issue builds Services, curl and the mesh on the same call). Keep it small: a request
  in, a response out, plus the CPU the request burned and how long it took, so metrics and
  latency come out of the same model.

An app gets a :class:`ContainerContext` describing the container it lives in (pod, IP, env,
filesystem, random stream, the log writer). It never reaches the apiserver: apps are processes,
not components.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..sim.clock import Loop
from ..sim.fs import MemoryFS
from ..sim.process import FOREVER, Command, ExecContext, Proc, Sleep, Stream

__all__ = [
    "SIGINT",
    "SIGKILL",
    "SIGNAL_NAMES",
    "SIGQUIT",
    "SIGTERM",
    "App",
    "ContainerContext",
    "HTTPRequest",
    "HTTPResponse",
    "SignalAction",
]

SIGINT, SIGQUIT, SIGKILL, SIGTERM = 2, 3, 9, 15
SIGNAL_NAMES = {"SIGINT": SIGINT, "SIGQUIT": SIGQUIT, "SIGKILL": SIGKILL, "SIGTERM": SIGTERM}


class ContainerContext(Protocol):
    """The container an app runs in, as the runtime exposes it."""

    name: str
    namespace: str
    pod_name: str
    pod_ip: str
    node_name: str
    host_ip: str
    env: dict[str, str]
    loop: Loop
    image: Any  # k8slab.apps.catalog.Image
    commands: Any  # k8slab.apps.rootfs.ContainerCommands: PATH lookup of executables

    # Read-only: the runtime's are a lazily built MemoryFS and its CRI log streams.
    @property
    def fs(self) -> MemoryFS: ...

    @property
    def stdout(self) -> Stream: ...

    @property
    def stderr(self) -> Stream: ...

    def rng(self, purpose: str) -> Any:
        """A seeded ``random.Random`` for this container and purpose."""
        ...


@dataclass(frozen=True)
class HTTPRequest:
    """One HTTP/1.1 request as it reaches the app."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    port: int = 80
    client_ip: str = ""
    scheme: str = "http"
    host: str = ""

    def header(self, name: str, default: str = "") -> str:
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return default


@dataclass(frozen=True)
class HTTPResponse:
    """The app's answer: status, headers in wire order, body.

    ``latency`` is how long the app took to answer (ns of virtual time); ``cpu`` the CPU time it
    burned (ns), which is what metrics-server reports and the HPA scales on.
    """

    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    latency: int = 0
    cpu: int = 0

    def header(self, name: str, default: str = "") -> str:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return default


@dataclass(frozen=True)
class SignalAction:
    """What PID 1 does on a signal: exit ``exit_code`` after ``delay`` ns."""

    delay: int
    exit_code: int


class App:
    """Base behaviour: PID 1 is whatever ``argv`` names, found on the container's ``PATH``.

    A plain program as PID 1 (``sh``, ``sleep``) installs no signal handlers, and the kernel
    never delivers an unhandled signal to PID 1 of a PID namespace: SIGTERM is dropped, the
    kubelet waits out the grace period and SIGKILLs (exit code 137). Server images subclass
    this and take over when ``argv`` runs their server. ``ports`` are the TCP ports the
    process listens on once :attr:`ready_at` has passed (servers take a moment to bind).
    """

    #: TCP ports the process listens on
    ports: tuple[int, ...] = ()

    def __init__(self, container: ContainerContext, argv: list[str]) -> None:
        self.container = container
        self.argv = argv
        #: virtual time from which ``ports`` accept connections
        self.ready_at: int = container.loop.now
        self.exited = False

    # ------------------------------------------------------------------ process

    def main(self, ctx: ExecContext, argv: list[str]) -> Proc:
        """PID 1: run the executable ``argv[0]`` resolves to (the runtime checked it exists)."""
        table = self.container.commands
        path = table.locate(argv[0], ctx.cwd)
        if path is None:  # pragma: no cover - the runtime refuses to start such a container
            return 127
        return (yield from table.binaries[path](ctx, argv))

    def on_signal(self, signal: int) -> SignalAction | None:
        """Reaction to ``signal``; None means the signal is ignored (PID 1 without handler)."""
        return None

    def runs(self, *names: str) -> bool:
        """Whether ``argv[0]`` is one of ``names`` (by basename): is this app's server PID 1?"""
        return bool(self.argv) and self.argv[0].rsplit("/", 1)[-1] in names

    def on_exit(self) -> None:
        """The process is gone (for apps that keep state)."""
        self.exited = True

    # ------------------------------------------------------------------ network

    def listening(self, port: int) -> bool:
        return (not self.exited and port in self.ports
                and self.container.loop.now >= self.ready_at)

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        """Answer one request on ``request.port``. Apps without HTTP reset the connection."""
        raise ConnectionResetError("connection reset by peer")

    def grpc_health(self, port: int, service: str) -> str:
        """``grpc.health.v1.Health/Check``: ``SERVING``/``NOT_SERVING``/``SERVICE_UNKNOWN``."""
        raise ConnectionRefusedError("connection refused")

    # ------------------------------------------------------------------ binaries

    @classmethod
    def image_binaries(cls, image: Any) -> Mapping[str, Command]:
        """Executables the image ships besides its distribution's, by absolute path."""
        return {}


class Server(App):
    """A server image: when ``argv`` runs its server binary, PID 1 serves until stopped.

    ``startup`` is the virtual time from exec to listening; :meth:`started` writes the
    start-up log lines; :meth:`stop_action` says how the server reacts to each signal.
    """

    server_names: tuple[str, ...] = ()
    startup: int = 0

    def __init__(self, container: ContainerContext, argv: list[str]) -> None:
        super().__init__(container, argv)
        self.serving = False

    def main(self, ctx: ExecContext, argv: list[str]) -> Proc:
        if not self.runs(*self.server_names):
            return (yield from super().main(ctx, argv))
        return (yield from self.serve(ctx))

    def serve(self, ctx: ExecContext) -> Proc:
        """The server process: listening ``startup`` after exec, until it is stopped."""
        self.serving = True
        self.ready_at = self.container.loop.now + self.startup
        try:
            self.starting(ctx)
            if self.startup:
                yield Sleep(self.startup)
            self.started(ctx)
            yield Sleep(FOREVER)
        finally:
            self.serving = False
        return 0

    def adopt(self, ctx: ExecContext, argv: list[str]) -> Proc | None:
        """The server binary run inside this container while nothing serves in it: the
        process that binds the ports (``sh -c '…; exec nginx -g "daemon off;"'`` as PID 1,
        where ``exec`` replaces the shell by the server). None when a server already holds
        them (the binary then fails as a second instance would)."""
        if self.serving or self.exited or not argv or (
                argv[0].rsplit("/", 1)[-1] not in self.server_names):
            return None
        self.argv = list(argv)
        return self.serve(ctx)

    @classmethod
    def image_binaries(cls, image: Any) -> Mapping[str, Command]:
        """The server binary the image's entrypoint (or command) names."""
        argv = list(image.entrypoint) or list(image.cmd)
        if not argv:
            return {}
        first = argv[0]
        path = first if first.startswith("/") else f"/usr/local/bin/{first}"
        return {path: _server_cli}

    def starting(self, ctx: ExecContext) -> None:
        """Log lines written at exec time."""

    def started(self, ctx: ExecContext) -> None:
        """Log lines written once the server listens."""

    def on_signal(self, signal: int) -> SignalAction | None:
        if not self.serving:
            return None
        return self.stop_action(signal)

    def stop_action(self, signal: int) -> SignalAction | None:
        """Default: exit at once with status 0 (a clean shutdown)."""
        return SignalAction(0, 0)

    def listening(self, port: int) -> bool:
        return self.serving and super().listening(port)


def _server_cli(ctx: ExecContext, argv: list[str]) -> Proc:
    """A server binary run from a shell: it serves when nothing serves in its container yet
    (:meth:`Server.adopt`); as a second process (``kubectl exec … etcd --version``) it has
    nothing to add to the PID 1 already serving and exits 0."""
    app = getattr(ctx.host, "app", None)
    proc = app.adopt(ctx, argv) if isinstance(app, Server) else None
    if proc is not None:
        return (yield from proc)
    return 0
