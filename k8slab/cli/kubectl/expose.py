"""``kubectl expose`` (``k8s.io/kubectl/pkg/cmd/expose/expose.go``; kubernetes.md §7).

Builds a Service for a Deployment, ReplicaSet, ReplicationController, Pod or Service: name
``--name`` or the object's, labels ``--labels`` or the object's, selector ``--selector`` or the
object's map-based selector (a Deployment using ``matchExpressions`` cannot be exposed),
ports from ``--port`` (``--target-port`` defaults to it) or introspected from the containers
(one port → unnamed, several → ``port-1``, ``port-2``…, none → ``couldn't find port via --port
flag or introspection``), protocol from the container port (else TCP), ``--type`` only when
given. Prints ``service/x exposed``. Checked against the binary with ``-f … --dry-run=client -o
yaml`` in tests/oracle.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.errors import StatusError
from .cmd import Invocation, command
from .errors import Aggregate, KubectlError
from .output import ObjectPrinter
from .resource import select_objects
from .set_image import pod_spec_of
from .util import dry_run, record

__all__ = ["build_service", "run_expose"]

Obj = dict[str, Any]
_EXPOSABLE = {"Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet"}


def _selector(obj: Obj) -> dict[str, str]:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise KubectlError("the pod has no labels and cannot be exposed")
        return dict(labels)
    if kind == "Service":
        if not spec.get("selector"):
            raise KubectlError("the service has no pod selector set")
        return dict(spec["selector"])
    if kind == "ReplicationController":
        return dict(spec.get("selector") or {})
    sel = spec.get("selector") or {}
    if sel.get("matchExpressions"):
        raise KubectlError(f'couldn\'t convert expressions - "{sel}" to map-based selector '
                           "format")
    return dict(sel.get("matchLabels") or {})


def _container_ports(obj: Obj) -> list[tuple[int, str]]:
    if obj.get("kind") == "Service":
        return [(int(p.get("port")), str(p.get("protocol") or "TCP"))
                for p in (obj.get("spec") or {}).get("ports") or []]
    spec = pod_spec_of(obj) or {}
    out: list[tuple[int, str]] = []
    for container in spec.get("containers") or []:
        for port in container.get("ports") or []:
            out.append((int(port.get("containerPort")), str(port.get("protocol") or "TCP")))
    return out


def build_service(inv: Invocation, obj: Obj, *, default_name: str = "") -> Obj:
    flags = inv.flags
    name = str(flags.get("name") or "") or default_name or obj["metadata"]["name"]
    selector_text = str(flags.get("selector") or "")
    if selector_text:
        selector: dict[str, str] = {}
        for part in selector_text.split(","):
            if "=" not in part:
                raise KubectlError(f"unexpected label spec: {part}")
            k, v = part.split("=", 1)
            selector[k] = v
    else:
        selector = _selector(obj)
    labels_text = str(flags.get("labels") or "")
    if labels_text:
        labels: dict[str, str] = {}
        for part in labels_text.split(","):
            if "=" not in part:
                raise KubectlError(f"unexpected label spec: {part}")
            k, v = part.split("=", 1)
            labels[k] = v
    else:
        labels = dict((obj.get("metadata") or {}).get("labels") or {})
    introspected = _container_ports(obj)
    protocols = {p: proto for p, proto in introspected}
    port_flag = str(flags.get("port") or "")
    protocol_flag = str(flags.get("protocol") or "")
    target = str(flags.get("target-port") or "")
    ports: list[Obj] = []
    if port_flag:
        numbers = port_flag.split(",")
    else:
        numbers = [str(p) for p, _ in introspected]
        if not numbers:
            raise KubectlError("couldn't find port via --port flag or introspection")
    for i, text in enumerate(numbers, 1):
        try:
            number = int(text)
        except ValueError:
            raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax') from None
        # ServicePort in Go field order.
        entry: Obj = {}
        if len(numbers) > 1:
            entry["name"] = f"port-{i}"
        entry["protocol"] = protocol_flag or (
            introspected[i - 1][1] if not port_flag else protocols.get(number, "TCP"))
        entry["port"] = number
        if target:
            entry["targetPort"] = int(target) if target.isdigit() else target
        else:
            entry["targetPort"] = number
        ports.append(entry)
    spec: Obj = {"ports": ports, "selector": selector}
    if flags.get("cluster-ip"):
        spec["clusterIP"] = str(flags.get("cluster-ip"))
    svc_type = str(flags.get("type") or "")
    if svc_type:
        spec["type"] = svc_type
    external_ip = str(flags.get("external-ip") or "")
    if external_ip:
        spec["externalIPs"] = [external_ip]
    affinity = str(flags.get("session-affinity") or "")
    if affinity:
        spec["sessionAffinity"] = affinity
    if flags.get("load-balancer-ip"):
        spec["loadBalancerIP"] = str(flags.get("load-balancer-ip"))
    meta: Obj = {"name": name}
    if labels:
        meta["labels"] = labels
    return {"kind": "Service", "apiVersion": "v1", "metadata": meta, "spec": spec,
            "status": {"loadBalancer": {}}}


@command("expose")
def run_expose(inv: Invocation) -> Generator[Any, Any, int]:
    flags = inv.flags
    strategy = dry_run(inv)
    output = str(flags.get("output") or "")
    printer = ObjectPrinter(inv, output, operation="exposed", dry_run=strategy, typed=True)
    factory = inv.factory
    filenames = list(flags.get("filename") or [])
    if filenames:
        from .resource import read_files

        namespace, explicit = factory.namespace()
        infos, errs = read_files(inv, filenames, recursive=bool(flags.get("recursive")),
                                 validate="ignore", namespace=namespace,
                                 enforce_namespace=explicit, served=factory.served)
    else:
        infos, errs = select_objects(inv, inv.args)
    if errs:
        raise Aggregate(errs)
    for info in infos:
        assert info.obj is not None
        if info.kind.kind not in _EXPOSABLE:
            raise KubectlError(f"cannot expose a {info.kind.group_kind}")
        service = build_service(inv, info.obj)
        service = record(inv, service)
        if strategy == "client":
            from ...api.kinds import by_gvk

            printer.print(service, by_gvk("v1", "Service"))
            continue
        factory.request()
        try:
            created = factory.api.create(service, source="kubectl", namespace=info.namespace,
                                         dry_run=strategy == "server")
        except StatusError:
            yield from factory.settle()
            raise
        from ...api.kinds import by_gvk

        printer.print(created, by_gvk("v1", "Service"))
    yield from factory.settle()
    return 0
