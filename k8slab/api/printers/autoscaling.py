"""Table printer of HorizontalPodAutoscaler (``printHorizontalPodAutoscaler``,
``formatHPAMetrics`` in printers.go, 1.30+ TARGETS format ``cpu: 45%/50%``).

The server prints its internal (v2) form, so an object still in the autoscaling/v1 shape
(``targetCPUUtilizationPercentage``) is read as the v2 CPU utilization metric it converts to.
"""

from __future__ import annotations

from typing import Any

from ._base import AGE, NAME, Column, printer
from ._util import age, quantity

__all__ = ["format_hpa_metrics", "hpa_v2_view"]

Obj = dict[str, Any]


def hpa_v2_view(hpa: Obj) -> tuple[list[Obj], list[Obj]]:
    spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
    if "metrics" in spec or "targetCPUUtilizationPercentage" not in spec:
        return list(spec.get("metrics") or []), list(status.get("currentMetrics") or [])
    metrics = [{"type": "Resource", "resource": {"name": "cpu", "target": {
        "type": "Utilization", "averageUtilization": spec["targetCPUUtilizationPercentage"]}}}]
    current: list[Obj] = []
    if status.get("currentCPUUtilizationPercentage") is not None:
        current = [{"type": "Resource", "resource": {"name": "cpu", "current": {
            "averageUtilization": status["currentCPUUtilizationPercentage"]}}}]
    return metrics, current


def _q(value: Any) -> str:
    """``(*resource.Quantity).String()``: a nil pointer prints ``<nil>``."""
    return "<nil>" if value is None else quantity(value)


def format_hpa_metrics(specs: list[Obj], statuses: list[Obj]) -> str:
    if not specs:
        return "<none>"
    out: list[str] = []
    limit, count = 2, 0
    for i, spec in enumerate(specs):
        st = statuses[i] if len(statuses) > i else {}
        mtype = spec.get("type")
        if mtype == "External":
            ext = spec.get("external") or {}
            target = ext.get("target") or {}
            cur = (st.get("external") or {}).get("current") or {} if st.get("external") else None
            if target.get("averageValue") is not None:
                current = "<unknown>"
                if cur is not None and cur.get("averageValue") is not None:
                    current = quantity(cur["averageValue"])
                out.append(f"{current}/{quantity(target['averageValue'])} (avg)")
            else:
                current = _q(cur.get("value")) if cur is not None else "<unknown>"
                out.append(f"{current}/{_q(target.get('value'))}")
        elif mtype == "Pods":
            target = (spec.get("pods") or {}).get("target") or {}
            current = "<unknown>"
            if st.get("pods"):
                current = _q((st["pods"].get("current") or {}).get("averageValue"))
            out.append(f"{current}/{_q(target.get('averageValue'))}")
        elif mtype == "Object":
            target = (spec.get("object") or {}).get("target") or {}
            cur = (st.get("object") or {}).get("current") or {} if st.get("object") else None
            if target.get("averageValue") is not None:
                current = "<unknown>"
                if cur is not None and cur.get("averageValue") is not None:
                    current = quantity(cur["averageValue"])
                out.append(f"{current}/{quantity(target['averageValue'])} (avg)")
            else:
                current = _q(cur.get("value")) if cur is not None else "<unknown>"
                out.append(f"{current}/{_q(target.get('value'))}")
        elif mtype in ("Resource", "ContainerResource"):
            key = "resource" if mtype == "Resource" else "containerResource"
            res = spec.get(key) or {}
            target = res.get("target") or {}
            cur = (st.get(key) or {}).get("current") or {} if st.get(key) else None
            if target.get("averageValue") is not None:
                current = "<unknown>"
                if cur is not None:
                    current = _q(cur.get("averageValue"))
                out.append(f"{res.get('name', '')}: {current}/"
                           f"{quantity(target['averageValue'])}")
            else:
                current = "<unknown>"
                if cur is not None and cur.get("averageUtilization") is not None:
                    current = f"{cur['averageUtilization']}%"
                tgt = "<auto>"
                if target.get("averageUtilization") is not None:
                    tgt = f"{target['averageUtilization']}%"
                out.append(f"{res.get('name', '')}: {current}/{tgt}")
        else:
            out.append("<unknown type>")
        count += 1
    more = count > limit
    if more:
        out = out[:limit]
    text = ", ".join(out)
    if more:
        return f"{text} + {count - limit} more..."
    return text


@printer("autoscaling", "HorizontalPodAutoscaler", [
    NAME, Column("Reference"), Column("Targets"), Column("MinPods"), Column("MaxPods"),
    Column("Replicas"), AGE,
])
def hpa_row(hpa: Obj, now: int) -> list[str]:
    meta, spec, status = hpa.get("metadata") or {}, hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    metrics, current = hpa_v2_view(hpa)
    min_pods = str(spec["minReplicas"]) if spec.get("minReplicas") is not None else "<unset>"
    return [meta.get("name", ""), f"{ref.get('kind', '')}/{ref.get('name', '')}",
            format_hpa_metrics(metrics, current), min_pods, str(spec.get("maxReplicas", 0)),
            str(status.get("currentReplicas", 0)), age(meta.get("creationTimestamp"), now)]
