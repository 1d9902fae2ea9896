"""``dustise/flaskapp``: the Istio book's two-version demo app, as ``latest`` is today.

Era chosen: the image ``docker pull dustise/flaskapp`` gives now (``fleeto/flaskapp`` since the
2018-12 move to ``tiangolo/uwsgi-nginx-flask:python3.7-alpine3.8``; ``app/main.py`` at
f40fa9d, istio.md §6.1), so the app sits behind that image's nginx:

- ``/`` → ``I am FINE!``;
- ``/env/<name>`` → the value of an environment variable, **no trailing newline** — the talk's
  ``http --body http://flaskapp/env/version`` prints ``v1`` or ``v2`` from the Deployment's
  ``env``; an unset variable makes the view return None → Flask's 500 page;
- ``/fetch?url=<url>`` → fetches the URL with urllib *from the pod* (through its own transport:
  its resolver, its node's kube-proxy rules) and returns the raw body; a failed fetch (no such
  host, refused, an HTTP error status) is an unhandled exception → 500;
- ``/fetch_with_header?url=`` / ``/fetch_with_trace?url=`` → the same, propagating the tracing
  headers (``x-request-id``, ``x-b3-*``, ``x-ot-span-context``); the first answers
  ``json.dumps(<incoming headers>)`` + ``\\n`` + the fetched bytes as a Python bytes literal.

Headers are nginx's in front of uwsgi: ``Server: nginx/1.14.2`` (Alpine 3.8's package;
UNVERIFIED, see docs/realism.md), ``Date``, ``Content-Type: text/html; charset=utf-8``,
``Content-Length``, ``Connection: keep-alive``. The start-up and shutdown log lines are those
the image author of :mod:`k8slab.apps.images` chose.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..sim.process import ExecContext
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .httpbin import gunicorn_time
from .nginx import http_date

__all__ = ["FlaskApp"]

SERVER = "nginx/1.14.2"
_TRACE_HEADERS = ("x-request-id", "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid",
                  "x-b3-sampled", "x-b3-flags", "x-ot-span-context")

_NOT_FOUND = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found'
              b"</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server. "
              b" If you entered the URL manually please check your spelling and try again."
              b"</p>\n")
_SERVER_ERROR = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>500 '
                 b"Internal Server Error</title>\n<h1>Internal Server Error</h1>\n<p>The server "
                 b"encountered an internal error and was unable to complete your request. "
                 b"Either the server is overloaded or there is an error in the application."
                 b"</p>\n")


class FlaskApp(Server):
    server_names = ("gunicorn",)
    ports = (80,)
    startup = 700_000_000
    #: uwsgi's default single process in the tiangolo image serves one request at a time
    workers = 1

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        self._rng = container.rng("flaskapp/latency")
        self._cache: dict[int, tuple[HTTPRequest, int, HTTPResponse]] = {}

    def starting(self, ctx: ExecContext) -> None:
        t = gunicorn_time(self.container.loop.now)
        ctx.stderr.write(f"{t} [1] [INFO] Starting gunicorn 19.9.0\n")

    def started(self, ctx: ExecContext) -> None:
        t = gunicorn_time(self.container.loop.now)
        ctx.stderr.write(f"{t} [1] [INFO] Listening at: http://0.0.0.0:80 (1)\n")
        ctx.stderr.write(f"{t} [1] [INFO] Using worker: sync\n")
        ctx.stderr.write(f"{t} [9] [INFO] Booting worker with pid: 9\n")

    def stop_action(self, signal: int) -> SignalAction | None:
        t = gunicorn_time(self.container.loop.now)
        err = self.container.stderr
        err.write(f"{t} [1] [INFO] Handling signal: term\n")
        err.write(f"{t} [9] [INFO] Worker exiting (pid: 9)\n")
        err.write(f"{t} [1] [INFO] Shutting down: Master\n")
        return SignalAction(120_000_000, 0)

    def http_reason(self, status: int) -> str:
        from .nginx import _STATUS_LINES

        return _STATUS_LINES.get(status, "")

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        now = self.container.loop.now
        second = now // 1_000_000_000
        cached = self._cache.get(id(request))
        if cached is not None and cached[0] is request and cached[1] == second:
            return cached[2]
        path, _, query = request.path.partition("?")
        parts = [p for p in path.split("/") if p]
        cpu = 1_200_000 + int(self._rng.random() * 600_000)
        wait = 300_000
        repeatable = True
        if not parts:
            status, body = 200, b"I am FINE!"
        elif len(parts) == 2 and parts[0] == "env":
            value = self.container.env.get(parts[1])
            status, body = (500, _SERVER_ERROR) if value is None else (200, value.encode())
        elif len(parts) == 1 and parts[0] in ("fetch", "fetch_with_header",
                                              "fetch_with_trace"):
            repeatable = False
            status, body, spent = self._fetch(parts[0], request, query)
            wait += spent
        else:
            status, body = 404, _NOT_FOUND
        latency = cpu + wait
        headers = (("Server", SERVER), ("Date", http_date(now + latency)),
                   ("Content-Type", "text/html; charset=utf-8"),
                   ("Content-Length", str(len(body))), ("Connection", "keep-alive"))
        if request.method.upper() == "HEAD":
            body = b""
        response = HTTPResponse(status, headers, body, latency=latency, cpu=cpu)
        if repeatable:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[id(request)] = (request, second, response)
        return response

    def _fetch(self, route: str, request: HTTPRequest, query: str) -> tuple[int, bytes, int]:
        """urllib's ``urlopen(url)`` from inside the pod: ``(status, body, time spent)``."""
        from ..network.http import Request

        url = dict(parse_qsl(query, keep_blank_values=True)).get("url", "")
        transport = getattr(self.container, "transport", None)
        parts = urlsplit(url)
        if transport is None or parts.scheme not in ("http", "https") or not parts.hostname:
            return 500, _SERVER_ERROR, 0
        port = parts.port or (443 if parts.scheme == "https" else 80)
        host = parts.hostname
        authority = host if parts.port is None else f"{host}:{parts.port}"
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = [("Accept-Encoding", "identity"), ("Host", authority),
                   ("User-Agent", "Python-urllib/3.7"), ("Connection", "close")]
        if route != "fetch":
            for name in _TRACE_HEADERS:
                value = request.header(name)
                if value:
                    headers.append((name, value))
        ex = transport.exchange(Request("GET", parts.scheme, host, port, target, headers))
        if ex.response is None or ex.response.status >= 400:
            return 500, _SERVER_ERROR, ex.total
        fetched = ex.response.body
        if route == "fetch_with_header":
            incoming = {k: v for k, v in request.headers.items()}
            text = f"{json.dumps(incoming)}\n{fetched!r}"
            return 200, text.encode(), ex.total
        return 200, fetched, ex.total
