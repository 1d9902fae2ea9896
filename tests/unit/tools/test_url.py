"""URL parsing as each tool does it (k8slab/cli/tools/url.py).

Expected texts come from the real tools: curl 8.21 transcripts (``URL rejected: Port number
was not a decimal number between 0 and 65535``, ``Malformed input to a URL function``), the
HTTPie 3.2.4 binary (``_process_url`` defaults, ``InvalidURL`` texts), GNU Wget 1.21.3 and
BusyBox 1.35 run against bad URLs (tests/oracle/test_http_tools.py re-checks them live).
"""

from __future__ import annotations

import pytest

from k8slab.cli.tools.url import (
    URLError,
    httpie_url_text,
    parse_busybox,
    parse_curl,
    parse_fortio,
    parse_gnu_wget,
    parse_httpie,
    parse_wrk,
)


def test_curl_defaults_and_host_header() -> None:
    u = parse_curl("ms.iirii.com:30044")
    assert (u.scheme, u.host, u.port, u.target) == ("http", "ms.iirii.com", 30044, "/")
    assert u.authority == "ms.iirii.com:30044"
    assert parse_curl("http://h:80/x?y=1").authority == "h"  # default port dropped
    assert parse_curl("http://h/a?b#frag").target == "/a?b"
    u = parse_curl("http://user:pw@10.0.0.1:8080/p")
    assert (u.user, u.password, u.host, u.port) == ("user", "pw", "10.0.0.1", 8080)


@pytest.mark.parametrize(("raw", "message", "code"), [
    ("http://127.0.0.1:99999/",
     "URL rejected: Port number was not a decimal number between 0 and 65535", 3),
    ("http://127.0.0.1:8a/",
     "URL rejected: Port number was not a decimal number between 0 and 65535", 3),
    ("http://h/a b", "URL rejected: Malformed input to a URL function", 3),
    ("http://", "URL rejected: No host part in the URL", 3),
    ("ftp2://x/", 'Protocol "ftp2" not supported', 1),
])
def test_curl_rejections(raw: str, message: str, code: int) -> None:
    with pytest.raises(URLError) as err:
        parse_curl(raw)
    assert (err.value.message, err.value.code) == (message, code)


def test_httpie_shorthands() -> None:
    # httpie/cli/argparser.py _process_url
    assert httpie_url_text(":3000/foo") == "http://localhost:3000/foo"
    assert httpie_url_text(":/foo") == "http://localhost/foo"
    assert httpie_url_text("://pie.dev") == "http://pie.dev"
    assert httpie_url_text("flaskapp/env/version") == "http://flaskapp/env/version"
    assert httpie_url_text("x", program="https") == "https://x"
    # The talk's ``http --body url=http://…`` ends up as this URL (the host is "url=http").
    text, u = parse_httpie("url=http://flaskapp.default.svc.cluster.local/env/version")
    assert text == "http://url=http://flaskapp.default.svc.cluster.local/env/version"
    assert (u.host, u.port, u.target) == ("url=http", 80,
                                          "//flaskapp.default.svc.cluster.local/env/version")


def test_httpie_invalid_urls() -> None:
    with pytest.raises(URLError) as err:
        parse_httpie("http://127.0.0.1:8a/")
    assert err.value.message == ("InvalidURL: Failed to parse: '127.0.0.1:8a' is not a valid "
                                 "host or port")
    with pytest.raises(URLError) as err:
        parse_httpie("http://127.0.0.1:99999/x")
    assert err.value.message == "InvalidURL: Failed to parse: http://127.0.0.1:99999/x"


def test_wget_flavours() -> None:
    with pytest.raises(URLError) as err:
        parse_gnu_wget("http://127.0.0.1:8a/")
    assert err.value.message == "http://127.0.0.1:8a/: Bad port number."
    with pytest.raises(URLError) as err:
        parse_gnu_wget("ftp2://x/")
    assert err.value.message == "ftp2://x/: Unsupported scheme \u2018ftp2\u2019."
    assert parse_gnu_wget("ms.iirii.com:30077").full() == "http://ms.iirii.com:30077/"
    with pytest.raises(URLError) as err:
        parse_busybox("http://127.0.0.1:99999/")
    assert err.value.message == "bad port '99999'"
    with pytest.raises(URLError) as err:
        parse_busybox("ftp2://x/")
    assert err.value.message == "not an http or ftp url: ftp2"
    assert parse_busybox("php-apache").host == "php-apache"


def test_wrk_and_fortio() -> None:
    with pytest.raises(URLError) as err:
        parse_wrk("localhost:8080")
    assert err.value.message == "invalid URL: localhost:8080"
    with pytest.raises(URLError):
        parse_wrk("http://127.0.0.1:99999/")
    assert parse_wrk("http://httpbin:8000/ip").port_text == "8000"
    text, u, assumed = parse_fortio("ms.iirii.com:30077")
    assert (text, u.port, assumed) == ("http://ms.iirii.com:30077", 30077, True)
