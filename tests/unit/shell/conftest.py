"""Fixtures for the shell tests: machines of either flavour (see shellkit.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from shellkit import Machine, Ran


@pytest.fixture
def bash() -> Machine:
    return Machine("bash")


@pytest.fixture
def busybox() -> Machine:
    return Machine("busybox")


@pytest.fixture
def sh() -> Callable[..., Ran]:
    """``sh(script)``: run a script in a fresh bash-flavour machine."""

    def run(script: str, **kwargs: Any) -> Ran:
        return Machine(kwargs.pop("flavour", "bash")).run(script, **kwargs)

    return run
