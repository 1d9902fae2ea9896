"""Transports: the :class:`~k8slab.network.http.Transport` of the workstation, a node, a pod.

A tool reaches the network through ``ctx.host.transport``:

- the workstation's (``Workstation.transport``) resolves with the laptop's resolver (its
  ``/etc/hosts``, then the lab DNS over the VPN, cached 30 s) and dials from ``10.8.0.2``;
- a container's (``Container.transport``, via the runtime's ``transport_factory``) reads the
  container's own ``/etc/hosts`` and ``/etc/resolv.conf`` and dials from the pod IP (the node
  IP for host-network pods);
- a node's (:meth:`Network.node_transport`) is the host's, used by kubelet probes.

:meth:`HostTransport.exchange` serves the request at the instant it is sent and returns the
phase timings (DNS, connect, first byte, total) — the tool then sleeps ``Exchange.total``.
:meth:`HostTransport.run_load` is the concurrent engine of :mod:`.load`.
:meth:`HostTransport.probe` opens and closes one connection (wrk's pre-flight check).

For ``kubectl port-forward`` the workstation transport keeps local listeners:
:meth:`HostTransport.add_forward` makes ``localhost:<local port>`` on the workstation lead into
the pod's ``localhost:<pod port>`` until :meth:`HostTransport.remove_forward`;
:meth:`~k8slab.network.model.Network.pod_port` tells whether anything listens there.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ..apps.base import HTTPResponse
from .http import REASONS, Exchange, LoadSpec, NetError, Request, Response, Sample
from .model import Client, Conn, Failure, net_error

if TYPE_CHECKING:
    from .model import Network

__all__ = ["HostTransport", "reason_for", "to_response", "transfer_time"]

#: response bytes per ns: ~50 Mbit/s over the VPN, ~1 Gbit/s inside the node network
WAN_NS_PER_BYTE = 160
LAN_NS_PER_BYTE = 8

_GO_TLS_BODY = b"Client sent an HTTP request to an HTTPS server.\n"


def transfer_time(nbytes: int, client: Client) -> int:
    return nbytes * (LAN_NS_PER_BYTE if client.in_cluster else WAN_NS_PER_BYTE)


def reason_for(app: Any, status: int) -> str:
    """The reason phrase the server writes (nginx says ``405 Not Allowed``, gunicorn under
    Werkzeug 0.14 upper-cases ``NOT FOUND``): the app's ``http_reason(status)`` when it has
    one, else RFC 9110's."""
    fn = getattr(app, "http_reason", None)
    if fn is not None:
        text = fn(status)
        if text:
            return str(text)
    return REASONS.get(status, "")


def to_response(app: Any, r: HTTPResponse) -> Response:
    return Response(r.status, list(r.headers), r.body, reason_for(app, r.status) or " ")


class HostTransport:
    """Network access from one machine (see the module docstring)."""

    def __init__(self, network: Network, client: Client) -> None:
        self.network = network
        self.client = client
        self._servers: dict[str, int] = {}

    # ------------------------------------------------------------------ names

    def resolve(self, name: str) -> list[str]:
        ips, _elapsed, failure = self.client.resolver.resolve(name)
        if failure or not ips:
            raise NetError("dns", host=name)
        return ips

    # ------------------------------------------------------------------ one request

    def _log(self, conn: Conn | None, status: int, server: str, latency: int,
             error: str = "") -> None:
        log = self.network.log
        sid = self._servers.get(server)
        if sid is None:
            sid = self._servers[server] = log.intern(server)
        log.append(self.network.loop.now, self.client.log_id,
                   conn.service_id if conn is not None else 0,
                   conn.backend_id if conn is not None else 0, status, sid, latency,
                   log.intern(error) if error else 0)

    def exchange(self, request: Request, *, connect_timeout: int | None = None,
                 timeout: int | None = None) -> Exchange:
        """Send ``request`` on a new connection; never raises for network failures."""
        client = self.client
        ex = Exchange(request)
        ips, dns, failure = client.resolver.resolve(request.host)
        ex.dns = dns
        limit = connect_timeout or timeout
        if failure or not ips:
            ex.error = NetError("dns", host=request.host)
            ex.total = dns if limit is None else min(dns, limit)
            self._log(None, 0, "", ex.total, "dns")
            return ex
        ip = ips[0]
        port = request.port
        ex.remote_ip, ex.remote_port = ip, port
        ex.local_ip, ex.local_port = client.ip, client.ephemeral_port()
        result = self.network.dial(client, ip, port)
        if isinstance(result, Failure):
            return self._failed(ex, result, request, ip, limit)
        conn = result
        rtt = conn.rtt
        if limit is not None and dns + rtt > limit:
            return self._failed(ex, Failure("timeout", rtt), request, ip, limit)
        ex.connect = rtt
        if request.scheme == "https" and not conn.tls:
            ex.error = NetError("tls", host=request.host, ip=ip, port=port,
                                detail="wrong version number", phase="response")
            ex.total = dns + rtt * 2
            self._log(conn, 0, "", ex.total, "tls")
            return ex
        if request.scheme == "http" and conn.tls:
            response = Response(400, [], _GO_TLS_BODY, "Bad Request", "HTTP/1.0")
            ex.first_byte = rtt
            ex.total = dns + rtt * 2 + transfer_time(len(_GO_TLS_BODY), client)
            ex.response = response
            self._log(conn, 400, "", ex.total)
            return ex
        net = self.network
        http_request = net.http_request(conn, request)
        sent = net.loop.now + dns + rtt
        answer, server_time, fail = net.serve(conn, http_request, sent + rtt // 2)
        if answer is None:
            ex.error = NetError(fail or "reset", host=request.host, ip=ip, port=port,  # type: ignore[arg-type]
                                detail="Connection reset by peer", phase="response")
            ex.total = dns + rtt * 2
            self._log(conn, 0, "", ex.total, ex.error.kind)
            return ex
        ex.first_byte = rtt + server_time
        ex.total = dns + rtt + ex.first_byte + transfer_time(len(answer.body), client)
        if timeout is not None and ex.total > timeout:
            ex.error = NetError("timeout", host=request.host, ip=ip, port=port,
                                detail="Operation timed out", phase="response")
            ex.total = timeout
            self._log(conn, 0, "", timeout, "timeout")
            return ex
        ex.response = to_response(conn.app, answer)
        self._log(conn, answer.status, answer.header("Server"), ex.total)
        return ex

    def _failed(self, ex: Exchange, failure: Failure, request: Request, ip: str,
                limit: int | None) -> Exchange:
        elapsed = failure.elapsed
        if limit is not None and ex.dns + elapsed > limit:
            ex.error = NetError("timeout", host=request.host, ip=ip, port=request.port,
                                detail="Connection timed out", phase="connect")
            ex.connect = max(0, limit - ex.dns)
            ex.total = limit
        else:
            ex.error = net_error(failure, request.host, ip, request.port)
            ex.connect = elapsed
            ex.total = ex.dns + elapsed
        self._log(None, 0, "", ex.total, ex.error.kind)
        return ex

    # ------------------------------------------------------------------ connections

    def probe(self, host: str, port: int) -> NetError | None:
        """Open and close one TCP connection (wrk's check before a run)."""
        ips, _dns, failure = self.client.resolver.resolve(host)
        if failure or not ips:
            return NetError("dns", host=host)
        result = self.network.dial(self.client, ips[0], port)
        if isinstance(result, Failure):
            return net_error(result, host, ips[0], port)
        return None

    def connect(self, host: str, port: int) -> Conn | NetError:
        """An established connection (for tools that hold one open), or why not."""
        ips, _dns, failure = self.client.resolver.resolve(host)
        if failure or not ips:
            return NetError("dns", host=host)
        result = self.network.dial(self.client, ips[0], port)
        if isinstance(result, Failure):
            return net_error(result, host, ips[0], port)
        return result

    # ------------------------------------------------------------------ load

    def run_load(self, spec: LoadSpec) -> Generator[Any, Any, list[Sample]]:
        from .load import run_load

        return (yield from run_load(self, spec))

    # ------------------------------------------------------------------ port-forward

    def add_forward(self, local_port: int, namespace: str, pod: str, pod_port: int,
                    on_connect: Any = None) -> None:
        """``kubectl port-forward``: ``localhost:<local_port>`` here leads to the pod's
        ``localhost:<pod_port>`` (workstation only). ``on_connect(ok)`` is called for each new
        connection, ``ok`` telling whether the pod's port answers (kubectl's ``Handling
        connection for …``)."""
        forwards = getattr(self.client, "forwards", None)
        if forwards is None:
            raise ValueError("port-forward listeners live on the workstation")
        forwards[int(local_port)] = (namespace, pod, int(pod_port))
        hooks = self.client.forward_hooks  # type: ignore[attr-defined]
        if on_connect is not None:
            hooks[int(local_port)] = on_connect
        else:
            hooks.pop(int(local_port), None)

    def remove_forward(self, local_port: int) -> None:
        forwards = getattr(self.client, "forwards", None)
        if forwards is not None:
            forwards.pop(int(local_port), None)
            self.client.forward_hooks.pop(int(local_port), None)  # type: ignore[attr-defined]

    def forwarded_ports(self) -> list[int]:
        """The local ports kubectl port-forward listens on now (ascending)."""
        return sorted(getattr(self.client, "forwards", None) or ())
