"""Admission plugins of the lab's apiserver (``k8s.io/kubernetes/plugin/pkg/admission``).

Mutating plugins run after defaulting, validating plugins after validation, in the order a
kube-apiserver with its default ``--enable-admission-plugins`` runs them.
"""

from __future__ import annotations

from .store import APIServer

__all__ = ["install"]


def install(api: APIServer) -> None:
    """Register the admission chain on ``api``."""
