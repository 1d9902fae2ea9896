"""The official ``nginx`` image (docker-library/nginx): the talk's web server.

What a learner sees of it:

- ``nginx -g 'daemon off;'`` as PID 1, listening on port 80 a few milliseconds after exec;
- the default site: ``/`` and ``/index.html`` serve the welcome page (612 bytes up to 1.19,
  615 bytes with the ``color-scheme`` style from 1.21 on), anything else the 404 page;
  ``Server: nginx/<version>`` — what the talk's ``curl -s -I … | grep server`` watches change
  during the rolling update from 1.10 to 1.11;
- access log lines on stdout in the ``main`` format; start-up and shutdown notices on stderr for
  images from 1.19 on (their ``error_log`` level is ``notice`` and ``/docker-entrypoint.sh``
  prints what it configures), nothing for the old 1.10/1.11 images (level ``warn``);
- stopping: the old images stop with SIGTERM (fast shutdown), the new ones with SIGQUIT
  (``STOPSIGNAL SIGQUIT``, graceful); either way the master exits 0 within milliseconds.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from ..sim.process import Command, ExecContext, Proc, spawn
from ..sim.timefmt import to_datetime
from .base import SIGQUIT, SIGTERM, HTTPRequest, HTTPResponse, Server, SignalAction

__all__ = ["Nginx", "welcome_page"]

_OLD_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
    body {
        width: 35em;
        margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif;
    }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

_NEW_PAGE = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""

# When each release's html/index.html was built into the image (Last-Modified / ETag).
_RELEASED = {
    "1.10.3": 1485874871, "1.11.13": 1491318117, "1.12.2": 1508251010,
    "1.13.12": 1523374290, "1.14.2": 1543935617, "1.15.12": 1555343200,
    "1.16.1": 1565708418, "1.17.10": 1586877823, "1.18.0": 1587484800,
    "1.19.10": 1618317600, "1.20.2": 1637078400, "1.21.6": 1643731200,
    "1.22.1": 1666051200, "1.23.4": 1679443200, "1.24.0": 1681171200,
    "1.25.5": 1713225600, "1.26.3": 1738627200, "1.27.5": 1744675200,
    "1.28.0": 1745280000, "1.29.1": 1755043200,
}


@functools.lru_cache(maxsize=256)
def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def welcome_page(version: str) -> bytes:
    return (_NEW_PAGE if _version_tuple(version) >= (1, 21) else _OLD_PAGE).encode()


def _error_page(version: str, status: int, text: str) -> bytes:
    body = "<body>" if _version_tuple(version) >= (1, 19) else '<body bgcolor="white">'
    return (f"<html>\r\n<head><title>{status} {text}</title></head>\r\n{body}\r\n"
            f"<center><h1>{status} {text}</h1></center>\r\n<hr><center>nginx/{version}"
            "</center>\r\n</body>\r\n</html>\r\n").encode()


_DATE_CACHE: list = [-1, ""]
_LOG_CACHE: list = [-1, ""]


def http_date(ns: int) -> str:
    """RFC 9110 IMF-fixdate (``Date``, ``Last-Modified``); cached per second because every
    response of a load run asks for it."""
    second = ns // 1_000_000_000
    if _DATE_CACHE[0] != second:
        _DATE_CACHE[0] = second
        _DATE_CACHE[1] = to_datetime(second * 1_000_000_000).strftime(
            "%a, %d %b %Y %H:%M:%S GMT")
    return _DATE_CACHE[1]


def _log_time(ns: int) -> str:
    second = ns // 1_000_000_000
    if _LOG_CACHE[0] != second:
        _LOG_CACHE[0] = second
        _LOG_CACHE[1] = to_datetime(second * 1_000_000_000).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return _LOG_CACHE[1]


def _error_time(ns: int) -> str:
    return to_datetime(ns).strftime("%Y/%m/%d %H:%M:%S")


class Nginx(Server):
    server_names = ("nginx", "nginx-debug", "docker-entrypoint.sh")
    ports = (80,)
    startup = 8_000_000

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        self.version: str = container.image.image.version
        self.modern = _version_tuple(self.version) >= (1, 19)
        self.worker_pids: list[int] = []
        self._second = -1
        self._date = ""
        self._logtime = ""
        self._responses: dict[tuple[str, str], tuple[int, int, tuple[HTTPResponse, ...]]] = {}
        self._log_parts: dict[int, tuple[HTTPRequest, str, str, str, tuple[str, str]]] = {}
        self._log_pending: list[str] = []
        self._log_instant = -1
        # the latency stream's bound ``random``, taken at the first request: most pods of a
        # big rollout never serve one
        self._random: Callable[[], float] | None = None

    @classmethod
    def image_binaries(cls, image: Any) -> Mapping[str, Command]:
        version = image.version
        out: dict[str, Command] = {"/usr/sbin/nginx": _nginx_cli(version)}
        if _version_tuple(version) >= (1, 19):
            out["/docker-entrypoint.sh"] = _entrypoint_cli
        return out

    def main(self, ctx: ExecContext, argv: list[str]) -> Proc:
        if argv and argv[0].endswith("docker-entrypoint.sh"):
            rest = argv[1:]
            if rest and rest[0] in ("nginx", "nginx-debug"):
                self._entrypoint_logs(ctx)
            if not rest:
                return 0
            self.argv = rest
            return (yield from super().main(ctx, rest))
        return (yield from super().main(ctx, argv))

    def _entrypoint_logs(self, ctx: ExecContext) -> None:
        out = ctx.stdout
        out.write("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to "
                  "perform configuration\n")
        out.write("/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n")
        out.write("/docker-entrypoint.sh: Launching "
                  "/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n")
        out.write("10-listen-on-ipv6-by-default.sh: info: Getting the checksum of "
                  "/etc/nginx/conf.d/default.conf\n")
        out.write("10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in "
                  "/etc/nginx/conf.d/default.conf\n")
        out.write("/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh\n")
        out.write("/docker-entrypoint.sh: Launching "
                  "/docker-entrypoint.d/20-envsubst-on-templates.sh\n")
        out.write("/docker-entrypoint.sh: Launching "
                  "/docker-entrypoint.d/30-tune-worker-processes.sh\n")
        out.write("/docker-entrypoint.sh: Configuration complete; ready for start up\n")

    def started(self, ctx: ExecContext) -> None:
        if not self.modern:
            return
        now = self.container.loop.now
        t = _error_time(now)
        cpus = int(getattr(self.container, "cpus", 1) or 1)
        self.worker_pids = [29 + i for i in range(cpus)]
        err = ctx.stderr
        err.write(f'{t} [notice] 1#1: using the "epoll" event method\n')
        err.write(f"{t} [notice] 1#1: nginx/{self.version}\n")
        err.write(f"{t} [notice] 1#1: built by gcc 14.2.0 (Debian 14.2.0-19) \n")
        err.write(f"{t} [notice] 1#1: OS: Linux {self.container.kernel_version}\n")
        err.write(f"{t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576\n")
        err.write(f"{t} [notice] 1#1: start worker processes\n")
        for pid in self.worker_pids:
            err.write(f"{t} [notice] 1#1: start worker process {pid}\n")

    def stop_action(self, signal: int) -> SignalAction | None:
        if signal not in (SIGTERM, SIGQUIT, 2):
            return None
        if self.modern:
            t = _error_time(self.container.loop.now)
            err = self.container.stderr
            if signal == SIGQUIT:
                err.write(f"{t} [notice] 1#1: signal 3 (SIGQUIT) received, shutting down\n")
                for pid in self.worker_pids:
                    err.write(f"{t} [notice] {pid}#{pid}: gracefully shutting down\n")
                    err.write(f"{t} [notice] {pid}#{pid}: exiting\n")
                    err.write(f"{t} [notice] {pid}#{pid}: exit\n")
            else:
                err.write(f"{t} [notice] 1#1: signal {signal} (SIGTERM) received, exiting\n")
                for pid in self.worker_pids:
                    err.write(f"{t} [notice] {pid}#{pid}: exiting\n")
                    err.write(f"{t} [notice] {pid}#{pid}: exit\n")
            for pid in self.worker_pids:
                err.write(f"{t} [notice] 1#1: signal 17 (SIGCHLD) received from {pid}\n")
                err.write(f"{t} [notice] 1#1: worker process {pid} exited with code 0\n")
            err.write(f"{t} [notice] 1#1: exit\n")
        return SignalAction(3_000_000 if signal == SIGQUIT else 1_000_000, 0)

    # ------------------------------------------------------------------ http

    @property
    def keepalive_requests(self) -> int:
        """``keepalive_requests``: 100 until 1.19.10 raised the default to 1000 — after that
        many requests nginx closes a keep-alive connection."""
        return 1000 if _version_tuple(self.version) >= (1, 19, 10) else 100

    @property
    def workers(self) -> int:
        """The image's ``worker_processes``: 1 in the old nginx.conf, ``auto`` later."""
        return int(getattr(self.container, "cpus", 1) or 1) if self.modern else 1

    def http_reason(self, status: int) -> str:
        return _STATUS_LINES.get(status, "")

    def _build(self, method: str, path: str, date: str) -> tuple[int, tuple, bytes, int]:
        """``(status, headers, body, bytes sent)`` of the default site for one request."""
        version = self.version
        common = (("Server", f"nginx/{version}"), ("Date", date))
        static = path in ("/", "/index.html")
        if method not in ("GET", "HEAD", "POST") or (method == "POST" and static):
            # ngx_http_static_handler: other methods are never allowed; POST only once the
            # file is found.
            status = 405
            body = _error_page(version, 405, "Not Allowed")
            headers = (*common, ("Content-Type", "text/html"),
                       ("Content-Length", str(len(body))), ("Connection", "keep-alive"))
        elif static:
            status = 200
            body = welcome_page(version)
            mtime = _RELEASED.get(version, 1500000000)
            headers = (*common, ("Content-Type", "text/html"),
                       ("Content-Length", str(len(body))),
                       ("Last-Modified", _mtime_date(mtime)),
                       ("Connection", "keep-alive"),
                       ("ETag", f'"{mtime:x}-{len(body):x}"'),
                       ("Accept-Ranges", "bytes"))
        else:
            status = 404
            body = _error_page(version, 404, "Not Found")
            headers = (*common, ("Content-Type", "text/html"),
                       ("Content-Length", str(len(body))), ("Connection", "keep-alive"))
        if method == "HEAD":
            return status, headers, b"", 0
        return status, headers, body, len(body)

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        loop = self.container.loop
        now = loop.now
        if not (self.serving and not self.exited and request.port in self.ports
                and now >= self.ready_at):
            raise ConnectionRefusedError("connection refused")
        second = now // 1_000_000_000
        if second != self._second:
            # Responses differ only by their Date header within a second: build each once.
            self._second = second
            self._date = http_date(now)
            self._logtime = _log_time(now)
            self._responses = {}
        parts = self._log_parts.get(id(request))
        if parts is None or parts[0] is not request:
            # What depends on the request alone (the response cache key, the log line's
            # pieces) is kept per request object: a load run sends the same one over and over.
            method = request.method.upper()
            agent = request.header("User-Agent", "-") or "-"
            referer = request.header("Referer", "-") or "-"
            forwarded = request.header("X-Forwarded-For", "-") or "-"
            if len(self._log_parts) > 64:
                self._log_parts.clear()
            parts = self._log_parts[id(request)] = (
                request, f"{request.client_ip or '-'} - - [",
                f'] "{method} {request.path} HTTP/1.1" ',
                f' "{referer}" "{agent}" "{forwarded}"\n', (method, request.path))
        key = parts[4]
        cached = self._responses.get(key)
        if cached is None:
            method, path = key
            status, headers, body, sent = self._build(
                method, path.split("?", 1)[0], self._date)
            # A small static file costs ~50–70 µs of one core (15–20k requests/s per
            # worker); the noise is drawn in 16 steps so that answers can be shared.
            variants = tuple(HTTPResponse(status, headers, body, latency=cpu + 30_000,
                                          cpu=cpu)
                             for cpu in range(50_000, 70_000, 1_250))
            cached = self._responses[key] = (status, sent, variants)
        status, sent, variants = cached
        line = f"{parts[1]}{self._logtime}{parts[2]}{status} {sent}{parts[3]}"
        if now != self._log_instant:
            self._flush_log()
            self._log_instant = now
            self.container.stdout.write(line)
        else:
            # Many requests served at one instant (a load run's slice): their lines reach the
            # container log together, with the same timestamp, once the loop moves on.
            if not self._log_pending:
                loop.call_soon(self._flush_log)
            self._log_pending.append(line)
        random = self._random
        if random is None:
            random = self._random = self.container.rng("nginx/latency").random
        return variants[int(random() * 16)]

    def _flush_log(self) -> None:
        lines, self._log_pending = self._log_pending, []
        if lines:
            self.container.stdout.write("".join(lines))

    def on_exit(self) -> None:
        self._flush_log()
        super().on_exit()


#: ngx_http_status_lines (src/http/ngx_http_header_filter_module.c)
_STATUS_LINES = {
    200: "OK", 201: "Created", 202: "Accepted", 204: "No Content", 206: "Partial Content",
    301: "Moved Permanently", 302: "Moved Temporarily", 303: "See Other",
    304: "Not Modified", 307: "Temporary Redirect", 308: "Permanent Redirect",
    400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
    404: "Not Found", 405: "Not Allowed", 406: "Not Acceptable", 408: "Request Time-out",
    409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
    413: "Request Entity Too Large", 414: "Request-URI Too Large",
    415: "Unsupported Media Type", 416: "Requested Range Not Satisfiable",
    421: "Misdirected Request", 429: "Too Many Requests", 500: "Internal Server Error",
    501: "Not Implemented", 502: "Bad Gateway", 503: "Service Temporarily Unavailable",
    504: "Gateway Time-out", 505: "HTTP Version Not Supported", 507: "Insufficient Storage",
}


@functools.lru_cache(maxsize=64)
def _mtime_date(mtime: int) -> str:
    return to_datetime(mtime * 1_000_000_000).strftime("%a, %d %b %Y %H:%M:%S GMT")


def _nginx_cli(version: str) -> Command:
    def run(ctx: ExecContext, argv: list[str]) -> Proc:
        args = argv[1:]
        if "-v" in args or "-V" in args:
            ctx.stderr.write(f"nginx version: nginx/{version}\n")
            return 0
        if "-t" in args or "-T" in args:
            ctx.stderr.write("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\n"
                             "nginx: configuration file /etc/nginx/nginx.conf test is "
                             "successful\n")
            return 0
        if "-s" in args:
            return 0
        app = getattr(ctx.host, "app", None)
        proc = app.adopt(ctx, argv) if isinstance(app, Nginx) else None
        if proc is not None:
            if any("daemon off" in a for a in args):
                return (yield from proc)
            # ``daemon on`` (nginx.conf's default): the master forks into the background
            # and the command returns at once.
            spawn(ctx.loop, proc)
            return 0
        t = _error_time(ctx.now)
        ctx.stderr.write(f"nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in "
                         f"use)\n{t} [emerg] 1#1: still could not bind()\n")
        return 1

    return run


def _entrypoint_cli(ctx: ExecContext, argv: list[str]) -> Proc:
    rest = argv[1:]
    if not rest:
        return 0
    table = getattr(ctx.host, "commands", None)
    path = table.locate(rest[0], ctx.cwd) if table is not None else None
    if path is None:
        ctx.stderr.write(f"/docker-entrypoint.sh: exec: line 47: {rest[0]}: not found\n")
        return 127
    return (yield from table.binaries[path](ctx, rest))
