"""Table printers of apps/v1 (``printDeployment``, ``printReplicaSet``, ``printDaemonSet``,
``printStatefulSet``, ``printControllerRevision`` in ``pkg/printers/internalversion/printers.go``).
"""

from __future__ import annotations

from typing import Any

from ._base import AGE, NAME, Column, printer
from ._util import age, format_label_selector, format_labels, selector_string
from .core import container_cells

__all__: list[str] = []

Obj = dict[str, Any]

_WIDE = [Column("Containers", 1), Column("Images", 1), Column("Selector", 1)]


def _template_containers(obj: Obj) -> list[Obj]:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec") or {}).get(
        "containers") or []


@printer("apps", "Deployment", [
    NAME, Column("Ready"), Column("Up-to-date"), Column("Available"), AGE, *_WIDE,
])
def deployment_row(obj: Obj, now: int) -> list[str]:
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    names, images = container_cells(_template_containers(obj))
    return [
        meta.get("name", ""), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
        str(status.get("updatedReplicas", 0)), str(status.get("availableReplicas", 0)),
        age(meta.get("creationTimestamp"), now), names, images,
        selector_string(spec.get("selector")),
    ]


@printer("apps", "ReplicaSet", [
    NAME, Column("Desired", type="integer"), Column("Current", type="integer"),
    Column("Ready", type="integer"), AGE, *_WIDE,
])
def replica_set_row(obj: Obj, now: int) -> list[str]:
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    names, images = container_cells(_template_containers(obj))
    return [
        meta.get("name", ""), str(spec.get("replicas", 0)), str(status.get("replicas", 0)),
        str(status.get("readyReplicas", 0)), age(meta.get("creationTimestamp"), now),
        names, images, format_label_selector(spec.get("selector")),
    ]


@printer("apps", "DaemonSet", [
    NAME, Column("Desired", type="integer"), Column("Current", type="integer"),
    Column("Ready", type="integer"), Column("Up-to-date", type="integer"),
    Column("Available", type="integer"), Column("Node Selector"), AGE, *_WIDE,
])
def daemon_set_row(obj: Obj, now: int) -> list[str]:
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    names, images = container_cells(_template_containers(obj))
    node_selector = (((spec.get("template") or {}).get("spec") or {}).get("nodeSelector"))
    return [
        meta.get("name", ""), str(status.get("desiredNumberScheduled", 0)),
        str(status.get("currentNumberScheduled", 0)), str(status.get("numberReady", 0)),
        str(status.get("updatedNumberScheduled", 0)), str(status.get("numberAvailable", 0)),
        format_labels(node_selector), age(meta.get("creationTimestamp"), now),
        names, images, format_label_selector(spec.get("selector")),
    ]


@printer("apps", "StatefulSet", [
    NAME, Column("Ready"), AGE, Column("Containers", 1), Column("Images", 1),
])
def stateful_set_row(obj: Obj, now: int) -> list[str]:
    meta, spec, status = obj.get("metadata") or {}, obj.get("spec") or {}, obj.get("status") or {}
    names, images = container_cells(_template_containers(obj))
    return [meta.get("name", ""), f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 0)}",
            age(meta.get("creationTimestamp"), now), names, images]


@printer("apps", "ControllerRevision", [NAME, Column("Controller"), Column("Revision"), AGE])
def controller_revision_row(obj: Obj, now: int) -> list[str]:
    meta = obj.get("metadata") or {}
    controller = "<none>"
    for ref in meta.get("ownerReferences") or []:
        if ref.get("controller"):
            api_version = str(ref.get("apiVersion", ""))
            group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
            kind = str(ref.get("kind", ""))
            group_kind = f"{kind}.{group}" if group else kind
            controller = f"{group_kind.lower()}/{ref.get('name', '')}" if kind else \
                str(ref.get("name", ""))
            break
    return [meta.get("name", ""), controller, str(obj.get("revision", 0)),
            age(meta.get("creationTimestamp"), now)]
