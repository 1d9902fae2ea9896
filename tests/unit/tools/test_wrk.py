"""wrk against the scripted network (k8slab/cli/tools/wrk.py).

Formats are checked against the real wrk sample of istio.md §7.1 (Debian wrk 4.1.0) and the
arithmetic against wg/wrk ``src/stats.c`` / ``src/units.c``; tests/oracle runs the real wrk.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fake_transport import Reply
from toolkit import Box

from k8slab.cli.tools.wrk import (
    Stats,
    _print_units,
    format_binary,
    format_metric,
    format_time_s,
    format_time_us,
    scan_metric,
    scan_time,
    thread_rates,
    wrk,
)
from k8slab.network.http import Response


def httpbin(req: Any, n: int) -> Reply:
    if n % 3 == 2:
        return Reply(Response(503, [("content-length", "81"), ("server", "envoy")], b"x" * 81),
                     latency=2_000_000 + (n * 7919) % 500_000)
    body = b'{\n  "origin": "127.0.0.1"\n}\n'
    return Reply(Response(200, [("server", "envoy"), ("content-length", str(len(body)))], body),
                 latency=40_000_000 + (n * 7919) % 8_000_000)


@pytest.fixture
def box() -> Box:
    b = Box()
    b.net.add("httpbin", "10.96.0.30", 8000, httpbin)
    b.net.add("httpbin.default.svc.cluster.local", "10.96.0.30", 8000, httpbin)
    return b


def test_sample_rows_reproduce_byte_for_byte() -> None:
    # istio.md §7.1, real wrk 4.1.0: the units and column layout of each row
    latency = (f"    {'Latency':<10s}" + _print_units(43800.0, format_time_us, 8)
               + _print_units(5270.0, format_time_us, 10)
               + _print_units(48250, format_time_us, 9) + f"{98.54:8.2f}%")
    assert latency == "    Latency    43.80ms    5.27ms  48.25ms   98.54%"
    rate = (f"    {'Req/Sec':<10s}" + _print_units(22.64, format_metric, 8)
            + _print_units(4.43, format_metric, 10) + _print_units(30, format_metric, 9)
            + f"{73.63:8.2f}%")
    assert rate == "    Req/Sec    22.64      4.43    30.00     73.63%"
    big = (f"    {'Req/Sec':<10s}" + _print_units(56200, format_metric, 8)
           + _print_units(8070, format_metric, 10) + _print_units(62000, format_metric, 9)
           + f"{86.54:8.2f}%")
    assert big == "    Req/Sec    56.20k     8.07k   62.00k    86.54%"
    assert f"{7:7.0f}%"[-1] == "%"
    assert format_binary(38758) == "37.85K" and format_binary(1.21 * 1024 * 1024) == "1.21M"
    assert format_time_us(3_100_000) == "3.10s" and format_time_us(108) == "108.00us"
    assert format_time_us(920) == "0.92ms"  # 0.85 of the next unit switches (units.c)
    assert (format_time_s(10), format_time_s(60), format_time_s(3)) == ("10s", "1m", "3s")


def test_scanning_units() -> None:
    assert (scan_metric("3"), scan_metric("1k"), scan_metric("2M")) == (3, 1000, 2_000_000)
    assert (scan_time("10"), scan_time("2s"), scan_time("1m"), scan_time("1h")) == (
        10, 2, 60, 3600)
    assert scan_time("500ms") is None and scan_metric("x") is None


def test_stats_arithmetic() -> None:
    s = Stats(2_000_000)
    for v in (100, 200, 300, 400, 10_000):
        s.record(v)
    assert s.count == 5 and s.max == 10_000
    mean = s.mean()
    assert mean == 2200.0
    assert s.stdev(mean) == pytest.approx(4_361.7657, abs=0.001)  # n - 1
    assert s.within_stdev(mean, s.stdev(mean), 1) == 80.0
    # rank = round(p/100 * n + 0.5): p50 of 5 → rank 3 → 300
    assert (s.percentile(50), s.percentile(99)) == (300, 10_000)
    assert not s.record(2_000_000)  # at the timeout: not recorded (a timeout error)
    c = Stats(100_000)
    for v in (100, 100, 100, 450):
        c.record(v)
    c.correct(100)  # stats_correct: 450 adds 350, 250, 150
    assert (c.count, c.data[350], c.data[250], c.data[150]) == (7, 1, 1, 1)


def test_req_per_sec_is_sampled_per_thread_every_100ms() -> None:
    # 3 completions in the first window, none in the second, 2 in the third
    assert thread_rates([0, 3, 0, 2]) == [30, 10]
    assert thread_rates([0, 0, 0, 0]) == []


def test_talk_circuit_breaking_command(box: Box) -> None:
    r = box.run(wrk, "wrk -c 3 -t 3 http://httpbin:8000/ip")
    assert r.code == 0 and r.err == ""
    lines = r.out.splitlines()
    assert lines[:3] == ["Running 10s test @ http://httpbin:8000/ip",
                         "  3 threads and 3 connections",
                         "  Thread Stats   Avg      Stdev     Max   +/- Stdev"]
    assert re.fullmatch(r"    Latency +[\d.]+(us|ms|s) +[\d.]+(us|ms|s) +[\d.]+(us|ms|s) +"
                        r"[\d.]+%", lines[3]), lines[3]
    # same width as the real sample row (istio.md §7.1)
    assert len(lines[3]) == len("    Latency    43.80ms    5.27ms  48.25ms   98.54%")
    assert lines[4].startswith("    Req/Sec ")
    assert re.fullmatch(r"  \d+ requests in 10\.10s, [\d.]+KB read", lines[5])
    assert re.fullmatch(r"  Non-2xx or 3xx responses: \d+", lines[6])
    assert re.fullmatch(r"Requests/sec: [ \d.]{9}", lines[7])
    assert re.fullmatch(r"Transfer/sec: [ \d.]{9}KB", lines[8]), lines[8]
    assert r.elapsed == pytest.approx(10.1, abs=0.01)
    spec = box.net.loads[-1]
    assert spec.connections == 3 and spec.timeout == 2_000_000_000
    req = spec.make_request(0, 0)
    assert req.headers == [("Host", "httpbin:8000")]  # wrk sends no User-Agent


def test_latency_distribution_and_fqdn(box: Box) -> None:
    r = box.run(wrk, "wrk -c 3 -t 3 -d 3 --latency "
                     "http://httpbin.default.svc.cluster.local:8000/ip")
    lines = r.out.splitlines()
    assert lines[5] == "  Latency Distribution"
    assert [line[:8] for line in lines[6:10]] == ["     50%", "     75%", "     90%", "     99%"]
    assert "requests in 3.10s" in lines[10]


def test_usage_errors_go_to_stdout(box: Box) -> None:
    r = box.run(wrk, "wrk -c 1 -t 2 http://httpbin:8000/ip")
    assert r.code == 1 and r.err == "number of connections must be >= threads\n"
    assert r.out.startswith("Usage: wrk <options> <url>                            \n")
    r = box.run(wrk, "wrk httpbin:8000")
    assert (r.code, r.err) == (1, "invalid URL: httpbin:8000\n")
    r = box.run(wrk, "wrk --foo")
    assert (r.code, r.err) == (1, "wrk: unrecognized option '--foo'\n")
    r = box.run(wrk, "wrk http://nosuch:8000/")
    assert (r.code, r.out, r.err) == (
        1, "", "unable to resolve nosuch:8000 Name or service not known\n")
    assert box.run(wrk, "wrk -v").out.startswith("wrk 4.2.0 [epoll] Copyright (C) 2012 Will "
                                                "Glozer\nUsage: wrk")


def test_socket_errors_and_nan(box: Box) -> None:
    box.net.add("dead", "10.96.0.40", 80, lambda r, n: Reply(error="closed", latency=50_000))
    r = box.run(wrk, "wrk -d 1 -c 2 -t 2 http://dead/")
    lines = r.out.splitlines()
    assert lines[3] == "    Latency     0.00us    0.00us   0.00us    -nan%"
    assert lines[4] == "    Req/Sec     0.00      0.00     0.00      -nan%"
    assert lines[5] == "  0 requests in 1.10s, 0.00B read"
    assert re.fullmatch(r"  Socket errors: connect 0, read \d+, write 0, timeout 0", lines[6])
    assert lines[-1] == "Transfer/sec:       0.00B"


def test_ctrl_c_ends_the_run_and_still_reports(box: Box) -> None:
    r = box.run(wrk, "wrk -c 3 -t 3 -d 30 http://httpbin:8000/ip", run_for=5)
    assert r.code == 0
    assert "requests in 5.00s" in r.out
    assert r.elapsed == pytest.approx(5.0)
