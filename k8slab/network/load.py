"""The load engine behind ``Transport.run_load``: many keep-alive connections at once.

What ``wrk -c N`` and ``fortio load -c N -qps Q`` do, on the virtual clock:

- **connections**: each of the ``N`` connections is opened when it sends its first request —
  the kube-proxy pick happens then (:meth:`Network.dial`) — and stays pinned to that pod for
  all its requests, as conntrack keeps it (so ``wrk -c 3`` reaches at most three pods). A
  connection is opened again, with a new pick, when the server closes it: after the response
  that exhausted nginx's ``keepalive_requests`` (100 for 1.10/1.11, 1,000 from 1.19.10), after
  a ``Connection: close`` response (gunicorn's sync worker), after a timeout, or when its pod
  went away (the request fails with a reset);
- **closed loop**: a connection sends its next request when the previous one completed, or at
  the pace the tool asks for (``qps``, ``pace``); the run stops after ``duration`` (in-flight
  requests abandoned, as wrk does), after ``total_requests``, at ``start_until`` (in-flight
  requests completed, as fortio does) or when ``stop`` says so; optional warm-up requests per
  connection come first;
- **server side**: each request queues for its pod's CPU (:mod:`.cpu`), so latency grows when
  more connections share a pod than it has cores, and CPU seconds accumulate for
  metrics-server;
- **time**: the run advances in slices of at most 100 ms that never cross a second boundary,
  yielding ``Sleep`` between them, so the rest of the cluster runs during the load (pods
  become ready, a rollout proceeds, probes fire) and each slice sees the network as it is then.
  Requests of a slice are computed when the slice starts: an app's log line and ``Date``
  header carry the slice's second (exact, since slices do not cross seconds), a container's log
  entries the slice's start instant.

Per request the work is a heap step, a ``make_request`` call, the app's ``serve_http``, the
CPU queue arithmetic, a :class:`~k8slab.network.http.Sample` and a request-log row — about
5–10 µs of wall time.
"""

from __future__ import annotations

import gc
import heapq
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ..sim.clock import MILLISECOND, SECOND
from ..sim.process import Sleep
from .http import LoadSpec, Request, Sample
from .model import Conn, Failure
from .transport import LAN_NS_PER_BYTE, WAN_NS_PER_BYTE, reason_for

if TYPE_CHECKING:
    from .transport import HostTransport

__all__ = ["SLICE", "run_load"]

SLICE = 100 * MILLISECOND


class _Link:
    """One client connection of the run."""

    __slots__ = ("conn", "http", "index", "remote", "req")

    def __init__(self, index: int) -> None:
        self.index = index
        self.conn: Conn | None = None
        self.remote = ""
        self.req: Request | None = None
        self.http: Any = None


def run_load(transport: HostTransport, spec: LoadSpec) -> Generator[Any, Any, list[Sample]]:
    net = transport.network
    client = transport.client
    loop = net.loop
    log = net.log
    intern = log.intern
    names = log.names
    client_id = client.log_id
    per_byte = LAN_NS_PER_BYTE if client.in_cluster else WAN_NS_PER_BYTE
    timeout = spec.timeout
    make_request = spec.make_request
    n = max(0, int(spec.connections))
    samples: list[Any] = []
    if n == 0:
        return samples
    append_sample = samples.append
    # Without a stop callback the samples are kept as plain tuples until the run ends: tuples
    # of numbers and strings leave the cyclic collector's lists, so a million of them cost
    # nothing while the run allocates; they become Sample objects once, at the end.
    live = spec.stop is not None
    Make: Any = (lambda t: Sample(*t)) if live else tuple
    links = [_Link(i) for i in range(n)]
    resolved: dict[str, tuple[list[str], int, str]] = {}
    # id(headers tuple) → (headers, head bytes, server id, closes): kept alive by the cache
    heads: dict[int, tuple[Any, int, int, bool]] = {}
    # (id(request), source address, port) → (request, the app's view of it), shared by links
    requests: dict[tuple[int, str, int], tuple[Request, Any]] = {}
    errors = {k: intern(k) for k in ("dns", "refused", "unreachable", "timeout", "reset",
                                      "tls", "closed")}
    # request-log rows of the current slice, written to the log when the slice ends
    rows: list[tuple[int, int, int, int, int, int, int, int]] = []
    row = rows.append

    t0 = loop.now
    warm = max(0, int(spec.warmup_per_connection))
    pace = spec.pace
    qps = spec.qps
    interval = int(SECOND * n / qps) if qps and qps > 0 and pace is None else 0
    remaining = spec.total_requests
    stop_fn = spec.stop
    stopped = False
    start = t0          # the timed run's start (after warm-up)
    end_limit: int | None = None
    start_limit: int | None = None
    last_end = t0
    heap: list[tuple[int, int, int]] = []
    push = heapq.heappush
    pop = heapq.heappop
    seqs = [0] * n
    warm_left = [warm] * n
    warm_pending = n if warm else 0
    warm_end = t0

    def begin_timed(at: int) -> None:
        nonlocal start, end_limit, start_limit
        start = at
        end_limit = at + spec.duration if spec.duration is not None else None
        start_limit = at + spec.start_until if spec.start_until is not None else None
        for i in range(n):
            schedule(i, at)

    def schedule(i: int, ready: int) -> None:
        seq = seqs[i]
        if pace is not None:
            offset = pace(i, seq)
            if offset is None:
                return
            at = start + offset
            begin = at if at > ready else ready
        elif interval:
            at = start + seq * interval + i * interval // n
            begin = at if at > ready else ready
        else:
            begin = ready
        if end_limit is not None and begin >= end_limit:
            return
        if start_limit is not None and begin > start_limit:
            return
        push(heap, (begin, i, seq))

    def head_info(app: Any, response: Any) -> tuple[Any, int, int, bool]:
        headers = response.headers
        size = 9 + 4 + len(reason_for(app, response.status)) + 2 + 2
        server = ""
        closes = False
        for name, value in headers:
            size += len(name) + len(value) + 4
            lname = name.lower()
            if lname == "server":
                server = value
            elif lname == "connection" and value.lower() == "close":
                closes = True
        if len(heads) > 256:
            heads.clear()
        info = (headers, size, intern(server), closes)
        heads[id(headers)] = info
        return info

    def dial(link: _Link, begin: int, req: Request, warmup: bool
             ) -> tuple[Any, int]:
        """Open the link's connection; a failure sample when it cannot."""
        host = req.host
        found = resolved.get(host)
        if found is None:
            found = resolved[host] = client.resolver.resolve(host)
        ips, _dns, failure = found
        if failure or not ips:
            row((begin, client_id, 0, 0, 0, 0, 0, errors["dns"]))
            return Make((link.index, begin, begin, 0, 0, 0, "dns", "", None, "",
                         warmup)), begin
        ip = ips[0]
        link.remote = f"{ip}:{req.port}"
        result = net.dial(client, ip, req.port)
        if isinstance(result, Failure):
            spent = result.elapsed if result.elapsed < timeout else timeout
            kind = result.kind if result.elapsed < timeout else "timeout"
            row((begin, client_id, 0, 0, 0, 0, spent, errors[kind]))
            return Make((link.index, begin, begin + spent, 0, 0, 0, kind, "", spent,
                         link.remote, warmup)), begin + spent
        link.conn = result
        link.req = None
        if req.scheme == "https" and not result.tls:
            link.conn = None
            end = begin + result.rtt * 2
            row((begin, client_id, result.service_id, result.backend_id, 0, 0, end - begin,
                 errors["tls"]))
            return Make((link.index, begin, end, 0, 0, 0, "tls", "", result.rtt,
                         link.remote, warmup)), end
        return None, 0

    def one(link: _Link, begin: int, seq: int, warmup: bool) -> tuple[Any, int]:
        req = make_request(link.index, seq)
        connect: int | None = None
        conn = link.conn
        if conn is None:
            failed, end = dial(link, begin, req, warmup)
            if failed is not None:
                return failed, end
            conn = link.conn
            connect = conn.rtt  # type: ignore[union-attr]
        assert conn is not None
        http = link.http
        if link.req is not req:
            link.req = req
            key = (id(req), conn.source_ip, conn.target_port)
            shared = requests.get(key)
            if shared is None or shared[0] is not req:
                if len(requests) > 256:
                    requests.clear()
                shared = requests[key] = (req, net.http_request(conn, req))
            http = link.http = shared[1]
        rtt = conn.rtt
        sent = begin + connect if connect is not None else begin
        try:
            response = conn.app.serve_http(http)
        except (ConnectionRefusedError, ConnectionResetError):
            # The server end is gone: its kernel answers with a RST, unless the machine
            # itself is off and the request waits out the client's timeout.
            link.conn = None
            kind = "reset" if net.machine_on(conn.node) else "timeout"
            end = sent + rtt if kind == "reset" else begin + timeout
            row((begin, client_id, conn.service_id, conn.backend_id, 0, 0, end - begin,
                 errors[kind]))
            return Make((link.index, begin, end, 0, 0, 0, kind, names[conn.backend_id],
                         connect, link.remote, warmup)), end
        # CpuState.serve, inlined: this line runs for every request of the run
        cpu = conn.cpu
        work = response.cpu
        server = response.latency - work
        if server < 0:
            server = 0
        if cpu is not None and work > 0:
            arrive = sent + (rtt >> 1)
            busy = cpu.busy_until
            busy = (arrive if arrive > busy else busy) + work / cpu.capacity
            cpu.busy_until = busy
            done = arrive + work / cpu.single
            if busy > done:
                done = busy
            cpu.assigned += work
            server += int(done - arrive)
        elif cpu is None:
            server = response.latency
        body = len(response.body)
        end = sent + rtt + server + body * per_byte
        if end - begin > timeout:
            link.conn = None
            end = begin + timeout
            row((begin, client_id, conn.service_id, conn.backend_id, 0, 0, timeout,
                 errors["timeout"]))
            return Make((link.index, begin, end, 0, 0, 0, "timeout", names[conn.backend_id],
                         connect, link.remote, warmup)), end
        headers = response.headers
        info = heads.get(id(headers))
        if info is None or info[0] is not headers:
            info = head_info(conn.app, response)
        if info[3]:
            link.conn = None
        elif conn.keepalive_left > 0:
            conn.keepalive_left -= 1
            if conn.keepalive_left == 0:
                link.conn = None
        status = response.status
        row((begin, client_id, conn.service_id, conn.backend_id, status, info[2],
             end - begin, 0))
        return Make((link.index, begin, end, status, info[1], body, None,
                     names[conn.backend_id], connect, link.remote, warmup)), end

    if warm:
        for i in range(n):
            push(heap, (t0, i, -1))
    else:
        begin_timed(t0)

    simple = pace is None and not interval
    while heap:
        now = loop.now
        slice_end = now + SLICE
        boundary = (now // SECOND + 1) * SECOND
        if boundary < slice_end:
            slice_end = boundary
        # A slice allocates thousands of samples that all stay alive: keep the cyclic
        # collector from rescanning them over and over while it runs.
        collecting = gc.isenabled()
        gc.disable()
        try:
            while heap and heap[0][0] < slice_end:
                begin, i, seq = pop(heap)
                link = links[i]
                if seq < 0:
                    k = warm - warm_left[i]
                    sample, end = one(link, begin, -1 - k, True)
                    append_sample(sample)
                    if stop_fn is not None and stop_fn(sample):
                        stopped = True
                    if end > warm_end:
                        warm_end = end
                    warm_left[i] -= 1
                    if warm_left[i] > 0:
                        push(heap, (end, i, -1))
                    else:
                        warm_pending -= 1
                        if warm_pending == 0:
                            if stopped:
                                heap.clear()
                                last_end = warm_end
                                break
                            begin_timed(warm_end)
                    continue
                if stopped:
                    continue
                if remaining is not None:
                    if remaining <= 0:
                        continue
                    remaining -= 1
                sample, end = one(link, begin, seq, False)
                seqs[i] = seq + 1
                if end_limit is not None and end > end_limit:
                    # still in flight when the run ended: abandoned, not returned
                    if end_limit > last_end:
                        last_end = end_limit
                    continue
                append_sample(sample)
                if end > last_end:
                    last_end = end
                if stop_fn is not None and stop_fn(sample):
                    stopped = True
                    continue
                if simple:
                    if (end_limit is None or end < end_limit) and (
                            start_limit is None or end <= start_limit):
                        push(heap, (end, i, seq + 1))
                else:
                    schedule(i, end)
        finally:
            if collecting:
                gc.enable()
        if rows:
            log.extend(rows)
            rows.clear()
        if heap:
            wake = heap[0][0] if heap[0][0] > slice_end else slice_end
            yield Sleep(wake - loop.now)
    finish = last_end
    if end_limit is not None and not stopped and (remaining is None or remaining > 0):
        finish = end_limit if end_limit > finish else finish
    if finish > loop.now:
        yield Sleep(finish - loop.now)
    if live:
        return samples
    collecting = gc.isenabled()
    gc.disable()
    try:
        return [Sample(*t) for t in samples]
    finally:
        if collecting:
            gc.enable()
