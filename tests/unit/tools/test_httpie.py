"""HTTPie 3.2.4 against the scripted network (k8slab/cli/tools/httpie.py).

References: istio.md §6.5 (terminal vs piped output, the blank line after a body on a
terminal, sorted headers, 4-space JSON) and the real HTTPie 3.2.4 run with ``--pretty=format``
on a pseudo-terminal and piped (tests/oracle/test_http_tools.py compares them live).
"""

from __future__ import annotations

import pytest
from fake_transport import Reply, nginx_page, static
from toolkit import Box

from k8slab.cli.tools.httpie import http, https, parse_item

SORTED_NGINX = (
    "HTTP/1.1 200 OK\r\nAccept-Ranges: bytes\r\nConnection: keep-alive\r\n"
    "Content-Length: 12\r\nContent-Type: text/html\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n"
    'ETag: "5890a6b7-264"\r\nLast-Modified: Tue, 31 Jan 2017 15:01:11 GMT\r\n'
    "Server: nginx/1.10.3\r\n\r\n")


@pytest.fixture
def box() -> Box:
    b = Box()
    b.net.add("ms.iirii.com", "192.168.49.2", 30066, nginx_page())
    b.net.add("flaskapp", "10.96.0.20", 80, static(200, b"v1"))
    b.net.add("flaskapp.default.svc.cluster.local", "10.96.0.20", 80, static(200, b"v1"))
    body = b'{"url": "http://httpbin:8000/get", "origin": "127.0.0.1", "e": "\\u00e9"}\n'
    b.net.add("httpbin", "10.96.0.30", 8000, static(200, body, headers=[
        ("Server", "gunicorn/19.9.0"), ("Content-Type", "application/json"),
        ("Content-Length", str(len(body)))]))
    b.net.add("bad", "10.96.0.31", 80, static(503, b"no healthy upstream"))
    b.net.add("empty", "10.96.0.32", 80, lambda r, n: Reply(error="closed"))
    return b


def test_talk_http_head_on_a_terminal(box: Box) -> None:
    r = box.run(http, "http HEAD http://ms.iirii.com:30066", tty=True)
    assert (r.code, r.out, r.err) == (0, SORTED_NGINX + "\n\n", "")
    assert box.net.requests[-1].method == "HEAD"
    # piped, the (empty) body only: ``http HEAD … | grep Server`` finds nothing (§6.5)
    assert box.run(http, "http HEAD http://ms.iirii.com:30066").out == ""


def test_talk_body_loop_terminal_vs_pipe(box: Box) -> None:
    r = box.run(http, "http --body http://flaskapp/env/version", tty=True)
    assert r.out == "v1\n\n"
    r = box.run(http, "http --body http://flaskapp/env/version", tty=False)
    assert r.out == "v1"


def test_talk_canary_header_and_the_url_data_item_gotcha(box: Box) -> None:
    box.run(http, "http --body http://flaskapp.default.svc.cluster.local/env/version "
                  "lab:canary", tty=True)
    sent = box.net.requests[-1]
    assert sent.method == "GET" and ("lab", "canary") in sent.headers
    # argparse puts ``url=…`` in METHOD; not a plain word, so HTTPie makes it the URL and
    # ``lab:other`` the first item: the host is "url=http" (verified with HTTPie 3.2.4).
    r = box.run(http, "http --body url=http://flaskapp.default.svc.cluster.local/env/version "
                      "lab:other", tty=True)
    assert (r.code, r.out) == (1, "")
    assert r.err == ("\nhttp: error: gaierror: [Errno -2] Name or service not known\n"
                     "Couldn\u2019t resolve the given hostname. Please check the URL and try "
                     "again.\n\n\n")


def test_json_is_reindented_on_a_terminal_only(box: Box) -> None:
    r = box.run(http, "http http://httpbin:8000/get", tty=True)
    assert r.out == (
        "HTTP/1.1 200 OK\r\nContent-Length: 73\r\nContent-Type: application/json\r\n"
        "Server: gunicorn/19.9.0\r\n\r\n{\n    \"e\": \"\u00e9\",\n    \"origin\": \"127.0.0.1\",\n"
        "    \"url\": \"http://httpbin:8000/get\"\n}\n\n")
    r = box.run(http, "http http://httpbin:8000/get", tty=False)
    assert r.out.startswith('{"url": "http://httpbin:8000/get"')


def test_verbose_request_block_and_separators(box: Box) -> None:
    r = box.run(http, "http -v http://flaskapp/env/version lab:canary", tty=False)
    assert r.out == (
        "GET /env/version HTTP/1.1\r\nAccept-Encoding: gzip, deflate\r\nAccept: */*\r\n"
        "Connection: keep-alive\r\nUser-Agent: HTTPie/3.2.4\r\nlab: canary\r\nHost: flaskapp"
        "\r\n\r\n\n\nHTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
        "Content-Length: 2\r\nServer: Werkzeug/0.14.1 Python/3.6.5\r\n"
        "Date: Mon, 01 Jun 2026 08:00:00 GMT\r\n\r\nv1")
    r = box.run(http, "http -h http://flaskapp/", tty=True)
    assert r.out.endswith("Server: Werkzeug/0.14.1 Python/3.6.5\r\n\r\n")


def test_data_items_make_a_json_post(box: Box) -> None:
    r = box.run(http, "http --offline http://x/ a=b n:=1 q==1 X-Y:z", tty=False)
    assert r.out == (
        "POST /?q=1 HTTP/1.1\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n"
        "Content-Length: 18\r\nUser-Agent: HTTPie/3.2.4\r\n"
        "Accept: application/json, */*;q=0.5\r\nContent-Type: application/json\r\n"
        "X-Y: z\r\nHost: x\r\n\r\n{\"a\": \"b\", \"n\": 1}")
    r = box.run(http, "http --offline -f http://x:8080/p a=b 'q==1 2' User-Agent:me")
    assert r.out.startswith("POST /p?q=1+2 HTTP/1.1\r\n")
    assert "User-Agent: me\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8"\
        "\r\nHost: x:8080\r\n\r\na=b" in r.out
    # a plain word first is taken as the METHOD (httpie's own FIXME)
    assert box.run(http, "http --offline flaskapp a=b").out.startswith("FLASKAPP / HTTP/1.1")


def test_item_separators() -> None:
    it = parse_item("field\\:colon=value")
    assert (it.key, it.sep, it.value) == ("field:colon", "=", "value")
    assert parse_item("a:=[1]").sep == ":="
    assert parse_item("url=http://x/y").sep == "="
    assert parse_item("lab:canary").sep == ":"


def test_check_status_and_errors(box: Box) -> None:
    r = box.run(http, "http --check-status http://bad/", tty=False)
    assert (r.code, r.out) == (5, "no healthy upstream")
    assert r.err == "\nhttp: warning: HTTP 503 Service Unavailable\n\n\n"
    r = box.run(http, "http --check-status http://bad/", tty=True)
    assert (r.code, r.err) == (5, "")
    assert box.run(http, "http http://bad/").code == 0
    r = box.run(http, "http http://empty/x")
    assert (r.code, r.err) == (1, (
        "\nhttp: error: ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end "
        "closed connection without response')) while doing a GET request to URL: "
        "http://empty/x\n\n\n"))
    r = box.run(http, "http http://flaskapp:1/x")
    assert r.code == 1 and "[Errno 111] Connection refused" in r.err


def test_usage_errors(box: Box) -> None:
    tail = ("\nfor more information:\n    run 'http --help' or visit "
            "https://httpie.io/docs/cli\n\n")
    r = box.run(http, "http")
    assert (r.code, r.err) == (1, "usage:\n    http [METHOD] URL [REQUEST_ITEM ...]\n\nerror:\n"
                               "    the following arguments are required: URL\n" + tail)
    r = box.run(http, "http --timeout=abc x")
    assert r.err == ("usage:\n    http --timeout [METHOD] URL [REQUEST_ITEM ...]\n\nerror:\n"
                     "    argument --timeout: invalid float value: 'abc'\n" + tail)
    r = box.run(http, "http x foo bar")
    assert r.err.splitlines()[4] == "    'bar' is not a valid value"
    assert box.run(http, "http --version").out == "3.2.4\n"


def test_stdin_turns_a_request_into_post(box: Box) -> None:
    box.run(http, "http http://flaskapp/", stdin='{"x": 1}')
    assert box.net.requests[-1].method == "POST"
    box.run(http, "http --ignore-stdin http://flaskapp/", stdin='{"x": 1}')
    assert box.net.requests[-1].method == "GET"


def test_https_program_defaults_to_https(box: Box) -> None:
    r = box.run(https, "https --offline example.org")
    assert "Host: example.org" in r.out
