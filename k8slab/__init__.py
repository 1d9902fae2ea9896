"""k8slab: a deterministic in-memory Kubernetes and Istio lab for JupyterLab.

The public face is small:

- :class:`Lab` — a seeded cluster plus a workstation shell (``lab.kubectl``, ``lab.sh``,
  ``lab.sleep``);
- :class:`Result` — what a command printed and its exit code;
- :class:`ClusterConfig` / :class:`NodeConfig` — the shape of a cluster;
- ``%load_ext k8slab`` — the ``%kubectl``, ``%%sh`` and ``%%apply`` magics.

Everything else lives in private layers: ``sim`` (clock, random streams, processes) ←
``api`` (the apiserver) ← components (controllers, scheduler, kubelet, apps, network) ←
``cli`` and ``notebook``.
"""

from __future__ import annotations

from . import _native  # noqa: F401  (first: it decides where the hot modules load from)
from .config import ClusterConfig, NodeConfig
from .lab import Lab, Result

__all__ = ["ClusterConfig", "Lab", "NodeConfig", "Result", "load_ipython_extension"]


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext k8slab``: register the lab magics."""
    from .notebook.magics import load

    load(ipython)
