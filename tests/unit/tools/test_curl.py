"""curl against the scripted network (k8slab/cli/tools/curl.py).

Byte layouts (CRLF header blocks, the progress meter, ``-w``) are the ones the real curl 7.88
prints on this machine (tests/oracle/test_http_tools.py compares them live); the error words
are curl 8.x's (``Could not connect to server``; ``URL rejected: …`` — curl 8.21 transcripts),
istio.md §6.4/§6.6 for the talk's ``curl -s -I``.
"""

from __future__ import annotations

import pytest
from fake_transport import Reply, nginx_page, static
from toolkit import Box

from k8slab.cli.tools.curl import USER_AGENT, curl

NGINX_HEAD = (
    "HTTP/1.1 200 OK\r\nServer: nginx/1.10.3\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n"
    "Content-Type: text/html\r\nContent-Length: 12\r\n"
    "Last-Modified: Tue, 31 Jan 2017 15:01:11 GMT\r\nConnection: keep-alive\r\n"
    'ETag: "5890a6b7-264"\r\nAccept-Ranges: bytes\r\n\r\n')


@pytest.fixture
def box() -> Box:
    b = Box()
    b.net.add("ms.iirii.com", "192.168.49.2", 30044, nginx_page())
    b.net.add("flaskapp", "10.96.0.20", 80, static(200, b"v1"))
    b.net.add("missing", "10.96.0.21", 80, static(404, b"not found"))
    b.net.add("empty", "10.96.0.22", 80, lambda r, n: Reply(error="closed"))
    b.net.add("reset", "10.96.0.23", 80, lambda r, n: Reply(error="reset"))
    b.net.add("slow", "10.96.0.24", 80, static(200, b"late", latency=10_000_000_000))
    b.net.add("moved", "10.96.0.25", 80, lambda r, n: static(
        302, b"", headers=[("Location", "/v"), ("Content-Length", "0")])(r, n)
        if r.target == "/" else static(200, b"v2")(r, n))
    return b


def test_talk_curl_s_I_prints_the_header_block_with_crlf(box: Box) -> None:
    # istio.md §6.4: ``curl -s -I http://<svc>`` shows nginx's headers in its order, CRLF.
    r = box.run(curl, "curl -s -I http://ms.iirii.com:30044")
    assert (r.code, r.out, r.err) == (0, NGINX_HEAD, "")
    sent = box.net.requests[-1]
    assert sent.method == "HEAD"
    assert sent.headers == [("Host", "ms.iirii.com:30044"), ("User-Agent", USER_AGENT),
                            ("Accept", "*/*")]
    assert r.elapsed > 0  # the request took virtual time


def test_body_without_newline_and_include(box: Box) -> None:
    assert box.run(curl, "curl -s http://flaskapp/env/version").out == "v1"
    r = box.run(curl, "curl -si http://flaskapp/env/version")
    assert r.out.startswith("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n")
    assert r.out.endswith("\r\n\r\nv1")


def test_progress_meter_when_output_is_not_a_terminal(box: Box) -> None:
    r = box.run(curl, "curl http://flaskapp/", tty=False)
    assert r.err.startswith("  % Total    % Received % Xferd  Average Speed   Time    Time"
                            "     Time  Current\n                                 Dload  Upload"
                            "   Total   Spent    Left  Speed\n\r  0     0    0     0    0     0"
                            "      0      0 --:--:-- --:--:-- --:--:--     0\r100     2  100"
                            "     2    0     0")
    assert r.err.endswith(" --:--:-- --:--:-- --:--:--  1333\n")
    assert box.run(curl, "curl http://flaskapp/", tty=True).err == ""


@pytest.mark.parametrize(("line", "code", "err"), [
    ("curl -sS http://nosuch/", 6, "curl: (6) Could not resolve host: nosuch\n"),
    ("curl -sS http://ms.iirii.com:1/", 7,
     "curl: (7) Failed to connect to ms.iirii.com port 1 after 0 ms: Could not connect to "
     "server\n"),
    ("curl -sS http://empty/", 52, "curl: (52) Empty reply from server\n"),
    ("curl -sS http://reset/", 56, "curl: (56) Recv failure: Connection reset by peer\n"),
    ("curl -sS -m 2 http://slow/", 28,
     "curl: (28) Operation timed out after 2000 milliseconds with 0 bytes received\n"),
    ("curl -sSf http://missing/", 22, "curl: (22) The requested URL returned error: 404\n"),
    ("curl -sS http://127.0.0.1:99999/", 3,
     "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n"),
    ("curl -sS ftp2://x/", 1, 'curl: (1) Protocol "ftp2" not supported\n'),
])
def test_errors_and_exit_codes(box: Box, line: str, code: int, err: str) -> None:
    r = box.run(curl, line)
    assert (r.code, r.err, r.out) == (code, err, "")
    # -s alone hides the message, the status stays
    quiet = box.run(curl, line.replace("-sS", "-s"))
    assert (quiet.code, quiet.err) == (code, "")


def test_max_time_takes_virtual_time(box: Box) -> None:
    r = box.run(curl, "curl -s -m 2 http://slow/")
    assert r.code == 28 and r.elapsed == pytest.approx(2.0, abs=0.01)


def test_option_errors_and_help(box: Box) -> None:
    try_line = "curl: try 'curl --help' or 'curl --manual' for more information\n"
    assert box.run(curl, "curl --foo http://x") .err == "curl: option --foo: is unknown\n" + \
        try_line
    r = box.run(curl, "curl -o")
    assert (r.code, r.err) == (2, "curl: option -o: requires parameter\n" + try_line)
    r = box.run(curl, "curl -m abc http://x")
    assert (r.code, r.err) == (2, "curl: option -m: expected a proper numerical parameter\n"
                               + try_line)
    assert box.run(curl, "curl --max-time=5 http://x").err.startswith(
        "curl: option --max-time=5: is unknown")
    r = box.run(curl, "curl")
    assert (r.code, r.err) == (2, try_line)
    assert box.run(curl, "curl --help").out.startswith("Usage: curl [options...] <url>\n")
    assert box.run(curl, "curl -V").out.startswith("curl 8.14.1 (x86_64-pc-linux-gnu) libcurl/"
                                                  "8.14.1")


def test_write_out_variables(box: Box) -> None:
    r = box.run(curl, "curl -s -o /dev/null -w '%{http_code} %{remote_ip} %{size_download} "
                      "%{url_effective}\\n' http://flaskapp/env/version")
    assert (r.code, r.out) == (0, "200 10.96.0.20 2 http://flaskapp/env/version\n")
    r = box.run(curl, "curl -s -w '%{http_code}|%{exitcode}' http://nosuch/")
    assert r.out == "000|6"
    r = box.run(curl, "curl -s -w '%{time_total}' -o /dev/null http://flaskapp/")
    assert r.out.count(".") == 1 and len(r.out.split(".")[1]) == 6
    r = box.run(curl, "curl -s -w '%{nope}' -o /dev/null http://flaskapp/")
    assert r.err == "curl: unknown --write-out variable: 'nope'\n"


def test_output_files(box: Box) -> None:
    r = box.run(curl, "curl -s -o /tmp/page.html http://ms.iirii.com:30044/")
    assert r.code == 0 and r.out == "" and box.fs.read("/tmp/page.html") == b"hello world\n"
    r = box.run(curl, "curl -sO http://flaskapp/env/version", cwd="/tmp")
    assert r.code == 0 and box.fs.read("/tmp/version") == b"v1"
    r = box.run(curl, "curl -sS -o /nonexist/x http://flaskapp/")
    assert (r.code, r.err) == (23, "curl: (23) Failure writing output to destination\n")


def test_headers_data_method_and_agent(box: Box) -> None:
    box.run(curl, "curl -s -H 'Host: foo' -H 'Accept:' -H 'X-E;' -H 'User-Agent: z' "
                  "http://flaskapp/")
    # lib/http.c: a custom Host replaces curl's at its place, 'Accept:' removes the header,
    # 'X-E;' sends it empty, and custom headers keep their order
    assert box.net.requests[-1].headers == [("Host", "foo"), ("X-E", ""), ("User-Agent", "z")]
    box.run(curl, "curl -s -d a=b -H 'X-A: 1' -e ref -u u:p http://flaskapp/")
    sent = box.net.requests[-1]
    assert sent.method == "POST" and sent.body == b"a=b"
    assert [n for n, _ in sent.headers] == ["Host", "Authorization", "User-Agent", "Accept",
                                            "Referer", "X-A", "Content-Length", "Content-Type"]
    box.run(curl, "curl -s -G -d a=1 -d b=2 http://flaskapp/echo")
    assert box.net.requests[-1].target == "/echo?a=1&b=2"
    box.run(curl, "curl -s -X PUT -A agent http://flaskapp/")
    assert box.net.requests[-1].method == "PUT"
    assert ("User-Agent", "agent") in box.net.requests[-1].headers


def test_follow_redirects(box: Box) -> None:
    r = box.run(curl, "curl -s http://moved/")
    assert r.out == ""
    r = box.run(curl, "curl -sL http://moved/")
    assert r.out == "v2"
    r = box.run(curl, "curl -sLi http://moved/")
    assert r.out.startswith("HTTP/1.1 302 Found\r\n") or "HTTP/1.1 200 OK" in r.out


def test_verbose_lines(box: Box) -> None:
    r = box.run(curl, "curl -sv http://ms.iirii.com:30044/", tty=True)
    assert r.err.split("\n")[:7] == [
        "* Host ms.iirii.com:30044 was resolved.", "* IPv6: (none)", "* IPv4: 192.168.49.2",
        "*   Trying 192.168.49.2:30044...",
        "* Connected to ms.iirii.com (192.168.49.2) port 30044", "* using HTTP/1.x",
        "> GET / HTTP/1.1\r"]
    assert "> \r\n* Request completely sent off\n< HTTP/1.1 200 OK\r\n" in r.err
    assert r.err.endswith("< \r\n* Connection #0 to host ms.iirii.com left intact\n")
    r = box.run(curl, "curl -sv http://ms.iirii.com:1/", tty=True)
    assert r.err.splitlines()[3:] == [
        "*   Trying 192.168.49.2:1...",
        "* connect to 192.168.49.2 port 1 from 192.168.49.1 port 40002 failed: "
        "Connection refused",
        "* Failed to connect to ms.iirii.com port 1 after 0 ms: Could not connect to server",
        "* closing connection #0"]


def test_a_request_costs_the_exec_time_then_the_exchange(box: Box) -> None:
    """Virtual time: the process start, then the exchange's time (so a loop of instantly
    failing commands still reaches the shell's deadline)."""
    from k8slab.sim.process import Buffer, ExecContext, Sleep
    ctx = ExecContext("", Buffer(), Buffer(), {}, "/root", box.fs, box.loop, host=box.host)
    gen = curl(ctx, ["curl", "-s", "http://slow/"])
    first, second = next(gen), gen.send(None)
    assert isinstance(first, Sleep) and first.duration == 2_000_000
    assert isinstance(second, Sleep) and second.duration >= 10_000_000_000
    assert box.run(curl, "curl -s http://nosuch/").elapsed > 0
