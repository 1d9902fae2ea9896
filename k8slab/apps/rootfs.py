"""A container's root filesystem and the executables in it.

containerd unpacks an image's layers into a snapshot, and the kubelet bind-mounts three files
over it: ``/etc/hostname``, ``/etc/hosts`` and ``/etc/resolv.conf`` (their text is the kubelet's,
see :mod:`k8slab.kubelet.pod_files`). Here each image declares a *layout* — the distribution it
was built on — and :func:`build_rootfs` lays out a fresh :class:`~k8slab.sim.fs.MemoryFS` per
container from it, so ``touch /tmp/healthy`` in one container is invisible in another and gone
after a restart, as with a real writable layer.

Executables are files in that tree; :func:`executables` maps each path to the
:data:`~k8slab.sim.process.Command` that runs when it is exec'd. BusyBox applets and the
text tools come from :mod:`k8slab.apps.textutils` (BusyBox wording in busybox and alpine
images, GNU coreutils wording in debian and ubuntu ones), the shells from :mod:`k8slab.apps.sh`.

Filesystems are built lazily (:class:`LazyFS`): 30,000 nginx replicas never look at theirs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..sim.fs import MemoryFS, normpath
from ..sim.process import Command, ExecContext, Proc

if TYPE_CHECKING:
    from .catalog import Image

__all__ = [
    "BUSYBOX_APPLETS",
    "ContainerCommands",
    "LazyFS",
    "PodFiles",
    "build_rootfs",
    "executables",
    "missing_tool",
    "register_tool",
]

# Applets of the BusyBox build the images ship (``busybox --list``), limited to the ones the lab
# can run; see docs/realism.md.
BUSYBOX_APPLETS = (
    "[", "[[", "ash", "awk", "basename", "cat", "chmod", "cp", "cut", "date", "dirname",
    "echo", "egrep", "env", "expr", "false", "fgrep", "find", "grep", "head", "hostname", "id",
    "kill", "ln", "ls", "mkdir", "mv", "nc", "nslookup", "ping", "printenv", "printf", "ps",
    "pwd", "rm", "rmdir", "sed", "seq", "sh", "sleep", "sort", "tail", "tee", "telnet", "test",
    "timeout", "touch", "tr", "true", "uname", "uniq", "uptime", "wc", "wget", "which",
    "whoami", "xargs", "yes",
)

_GNU_BIN = (
    "bash", "sh", "cat", "chmod", "cp", "date", "dirname", "basename", "echo", "env", "false",
    "grep", "egrep", "fgrep", "head", "hostname", "id", "kill", "ln", "ls", "mkdir", "mv", "ps",
    "pwd", "rm", "rmdir", "sed", "seq", "sleep", "sort", "tail", "tee", "test", "[", "timeout",
    "touch", "tr", "true", "uname", "uniq", "wc", "which", "whoami", "xargs", "yes", "printf",
    "printenv", "cut", "awk", "expr",
)
# Where Debian keeps each of those (usrmerge: /bin is a link to /usr/bin on trixie, not on
# jessie; the lab keeps both spellings resolvable).
_USR_BIN = {"awk", "cut", "dirname", "basename", "env", "expr", "head", "id", "printf",
            "printenv", "seq", "sort", "tail", "tee", "test", "[", "timeout", "tr", "uniq", "wc",
            "which", "whoami", "xargs", "yes", "nc", "nslookup"}
# Applets Alpine moved out of its busybox package into ``busybox-extras`` (not installed in
# the images here): ``telnet`` is "not found" in alpine-based images.
_ALPINE_EXTRAS = frozenset({"telnet"})

# Tools later issues provide (curl, http, wrk, wget, nslookup…): name → command.
_TOOLS: dict[str, Command] = {}


def register_tool(name: str, command: Command) -> None:
    """Install a network tool (``curl``, ``http``, ``wrk``, ``wget``, ``nslookup``, ``ping``,
    ``nc``, ``telnet``…) into every image that ships a binary of that name."""
    _TOOLS[name] = command


def missing_tool(name: str) -> Command:
    """The binary ``name`` of an image: runs the command registered under that name, or says
    it cannot run when none is (a cluster without the learner's workstation)."""

    def run(ctx: ExecContext, argv: list[str]) -> Proc:
        tool = _TOOLS.get(name)
        if tool is not None:
            return (yield from tool(ctx, argv))
        ctx.stderr.write(f"{name}: the lab's network tools are not installed yet\n")
        return 1
        yield  # pragma: no cover

    return run


@dataclass(frozen=True)
class PodFiles:
    """What the kubelet mounts into every container of a pod."""

    hostname: str
    hosts: str
    resolv_conf: str
    now: int = 0


class LazyFS(MemoryFS):
    """A MemoryFS filled by ``builder`` on first use."""

    def __init__(self, builder: Callable[[MemoryFS], None]) -> None:
        self._builder: Callable[[MemoryFS], None] | None = builder
        self._root: Any = None

    @property  # type: ignore[override]
    def root(self) -> Any:
        if self._root is None:
            builder, self._builder = self._builder, None
            MemoryFS.__init__(self)
            if builder is not None:
                builder(self)
        return self._root

    @root.setter
    def root(self, value: Any) -> None:
        self._root = value

    @property
    def materialized(self) -> bool:
        return self._root is not None


def _write(fs: MemoryFS, path: str, text: str | bytes, now: int, mode: int = 0o644) -> None:
    parent = path.rsplit("/", 1)[0] or "/"
    fs.mkdir(parent, parents=True, now=now)
    fs.write(path, text.encode() if isinstance(text, str) else text, now=now)


_PASSWD_BUSYBOX = (
    "root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/bin/false\n"
    "bin:x:2:2:bin:/bin:/bin/false\nsys:x:3:3:sys:/dev:/bin/false\n"
    "sync:x:4:100:sync:/bin:/bin/sync\nmail:x:8:8:mail:/var/spool/mail:/bin/false\n"
    "www-data:x:33:33:www-data:/var/www:/bin/false\noperator:x:37:37:Operator:/var:/bin/false\n"
    "nobody:x:65534:65534:nobody:/home:/bin/false\n"
)
_GROUP_BUSYBOX = (
    "root:x:0:\ndaemon:x:1:\nbin:x:2:\nsys:x:3:\nadm:x:4:\ntty:x:5:\ndisk:x:6:\nlp:x:7:\n"
    "mail:x:8:\nkmem:x:9:\nwheel:x:10:root\ncdrom:x:11:\ndialout:x:18:\nfloppy:x:19:\n"
    "video:x:28:\naudio:x:29:\ntape:x:32:\nwww-data:x:33:\noperator:x:37:\nutmp:x:43:\n"
    "plugdev:x:46:\nstaff:x:50:\nlock:x:54:\nnetdev:x:82:\nusers:x:100:\nnogroup:x:65534:\n"
)
_PASSWD_DEBIAN = (
    "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
    "bin:x:2:2:bin:/bin:/usr/sbin/nologin\nsys:x:3:3:sys:/dev:/usr/sbin/nologin\n"
    "www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin\n"
    "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"
)


def build_rootfs(image: Image, files: PodFiles, tools: Mapping[str, Command]) -> LazyFS:
    """The container's filesystem: the image's layout plus the kubelet's mounted files."""

    def build(fs: MemoryFS) -> None:
        now = files.now
        for d in ("/bin", "/dev", "/etc", "/proc", "/root", "/sys", "/tmp", "/usr/bin",
                  "/usr/sbin", "/usr/local/bin", "/var/log", "/var/run/secrets"):
            fs.mkdir(d, parents=True, now=now)
        layout = image.layout
        if layout in ("busybox", "alpine"):
            _write(fs, "/etc/passwd", _PASSWD_BUSYBOX, now)
            _write(fs, "/etc/group", _GROUP_BUSYBOX, now)
            if layout == "alpine":
                _write(fs, "/etc/alpine-release", "3.22.1\n", now)
                _write(fs, "/etc/os-release", 'NAME="Alpine Linux"\nID=alpine\n'
                       'VERSION_ID=3.22.1\nPRETTY_NAME="Alpine Linux v3.22"\n', now)
        elif layout in ("debian", "ubuntu"):
            _write(fs, "/etc/passwd", _PASSWD_DEBIAN, now)
            _write(fs, "/etc/group", "root:x:0:\ndaemon:x:1:\nwww-data:x:33:\n"
                   "nogroup:x:65534:\n", now)
            if layout == "ubuntu":
                _write(fs, "/etc/os-release", 'PRETTY_NAME="Ubuntu 18.04.6 LTS"\nNAME="Ubuntu"\n'
                       'VERSION_ID="18.04"\nID=ubuntu\n', now)
            else:
                old = image.stop_signal != 3
                _write(fs, "/etc/os-release",
                       'PRETTY_NAME="Debian GNU/Linux 8 (jessie)"\nNAME="Debian GNU/Linux"\n'
                       'VERSION_ID="8"\nID=debian\n' if old else
                       'PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\nNAME="Debian GNU/Linux"\n'
                       'VERSION_ID="13"\nID=debian\n', now)
        elif layout == "distroless":
            _write(fs, "/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\n"
                   "nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n", now)
        _write(fs, "/proc/version", "Linux version 6.8.0-87-generic (buildd@lcy02-amd64-034) "
               "(x86_64-linux-gnu-gcc-13 (Ubuntu 13.3.0-6ubuntu2~24.04) 13.3.0) #88-Ubuntu SMP "
               "PREEMPT_DYNAMIC\n", now)
        _write(fs, "/etc/hostname", files.hostname + "\n", now)
        _write(fs, "/etc/hosts", files.hosts, now)
        _write(fs, "/etc/resolv.conf", files.resolv_conf, now)
        for path in tools:
            _write(fs, path, b"\x7fELF", now, 0o755)

    return LazyFS(build)


_TEXT: dict[str, dict[str, Command]] = {}


def _text_commands(flavour: str) -> dict[str, Command]:
    cached = _TEXT.get(flavour)
    if cached is not None:
        return cached
    try:
        from .textutils import commands
    except ImportError:  # the text tools are being written alongside; see the report
        _TEXT[flavour] = {}
        return {}
    try:
        table = dict(commands(flavour))
    except (KeyError, ValueError):
        table = dict(commands("busybox"))
    _TEXT[flavour] = table
    return table


_EXECUTABLES: dict[str, dict[str, Command]] = {}


def executables(image: Image) -> dict[str, Command]:
    """Absolute path → command for everything executable in ``image`` (shared, read-only).

    The app's own binaries are asked of its class only when the image's table is first built:
    every container of an image shares the table."""
    key = f"{image.name}/{bool(_text_commands('busybox'))}"
    cached = _EXECUTABLES.get(key)
    if cached is None:
        cached = _executables(image, image.app_class().image_binaries(image))
        _EXECUTABLES[key] = cached
    return cached


def _executables(image: Image, app_binaries: Mapping[str, Command]) -> dict[str, Command]:
    from .shells import bash_command, busybox_sh_command

    out: dict[str, Command] = {}
    layout = image.layout
    if layout in ("busybox", "alpine"):
        text = _text_commands("busybox")
        own = _busybox_own()
        prefix = "/bin"
        for applet in BUSYBOX_APPLETS:
            cmd = own.get(applet) or text.get(applet)
            if applet in ("sh", "ash"):
                cmd = busybox_sh_command
            elif applet in _ALPINE_EXTRAS and layout == "alpine":
                continue
            elif applet in ("wget", "nslookup", "nc", "ping", "telnet"):
                # the network applets (k8slab.cli.tools), installed by register_tool
                cmd = missing_tool(applet)
            if cmd is not None:
                out[f"{prefix}/{applet}"] = cmd
                if layout == "alpine" and applet in _USR_BIN:
                    out[f"/usr/bin/{applet}"] = cmd
    elif layout in ("debian", "ubuntu"):
        text = _text_commands("bash")
        own = _busybox_own()
        for name in _GNU_BIN:
            cmd = own.get(name) or text.get(name)
            if name in ("bash", "sh"):
                cmd = bash_command
            if cmd is None:
                continue
            out[f"/usr/bin/{name}" if name in _USR_BIN else f"/bin/{name}"] = cmd
            if name not in _USR_BIN:
                out[f"/usr/bin/{name}"] = cmd
    out.update(app_binaries)
    return out


def _busybox_own() -> dict[str, Command]:
    from .busybox import applets

    return applets()


# (PATH, name) → the paths a lookup of ``name`` tries, in order (every container of an image
# starts the same entrypoint through the same PATH).
_SEARCH: dict[tuple[str, str], tuple[str, ...]] = {}


def _search(path: str, name: str) -> tuple[str, ...]:
    key = (path, name)
    found = _SEARCH.get(key)
    if found is None:
        if len(_SEARCH) >= 4096:
            _SEARCH.clear()
        found = _SEARCH[key] = tuple(normpath(f"{directory}/{name}")
                                     for directory in path.split(":") if directory)
    return found


class ContainerCommands(Mapping[str, Command]):
    """The command table a shell inside a container sees: names resolve through ``PATH``.

    ``table["cat"]`` finds ``/bin/cat`` when ``/bin`` is on ``PATH`` and the file exists in the
    container's filesystem; ``table["/bin/cat"]`` looks the path up directly.
    """

    def __init__(self, fs: MemoryFS, binaries: Mapping[str, Command],
                 path: Callable[[], str]) -> None:
        self.fs = fs
        self.binaries = binaries
        self._path = path

    def _exists(self, path: str) -> bool:
        fs = self.fs
        # An untouched image filesystem holds exactly its binaries: no need to build it.
        if isinstance(fs, LazyFS) and not fs.materialized:
            return True
        return fs.exists(path)

    def locate(self, name: str, cwd: str = "/") -> str | None:
        if "/" in name:
            full = normpath(name, cwd)
            return full if full in self.binaries and self._exists(full) else None
        for full in _search(self._path(), name):
            if full in self.binaries and self._exists(full):
                return full
        return None

    def __getitem__(self, name: str) -> Command:
        full = self.locate(name)
        if full is None:
            raise KeyError(name)
        return self.binaries[full]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.locate(name) is not None

    def __iter__(self) -> Iterator[str]:
        seen: dict[str, None] = {}
        for path in sorted(self.binaries):
            seen.setdefault(path.rsplit("/", 1)[-1], None)
        return iter(seen)

    def __len__(self) -> int:
        return len({p.rsplit("/", 1)[-1] for p in self.binaries})
