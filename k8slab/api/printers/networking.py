"""Table printers of networking.k8s.io and discovery.k8s.io (printers.go ``printIngress``,
``printIngressClass``, ``printNetworkPolicy``, ``printServiceCIDR``, ``printIPAddress``,
``printEndpointSlice`` with ``formatDiscoveryPorts``/``formatDiscoveryEndpoints``).
"""

from __future__ import annotations

from typing import Any

from ._base import AGE, NAME, Column, printer
from ._util import age, format_label_selector

__all__: list[str] = []

Obj = dict[str, Any]


def _list_with_more(items: list[str], more: bool, count: int, limit: int) -> str:
    text = ",".join(items)
    if more:
        return f"{text} + {count - limit} more..."
    return text or "<unset>"


@printer("discovery.k8s.io", "EndpointSlice", [
    NAME, Column("AddressType"), Column("Ports"), Column("Endpoints"), AGE,
])
def endpoint_slice_row(obj: Obj, now: int) -> list[str]:
    ports: list[str] = []
    limit, more, count = 3, False, 0
    for port in obj.get("ports") or []:
        if len(ports) < limit:
            if port.get("port") is not None:
                ports.append(str(port["port"]))
            elif port.get("name") is not None:
                ports.append(str(port["name"]))
            else:
                ports.append("*")
        elif len(ports) == limit:
            more = True
        count += 1
    ports_text = _list_with_more(ports, more, count, limit)
    addrs: list[str] = []
    more, count = False, 0
    for ep in obj.get("endpoints") or []:
        for address in ep.get("addresses") or []:
            if len(addrs) < limit:
                addrs.append(str(address))
            elif len(addrs) == limit:
                more = True
            count += 1
    meta = obj.get("metadata") or {}
    return [meta.get("name", ""), str(obj.get("addressType", "")), ports_text,
            _list_with_more(addrs, more, count, limit), age(meta.get("creationTimestamp"), now)]


def _ingress_address(status: Obj) -> str:
    found: list[str] = []
    for ing in (status.get("loadBalancer") or {}).get("ingress") or []:
        value = ing.get("ip") or ing.get("hostname")
        if value and value not in found:
            found.append(value)
    return ",".join(sorted(found))


@printer("networking.k8s.io", "Ingress", [
    NAME, Column("Class"), Column("Hosts"), Column("Address"), Column("Ports"), AGE,
])
def ingress_row(obj: Obj, now: int) -> list[str]:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    rules = spec.get("rules") or []
    hosts: list[str] = []
    limit, more = 3, False
    for rule in rules:
        if len(hosts) == limit:
            more = True
        if not more and rule.get("host"):
            hosts.append(str(rule["host"]))
    if not hosts:
        hosts_text = "*"
    elif more:
        hosts_text = f"{','.join(hosts)} + {len(rules) - limit} more..."
    else:
        hosts_text = ",".join(hosts)
    return [meta.get("name", ""),
            spec.get("ingressClassName") if spec.get("ingressClassName") is not None
            else "<none>",
            hosts_text, _ingress_address(obj.get("status") or {}),
            "80, 443" if spec.get("tls") else "80", age(meta.get("creationTimestamp"), now)]


@printer("networking.k8s.io", "IngressClass", [
    NAME, Column("Controller"), Column("Parameters"), AGE,
])
def ingress_class_row(obj: Obj, now: int) -> list[str]:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    params = "<none>"
    p = spec.get("parameters")
    if p is not None:
        params = str(p.get("kind", ""))
        if p.get("apiGroup") is not None:
            params += "." + str(p["apiGroup"])
        params += "/" + str(p.get("name", ""))
    return [meta.get("name", ""), str(spec.get("controller", "")), params,
            age(meta.get("creationTimestamp"), now)]


@printer("networking.k8s.io", "NetworkPolicy", [NAME, Column("Pod-Selector"), AGE])
def network_policy_row(obj: Obj, now: int) -> list[str]:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    return [meta.get("name", ""), format_label_selector(spec.get("podSelector") or {}),
            age(meta.get("creationTimestamp"), now)]


@printer("networking.k8s.io", "ServiceCIDR", [NAME, Column("CIDRs"), AGE])
def service_cidr_row(obj: Obj, now: int) -> list[str]:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    return [meta.get("name", ""), ",".join(spec.get("cidrs") or []),
            age(meta.get("creationTimestamp"), now)]


@printer("networking.k8s.io", "IPAddress", [NAME, Column("ParentRef")])
def ip_address_row(obj: Obj, now: int) -> list[str]:
    meta, spec = obj.get("metadata") or {}, obj.get("spec") or {}
    parent = "<none>"
    ref = spec.get("parentRef")
    if ref is not None:
        group, resource = ref.get("group", ""), ref.get("resource", "")
        parent = (f"{resource}.{group}" if group else str(resource)).lower()
        if ref.get("namespace"):
            parent += "/" + str(ref["namespace"])
        parent += "/" + str(ref.get("name", ""))
    # The server sends an AGE cell without a column for it; kubectl drops it.
    return [meta.get("name", ""), parent, age(meta.get("creationTimestamp"), now)]
