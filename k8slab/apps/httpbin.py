"""``kennethreitz/httpbin``: HTTP request & response service, behind gunicorn on port 80.

The talk uses it for circuit breaking, retries and timeouts: ``/get``, ``/ip``,
``/status/<code>``, ``/delay/<seconds>``. Responses are Flask's pretty-printed JSON (two-space
indent, sorted keys, trailing newline) with ``Server: gunicorn/19.9.0`` and the CORS headers
httpbin adds. gunicorn logs start-up and shutdown on stderr and no access log.
"""

from __future__ import annotations

import json
from typing import Any

from ..sim.process import ExecContext
from ..sim.timefmt import to_datetime
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import http_date

__all__ = ["HttpBin", "gunicorn_time"]

_REASONS = {200: "OK", 201: "CREATED", 204: "NO CONTENT", 400: "BAD REQUEST",
            404: "NOT FOUND", 418: "I'M A TEAPOT", 500: "INTERNAL SERVER ERROR",
            502: "BAD GATEWAY", 503: "SERVICE UNAVAILABLE", 504: "GATEWAY TIMEOUT"}


def gunicorn_time(ns: int) -> str:
    return to_datetime(ns).strftime("[%Y-%m-%d %H:%M:%S +0000]")


class HttpBin(Server):
    server_names = ("gunicorn",)
    ports = (80,)
    startup = 900_000_000
    worker_pid = 8

    def starting(self, ctx: ExecContext) -> None:
        t = gunicorn_time(self.container.loop.now)
        ctx.stderr.write(f"{t} [1] [INFO] Starting gunicorn 19.9.0\n")

    def started(self, ctx: ExecContext) -> None:
        t = gunicorn_time(self.container.loop.now)
        ctx.stderr.write(f"{t} [1] [INFO] Listening at: http://0.0.0.0:80 (1)\n")
        ctx.stderr.write(f"{t} [1] [INFO] Using worker: gevent\n")
        ctx.stderr.write(f"{t} [{self.worker_pid}] [INFO] Booting worker with pid: "
                         f"{self.worker_pid}\n")

    def stop_action(self, signal: int) -> SignalAction | None:
        t = gunicorn_time(self.container.loop.now)
        err = self.container.stderr
        name = {15: "term", 2: "int", 3: "quit"}.get(signal, str(signal))
        err.write(f"{t} [1] [INFO] Handling signal: {name}\n")
        err.write(f"{t} [{self.worker_pid}] [INFO] Worker exiting (pid: {self.worker_pid})\n")
        err.write(f"{t} [1] [INFO] Shutting down: Master\n")
        return SignalAction(150_000_000, 0)

    def _json(self, data: Any, status: int = 200) -> tuple[int, str, bytes]:
        return status, "application/json", (json.dumps(data, indent=2, sort_keys=True)
                                             + "\n").encode()

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        path, _, query = request.path.partition("?")
        parts = [p for p in path.split("/") if p]
        headers = {k.title(): v for k, v in request.headers.items()}
        host = request.header("Host") or request.host
        url = f"{request.scheme}://{host}{request.path}"
        args: dict[str, str] = {}
        for item in query.split("&") if query else []:
            k, _, v = item.partition("=")
            args[k] = v
        latency = int(self.container.rng("httpbin/latency").uniform(800_000, 2_500_000))
        status, ctype, body = 200, "text/html; charset=utf-8", b""
        if not parts:
            body = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"UTF-8\">"
                    b"\n    <title>httpbin.org</title>\n</head>\n<body>\n</body>\n</html>\n")
        elif parts == ["ip"]:
            status, ctype, body = self._json({"origin": request.client_ip})
        elif parts == ["user-agent"]:
            status, ctype, body = self._json({"user-agent": request.header("User-Agent")})
        elif parts == ["headers"]:
            status, ctype, body = self._json({"headers": headers})
        elif parts[0] in ("get", "anything") and (len(parts) == 1 or parts[0] == "anything"):
            status, ctype, body = self._json({"args": args, "headers": headers,
                                              "origin": request.client_ip, "url": url})
        elif parts[0] == "status" and len(parts) == 2:
            try:
                status = int(parts[1].split(",")[0])
            except ValueError:
                status, body = 400, b"Invalid status code"
            if status == 418:
                body = (b"\n    -=[ teapot ]=-\n\n       _...._\n     .'  _ _ `.\n    | .\"` ^ "
                        b"`\". _,\n    \\_;`\"---\"`|//\n      |       ;/\n      \\_     _/\n"
                        b"        `\"\"\"`\n")
        elif parts[0] == "delay" and len(parts) == 2:
            try:
                seconds = min(float(parts[1]), 10.0)
            except ValueError:
                seconds = 0.0
            latency += int(seconds * 1_000_000_000)
            status, ctype, body = self._json({"args": args, "data": "", "files": {},
                                              "form": {}, "headers": headers,
                                              "origin": request.client_ip, "url": url})
        else:
            status = 404
            body = (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not '
                    b"Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on "
                    b"the server.  If you entered the URL manually please check your spelling "
                    b"and try again.</p>\n")
        out = [("Server", "gunicorn/19.9.0"),
               ("Date", http_date(self.container.loop.now + latency)),
               ("Connection", "keep-alive"), ("Content-Type", ctype),
               ("Content-Length", str(len(body))), ("Access-Control-Allow-Origin", "*"),
               ("Access-Control-Allow-Credentials", "true")]
        if request.method.upper() == "HEAD":
            body = b""
        return HTTPResponse(status, tuple(out), body, latency=latency, cpu=900_000)
