"""``kubectl port-forward`` (``k8s.io/kubectl/pkg/cmd/portforward/portforward.go`` and
``k8s.io/client-go/tools/portforward/portforward.go``).

``kubectl port-forward TYPE/NAME [LOCAL_PORT:]REMOTE_PORT...`` in the order kubectl works:

1. ``Complete``: at least two arguments (usage error), ``--pod-running-timeout`` > 0, the
   object (``pod/x`` by default), the pod behind it (``AttachablePodForObject``: a workload's
   or Service's selector, the most active pod, waiting up to ``--pod-running-timeout`` for
   one to appear), the UDP check and the port translation — a Service port becomes its
   ``targetPort`` (a named one looked up in the pod), a named pod port its number, with
   kubectl's quirks (``splitPort`` takes ``a:b:c`` as ``a``);
2. ``RunPortForward``: the pod must be ``Running``
   (``unable to forward port because pod is not running. Current status=Pending``);
3. ``NewOnAddresses``: ``--address`` (``localhost`` = ``127.0.0.1`` and ``::1``, sorted,
   ``foo is not a valid IP``) and ``parsePorts`` (``error parsing local port '70000':
   strconv.ParseUint: parsing "70000": value out of range``, ``remote port must be > 0``);
4. the upgrade through the apiserver to the node's kubelet, then one listener per port and
   address: ``Forwarding from 127.0.0.1:8080 -> 80`` / ``Forwarding from [::1]:8080 -> 80``
   on stdout; ``:80`` (or ``0:80``) takes a random free port from Linux's ephemeral range
   (seeded); ports below 1024 are refused to the learner's user (``bind: permission
   denied``), a port already forwarded is ``bind: address already in use``, an address the
   laptop does not have ``bind: cannot assign requested address`` (``Unable to listen on port
   …`` / ``unable to listen on any of the requested ports: [{80 80}]``).

While it runs, ``localhost:<port>`` on the workstation leads into the pod's
``localhost:<remote>`` (:meth:`~k8slab.network.transport.HostTransport.add_forward`, no
Service or kube-proxy involved); every new connection prints ``Handling connection for
8080``. When the pod's port does not answer — nothing listens, or the pod's sandbox is gone —
kubectl logs the kubelet's/containerd's error (``E… portforward.go:549] "An error occurred
forwarding" err="error forwarding port 80 to pod <sandbox>, uid : failed to execute
portforward in network namespace …: connection refused …"``), closes the connection (curl:
``(52) Empty reply from server``) and exits with ``error: lost connection to pod``.

How a learner uses it in a notebook cell (docs/lab-shell.md): in the background, then talk
to it, then stop it — ``kubectl port-forward svc/web 8080:80 & sleep 1; curl -s
localhost:8080; kill %1``. A background port-forward lives until ``kill`` or the end of the
cell's run (the shell ends its jobs); in the foreground it runs until the line's deadline, the
lab's Ctrl-C (``K8SLAB_RUN_FOR``), and then exits 0 as kubectl does on SIGINT.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from ...api import errors as api_errors
from ...network.model import ARP_TIMEOUT, WORKSTATION_IP
from ...sim.clock import MILLISECOND, SECOND
from ...sim.process import Sleep, WaitFor, bounded_sleep
from ...sim.timefmt import to_datetime
from .cmd import Invocation, command
from .errors import KubectlError, Silent, usage_error
from .flags import go_quote
from .pods import POD, first_pod, selector_for
from .resource import parse_resource_args
from .util import pid

__all__ = ["run_port_forward"]

Obj = dict[str, Any]

#: how often a waiting port-forward looks at its listeners (a lost pod ends it this fast)
_POLL = 100 * MILLISECOND
#: where the "An error occurred forwarding" call sits in client-go's portforward.go of
#: kubectl 1.37.1 (read from the binary's line table: the klog header names it)
_HANDLE_ERROR_LINE = "portforward.go:549"
#: Linux ip_local_port_range, what bind(0) draws from
_EPHEMERAL = (32768, 60999)
#: the learner is not root: ports below net.ipv4.ip_unprivileged_port_start are refused
_UNPRIVILEGED_START = 1024

_KINDS_GO = {"Service": "*v1.Service", "Deployment": "*v1.Deployment",
             "ReplicaSet": "*v1.ReplicaSet", "StatefulSet": "*v1.StatefulSet",
             "DaemonSet": "*v1.DaemonSet", "Job": "*v1.Job",
             "ReplicationController": "*v1.ReplicationController"}


# ------------------------------------------------------------------------------ Go helpers

def _atoi(text: str) -> int | None:
    """``strconv.Atoi``: optional sign, decimal digits, int64 range; None on error."""
    body = text[1:] if text[:1] in "+-" else text
    if not body or not body.isascii() or not body.isdigit():
        return None
    value = int(text)
    return value if -(2**63) <= value < 2**63 else None


def _int32(value: int) -> int:
    """Go's ``int32(x)`` conversion (wraps)."""
    value &= 0xFFFFFFFF
    return value - 2**32 if value >= 2**31 else value


def _parse_uint16(text: str) -> tuple[int, str]:
    """``strconv.ParseUint(s, 10, 16)``: the value, or the error text."""
    if not text or not text.isascii() or not text.isdigit():
        return 0, f"strconv.ParseUint: parsing {go_quote(text)}: invalid syntax"
    value = int(text)
    if value > 0xFFFF:
        return 0, f"strconv.ParseUint: parsing {go_quote(text)}: value out of range"
    return value, ""


def _split_port(port: str) -> tuple[str, str]:
    """portforward.go ``splitPort``: ``a:b`` → (a, b); anything else → (first, first)."""
    parts = port.split(":")
    if len(parts) == 2:
        return parts[0], parts[1]
    return parts[0], parts[0]


def _join_host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _parse_ip(text: str) -> tuple[str, int] | None:
    """``netutils.ParseIPSloppy``: ("tcp4"|"tcp6", the IPv4 value or -1), or None."""
    parts = text.split(".")
    if len(parts) == 4 and all(p.isascii() and p.isdigit() and 0 < len(p) <= 3
                               and int(p) <= 255 for p in parts):
        return "tcp4", int.from_bytes(bytes(int(p) for p in parts), "big")
    if ":" not in text or "%" in text:
        return None
    try:
        addr = ipaddress.IPv6Address(text)
    except ValueError:
        return None
    if addr.ipv4_mapped is not None:
        return "tcp4", int(addr.ipv4_mapped)
    return "tcp6", -1


# ------------------------------------------------------------------------------ ports

def _container_port_by_name(pod: Obj, name: str) -> int:
    """kubectl ``util.LookupContainerPortNumberByName``."""
    for c in (pod.get("spec") or {}).get("containers") or []:
        for p in c.get("ports") or []:
            if p.get("name", "") == name:
                return int(p.get("containerPort", 0))
    raise KubectlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{name}'")


def _service_port_by_name(svc: Obj, name: str) -> int:
    """kubectl ``util.LookupServicePortNumberByName``."""
    for p in (svc.get("spec") or {}).get("ports") or []:
        if p.get("name", "") == name:
            return int(p.get("port", 0))
    raise KubectlError(f"Service '{svc['metadata']['name']}' does not have a named port "
                       f"'{name}'")


def _container_port_by_service_port(svc: Obj, pod: Obj, port: int) -> int:
    """kubectl ``util.LookupContainerPortNumberByServicePort``."""
    spec = svc.get("spec") or {}
    if spec.get("clusterIP") == "None":
        return port
    for p in spec.get("ports") or []:
        if p.get("port") != port:
            continue
        target = p.get("targetPort")
        if target is None or isinstance(target, int):
            return int(p.get("port", 0)) if not target else int(target)
        return _container_port_by_name(pod, str(target))
    raise KubectlError(f"Service {svc['metadata']['name']} does not have a service port {port}")


def _check_udp(udp_only: set[int], ports: list[str], obj: Obj) -> None:
    """portforward.go ``checkUDPPorts`` (UDP cannot be forwarded)."""
    for spec in ports:
        _, remote = _split_port(spec)
        number = _atoi(remote)
        if number is None:
            if obj.get("kind") == "Service":
                number = _service_port_by_name(obj, remote)
            else:
                number = _container_port_by_name(obj, remote)
        if number in udp_only:
            raise KubectlError(f"UDP protocol is not supported for {remote}")


def _udp_only(pairs: list[tuple[int, str]]) -> set[int]:
    udp = {n for n, proto in pairs if proto == "UDP"}
    tcp = {n for n, proto in pairs if proto == "TCP"}
    return udp - tcp


def _translate_service_ports(ports: list[str], svc: Obj, pod: Obj) -> list[str]:
    """portforward.go ``translateServicePortToTargetPort``."""
    out = []
    for spec in ports:
        local, remote = _split_port(spec)
        number = _atoi(remote)
        if number is None:
            number = _service_port_by_name(svc, remote)
            if local == remote:
                local = str(number)
        remote = str(_container_port_by_service_port(svc, pod, _int32(number)))
        out.append(f"{local}:{remote}" if local != remote else remote)
    return out


def _convert_pod_ports(ports: list[str], pod: Obj) -> list[str]:
    """portforward.go ``convertPodNamedPortToNumber``."""
    out = []
    for spec in ports:
        local, remote = _split_port(spec)
        if remote == "":
            raise KubectlError("remote port cannot be empty")
        number = remote
        if _atoi(remote) is None:
            number = str(_container_port_by_name(pod, remote))
        out.append(f"{local}:{number}" if local != remote else number)
    return out


def _parse_ports(ports: list[str]) -> list[list[int]]:
    """client-go ``parsePorts``: ``[local, remote]`` pairs (local 0: a random port)."""
    out = []
    for spec in ports:
        parts = spec.split(":")
        if len(parts) == 1:
            local_s = remote_s = parts[0]
        elif len(parts) == 2:
            local_s, remote_s = parts[0] or "0", parts[1]
        else:
            raise KubectlError(f"invalid port format '{spec}'")
        local, err = _parse_uint16(local_s)
        if err:
            raise KubectlError(f"error parsing local port '{local_s}': {err}")
        remote, err = _parse_uint16(remote_s)
        if err:
            raise KubectlError(f"error parsing remote port '{remote_s}': {err}")
        if remote == 0:
            raise KubectlError("remote port must be > 0")
        out.append([local, remote])
    return out


@dataclass(frozen=True)
class _Address:
    address: str
    protocol: str
    failure_mode: str
    ipv4: int


def _parse_addresses(values: list[str]) -> list[_Address]:
    """client-go ``parseAddresses``: ``localhost`` is 127.0.0.1 and ::1 ("all" must fail for
    an error), other addresses must all work ("any"); sorted by text."""
    parsed: dict[str, _Address] = {}
    for value in values:
        if value == "localhost":
            parsed.setdefault("127.0.0.1", _Address("127.0.0.1", "tcp4", "all", 0x7F000001))
            parsed.setdefault("::1", _Address("::1", "tcp6", "all", -1))
            continue
        ip = _parse_ip(value)
        if ip is None:
            raise KubectlError(f"{value} is not a valid IP")
        parsed[value] = _Address(value, ip[0], "any", ip[1])
    return [parsed[k] for k in sorted(parsed)]


# ------------------------------------------------------------------------------ session

@dataclass
class _Session:
    """One running port-forward: its listeners and what the kubelet end looks like."""

    inv: Invocation
    namespace: str
    pod: str
    pod_uid: str
    node: str
    sandbox: str
    host_network: bool
    transport: Any
    ports: dict[int, int] = field(default_factory=dict)   # local → remote
    lost: bool = False

    def write_out(self, text: str) -> None:
        self.inv.ctx.stdout.write(text)

    def write_err(self, text: str) -> None:
        self.inv.ctx.stderr.write(text)

    def hook(self, local: int, remote: int) -> Any:
        def on_connect(ok: bool) -> None:
            if self.lost:
                return
            self.write_out(f"Handling connection for {local}\n")
            if ok:
                return
            self._lose(local, remote)

        return on_connect

    def _lose(self, local: int, remote: int) -> None:
        """The kubelet wrote an error for this stream: kubectl logs it, closes the
        connection to the pod and returns ``ErrLostConnectionToPod``."""
        message = self._forward_error(remote)
        if message is not None:
            moment = to_datetime(self.inv.factory.now).strftime("%m%d %H:%M:%S.%f")
            self.write_err(f"E{moment} {pid(self.inv):7d} {_HANDLE_ERROR_LINE}] \"An error "
                           f"occurred forwarding\" err={go_quote(message)} localPort={local} "
                           f"remotePort={remote} logger=\"UnhandledError\"\n")
        self.write_err("error: lost connection to pod\n")
        self.lost = True
        self.close()

    def _forward_error(self, remote: int) -> str | None:
        """containerd's ``portForward`` error as the streaming server wraps it."""
        cluster = self.inv.factory.cluster
        kubelet = cluster.kubelets.get(self.node)
        if kubelet is None or not kubelet.running:
            return None       # the tunnel itself died: no error stream comes back
        sid = self.sandbox
        prefix = f"error forwarding port {remote} to pod {sid}, uid : "
        sandbox = kubelet.runtime.sandboxes.get(self.pod_uid)
        if sandbox is None or sandbox.id != sid:
            return prefix + f'failed to find sandbox "{sid}" in store: not found'
        if not sandbox.ready and not self.host_network:
            return prefix + f'network namespace for sandbox "{sid}" is closed'
        netns = "host" if self.host_network else f"/var/run/netns/cni-{_netns_uuid(sid)}"
        return (prefix + f'failed to execute portforward in network namespace "{netns}": '
                f'failed to connect to localhost:{remote} inside namespace "{sid}", IPv4: dial '
                f"tcp4 127.0.0.1:{remote}: connect: connection refused IPv6 dial tcp6 "
                f"[::1]:{remote}: connect: connection refused ")

    def close(self) -> None:
        if self.transport is None:
            return
        for local in list(self.ports):
            self.transport.remove_forward(local)
        self.ports.clear()


def _netns_uuid(sandbox_id: str) -> str:
    """The CNI network namespace name containerd gave the sandbox (a v4 UUID), derived from
    the sandbox id so it stays the same for the pod's whole life."""
    h = (sandbox_id + "0" * 64)[32:64]
    variant = "89ab"[int(h[16], 16) % 4]
    return f"{h[0:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:32]}"


# ------------------------------------------------------------------------------ command

def _pod_for(inv: Invocation, obj: Obj, timeout: int) -> Generator[Any, Any, Obj]:
    """``polymorphichelpers.AttachablePodForObject``: the pod itself, or the most active pod
    of the object's selector, waiting for one to appear (``GetFirstPod``)."""
    if obj.get("kind") == "Pod":
        return obj
    try:
        selector_for(obj)
    except KubectlError as err:
        kind = _KINDS_GO.get(str(obj.get("kind")), f"*v1.{obj.get('kind')}")
        raise KubectlError(f"cannot attach to {kind}: {err}") from None
    pod, _ = first_pod(inv, obj, for_logs=False)
    if pod is not None:
        return pod
    factory = inv.factory
    yield from factory.settle()
    selector = selector_for(obj)
    namespace = (obj.get("metadata") or {}).get("namespace", "default")
    api = factory.api
    assert POD is not None
    limit = min(timeout, max(0, factory.deadline() - factory.now))
    seen = yield WaitFor(lambda: bool(api.list(POD, namespace, selector)), limit, poll=SECOND)
    if not seen:
        if factory.now >= factory.deadline() and limit < timeout:
            raise _Interrupted
        raise KubectlError("timed out waiting for the condition")
    pod, _ = first_pod(inv, obj, for_logs=False)
    assert pod is not None
    return pod


class _Interrupted(Exception):
    """Ctrl-C before kubectl installed its signal handler: the process dies of SIGINT."""


@command("port-forward")
def run_port_forward(inv: Invocation) -> Generator[Any, Any, int]:
    try:
        return (yield from _run(inv))
    except _Interrupted:
        return 130


def _run(inv: Invocation) -> Generator[Any, Any, int]:
    args = inv.args
    if len(args) < 2:
        raise usage_error(inv.cmd.path, "TYPE/NAME and list of ports are required for "
                                        "port-forward")
    factory = inv.factory
    namespace, _ = factory.namespace()
    timeout = int(inv.flag("pod-running-timeout") or 0)
    if timeout <= 0:
        raise usage_error(inv.cmd.path, "--pod-running-timeout must be higher than zero")
    resource = args[0]
    parsed = parse_resource_args(inv, [resource if "/" in resource else f"pods/{resource}"])
    kind, name = parsed.pairs[0]
    api = factory.api
    factory.request()
    obj = api.try_get(kind, namespace if kind.namespaced else "", name)
    if obj is None:
        raise api_errors.not_found(kind.resource, name)
    pod = yield from _pod_for(inv, obj, timeout)

    ports = list(args[1:])
    if obj.get("kind") == "Service":
        svc_ports = [(int(p.get("port", 0)), str(p.get("protocol", "TCP")))
                     for p in (obj.get("spec") or {}).get("ports") or []]
        _check_udp(_udp_only(svc_ports), ports, obj)
        ports = _translate_service_ports(ports, obj, pod)
    else:
        ctr_ports = [(int(p.get("containerPort", 0)), str(p.get("protocol", "TCP")))
                     for c in (pod.get("spec") or {}).get("containers") or []
                     for p in c.get("ports") or []]
        _check_udp(_udp_only(ctr_ports), ports, pod)
        ports = _convert_pod_ports(ports, pod)

    # RunPortForward reads the pod again before it upgrades the connection.
    factory.request()
    assert POD is not None
    pod_name = pod["metadata"]["name"]
    current = api.try_get(POD, namespace, pod_name)
    if current is None:
        raise api_errors.not_found("pods", pod_name)
    phase = (current.get("status") or {}).get("phase", "")
    if phase != "Running":
        raise KubectlError(f"unable to forward port because pod is not running. Current "
                           f"status={phase}")
    addresses = [a for a in (inv.flag("address") or []) if a != ""]
    if not addresses:
        raise KubectlError("you must specify at least 1 address")
    listen = _parse_addresses(addresses)
    forwards = _parse_ports(ports)

    # The upgrade: the apiserver dials the node's kubelet, which hands the stream to
    # containerd's streaming server for the pod's sandbox.
    factory.request(2)
    yield from factory.settle()
    spec = current.get("spec") or {}
    node = spec.get("nodeName") or ""
    kubelet = factory.cluster.kubelets.get(node)
    if kubelet is None or not kubelet.running:
        yield Sleep(ARP_TIMEOUT)
        ip = kubelet.node.ip if kubelet is not None else node
        raise KubectlError(f"error upgrading connection: error dialing backend: dial tcp "
                           f"{ip}:10250: connect: no route to host")
    uid = current["metadata"].get("uid", "")
    sandbox = kubelet.runtime.sandboxes.get(uid)
    transport = getattr(inv.ctx.host, "transport", None)
    if transport is not None and getattr(transport.client, "forwards", None) is None:
        transport = None      # only the workstation keeps listeners
    session = _Session(inv, namespace, pod_name, uid, node,
                       sandbox.id if sandbox is not None else "",
                       bool(spec.get("hostNetwork")), transport)
    try:
        if not _listen(session, listen, forwards):
            raise KubectlError("unable to listen on any of the requested ports: "
                               + "[" + " ".join(f"{{{loc} {rem}}}" for loc, rem in forwards)
                               + "]")
        return (yield from _serve(inv, session))
    finally:
        session.close()


def _bind_error(session: _Session, addr: _Address, port: int) -> str:
    """Why ``net.Listen`` fails on the learner's laptop, or ""."""
    if addr.protocol == "tcp4":
        local = addr.ipv4 == 0 or (addr.ipv4 >> 24) == 127 or addr.ipv4 == int(
            ipaddress.IPv4Address(WORKSTATION_IP))
    else:
        local = addr.address in ("::", "::1") or ipaddress.IPv6Address(addr.address) in (
            ipaddress.IPv6Address("::"), ipaddress.IPv6Address("::1"))
    if not local:
        return "bind: cannot assign requested address"
    if 0 < port < _UNPRIVILEGED_START:
        return "bind: permission denied"
    taken = session.transport.forwarded_ports() if session.transport is not None else []
    if port in taken or port in session.ports:
        return "bind: address already in use"
    return ""


def _random_port(session: _Session) -> int:
    rng = session.inv.factory.cluster.streams("kubectl/port-forward")
    taken = set(session.transport.forwarded_ports()) if session.transport is not None else set()
    while True:
        port = rng.randint(*_EPHEMERAL)
        if port not in taken and port not in session.ports:
            return port


def _listen(session: _Session, listen: list[_Address], forwards: list[list[int]]) -> bool:
    """client-go ``forward``/``listenOnPort``: print each listener, report the failures."""
    success = False
    for pair in forwards:
        errors: list[str] = []
        ok_modes: dict[str, int] = {}
        failed_modes: dict[str, int] = {}
        bound = False
        for addr in listen:
            if pair[0] == 0:
                pair[0] = _random_port(session)
            problem = _bind_error(session, addr, pair[0])
            if problem:
                errors.append(f"unable to create listener: Error listen {addr.protocol} "
                              f"{_join_host_port(addr.address, pair[0])}: {problem}")
                failed_modes[addr.failure_mode] = failed_modes.get(addr.failure_mode, 0) + 1
                continue
            ok_modes[addr.failure_mode] = ok_modes.get(addr.failure_mode, 0) + 1
            session.write_out(f"Forwarding from {_join_host_port(addr.address, pair[0])} -> "
                              f"{pair[1]}\n")
            bound = True
        if bound:
            # A listener that was created keeps accepting, even when its port "failed".
            _add(session, pair[0], pair[1])
        failed = (ok_modes.get("all", 0) == 0 and failed_modes.get("all", 0) > 0) or \
            failed_modes.get("any", 0) > 0
        if failed:
            session.write_err(f"Unable to listen on port {pair[0]}: Listeners failed to "
                              f"create with the following errors: [{' '.join(errors)}]\n")
        else:
            success = True
    return success


def _add(session: _Session, local: int, remote: int) -> None:
    session.ports[local] = remote
    if session.transport is not None:
        session.transport.add_forward(local, session.namespace, session.pod, remote,
                                      on_connect=session.hook(local, remote))


def _serve(inv: Invocation, session: _Session) -> Generator[Any, Any, int]:
    """Wait for Ctrl-C (the line's deadline) or a lost connection; connections are served
    by the network meanwhile."""
    ctx = inv.ctx
    factory = inv.factory
    while not session.lost:
        if ctx.extra.get("background"):
            yield Sleep(_POLL)
        elif ctx.extra.get("deadline") is not None:
            if not (yield from bounded_sleep(ctx, _POLL)):
                return 0
        else:
            remaining = factory.deadline() - factory.now
            if remaining <= 0:
                return 0
            yield Sleep(min(_POLL, remaining))
    raise Silent()
