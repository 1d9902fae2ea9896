"""``dustise/flaskapp``: the Istio book's two-version demo app (Flask under gunicorn, port 80).

``/env/<name>`` answers the value of an environment variable — the talk's
``http --body http://flaskapp/env/version`` prints ``v1`` or ``v2`` from the Deployment's
``env``. ``/fetch?url=…`` makes an outbound call (left to the network issue).
"""

from __future__ import annotations

from ..sim.process import ExecContext
from .base import HTTPRequest, HTTPResponse, Server, SignalAction
from .httpbin import gunicorn_time
from .nginx import http_date

__all__ = ["FlaskApp"]


class FlaskApp(Server):
    server_names = ("gunicorn",)
    ports = (80,)
    startup = 700_000_000

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

    def serve_http(self, request: HTTPRequest) -> HTTPResponse:
        if not self.listening(request.port):
            raise ConnectionRefusedError("connection refused")
        parts = [p for p in request.path.split("?", 1)[0].split("/") if p]
        latency = int(self.container.rng("flaskapp/latency").uniform(1_000_000, 3_000_000))
        if len(parts) == 2 and parts[0] == "env":
            value = self.container.env.get(parts[1])
            if value is None:
                status, body = 500, (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
                                     b"<title>500 Internal Server Error</title>\n<h1>Internal "
                                     b"Server Error</h1>\n<p>The server encountered an internal "
                                     b"error and was unable to complete your request. Either the "
                                     b"server is overloaded or there is an error in the "
                                     b"application.</p>\n")
            else:
                status, body = 200, value.encode()
        else:
            status, body = 404, (b'<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n'
                                 b"<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The "
                                 b"requested URL was not found on the server.  If you entered "
                                 b"the URL manually please check your spelling and try again."
                                 b"</p>\n")
        headers = (("Server", "gunicorn/19.9.0"),
                   ("Date", http_date(self.container.loop.now + latency)),
                   ("Connection", "close"), ("Content-Type", "text/html; charset=utf-8"),
                   ("Content-Length", str(len(body))))
        return HTTPResponse(status, headers, body, latency=latency, cpu=1_500_000)
