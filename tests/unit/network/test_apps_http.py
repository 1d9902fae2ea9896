"""The course images' HTTP answers, through the network.

References: istio.md §6.3 (httpbin 0.9.2: Server gunicorn/19.9.0, pretty JSON, CORS, status
lists and weights, 418 teapot, ``/delay`` capped at 10 s; the istio.io access-log task's teapot
shows ``x-more-info`` … ``content-length: 135``), §6.4 (nginx header order), §6.1 (flaskapp
``/env/<name>`` without newline, ``/fetch``, ``/`` → ``I am FINE!``); nginx's
``ngx_http_static_handler`` (405 for POST to a file) and ``ngx_http_status_lines``.
"""

from __future__ import annotations

import json
from collections import Counter

import netkit as nk

from k8slab.network.transport import reason_for
from k8slab.sim.clock import SECOND


def _one_pod(image: str, name: str, **container):  # type: ignore[no-untyped-def]
    cluster = nk.booted(replicas=0, with_service=False, settle=SECOND)
    dep = nk.deployment(name=name, replicas=1, image=image, container=container)
    cluster.api.create(dep, source="kubectl", namespace="default")
    cluster.api.create(nk.service(name=name, app=name, type_="ClusterIP", node_port=None,
                                  port=80), source="kubectl", namespace="default")
    cluster.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "client"},
                        "spec": {"containers": [{"name": "sleep", "image": "dustise/sleep"}]}},
                       source="kubectl", namespace="default")
    cluster.loop.advance(90 * SECOND)
    client = nk.container(cluster, cluster.api.get(nk.POD, "default", "client")).transport
    return cluster, client


def test_nginx_header_order_and_errors() -> None:
    cluster = nk.booted(replicas=1)
    tr = nk.workstation(cluster)
    ok = nk.get(tr, "ms.iirii.com", 30044, method="HEAD")
    assert [n for n, _ in ok.response.headers] == [
        "Server", "Date", "Content-Type", "Content-Length", "Last-Modified", "Connection",
        "ETag", "Accept-Ranges"]
    assert ok.response.body == b"" and ok.response.header("Content-Length") == "612"
    post = nk.get(tr, "ms.iirii.com", 30044, method="POST")
    assert post.response.status_line == "HTTP/1.1 405 Not Allowed"
    assert b"<center>nginx/1.10.3</center>" in post.response.body
    missing = nk.get(tr, "ms.iirii.com", 30044, "/nope", method="POST")
    assert missing.response.status_line == "HTTP/1.1 404 Not Found"
    # access log line per request, in nginx's combined format with $http_x_forwarded_for
    cluster.loop.advance(missing.total)
    (pod,) = nk.ready_pods(cluster)
    logs = [line for _t, _s, line in nk.container(cluster, pod).logs]
    assert logs[-1].endswith('"POST /nope HTTP/1.1" 404 169 "-" "curl/8.14.1" "-"')


def test_httpbin_answers() -> None:
    cluster, tr = _one_pod("kennethreitz/httpbin", "httpbin")
    get = nk.get(tr, "httpbin", 80, "/get?a=1")
    assert get.response.status_line == "HTTP/1.1 200 OK"
    assert [n for n, _ in get.response.headers] == [
        "Server", "Date", "Connection", "Content-Type", "Content-Length",
        "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials"]
    assert get.response.header("Server") == "gunicorn/19.9.0"
    body = get.response.body.decode()
    assert body.endswith("}\n") and '\n  "args": {\n    "a": "1"\n  },' in body
    data = json.loads(body)
    assert list(data) == ["args", "headers", "origin", "url"]
    assert data["url"] == "http://httpbin/get?a=1"
    client_ip = cluster.api.get(nk.POD, "default", "client")["status"]["podIP"]
    assert data["origin"] == client_ip
    teapot = nk.get(tr, "httpbin", 80, "/status/418")
    assert teapot.response.status_line == "HTTP/1.1 418 I'M A TEAPOT"
    assert teapot.response.header("Content-Length") == "135"
    assert [n for n, _ in teapot.response.headers][3:] == [
        "x-more-info", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
        "Content-Length"]
    codes = Counter(nk.get(tr, "httpbin", 80, "/status/200:0.7,500:0.3").response.status
                    for _ in range(400))
    assert set(codes) == {200, 500} and 240 <= codes[200] <= 320
    bad = nk.get(tr, "httpbin", 80, "/status/abc")
    assert bad.response.status == 400 and bad.response.body == b"Invalid status code"
    slow = nk.get(tr, "httpbin", 80, "/delay/15")
    assert 10 * SECOND <= slow.total < 11 * SECOND
    assert reason_for(None, 404) == "Not Found"


def test_flaskapp_env_fetch_and_root() -> None:
    cluster, tr = _one_pod("dustise/flaskapp", "flaskapp",
                           env=[{"name": "version", "value": "v1"}])
    env = nk.get(tr, "flaskapp", 80, "/env/version")
    assert env.response.body == b"v1"           # no trailing newline
    assert env.response.header("Content-Type") == "text/html; charset=utf-8"
    assert nk.get(tr, "flaskapp", 80, "/").response.body == b"I am FINE!"
    assert nk.get(tr, "flaskapp", 80, "/env/nope").response.status == 500
    # /fetch goes out from the flaskapp pod through its own DNS and kube-proxy
    fetched = nk.get(tr, "flaskapp", 80, "/fetch?url=http://flaskapp/env/version")
    assert fetched.response.body == b"v1"
    rows = [r for r in cluster.network.log.rows() if r.client.startswith("default/flaskapp")]
    assert rows and rows[-1].service == "default/flaskapp"
    assert nk.get(tr, "flaskapp", 80, "/fetch?url=http://w.nocs.cn/").response.status == 500


def test_test_web_is_cpu_bound() -> None:
    _cluster, tr = _one_pod("registry.ioros.com/coam/test.web:0.0.1", "test-web")
    ex = nk.get(tr, "test-web", 80)
    assert ex.response.header("Transfer-Encoding") == "chunked"
    assert ex.response.header("X-Powered-By") == "PHP/7.2.34"
    assert ex.response.body.startswith(b"3.14159")
    # ~60 ms of CPU per request: one request alone takes that long on the server
    assert 50_000_000 < ex.first_byte < 80_000_000
