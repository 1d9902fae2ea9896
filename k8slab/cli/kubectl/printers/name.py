"""``-o name`` and the ``deployment.apps/web created`` lines of mutating commands.

A port of ``k8s.io/cli-runtime/pkg/printers/name.go``: ``<kind lower-cased>[.<group>]/<name>``
followed by `` <operation>`` when the command names one (``created``, ``configured``,
``scaled``…). The group comes from the object's ``apiVersion`` (``apps/v1`` → ``apps``; the
core group ``v1`` has none), so ``pod/web-1``, ``deployment.apps/web``,
``horizontalpodautoscaler.autoscaling/web``. A missing name prints ``<unknown>``.

Interface: ``name_line(obj, operation="") -> str`` (one line with its newline) and
``qualified_name(obj) -> str`` (without the newline).
"""

from __future__ import annotations

from typing import Any

__all__ = ["name_line", "qualified_name"]


def qualified_name(obj: dict[str, Any]) -> str:
    api_version = str(obj.get("apiVersion") or "")
    group = api_version.rsplit("/", 1)[0] if "/" in api_version else ""
    kind = str(obj.get("kind") or "").lower()
    name = (obj.get("metadata") or {}).get("name") or "<unknown>"
    return f"{kind}.{group}/{name}" if group else f"{kind}/{name}"


def name_line(obj: dict[str, Any], operation: str = "") -> str:
    suffix = f" {operation}" if operation else ""
    return f"{qualified_name(obj)}{suffix}\n"
