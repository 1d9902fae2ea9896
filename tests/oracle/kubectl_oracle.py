"""Running the real kubectl 1.37.1 binary next to the lab's kubectl.

The binary has no cluster, but a lot of what kubectl prints never needs one: flag and usage
errors, help, ``create … --dry-run=client -o yaml``, YAML/JSON decoding errors, and — given a
discovery cache — everything the resource builder does with files (mapping kinds, ``resource
mapping not found``, ``-o name``) and ``delete --dry-run=client``. :func:`real` runs the binary
with ``KUBECONFIG=/dev/null``, a fake server address and a discovery cache written from the
lab's kinds table (so both see the same API resources), in a temporary working directory with
the given files. :func:`ours` runs the same command line through the lab's kubectl.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from k8slab.api.kinds import KINDS
from k8slab.cli.kubectl import kubectl
from k8slab.sim.process import Buffer, ExecContext, run_blocking

ROOT = Path(__file__).resolve().parents[2]
BINARY = ROOT / ".venv" / "bin" / "kubectl"
SERVER = "https://lab:6443"
CONNECT = [f"--server={SERVER}", "--token=oracle"]


def available() -> bool:
    return BINARY.exists() and os.access(BINARY, os.X_OK)


def write_discovery_cache(cache: Path) -> None:
    """``~/.kube/cache/discovery/<host>/…`` as kubectl's memcache writes it."""
    base = cache / "discovery" / "lab_6443"
    groups: dict[str, list[str]] = {}
    for k in KINDS:
        groups.setdefault(k.group, [])
        if k.version not in groups[k.group]:
            groups[k.group].append(k.version)
    group_list = []
    for group, versions in groups.items():
        gvs = [{"groupVersion": f"{group}/{v}" if group else v, "version": v}
               for v in versions]
        group_list.append({"name": group, "versions": gvs, "preferredVersion": gvs[0]})
    base.mkdir(parents=True, exist_ok=True)
    (base / "servergroups.json").write_text(json.dumps(
        {"kind": "APIGroupList", "apiVersion": "v1", "groups": group_list}))
    for group, versions in groups.items():
        for v in versions:
            resources = []
            for k in KINDS:
                if k.group != group or k.version != v:
                    continue
                entry: dict[str, Any] = {"name": k.plural, "singularName": k.singular,
                                         "namespaced": k.namespaced, "kind": k.kind,
                                         "verbs": list(k.verbs)}
                if k.short_names:
                    entry["shortNames"] = list(k.short_names)
                if k.categories:
                    entry["categories"] = list(k.categories)
                resources.append(entry)
            gv = f"{group}/{v}" if group else v
            path = base / gv if group else base / v
            path.mkdir(parents=True, exist_ok=True)
            (path / "serverresources.json").write_text(json.dumps(
                {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                 "resources": resources}))


def real(workdir: Path, args: list[str], stdin: str = "", *,
         connect: bool = True) -> tuple[str, str, int]:
    """Run ``kubectl <args>`` with the real binary in ``workdir``.

    ``connect=False`` runs it with no server and ``HOME=/home/learner`` (root-level commands,
    where a ``--server`` flag in front would change cobra's plugin handling).
    """
    home = workdir / ".oracle-home"
    cache = home / ".kube" / "cache"
    if not cache.exists():
        write_discovery_cache(cache)
    env = {"KUBECONFIG": "/dev/null", "HOME": str(home) if connect else "/home/learner",
           "PATH": "/usr/bin:/bin"}
    extra = [*CONNECT, f"--cache-dir={cache}"] if connect else []
    proc = subprocess.run([str(BINARY), *extra, *args], cwd=workdir, input=stdin,
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    return proc.stdout, _clean(proc.stderr), proc.returncode


def _clean(stderr: str) -> str:
    # klog warnings carry a wall-clock stamp and a pid: compare their text only.
    lines = []
    for line in stderr.splitlines(keepends=True):
        if line[:1] in "WEI" and "] " in line and line[1:5].isdigit():
            line = line[0] + " " + line.split("] ", 1)[1]
        lines.append(line)
    return "".join(lines)


def ours(lab: Any, args: list[str], stdin: str = "") -> tuple[str, str, int]:
    """Run ``kubectl <args>`` through the lab's kubectl (no shell in between)."""
    out, err = Buffer(), Buffer()
    ws = lab.workstation
    ctx = ExecContext(stdin, out, err, {"HOME": "/home/learner"}, "/home/learner", ws.fs,
                      lab.cluster.loop, host=ws)
    code = run_blocking(lab.cluster.loop, kubectl(ctx, ["kubectl", *args]))
    return out.getvalue(), _clean(err.getvalue()), code


def copy_files(workdir: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = workdir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def reset(workdir: Path) -> None:
    for child in workdir.iterdir():
        if child.name == ".oracle-home":
            continue
        if child.is_dir():
            shutil.rmtree(child)
        else:
            child.unlink()
