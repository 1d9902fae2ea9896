"""``registry.ioros.com/coam/test.web:0.0.1``: the talk's CPU-bound web app for the HPA demo.

Every request computes digits of π (the talk's ``pi.php``) and burns about 60 ms of CPU, so a
``while true; do wget -q -O- …; done`` loop drives the pod's CPU past the HPA's 30 % target.
It listens on port 80 (php-fpm behind nginx) and runs until killed.
"""

from __future__ import annotations

from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import http_date

__all__ = ["TestWeb"]

_PI = "3.14159265358979323846264338327950288419716939937510"


class TestWeb(Server):
    server_names = ("php-fpm-nginx",)
    ports = (80,)
    startup = 400_000_000
    #: CPU time one request costs (ns)
    request_cpu = 60_000_000

    def stop_action(self, signal: int) -> SignalAction | None:
        return SignalAction(200_000_000, 0)

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        body = (_PI + "\n").encode()
        rng = self.container.rng("testweb/latency")
        latency = self.request_cpu + int(rng.uniform(1_000_000, 4_000_000))
        headers = (("Server", "nginx/1.14.2"),
                   ("Date", http_date(self.container.loop.now + latency)),
                   ("Content-Type", "text/html; charset=UTF-8"),
                   ("Content-Length", str(len(body))), ("Connection", "keep-alive"),
                   ("X-Powered-By", "PHP/7.2.34"))
        if request.method.upper() == "HEAD":
            body = b""
        return HTTPResponse(200, headers, body, latency=latency, cpu=self.request_cpu)
