"""fortio 1.60.3 (the ``fortio/fortio`` image istio.io uses): ``fortio load`` and
``fortio curl``.

Modelled on fortio.org/fortio ``cli/fortio_main.go`` (the report goes to stderr; defaults
``-qps 8 -c 4 -t 5s -p 50,75,90,99,99.9 -r 0.001``; ``-a`` saves
``<YYYY-MM-DD-HHMMSS>_<labels>.json``; ``All done N calls (plus N warmup) …``),
``periodic/periodic.go`` (per-thread call counts and the pacing ``(i + i/(n-1)) / qps`` of
``-qps`` runs, sleep statistics, ``Ended after``), ``stats/stats.go`` (the fixed histogram
buckets, ``]prev, cur]`` intervals with the 1e-12 edge rule, interpolated percentiles,
``%.8g``/``%.4g``/``%g``/``%.9g`` printing), ``fhttp/httprunner.go`` (per-connection socket
lines, ``Sockets used``, ``IP addresses distribution``, ``Code 200 : N (x %)``, response
size counters; a non-2xx reply's header size is 0 as the fast client reports it) and the
structured JSON log lines of fortio.org/log on stderr (stderr is not a terminal in the lab;
see docs/realism.md), as in the 1.60.3 transcripts quoted in istio.md §7.2.

Statistics are aggregated per thread as fortio does (sums in call order, then merged in
thread order), from the samples the network returns — no per-request formatting, so a
30,000-call run costs a few milliseconds here.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Generator
from dataclasses import dataclass, field
from functools import reduce
from itertools import compress, groupby, repeat
from operator import add, attrgetter, floordiv, is_not, mul, ne, not_, sub, truediv
from typing import Any

from ...network.http import LoadSpec, NetError, Request, Response, Sample
from ...sim.process import ExecContext, Proc, Sleep
from ...sim.timefmt import go_duration, to_datetime
from ._common import EXEC_COST, NoNetwork, deadline, transport, write_file
from .gofmt import go_g, go_gp, json_float
from .url import URLError, parse_fortio

__all__ = ["VERSION", "Histogram", "fortio"]

VERSION = "1.60.3"
LONG_VERSION = f"{VERSION} h1:adR0uf/69M5xxKaMLAautVf9FIVkEpMwuEWyMaaSnI0= go1.20.10 amd64 linux"
USER_AGENT = f"fortio.org/fortio-{VERSION}"
PROGRAM = "\u03a6\u03bf\u03c1\u03c4\u03af\u03bf"  # Φορτίο

LEVELS = ("Debug", "Verbose", "Info", "Warning", "Error", "Critical", "Fatal")
JSON_LEVELS = ("dbug", "trace", "info", "warn", "err", "crit", "fatal")
INFO, WARNING = 2, 3

# --------------------------------------------------------------------------- stats.go

BUCKETS = (
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 18, 20, 25, 30, 35, 40, 45, 50, 60, 70,
    80, 90, 100, 120, 140, 160, 180, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900,
    1000, 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000,
)
NUM_VALUES = len(BUCKETS)
NUM_BUCKETS = NUM_VALUES + 1
_MAX_ARRAY = 1000
_MAX_ARRAY_INDEX = BUCKETS.index(_MAX_ARRAY)


def _val2bucket() -> list[int]:
    table = []
    idx = 0
    for i in range(_MAX_ARRAY):
        if i >= BUCKETS[idx]:
            idx += 1
        table.append(idx)
    return table


_VAL2BUCKET = _val2bucket()


def _bucket(scaled: float) -> int:
    """``Histogram.record``'s index for an already scaled value."""
    if scaled <= BUCKETS[0]:
        return 0
    if scaled > BUCKETS[-1]:
        return NUM_BUCKETS - 1
    sv = int(scaled)
    if scaled - sv < 1e-12:
        sv -= 1
    if sv < _MAX_ARRAY:
        return _VAL2BUCKET[sv]
    for i in range(_MAX_ARRAY_INDEX, NUM_VALUES):
        if BUCKETS[i] > sv:
            return i
    return NUM_BUCKETS - 1  # pragma: no cover - unreachable, as in fortio


class Histogram:
    """fortio's ``stats.Histogram`` (Counter + fixed buckets) over integer samples.

    Samples are integers in ``unit`` per real unit (ns for seconds: ``unit=1e9``; bytes:
    ``unit=1``), so sums are exact and the work is done by C-level ``map``/``Counter``:
    a 30,000-call run costs milliseconds. fortio's bucket rule — ``]prev, cur]`` intervals,
    an exact multiple of the divider falling in the lower bucket (its 1e-12 epsilon) — is
    ``(v - offset) ... ceil(x/d) - 1`` in integers. ``offset``/``divider`` are in real units.
    """

    __slots__ = ("count", "divider", "hdata", "imax", "imin", "offset", "sum", "sumsq",
                 "unit")

    def __init__(self, offset: float, divider: float, unit: int = 1_000_000_000) -> None:
        self.offset = offset
        self.divider = divider
        self.unit = unit
        self.count = 0
        self.imin = 0
        self.imax = 0
        self.sum = 0.0    # float64 sums accumulated in call order, as Go's Counter does
        self.sumsq = 0.0
        self.hdata = [0] * NUM_BUCKETS

    # -- recording

    def _bucket_counts(self, keys: Any) -> Counter[int]:
        off = self.offset * self.unit
        div = self.divider * self.unit
        if off == int(off) and div == int(div) and div >= 1:
            shift, d = int(off) + 1, int(div)
            return Counter(map(floordiv, map(sub, keys, repeat(shift)), repeat(d)))
        out: Counter[int] = Counter()
        for v in keys:
            x = (v / self.unit - self.offset) / self.divider
            out[int(x) - (x - int(x) < 1e-12)] += 1
        return out

    def _add_buckets(self, truncated: dict[int, int]) -> None:
        hdata = self.hdata
        last = NUM_BUCKETS - 1
        for sv, n in truncated.items():
            if sv < 0:
                hdata[0] += n
            elif sv >= BUCKETS[-1]:
                hdata[last] += n
            elif sv < _MAX_ARRAY:
                hdata[_VAL2BUCKET[sv]] += n
            else:
                hdata[_bucket(sv + 0.5)] += n

    def _add_stats(self, count: int, lo: int, hi: int, total: float, squares: float) -> None:
        if self.count == 0:
            self.imin, self.imax = lo, hi
        else:
            self.imin = min(self.imin, lo)
            self.imax = max(self.imax, hi)
        self.count += count
        self.sum += total
        self.sumsq += squares

    def record_values(self, values: list[int]) -> None:
        if not values:
            return
        floats = list(map(truediv, values, repeat(float(self.unit))))
        self._add_stats(len(values), min(values), max(values), reduce(add, floats, 0.0),
                        reduce(add, map(mul, floats, floats), 0.0))
        self._add_buckets(self._bucket_counts(values))

    def record_counts(self, counts: dict[int, int]) -> None:
        """Values with repeats whose float sums are exact (byte counts)."""
        if not counts:
            return
        keys = list(counts)
        unit = float(self.unit)
        self._add_stats(sum(counts.values()), min(keys), max(keys),
                        float(sum((k / unit) * n for k, n in counts.items())),
                        float(sum((k / unit) * (k / unit) * n for k, n in counts.items())))
        truncated: Counter[int] = Counter()
        for key, n in counts.items():
            (sv,) = self._bucket_counts([key])
            truncated[sv] += n
        self._add_buckets(truncated)

    def transfer(self, src: Histogram) -> None:
        """``Histogram.Transfer`` for same-scale histograms."""
        if src.count == 0:
            return
        self._add_stats(src.count, src.imin, src.imax, src.sum, src.sumsq)
        self.hdata = [a + b for a, b in zip(self.hdata, src.hdata, strict=True)]

    # -- reading (real units, float64 as fortio holds them)

    @property
    def min(self) -> float:
        return self.imin / self.unit

    @property
    def max(self) -> float:
        return self.imax / self.unit

    def avg(self) -> float:
        return self.sum / self.count if self.count else 0.0

    def stddev(self) -> float:
        if self.count == 0:
            return 0.0
        n = float(self.count)
        total = self.sum
        sigma = (self.sumsq - total * total / n) / n
        return math.sqrt(sigma) if sigma >= 0 else 0.0

    def counter_line(self, msg: str) -> str:
        return (f"{msg} : count {self.count} avg {go_gp(self.avg(), 8)} +/- "
                f"{go_gp(self.stddev(), 4)} min {go_g(self.min)} max {go_g(self.max)} "
                f"sum {go_gp(self.sum, 9)}\n")

    def export(self, percentiles: list[float] | None = None) -> HistogramData:
        data = HistogramData(self.count, self.min, self.max, self.sum, self.avg(),
                             self.stddev())
        last = -1
        for i in range(NUM_BUCKETS - 1, -1, -1):
            if self.hdata[i] > 0:
                last = i
                break
        if last >= 0:
            prev = BUCKETS[0]
            total = 0
            m, o = self.divider, self.offset
            for i in range(last + 1):
                n = self.hdata[i]
                if n == 0:
                    if i < NUM_VALUES:
                        prev = BUCKETS[i]
                    continue
                total += n
                start = self.min if not data.data else m * prev + o
                percent = 100.0 * total / self.count
                if i < NUM_VALUES:
                    end = m * BUCKETS[i] + o
                    prev = BUCKETS[i]
                else:
                    start = m * prev + o
                    end = self.max
                data.data.append([start, end, percent, n])
            data.data[-1][1] = self.max
        if percentiles and self.count:
            data.percentiles = [(p, data.percentile(p)) for p in percentiles]
        return data


@dataclass
class HistogramData:
    count: int
    min: float
    max: float
    sum: float
    avg: float
    stddev: float
    data: list[list[Any]] = field(default_factory=list)  # [start, end, percent, count]
    percentiles: list[tuple[float, float]] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        if not self.data:
            return 0.0
        if p >= 100:
            return self.max
        pp = 100.0 / self.count
        if p <= pp:
            return self.min
        for start, end, percent, _ in self.data:
            if p <= percent:
                return start + (p - pp) / (percent - pp) * (end - start)
            pp = percent
        return self.max

    def lines(self, msg: str) -> str:
        if not self.data:
            return f"{msg} : no data\n"
        out = [f"{msg} : count {self.count} avg {go_gp(self.avg, 8)} +/- "
               f"{go_gp(self.stddev, 4)} min {go_g(self.min)} max {go_g(self.max)} "
               f"sum {go_gp(self.sum, 9)}\n", "# range, mid point, percentile, count\n"]
        for i, (start, end, percent, n) in enumerate(self.data):
            sep = ">=" if i == 0 else ">"
            out.append(f"{sep} {go_gp(start, 6)} <= {go_gp(end, 6)} , "
                       f"{go_gp((start + end) / 2.0, 6)} , {percent:.2f}, {n}\n")
        for p, value in self.percentiles:
            out.append(f"# target {go_g(p)}% {go_gp(value, 6)}\n")
        return "".join(out)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "Count": self.count, "Min": _F(self.min), "Max": _F(self.max), "Sum": _F(self.sum),
            "Avg": _F(self.avg), "StdDev": _F(self.stddev),
            "Data": [{"Start": _F(s), "End": _F(e), "Percent": _F(p), "Count": n}
                     for s, e, p, n in self.data] if self.data else None,
        }
        if self.percentiles:
            out["Percentiles"] = [{"Percentile": _F(p), "Value": _F(v)}
                                  for p, v in self.percentiles]
        return out


class _F(float):
    """A float that the JSON writer prints the way Go's encoding/json does."""


def _go_json(value: Any, indent: str = "") -> str:
    """``json.MarshalIndent(v, "", "  ")`` for the result's dicts (insertion order kept)."""
    inner = indent + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_go_string(str(k))}: {_go_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _go_json(v, inner) for v in value) + "\n" + indent + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, _F):
        return json_float(float(value))
    if isinstance(value, float):
        return json_float(value)
    if isinstance(value, int):
        return str(value)
    return _go_string(str(value))


def _go_string(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --------------------------------------------------------------------------- flags


@dataclass
class Flags:
    qps: float = 8.0
    c: int = 4
    t: int = 5_000_000_000  # ns; <= 0 runs until interrupted
    n: int = 0
    a: bool = False
    p: str = "50,75,90,99,99.9"
    r: float = 0.001
    json: str = ""
    labels: str = ""
    headers: list[str] = field(default_factory=list)
    loglevel: int = INFO
    timeout: int = 3_000_000_000
    data_dir: str = "."
    allow_initial_errors: bool = False
    abort_on: int = 0
    uniform: bool = False
    jitter: bool = False
    nocatchup: bool = False
    payload: str = ""
    curl_headers_stdout: bool = False
    args: list[str] = field(default_factory=list)
    loglevel_changed: bool = False


_BOOL_FLAGS = {"a", "allow-initial-errors", "uniform", "jitter", "nocatchup", "k", "h2",
               "stdclient", "curl", "quiet", "http1.0", "keepalive", "compression",
               "curl-stdout-headers", "sequential-warmup", "calc-qps", "L", "httpbufferkb"}
_VALUE_FLAGS = {"qps", "c", "t", "n", "p", "r", "json", "labels", "H", "loglevel", "timeout",
                "data-dir", "abort-on", "payload", "content-type", "X", "resolve", "offset",
                "gomaxprocs", "user", "cacert", "cert", "key", "base-url", "connection-reuse",
                "access-log-file", "access-log-format", "logcaller", "log-errors",
                "payload-file", "payload-size", "maxpayloadsizekb", "s", "runid"}


class _FlagError(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


def _go_duration_parse(text: str) -> int | None:
    """Go ``time.ParseDuration`` (plus fortio.org/duration's ``d``/``w``); ns or None."""
    if text in ("0", "+0", "-0"):
        return 0
    units = {"ns": 1, "us": 1_000, "\u00b5s": 1_000, "\u03bcs": 1_000, "ms": 1_000_000,
             "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000,
             "d": 86_400_000_000_000, "w": 7 * 86_400_000_000_000}
    sign = 1
    rest = text
    if rest[:1] in "+-":
        sign = -1 if rest[0] == "-" else 1
        rest = rest[1:]
    if not rest:
        return None
    total = 0.0
    while rest:
        i = 0
        while i < len(rest) and (rest[i].isdigit() or rest[i] == "."):
            i += 1
        if i == 0:
            return None
        number = rest[:i]
        rest = rest[i:]
        j = 0
        while j < len(rest) and not (rest[j].isdigit() or rest[j] == "."):
            j += 1
        unit = rest[:j]
        rest = rest[j:]
        if unit not in units:
            return None
        try:
            total += float(number) * units[unit]
        except ValueError:
            return None
    return sign * int(total)


def _parse_flags(args: list[str]) -> Flags:
    flags = Flags()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            flags.args.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            flags.args.append(arg)
            flags.args.extend(args[i:])  # Go's flag stops at the first non-flag
            break
        name = arg.lstrip("-")
        if arg.startswith("---") or not name:
            raise _FlagError(f"bad flag syntax: {arg}")
        value: str | None = None
        if "=" in name:
            name, value = name.split("=", 1)
        if name in ("h", "help"):
            raise _FlagError("")
        if name in _BOOL_FLAGS:
            if value is not None and value.lower() not in ("true", "false", "1", "0", "t",
                                                           "f"):
                raise _FlagError(f'invalid boolean value "{value}" for -{name}: parse error')
            on = value is None or value.lower() in ("true", "1", "t")
            if name == "a":
                flags.a = on
            elif name == "allow-initial-errors":
                flags.allow_initial_errors = on
            elif name == "uniform":
                flags.uniform = on
            elif name == "jitter":
                flags.jitter = on
            elif name == "nocatchup":
                flags.nocatchup = on
            elif name == "curl-stdout-headers":
                flags.curl_headers_stdout = on
            continue
        if name not in _VALUE_FLAGS:
            raise _FlagError(f"flag provided but not defined: -{name}")
        if value is None:
            if i >= len(args):
                raise _FlagError(f"flag needs an argument: -{name}")
            value = args[i]
            i += 1
        _set_flag(flags, name, value)
    return flags


def _set_flag(flags: Flags, name: str, value: str) -> None:
    def bad(kind: str = "parse error") -> _FlagError:
        return _FlagError(f'invalid value "{value}" for flag -{name}: {kind}')

    if name == "qps":
        try:
            flags.qps = float(value)
        except ValueError:
            raise bad() from None
    elif name in ("c", "n", "abort-on"):
        try:
            number = int(value, 0)
        except ValueError:
            raise bad() from None
        if name == "c":
            flags.c = number
        elif name == "n":
            flags.n = number
        else:
            flags.abort_on = number
    elif name in ("t", "timeout"):
        ns = _go_duration_parse(value)
        if ns is None:
            raise bad()
        if name == "t":
            flags.t = ns
        else:
            flags.timeout = ns
    elif name == "p":
        flags.p = value
    elif name == "r":
        try:
            flags.r = float(value)
        except ValueError:
            raise bad() from None
    elif name == "json":
        flags.json = value
    elif name == "labels":
        flags.labels = value
    elif name == "H":
        flags.headers.append(value)
    elif name == "loglevel":
        names = [n.lower() for n in LEVELS]
        if value.lower() not in names:
            raise bad(f"level {value} not recognized")
        flags.loglevel = names.index(value.lower())
        flags.loglevel_changed = True
    elif name == "data-dir":
        flags.data_dir = value
    elif name == "payload":
        flags.payload = value


def _percentiles(text: str) -> list[float]:
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            p = float(part)
        except ValueError:
            raise _FlagError(f'Unable to extract percentiles from -p: strconv.ParseFloat: '
                             f'parsing "{part}": invalid syntax') from None
        if p <= 0 or p >= 100:
            raise _FlagError(f"Unable to extract percentiles from -p: percentile {go_g(p)} "
                             "must be > 0 and < 100")
        out.append(p)
    if not out:
        raise _FlagError("Unable to extract percentiles from -p: list can't be empty")
    return out


USAGE = "\n".join([
    PROGRAM + ' ' + VERSION + ' usage:',
    '\tfortio command [flags] target',
    'where command is one of: load (load testing), server (starts ui, rest api,',
    ' http-echo, redirect, proxies, tcp-echo, udp-echo and grpc ping servers), ',
    ' tcp-echo (only the tcp-echo server), udp-echo (only udp-echo server),',
    ' report (report only UI server), redirect (only the redirect server),',
    ' proxies (only the -M and -P configured proxies), grpcping (gRPC client),',
    ' or curl (single URL debug), or nc (single tcp or udp:// connection),',
    ' or version (prints the full version and build details).',
    'where target is a URL (http load tests) or host:port (grpc health test),',
    ' or tcp://host:port (tcp load test), or udp://host:port (udp load test).',
    'or 1 of the special arguments',
    '\tfortio {help|envhelp|version|buildinfo}',
    'flags:',
    '  -H header',
    '    \tAdditional http header(s) or grpc metadata. Multiple key:value pairs can b'
    'e passed using multiple -H.',
    '  -a\tAutomatically save JSON result with filename based on labels & timestamp',
    '  -abort-on int',
    '    \tHTTP status code that if encountered aborts the run. e.g., 503 or -1 for s'
    'ocket errors.',
    '  -allow-initial-errors',
    "    \tAllow and don't abort on initial warmup errors",
    '  -c int',
    '    \tNumber of connections/goroutine/threads (default 4)',
    '  -data-dir Directory',
    '    \tDirectory where JSON results are stored/read (default ".")',
    '  -json path',
    "    \tJSON output to provided file path or '-' for stdout (empty = no json outpu"
    't, unless -a is used)',
    '  -labels string',
    '    \tAdditional config data/labels to add to the resulting JSON, defaults to ta'
    'rget URL and hostname',
    '  -loglevel level',
    '    \tlog level, one of [Debug Verbose Info Warning Error Critical Fatal] (defau'
    'lt Info)',
    '  -n int',
    '    \tRun for exactly this number of calls instead of duration. Default (0) is t'
    'o use duration (-t). Default is 1 when used as gRPC ping count.',
    '  -p string',
    '    \tList of pXX to calculate (default "50,75,90,99,99.9")',
    '  -qps float',
    '    \tQueries Per Seconds or 0 for no wait/max qps (default 8)',
    '  -r float',
    '    \tResolution of the histogram lowest buckets in seconds (default 0.001)',
    '  -t duration',
    '    \tHow long (duration) to run the test or 0 to run until ^C (default 5s)',
    '  -timeout duration',
    '    \tConnection and read timeout value (for http) (default 3s)',
    '',
])


# --------------------------------------------------------------------------- logging


class _Log:
    """fortio.org/log JSON lines on stderr, filtered by level."""

    def __init__(self, ctx: ExecContext, level: int) -> None:
        self.ctx = ctx
        self.level = level

    def line(self, at: int, level: int, file: str, line: int, msg: str,
             attrs: list[tuple[str, Any]] | None = None, r: int = 1) -> str:
        if level < self.level:
            return ""
        secs, ns = divmod(at, 1_000_000_000)
        parts = [f'"ts":{secs}.{ns // 1000:06d}', f'"level":"{JSON_LEVELS[level]}"',
                 f'"r":{r}', f'"file":"{file}"', f'"line":{line}',
                 f'"msg":{json.dumps(msg, ensure_ascii=False)}']
        for key, value in attrs or []:
            if isinstance(value, bool):
                text = "true" if value else "false"
            elif isinstance(value, int):
                text = str(value)
            elif isinstance(value, float):
                text = json_float(value)
            else:
                text = json.dumps(str(value), ensure_ascii=False)
            parts.append(f'"{key}":{text}')
        return "{" + ",".join(parts) + "}\n"


# --------------------------------------------------------------------------- the command


def fortio(ctx: ExecContext, argv: list[str]) -> Proc:
    """``fortio load|curl|version|help ...``."""
    args = argv[1:]
    if not args or args[0] in ("help", "-h", "--help", "-help"):
        ctx.stderr.write(USAGE)
        return 0 if args else 1
    command, rest = args[0], args[1:]
    yield Sleep(EXEC_COST["fortio"])
    if command == "version":
        ctx.stdout.write(VERSION + "\n")
        return 0
    if command == "buildinfo":
        ctx.stdout.write(f"{LONG_VERSION}\npath\tfortio.org/fortio\n")
        return 0
    if command.startswith("-"):
        # fortio.org/cli: the command comes before the flags
        ctx.stderr.write(f"{PROGRAM} {VERSION} usage:\n\tfortio command [flags] target\n"
                         f"Error: command must be first argument, got flag {command!r}\n")
        return 1
    try:
        flags = _parse_flags(rest)
    except _FlagError as err:
        if err.message:
            ctx.stderr.write(err.message + "\n")
        ctx.stderr.write(USAGE)
        return 0 if not err.message else 1
    if command not in ("load", "curl"):
        if command in ("server", "report", "redirect", "tcp-echo", "udp-echo", "proxies",
                       "grpcping", "nc"):
            ctx.stderr.write(f"fortio: the lab runs only the load and curl commands "
                             f"({command!r} needs a real network)\n")
            return 1
        ctx.stderr.write(USAGE + f"Error: unknown command {command!r}\n")
        return 1
    log = _Log(ctx, flags.loglevel)
    err = ctx.stderr
    if flags.loglevel_changed:
        # logged by the flag's setter while the level is still Info
        err.write(_Log(ctx, INFO).line(ctx.now, INFO, "logger.go", 254,
                                       f"Log level is now {flags.loglevel} "
                                       f"{LEVELS[flags.loglevel]} (was {INFO} Info)"))
    else:
        err.write(log.line(ctx.now, INFO, "scli.go", 123, "Starting",
                           [("command", PROGRAM), ("version", LONG_VERSION)]))
    if len(flags.args) != 1:
        err.write(f"Error: fortio {command} needs a URL or destination\n")
        return 1
    try:
        url_text, url, assumed = parse_fortio(flags.args[0])
    except URLError as bad:
        err.write(log.line(ctx.now, 4, "http_client.go", 279, "Unable to make request",
                           [("method", "GET"), ("url", flags.args[0]), ("err", bad.message),
                            ("thread", 0), ("run", 0)]))
        err.write(f"Aborting because of {bad.message}\n")
        return 1
    if assumed:
        err.write(log.line(ctx.now, WARNING, "http_client.go", 172,
                           f"Assuming http:// on missing scheme for '{flags.args[0]}'"))
    try:
        tr = transport(ctx)
    except NoNetwork:
        err.write("Aborting because of no network on this machine\n")
        return 1
    request = _request(flags, url)
    if command == "curl":
        return (yield from _curl(ctx, tr, flags, url_text, request, log))
    try:
        percentiles = _percentiles(flags.p)
    except _FlagError as bad_p:
        err.write(bad_p.message + "\n")
        return 1
    return (yield from _load(ctx, tr, flags, url_text, url, request, percentiles, log))


def _request(flags: Flags, url: Any) -> Request:
    host = url.netloc
    headers = [("Host", host), ("User-Agent", USER_AGENT)]
    for line in flags.headers:
        name, _, value = line.partition(":")
        name, value = name.strip(), value.strip()
        if name.lower() == "host":
            headers[0] = ("Host", value)
        elif name.lower() == "user-agent":
            headers = [h for h in headers if h[0] != "User-Agent"]
            if value:
                headers.append(("User-Agent", value))
        else:
            headers.append((name, value))
    body = flags.payload.encode()
    method = "POST" if body else "GET"
    if body:
        headers += [("Content-Type", "application/octet-stream"),
                    ("Content-Length", str(len(body)))]
    return Request(method, url.scheme, url.host, url.port, url.target, headers, body)


def _curl(ctx: ExecContext, tr: Any, flags: Flags, url_text: str, request: Request,
          log: _Log) -> Generator[Any, Any, int]:
    ex = tr.exchange(request, connect_timeout=flags.timeout, timeout=flags.timeout)
    yield Sleep(ex.total)
    if ex.error is not None:
        ctx.stderr.write(_socket_error_log(ctx, log, ctx.now, ex.error, 0, 1))
        ctx.stderr.write(log.line(ctx.now, 4, "bincommon.go", 398,
                                  "Error status -1 : ", r=1))
        return 1
    response = ex.response
    assert response is not None
    head = _head_bytes(response)
    data = head + response.body
    if flags.curl_headers_stdout:
        ctx.stdout.write(data.decode("utf-8", "replace"))
    else:
        ctx.stderr.write(head.decode("utf-8", "replace"))
        ctx.stdout.write(response.body.decode("utf-8", "replace"))
    if response.status != 200:
        summary = data[:512].decode("utf-8", "replace").replace("\r", "\\r").replace(
            "\n", "\\n")
        ctx.stderr.write(log.line(ctx.now, 4, "bincommon.go", 398,
                                  f"Error status {response.status} : {summary}"))
        return 1
    return 0


def _head_bytes(response: Response) -> bytes:
    lines = [response.status_line] + [f"{n}: {v}" for n, v in response.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _socket_error_log(ctx: ExecContext, log: _Log, at: int, error: NetError, thread: int,
                      r: int) -> str:
    dest = f"{error.ip or error.host}:{error.port}"
    if error.kind == "dns":
        return log.line(at, 4, "http_client.go", 898, "Unable to resolve hostname",
                        [("hostname", error.host), ("err", f"lookup {error.host}: no such host"),
                         ("thread", thread), ("run", 0)], r=r)
    if error.kind in ("refused", "unreachable"):
        errno = "connection refused" if error.kind == "refused" else "no route to host"
        return log.line(at, 4, "http_client.go", 912, "Unable to connect",
                        [("dest", dest), ("err", f"dial tcp {dest}: connect: {errno}"),
                         ("numfd", 0), ("thread", thread), ("run", 0)], r=r)
    if error.kind == "timeout":
        return log.line(at, 4, "http_client.go", 1002, "Unable to read",
                        [("dest", dest), ("err", f"read tcp {dest}: i/o timeout"),
                         ("thread", thread), ("run", 0)], r=r)
    return log.line(at, 4, "http_client.go", 1002, "Unable to read",
                    [("dest", dest), ("err", f"read tcp {dest}: read: connection reset by peer"),
                     ("thread", thread), ("run", 0)], r=r)


@dataclass
class _Plan:
    threads: int
    calls: list[int]            # per thread; 0 = unbounded
    use_qps: bool
    requested_duration: str
    requested_qps: str
    exactly: int
    start_line: str
    warnings: list[str] = field(default_factory=list)


def _plan(flags: Flags, gomax: int) -> _Plan:
    qps = flags.qps if flags.qps > 0 else -1.0
    threads = flags.c if flags.c > 0 else 4
    if threads < 1:
        threads = 1
    duration = flags.t if flags.t > 0 else 0
    normalized = duration if duration else 5_000_000_000
    exactly = flags.n if flags.n > 0 else 0
    has_duration = flags.t > 0
    warnings: list[str] = []
    if qps > 0:
        requested_qps = go_gp(qps, 9)
        if not has_duration and not exactly:
            line = f"Starting at {go_g(qps)} qps with {threads} thread(s) [gomax {gomax}] " \
                   "until interrupted\n"
            return _Plan(threads, [0] * threads, True, "until stop", requested_qps, 0, line)
        num = int(qps * normalized / 1e9)
        requested = go_duration(normalized)
        if exactly:
            num = exactly
            requested = f"exactly {num} calls"
        if num < 2:
            warnings.append("Increasing the number of calls to the minimum of 2 with 1 thread. "
                            "total duration will increase")
            num, threads = 2, 1
        if 2 * threads > num:
            new = num // 2
            warnings.append(f"Lowering number of threads - total call {num} -> lowering from "
                            f"{threads} to {new} threads")
            threads = new
        per = num // threads
        total = per * threads
        left = exactly - total if exactly else 0
        if exactly:
            line = (f"Starting at {go_g(qps)} qps with {threads} thread(s) [gomax {gomax}] : "
                    f"exactly {exactly}, {per} calls each (total {total} + {left})\n")
        else:
            line = (f"Starting at {go_g(qps)} qps with {threads} thread(s) [gomax {gomax}] for "
                    f"{go_duration(normalized)} : {per} calls each (total {total})\n")
        calls = [per + (left if i == 0 else 0) for i in range(threads)]
        plan = _Plan(threads, calls, True, requested, requested_qps, exactly, line)
        plan.warnings = warnings
        return plan
    if not exactly and not has_duration:
        line = f"Starting at max qps with {threads} thread(s) [gomax {gomax}] until interrupted\n"
        return _Plan(threads, [0] * threads, False, "until stop", "max", 0, line)
    if exactly:
        per, left = exactly // threads, exactly % threads
        line = (f"Starting at max qps with {threads} thread(s) [gomax {gomax}] for exactly "
                f"{exactly} calls ({per} per thread + {left})\n")
        calls = [per + (left if i == 0 else 0) for i in range(threads)]
        return _Plan(threads, calls, False, f"exactly {exactly} calls", "max", exactly, line)
    line = (f"Starting at max qps with {threads} thread(s) [gomax {gomax}] for "
            f"{go_duration(duration)}\n")
    return _Plan(threads, [0] * threads, False, go_duration(duration), "max", 0, line)


_BY_CONN_START = attrgetter("connection", "start")
_ROW = attrgetter("start", "end", "status", "header_bytes", "body_bytes")
_WARMUP = attrgetter("warmup")
_CONN = attrgetter("connection")
_CONNECT = attrgetter("connect")


def _gen_id(at: int, labels: str) -> str:
    base = to_datetime(at).strftime("%Y-%m-%d-%H%M%S")
    if not labels:
        return base
    out = base + "_"
    last = "_"
    for ch in labels:
        if ch.isascii() and ch.isalnum():
            last = ch
        else:
            if last == "_":
                continue
            last = "_"
        out += last
    if last == "_":
        out = out[:-1]
    return out[:96]


def _hostname(ctx: ExecContext) -> str:
    name = getattr(ctx.host, "hostname", None)
    if isinstance(name, str) and name:
        return name
    try:
        return ctx.fs.read("/etc/hostname").decode().strip() or "localhost"
    except Exception:
        return "localhost"


def _load(ctx: ExecContext, tr: Any, flags: Flags, url_text: str, url: Any, request: Request,
          percentiles: list[float], log: _Log) -> Generator[Any, Any, int]:
    err = ctx.stderr
    t0 = ctx.now
    gomax = int(getattr(ctx.host, "cpus", 0) or 8)
    qps_shown = flags.qps
    head = f"Fortio {VERSION} running at {go_g(qps_shown)} queries per second, " \
           f"{gomax}->{gomax} procs"
    if flags.n > 0:
        head += f", for {flags.n} calls: {url_text}\n"
    elif flags.t <= 0:
        head += f", until interrupted: {url_text}\n"
    else:
        head += f", for {go_duration(flags.t)}: {url_text}\n"
    out: list[str] = [head]
    plan = _plan(flags, gomax)
    threads = plan.threads
    out.append(log.line(t0, INFO, "httprunner.go", 121, "Starting http test",
                        [("run", 0), ("url", url_text), ("threads", flags.c if flags.c > 0
                                                          else 4),
                         ("qps", f"{flags.qps if flags.qps > 0 else -1.0:.1f}"),
                         ("warmup", "parallel"), ("conn-reuse", "")]))
    labels = flags.labels
    if not labels:
        short = url_text
        for prefix in ("https://", "http://"):
            if short.startswith(prefix):
                short = short[len(prefix):]
                break
        labels = f"{short} , {_hostname(ctx).split('.', 1)[0]}"
    run_id = _gen_id(t0, labels)
    warmup = 0 if plan.exactly else 1
    per_thread_qps = flags.qps / threads if plan.use_qps else 0.0
    calls = plan.calls

    def pace(connection: int, sequence: int) -> int | None:
        n = calls[connection] if connection < len(calls) else 0
        if n and sequence >= n:
            return None
        if not plan.use_qps:
            return 0
        if n:
            target = (sequence + sequence / (n - 1)) / per_thread_qps if n > 1 else 0.0
        else:
            target = sequence / per_thread_qps
        return int(target * 1e9)

    def make(connection: int, sequence: int) -> Request:
        return request

    abort = {"why": None}

    def stop(sample: Sample) -> bool:
        code = sample.status if sample.status else -1
        if sample.warmup and not flags.allow_initial_errors and not (200 <= code <= 299):
            abort["why"] = sample
            return True
        if flags.abort_on and code == flags.abort_on and not sample.warmup:
            abort["why"] = sample
            return True
        return False

    # A thread starts no call after the duration (periodic.go runOne's endTime check).
    start_until = flags.t if flags.t > 0 and not plan.exactly else None
    limit = deadline(ctx)
    spec = LoadSpec(connections=threads, make_request=make, timeout=flags.timeout,
                    warmup_per_connection=warmup, pace=pace, start_until=start_until,
                    stop=stop)
    if limit is not None:
        spec.duration = max(0, limit - t0)
    samples: list[Sample] = yield from tr.run_load(spec)
    flags_w = list(map(_WARMUP, samples))
    warm = list(compress(samples, flags_w))
    timed = list(compress(samples, map(not_, flags_w)))
    events: list[tuple[int, int, str]] = []  # (time, order, text): interleaved log lines

    def warn_line(s: Sample, thread: int) -> str:
        if s.status:
            return log.line(s.end, WARNING, "http_client.go", 1104, "Non ok http code",
                            [("code", s.status), ("status", f"HTTP/1.1 {s.status}"),
                             ("thread", thread), ("run", 0)], r=11 + thread)
        error = NetError(s.error or "reset", host=url.host, ip=(s.remote or ":").rsplit(
            ":", 1)[0], port=url.port)
        return _socket_error_log(ctx, log, s.end, error, thread, 11 + thread)

    for s in warm:
        if not (200 <= s.status <= 299):
            events.append((s.end, len(events), warn_line(s, s.connection)))
    why = abort["why"]
    if why is not None and why.warmup:
        out.extend(text for _, _, text in sorted(events))
        code = why.status if why.status else -1
        size = why.header_bytes + why.body_bytes if why.status else 0
        out.append(f"Aborting because of error {code} for {url_text} ({size} bytes)\n")
        err.write("".join(out))
        return 1
    start = max((s.end for s in warm), default=t0)
    for text in plan.warnings:  # runQPSSetup warns before printing its "Starting at" line
        out.append(log.line(start, WARNING, "periodic.go", 240, text))
    out.append(plan.start_line if log.level <= WARNING else "")
    # ---- per thread aggregation, in call order (C-level passes over the samples)
    by_thread: list[list[Sample]] = [[] for _ in range(threads)]
    timed.sort(key=_BY_CONN_START)
    for connection, group in groupby(timed, key=_CONN):
        if connection < threads:
            by_thread[connection] = list(group)
    func = Histogram(0.0, flags.r)
    errs = Histogram(0.0, flags.r)
    sleep = Histogram(-0.001, 0.001)
    sizes = Histogram(0.0, 100.0, unit=1)
    header_sizes = Histogram(0.0, 5.0, unit=1)
    conn_total = Histogram(0.0, flags.r)
    codes: dict[int, int] = {}
    ip_counts: dict[str, int] = {}
    socket_lines: list[str] = []
    sockets: list[int] = []
    ends: list[tuple[int, int, int]] = []
    for thread, mine in enumerate(by_thread):
        f = Histogram(0.0, flags.r)
        e = Histogram(0.0, flags.r)
        sl = Histogram(-0.001, 0.001)
        sz = Histogram(0.0, 100.0, unit=1)
        hz = Histogram(0.0, 5.0, unit=1)
        if mine:
            starts, stops, statuses, hbs, bbs = zip(*map(_ROW, mine))
            latencies = list(map(sub, stops, starts))
            f.record_values(latencies)
            e.record_values(list(compress(latencies, map(ne, statuses, repeat(200)))))
            if plan.use_qps and len(mine) > 1:
                n = calls[thread]
                if n > 1:
                    targets = [int((i + i / (n - 1)) / per_thread_qps * 1e9)
                               for i in range(1, len(mine))]
                else:
                    targets = [int(i / per_thread_qps * 1e9) for i in range(1, len(mine))]
                elapsed_before = map(sub, stops[:-1], repeat(start))
                sl.record_values(list(map(sub, targets, elapsed_before)))
            sz.record_counts(Counter(map(add, hbs, bbs)))
            heads: Counter[int] = Counter()
            for (status, head), count in Counter(zip(statuses, hbs)).items():
                heads[head if 200 <= status <= 299 else 0] += count
            hz.record_counts(heads)
            for status, count in Counter(statuses).items():
                code = status if status else -1
                codes[code] = codes.get(code, 0) + count
                if status != 200:
                    for s in mine:
                        if s.status == status:
                            events.append((s.end, len(events), warn_line(s, thread)))
        func.transfer(f)
        errs.transfer(e)
        sleep.transfer(sl)
        sizes.transfer(sz)
        header_sizes.transfer(hz)
        # sockets: every connection attempt of this thread, warm-up included
        attempts = [s for s in warm if s.connection == thread]
        attempts += compress(mine, map(is_not, map(_CONNECT, mine), repeat(None)))
        conn = Histogram(0.0, flags.r)
        conn.record_values([s.connect for s in attempts if s.connect is not None])
        used = conn.count
        remotes: dict[str, int] = {}
        for s in attempts:
            if s.connect is not None and s.remote:
                remotes[s.remote] = remotes.get(s.remote, 0) + 1
        for remote, count in remotes.items():
            ip_counts[remote] = ip_counts.get(remote, 0) + count
        if len(remotes) == 1:
            resolved = next(iter(remotes)) + ","
        else:
            resolved = ", ".join(f"{r} ({n})" for r, n in remotes.items()) + ","
        socket_lines.append(f"[{thread}] {used:3d} socket used, resolved to {resolved} "
                            + conn.counter_line("connection timing"))
        conn_total.transfer(conn)
        sockets.append(used)
        if mine:
            ends.append((mine[-1].end if len(mine) == 1 else max(stops), thread, len(mine)))
        else:
            ends.append((start, thread, 0))
        wanted = calls[thread]
        if plan.use_qps and wanted and start_until is not None and 2 <= len(mine) < wanted:
            events.append((mine[-1].end, len(events), log.line(
                mine[-1].end, WARNING, "periodic.go", 830,
                f"T{thread:03d} warning only did {len(mine)} out of {wanted} calls before "
                f"reaching {go_duration(flags.t)}", r=11 + thread)))
    finish = max((when for when, _, _ in ends), default=start)
    for when, thread, count in ends:
        elapsed = max(when - start, 0)
        qps_t = count / (elapsed / 1e9) if elapsed else 0.0
        events.append((when, len(events) + 10**6, log.line(
            when, INFO, "periodic.go", 850,
            f"T{thread:03d} ended after {go_duration(elapsed)} : {count} calls. qps={go_g(qps_t)}",
            r=11 + thread)))
    events.sort()
    out.extend(text for _, _, text in events)
    elapsed = max(finish - start, 1)
    actual_qps = func.count / (elapsed / 1e9)
    if log.level <= WARNING:
        out.append(f"Ended after {go_duration(elapsed)} : {func.count} calls. "
                   f"qps={go_gp(actual_qps, 5)}\n")
    out.append(log.line(finish, INFO, "periodic.go", 581, "Run ended",
                        [("run", 0), ("elapsed", go_duration(elapsed)), ("calls", func.count),
                         ("qps", actual_qps)]))
    if plan.use_qps and sleep.count:
        negative = 100.0 * sleep.hdata[0] / sleep.count
        if negative > 5:
            out.append(sleep.export([50]).lines("Aggregated Sleep Time"))
            out.append(f"WARNING {negative:.2f}% of sleep were falling behind\n")
        elif log.level <= WARNING:
            out.append(sleep.counter_line("Sleep times"))
    func_data = func.export(percentiles)
    errs_data = errs.export(percentiles)
    if log.level <= WARNING:
        out.append(func_data.lines("Aggregated Function Time"))
        out.append(errs_data.lines("Error cases"))
    else:
        out.append(func.counter_line("Aggregated Function Time"))
        out.extend(f"# target {go_g(p)}% {go_gp(v, 6)}\n" for p, v in func_data.percentiles)
        out.append(errs.counter_line("Error cases"))
    out.append("# Socket and IP used for each connection:\n")
    out.extend(socket_lines)
    conn_data = conn_total.export(percentiles)
    if log.level <= INFO:
        out.append(conn_data.lines("Connection time histogram (s)"))
    elif log.level <= WARNING:
        out.append(conn_total.counter_line("Connection time (s)"))
    total_sockets = sum(sockets)
    out.append(f"Sockets used: {total_sockets} (for perfect keepalive, would be {threads})\n")
    out.append(f"Uniform: {'true' if flags.uniform else 'false'}, Jitter: "
               f"{'true' if flags.jitter else 'false'}, Catchup allowed: "
               f"{'false' if flags.nocatchup else 'true'}\n")
    out.append("IP addresses distribution:\n")
    for remote, count in sorted(ip_counts.items(), key=lambda kv: -kv[1]):
        out.append(f"{remote}: {count}\n")
    total_calls = float(func.count) or 1.0
    for code in sorted(codes):
        out.append(f"Code {code:3d} : {codes[code]} ({100.0 * codes[code] / total_calls:.1f} %)\n")
    if log.level <= WARNING:
        out.append(header_sizes.counter_line("Response Header Sizes"))
        out.append(sizes.counter_line("Response Body/Total Sizes"))
    warm_shown = 0 if plan.exactly else (flags.c if flags.c > 0 else 4)
    out.append(f"All done {func.count} calls (plus {warm_shown} warmup) "
               f"{1000.0 * func.avg():.3f} ms avg, {actual_qps:.1f} qps\n")
    code = 0
    if flags.a or flags.json:
        result = _result_json(flags, plan, url_text, labels, run_id, start, elapsed, actual_qps,
                              threads, func_data, errs_data, codes, ip_counts, sizes,
                              header_sizes, sockets, total_sockets, conn_data)
        data = (result + "\n").encode()
        if flags.json == "-":
            err.write("".join(out))
            out = []
            ctx.stdout.write(data.decode())
            name = "stdout"
        else:
            name = flags.json or _join(flags.data_dir, run_id + ".json")
            problem = write_file(ctx, name, data)
            if problem is not None:
                out.append(log.line(ctx.now, 6, "fortio_main.go", 506,
                                    f"Unable to create {name}: open {name}: {problem.lower()}"))
                err.write("".join(out))
                return 1
        out.append(f"Successfully wrote {len(data)} bytes of Json data to {name}\n")
    err.write("".join(out))
    return code


def _join(directory: str, name: str) -> str:
    if directory in (".", ""):
        return name
    return directory.rstrip("/") + "/" + name


def _result_json(flags: Flags, plan: _Plan, url_text: str, labels: str, run_id: str,
                 start: int, elapsed: int, actual_qps: float, threads: int,
                 func_data: HistogramData, errs_data: HistogramData, codes: dict[int, int],
                 ip_counts: dict[str, int], sizes: Histogram, header_sizes: Histogram,
                 sockets: list[int], total_sockets: int, conn_data: HistogramData) -> str:
    stamp = _rfc3339nano(start)
    result: dict[str, Any] = {
        "RunType": "HTTP",
        "Labels": labels,
        "StartTime": stamp,
        "RequestedQPS": plan.requested_qps,
        "RequestedDuration": plan.requested_duration,
        "ActualQPS": _F(actual_qps),
        "ActualDuration": elapsed,
        "NumThreads": threads,
        "Version": VERSION,
        "DurationHistogram": func_data.to_json(),
        "ErrorsDurationHistogram": errs_data.to_json(),
        "Exactly": plan.exactly,
        "Jitter": flags.jitter,
        "Uniform": flags.uniform,
        "NoCatchUp": flags.nocatchup,
        "RunID": 0,
        "AccessLoggerInfo": "",
        "ID": run_id,
        "RetCodes": {str(k): v for k, v in sorted(codes.items())},
        "IPCountMap": dict(sorted(ip_counts.items())),
        "Insecure": False,
        "MTLS": False,
        "CACert": "",
        "Cert": "",
        "Key": "",
        "UnixDomainSocket": "",
        "URL": url_text,
        "NumConnections": 1,
        "Compression": False,
        "DisableFastClient": False,
        "HTTP10": False,
        "H2": False,
        "DisableKeepAlive": False,
        "AllowHalfClose": False,
        "FollowRedirects": False,
        "Resolve": "",
        "HTTPReqTimeOut": flags.timeout,
        "UserCredentials": "",
        "ContentType": "",
        "Payload": None,
        "MethodOverride": "",
        "LogErrors": True,
        "SequentialWarmup": False,
        "ConnReuseRange": [0, 0],
        "NoResolveEachConn": False,
        "Offset": 0,
        "Resolution": _F(flags.r),
        "Sizes": sizes.export().to_json(),
        "HeaderSizes": header_sizes.export().to_json(),
        "Sockets": sockets,
        "SocketCount": total_sockets,
        "ConnectionStats": conn_data.to_json(),
        "AbortOn": flags.abort_on,
    }
    return _go_json(result)


def _rfc3339nano(ns: int) -> str:
    secs, frac = divmod(ns, 1_000_000_000)
    base = to_datetime(secs * 1_000_000_000).strftime("%Y-%m-%dT%H:%M:%S")
    tail = f"{frac:09d}".rstrip("0")
    return base + (f".{tail}" if tail else "") + "Z"

