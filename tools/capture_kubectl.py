"""Capture kubectl 1.37's command tree, help texts and flag tables from the real binary.

Run from the repository root::

    .venv/bin/python tools/capture_kubectl.py [path/to/kubectl]

It walks ``kubectl --help`` and every ``Available Commands:`` section below it, and stores for
each command path its ``--help`` text, its aliases, its subcommands (in the order cobra lists
them), what it prints when run with no arguments if it is a pure command group, and its flags
parsed from the help (name, shorthand, printed default), plus the deprecated (hidden) flags it
accepts, found by probing. The result is ``k8slab/cli/kubectl/data/commands.json``; the wording
is upstream's, which is why it is captured rather than retyped.

The binary runs with ``KUBECONFIG=/dev/null`` and ``HOME=/home/learner`` so that defaults that
mention the home directory (``--cache-dir``) show the lab's home.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "k8slab" / "cli" / "kubectl" / "data" / "commands.json"

# Flags that are deprecated (so hidden from --help) but still accepted by some commands.
HIDDEN_CANDIDATES = ["record"]

_FLAG_LINE = re.compile(r"^    (?:-(?P<short>\w), )?--(?P<name>[\w-]+)=(?P<default>.*):$")


def run(kubectl: str, args: list[str], home: str) -> tuple[str, str, int]:
    env = {"KUBECONFIG": "/dev/null", "HOME": home, "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([kubectl, *args], capture_output=True, text=True, env=env,
                          timeout=60, check=False)
    return proc.stdout, proc.stderr, proc.returncode


def parse_flags(help_text: str) -> list[dict[str, Any]]:
    flags: list[dict[str, Any]] = []
    in_options = False
    for line in help_text.splitlines():
        if line in ("Options:", "The following options can be passed to any command:"):
            in_options = True
            continue
        if in_options and line.startswith("Usage:"):
            break
        if not in_options:
            continue
        m = _FLAG_LINE.match(line)
        if m:
            flags.append({"name": m.group("name"), "short": m.group("short") or "",
                          "default": m.group("default")})
    return flags


def parse_subcommands(help_text: str) -> list[str]:
    names: list[str] = []
    lines = help_text.splitlines()
    grab = False
    for line in lines:
        if line.endswith(":") and not line.startswith(" "):
            # "Available Commands:" and kubectl's grouped sections at the root.
            grab = line not in ("Usage:", "Examples:", "Options:", "Aliases:")
            continue
        if grab:
            m = re.match(r"^  ([\w-]+)\s{2,}\S", line)
            if m:
                names.append(m.group(1))
            elif not line.strip():
                continue
    return names


def parse_aliases(help_text: str) -> list[str]:
    lines = help_text.splitlines()
    for i, line in enumerate(lines):
        if line == "Aliases:" and i + 1 < len(lines):
            return [a.strip() for a in lines[i + 1].split(",") if a.strip()]
    return []


def capture(kubectl: str) -> dict[str, Any]:
    home = tempfile.mkdtemp(prefix="kubectl-home-")
    commands: dict[str, Any] = {}
    queue: list[list[str]] = [[]]
    while queue:
        path = queue.pop(0)
        out, _, _ = run(kubectl, [*path, "--help"], home)
        help_text = out.replace(home, "/home/learner")
        subs = parse_subcommands(help_text)
        entry: dict[str, Any] = {
            "help": help_text,
            "aliases": parse_aliases(help_text),
            "subcommands": subs,
            "flags": parse_flags(help_text),
            "hidden_flags": [],
        }
        for flag in HIDDEN_CANDIDATES:
            if any(f["name"] == flag for f in entry["flags"]):
                continue
            _, perr, _ = run(kubectl, [*path, f"--{flag}", "--help"], home)
            if f"Flag --{flag} has been deprecated" in perr:
                message = perr.split(f"Flag --{flag} has been deprecated, ", 1)[1].split("\n")[0]
                entry["hidden_flags"].append({"name": flag, "deprecated": message})
        if subs and path:
            gout, gerr, gcode = run(kubectl, path, home)
            if "localhost:8080" not in gout + gerr:
                entry["bare"] = {"stdout": gout, "stderr": gerr, "code": gcode}
        commands[" ".join(["kubectl", *path])] = entry
        if path[:1] in (["plugin"], ["completion"]):
            continue
        for sub in subs:
            queue.append([*path, sub])
    options, _, _ = run(kubectl, ["options"], home)
    version, _, _ = run(kubectl, ["version", "--client"], home)
    _, unknown_help, _ = run(kubectl, ["help", "zzz"], home)
    return {
        "version": version,
        "options": options.replace(home, "/home/learner"),
        # cobra's root usage, as ``kubectl help <unknown>`` prints it after its first line
        "root_usage": unknown_help.split("\n", 1)[1],
        "global_flags": parse_flags(options.replace(home, "/home/learner")),
        "commands": commands,
    }


def main() -> None:
    kubectl = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / ".venv" / "bin" / "kubectl")
    data = capture(kubectl)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    print(f"wrote {len(data['commands'])} commands to {OUT.relative_to(ROOT)}",
          file=sys.stderr)


if __name__ == "__main__":
    os.umask(0o022)
    main()
