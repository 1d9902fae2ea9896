"""A scripted Transport for the HTTP tools' unit tests (the real network model is elsewhere).

Names resolve through a table, ``(ip, port)`` pairs are served by handlers that return a
:class:`Reply` (a response or a socket error plus the server's latency). ``exchange`` answers
at once with the phase timings; ``run_load`` plays a closed loop of keep-alive connections
(warm-up, fortio pacing, duration, total count) on the virtual clock and sleeps for the run.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from k8slab.network.http import Exchange, LoadSpec, NetError, Request, Response, Sample
from k8slab.sim.clock import MILLISECOND, SECOND, Loop
from k8slab.sim.process import Sleep

US = 1_000
START = 1780300800 * SECOND  # 2026-06-01T08:00:00Z


@dataclass
class Reply:
    response: Response | None = None
    error: str | None = None  # a NetError kind
    latency: int = 1 * MILLISECOND
    phase: str = ""


Handler = Callable[[Request, int], Reply]


def nginx_page(version: str = "1.10.3", body: bytes = b"hello world\n") -> Handler:
    def handle(req: Request, n: int) -> Reply:
        headers = [("Server", f"nginx/{version}"), ("Date", "Mon, 01 Jun 2026 08:00:00 GMT"),
                   ("Content-Type", "text/html"), ("Content-Length", str(len(body))),
                   ("Last-Modified", "Tue, 31 Jan 2017 15:01:11 GMT"),
                   ("Connection", "keep-alive"), ("ETag", '"5890a6b7-264"'),
                   ("Accept-Ranges", "bytes")]
        payload = b"" if req.method == "HEAD" else body
        return Reply(Response(200, headers, payload), latency=2 * MILLISECOND)
    return handle


def static(status: int, body: bytes = b"", headers: list[tuple[str, str]] | None = None,
           latency: int = MILLISECOND) -> Handler:
    def handle(req: Request, n: int) -> Reply:
        hs = list(headers) if headers is not None else [
            ("Content-Type", "text/html; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Server", "Werkzeug/0.14.1 Python/3.6.5"),
            ("Date", "Mon, 01 Jun 2026 08:00:00 GMT")]
        payload = b"" if req.method == "HEAD" else body
        return Reply(Response(status, hs, payload), latency=latency)
    return handle


@dataclass
class FakeTransport:
    loop: Loop
    dns: dict[str, list[str]] = field(default_factory=dict)
    routes: dict[tuple[str, int], Handler] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    dns_time: int = 300 * US
    connect_time: int = 150 * US
    local_ip: str = "192.168.49.1"
    loads: list[LoadSpec] = field(default_factory=list)
    _served: int = 0

    def add(self, name: str, ip: str, port: int, handler: Handler) -> None:
        self.dns.setdefault(name, [])
        if ip not in self.dns[name]:
            self.dns[name].append(ip)
        self.routes[(ip, port)] = handler

    # ---------------------------------------------------------------- Transport

    def resolve(self, name: str) -> list[str]:
        if _is_ip(name):
            return [name]
        ips = self.dns.get(name.lower())
        if not ips:
            raise NetError("dns", host=name)
        return list(ips)

    def _reply(self, request: Request) -> tuple[str, Reply | None]:
        try:
            ip = self.resolve(request.host)[0]
        except NetError:
            return "", None
        handler = self.routes.get((ip, request.port))
        if handler is None:
            return ip, Reply(error="refused")
        n = self._served
        self._served += 1
        return ip, handler(request, n)

    def exchange(self, request: Request, *, connect_timeout: int | None = None,
                 timeout: int | None = None) -> Exchange:
        self.requests.append(request)
        dns = 0 if _is_ip(request.host) else self.dns_time
        ip, reply = self._reply(request)
        ex = Exchange(request, dns=dns, remote_ip=ip, remote_port=request.port,
                      local_ip=self.local_ip, local_port=40000 + len(self.requests))
        if reply is None:
            ex.error = NetError("dns", host=request.host)
            ex.total = dns
            return ex
        if reply.error is not None:
            phase = reply.phase or ("connect" if reply.error in ("refused", "unreachable")
                                    else "response")
            if reply.error == "timeout" and phase == "connect":
                limit = min(x for x in (connect_timeout, timeout, 130 * SECOND) if x)
                ex.connect = limit
                ex.total = dns + limit
            elif reply.error == "timeout":
                ex.connect = self.connect_time
                limit = timeout if timeout else reply.latency
                ex.total = dns + self.connect_time + limit
            else:
                ex.connect = self.connect_time if phase == "response" else 0
                ex.total = dns + ex.connect + (reply.latency if phase == "response" else 0)
            if timeout is not None and ex.total > timeout:
                ex.total = timeout
                ex.error = NetError("timeout", host=request.host, ip=ip, port=request.port,
                                    phase="connect" if phase == "connect" else "response")
                return ex
            ex.error = NetError(reply.error, host=request.host, ip=ip, port=request.port,  # type: ignore[arg-type]
                                detail={"refused": "Connection refused",
                                        "unreachable": "No route to host",
                                        "reset": "Connection reset by peer",
                                        "timeout": "Connection timed out"}.get(reply.error, ""),
                                phase=phase)
            return ex
        ex.connect = self.connect_time
        ex.first_byte = reply.latency
        ex.total = dns + self.connect_time + reply.latency + 50 * US
        if timeout is not None and ex.total > timeout:
            ex.total = timeout
            ex.error = NetError("timeout", host=request.host, ip=ip, port=request.port,
                                phase="response")
            return ex
        ex.response = reply.response
        return ex

    def run_load(self, spec: LoadSpec) -> Generator[Any, Any, list[Sample]]:
        """A closed loop: each connection sends its next request when the previous ends."""
        self.loads.append(spec)
        start0 = self.loop.now
        samples: list[Sample] = []
        first = spec.make_request(0, 0)
        ip, _ = self._reply(first)
        remote = f"{ip}:{first.port}" if ip else ""
        t = start0
        # Warm-up: every connection once (or n times), in parallel.
        warm_end = start0
        fresh = [True] * spec.connections
        stopped = False
        for c in range(spec.connections):
            tc = start0
            for k in range(spec.warmup_per_connection):
                req = spec.make_request(c, -1 - k)
                s, tc = self._one(req, c, tc, fresh[c], remote, spec.timeout)
                fresh[c] = s.error is not None
                s.warmup = True
                samples.append(s)
                if spec.stop is not None and spec.stop(s):
                    stopped = True
            warm_end = max(warm_end, tc)
        t = warm_end
        if stopped:
            yield Sleep(max(0, warm_end - self.loop.now))
            return samples
        end_limit = t + spec.duration if spec.duration is not None else None
        remaining = spec.total_requests
        heap: list[tuple[int, int, int]] = []
        for c in range(spec.connections):
            heapq.heappush(heap, (t, c, 0))
        interval = int(SECOND * spec.connections / spec.qps) if spec.qps > 0 else 0
        last = t
        cut = False
        while heap:
            ready, c, seq = heapq.heappop(heap)
            begin = ready
            if spec.pace is not None:
                offset = spec.pace(c, seq)
                if offset is None:
                    continue
                begin = max(ready, t + offset)
            elif interval:
                begin = max(ready, t + seq * interval + c * interval // spec.connections)
            if end_limit is not None and begin >= end_limit:
                cut = True
                continue
            if spec.start_until is not None and begin > t + spec.start_until:
                continue
            if stopped:
                continue
            if remaining is not None:
                if remaining <= 0:
                    continue
                remaining -= 1
            req = spec.make_request(c, seq)
            s, done = self._one(req, c, begin, fresh[c], remote, spec.timeout)
            if end_limit is not None and done > end_limit:
                cut = True
                continue
            fresh[c] = s.error is not None
            samples.append(s)
            if spec.stop is not None and spec.stop(s):
                stopped = True
            last = max(last, done)
            heapq.heappush(heap, (done, c, seq + 1))
        finish = end_limit if cut and end_limit is not None else last
        yield Sleep(max(0, finish - self.loop.now))
        return samples

    def _one(self, req: Request, c: int, begin: int, fresh: bool, remote: str,
             timeout: int) -> tuple[Sample, int]:
        _, reply = self._reply(req)
        connect = self.connect_time if fresh else None
        if reply is None:
            return Sample(c, begin, begin + self.dns_time, 0, 0, 0, "dns", remote=remote,
                          connect=connect), begin + self.dns_time
        lat = reply.latency + (connect or 0)
        if reply.error is not None or reply.response is None:
            end = begin + lat
            return Sample(c, begin, end, 0, 0, 0, reply.error, remote=remote,  # type: ignore[arg-type]
                          connect=connect), end
        if reply.latency >= timeout:
            end = begin + timeout
            return Sample(c, begin, end, 0, 0, 0, "timeout", remote=remote,
                          connect=connect), end
        end = begin + lat
        r = reply.response
        return Sample(c, begin, end, r.status, r.head_bytes(), len(r.body), None,
                      backend="pod", remote=remote, connect=connect), end


def _is_ip(text: str) -> bool:
    parts = text.split(".")
    return len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)


@dataclass
class Host:
    """What a tool sees as ``ctx.host``."""

    transport: Any
    hostname: str = "learner"
