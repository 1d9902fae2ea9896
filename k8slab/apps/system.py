"""Cluster images: the pod sandbox (``pause``), CoreDNS, etcd, the control-plane components,
kube-proxy and generic daemons (flannel, metrics-server).

They matter to the lab for what the kubelet and kubectl observe: they run until stopped, stop
cleanly on SIGTERM, listen on their well-known ports and answer their health endpoints, which is
what kubeadm's probes on the static pods (``/livez``, ``/readyz``, ``/healthz``, ``/health``)
and CoreDNS's Deployment probes (``:8080/health``, ``:8181/ready``) check.
"""

from __future__ import annotations

from typing import Any

from ..sim.process import ExecContext
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import http_date

__all__ = ["Component", "CoreDNS", "Daemon", "Etcd", "Pause"]

_PORTS = {
    "kube-apiserver": (6443,),
    "kube-controller-manager": (10257,),
    "kube-scheduler": (10259,),
    "kube-proxy": (10249, 10256),
}


def _text(app: Server, request: HTTPRequest, paths: dict[str, bytes],
          ctype: str = "text/plain; charset=utf-8") -> HTTPResponse:
    if not app.listening(request.port):
        raise ConnectionRefusedError("connection refused")
    path = request.path.split("?", 1)[0]
    body = paths.get(path)
    status = 200 if body is not None else 404
    if body is None:
        body = b"404 page not found\n"
    headers = (("Content-Type", ctype), ("Date", http_date(app.container.loop.now)),
               ("Content-Length", str(len(body))))
    return HTTPResponse(status, headers, body, latency=300_000, cpu=50_000)


class Pause(Server):
    """The sandbox's PID 1: holds the pod's namespaces and reaps zombies."""

    server_names = ("pause",)

    def stop_action(self, signal: int) -> SignalAction | None:
        return SignalAction(0, 0)


class CoreDNS(Server):
    server_names = ("coredns",)
    ports = (53, 8080, 8181, 9153)
    startup = 150_000_000

    def started(self, ctx: ExecContext) -> None:
        version = self.container.image.image.version
        ctx.stdout.write(".:53\n")
        ctx.stdout.write("[INFO] plugin/reload: Running configuration SHA512 = "
                         "591cf328cccc12bc490481273e738df59329c62c0b729d94e8b61db9961c2fa5f046dd"
                         "37f1cf888b953814040d180f52594972691cd6ff41be96639138a43908\n")
        ctx.stdout.write(f"CoreDNS-{version}\n")
        ctx.stdout.write("linux/amd64, go1.24.6, 8d6e3ee\n")

    def stop_action(self, signal: int) -> SignalAction | None:
        self.container.stdout.write("[INFO] SIGTERM: Shutting down servers then terminating\n")
        self.container.stdout.write("[INFO] plugin/health: Going into lameduck mode for 5s\n")
        return SignalAction(5_000_000_000, 0)

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if request.port == 8080:
            return _text(self, request, {"/health": b"OK"})
        if request.port == 8181:
            return _text(self, request, {"/ready": b"OK"})
        return _text(self, request, {"/metrics": b""})


class Etcd(Server):
    server_names = ("etcd",)
    ports = (2379, 2380, 2381)
    startup = 500_000_000

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        return _text(self, request, {"/health": b'{"health":"true","reason":""}',
                                     "/livez": b"ok", "/readyz": b"ok"})


class Component(Server):
    """kube-apiserver, kube-controller-manager, kube-scheduler, kube-proxy."""

    startup = 1_000_000_000

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        component = container.image.image.option("component", "")
        self.server_names = (component,)
        self.ports = _PORTS.get(component, ())

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        return _text(self, request, {"/healthz": b"ok", "/livez": b"ok", "/readyz": b"ok"})


class Daemon(Server):
    """Any long-running daemon: runs whatever it is told, listens on the image's ports."""

    startup = 300_000_000

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        self.ports = tuple(container.image.image.option("ports", ()))

    def runs(self, *names: str) -> bool:
        return True

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        return _text(self, request, {"/healthz": b"ok", "/livez": b"ok", "/readyz": b"ok"})
