"""``kubectl version`` (``k8s.io/kubectl/pkg/cmd/version/version.go``).

``Client Version: v1.37.1`` and ``Kustomize Version: v5.8.1`` come from the real binary (captured
in ``data/commands.json``); the server's version is the lab's ``ClusterConfig.kubernetes_version``.
``-o json`` (two-space indentation) and ``-o yaml`` (followed by an empty line) as upstream;
``--client`` skips the server. A client more than one minor version away from the server gets
kubectl's skew warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Generator
from typing import Any

from .cmd import Invocation, client_version_text, command
from .errors import KubectlError

__all__ = ["CLIENT", "run_version"]

CLIENT = {
    "major": "1",
    "minor": "37",
    "gitVersion": "v1.37.1",
    "gitCommit": "f78e722310e50bcaca9276be22276d9e91d91308",
    "gitTreeState": "clean",
    "buildDate": "2026-09-23T17:10:04Z",
    "goVersion": "go1.26.8",
    "compiler": "gc",
    "platform": "linux/amd64",
}
KUSTOMIZE = "v5.8.1"


def _server(inv: Invocation) -> dict[str, str]:
    version = str(inv.factory.cluster.config.kubernetes_version)
    m = re.match(r"v(\d+)\.(\d+)", version)
    major, minor = (m.group(1), m.group(2)) if m else ("1", "37")
    return {
        "major": major,
        "minor": minor,
        "emulationMajor": major,
        "emulationMinor": minor,
        "minCompatibilityMajor": major,
        "minCompatibilityMinor": str(max(0, int(minor) - 1)),
        "gitVersion": version,
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-08-26T00:00:00Z",
        "goVersion": "go1.26.6",
        "compiler": "gc",
        "platform": "linux/amd64",
    }


def _go_yaml_map(obj: dict[str, Any], indent: int = 0) -> str:
    from .printers.yaml import to_yaml

    return str(to_yaml(obj))


@command("version")
def run_version(inv: Invocation) -> Generator[Any, Any, int]:
    if inv.args:
        raise KubectlError(f"extra arguments: [{' '.join(inv.args)}]")
    output = str(inv.flags.get("output") or "")
    if output not in ("", "yaml", "json"):
        raise KubectlError("--output must be 'yaml' or 'json'")
    client_only = bool(inv.flags.get("client"))
    info: dict[str, Any] = {"clientVersion": dict(CLIENT), "kustomizeVersion": KUSTOMIZE}
    server = None
    if not client_only:
        inv.factory.request()
        server = _server(inv)
        info["serverVersion"] = server
    if output == "json":
        inv.out(json.dumps(info, indent=2, ensure_ascii=False) + "\n")
    elif output == "yaml":
        inv.out(_go_yaml_map(info) + "\n")
    else:
        text = client_version_text()
        if not text:
            text = f"Client Version: {CLIENT['gitVersion']}\nKustomize Version: {KUSTOMIZE}\n"
        inv.out(text)
        if server is not None:
            inv.out(f"Server Version: {server['gitVersion']}\n")
    if server is not None:
        skew = abs(int(CLIENT["minor"]) - int(server["minor"]))
        if server["major"] == CLIENT["major"] and skew > 1:
            inv.err(f"WARNING: version difference between client ({CLIENT['major']}."
                    f"{CLIENT['minor']}) and server ({server['major']}.{server['minor']}) "
                    "exceeds the supported minor version skew of +/-1\n")
    yield from inv.factory.settle()
    return 0
