"""The compiled build (k8slab/_native.py, tools/build_native.py): used only when it matches the
sources, and never changes an answer.

The standard this checks is the project's determinism rule — same seed and commands give
byte-identical output in any process — extended to the two ways a process can load the hot
modules: from the mypyc build or from their ``.py`` files.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from k8slab import _native

ROOT = Path(__file__).resolve().parents[2]


def _fake_checkout(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "checkout"
    (root / "k8slab" / "sim").mkdir(parents=True)
    (root / "k8slab" / "__init__.py").write_text("")
    (root / "k8slab" / "sim" / "clock.py").write_text("NOW = 0\n")
    out = root / "build" / "native"
    (out / "k8slab" / "sim").mkdir(parents=True)
    so = "k8slab/sim/clock" + _native.interpreter()["suffix"]
    (out / so).write_bytes(b"\x7fELF not really")
    manifest = out / "manifest.json"
    manifest.write_text(json.dumps({
        "format": _native.FORMAT, "interpreter": _native.interpreter(),
        "modules": {"k8slab.sim.clock": so}, "sources": _native.source_digests(root),
    }))
    return root, manifest


def test_a_matching_manifest_names_the_compiled_files(tmp_path: Path) -> None:
    root, manifest = _fake_checkout(tmp_path)
    files, why = _native.check(manifest, root)
    assert why == "up to date"
    assert files == {"k8slab.sim.clock":
                     manifest.parent / ("k8slab/sim/clock" + _native.interpreter()["suffix"])}


def test_any_edited_source_disables_the_build(tmp_path: Path) -> None:
    # Not only the compiled modules count: mypyc bakes in what it knew of the modules they
    # import, so a change to __init__.py (not compiled) disables the build as well.
    root, manifest = _fake_checkout(tmp_path)
    (root / "k8slab" / "__init__.py").write_text("# edited\n")
    assert _native.check(manifest, root) == (None, "sources changed since the build")


def test_a_new_source_disables_the_build(tmp_path: Path) -> None:
    root, manifest = _fake_checkout(tmp_path)
    (root / "k8slab" / "sim" / "rand.py").write_text("")
    assert _native.check(manifest, root)[0] is None


@pytest.mark.parametrize("change, why", [
    (lambda m: m.update(interpreter={"cache_tag": "cpython-99", "suffix": ".so"}),
     "built for another interpreter"),
    (lambda m: m.update(format=0), "manifest of another format"),
    (lambda m: m.update(modules={}), "manifest names no modules"),
])
def test_a_manifest_for_something_else_disables_the_build(tmp_path: Path, change, why) -> None:
    root, manifest = _fake_checkout(tmp_path)
    data = json.loads(manifest.read_text())
    change(data)
    manifest.write_text(json.dumps(data))
    assert _native.check(manifest, root) == (None, why)


def test_a_missing_or_broken_manifest_or_file_disables_the_build(tmp_path: Path) -> None:
    root, manifest = _fake_checkout(tmp_path)
    next((manifest.parent / "k8slab" / "sim").iterdir()).unlink()
    assert _native.check(manifest, root)[1].startswith("missing ")
    manifest.write_text("{not json")
    assert _native.check(manifest, root)[1].startswith("unreadable manifest")
    manifest.unlink()
    assert _native.check(manifest, root) == (None, "not built")


def test_a_shared_library_that_does_not_load_leaves_the_pure_modules(tmp_path: Path) -> None:
    junk = tmp_path / ("k8slab_test_junk__mypyc" + _native.interpreter()["suffix"])
    junk.write_bytes(b"\x7fELF truncated")
    before = list(sys.meta_path)
    assert _native._load({"k8slab_test_junk__mypyc": junk,
                          "k8slab.sim.clock": tmp_path / "clock.so"}) is None
    assert sys.meta_path == before
    assert "k8slab_test_junk__mypyc" not in sys.modules


def _run(code: str, pure: bool) -> str:
    env = {k: v for k, v in os.environ.items() if k != "K8SLAB_PURE"}
    if pure:
        env["K8SLAB_PURE"] = "1"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True,
                          text=True, check=True)
    return proc.stdout


_WHICH = ("import k8slab.cluster, k8slab._native as n; "
          "print(n.active(), len(n.compiled_modules()))")


def test_k8slab_pure_skips_the_build() -> None:
    assert _run(_WHICH, pure=True) == "False 0\n"


def _can_build() -> str | None:
    """Why this machine cannot compile the build, or None if it can."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypy (mypyc) is not installed"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    return None


def test_the_build_is_current_where_it_can_be_made() -> None:
    # Where `make` can compile, a missing or stale build means tools/build_native.py failed
    # (a type error mypyc refused, say) and the lab silently runs slower: fail loudly here.
    reason = _can_build()
    if reason:
        pytest.skip(reason)
    files, why = _native.check()
    assert files is not None, f"compiled build: {why} — run `make native` and read its error"
    assert _run(_WHICH, pure=False).startswith("True ")


_FINGERPRINT = """
import runpy, sys
sys.argv = ["fingerprint.py", "--nodes", "8", "--replicas", "120", "--seconds", "40"]
try:
    runpy.run_path("bench/fingerprint.py", run_name="__main__")
except SystemExit as done:
    assert not done.code
import k8slab._native as n
print(n.active(), len(n.compiled_modules()) > 40)
"""


def test_compiled_and_pure_modules_give_identical_clusters() -> None:
    files, why = _native.check()
    if files is None:
        pytest.skip(f"compiled build: {why}")
    compiled = _run(_FINGERPRINT, pure=False).splitlines()
    pure = _run(_FINGERPRINT, pure=True).splitlines()
    assert compiled[1] == "True True"
    assert pure[1] == "False False"
    # every trace record, every stored object, the loop's step count
    assert compiled[0] == pure[0]
    assert json.loads(compiled[0])["records"] > 1000
