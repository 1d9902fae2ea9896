"""The ``traefik`` image (v3.5): the course's ingress controller, a Go reverse proxy.

Started as the Deployment of ``manifests/08-ingress/traefik.yaml`` runs it (``/entrypoint.sh``
prepends ``traefik`` to flag-only arguments), it listens on its entry points
(``--entryPoints.<name>.address=:<port>/tcp``; ``:80`` named ``http`` when none is given), answers
``/ping`` with ``OK`` on the ``traefik`` entry point when ``--ping`` is on (its probes), and
proxies everything else by the Ingress rules of its Kubernetes provider
(:mod:`k8slab.network.ingress`):

- no matching router → Go's ``http.NotFound``: ``404 page not found`` + newline,
  ``Content-Type: text/plain; charset=utf-8``, ``X-Content-Type-Options: nosniff``;
- a match → the request goes straight to one of the Service's ready pods (round robin), from
  the Traefik pod, with ``X-Forwarded-For``/``-Host``/``-Port``/``-Proto``/``-Server`` and
  ``X-Real-Ip`` added (and ``Accept-Encoding: gzip`` when the client sent none, as Go's
  transport does); the answer comes back with hop-by-hop headers removed and the rest in Go's
  order — canonical names (``Etag``) sorted alphabetically;
- the pod cannot be reached → ``502 Bad Gateway`` with body ``Bad Gateway``.
"""

from __future__ import annotations

from typing import Any

from ..sim.process import ExecContext, Proc
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import http_date

__all__ = ["Traefik", "canonical_header"]

_HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-authenticate",
                         "proxy-authorization", "te", "trailer", "transfer-encoding",
                         "upgrade", "proxy-connection"))
_NOT_FOUND = b"404 page not found\n"


def canonical_header(name: str) -> str:
    """Go's ``textproto.CanonicalMIMEHeaderKey``: ``etag`` → ``Etag``."""
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def _rfc3339(ns: int) -> str:
    from ..sim.timefmt import rfc3339

    return rfc3339(ns)


class Traefik(Server):
    server_names = ("traefik", "entrypoint.sh")
    startup = 800_000_000
    #: Go's net/http serves each connection on its own goroutine, on every core
    workers = None

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        from ..network.ingress import TraefikConfig

        self.config = TraefikConfig.from_args(argv)
        self.ports = tuple(sorted(set(self.config.entrypoints.values())))
        self._network: Any = None

    def main(self, ctx: ExecContext, argv: list[str]) -> Proc:
        if argv and argv[0].endswith("entrypoint.sh"):
            rest = argv[1:]
            if not rest or rest[0].startswith("-"):
                rest = ["traefik", *rest]
            self.argv = rest
            return (yield from super().main(ctx, rest))
        return (yield from super().main(ctx, argv))

    def _ingress(self) -> Any:
        transport = getattr(self.container, "transport", None)
        network = getattr(transport, "network", None)
        return network.ingress if network is not None else None

    def started(self, ctx: ExecContext) -> None:
        t = _rfc3339(self.container.loop.now)
        version = self.container.image.image.version
        ctx.stdout.write(f"{t} INF Traefik version {version} built on 2025-09-26T15:36:28Z "
                         f"version={version}\n")
        ingress = self._ingress()
        if ingress is not None:
            ingress.register(self)

    def on_exit(self) -> None:
        super().on_exit()
        ingress = self._ingress()
        if ingress is not None:
            ingress.unregister(self)

    def stop_action(self, signal: int) -> SignalAction | None:
        # Graceful: stop accepting, let in-flight requests finish (none last long here).
        return SignalAction(50_000_000, 0)

    def http_reason(self, status: int) -> str:
        from ..network.http import REASONS

        return REASONS.get(status, "")

    # ------------------------------------------------------------------ http

    def _text(self, status: int, body: bytes, extra: tuple[tuple[str, str], ...] = ()
              ) -> HTTPResponse:
        now = self.container.loop.now
        headers = (("Content-Type", "text/plain; charset=utf-8"), *extra,
                   ("Date", http_date(now)), ("Content-Length", str(len(body))))
        return HTTPResponse(status, headers, body, latency=60_000, cpu=40_000)

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        path = request.path.split("?", 1)[0]
        if request.port == self.config.entrypoints.get("traefik"):
            if path == "/ping" and self.config.ping:
                return self._text(200, b"OK")
            return self._text(404, _NOT_FOUND, (("X-Content-Type-Options", "nosniff"),))
        ingress = self._ingress()
        host = request.header("Host") or request.host
        found = ingress.route(host, request.path) if ingress is not None else None
        if found is None:
            return self._text(404, _NOT_FOUND, (("X-Content-Type-Options", "nosniff"),))
        _router, (ip, port) = found
        return self._proxy(request, ip, port)

    def _proxy(self, request: HTTPRequest, ip: str, port: int) -> HTTPResponse:
        from ..network.http import Request

        transport = self.container.transport
        host = request.header("Host") or request.host
        headers: list[tuple[str, str]] = []
        seen_encoding = False
        for name, value in request.headers.items():
            if name.lower() in _HOP_BY_HOP:
                continue
            if name.lower() == "accept-encoding":
                seen_encoding = True
            headers.append((canonical_header(name), value))
        if not seen_encoding:
            headers.append(("Accept-Encoding", "gzip"))
        forwarded = request.header("X-Forwarded-For")
        client = request.client_ip
        entry_port = host.rsplit(":", 1)[1] if ":" in host and not host.endswith("]") \
            else ("443" if request.scheme == "https" else "80")
        headers += [("X-Forwarded-For", f"{forwarded}, {client}" if forwarded else client),
                    ("X-Forwarded-Host", host), ("X-Forwarded-Port", entry_port),
                    ("X-Forwarded-Proto", request.scheme),
                    ("X-Forwarded-Server", getattr(self.container, "hostname", "traefik")),
                    ("X-Real-Ip", client)]
        upstream = Request(request.method, "http", ip, port, request.path, headers,
                           request.body)
        ex = transport.exchange(upstream)
        if ex.response is None:
            body = b"Bad Gateway"
            response = self._text(502, body)
            return HTTPResponse(502, response.headers, body, latency=ex.total + 100_000,
                                cpu=60_000)
        answer = ex.response
        out = sorted((canonical_header(n), v) for n, v in answer.headers
                     if n.lower() not in _HOP_BY_HOP)
        body = b"" if request.method.upper() == "HEAD" else answer.body
        return HTTPResponse(answer.status, tuple(out), body, latency=ex.total + 150_000,
                            cpu=100_000)
