"""The container runtime of one node: containerd 2.x behind the CRI, as the kubelet sees it.

- **Sandboxes** (``RunPodSandbox``): one per pod, holding its network namespace and IP. The IP
  comes from the CNI's ``host-local`` IPAM over the node's ``podCIDR``: ``.1`` is the bridge's
  gateway, pods get the next free address after the last one handed out, wrapping around
  (``plugins/ipam/host-local/backend/allocator``), so a restarted pod gets a *new* IP.
- **Containers** (``CreateContainer``/``StartContainer``/``StopContainer``): IDs are 64 hex
  digits, states created → running → exited, the exit code and reason (``Completed`` for 0,
  ``Error`` otherwise, ``StartError`` with exit code 128 when the entrypoint does not exist).
  ``StopContainer`` sends the image's stop signal and SIGKILLs after the grace period; PID 1
  ignores signals it has no handler for, hence the 137 of a shell killed after 30 s.
- **Logs**: each container's stdout/stderr become CRI log lines with their nanosecond
  timestamps; a partial last line is flushed when the process exits.
- **Power loss** (:meth:`Runtime.power_off`): every process vanishes; after the reboot the
  runtime still lists the dead containers (exit code 255, reason ``Unknown``) and their logs, as
  containerd's on-disk state does.

The runtime is state, not a component: the kubelet drives it and is told of exits through the
``on_exit`` callback (the PLEG's view).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..apps.base import SIGKILL, App
from ..apps.catalog import ResolvedImage
from ..apps.rootfs import ContainerCommands, PodFiles, build_rootfs, executables
from ..sim.clock import Loop, Timer
from ..sim.process import ExecContext, Proc, ProcessHandle, spawn

if TYPE_CHECKING:
    from ..sim.rand import Streams

__all__ = ["Container", "HostLocalIPAM", "LogStream", "Runtime", "Sandbox", "StartError"]


class StartError(Exception):
    """``StartContainer`` failed; the text is containerd's."""


class LogStream:
    """A container's stdout or stderr as the CRI logger writes it: one entry per line."""

    __slots__ = ("container", "name", "partial")

    def __init__(self, container: Container, name: str) -> None:
        self.container = container
        self.name = name
        self.partial = ""

    def write(self, text: str) -> None:
        if not text:
            return
        now = self.container.loop.now
        data = self.partial + text
        lines = data.split("\n")
        self.partial = lines.pop()
        logs = self.container.logs
        for line in lines:
            logs.append((now, self.name, line))

    def flush(self) -> None:
        if self.partial:
            self.container.logs.append((self.container.loop.now, self.name, self.partial))
            self.partial = ""


class Sandbox:
    __slots__ = ("created_at", "host_network", "id", "ip", "pod_uid", "ready")

    def __init__(self, sid: str, pod_uid: str, ip: str, created_at: int,
                 host_network: bool) -> None:
        self.id = sid
        self.pod_uid = pod_uid
        self.ip = ip
        self.created_at = created_at
        self.ready = True
        self.host_network = host_network


class Container:
    """One container, and the :class:`~k8slab.apps.base.ContainerContext` its app sees."""

    # One per pod start: 30,000 of them in a big rollout.
    __slots__ = ("_rngs", "_stop_timer", "app", "argv", "binaries", "commands", "cpus",
                 "created_at", "cri_id", "cwd", "env", "exit_code", "finished_at", "fs",
                 "handle", "host_ip", "hostname", "id", "image", "kernel_version", "logs",
                 "loop", "message", "name", "namespace", "node_name", "on_exit", "pod_ip",
                 "pod_name", "pod_uid", "reason", "restart_count", "runtime", "spec",
                 "started_at", "state", "stderr", "stdout", "user")

    def __init__(self, runtime: Runtime, cid: str, pod: dict[str, Any], spec: dict[str, Any],
                 image: ResolvedImage, sandbox: Sandbox, argv: list[str],
                 env: dict[str, str], files: PodFiles, restart_count: int) -> None:
        meta = pod.get("metadata") or {}
        self.runtime = runtime
        self.loop: Loop = runtime.loop
        self.id = cid
        #: the ID as the CRI reports it (``containerStatuses[].containerID``)
        self.cri_id = f"containerd://{cid}"
        self.name: str = spec.get("name", "")
        self.spec = spec
        self.namespace: str = meta.get("namespace", "")
        self.pod_name: str = meta.get("name", "")
        self.pod_uid: str = meta.get("uid", "")
        self.pod_ip = sandbox.ip
        self.node_name = runtime.node_name
        self.host_ip = runtime.host_ip
        self.hostname = files.hostname
        self.kernel_version = runtime.kernel_version
        self.cpus = runtime.cpus
        self.image = image
        self.argv = argv
        self.env = env
        self.cwd = spec.get("workingDir") or image.image.workdir or "/"
        self.user = image.image.user
        self.restart_count = restart_count
        self.state = "created"
        self.created_at = runtime.loop.now
        self.started_at = 0
        self.finished_at = 0
        self.exit_code = 0
        self.reason = ""
        self.message = ""
        self.logs: list[tuple[int, str, str]] = []
        self.stdout = LogStream(self, "stdout")
        self.stderr = LogStream(self, "stderr")
        self.binaries = executables(image.image)
        self.fs = build_rootfs(image.image, files, self.binaries)
        self.commands = ContainerCommands(self.fs, self.binaries,
                                          lambda: self.env.get("PATH", ""))
        self.app: App | None = None
        self.handle: ProcessHandle | None = None
        self.on_exit: Callable[[Container], None] | None = None
        self._stop_timer: Timer | None = None
        self._rngs: dict[str, _LazyStream] = {}

    # ------------------------------------------------------------------ context

    def rng(self, purpose: str) -> _LazyStream:
        """The named stream: a :class:`_LazyStream` standing in for its ``random.Random``."""
        rng = self._rngs.get(purpose)
        if rng is None:
            rng = _LazyStream(self.runtime.streams, f"container/{self.id[:16]}/{purpose}")
            self._rngs[purpose] = rng
        return rng

    @property
    def running(self) -> bool:
        return self.state == "running"

    @property
    def transport(self) -> Any:
        """The pod's network access (``ctx.host.transport`` for curl & co.), from the
        network model the cluster attached to this runtime (None without one)."""
        factory = self.runtime.transport_factory
        return factory(self) if factory is not None else None

    def processes(self) -> list[tuple[int, str]]:
        return [(1, " ".join(self.argv))] if self.running else []

    def exec_context(self, stdin: str, stdout: Any, stderr: Any,
                     env: dict[str, str] | None = None, tty: bool = False) -> ExecContext:
        return ExecContext(stdin, stdout, stderr, dict(env or self.env), self.cwd, self.fs,
                           self.loop, host=self, tty=tty)

    # ------------------------------------------------------------------ lifecycle

    def _exited(self, code: int) -> None:
        if self.state == "exited":
            return
        if self._stop_timer is not None:
            self._stop_timer.cancel()
            self._stop_timer = None
        self.stdout.flush()
        self.stderr.flush()
        self.state = "exited"
        self.exit_code = code
        self.finished_at = self.loop.now
        self.reason = "Completed" if code == 0 else "Error"
        if self.app is not None:
            self.app.on_exit()
        if self.on_exit is not None:
            self.on_exit(self)


class _LazyStream:
    """A container's named random stream, seeded on its first draw.

    Apps take their streams when they start (nginx its latency jitter) but most never draw
    (no request reaches most of 30,000 nginx pods), and seeding a ``random.Random`` from a
    string is costly. The stream is the same ``streams(name)`` whenever it is first used.
    """

    __slots__ = ("_name", "_streams")

    def __init__(self, streams: Streams, name: str) -> None:
        self._streams = streams
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        return getattr(self._streams(self._name), attr)


def _ip(value: int) -> str:
    return f"{value >> 24 & 255}.{value >> 16 & 255}.{value >> 8 & 255}.{value & 255}"


class HostLocalIPAM:
    """The CNI ``host-local`` allocator over the node's pod CIDR."""

    def __init__(self) -> None:
        self.cidr: str | None = None
        self._base = 0
        self._size = 0
        self._last = 1
        self._used: dict[int, str] = {}
        #: the bridge's address (``.1``; every pod sandbox's gateway), "" before a CIDR
        self.gateway = ""

    def configure(self, cidr: str | None) -> None:
        if cidr == self.cidr:
            return
        self.cidr = cidr
        if cidr:
            net = ipaddress.IPv4Network(cidr, strict=False)
            self._base, self._size = int(net.network_address), net.num_addresses
        else:
            self._base = self._size = 0
        self._last = 1
        self._used = {}
        self.gateway = _ip(self._base + 1) if self._size else ""

    def allocate(self, owner: str) -> str | None:
        if not self._size:
            return None
        first, last = 2, self._size - 2
        span = last - first + 1
        used = self._used
        for step in range(1, span + 1):
            offset = first + (self._last - first + step) % span
            if offset not in used:
                used[offset] = owner
                self._last = offset
                return _ip(self._base + offset)
        return None

    def release(self, ip: str) -> None:
        if not self._size or not ip:
            return
        try:
            offset = int(ipaddress.IPv4Address(ip)) - self._base
        except ValueError:
            return
        self._used.pop(offset, None)


class Runtime:
    """containerd on one node."""

    def __init__(self, node_name: str, host_ip: str, loop: Loop, streams: Streams,
                 kernel_version: str, cpus: int) -> None:
        self.node_name = node_name
        self.host_ip = host_ip
        self.loop = loop
        self.streams = streams
        self.kernel_version = kernel_version
        self.cpus = cpus
        self.ipam = HostLocalIPAM()
        self.sandboxes: dict[str, Sandbox] = {}
        # pod uid → containers, oldest first
        self.containers: dict[str, list[Container]] = {}
        self._hex = f"runtime/{node_name}"
        #: builds a container's network transport (set by ``cluster.network``)
        self.transport_factory: Callable[[Container], Any] | None = None

    def new_id(self) -> str:
        return self.streams.hex(self._hex, 64)

    # ------------------------------------------------------------------ sandboxes

    def run_sandbox(self, pod_uid: str, host_network: bool, pod_key: str) -> Sandbox | None:
        """Create the pod sandbox; None when the CNI has no address to give."""
        if host_network:
            ip = self.host_ip
        else:
            allocated = self.ipam.allocate(pod_key)
            if allocated is None:
                return None
            ip = allocated
        old = self.sandboxes.get(pod_uid)
        if old is not None and not old.host_network:
            self.ipam.release(old.ip)
        sandbox = Sandbox(self.new_id(), pod_uid, ip, self.loop.now, host_network)
        self.sandboxes[pod_uid] = sandbox
        return sandbox

    def stop_sandbox(self, pod_uid: str) -> None:
        sandbox = self.sandboxes.get(pod_uid)
        if sandbox is not None and sandbox.ready:
            sandbox.ready = False
            if not sandbox.host_network:
                self.ipam.release(sandbox.ip)

    def remove_pod(self, pod_uid: str) -> None:
        """Garbage-collect a deleted pod's sandbox and containers."""
        self.stop_sandbox(pod_uid)
        self.sandboxes.pop(pod_uid, None)
        self.containers.pop(pod_uid, None)

    # ------------------------------------------------------------------ containers

    def create_container(self, pod: dict[str, Any], spec: dict[str, Any],
                         image: ResolvedImage, sandbox: Sandbox, argv: list[str],
                         env: dict[str, str], files: PodFiles, restart_count: int) -> Container:
        c = Container(self, self.new_id(), pod, spec, image, sandbox, argv, env, files,
                      restart_count)
        containers = self.containers.setdefault(c.pod_uid, [])
        containers.append(c)
        # The kubelet keeps the last dead container per name for `logs --previous`; older ones
        # are garbage-collected (MaxPerPodContainer = 1). (A pod's first two containers never
        # are: the common case.)
        if len(containers) > 2:
            same = [x for x in containers if x.name == c.name]
            if len(same) > 2:
                containers.remove(same[0])
        return c

    def start_container(self, c: Container, on_exit: Callable[[Container], None]) -> None:
        """Start PID 1, or raise :class:`StartError` with containerd's message."""
        c.on_exit = on_exit
        argv = c.argv
        if not argv:
            c.state, c.exit_code, c.reason = "exited", 128, "StartError"
            c.finished_at = self.loop.now
            raise StartError("failed to create containerd task: failed to create shim task: "
                             "OCI runtime create failed: runc create failed: unable to start "
                             "container process: error during container init: no command "
                             "specified: unknown")
        path = c.commands.locate(argv[0], c.cwd)
        if path is None:
            what = (f'exec: "{argv[0]}": stat {argv[0]}: no such file or directory'
                    if "/" in argv[0] else
                    f'exec: "{argv[0]}": executable file not found in $PATH')
            message = ("failed to create containerd task: failed to create shim task: OCI "
                       "runtime create failed: runc create failed: unable to start container "
                       f"process: error during container init: {what}: unknown")
            c.state, c.exit_code, c.reason, c.message = "exited", 128, "StartError", message
            c.finished_at = self.loop.now
            raise StartError(message)
        c.app = c.image.image.make_app(c, argv)
        ctx = c.exec_context("", c.stdout, c.stderr)
        c.state = "running"
        c.started_at = self.loop.now
        proc: Proc = c.app.main(ctx, list(argv))
        c.handle = spawn(self.loop, proc, c._exited)

    def stop_container(self, c: Container, grace: int) -> int:
        """``StopContainer``: stop signal now, SIGKILL after ``grace`` ns.

        Returns the virtual time (ns from now) by which the container will have exited.
        """
        if c.state != "running":
            return 0
        if c._stop_timer is not None:
            return max(0, c._stop_timer.when - self.loop.now)
        action = c.app.on_signal(c.image.image.stop_signal) if c.app is not None else None
        if action is not None and action.delay <= grace:
            c._stop_timer = self.loop.call_later(action.delay, self._terminate, c,
                                                 action.exit_code)
            return action.delay
        c._stop_timer = self.loop.call_later(grace, self._terminate, c, 128 + SIGKILL)
        return grace

    def _terminate(self, c: Container, code: int) -> None:
        c._stop_timer = None
        if c.handle is not None and c.handle.running:
            c.handle.kill(code)
        else:
            c._exited(code)

    def power_off(self) -> None:
        """The machine loses power: every process is gone, with no exit reported."""
        for containers in self.containers.values():
            for c in containers:
                if c.state == "running":
                    if c._stop_timer is not None:
                        c._stop_timer.cancel()
                        c._stop_timer = None
                    c.on_exit = None
                    handle, c.handle = c.handle, None
                    if handle is not None and handle.running:
                        handle.on_exit = None
                        handle.kill(255)
                    c.stdout.flush()
                    c.stderr.flush()
                    c.state = "exited"
                    c.exit_code = 255
                    c.reason = "Unknown"
                    c.finished_at = self.loop.now
                    if c.app is not None:
                        c.app.on_exit()
        for sandbox in self.sandboxes.values():
            sandbox.ready = False

    def pod_containers(self, pod_uid: str) -> list[Container]:
        return self.containers.get(pod_uid, [])

    def find(self, pod_uid: str, name: str) -> tuple[Container | None, Container | None]:
        """The most recent and the previous container named ``name`` in the pod."""
        latest: Container | None = None
        previous: Container | None = None
        for c in self.containers.get(pod_uid, ()):
            if c.name == name:
                previous, latest = latest, c
        return latest, previous

    def app_on_port(self, ip: str, port: int) -> App | None:
        """The running app listening on ``ip:port`` on this node (pod IPs and the host IP;
        loopback seen from the node is the host's network namespace)."""
        if ip in ("127.0.0.1", "localhost"):
            ip = self.host_ip
        for uid, sandbox in self.sandboxes.items():
            if not sandbox.ready or sandbox.ip != ip:
                continue
            for c in self.containers.get(uid, ()):
                if c.running and c.app is not None and c.app.listening(port):
                    return c.app
        return None
