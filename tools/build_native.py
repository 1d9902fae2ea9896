"""Compile the simulation's hot modules with mypyc into build/native/ (``make`` runs this).

The modules a rollout runs through on every write, watch delivery and loop step are compiled
ahead of time by mypyc (part of mypy, MIT): it turns annotated Python into C extension modules
that keep the Python semantics and run faster, as mypy itself and black ship. The result goes to
``build/native/`` with a manifest (the interpreter, every source's SHA-256, the compiled files);
``k8slab/_native.py`` loads the build only while that manifest matches, so an edited source or
another interpreter silently means the pure-Python modules — same answers, slower.

Usage: ``python tools/build_native.py [--require] [--force]``. Without ``--require`` a build that
cannot be made (no mypy, no C compiler, a compiler error) prints one line and exits 0: the lab
works without it. ``--require`` exits 1 instead.

Which modules: everything under sim/, api/, kubelet/, scheduler/ and controllers/ but the few
listed in ``LEFT_OUT`` (each with why) and the packages' ``__init__.py`` files, which stay
Python so that packages are found as usual.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Not the package (it would install the finder it is about to rebuild): the module alone.
import importlib.machinery  # noqa: E402
import importlib.util  # noqa: E402

_spec = importlib.util.spec_from_file_location("_k8slab_native", ROOT / "k8slab" / "_native.py")
assert _spec and _spec.loader
_native = importlib.util.module_from_spec(_spec)
os.environ["K8SLAB_PURE"] = "1"  # its import-time install() must not load the old build
_spec.loader.exec_module(_native)

PACKAGES = ("sim", "api", "kubelet", "scheduler", "controllers")
LEFT_OUT = {
    # A dataclass deriving from Exception: mypyc cannot make it a native class.
    "k8slab/api/errors.py",
    # Admission plugins carry their scope as attributes of the plugin methods.
    "k8slab/api/admission.py",
    # FSError derives from OSError, a built-in type mypyc cannot subclass natively.
    "k8slab/sim/fs.py",
    # PodEntry.of builds an entry without __init__ (cls.__new__), which mypyc cannot compile.
    "k8slab/scheduler/framework.py",
    # The Deployment controller is one class over four mixins; mypyc compiles multiple
    # inheritance only from traits. It runs once per Deployment change, not per pod.
    "k8slab/controllers/deployment/",
}
BUILD = ROOT / "build"
OUT = BUILD / "native"
STAGING = BUILD / "native.new"  # the next build, renamed to OUT once complete
WORK = BUILD / "native-work"


def sources() -> list[str]:
    """The files to compile, relative to the checkout, sorted."""
    out = []
    for package in PACKAGES:
        for path in sorted((ROOT / "k8slab" / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if path.name != "__init__.py" and not any(rel.startswith(p) for p in LEFT_OUT):
                out.append(rel)
    return out


def _parallel_build_ext(base: type) -> type:
    """setuptools' build_ext compiling one extension's C files on every core at once.

    mypyc writes one C file per module into a single extension; setuptools compiles them one by
    one. gcc runs as a subprocess, so threads are enough.
    """

    class ParallelBuildExt(base):  # type: ignore[misc, valid-type]
        def build_extension(self, ext):  # type: ignore[no-untyped-def]
            compiler = self.compiler
            serial = compiler.compile

            def compile_all(srcs, *args, **kwargs):  # type: ignore[no-untyped-def]
                with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
                    parts = pool.map(lambda s: serial([s], *args, **kwargs), srcs)
                    return [obj for part in parts for obj in part]

            compiler.compile = compile_all
            try:
                return super().build_extension(ext)
            finally:
                compiler.compile = serial

    return ParallelBuildExt


def build(files: list[str]) -> dict[str, str]:
    """Compile ``files`` into a fresh directory and return the compiled files by module name."""
    from mypyc.build import mypycify
    from setuptools import setup
    from setuptools.command.build_ext import build_ext

    shutil.rmtree(STAGING, ignore_errors=True)
    WORK.mkdir(parents=True, exist_ok=True)
    cwd = os.getcwd()
    os.chdir(ROOT)  # mypyc names modules after paths relative to the working directory
    try:
        extensions = mypycify(
            ["--ignore-missing-imports", "--follow-imports=silent",
             "--cache-dir", str(WORK / "mypy-cache"), *files],
            multi_file=True, opt_level="3", debug_level="0", target_dir=str(WORK / "c"),
        )
        with warnings.catch_warnings():
            # setuptools reads pyproject.toml in passing and warns its tables are "beta"
            warnings.simplefilter("ignore")
            setup(name="k8slab-native", ext_modules=extensions,
                  cmdclass={"build_ext": _parallel_build_ext(build_ext)},
                  script_args=["--quiet", "build_ext", "--build-lib", str(STAGING),
                               "--build-temp", str(WORK / "obj")])
    finally:
        os.chdir(cwd)
    suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
    modules = {}
    for path in sorted(STAGING.rglob(f"*{suffix}")):
        rel = path.relative_to(STAGING).as_posix()
        modules[rel.removesuffix(suffix).replace("/", ".")] = rel
    expected = {f.removesuffix(".py").replace("/", ".") for f in files}
    if not expected <= set(modules):
        raise RuntimeError(f"mypyc did not produce {sorted(expected - set(modules))[:3]}")
    return modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--require", action="store_true",
                        help="exit 1 when the build cannot be made (default: say so, exit 0)")
    parser.add_argument("--force", action="store_true", help="rebuild even when up to date")
    args = parser.parse_args(argv)

    chosen = sources()
    files, why = _native.check()
    if files is not None and _recorded_choice() != chosen:
        files, why = None, "another choice of modules"
    if files is not None and not args.force:
        print(f"k8slab: compiled build up to date ({len(chosen)} modules in build/native)")
        return 0
    try:
        import mypyc  # noqa: F401
    except ImportError:
        return _skip("mypy is not installed", args.require)

    digests = _native.source_digests()
    started = time.monotonic()
    print(f"k8slab: compiling {len(chosen)} modules with mypyc ({why}); a few minutes once…",
          flush=True)
    try:
        modules = build(chosen)
    except (Exception, SystemExit) as err:  # setuptools reports compiler failures by exiting
        return _skip(f"the build failed: {err}", args.require)
    if _native.source_digests() != digests:
        return _skip("sources changed during the build; run it again", args.require)
    manifest = {
        "format": _native.FORMAT,
        "interpreter": _native.interpreter(),
        "mypy": _mypy_version(),
        "compiled": chosen,
        "modules": modules,
        "sources": digests,
    }
    (STAGING / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    shutil.rmtree(OUT, ignore_errors=True)
    STAGING.rename(OUT)
    print(f"k8slab: compiled build ready in {time.monotonic() - started:.0f} s "
          f"({len(chosen)} modules in build/native)")
    return 0


def _recorded_choice() -> list[str] | None:
    try:
        return json.loads(_native.MANIFEST.read_text()).get("compiled")
    except (OSError, ValueError, AttributeError):
        return None


def _mypy_version() -> str:
    from mypy.version import __version__

    return __version__


def _skip(reason: str, require: bool) -> int:
    print(f"k8slab: no compiled build ({reason}); the lab runs its pure-Python modules",
          file=sys.stderr)
    shutil.rmtree(STAGING, ignore_errors=True)
    return 1 if require else 0


if __name__ == "__main__":
    sys.exit(main())
