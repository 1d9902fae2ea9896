"""Shared fixtures: a booted cluster and a lab, both seeded."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8slab import Lab
from k8slab.cluster import Cluster

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cluster() -> Cluster:
    """A freshly booted default cluster (seed 0)."""
    c = Cluster(seed=0)
    c.boot()
    return c


@pytest.fixture
def lab() -> Lab:
    """A lab whose workstation folder is the repository (so manifests/ is reachable)."""
    return Lab(seed=0, workdir=ROOT)
