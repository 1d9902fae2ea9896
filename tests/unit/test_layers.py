"""The dependency direction sim ← api ← components ← cli/notebook ← lab holds.

(docs/architecture.md, "Layers".)
"""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "k8slab"

# layer of each top-level part of the package; a module may import its own layer or lower.
LAYER = {
    "_native": 0,
    "sim": 0,
    "config": 0,
    "api": 1,
    "controllers": 2,
    "scheduler": 2,
    "kubelet": 2,
    "apps": 2,
    "network": 2,
    "mesh": 2,
    "cluster": 2,
    "bootstrap": 2,
    "addons": 2,
    "cli": 3,
    "notebook": 3,
    "lab": 4,
    "__init__": 4,
}


def _part(module: Path) -> str:
    rel = module.relative_to(PKG)
    return rel.parts[0].removesuffix(".py")


def _imports(module: Path) -> list[str]:
    tree = ast.parse(module.read_text())
    out = []
    package = ".".join(module.relative_to(PKG.parent).with_suffix("").parts[:-1])
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("k8slab"):
                out.append(target)
        elif isinstance(node, ast.Import):
            out.extend(a.name for a in node.names if a.name.startswith("k8slab"))
    return out


def test_every_part_has_a_layer() -> None:
    parts = {_part(p) for p in PKG.rglob("*.py")}
    assert parts <= set(LAYER), parts - set(LAYER)


def test_imports_only_go_down() -> None:
    bad = []
    for module in sorted(PKG.rglob("*.py")):
        mine = LAYER[_part(module)]
        for target in _imports(module):
            parts = target.split(".")
            if len(parts) < 2:
                continue
            theirs = LAYER.get(parts[1])
            if theirs is not None and theirs > mine:
                bad.append(f"{module.relative_to(PKG)} imports {target}")
    assert not bad, "\n".join(bad)
