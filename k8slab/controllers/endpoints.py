"""Endpoints controller (``pkg/controller/endpoint/endpoints_controller.go``,
``pkg/api/v1/endpoints/util.go`` ``RepackSubsets``).

The legacy ``v1`` Endpoints object of every Service with a selector (not ``ExternalName``),
named after the Service, deprecated since 1.33 but still maintained (``kubectl get endpoints``
prints ``Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice``,
kubectl's business):

- pods included: matching the selector, with an IP, not terminal, and — unlike EndpointSlices —
  not terminating, unless ``publishNotReadyAddresses`` (``ShouldPodBeInEndpoints(pod,
  publishNotReadyAddresses)``);
- each address ``{ip, nodeName, targetRef{kind, namespace, name, uid}}`` (``hostname`` when
  the pod's hostname/subdomain name the Service) goes to ``addresses`` when the pod is ready
  (or ``publishNotReadyAddresses``), else ``notReadyAddresses``;
- ``RepackSubsets``: addresses sharing the same port set form one subset; addresses sorted by
  IP then UID, ports by name/port/protocol (upstream orders subsets and ports by a hash; with
  the one-port Services of the course the order is the same);
- labels: the Service's labels, ``service.kubernetes.io/headless`` for headless Services and
  ``endpoints.kubernetes.io/managed-by: endpoint-controller``; annotation
  ``endpoints.kubernetes.io/last-change-trigger-time``; no owner reference (the controller
  deletes the object with its Service); over 1,000 addresses the list is truncated (ready ones
  first) and annotated ``endpoints.kubernetes.io/over-capacity: truncated``;
- no subsets → the object has no ``subsets`` field.

It shares the informer-style membership bookkeeping of the EndpointSlice controller.
"""

from __future__ import annotations

import ipaddress
import math
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from .base import Controller, split_key
from .endpointslice import (
    HEADLESS_LABEL,
    TRIGGER_TIME,
    ServiceMembers,
    find_port,
    pod_ready,
    service_ip_set,
    should_pod_be_in_endpoints,
    should_set_hostname,
    trigger_time,
)

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["CONTROLLER_NAME", "LABEL_MANAGED_BY", "MAX_CAPACITY", "EndpointsController"]

Obj = dict[str, Any]

POD = builtin("v1", "Pod")
SERVICE = builtin("v1", "Service")
ENDPOINTS = builtin("v1", "Endpoints")

LABEL_MANAGED_BY = "endpoints.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpoint-controller"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
MAX_CAPACITY = 1000


def _ip_key(addr: Obj) -> tuple[Any, ...]:
    try:
        ip: Any = int(ipaddress.ip_address(addr.get("ip", "")))
    except ValueError:
        ip = addr.get("ip", "")
    return (ip, (addr.get("targetRef") or {}).get("uid", ""))


def repack_subsets(entries: list[tuple[Obj, list[Obj], bool]]) -> list[Obj]:
    """``RepackSubsets``: (address, ports, ready) entries → subsets, one per distinct set of
    addresses offering the same ports (each port maps to the addresses that offer it, then
    ports with identical address sets share a subset)."""
    addrs: dict[str, Obj] = {}
    by_port: dict[tuple[Any, ...], dict[str, bool]] = {}
    port_objs: dict[tuple[Any, ...], Obj | None] = {}
    for addr, ports, ready in entries:
        ident = f"{addr.get('ip')}/{(addr.get('targetRef') or {}).get('uid', '')}"
        addrs[ident] = addr
        for port in ports or (None,):
            pkey = ((port.get("name", ""), port.get("port", 0), port.get("protocol", ""),
                     port.get("appProtocol", "")) if port is not None else ("", -1, "", ""))
            port_objs[pkey] = port
            by_port.setdefault(pkey, {})[ident] = ready
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for pkey in sorted(by_port):
        members = tuple(sorted(by_port[pkey].items()))
        groups.setdefault(members, []).append(pkey)
    out: list[Obj] = []
    for members, pkeys in groups.items():
        ready_addrs = sorted((addrs[i] for i, r in members if r), key=_ip_key)
        not_ready = sorted((addrs[i] for i, r in members if not r), key=_ip_key)
        subset: Obj = {}
        if ready_addrs:
            subset["addresses"] = ready_addrs
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        ports = [p for k in pkeys if (p := port_objs[k]) is not None]
        if ports:
            subset["ports"] = ports
        out.append(subset)
    out.sort(key=lambda s: [_ip_key(a) for a in (s.get("addresses") or [])
                            + (s.get("notReadyAddresses") or [])])
    return out


def _truncate(subsets: list[Obj]) -> bool:
    """``truncateEndpoints``: keep at most 1,000 addresses, ready ones first."""
    ready = sum(len(s.get("addresses") or ()) for s in subsets)
    not_ready = sum(len(s.get("notReadyAddresses") or ()) for s in subsets)
    if ready + not_ready <= MAX_CAPACITY:
        return False
    truncate_ready = ready > MAX_CAPACITY
    limit = MAX_CAPACITY if truncate_ready else MAX_CAPACITY - ready
    total = ready if truncate_ready else not_ready
    room = limit
    for s in subsets:
        field = "addresses" if truncate_ready else "notReadyAddresses"
        n = len(s.get(field) or ())
        take = min(room, math.ceil(n / total * limit)) if total else 0
        s[field] = (s.get(field) or [])[:take]
        if truncate_ready:
            s.pop("notReadyAddresses", None)
        room -= len(s[field])
        if not s[field]:
            del s[field]
    return True


class EndpointsController(Controller):
    name = "endpoint-controller"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.members = ServiceMembers(self.api)
        self._triggers: dict[tuple[str, str], dict[str, str]] = {}
        self.watch(SERVICE, self._on_service)
        self.watch(POD, self._on_pod)
        self.watch(ENDPOINTS, self._on_endpoints)

    def _on_service(self, event: str, svc: Obj, old: Obj | None) -> None:
        self.members.service_changed(event, svc)
        self.enqueue(svc)

    def _on_pod(self, event: str, pod: Obj, old: Obj | None) -> None:
        # Every pod write of the cluster asks, and most namespaces have no Service with a
        # selector: then no pod event there can matter (pod_changed would answer none).
        if not self.members.selectors.get(pod["metadata"].get("namespace", "")):
            return
        for ns, name in self.members.pod_changed(event, pod, old):
            self.queue.add(f"{ns}/{name}")

    def _on_endpoints(self, event: str, obj: Obj, old: Obj | None) -> None:
        # Someone else deleted the object of a Service we manage: recreate it.
        if event == "DELETED":
            labels = (obj.get("metadata") or {}).get("labels") or {}
            if labels.get(LABEL_MANAGED_BY) == CONTROLLER_NAME:
                self.enqueue(obj)

    def sync(self, key: str) -> None:
        ns, name = split_key(key)
        svc = self.api.try_get(SERVICE, ns, name)
        if svc is None:
            self._triggers.pop((ns, name), None)
            current = self.api.try_get(ENDPOINTS, ns, name)
            labels = ((current or {}).get("metadata") or {}).get("labels") or {}
            if current is not None and labels.get(LABEL_MANAGED_BY) == CONTROLLER_NAME:
                try:
                    self.api.delete(ENDPOINTS, ns, name, source=self.name)
                except StatusError as err:
                    if err.reason != "NotFound":
                        raise
            return
        spec = svc.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return
        publish = bool(spec.get("publishNotReadyAddresses"))
        pods = self.members.pods(ns, name)
        stamp = self._trigger_time(ns, name, svc, pods)
        entries: list[tuple[Obj, list[Obj], bool]] = []
        for pod in pods:
            if not should_pod_be_in_endpoints(pod, publish):
                continue
            meta = pod["metadata"]
            addr: Obj = {"ip": (pod.get("status") or {}).get("podIP", "")}
            if should_set_hostname(pod, svc):
                addr["hostname"] = pod["spec"]["hostname"]
            node = (pod.get("spec") or {}).get("nodeName")
            if node:
                addr["nodeName"] = node
            addr["targetRef"] = {"kind": "Pod", "namespace": meta.get("namespace", ""),
                                 "name": meta["name"], "uid": meta.get("uid", "")}
            ready = publish or pod_ready(pod)
            if not spec.get("ports"):
                if spec.get("clusterIP") == "None":
                    entries.append((addr, [], ready))
                continue
            for sp in spec.get("ports") or ():
                number = find_port(pod, sp)
                if number is None:
                    continue
                port: Obj = {"name": sp.get("name") or "", "port": number,
                             "protocol": sp.get("protocol") or "TCP"}
                if sp.get("appProtocol"):
                    port["appProtocol"] = sp["appProtocol"]
                if not port["name"]:
                    del port["name"]
                entries.append((addr, [port], ready))
        subsets = repack_subsets(entries)
        annotations: dict[str, str] = {}
        if stamp:
            annotations[TRIGGER_TIME] = stamp
        if _truncate(subsets):
            annotations[OVER_CAPACITY] = "truncated"
        labels = dict((svc.get("metadata") or {}).get("labels") or {})
        if not service_ip_set(svc):
            labels[HEADLESS_LABEL] = ""
        else:
            labels.pop(HEADLESS_LABEL, None)
        labels[LABEL_MANAGED_BY] = CONTROLLER_NAME
        labels = dict(sorted(labels.items()))
        current = self.api.try_get(ENDPOINTS, ns, name)
        if current is None:
            meta = {"name": name, "namespace": ns, "labels": labels}
            if annotations:
                meta["annotations"] = annotations
            obj: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
            if subsets:
                obj["subsets"] = subsets
            self.api.create(obj, source=self.name, trusted=True)
            return
        same_subsets = (current.get("subsets") or []) == subsets
        cur_meta = current.get("metadata") or {}
        cur_ann = cur_meta.get("annotations") or {}
        capacity_ok = (OVER_CAPACITY in annotations) == (OVER_CAPACITY in cur_ann)
        if same_subsets and (cur_meta.get("labels") or {}) == labels and capacity_ok:
            return
        new_meta = dict(cur_meta)
        new_meta["labels"] = labels
        merged = {k: v for k, v in cur_ann.items() if k not in (TRIGGER_TIME, OVER_CAPACITY)}
        merged.update(annotations)
        if merged:
            new_meta["annotations"] = merged
        else:
            new_meta.pop("annotations", None)
        new = {k: v for k, v in current.items() if k != "subsets"}
        new["metadata"] = new_meta
        if subsets:
            new["subsets"] = subsets
        self.api.update(new, source=self.name, trusted=True)

    def _trigger_time(self, ns: str, name: str, svc: Obj, pods: list[Obj]) -> str:
        seen = self._triggers.get((ns, name))
        latest = ""
        now_seen: dict[str, str] = {}
        for pod in pods:
            t = trigger_time(pod)
            pname = pod["metadata"]["name"]
            now_seen[pname] = t
            if seen is None or seen.get(pname) != t:
                latest = max(latest, t)
        if seen is None:
            latest = max(latest, str((svc.get("metadata") or {}).get("creationTimestamp")
                                     or ""))
        self._triggers[(ns, name)] = now_seen
        return latest
