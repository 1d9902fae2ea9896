"""Server-side printing: the Table the apiserver returns for ``kubectl get``.

Since Kubernetes 1.11 the columns of ``kubectl get`` are computed by the **apiserver**
(``k8s.io/kubernetes/pkg/printers/internalversion/printers.go``) and kubectl only lays them out,
so this lives with the API and every client of the lab's apiserver sees the same cells.

Interface (used by kubectl's ``get`` and table printer)::

    from k8slab.api.printers import table, Table, Column

    t = table(kind, objs, now)      # Kind from k8slab.api.kinds, objects as stored, virtual ns
    t.columns  -> list[Column]      # Column(name, priority, type, format); names as the server
                                    # sends them ("Up-to-date", "Nominated Node", "Port(s)");
                                    # priority 1 = only with -o wide
    t.rows     -> list[list[str]]   # one row per object, cells already formatted

Rows always hold the cells of every column, ``-o wide`` ones included, because the apiserver
converts with ``Wide: true`` and leaves it to kubectl to hide priority-1 columns. Cells follow
the Go printers: AGE through ``HumanDuration``, RESTARTS ``2 (12s ago)``, pod STATUS with init
containers, ``CrashLoopBackOff``, ``Completed``, ``Terminating``; node STATUS
``Ready,SchedulingDisabled``; ``<none>``/``<pending>`` EXTERNAL-IP; PORT(S) ``80:30044/TCP``;
endpoints ``+ N more...``; HPA TARGETS ``cpu: 45%/30%``; and so on per kind (see the modules
:mod:`.core`, :mod:`.apps`, :mod:`.batch`, :mod:`.autoscaling`, :mod:`.networking`,
:mod:`.cluster`).

Kinds without a printer get the apiserver's default table (``pkg/registry/rest/table.go``):
``NAME`` and ``CREATED AT`` with the RFC 3339 creation time — what a real cluster shows for
Roles, ClusterRoles, LimitRanges and CustomResourceDefinitions. Objects are never mutated.
"""

from __future__ import annotations

from typing import Any

from ...sim.timefmt import rfc3339
from ..kinds import Kind
from . import apps, autoscaling, batch, cluster, core, networking  # noqa: F401  (registration)
from ._base import Column, Table, registry
from ._util import ts

__all__ = ["Column", "Table", "columns_for", "table"]

Obj = dict[str, Any]

_DEFAULT_COLUMNS = [Column("Name", format="name"), Column("Created At", type="date")]


def _group(kind: Kind) -> str:
    # events.k8s.io Events are stored and printed as core Events.
    if kind.group == "events.k8s.io" and kind.kind == "Event":
        return ""
    return kind.group


def columns_for(kind: Kind) -> list[Column]:
    p = registry().get((_group(kind), kind.kind))
    return list(p.columns) if p is not None else list(_DEFAULT_COLUMNS)


def _default_row(obj: Obj, now: int) -> list[str]:
    meta = obj.get("metadata") or {}
    created = ts(meta.get("creationTimestamp"))
    return [str(meta.get("name", "")), rfc3339(created) if created is not None
            else "0001-01-01T00:00:00Z"]


def table(kind: Kind, objs: list[Obj], now: int) -> Table:
    """The Table the apiserver returns for ``objs`` of ``kind`` at virtual time ``now``."""
    p = registry().get((_group(kind), kind.kind))
    if p is None:
        return Table(list(_DEFAULT_COLUMNS), [_default_row(o, now) for o in objs])
    row = p.row
    return Table(list(p.columns), [row(o, now) for o in objs])
