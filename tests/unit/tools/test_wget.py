"""GNU Wget 1.21.3 and BusyBox wget against the scripted network (cli/tools/wget.py).

Log layouts are the real GNU Wget 1.21.3 / BusyBox 1.35 ones run on this machine
(tests/oracle/test_http_tools.py compares them live); istio.md §6.7 for BusyBox's refusal.
"""

from __future__ import annotations

import pytest
from fake_transport import Reply, nginx_page, static
from toolkit import Box

from k8slab.cli.tools.wget import busybox_wget, wget


@pytest.fixture
def box() -> Box:
    b = Box()
    b.net.add("ms.iirii.com", "192.168.49.2", 30077, nginx_page())
    b.net.add("missing", "10.96.0.21", 80, static(404, b"not found"))
    b.net.add("empty", "10.96.0.22", 80, lambda r, n: Reply(error="closed"))
    return b


def test_talk_load_loop_command_prints_only_the_body(box: Box) -> None:
    r = box.run(wget, "wget -q -O- http://ms.iirii.com:30077")
    assert (r.code, r.out, r.err) == (0, "hello world\n", "")
    sent = box.net.requests[-1]
    assert sent.headers == [("Host", "ms.iirii.com:30077"), ("User-Agent", "Wget/1.21.3"),
                            ("Accept", "*/*"), ("Accept-Encoding", "identity"),
                            ("Connection", "Keep-Alive")]


def test_gnu_log_lines(box: Box) -> None:
    r = box.run(wget, "wget -O- http://ms.iirii.com:30077")
    lines = r.err.split("\n")
    assert lines[:6] == [
        "--2026-06-01 08:00:00--  http://ms.iirii.com:30077/",
        "Resolving ms.iirii.com (ms.iirii.com)... 192.168.49.2",
        "Connecting to ms.iirii.com (ms.iirii.com)|192.168.49.2|:30077... connected.",
        "HTTP request sent, awaiting response... 200 OK",
        "Length: 12 [text/html]",
        "Saving to: \u2018STDOUT\u2019"]
    assert lines[6] == ""
    assert lines[7].startswith("     0K" + " " * 55 + "100% ")
    assert lines[9].startswith("2026-06-01 08:00:00 (") and lines[9].endswith(
        ") - written to stdout [12/12]")


def test_gnu_saves_files_with_numbered_names(box: Box) -> None:
    for name in ("index.html", "index.html.1"):
        r = box.run(wget, "wget http://ms.iirii.com:30077/", cwd="/tmp")
        assert f"Saving to: \u2018{name}\u2019" in r.err
        assert f"\u2018{name}\u2019 saved [12/12]" in r.err
    assert box.fs.read("/tmp/index.html.1") == b"hello world\n"


def test_gnu_errors(box: Box) -> None:
    r = box.run(wget, "wget http://nosuch/")
    assert r.code == 4 and r.err.endswith(
        "Resolving nosuch (nosuch)... failed: Name or service not known.\n"
        "wget: unable to resolve host address \u2018nosuch\u2019\n")
    r = box.run(wget, "wget http://ms.iirii.com:1/")
    assert r.code == 4 and r.err.endswith(
        "Connecting to ms.iirii.com (ms.iirii.com)|192.168.49.2|:1... failed: Connection "
        "refused.\n")
    r = box.run(wget, "wget http://missing/")
    assert r.code == 8 and r.err.endswith(
        "HTTP request sent, awaiting response... 404 Not Found\n"
        "2026-06-01 08:00:00 ERROR 404: Not Found.\n\n")
    assert box.run(wget, "wget -q http://missing/").err == ""
    r = box.run(wget, "wget http://ms.iirii.com:8a/")
    assert (r.code, r.err) == (1, "http://ms.iirii.com:8a/: Bad port number.\n")
    usage = "Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n"
    r = box.run(wget, "wget --foo")
    assert (r.code, r.err) == (2, "wget: unrecognized option '--foo'\n" + usage)
    r = box.run(wget, "wget")
    assert (r.code, r.err) == (1, "wget: missing URL\n" + usage)


def test_gnu_retries_with_growing_waits(box: Box) -> None:
    r = box.run(wget, "wget -t 3 http://empty/")
    assert r.code == 4
    assert r.err.count("No data received.") == 3
    assert "--2026-06-01 08:00:01--  (try: 2)  http://empty/" in r.err
    assert "--2026-06-01 08:00:03--  (try: 3)  http://empty/" in r.err
    assert r.err.endswith("Giving up.\n\n")
    assert r.elapsed == pytest.approx(3.0, abs=0.01)


def test_busybox_lines(box: Box) -> None:
    r = box.run(busybox_wget, "wget -O- http://ms.iirii.com:30077")
    assert (r.code, r.out) == (0, "hello world\n")
    assert r.err == (
        "Connecting to ms.iirii.com:30077 (192.168.49.2:30077)\nwriting to stdout\n"
        "-                    100% |********************************|    12  0:00:00 ETA\n"
        "written to stdout\n")
    r = box.run(busybox_wget, "wget -q -O- http://ms.iirii.com:1")
    assert (r.code, r.err) == (1, "wget: can't connect to remote host (192.168.49.2): "
                                  "Connection refused\n")
    r = box.run(busybox_wget, "wget -O- http://ms.iirii.com:1")
    assert r.err.startswith("Connecting to ms.iirii.com:1 (192.168.49.2:1)\n")
    assert box.run(busybox_wget, "wget http://nosuch/").err == "wget: bad address 'nosuch'\n"
    r = box.run(busybox_wget, "wget -q -O- http://missing/")
    assert (r.code, r.err) == (1, "wget: server returned error: HTTP/1.1 404 Not Found\n")
    assert box.run(busybox_wget, "wget -O- http://empty/").err.endswith(
        "wget: error getting response\n")
    r = box.run(busybox_wget, "wget")
    assert r.code == 1 and r.err.startswith("BusyBox v1.37.0 (")
    assert "Usage: wget [-cqS] [--spider] [-O FILE]" in r.err


def test_busybox_refuses_to_overwrite(box: Box) -> None:
    r = box.run(busybox_wget, "wget http://ms.iirii.com:30077/", cwd="/tmp")
    assert r.code == 0 and "saving to 'index.html'\n" in r.err
    r = box.run(busybox_wget, "wget http://ms.iirii.com:30077/", cwd="/tmp")
    assert (r.code, r.err.splitlines()[-1]) == (1, "wget: can't open 'index.html': File exists")
