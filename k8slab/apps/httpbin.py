"""``kennethreitz/httpbin``: HTTP request & response service, behind gunicorn on port 80.

The talk uses it for circuit breaking, retries and timeouts. Routes, following
``postmanlabs/httpbin`` 0.9.2 (``httpbin/core.py``, ``helpers.py``; istio.md §6.3):

- ``/get``, ``/anything[/…]``, ``/post``/``/put``/``/patch``/``/delete`` — ``args``,
  ``headers`` (the env headers such as ``X-Forwarded-For`` hidden unless ``?show_env=1``),
  ``origin`` (``X-Forwarded-For`` or the peer address), ``url``, and the body fields;
  ``/ip``, ``/headers``, ``/user-agent``, ``/uuid``;
- ``/status/<code>`` — that status with an empty body; ``200,500`` or ``200:0.7,500:0.3``
  picks one (weighted) per request; 418 answers the teapot and ``x-more-info``, 3xx a
  ``location: /redirect/1``, 401/407 the auth challenges (those replace the headers, so
  Content-Type vanishes and Content-Length comes last); a non-number is ``400 Invalid status
  code``;
- ``/delay/<n>`` — waits ``min(n, 10)`` seconds (no CPU), then the ``/get`` JSON;
- unknown routes → werkzeug's 404 page, wrong methods → 405 with ``Allow``.

Responses are Flask's pretty JSON (two-space indent, sorted keys, trailing newline) behind
gunicorn's ``Server: gunicorn/19.9.0``, ``Date``, ``Connection`` (the gevent worker keeps
connections alive), then the app's headers and httpbin's CORS pair
(``Access-Control-Allow-Origin`` = the request's ``Origin`` or ``*``). Reason phrases are
werkzeug 0.14's, upper-cased (``404 NOT FOUND``, ``418 I'M A TEAPOT``). gunicorn logs start-up
and shutdown on stderr and no access log. Each request costs ~1 ms of CPU in the one worker.
"""

from __future__ import annotations

import json
from typing import Any

from ..sim.process import ExecContext
from ..sim.timefmt import to_datetime
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .nginx import http_date

__all__ = ["HttpBin", "gunicorn_time"]

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

    #: one gevent worker process: one core at most
    workers = 1

    def __init__(self, container: Any, argv: list[str]) -> None:
        super().__init__(container, argv)
        self._rng = container.rng("httpbin/latency")
        self._choice = container.rng("httpbin/status")
        # id(request) → (request, second, response): a load run repeats one request
        self._cache: dict[int, tuple[HTTPRequest, int, HTTPResponse]] = {}

    def http_reason(self, status: int) -> str:
        """Werkzeug 0.14 upper-cases the reason gunicorn writes: ``404 NOT FOUND``."""
        return _WERKZEUG_REASONS.get(status, "UNKNOWN")

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        now = self.container.loop.now
        second = now // 1_000_000_000
        cached = self._cache.get(id(request))
        if cached is not None and cached[0] is request and cached[1] == second:
            return cached[2]
        response, repeatable = self._answer(request, now)
        if repeatable:
            if len(self._cache) > 64:
                self._cache.clear()
            self._cache[id(request)] = (request, second, response)
        return response

    # ------------------------------------------------------------------ routes

    def _answer(self, request: HTTPRequest, now: int) -> tuple[HTTPResponse, bool]:
        method = request.method.upper()
        path, _, query = request.path.partition("?")
        parts = [p for p in path.split("/") if p]
        # Flask/Python spend about a millisecond of CPU per request.
        cpu = 800_000 + int(self._rng.random() * 400_000)
        wait = 150_000
        repeatable = True
        route = parts[0] if parts else ""
        allowed: tuple[str, ...] = ("GET",)
        known = True
        if route in ("status", "delay"):
            known = len(parts) == 2
            allowed = _METHODS[route + "/*"]
        elif route == "anything":
            allowed = _METHODS[route]
        elif parts:
            known = len(parts) == 1 and route in _METHODS
            allowed = _METHODS.get(route, ())
        if not known:
            status, headers, body = _error(404)
        elif method not in allowed and not (method in ("HEAD", "OPTIONS") and "GET" in
                                            allowed):
            status, headers, body = _error(405)
            methods = {*allowed, "OPTIONS", *(("HEAD",) if "GET" in allowed else ())}
            headers.insert(1, ("Allow", ", ".join(sorted(methods))))
        elif not parts:
            status, headers, body = 200, [("Content-Type", "text/html; charset=utf-8")], \
                _INDEX
        elif route == "ip":
            status, headers, body = _json({"origin": _origin(request)})
        elif route == "user-agent":
            status, headers, body = _json({"user-agent": request.header("User-Agent") or
                                           None})
        elif route == "headers":
            status, headers, body = _json({"headers": _headers(request, query)})
        elif route == "uuid":
            status, headers, body = _json({"uuid": self._uuid()})
            repeatable = False
        elif route in ("get", "anything", "post", "put", "patch", "delete") and (
                len(parts) == 1 or route == "anything"):
            data: dict[str, Any] = {"args": _args(query), "headers": _headers(request, query),
                                    "origin": _origin(request), "url": _url(request)}
            if route != "get":
                data.update(_body_fields(request))
            if route == "anything":
                data["method"] = method
            status, headers, body = _json(data)
        elif route == "status":
            status, headers, body, random_pick = self._status(parts[1])
            repeatable = not random_pick
        else:  # delay
            try:
                seconds = min(float(parts[1]), 10.0)
                if seconds < 0:
                    raise ValueError(seconds)
            except ValueError:
                status, headers, body = _error(500)
            else:
                wait += int(seconds * 1_000_000_000)
                data = {"args": _args(query), "headers": _headers(request, query),
                        "origin": _origin(request), "url": _url(request)}
                data.update(_body_fields(request, with_json=False))
                status, headers, body = _json(data)
        origin = request.header("Origin") or "*"
        headers += [("Access-Control-Allow-Origin", origin),
                    ("Access-Control-Allow-Credentials", "true")]
        if not any(k == "Content-Length" for k, _ in headers) and status not in (204, 304):
            headers.append(("Content-Length", str(len(body))))
        if status == 304:
            headers = [(k, v) for k, v in headers if k.lower() not in
                       ("content-type", "content-length")]
        latency = cpu + wait
        keep = "close" if (request.header("Connection") or "").lower() == "close" \
            else "keep-alive"
        out = (("Server", "gunicorn/19.9.0"), ("Date", http_date(now + latency)),
               ("Connection", keep), *headers)
        if method == "HEAD":
            body = b""
        return HTTPResponse(status, out, body, latency=latency, cpu=cpu), repeatable

    def _uuid(self) -> str:
        import uuid

        return str(uuid.UUID(int=self._choice.getrandbits(128), version=4))

    def _status(self, codes: str) -> tuple[int, list[tuple[str, str]], bytes, bool]:
        """``view_status_code``: one code, or a comma list with optional ``:weight``s."""
        random_pick = "," in codes
        if not random_pick:
            try:
                code = int(codes)
            except ValueError:
                status, headers, body = _plain(400, b"Invalid status code")
                return status, headers, body, False
        else:
            choices: list[tuple[int, float]] = []
            for choice in codes.split(","):
                code_text, _, weight = choice.partition(":")
                try:
                    choices.append((int(code_text), float(weight) if weight else 1.0))
                except ValueError:
                    status, headers, body = _plain(400, b"Invalid status code")
                    return status, headers, body, False
            total = sum(w for _, w in choices)
            pick = self._choice.random() * total
            code = choices[-1][0]
            for c, w in choices:
                if pick < w:
                    code = c
                    break
                pick -= w
        status, headers, body = _status_code(code)
        return status, headers, body, random_pick


_METHODS: dict[str, tuple[str, ...]] = {
    "ip": ("GET",), "user-agent": ("GET",), "headers": ("GET",), "uuid": ("GET",),
    "get": ("GET",), "post": ("POST",), "put": ("PUT",), "patch": ("PATCH",),
    "delete": ("DELETE",),
    "anything": ("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE"),
    "status/*": ("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE"),
    "delay/*": ("GET", "POST", "PUT", "DELETE", "PATCH"),
}

#: werkzeug.http.HTTP_STATUS_CODES (0.14), as ``Response.status`` upper-cases them
_WERKZEUG_REASONS = {
    100: "CONTINUE", 101: "SWITCHING PROTOCOLS", 102: "PROCESSING", 200: "OK",
    201: "CREATED", 202: "ACCEPTED", 203: "NON AUTHORITATIVE INFORMATION",
    204: "NO CONTENT", 205: "RESET CONTENT", 206: "PARTIAL CONTENT", 207: "MULTI STATUS",
    226: "IM USED", 300: "MULTIPLE CHOICES", 301: "MOVED PERMANENTLY", 302: "FOUND",
    303: "SEE OTHER", 304: "NOT MODIFIED", 305: "USE PROXY", 307: "TEMPORARY REDIRECT",
    308: "PERMANENT REDIRECT", 400: "BAD REQUEST", 401: "UNAUTHORIZED",
    402: "PAYMENT REQUIRED", 403: "FORBIDDEN", 404: "NOT FOUND", 405: "METHOD NOT ALLOWED",
    406: "NOT ACCEPTABLE", 407: "PROXY AUTHENTICATION REQUIRED", 408: "REQUEST TIMEOUT",
    409: "CONFLICT", 410: "GONE", 411: "LENGTH REQUIRED", 412: "PRECONDITION FAILED",
    413: "REQUEST ENTITY TOO LARGE", 414: "REQUEST URI TOO LONG",
    415: "UNSUPPORTED MEDIA TYPE", 416: "REQUESTED RANGE NOT SATISFIABLE",
    417: "EXPECTATION FAILED", 418: "I'M A TEAPOT", 421: "MISDIRECTED REQUEST",
    422: "UNPROCESSABLE ENTITY", 423: "LOCKED", 424: "FAILED DEPENDENCY",
    426: "UPGRADE REQUIRED", 428: "PRECONDITION REQUIRED", 429: "TOO MANY REQUESTS",
    431: "REQUEST HEADER FIELDS TOO LARGE", 449: "RETRY WITH",
    451: "UNAVAILABLE FOR LEGAL REASONS", 500: "INTERNAL SERVER ERROR",
    501: "NOT IMPLEMENTED", 502: "BAD GATEWAY", 503: "SERVICE UNAVAILABLE",
    504: "GATEWAY TIMEOUT", 505: "HTTP VERSION NOT SUPPORTED", 507: "INSUFFICIENT STORAGE",
    510: "NOT EXTENDED",
}

_INDEX = (b"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"UTF-8\">\n"
          b"    <title>httpbin.org</title>\n</head>\n<body>\n</body>\n</html>\n")

_ERRORS = {
    404: ("Not Found", "The requested URL was not found on the server.  If you entered the "
                       "URL manually please check your spelling and try again."),
    405: ("Method Not Allowed", "The method is not allowed for the requested URL."),
    500: ("Internal Server Error", "The server encountered an internal error and was unable "
                                   "to complete your request. Either the server is overloaded "
                                   "or there is an error in the application."),
}

_TEAPOT = (b"\n    -=[ teapot ]=-\n\n       _...._\n     .'  _ _ `.\n    | .\"` ^ `\". _,\n"
           b"    \\_;`\"---\"`|//\n      |       ;/\n      \\_     _/\n        `\"\"\"`\n")

_REDIRECT = "/redirect/1"
#: the env headers httpbin hides unless ``?show_env=1`` (httpbin/helpers.py ENV_HEADERS)
_ENV_HEADERS = frozenset(h.lower() for h in (
    "X-Varnish", "X-Request-Start", "X-Heroku-Queue-Depth", "X-Real-Ip",
    "X-Forwarded-Proto", "X-Forwarded-Protocol", "X-Forwarded-Ssl",
    "X-Heroku-Queue-Wait-Time", "X-Forwarded-For", "X-Heroku-Dynos-In-Use",
    "X-Forwarded-Port", "X-Request-Id", "Via", "Total-Route-Time", "Connect-Time"))


def _error(status: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """A werkzeug ``HTTPException`` page."""
    title, text = _ERRORS[status]
    body = (f'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>{status} '
            f"{title}</title>\n<h1>{title}</h1>\n<p>{text}</p>\n").encode()
    return status, [("Content-Type", "text/html"), ("Content-Length", str(len(body)))], body


def _plain(status: int, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
    return status, [("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body)))], body


def _json(data: Any) -> tuple[int, list[tuple[str, str]], bytes]:
    """Flask's ``jsonify`` with ``JSONIFY_PRETTYPRINT_REGULAR``: two-space indent, sorted
    keys, trailing newline."""
    body = (json.dumps(data, indent=2, sort_keys=True) + "\n").encode()
    return 200, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))], \
        body


def _status_code(code: int) -> tuple[int, list[tuple[str, str]], bytes]:
    """httpbin's ``status_code`` helper: some codes replace the headers wholesale (so
    Content-Type disappears and Content-Length is added last by werkzeug)."""
    if code in (301, 302, 303, 305, 307):
        return code, [("location", _REDIRECT)], b""
    if code == 304:
        return code, [("Content-Type", "text/html; charset=utf-8")], b""
    if code == 401:
        return code, [("WWW-Authenticate", 'Basic realm="Fake Realm"')], b""
    if code == 402:
        return code, [("x-more-info", "http://vimeo.com/22053820")], b"Fuck you, pay me!"
    if code == 406:
        body = json.dumps({"message": "Client did not request a supported media type.",
                           "accept": ["image/webp", "image/svg+xml", "image/jpeg",
                                      "image/png", "image/*"]}).encode()
        return code, [("Content-Type", "application/json")], body
    if code == 407:
        return code, [("Proxy-Authenticate", 'Basic realm="Fake Realm"')], b""
    if code == 418:
        return code, [("x-more-info", "http://tools.ietf.org/html/rfc2324")], _TEAPOT
    return code, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "0")], b""


def _origin(request: HTTPRequest) -> str:
    return request.header("X-Forwarded-For") or request.client_ip


def _headers(request: HTTPRequest, query: str) -> dict[str, str]:
    show_env = "show_env" in _args(query)
    out: dict[str, str] = {}
    for name, value in request.headers.items():
        if not show_env and name.lower() in _ENV_HEADERS:
            continue
        out[name.title()] = value
    return out


def _args(query: str) -> dict[str, Any]:
    from urllib.parse import parse_qsl

    out: dict[str, Any] = {}
    for k, v in parse_qsl(query, keep_blank_values=True):
        if k in out:
            prev = out[k]
            out[k] = [*prev, v] if isinstance(prev, list) else [prev, v]
        else:
            out[k] = v
    return out


def _url(request: HTTPRequest) -> str:
    host = request.header("Host") or request.host
    return f"{request.scheme}://{host}{request.path}"


def _body_fields(request: HTTPRequest, with_json: bool = True) -> dict[str, Any]:
    """``data``, ``files``, ``form`` and ``json`` of httpbin's ``get_dict``."""
    ctype = (request.header("Content-Type") or "").lower()
    text = request.body.decode("utf-8", "replace")
    form: dict[str, Any] = {}
    data = text
    parsed: Any = None
    if ctype.startswith("application/x-www-form-urlencoded"):
        form = _args(text)
        data = ""
    elif text:
        try:
            parsed = json.loads(text)
        except ValueError:
            parsed = None
    out: dict[str, Any] = {"data": data, "files": {}, "form": form}
    if with_json:
        out["json"] = parsed
    return out
