"""Loads ``tests/unit/network/netkit.py`` (the network tests' helpers) as ``netkit``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def load_netkit() -> ModuleType:
    name = "netkit"
    if name not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "unit" / "network" / "netkit.py"
        spec = importlib.util.spec_from_file_location(name, path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
