"""``kubectl top pod|node`` (kubectl ``pkg/cmd/top``, ``pkg/metricsutil/metrics_printer.go``).

The numbers come from the Metrics API (``metrics.k8s.io/v1beta1``), which metrics-server
serves through the apiserver's aggregation layer, not from etcd. In the lab, whatever plays
metrics-server registers a provider in ``cluster.extensions["metrics.k8s.io"]`` with
``pod_metrics(namespace: str | None) -> list[PodMetrics]`` and
``node_metrics() -> list[NodeMetrics]``, both returning the API's own objects
(``{"metadata": {...}, "containers": [{"name": …, "usage": {"cpu": "3m", "memory": "12Mi"}}]}``
and ``{"metadata": {...}, "usage": {...}}``). Without one, kubectl says
``error: Metrics API not available`` (kubernetes.md §9.2).

Printing (kubernetes.md §9.2): pods ``NAME CPU(cores) MEMORY(bytes)`` with CPU in millicores
(``250m``) and memory in whole MiB (``12Mi``), ``-A`` adds ``NAMESPACE``, ``--containers``
adds ``POD NAME``; nodes add ``CPU(%)``/``MEMORY(%)`` of allocatable (truncated), and
``<unknown>`` for nodes without metrics. Pods without metrics yet:
``error: metrics not available yet``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api import quantity
from ...api.kinds import by_gvk
from .cmd import Invocation, command
from .errors import KubectlError
from .printers.tabwriter import table_writer
from .resource import selector_from

__all__ = ["run_top_node", "run_top_pod"]

Obj = dict[str, Any]
NODE = by_gvk("v1", "Node")
POD = by_gvk("v1", "Pod")


def _provider(inv: Invocation) -> Any:
    provider = inv.factory.cluster.extensions.get("metrics.k8s.io")
    if provider is None:
        raise KubectlError("Metrics API not available")
    return provider


def _milli(value: Any) -> int:
    return quantity.milli(str(value)) if value is not None else 0


def _bytes(value: Any) -> int:
    return quantity.value(str(value)) if value is not None else 0


def _cpu(m: int) -> str:
    return f"{m}m"


def _mem(b: int) -> str:
    return f"{b // (1024 * 1024)}Mi"


@command("top pod")
def run_top_pod(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    factory = inv.factory
    namespace, _ = factory.namespace()
    all_ns = bool(flags.get("all-namespaces"))
    selector = selector_from(str(flags.get("selector") or ""))
    provider = _provider(inv)
    factory.request(2)
    metrics = list(provider.pod_metrics(None if all_ns else namespace))
    name = inv.args[0] if inv.args else ""
    if name:
        metrics = [m for m in metrics if m["metadata"]["name"] == name]
    if selector is not None:
        metrics = [m for m in metrics if selector.matches(m["metadata"].get("labels"))]
    assert POD is not None
    if not metrics:
        pods = factory.api.list(POD, None if all_ns else namespace, selector)
        if name:
            pods = [p for p in pods if p["metadata"]["name"] == name]
            if not pods:
                from ...api import errors as api_errors

                raise api_errors.not_found("pods", name)
        if pods:
            raise KubectlError("metrics not available yet")
        inv.err("No resources found\n" if all_ns
                else f"No resources found in {namespace} namespace.\n")
        yield from factory.settle()
        return 0
    containers = bool(flags.get("containers"))
    rows: list[tuple[Any, ...]] = []
    for m in metrics:
        meta = m["metadata"]
        if containers:
            for c in m.get("containers") or []:
                usage = c.get("usage") or {}
                rows.append((meta.get("namespace", ""), meta["name"], c.get("name", ""),
                             _milli(usage.get("cpu")), _bytes(usage.get("memory"))))
        else:
            cpu = sum(_milli((c.get("usage") or {}).get("cpu")) for c in m.get("containers")
                      or [])
            mem = sum(_bytes((c.get("usage") or {}).get("memory")) for c in m.get("containers")
                      or [])
            rows.append((meta.get("namespace", ""), meta["name"], None, cpu, mem))
    sort_by = str(flags.get("sort-by") or "")
    if sort_by == "cpu":
        rows.sort(key=lambda r: -r[3])
    elif sort_by == "memory":
        rows.sort(key=lambda r: -r[4])
    else:
        rows.sort(key=lambda r: (r[0], r[1], r[2] or ""))
    w = table_writer()
    if not flags.get("no-headers"):
        head = (["NAMESPACE"] if all_ns else []) + (["POD", "NAME"] if containers else ["NAME"])
        w.write("\t".join([*head, "CPU(cores)", "MEMORY(bytes)"]) + "\n")
    for ns, pod, container, cpu, mem in rows:
        cells = ([ns] if all_ns else []) + ([pod, container] if containers else [pod])
        w.write("\t".join([*cells, _cpu(cpu), _mem(mem)]) + "\n")
    w.flush()
    inv.out(w.getvalue())
    yield from factory.settle()
    return 0


@command("top node")
def run_top_node(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    factory = inv.factory
    provider = _provider(inv)
    factory.request(2)
    by_name = {m["metadata"]["name"]: m for m in provider.node_metrics()}
    assert NODE is not None
    nodes = factory.api.list(NODE, None, selector_from(str(flags.get("selector") or "")))
    if inv.args:
        nodes = [n for n in nodes if n["metadata"]["name"] == inv.args[0]]
        if not nodes:
            from ...api import errors as api_errors

            raise api_errors.not_found("nodes", inv.args[0])
    rows = []
    for node in nodes:
        name = node["metadata"]["name"]
        alloc = (node.get("status") or {}).get("allocatable") or {}
        m = by_name.get(name)
        if m is None:
            rows.append((name, None, None, None, None))
            continue
        cpu = _milli((m.get("usage") or {}).get("cpu"))
        mem = _bytes((m.get("usage") or {}).get("memory"))
        cpu_pct = cpu * 100 // max(1, _milli(alloc.get("cpu")))
        mem_pct = mem * 100 // max(1, _bytes(alloc.get("memory")))
        rows.append((name, cpu, cpu_pct, mem, mem_pct))
    sort_by = str(flags.get("sort-by") or "")
    if sort_by in ("cpu", "memory"):
        idx = 1 if sort_by == "cpu" else 3
        rows.sort(key=lambda r: -(r[idx] or 0))
    w = table_writer()
    if not flags.get("no-headers"):
        w.write("NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\n")
    for name, cpu, cpu_pct, mem, mem_pct in rows:
        if cpu is None:
            w.write(f"{name}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\n")
        else:
            w.write(f"{name}\t{_cpu(cpu)}\t{cpu_pct}%\t{_mem(mem)}\t{mem_pct}%\n")
    w.flush()
    inv.out(w.getvalue())
    yield from factory.settle()
    return 0
