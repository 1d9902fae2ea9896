"""Loads the compiled build of the simulation's hot modules when it matches the sources.

``make`` compiles the modules every write, watch and loop step runs through (the clock, the
store, the controllers, the scheduler, the kubelet…) with mypyc — the compiler the mypy
project builds mypy with — into ``build/native/`` (see ``tools/build_native.py``), next to a
manifest naming the interpreter it was built for and the SHA-256 of every ``.py`` file of the
package at build time. On ``import k8slab``, :func:`install` reads that manifest and, only when
the interpreter and *every* source still match, puts a finder first on ``sys.meta_path`` that
loads those modules from the compiled files. Any mismatch — a file edited since the build (the
compiled code knows the types and constants of the modules it imports, so any file counts),
another interpreter, a missing file — and nothing is installed: every module comes from its
``.py`` file, and behaves the same (``tests/unit/test_native.py`` compares the two builds'
fingerprints). ``K8SLAB_PURE=1`` in the environment skips the compiled build, for tools that
trace the interpreter (``bench/profile.py``) and for debugging.

Like the ``py_compile`` cache, the compiled build is an accelerator that must never change an
answer, so this module imports nothing of k8slab and fails closed: an unreadable manifest
means the pure-Python modules.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

__all__ = ["MANIFEST", "ROOT", "active", "check", "compiled_modules", "install", "interpreter",
           "source_digests"]

# The checkout: k8slab/ and build/ sit side by side (``make`` builds in place; an installed
# wheel has no build/ next to it and runs the pure-Python modules).
ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "build" / "native" / "manifest.json"
FORMAT = 1

_finder: _CompiledFinder | None = None


def source_digests(root: Path = ROOT) -> dict[str, str]:
    """SHA-256 of every ``.py`` file of the package, by path relative to ``root``, sorted."""
    out = {}
    for path in sorted((root / "k8slab").rglob("*.py")):
        out[path.relative_to(root).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def interpreter() -> dict[str, str]:
    """What a compiled build is tied to: the interpreter's cache tag and extension suffix."""
    return {"cache_tag": sys.implementation.cache_tag or "",
            "suffix": importlib.machinery.EXTENSION_SUFFIXES[0]}


def check(manifest: Path = MANIFEST, root: Path = ROOT) -> tuple[dict[str, Path] | None, str]:
    """The compiled files by module name if ``manifest`` matches, else None; and why not."""
    try:
        data = json.loads(manifest.read_text())
    except FileNotFoundError:
        return None, "not built"
    except (OSError, ValueError) as err:
        return None, f"unreadable manifest ({err})"
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return None, "manifest of another format"
    if data.get("interpreter") != interpreter():
        return None, "built for another interpreter"
    if data.get("sources") != source_digests(root):
        return None, "sources changed since the build"
    modules = data.get("modules")
    if not isinstance(modules, dict) or not modules:
        return None, "manifest names no modules"
    if not all(isinstance(name, str) and isinstance(rel, str) for name, rel in modules.items()):
        return None, "manifest names no modules"
    files = {name: manifest.parent / rel for name, rel in sorted(modules.items())}
    missing = [str(f) for f in files.values() if not f.is_file()]
    if missing:
        return None, f"missing {missing[0]}"
    return files, "up to date"


class _CompiledFinder:
    """A ``sys.meta_path`` finder for the compiled modules (and mypyc's shared library)."""

    def __init__(self, files: dict[str, Path]) -> None:
        self.files = files

    def find_spec(self, fullname: str, path: Sequence[str] | None = None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        file = self.files.get(fullname)
        if file is None:
            return None
        loader = importlib.machinery.ExtensionFileLoader(fullname, str(file))
        return importlib.util.spec_from_file_location(fullname, file, loader=loader)


def install() -> bool:
    """Load the compiled modules from now on if the build matches; True if it does."""
    global _finder
    if _finder is not None:
        return True
    if os.environ.get("K8SLAB_PURE"):
        return False
    files, _why = check()
    if files is None:
        return False
    finder = _load(files)
    if finder is None:
        return False
    _finder = finder
    return True


def _load(files: dict[str, Path]) -> _CompiledFinder | None:
    """The finder for ``files``, installed, if mypyc's shared library among them loads."""
    finder = _CompiledFinder(files)
    sys.meta_path.insert(0, finder)
    # mypyc's shared library holds the code of every compiled module; loading it runs none of
    # them. If it cannot load (a damaged file, a library the machine lacks), fall back now
    # rather than fail on the first compiled import.
    try:
        for name in files:
            if "." not in name:
                importlib.import_module(name)
    except ImportError:
        sys.meta_path.remove(finder)
        for name in files:
            sys.modules.pop(name, None)
        return None
    return finder


def compiled_modules() -> list[str]:
    """The k8slab modules imported so far from the compiled build, sorted."""
    return sorted(name for name, module in list(sys.modules.items())
                  if name.startswith("k8slab.")
                  and isinstance(getattr(getattr(module, "__spec__", None), "loader", None),
                                 importlib.machinery.ExtensionFileLoader))


def active() -> bool:
    """Whether this process loads the compiled build."""
    return _finder is not None


# Importing this module (first thing ``k8slab/__init__.py`` does) installs the finder, before any
# module that could come from the build is imported.
install()
