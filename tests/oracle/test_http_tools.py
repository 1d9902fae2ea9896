"""The lab's curl, HTTPie, wget (GNU and BusyBox) and wrk against the real binaries.

A tiny HTTP server on 127.0.0.1 (test code may open sockets; the lab never does) answers
nginx-, Flask- and httpbin-like responses; the real tool fetches them over loopback, the lab's
tool fetches the same bytes through the scripted network of tests/unit/tools, and the outputs
are compared — exactly where the output is deterministic, with times/rates masked otherwise.

Versions differ where the lab deliberately models a newer release than this machine has
(curl 8.14 vs Debian 12's 7.88: ``Could not`` for ``Couldn't``, the User-Agent; docs/realism.md).
Each test is skipped when its binary is missing (``pip install httpie`` for ``http``;
``apt-get install wrk busybox``).
"""

from __future__ import annotations

import re
import shlex
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TOOLS = Path(__file__).resolve().parents[1] / "unit" / "tools"
sys.path.insert(0, str(TOOLS))

from fake_transport import Reply  # noqa: E402
from toolkit import Box  # noqa: E402

from k8slab.cli.tools.curl import curl  # noqa: E402
from k8slab.cli.tools.httpie import http  # noqa: E402
from k8slab.cli.tools.wget import busybox_wget, wget  # noqa: E402
from k8slab.cli.tools.wrk import wrk  # noqa: E402
from k8slab.network.http import Response  # noqa: E402

JSON_BODY = b'{\n  "origin": "127.0.0.1", \n  "url": [1, 2, {"a": "\\u00e9"}]\n}\n'
RAW: dict[str, bytes] = {
    "/": (b"HTTP/1.1 200 OK\r\nServer: nginx/1.10.3\r\nDate: Mon, 01 Jun 2026 08:00:00 GMT\r\n"
          b"Content-Type: text/html\r\nContent-Length: 12\r\n"
          b"Last-Modified: Tue, 31 Jan 2017 15:01:11 GMT\r\nConnection: keep-alive\r\n"
          b'ETag: "5890a6b7-264"\r\nAccept-Ranges: bytes\r\n\r\nhello world\n'),
    "/env/version": (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                     b"Content-Length: 2\r\nServer: Werkzeug/0.14.1 Python/3.6.5\r\n"
                     b"Date: Mon, 01 Jun 2026 08:00:00 GMT\r\n\r\nv1"),
    "/get": (b"HTTP/1.1 200 OK\r\nServer: gunicorn/19.9.0\r\n"
             b"Date: Mon, 01 Jun 2026 08:00:00 GMT\r\nConnection: keep-alive\r\n"
             b"Content-Type: application/json\r\nContent-Length: %d\r\n"
             b"Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Credentials: true\r\n\r\n"
             % len(JSON_BODY)) + JSON_BODY,
    "/404": (b"HTTP/1.1 404 Not Found\r\nServer: nginx/1.10.3\r\n"
             b"Date: Mon, 01 Jun 2026 08:00:00 GMT\r\nContent-Type: text/html\r\n"
             b"Content-Length: 9\r\nConnection: keep-alive\r\n\r\nnot found"),
    "/503": (b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 19\r\n"
             b"content-type: text/plain\r\ndate: Mon, 01 Jun 2026 08:00:00 GMT\r\n"
             b"server: envoy\r\n\r\nno healthy upstream"),
    "/empty": b"",
}


def _split(raw: bytes, method: str) -> Response:
    head, _, body = raw.partition(b"\r\n\r\n")
    first, *lines = head.decode("latin-1").split("\r\n")
    _, status, reason = first.split(" ", 2)
    headers = [(n, v.lstrip()) for n, v in (line.split(":", 1) for line in lines)]
    return Response(int(status), headers, b"" if method == "HEAD" else body, reason=reason)


def _serve(sock: socket.socket) -> None:
    while True:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        threading.Thread(target=_handle, args=(conn,), daemon=True).start()


def _handle(conn: socket.socket) -> None:
    buf = b""
    try:
        while True:
            while b"\r\n\r\n" not in buf:
                data = conn.recv(65536)
                if not data:
                    return
                buf += data
            head, buf = buf.split(b"\r\n\r\n", 1)
            lines = head.decode("latin-1").split("\r\n")
            method, target, _ = lines[0].split(" ", 2)
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            while len(buf) < length:
                buf += conn.recv(65536)
            buf = buf[length:]
            raw = RAW.get(target.split("?")[0], RAW["/404"])
            if not raw:
                return
            if method == "HEAD":
                raw = raw.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n"
            conn.sendall(raw)
    except OSError:
        pass
    finally:
        conn.close()


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    threading.Thread(target=_serve, args=(sock,), daemon=True).start()
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture(scope="module")
def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    number = sock.getsockname()[1]
    sock.close()  # nothing listens there any more: connection refused
    return number


def _box(port: int) -> Box:
    box = Box()

    def handle(req: Any, n: int) -> Reply:
        raw = RAW.get(req.path, RAW["/404"])
        if not raw:
            return Reply(error="closed")
        return Reply(_split(raw, req.method))

    box.net.routes[("127.0.0.1", port)] = handle
    return box


def _real(argv: list[str], tty: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run a real tool as a learner types it (argv[0] is the bare name getopt prints)."""
    executable = argv[0]
    argv = [Path(argv[0]).name, *argv[1:]]
    if tty:
        argv = ["script", "-qec", shlex.join([executable, *argv[1:]]), "/dev/null"]
        executable = shutil.which("script") or "script"
    return subprocess.run(argv, executable=executable, capture_output=True, timeout=30,
                          stdin=subprocess.DEVNULL,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
                               "TERM": "dumb", "COLUMNS": "80"})


def _need(name: str) -> str:
    path = shutil.which(name)
    if name == "http":
        candidate = Path(sys.executable).parent / "http"
        path = str(candidate) if candidate.exists() else path
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


# --------------------------------------------------------------------------- curl


def _curl_8(text: str) -> str:
    """Real curl 7.88 → the 8.x words the lab prints (docs/realism.md)."""
    text = text.replace("Couldn't connect to server", "Could not connect to server")
    return re.sub(r"curl/7\.88\.1", "curl/8.14.1", text)


@pytest.mark.parametrize("args", [["-s", "-I", "/"], ["-si", "/env/version"], ["-s", "/"],
                                  ["-s", "/env/version"], ["-sI", "/404"], ["-si", "/503"]])
def test_curl_stdout_is_byte_for_byte(port: int, args: list[str]) -> None:
    exe = _need("curl")
    url = f"http://127.0.0.1:{port}{args[-1]}"
    real = _real([exe, *args[:-1], url])
    ours = _box(port).run(curl, shlex.join(["curl", *args[:-1], url]))
    assert (ours.code, ours.out.encode("latin-1")) == (real.returncode, real.stdout)
    assert ours.err == "" and real.stderr == b""


@pytest.mark.parametrize("args", [["-sS", "-f", "/404"], ["-sS", "/empty"], ["-f", "-s", "/404"],
                                  ["--foo", "/"], ["-o"], ["-m", "abc", "/"],
                                  ["-sS", "http://127.0.0.1:99999/"]])
def test_curl_errors_and_exit_codes(port: int, args: list[str]) -> None:
    exe = _need("curl")
    argv = [a if not a.startswith("/") else f"http://127.0.0.1:{port}{a}" for a in args]
    real = _real([exe, *argv])
    ours = _box(port).run(curl, shlex.join(["curl", *argv]))
    assert ours.code == real.returncode
    expected = _curl_8(real.stderr.decode())
    if "URL using bad/illegal format" in expected:  # 7.88's generic text; 8.x says why
        expected = expected.replace("URL using bad/illegal format or missing URL",
                                    "URL rejected: Port number was not a decimal number "
                                    "between 0 and 65535")
    assert ours.err == expected


def test_curl_refused_and_progress_meter(port: int, closed_port: int) -> None:
    exe = _need("curl")
    url = f"http://127.0.0.1:{closed_port}/"
    real = _real([exe, "-sS", url])
    box = _box(port)
    ours = box.run(curl, f"curl -sS {url}")
    assert ours.code == real.returncode == 7
    assert ours.err == _curl_8(re.sub(r"after \d+ ms", "after 0 ms", real.stderr.decode()))
    # the meter (stdout not a terminal): same header, same columns
    real = _real([exe, f"http://127.0.0.1:{port}/"])
    ours = box.run(curl, f"curl http://127.0.0.1:{port}/")
    real_lines = real.stderr.decode().split("\r")
    our_lines = ours.err.split("\r")
    assert our_lines[0] == real_lines[0]

    def tokens(line: str) -> list[str]:
        return [t if not re.fullmatch(r"[\d.]+[kM]?", t) else "N" for t in line.split()]

    assert [tokens(x) for x in our_lines[1:]] == [tokens(x) for x in real_lines[1:]]
    assert [len(x) for x in our_lines] == [len(x) for x in real_lines]


def test_curl_write_out(port: int) -> None:
    exe = _need("curl")
    fmt = "%{http_code} %{size_download} %{remote_ip} %{url_effective} %{content_type}\\n"
    url = f"http://127.0.0.1:{port}/"
    real = _real([exe, "-s", "-o", "/dev/null", "-w", fmt.replace("\\n", "\n"), url])
    ours = _box(port).run(curl, shlex.join(["curl", "-s", "-o", "/dev/null", "-w", fmt, url]))
    assert ours.out.encode() == real.stdout


# --------------------------------------------------------------------------- HTTPie


@pytest.mark.parametrize("args", [["/env/version"], ["-h", "/"], ["-v", "/env/version"],
                                  ["HEAD", "/"], ["/get"], ["--body", "/env/version"],
                                  ["-v", "/env/version", "lab:canary"]])
def test_httpie_piped_output(port: int, args: list[str]) -> None:
    exe = _need("http")
    argv = [a if not a.startswith("/") else f"http://127.0.0.1:{port}{a}" for a in args]
    real = _real([exe, "--ignore-stdin", *argv])
    ours = _box(port).run(http, shlex.join(["http", "--ignore-stdin", *argv]), tty=False)
    assert (ours.code, ours.out.encode()) == (real.returncode, real.stdout)


@pytest.mark.parametrize("args", [["/get"], ["HEAD", "/"], ["--body", "/env/version"],
                                  ["-v", "/env/version"], ["-h", "/404"], ["/404"]])
def test_httpie_terminal_output(port: int, args: list[str]) -> None:
    exe = _need("http")
    if shutil.which("script") is None:
        pytest.skip("script(1) is not installed")
    argv = [a if not a.startswith("/") else f"http://127.0.0.1:{port}{a}" for a in args]
    # no colours: the lab is not a colour terminal (--pretty=format, docs/realism.md)
    real = _real([exe, "--pretty=format", *argv], tty=True)
    ours = _box(port).run(http, shlex.join(["http", *argv]), tty=True)
    # the pty turns each "\n" into "\r\n"
    assert ours.out.replace("\n", "\r\n").encode() == real.stdout


@pytest.mark.parametrize("args", [["/empty"], ["http://127.0.0.1:8a/"], ["--timeout=abc", "/"],
                                  [], ["--check-status", "/503"], ["--check-status", "/404"],
                                  ["/", "foo"]])
def test_httpie_errors(port: int, args: list[str]) -> None:
    exe = _need("http")
    argv = [a if not a.startswith("/") else f"http://127.0.0.1:{port}{a}" for a in args]
    real = _real([exe, "--ignore-stdin", *argv])
    ours = _box(port).run(http, shlex.join(["http", "--ignore-stdin", *argv]), tty=False)
    err = real.stderr.decode().replace("http --ignore-stdin --timeout", "http --timeout")
    assert (ours.code, ours.err) == (real.returncode, err)


def test_httpie_refused(port: int, closed_port: int) -> None:
    exe = _need("http")
    url = f"http://127.0.0.1:{closed_port}/x"
    real = _real([exe, "--ignore-stdin", url])
    ours = _box(port).run(http, f"http {url}")
    assert (ours.code, ours.err) == (real.returncode, real.stderr.decode())


# --------------------------------------------------------------------------- wget


def _mask_wget(text: str) -> str:
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", "DATE", text)
    text = re.sub(r"\(\d[\d.]* [KMG]?B/s\)", "(RATE)", text)
    return re.sub(r"100% +[\d.]+[KMG ]?=[\d.]+s", "100% RATE", text)


@pytest.mark.parametrize("args", [["-q", "-O-", "/"], ["-O-", "/"], ["-O-", "/404"],
                                  ["-q", "-O-", "/404"], ["http://127.0.0.1:8a/"], ["--foo"],
                                  [], ["-S", "-O-", "/env/version"]])
def test_gnu_wget(port: int, args: list[str]) -> None:
    exe = _need("wget")
    argv = [a if not a.startswith("/") else f"http://127.0.0.1:{port}{a}" for a in args]
    real = _real([exe, *argv])
    ours = _box(port).run(wget, shlex.join(["wget", *argv]))
    assert ours.code == real.returncode
    assert ours.out.encode() == real.stdout
    assert _mask_wget(ours.err) == _mask_wget(real.stderr.decode())


def test_gnu_wget_refused(port: int, closed_port: int) -> None:
    exe = _need("wget")
    url = f"http://127.0.0.1:{closed_port}/"
    real = _real([exe, url])
    ours = _box(port).run(wget, f"wget {url}")
    assert ours.code == real.returncode == 4
    assert _mask_wget(ours.err) == _mask_wget(real.stderr.decode())


@pytest.mark.parametrize("args", [["-q", "-O-", "/"], ["-O-", "/"], ["-q", "-O-", "/404"],
                                  ["-O-", "/503"], ["-O-", "/empty"],
                                  ["-O-", "http://127.0.0.1:8a/"], ["-O", "/dev/null", "/"]])
def test_busybox_wget(port: int, args: list[str]) -> None:
    exe = _need("busybox")
    argv = [a if not a.startswith("/") or a == "/dev/null" else f"http://127.0.0.1:{port}{a}"
            for a in args]
    real = _real([exe, "wget", *argv])
    ours = _box(port).run(busybox_wget, shlex.join(["wget", *argv]))
    assert (ours.code, ours.out.encode()) == (real.returncode, real.stdout)
    assert ours.err == real.stderr.decode()


def test_busybox_wget_refused(port: int, closed_port: int) -> None:
    # istio.md §6.7
    exe = _need("busybox")
    url = f"http://127.0.0.1:{closed_port}/"
    real = _real([exe, "wget", "-O-", url])
    ours = _box(port).run(busybox_wget, f"wget -O- {url}")
    assert (ours.code, ours.err) == (real.returncode, real.stderr.decode())


# --------------------------------------------------------------------------- wrk


def test_wrk_layout(port: int) -> None:
    exe = _need("wrk")
    url = f"http://127.0.0.1:{port}/env/version"
    real = _real([exe, "-d", "1", "-c", "2", "-t", "2", "--latency", url])
    ours = _box(port).run(wrk, f"wrk -d 1 -c 2 -t 2 --latency {url}")
    assert ours.code == real.returncode == 0
    real_lines = real.stdout.decode().splitlines()
    our_lines = ours.out.splitlines()
    assert our_lines[:3] == real_lines[:3]

    def shape(line: str) -> str:
        return re.sub(r"[\d.]+(us|ms|KB|MB|GB|B|s|k|M)?", "N", line).replace(" ", "")

    assert [shape(x) for x in our_lines] == [shape(x) for x in real_lines]
    assert [len(x) for x in our_lines[3:5]] == [len(x) for x in real_lines[3:5]]


def test_wrk_usage_and_argument_errors(port: int) -> None:
    exe = _need("wrk")
    for args in (["-c", "1", "-t", "2", f"http://127.0.0.1:{port}/"], ["localhost:8080"],
                 ["http://127.0.0.1:99999/"], ["--foo"]):
        real = _real([exe, *args])
        ours = _box(port).run(wrk, shlex.join(["wrk", *args]))
        assert (ours.code, ours.out, ours.err) == (real.returncode, real.stdout.decode(),
                                                   real.stderr.decode())
