"""Cluster add-ons created at boot: what kubeadm installs besides the control plane.

Each function creates its objects through the apiserver, so they are indistinguishable from
objects a learner creates (``kubectl get pods -n kube-system`` lists them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .cluster import Cluster

__all__ = ["install_addons"]


def install_addons(cluster: Cluster) -> None:
    """Create the add-ons in the order kubeadm does."""
