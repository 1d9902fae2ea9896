"""Regenerate ``k8slab/api/schema/k8s-1.37.json`` from kubernetes-validate's 1.37 schemas.

kubernetes-validate (Apache-2.0, https://github.com/willthames/kubernetes-validate) ships the
OpenAPI definitions of each Kubernetes release converted to JSON Schema. We keep only the
definitions reachable from the kinds a 1.37 cluster serves by default (stable ``v1`` versions,
plus ``autoscaling/v1`` next to ``autoscaling/v2``), with their descriptions (``kubectl explain``
prints them) and the Go-side facts the decoder needs (``format``, ``x-kubernetes-*``).

Usage: ``pip install kubernetes-validate==1.37.0 && python tools/vendor_schema.py``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import kubernetes_validate  # type: ignore[import-not-found]

SOURCE = (
    Path(kubernetes_validate.__file__).parent
    / "kubernetes-json-schema"
    / "v1.37.0-local-strict"
    / "_definitions.json"
)
TARGET = Path(__file__).resolve().parents[1] / "k8slab" / "api" / "schema" / "k8s-1.37.json"

# (group, version) pairs served by default on a 1.37 apiserver that the lab models.
SERVED = {
    ("", "v1"),
    ("apps", "v1"),
    ("autoscaling", "v1"),
    ("autoscaling", "v2"),
    ("batch", "v1"),
    ("coordination.k8s.io", "v1"),
    ("discovery.k8s.io", "v1"),
    ("events.k8s.io", "v1"),
    ("networking.k8s.io", "v1"),
    ("node.k8s.io", "v1"),
    ("policy", "v1"),
    ("rbac.authorization.k8s.io", "v1"),
    ("scheduling.k8s.io", "v1"),
    ("storage.k8s.io", "v1"),
    ("apiextensions.k8s.io", "v1"),
    ("admissionregistration.k8s.io", "v1"),
    ("certificates.k8s.io", "v1"),
}


def main() -> int:
    defs = json.loads(SOURCE.read_text())["$defs"]
    roots = []
    for name, d in defs.items():
        for gvk in d.get("x-kubernetes-group-version-kind", []):
            if (gvk["group"], gvk["version"]) in SERVED and name.split(".")[-1] == gvk["kind"]:
                roots.append(name)
                break
    keep: dict[str, dict] = {}
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in keep:
            continue
        d = defs[name]
        keep[name] = d
        text = json.dumps(d)
        for part in text.split('"$ref": "')[1:]:
            ref = part.split('"', 1)[0].rsplit("/", 1)[-1]
            if ref not in keep:
                stack.append(ref)
    text = json.dumps(keep, sort_keys=True, separators=(",", ":"))
    text = text.replace("/api/_definitions.json#/$defs/", "#/$defs/")
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text + "\n")
    print(f"{len(keep)} definitions, {len(text)} bytes -> {TARGET}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
