"""wrk 4.2 (Alpine's build in the ``dustise/sleep`` image): ``wrk -c 3 -t 3 URL``.

Modelled on wg/wrk ``src/wrk.c`` (options, defaults 2 threads / 10 connections / 10 s / 2 s
timeout, ``number of connections must be >= threads``, the report), ``src/stats.c`` (one
latency histogram in µs shared by all threads; ``stats_correct``'s coordinated-omission
fill-in; percentiles by rank ``round(p/100·n + 0.5)``; stdev with n−1) and ``src/units.c``
(us/ms/s and plain/k/M scaling at 0.85 of the next unit, binary KB/MB for bytes).

How the numbers arise, as in wrk:

- each thread owns ``connections / threads`` connections (integer division);
- ``Latency`` is recorded per response, in µs; a response slower than ``--timeout`` is not
  recorded but counted as a ``timeout`` socket error;
- ``Req/Sec`` is sampled per thread every 100 ms: a thread that completed requests since its
  last sample records ``requests / elapsed_ms · 1000``; the samples of all threads form one
  distribution (so "Thread Stats" are per-thread rates);
- the run stops at the first 100 ms tick after the duration, so a 10 s run reports
  ``10.10s``; Ctrl-C (the shell's deadline) ends it early and the report is still printed;
- ``Non-2xx or 3xx responses`` counts statuses above 399; ``Socket errors`` are connect
  (refused), read (reset, closed) and timeout.

Requests carry only ``Host`` (with the port when the URL has one) plus ``-H`` headers, as
wrk's default Lua request does. Unlike wrk the lab does not check the target by connecting
before the run unless the network offers ``probe`` (see ``Transport``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Generator
from typing import Any

from ...network.http import LoadSpec, NetError, Request
from ...sim.process import ExecContext, Proc, Sleep
from ._common import EXEC_COST, NoNetwork, deadline, gai_strerror, transport
from .url import URLError, parse_wrk

__all__ = ["VERSION", "wrk"]

VERSION = "4.2.0"
RECORD_INTERVAL = 100_000_000  # ns, RECORD_INTERVAL_MS

USAGE = (
    "Usage: wrk <options> <url>                            \n"
    "  Options:                                            \n"
    "    -c, --connections <N>  Connections to keep open   \n"
    "    -d, --duration    <T>  Duration of test           \n"
    "    -t, --threads     <N>  Number of threads to use   \n"
    "                                                      \n"
    "    -s, --script      <S>  Load Lua script file       \n"
    "    -H, --header      <H>  Add header to request      \n"
    "        --latency          Print latency statistics   \n"
    "        --timeout     <T>  Socket/request timeout     \n"
    "    -v, --version          Print version details      \n"
    "                                                      \n"
    "  Numeric arguments may include a SI unit (1k, 1M, 1G)\n"
    "  Time arguments may include a time unit (2s, 2m, 2h)\n"
)

_LONG = {"connections": "c", "duration": "d", "threads": "t", "script": "s", "header": "H",
         "latency": "L", "timeout": "T", "help": "h", "version": "v"}
_TAKES = set("tcdsHT")


# --------------------------------------------------------------------------- units.c


def _format_units(n: float, scale: int, base: str, units: tuple[str, ...], p: int) -> str:
    amt = n
    unit = base
    limit = scale * 0.85
    i = 0
    while i + 1 < len(units) and amt >= limit:
        amt /= scale
        unit = units[i]
        i += 1
    return f"{amt:.{p}f}{unit}"


def format_binary(n: float) -> str:
    return _format_units(n, 1024, "", ("K", "M", "G", "T", "P", ""), 2)


def format_metric(n: float) -> str:
    return _format_units(n, 1000, "", ("k", "M", "G", "T", "P", ""), 2)


def format_time_us(n: float) -> str:
    if n >= 1_000_000.0:
        return _format_units(n / 1_000_000.0, 60, "s", ("m", "h", ""), 2)
    return _format_units(n, 1000, "us", ("ms", "s", ""), 2)


def format_time_s(n: float) -> str:
    return _format_units(n, 60, "s", ("m", "h", ""), 0)


def _scan(text: str, base: str, units: tuple[str, ...], scale: int) -> int | None:
    """``scan_units``: digits then an optional (≤2 letter) unit, case-insensitive."""
    digits = ""
    for ch in text:
        if ch.isdigit():
            digits += ch
        else:
            break
    if not digits:
        return None
    unit = text[len(digits):][:2]
    value = int(digits)
    if unit and unit.lower() != base.lower():
        factor = 1
        for u in units:
            factor *= scale
            if unit.lower() == u.lower():
                return value * factor
        return None
    return value


def scan_metric(text: str) -> int | None:
    return _scan(text, "", ("k", "M", "G", "T", "P"), 1000)


def scan_time(text: str) -> int | None:
    return _scan(text, "s", ("m", "h"), 60)


# --------------------------------------------------------------------------- stats.c


class Stats:
    """wrk's ``stats``: a histogram of integer values with wrk's arithmetic."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.data: Counter[int] = Counter()
        self.count = 0
        self.min = 2**64 - 1
        self.max = 0

    def record(self, n: int) -> bool:
        if n >= self.limit:
            return False
        self.data[n] += 1
        self.count += 1
        if n < self.min:
            self.min = n
        if n > self.max:
            self.max = n
        return True

    def _values(self) -> list[int]:
        return sorted(k for k in self.data if self.min <= k <= self.max and self.data[k])

    def correct(self, expected: int) -> None:
        if expected <= 0:
            return
        for n in sorted(k for k in self.data if k >= expected * 2 and k <= self.max):
            count = self.data[n]
            m = n - expected
            while count and m > expected:
                self.data[m] += count
                self.count += count
                m -= expected

    def mean(self) -> float:
        if self.count == 0:
            return 0.0
        total = sum(k * self.data[k] for k in self._values())
        return total / self.count

    def stdev(self, mean: float) -> float:
        if self.count < 2:
            return 0.0
        total = sum((k - mean) ** 2 * self.data[k] for k in self._values())
        return math.sqrt(total / (self.count - 1))

    def within_stdev(self, mean: float, stdev: float, n: int) -> float:
        if self.count == 0:
            return math.nan
        upper, lower = mean + stdev * n, mean - stdev * n
        inside = sum(self.data[k] for k in self._values() if lower <= k <= upper)
        return inside / self.count * 100

    def percentile(self, p: float) -> int:
        rank = math.floor((p / 100.0) * self.count + 0.5 + 0.5)
        total = 0
        for k in self._values():
            total += self.data[k]
            if total >= rank:
                return k
        return 0


def _print_units(n: float, fmt: Any, width: int) -> str:
    msg = fmt(n)
    pad = 2
    if msg[-1:].isalpha():
        pad -= 1
    if len(msg) > 1 and msg[-2].isalpha():
        pad -= 1
    width -= pad
    return f"{msg[:width]:>{width}}" + " " * pad


def _print_stats(name: str, stats: Stats, fmt: Any) -> str:
    mean = stats.mean()
    stdev = stats.stdev(mean)
    within = stats.within_stdev(mean, stdev, 1)
    share = "    -nan" if math.isnan(within) else f"{within:8.2f}"
    return (f"    {name:<10s}" + _print_units(mean, fmt, 8) + _print_units(stdev, fmt, 10)
            + _print_units(stats.max, fmt, 9) + share + "%\n")


# --------------------------------------------------------------------------- the command


class _Usage(Exception):
    def __init__(self, message: str = "") -> None:
        self.message = message


def _parse(ctx: ExecContext, args: list[str]) -> dict[str, Any]:
    cfg: dict[str, Any] = {"threads": 2, "connections": 10, "duration": 10, "timeout": 2000,
                           "latency": False, "headers": [], "url": None, "script": None}
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional.extend(args[i:])
            break
        letters: list[tuple[str, str | None]] = []
        if arg.startswith("--"):
            name, eq, value = arg[2:].partition("=")
            key = _LONG.get(name)
            if key is None:
                matches = [k for k in _LONG if k.startswith(name)] if name else []
                if len(matches) == 1:
                    key = _LONG[matches[0]]
            if key is None:
                ctx.stderr.write(f"wrk: unrecognized option '{arg}'\n")
                raise _Usage
            if key in _TAKES:
                if not eq:
                    if i >= len(args):
                        ctx.stderr.write(f"wrk: option '{arg}' requires an argument\n")
                        raise _Usage
                    value = args[i]
                    i += 1
                letters.append((key, value))
            else:
                letters.append((key, None))
        elif arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                letter = arg[j]
                j += 1
                if letter not in "tcdsHTLrv?h" or letter == "h":
                    ctx.stderr.write(f"wrk: invalid option -- '{letter}'\n")
                    raise _Usage
                if letter in _TAKES:
                    if j < len(arg):
                        letters.append((letter, arg[j:]))
                        j = len(arg)
                    elif i < len(args):
                        letters.append((letter, args[i]))
                        i += 1
                    else:
                        ctx.stderr.write(f"wrk: option requires an argument -- '{letter}'\n")
                        raise _Usage
                else:
                    letters.append((letter, None))
        else:
            positional.append(arg)
            continue
        for key, value in letters:
            if key == "t":
                cfg["threads"] = scan_metric(value or "")
                if cfg["threads"] is None:
                    raise _Usage
            elif key == "c":
                cfg["connections"] = scan_metric(value or "")
                if cfg["connections"] is None:
                    raise _Usage
            elif key == "d":
                cfg["duration"] = scan_time(value or "")
                if cfg["duration"] is None:
                    raise _Usage
            elif key == "s":
                cfg["script"] = value
            elif key == "H":
                cfg["headers"].append(value or "")
            elif key == "L":
                cfg["latency"] = True
            elif key == "T":
                seconds = scan_time(value or "")
                if seconds is None:
                    raise _Usage
                cfg["timeout"] = seconds * 1000
            elif key == "v":
                ctx.stdout.write(f"wrk {VERSION} [epoll] Copyright (C) 2012 Will Glozer\n")
            elif key in ("h", "?"):
                raise _Usage
    if not positional or not cfg["threads"] or not cfg["duration"]:
        raise _Usage
    try:
        cfg["url"] = parse_wrk(positional[0])
    except URLError as bad:
        ctx.stderr.write(bad.message + "\n")
        raise _Usage from None
    if not cfg["connections"] or cfg["connections"] < cfg["threads"]:
        ctx.stderr.write("number of connections must be >= threads\n")
        raise _Usage
    cfg["raw"] = positional[0]
    return cfg


def wrk(ctx: ExecContext, argv: list[str]) -> Proc:
    """``wrk <options> <url>``."""
    try:
        cfg = _parse(ctx, argv[1:])
    except _Usage:
        ctx.stdout.write(USAGE)
        return 1
    if cfg["script"] is not None:
        ctx.stderr.write(f"{cfg['script']}: cannot open {cfg['script']}\n")
        return 1
    try:
        tr = transport(ctx)
    except NoNetwork:
        ctx.stderr.write("wrk: no network on this machine\n")
        return 1
    return (yield from _run(ctx, tr, cfg))


def _run(ctx: ExecContext, tr: Any, cfg: dict[str, Any]) -> Generator[Any, Any, int]:
    yield Sleep(EXEC_COST["wrk"])
    url = cfg["url"]
    service = url.port_text or url.scheme
    try:
        tr.resolve(url.host)
    except NetError:
        ctx.stderr.write(f"unable to resolve {url.host}:{service} {gai_strerror(ctx)}\n")
        return 1
    probe = getattr(tr, "probe", None)
    if probe is not None:
        failure = probe(url.host, url.port)
        if failure is not None:
            detail = failure.detail or "Connection refused"
            ctx.stderr.write(f"unable to connect to {url.host}:{service} {detail}\n")
            return 1
    threads, connections = cfg["threads"], cfg["connections"]
    per_thread = connections // threads
    host = f"[{url.host}]" if ":" in url.host else url.host
    host_header = f"{host}:{url.port_text}" if url.port_text else host
    headers = [("Host", host_header)]
    for line in cfg["headers"]:
        name, _, value = line.partition(":")
        if name.lower() == "host":
            headers[0] = ("Host", value.strip())
        else:
            headers.append((name, value.lstrip()))
    template = Request("GET", url.scheme, url.host, url.port, url.target, headers)

    def make_request(connection: int, sequence: int) -> Request:
        return template

    duration = cfg["duration"] * 1_000_000_000
    ctx.stdout.write(f"Running {format_time_s(cfg['duration'])} test @ {cfg['raw']}\n")
    ctx.stdout.write(f"  {threads} threads and {connections} connections\n")
    start = ctx.now
    # The threads notice the end at their first 100 ms tick after it.
    run_length = (duration // RECORD_INTERVAL + 1) * RECORD_INTERVAL
    limit = deadline(ctx)
    if limit is not None and start + run_length > limit:
        run_length = max(0, limit - start)
    timeout_ns = cfg["timeout"] * 1_000_000
    spec = LoadSpec(connections=per_thread * threads, make_request=make_request,
                    duration=run_length, timeout=timeout_ns)
    samples = yield from tr.run_load(spec)
    runtime_ns = max(ctx.now - start, 1)
    end = start + run_length
    report = _report(cfg, samples, start, end, runtime_ns, per_thread)
    ctx.stdout.write(report)
    return 0


def thread_rates(counts: list[int]) -> list[int]:
    """``record_rate``: at each 100 ms tick ``k`` (``counts[k]`` requests completed in that
    window) a thread with completions records ``requests / elapsed_ms · 1000`` and restarts
    its clock; a tick without completions leaves the clock running."""
    out = []
    pending = 0
    since = 0
    for k in range(1, len(counts)):
        pending += counts[k]
        if pending > 0:
            elapsed_ms = (k - since) * (RECORD_INTERVAL // 1_000_000)
            out.append(int(pending / elapsed_ms * 1000))
            pending = 0
            since = k
    return out


def _report(cfg: dict[str, Any], samples: list[Any], start: int, end: int, runtime_ns: int,
            per_thread: int) -> str:
    threads, connections = cfg["threads"], cfg["connections"]
    timeout_us = cfg["timeout"] * 1000
    latency = Stats(timeout_us)
    complete = 0
    byte_count = 0
    status_errors = 0
    errors = {"connect": 0, "read": 0, "write": 0, "timeout": 0}
    ticks = max(1, -(-(end - start) // RECORD_INTERVAL))
    per_window = [[0] * (ticks + 1) for _ in range(threads)]
    record = latency.record
    for s in samples:
        if s.end > end:
            continue
        if s.status == 0:
            kind = s.error
            if kind in ("refused", "unreachable", "dns"):
                errors["connect"] += 1
            elif kind == "timeout":
                errors["timeout"] += 1
            else:
                errors["read"] += 1
            continue
        complete += 1
        byte_count += s.header_bytes + s.body_bytes
        if s.status > 399:
            status_errors += 1
        if not record((s.end - s.start) // 1000):
            errors["timeout"] += 1
        thread = min(s.connection // per_thread, threads - 1) if per_thread else 0
        window = -(-(s.end - start) // RECORD_INTERVAL)
        per_window[thread][min(max(window, 1), ticks)] += 1
    rates = Stats(10_000_000)
    for counts in per_window:
        for rate in thread_rates(counts):
            rates.record(rate)
    runtime_us = runtime_ns // 1000
    if complete // connections > 0:
        latency.correct(runtime_us // (complete // connections))
    runtime_s = runtime_us / 1_000_000.0
    out = ["  Thread Stats   Avg      Stdev     Max   +/- Stdev\n",
           _print_stats("Latency", latency, format_time_us),
           _print_stats("Req/Sec", rates, format_metric)]
    if cfg["latency"]:
        out.append("  Latency Distribution\n")
        for p in (50.0, 75.0, 90.0, 99.0):
            out.append(f"{p:7.0f}%" + _print_units(latency.percentile(p), format_time_us, 10)
                       + "\n")
    out.append(f"  {complete} requests in {format_time_us(runtime_us)}, "
               f"{format_binary(byte_count)}B read\n")
    if any(errors.values()):
        out.append(f"  Socket errors: connect {errors['connect']}, read {errors['read']}, "
                   f"write {errors['write']}, timeout {errors['timeout']}\n")
    if status_errors:
        out.append(f"  Non-2xx or 3xx responses: {status_errors}\n")
    out.append(f"Requests/sec: {complete / runtime_s if runtime_s else 0.0:9.2f}\n")
    out.append(f"Transfer/sec: {format_binary(byte_count / runtime_s if runtime_s else 0.0):>10s}"
               "B\n")
    return "".join(out)
