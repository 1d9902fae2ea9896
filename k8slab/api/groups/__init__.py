"""API groups: defaulting, validation and storage strategy for each kind the lab serves.

One module per API group, named as in ``k8s.io/kubernetes/pkg/apis/<group>``. Importing a
module registers its strategies; :func:`install` also adds each group's trace digests (the few
fields the event log keeps about every write).
"""

from __future__ import annotations

from ..store import APIServer
from . import apps, core

__all__ = ["install"]


def install(api: APIServer) -> None:
    for group in (core, apps):
        group.install(api)
