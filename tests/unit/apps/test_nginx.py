"""The nginx image's HTTP behaviour and its container logs."""

from __future__ import annotations

from typing import Any

from k8slab.apps.base import HTTPRequest
from k8slab.apps.catalog import resolve
from k8slab.apps.nginx import Nginx, welcome_page
from k8slab.sim.clock import Loop
from k8slab.sim.process import Buffer
from k8slab.sim.rand import Streams


class Box:
    """A minimal container context."""

    def __init__(self, image: str) -> None:
        self.loop = Loop(1_780_300_800_000_000_000)
        self.image = resolve(image)
        self.stdout = Buffer()
        self.stderr = Buffer()
        self.env: dict[str, str] = {}
        self.cpus = 2
        self.kernel_version = "6.8.0-87-generic"
        self._streams = Streams(0)

    def rng(self, purpose: str) -> Any:
        return self._streams(purpose)


def _serving(image: str) -> tuple[Nginx, Box]:
    box = Box(image)
    app = Nginx(box, ["nginx", "-g", "daemon off;"])
    app.serving = True
    return app, box


def test_welcome_page_sizes_match_the_real_images() -> None:
    # `curl -I` against nginx:1.10 shows Content-Length: 612; 1.21+ shows 615.
    assert len(welcome_page("1.10.3")) == 612
    assert len(welcome_page("1.29.1")) == 615


def test_head_shows_the_server_version_and_logs_access() -> None:
    app, box = _serving("nginx:1.11")
    resp = app.serve_http(HTTPRequest("HEAD", "/", {"User-Agent": "curl/8.5.0"}, b"", 80,
                                      "10.244.1.1"))
    assert resp.status == 200 and resp.body == b""
    assert resp.header("Server") == "nginx/1.11.13"
    assert resp.header("Content-Length") == "612"
    assert box.stdout.getvalue() == ('10.244.1.1 - - [01/Jun/2026:08:00:00 +0000] "HEAD / '
                                     'HTTP/1.1" 200 0 "-" "curl/8.5.0" "-"\n')


def test_unknown_path_is_404_and_signals_exit_zero() -> None:
    app, _ = _serving("nginx:latest")
    resp = app.serve_http(HTTPRequest("GET", "/nope", {}, b"", 80, "10.0.0.1"))
    assert resp.status == 404
    assert b"<center>nginx/1.29.1</center>" in resp.body
    action = app.on_signal(3)
    assert action is not None and action.exit_code == 0


def test_pid1_shell_ignores_sigterm() -> None:
    from k8slab.apps.busybox import BusyBox

    box = Box("busybox")
    assert BusyBox(box, ["sh", "-c", "sleep 600"]).on_signal(15) is None


def test_latency_noise_comes_from_the_containers_latency_stream() -> None:
    # The stream is taken at the first request (most pods never serve one); the draws are
    # the container's "nginx/latency" stream's all the same.
    app, _ = _serving("nginx:1.10")
    expected = Streams(0)("nginx/latency")
    for _ in range(3):
        resp = app.serve_http(HTTPRequest("GET", "/", {}, b"", 80, "10.0.0.1"))
        step = int(expected.random() * 16)
        assert resp.cpu == 50_000 + 1_250 * step
        assert resp.latency == resp.cpu + 30_000
