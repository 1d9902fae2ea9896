"""``registry.ioros.com/coam/test.web:0.0.1``: the talk's CPU-bound web app for the HPA demo.

nginx in front of php-fpm serving ``pi.php``: every request computes digits of π and burns
about 60 ms of CPU (±10 %), so a ``while true; do wget -q -O- …; done`` loop drives the pod's
CPU well past the HPA's 30 % of its 100m request, and CPU use grows with the load. php-fpm's
default pool runs at most five children (``pm.max_children = 5``), so a pod computes at most
five requests at once (fewer with fewer cores or a CPU limit); the rest queue. PHP writes no
Content-Length, so nginx answers chunked: ``Server: nginx/1.14.2``, ``Date``,
``Content-Type: text/html; charset=UTF-8``, ``Transfer-Encoding: chunked``, ``Connection:
keep-alive``, ``X-Powered-By: PHP/7.2.34``. Idle, the pod uses about one millicore.
"""

from __future__ import annotations

from typing import Any

from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import _STATUS_LINES, http_date

__all__ = ["TestWeb"]

_PI = "3.14159265358979323846264338327950288419716939937510"
_BODY = (_PI + "\n").encode()


class TestWeb(Server):
    server_names = ("php-fpm-nginx",)
    ports = (80,)
    startup = 400_000_000
    #: php-fpm ``pm.max_children``
    workers = 5
    #: millicores used while idle (php-fpm's process manager, nginx)
    idle_cpu = 1.0
    keepalive_requests = 100
    #: CPU time one request costs on average (ns)
    request_cpu = 60_000_000

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        self._rng = container.rng("testweb/latency")

    def stop_action(self, signal: int) -> SignalAction | None:
        return SignalAction(200_000_000, 0)

    def http_reason(self, status: int) -> str:
        return _STATUS_LINES.get(status, "")

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        cpu = int(self.request_cpu * (0.9 + 0.2 * self._rng.random()))
        latency = cpu + 1_000_000 + int(self._rng.random() * 3_000_000)
        headers = (("Server", "nginx/1.14.2"),
                   ("Date", http_date(self.container.loop.now + latency)),
                   ("Content-Type", "text/html; charset=UTF-8"),
                   ("Transfer-Encoding", "chunked"), ("Connection", "keep-alive"),
                   ("X-Powered-By", "PHP/7.2.34"))
        body = b"" if request.method.upper() == "HEAD" else _BODY
        return HTTPResponse(200, headers, body, latency=latency, cpu=cpu)
