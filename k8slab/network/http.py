"""HTTP messages and network outcomes: the contract between clients, the network and apps.

A request is an object that travels. Client tools (curl, HTTPie, wget, wrk, fortio — in
``k8slab/cli/tools``) build a :class:`Request`, ask the host's :class:`Transport` to carry it,
and get back an :class:`Exchange`: either a :class:`Response` or a :class:`NetError`, plus the
virtual time each phase took. The network model (``k8slab/network``) decides the route (DNS,
kube-proxy, NodePort, load balancer, ingress, sidecars later), the container's app model
answers, and every exchange is logged for the charts.

Single-shot tools use :meth:`Transport.exchange` and then sleep for ``Exchange.total`` (the
request is served at the instant it is sent; see docs/realism.md). Load generators use
``samples = yield from transport.run_load(spec)``, which runs many connections concurrently on
the event loop with server-side queueing and returns one :class:`Sample` per request; it works
both from the lab shell and from a container's own program.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from ..sim.process import Effect

__all__ = [
    "REASONS",
    "Exchange",
    "LoadSpec",
    "NetError",
    "Request",
    "Response",
    "Sample",
    "Transport",
]

# RFC 9110 reason phrases as Go's net/http and Python's http.server print them.
REASONS = {
    100: "Continue", 101: "Switching Protocols", 200: "OK", 201: "Created", 202: "Accepted",
    203: "Non-Authoritative Information", 204: "No Content", 205: "Reset Content",
    206: "Partial Content", 300: "Multiple Choices", 301: "Moved Permanently", 302: "Found",
    303: "See Other", 304: "Not Modified", 307: "Temporary Redirect",
    308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
    402: "Payment Required", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
    406: "Not Acceptable", 407: "Proxy Authentication Required", 408: "Request Timeout",
    409: "Conflict", 410: "Gone", 411: "Length Required", 412: "Precondition Failed",
    413: "Payload Too Large", 414: "URI Too Long", 415: "Unsupported Media Type",
    416: "Range Not Satisfiable", 417: "Expectation Failed", 418: "I'm a teapot",
    421: "Misdirected Request", 422: "Unprocessable Entity", 425: "Too Early",
    426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
    431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
    500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
    503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
}


@dataclass
class Request:
    """One HTTP/1.1 request as a client sends it.

    ``host``/``port`` are where the client connects (after the URL is parsed); ``authority``
    is the Host header value; ``target`` the request-target (path and query).
    """

    method: str
    scheme: str
    host: str
    port: int
    target: str = "/"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    version: str = "HTTP/1.1"

    @property
    def authority(self) -> str:
        for name, value in self.headers:
            if name.lower() == "host":
                return value
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def query(self) -> str:
        return self.target.split("?", 1)[1] if "?" in self.target else ""


@dataclass
class Response:
    """One HTTP response, headers in the order the server sends them (case preserved)."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    reason: str = ""
    version: str = "HTTP/1.1"

    def __post_init__(self) -> None:
        if not self.reason:
            self.reason = REASONS.get(self.status, "")

    def header(self, name: str) -> str | None:
        lname = name.lower()
        for key, value in self.headers:
            if key.lower() == lname:
                return value
        return None

    @property
    def status_line(self) -> str:
        return f"{self.version} {self.status} {self.reason}".rstrip()

    def head_bytes(self) -> int:
        """Size of the status line and header block as sent (for wrk/fortio byte counts)."""
        size = len(self.status_line) + 2
        for name, value in self.headers:
            size += len(name) + 2 + len(value) + 2
        return size + 2


NetErrorKind = Literal["dns", "refused", "timeout", "unreachable", "reset", "tls", "closed"]


@dataclass
class NetError(Exception):
    """A request that produced no HTTP response.

    ``kind`` is what happened at the socket level; each tool turns it into its own words and
    exit code (curl: 6 could not resolve, 7 could not connect, 28 timeout, 52 empty reply,
    56 recv failure; wget and HTTPie have their own). ``host``/``ip``/``port`` say what was
    being reached; ``detail`` is the OS-level text ("Connection refused", "No route to host").

    ``closed`` is a connection the server closed without sending a response (curl 52 "Empty
    reply from server"). ``phase`` says where a ``timeout`` or ``reset`` struck: ``"connect"``
    (the TCP handshake never completed) or ``"response"`` (connected, then no/partial answer);
    empty when unknown (tools then assume ``"response"``). ``received`` is how many response
    bytes had arrived when it failed (curl: "with N bytes received").
    """

    kind: NetErrorKind
    host: str = ""
    ip: str = ""
    port: int = 0
    detail: str = ""
    phase: str = ""
    received: int = 0

    def __str__(self) -> str:
        return f"{self.kind}: {self.host} {self.ip}:{self.port} {self.detail}".strip()


@dataclass
class Exchange:
    """The outcome of one request on one connection, with its virtual timings (ns)."""

    request: Request
    response: Response | None = None
    error: NetError | None = None
    remote_ip: str = ""
    remote_port: int = 0
    dns: int = 0          # name lookup
    connect: int = 0      # TCP handshake (after DNS)
    first_byte: int = 0   # request sent → first response byte (server time included)
    total: int = 0        # whole exchange, start to last byte
    local_ip: str = ""    # the client's address and ephemeral port (curl -v prints them
    local_port: int = 0   # on a failed connect); empty/0 when the network does not say

    @property
    def ok(self) -> bool:
        return self.response is not None


@dataclass
class LoadSpec:
    """A closed-loop load run, as wrk and fortio generate it.

    ``connections`` keep-alive connections (each pinned to the backend kube-proxy picked when
    it connected) send requests back to back, or paced to ``qps`` in total (fortio ``-qps``;
    0 = as fast as possible). The run stops after ``duration`` ns or ``total_requests``
    requests (whichever is set; fortio ``-n``). ``timeout`` is the per-request socket timeout.
    ``make_request(connection_index, sequence)`` builds each request.

    Optional refinements (load tools set them; a network may ignore none of them):

    - ``warmup_per_connection``: each connection first sends that many requests; the timed
      run (its ``duration`` and ``pace``) starts when every warm-up request has completed,
      and their samples come back with ``warmup=True``. They do not count in
      ``total_requests``.
    - ``pace(connection, sequence)``: fortio's per-thread schedule. It returns the earliest
      start of that request in ns after the timed run's start, or None when that connection
      has sent all it will send; a connection sends its next request at
      ``max(end of its previous request, start + pace(...))``. When set, ``qps`` is ignored.
    - ``start_until``: no request starts later than this many ns after the timed run's
      start; requests in flight then complete (fortio's duration), where ``duration`` cuts
      them off (wrk's).
    - ``stop(sample)``: called for each completed sample, warm-up included; once it returns
      True no further request starts, in-flight ones complete and the run returns (fortio
      aborts on a failed warm-up or on ``-abort-on``).
    - ``duration`` and ``total_requests`` may both be set: the run ends at whichever comes
      first (a tool caps a run at the shell's deadline this way). Requests still in flight
      when the duration ends are abandoned and not returned.
    """

    connections: int
    make_request: Callable[[int, int], Request]
    duration: int | None = None
    total_requests: int | None = None
    qps: float = 0.0
    timeout: int = 2_000_000_000
    warmup_per_connection: int = 0
    pace: Callable[[int, int], int | None] | None = None
    start_until: int | None = None
    stop: Callable[[Sample], bool] | None = None


@dataclass
class Sample:
    """One request of a load run: when it started/ended (virtual ns), on which connection,
    what came back (status 0 = socket error), and how many bytes were read.

    ``connect`` is the TCP handshake time (ns) when this request had to open a new connection
    (first request, or after the server closed/reset the previous one), None when it reused a
    keep-alive connection; ``remote`` is the ``ip:port`` the client dialled (fortio prints
    it); ``warmup`` marks the warm-up requests of ``LoadSpec.warmup_per_connection``."""

    connection: int
    start: int
    end: int
    status: int
    header_bytes: int
    body_bytes: int
    error: NetErrorKind | None = None
    backend: str = ""
    connect: int | None = None
    remote: str = ""
    warmup: bool = False


class Transport(Protocol):
    """Network access from one machine (the workstation, a node, or a pod)."""

    def resolve(self, name: str) -> list[str]:
        """A records for ``name`` as this host's resolver returns them; raises NetError('dns')."""
        ...

    def exchange(self, request: Request, *, connect_timeout: int | None = None,
                 timeout: int | None = None) -> Exchange:
        """Send one request on a new connection; never raises for network failures."""
        ...

    def run_load(self, spec: LoadSpec) -> Generator[Effect, Any, list[Sample]]:
        """Run a concurrent load on the event loop; use as ``samples = yield from
        transport.run_load(spec)`` inside a tool's process (it yields WaitFor/Sleep)."""
        ...

    # Optional: ``probe(host, port) -> NetError | None`` opens (and closes) one TCP
    # connection without sending a request; wrk checks its target this way before a run
    # ("unable to connect to h:80 Connection refused"). Tools use it when present.
