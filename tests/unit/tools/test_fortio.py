"""fortio 1.60.3 against the scripted network (k8slab/cli/tools/fortio.py).

The statistics lines are checked against numbers of real fortio 1.60.3 transcripts (the
Cilium circuit-breaking lab output quoted alongside istio.md §7.2: connection times 0.000231171,
0.000173872, 0.000221481 s; header sizes 19×390 + 0; error case 0.001431811 s) and the
histogram rules of fortio ``stats/stats.go``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fake_transport import Reply
from toolkit import Box

from k8slab.cli.tools.fortio import BUCKETS, Histogram, _gen_id, fortio
from k8slab.cli.tools.gofmt import go_g, go_gp, json_float
from k8slab.network.http import Response

TESTWEB_BODY = b"3.14159265358979323846264338327950288419716939937510\n"


def _testweb(req: Any, n: int) -> Reply:
    headers = [("Server", "nginx/1.14.2"), ("Content-Type", "text/html; charset=UTF-8"),
               ("Content-Length", str(len(TESTWEB_BODY)))]
    return Reply(Response(200, headers, TESTWEB_BODY), latency=1_000_000 + (n * 7919) % 3_000_000)


def httpbin(req: Any, n: int) -> Reply:
    if n % 4 == 3:
        return Reply(Response(503, [("content-length", "19"), ("server", "envoy")],
                              b"no healthy upstream"), latency=700_000)
    return Reply(Response(200, [("content-length", "2"), ("server", "envoy")], b"{}"),
                 latency=2_000_000)


@pytest.fixture
def box() -> Box:
    b = Box()
    b.net.add("ms.iirii.com", "192.168.49.2", 30077, _testweb)
    b.net.add("httpbin", "10.96.0.30", 8000, httpbin)
    b.net.add("down", "10.96.0.31", 80, lambda r, n: Reply(Response(503, [], b"x" * 81)))
    return b


def test_go_number_formatting() -> None:
    # strconv: shortest %g switches to e-notation at exponent < -4 or >= 6 (as %v does)
    assert [go_g(x) for x in (546.7740902786355, 1e6, 123456.0, 8.8632e-05, 0.0001, 50.0)] == [
        "546.7740902786355", "1e+06", "123456", "8.8632e-05", "0.0001", "50"]
    assert (go_gp(0.000208841333, 8), go_gp(2.504e-05, 4), go_gp(84.99999, 4)) == (
        "0.00020884133", "2.504e-05", "85")
    assert (json_float(1e-7), json_float(500.0), json_float(0.001)) == ("1e-7", "500", "0.001")


def test_histogram_matches_a_real_fortio_transcript() -> None:
    # fortio 1.60.3, ``-c 2 -n 20``: thread 0 one socket, thread 1 two sockets
    total = Histogram(0.0, 0.001)
    for values in ([231_171], [173_872, 221_481]):
        h = Histogram(0.0, 0.001)
        h.record_values(values)
        total.transfer(h)
    data = total.export([50, 75, 90, 99, 99.9])
    assert data.lines("Connection time histogram (s)") == (
        "Connection time histogram (s) : count 3 avg 0.00020884133 +/- 2.504e-05 min "
        "0.000173872 max 0.000231171 sum 0.000626524\n"
        "# range, mid point, percentile, count\n"
        ">= 0.000173872 <= 0.000231171 , 0.000202522 , 100.00, 3\n"
        "# target 50% 0.000188197\n# target 75% 0.000209684\n# target 90% 0.000222576\n"
        "# target 99% 0.000230312\n# target 99.9% 0.000231085\n")
    one = Histogram(0.0, 0.001)
    one.record_values([1_431_811])
    assert one.export([50]).lines("Error cases") == (
        "Error cases : count 1 avg 0.001431811 +/- 0 min 0.001431811 max 0.001431811 sum "
        "0.001431811\n# range, mid point, percentile, count\n"
        ">= 0.00143181 <= 0.00143181 , 0.00143181 , 100.00, 1\n# target 50% 0.00143181\n")
    heads = Histogram(0.0, 5.0, unit=1)
    heads.record_counts({390: 19, 0: 1})
    assert heads.counter_line("Response Header Sizes") == (
        "Response Header Sizes : count 20 avg 370.5 +/- 85 min 0 max 390 sum 7410\n")
    sizes = Histogram(0.0, 100.0, unit=1)
    sizes.record_counts({2447: 19, 241: 1})
    assert sizes.counter_line("Response Body/Total Sizes") == (
        "Response Body/Total Sizes : count 20 avg 2336.7 +/- 480.8 min 241 max 2447 sum 46734\n")
    assert Histogram(0.0, 0.001).export([50]).lines("Error cases") == "Error cases : no data\n"


def test_bucket_edges_follow_stats_go() -> None:
    # intervals are ]prev, cur]: an exact multiple of the resolution is in the lower bucket
    h = Histogram(0.0, 0.001)
    h.record_values([2_000_000, 2_000_001, 11_000_000, 13_000_000, 150_000_000_000])
    rows = h.export().data
    assert [(r[0], r[1], r[3]) for r in rows] == [
        (0.002, 0.002, 1), (0.002, 0.003, 1), (0.01, 0.011, 1), (0.012, 0.014, 1),
        (100.0, 150.0, 1)]
    assert BUCKETS[-1] == 100000 and len(BUCKETS) == 56


def test_run_id_from_labels() -> None:
    at = 1780300920 * 1_000_000_000
    assert _gen_id(at, "ms.iirii.com:30077 , learner") == \
        "2026-06-01-080200_ms_iirii_com_30077_learner"
    assert len(_gen_id(at, "x" * 200)) == 96


def test_talk_hpa_load_command(box: Box) -> None:
    r = box.run(fortio, 'fortio load -a -c 8 -qps 500 -t 60s "http://ms.iirii.com:30077"',
                run_for=120)
    assert (r.code, r.out) == (0, "")
    lines = r.err.splitlines()
    assert json.loads(lines[0])["msg"] == "Starting"
    assert lines[1] == ("Fortio 1.60.3 running at 500 queries per second, 8->8 procs, for 1m0s: "
                        "http://ms.iirii.com:30077")
    start = json.loads(lines[2])
    assert (start["msg"], start["threads"], start["qps"]) == ("Starting http test", 8, "500.0")
    assert lines[3] == ("Starting at 500 qps with 8 thread(s) [gomax 8] for 1m0s : 3750 calls "
                        "each (total 30000)")
    ended = [line for line in lines if line.startswith("Ended after 1m0.")]
    assert len(ended) == 1 and " : 30000 calls. qps=" in ended[0]
    assert any(line.startswith("Sleep times : count 29992 avg ") for line in lines)
    assert "Error cases : no data" in lines
    assert "Sockets used: 8 (for perfect keepalive, would be 8)" in lines
    assert "Uniform: false, Jitter: false, Catchup allowed: true" in lines
    assert lines[lines.index("IP addresses distribution:") + 1] == "192.168.49.2:30077: 8"
    assert "Code 200 : 30000 (100.0 %)" in lines
    done = [line for line in lines if line.startswith("All done")]
    assert done[0].startswith("All done 30000 calls (plus 8 warmup) ")
    name = "2026-06-01-080000_ms_iirii_com_30077_learner.json"
    assert lines[-1].startswith("Successfully wrote ") and lines[-1].endswith(
        f" bytes of Json data to {name}")
    result = json.loads(box.fs.read(f"/root/{name}"))
    assert (result["RunType"], result["RequestedQPS"], result["RequestedDuration"]) == (
        "HTTP", "500", "1m0s")
    assert result["RetCodes"] == {"200": 30000} and result["NumThreads"] == 8
    assert result["Labels"] == "ms.iirii.com:30077 , learner"
    assert result["DurationHistogram"]["Count"] == 30000
    assert [p["Percentile"] for p in result["DurationHistogram"]["Percentiles"]] == [
        50, 75, 90, 99, 99.9]
    assert int(lines[-1].split()[2]) == len(box.fs.read(f"/root/{name}"))
    assert r.elapsed == pytest.approx(60.0, abs=0.1)


def test_istio_circuit_breaking_style_run(box: Box) -> None:
    r = box.run(fortio, "fortio load -c 2 -qps 0 -n 20 -loglevel Warning http://httpbin:8000/get")
    lines = r.err.splitlines()
    assert json.loads(lines[0])["msg"] == "Log level is now 3 Warning (was 2 Info)"
    assert lines[2] == ("Starting at max qps with 2 thread(s) [gomax 8] for exactly 20 calls "
                        "(10 per thread + 0)")
    warns = [json.loads(line) for line in lines if line.startswith("{") and '"warn"' in line]
    assert warns and all(w["msg"] == "Non ok http code" and w["code"] == 503 and
                         w["status"] == "HTTP/1.1 503" for w in warns)
    codes = [line for line in lines if line.startswith("Code ")]
    assert codes == [f"Code 200 : {20 - len(warns)} ({(20 - len(warns)) * 5:.1f} %)",
                     f"Code 503 : {len(warns)} ({len(warns) * 5:.1f} %)"]
    assert any(line.startswith("Connection time (s) : count 2 ") for line in lines)
    assert lines[-1].startswith("All done 20 calls (plus 0 warmup) ")


def test_warmup_failure_aborts(box: Box) -> None:
    r = box.run(fortio, "fortio load http://down/")
    assert r.code == 1
    assert r.err.splitlines()[-1] == "Aborting because of error 503 for http://down/ (117 bytes)"


def test_curl_and_usage(box: Box) -> None:
    r = box.run(fortio, "fortio curl http://ms.iirii.com:30077/")
    assert r.code == 0 and r.out == TESTWEB_BODY.decode()
    assert "HTTP/1.1 200 OK\r\nServer: nginx/1.14.2\r\n" in r.err
    r = box.run(fortio, "fortio load -foo http://x/")
    assert r.code == 1 and r.err.startswith("flag provided but not defined: -foo\n")
    r = box.run(fortio, "fortio load -c x http://x/")
    assert r.err.startswith('invalid value "x" for flag -c: parse error\n')
    assert box.run(fortio, "fortio version").out == "1.60.3\n"
