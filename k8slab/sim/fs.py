"""In-memory filesystems for containers and for the learner's workstation.

A :class:`MemoryFS` is a tree of directories and files held in dicts; a container gets a fresh
one built from its image's layout, which disappears with the container (as a container's
writable layer does on restart). The workstation uses an :class:`OverlayFS`: it may *read* the
real files under the lab's working directory (the manifests a learner names), while every write
lands in memory — the lab never changes the real disk.

Paths are POSIX strings; errors are ``FSError`` carrying the errno name (``ENOENT``, ``EISDIR``,
``ENOTDIR``, ``EEXIST``, ``ENOTEMPTY``) so each tool can print its own wording.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["FSError", "MemoryFS", "OverlayFS", "normpath"]


class FSError(OSError):
    """A filesystem failure; ``code`` is the errno name."""

    def __init__(self, code: str, path: str) -> None:
        super().__init__(code, path)
        self.code = code
        self.path = path

    @property
    def strerror_text(self) -> str:
        return {
            "ENOENT": "No such file or directory",
            "EISDIR": "Is a directory",
            "ENOTDIR": "Not a directory",
            "EEXIST": "File exists",
            "ENOTEMPTY": "Directory not empty",
            "EACCES": "Permission denied",
            "EROFS": "Read-only file system",
        }.get(self.code, self.code)


def normpath(path: str, cwd: str = "/") -> str:
    full = path if path.startswith("/") else posixpath.join(cwd, path)
    out = posixpath.normpath(full)
    return "/" + out.lstrip("/") if out != "/" else "/"


@dataclass
class _Node:
    is_dir: bool
    data: bytes = b""
    mtime: int = 0
    mode: int = 0o644
    children: dict[str, _Node] = field(default_factory=dict)


class MemoryFS:
    """A small POSIX-like tree in memory."""

    def __init__(self) -> None:
        self.root = _Node(True, mode=0o755)

    # -------------------------------------------------------------- helpers

    def _lookup(self, path: str) -> _Node | None:
        node = self.root
        for part in [p for p in path.split("/") if p]:
            if not node.is_dir:
                raise FSError("ENOTDIR", path)
            nxt = node.children.get(part)
            if nxt is None:
                return None
            node = nxt
        return node

    def _parent(self, path: str) -> tuple[_Node, str]:
        parent_path, name = posixpath.split(path.rstrip("/") or "/")
        parent = self._lookup(parent_path or "/")
        if parent is None:
            raise FSError("ENOENT", path)
        if not parent.is_dir:
            raise FSError("ENOTDIR", path)
        return parent, name

    # -------------------------------------------------------------- queries

    def exists(self, path: str) -> bool:
        try:
            return self._lookup(normpath(path)) is not None
        except FSError:
            return False

    def is_dir(self, path: str) -> bool:
        try:
            node = self._lookup(normpath(path))
        except FSError:
            return False
        return node is not None and node.is_dir

    def read(self, path: str) -> bytes:
        node = self._lookup(normpath(path))
        if node is None:
            raise FSError("ENOENT", path)
        if node.is_dir:
            raise FSError("EISDIR", path)
        return node.data

    def listdir(self, path: str) -> list[str]:
        node = self._lookup(normpath(path))
        if node is None:
            raise FSError("ENOENT", path)
        if not node.is_dir:
            raise FSError("ENOTDIR", path)
        return sorted(node.children)

    def mtime(self, path: str) -> int:
        node = self._lookup(normpath(path))
        if node is None:
            raise FSError("ENOENT", path)
        return node.mtime

    # -------------------------------------------------------------- changes

    def write(self, path: str, data: bytes, *, now: int = 0, append: bool = False) -> None:
        path = normpath(path)
        parent, name = self._parent(path)
        node = parent.children.get(name)
        if node is not None and node.is_dir:
            raise FSError("EISDIR", path)
        if node is None:
            parent.children[name] = _Node(False, data, now)
        else:
            node.data = node.data + data if append else data
            node.mtime = now

    def touch(self, path: str, *, now: int = 0) -> None:
        path = normpath(path)
        parent, name = self._parent(path)
        node = parent.children.get(name)
        if node is None:
            parent.children[name] = _Node(False, b"", now)
        else:
            node.mtime = now

    def mkdir(self, path: str, *, parents: bool = False, now: int = 0) -> None:
        path = normpath(path)
        if parents:
            cur = "/"
            for part in [p for p in path.split("/") if p]:
                cur = posixpath.join(cur, part)
                node = self._lookup(cur)
                if node is None:
                    parent, name = self._parent(cur)
                    parent.children[name] = _Node(True, mtime=now, mode=0o755)
                elif not node.is_dir:
                    raise FSError("ENOTDIR", cur)
            return
        parent, name = self._parent(path)
        if name in parent.children:
            raise FSError("EEXIST", path)
        parent.children[name] = _Node(True, mtime=now, mode=0o755)

    def remove(self, path: str, *, recursive: bool = False) -> None:
        path = normpath(path)
        if path == "/":
            raise FSError("EACCES", path)
        parent, name = self._parent(path)
        node = parent.children.get(name)
        if node is None:
            raise FSError("ENOENT", path)
        if node.is_dir and node.children and not recursive:
            raise FSError("ENOTEMPTY", path)
        del parent.children[name]


class OverlayFS(MemoryFS):
    """The workstation's view: real files under ``lower`` are readable, writes stay in memory."""

    def __init__(self, lower: Path, mount: str = "/home/learner") -> None:
        super().__init__()
        self.lower = lower.resolve()
        self.mount = mount
        self.mkdir(mount, parents=True)
        self._deleted: set[str] = set()

    def _real(self, path: str) -> Path | None:
        path = normpath(path)
        if path in self._deleted:
            return None
        if path != self.mount and not path.startswith(self.mount + "/"):
            return None
        rel = path[len(self.mount):].lstrip("/")
        real = (self.lower / rel).resolve()
        # Never follow a path out of the lab's folder.
        if real != self.lower and self.lower not in real.parents:
            return None
        return real

    def exists(self, path: str) -> bool:
        if super().exists(path):
            return True
        real = self._real(path)
        return real is not None and real.exists()

    def is_dir(self, path: str) -> bool:
        if super().exists(path):
            return super().is_dir(path)
        real = self._real(path)
        return real is not None and real.is_dir()

    def read(self, path: str) -> bytes:
        if super().exists(path):
            return super().read(path)
        real = self._real(path)
        if real is None or not real.exists():
            raise FSError("ENOENT", path)
        if real.is_dir():
            raise FSError("EISDIR", path)
        return real.read_bytes()

    def listdir(self, path: str) -> list[str]:
        names: set[str] = set()
        found = False
        if super().exists(path):
            names.update(super().listdir(path))
            found = True
        real = self._real(path)
        if real is not None and real.is_dir():
            found = True
            names.update(p.name for p in real.iterdir())
        if not found:
            raise FSError("ENOENT", path)
        base = normpath(path)
        return sorted(n for n in names if posixpath.join(base, n) not in self._deleted)

    def write(self, path: str, data: bytes, *, now: int = 0, append: bool = False) -> None:
        path = normpath(path)
        if append and not super().exists(path):
            real = self._real(path)
            if real is not None and real.is_file():
                data = real.read_bytes() + data
        parent = posixpath.dirname(path)
        if not super().exists(parent) and self.is_dir(parent):
            super().mkdir(parent, parents=True)
        self._deleted.discard(path)
        super().write(path, data, now=now, append=append)

    def remove(self, path: str, *, recursive: bool = False) -> None:
        path = normpath(path)
        if not self.exists(path):
            raise FSError("ENOENT", path)
        if super().exists(path):
            super().remove(path, recursive=recursive)
        if self._real(path) is not None:
            self._deleted.add(path)
