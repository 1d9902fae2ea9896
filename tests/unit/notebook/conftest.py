"""Fixtures for the notebook machinery's tests: a :class:`labfakes.FakeLab` with four nodes."""

from __future__ import annotations

import pytest
from labfakes import FakeLab, node


@pytest.fixture
def fake_lab() -> FakeLab:
    lab = FakeLab()
    for name, cp in (("t.cs.1", True), ("t.cs.2", False), ("t.cs.3", False),
                     ("t.cs.10", False)):
        lab.api.put(node(name, control_plane=cp), f"kubelet/{name}", "create")
    return lab
