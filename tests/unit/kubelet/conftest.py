"""Fixtures for kubelet tests: a booted cluster whose nodes have pod CIDRs."""

from __future__ import annotations

import pytest
from kubelet_helpers import ensure_pod_cidrs

from k8slab.cluster import Cluster


@pytest.fixture
def kcluster() -> Cluster:
    c = Cluster(seed=0)
    c.boot()
    ensure_pod_cidrs(c)
    return c
