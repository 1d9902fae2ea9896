"""Liveness, readiness and startup probes (``pkg/kubelet/prober``: ``worker.go``, ``prober.go``;
``pkg/probe/{exec,http,tcp,grpc}``).

One worker per (pod, container, probe type), created when the pod is admitted and living as long
as the pod. Its timing is the upstream worker's:

- if the kubelet started less than one period ago, the worker first sleeps a random fraction of
  the period (so a restarted kubelet does not probe everything at once); otherwise it probes at
  once;
- then a ticker fires every ``periodSeconds``, whatever the container does — the ticks do not
  restart with the container;
- a tick does nothing until the container runs and ``int(seconds since startedAt) >=
  initialDelaySeconds``; liveness and readiness wait for the startup probe to succeed;
- a result only takes effect after ``failureThreshold``/``successThreshold`` equal results in a
  row; a liveness or startup failure then puts the worker on hold until a new container ID
  appears (the restarted container starts again from the initial value).

Every failed probe records a ``Warning Unhealthy`` event ``<Type> probe failed: <output>``:
an exec probe's combined stdout+stderr as the command wrote it (trailing newline included),
``HTTP probe failed with statuscode: 500``, ``Get "http://10.244.1.5:80/": dial tcp
10.244.1.5:80: connect: connection refused``, ``dial tcp …: connect: connection refused`` for
TCP. An exec probe over its ``timeoutSeconds`` fails with ``command "…" timed out``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..apps.base import HTTPRequest
from ..sim.clock import SECOND, Timer
from ..sim.process import Buffer, spawn

if TYPE_CHECKING:
    from .kubelet import Kubelet, PodRecord

__all__ = ["FAILURE", "SUCCESS", "UNKNOWN", "ProbeWorker"]

SUCCESS, FAILURE, UNKNOWN = "Success", "Failure", "Unknown"
_TITLE = {"liveness": "Liveness", "readiness": "Readiness", "startup": "Startup"}
_INITIAL = {"liveness": SUCCESS, "readiness": FAILURE, "startup": UNKNOWN}

Obj = dict[str, Any]


def probe_port(port: Any, container: Obj) -> int | None:
    if isinstance(port, int):
        return port
    text = str(port)
    for p in container.get("ports") or []:
        if p.get("name") == text:
            return int(p.get("containerPort", 0))
    return int(text) if text.isdigit() else None


class ProbeWorker:
    def __init__(self, kubelet: Kubelet, rec: PodRecord, container: Obj, kind: str,
                 spec: Obj) -> None:
        self.kubelet = kubelet
        self.rec = rec
        self.container = container
        self.name: str = container.get("name", "")
        self.kind = kind
        self.spec = spec
        self.period = max(1, int(spec.get("periodSeconds", 10))) * SECOND
        self.initial_delay = int(spec.get("initialDelaySeconds", 0) or 0)
        self.timeout = max(1, int(spec.get("timeoutSeconds", 1))) * SECOND
        self.failure_threshold = max(1, int(spec.get("failureThreshold", 3)))
        self.success_threshold = max(1, int(spec.get("successThreshold", 1)))
        self.container_id = ""
        self.last_result = ""
        self.result_run = 0
        self.on_hold = False
        self.stopped = False
        self.in_flight = False
        self.tick_pending = False
        self._timer: Timer | None = None
        loop = kubelet.loop
        delay = 0
        if self.period > loop.now - kubelet.started_at:
            delay = int(kubelet.rng.random() * self.period)
        self._next = loop.now + delay
        self._timer = loop.call_at(self._next, self._tick)

    def stop(self) -> None:
        self.stopped = True
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _tick(self) -> None:
        self._timer = None
        if self.stopped:
            return
        self._next += self.period
        self._timer = self.kubelet.loop.call_at(self._next, self._tick)
        if self.in_flight:
            self.tick_pending = True
            return
        if not self._do_probe():
            self.stop()

    # ------------------------------------------------------------------ worker.go doProbe

    def _set(self, result: str) -> None:
        self.kubelet.set_probe_result(self.rec, self.name, self.kind, self.container_id,
                                      result)

    def _do_probe(self) -> bool:
        rec = self.rec
        if rec.gone:
            return False
        if rec.phase in ("Succeeded", "Failed"):
            return False
        view = rec.views.get(self.name)
        if view is None:
            return True
        c = view.current
        if c is None:
            return True
        if self.container_id != c.id:
            self.container_id = c.id
            self._set(_INITIAL[self.kind])
            self.on_hold = False
            self.last_result = ""
            self.result_run = 0
        if self.on_hold:
            return True
        if not c.running:
            self._set(FAILURE)
            return not (c.state == "exited" and rec.restart_policy == "Never")
        if rec.deleting and self.kind in ("liveness", "startup"):
            self._set(SUCCESS)
            return False
        loop = self.kubelet.loop
        if (loop.now - c.started_at) // SECOND < self.initial_delay:
            return True
        started = view.started
        if started and self.kind == "startup":
            return True
        if not started and self.kind != "startup":
            return True
        self._run(c)
        return True

    def _finish(self, c: Any, result: str, output: str) -> None:
        self.in_flight = False
        if self.stopped or c.id != self.container_id:
            return
        title = _TITLE[self.kind]
        kubelet = self.kubelet
        if result == UNKNOWN:
            kubelet.container_event(self.rec, self.container, "Warning", "Unhealthy",
                                    f"{title} probe errored and resulted in unknown state: "
                                    f"{output}")
            return
        if result == FAILURE:
            kubelet.container_event(self.rec, self.container, "Warning", "Unhealthy",
                                    f"{title} probe failed: {output}")
        kubelet.cluster.trace.append(kubelet.loop.now, kubelet.name, "probe", "Pod",
                                     self.rec.namespace, self.rec.name,
                                     {"container": self.name, "probe": self.kind,
                                      "result": result})
        if result == self.last_result:
            self.result_run += 1
        else:
            self.last_result = result
            self.result_run = 1
        if (result == FAILURE and self.result_run < self.failure_threshold) or (
                result == SUCCESS and self.result_run < self.success_threshold):
            return
        self._set(result)
        if self.kind in ("liveness", "startup") and result == FAILURE:
            self.on_hold = True
            self.result_run = 0

    def _after(self) -> None:
        if self.tick_pending and not self.stopped:
            self.tick_pending = False
            if not self._do_probe():
                self.stop()

    # ------------------------------------------------------------------ handlers

    def _run(self, c: Any) -> None:
        spec = self.spec
        if spec.get("exec") is not None:
            self._exec(c, list((spec.get("exec") or {}).get("command") or []))
            return
        if spec.get("httpGet") is not None:
            result, output = self._http(spec["httpGet"])
        elif spec.get("tcpSocket") is not None:
            result, output = self._tcp(spec["tcpSocket"])
        elif spec.get("grpc") is not None:
            result, output = self._grpc(spec["grpc"])
        else:
            result, output = UNKNOWN, "missing probe handler"
        self._finish(c, result, output)

    def _exec(self, c: Any, argv: list[str]) -> None:
        out = Buffer()
        if not argv or c.commands.locate(argv[0], c.cwd) is None:
            what = argv[0] if argv else ""
            self._finish(c, UNKNOWN,
                         "rpc error: code = Unknown desc = failed to exec in container: "
                         f'failed to start exec "{self.kubelet.runtime.new_id()}": OCI runtime '
                         "exec failed: exec failed: unable to start container process: exec: "
                         f'"{what}": executable file not found in $PATH: unknown')
            return
        ctx = c.exec_context("", out, out)
        path = c.commands.locate(argv[0], c.cwd)
        proc = c.binaries[path](ctx, argv)
        self.in_flight = True
        loop = self.kubelet.loop
        state: dict[str, Any] = {}

        def done(code: int) -> None:
            timer = state.get("timer")
            if timer is not None:
                timer.cancel()
            if state.get("timed_out"):
                return
            self._finish(c, SUCCESS if code == 0 else FAILURE, out.getvalue())
            self._after()

        def timeout() -> None:
            state["timer"] = None
            if handle.running:
                state["timed_out"] = True
                handle.kill(137)
                self._finish(c, FAILURE, f'command "{" ".join(argv)}" timed out')
                self._after()

        handle = spawn(loop, proc, done)
        state["timer"] = loop.call_later(self.timeout, timeout)

    def _target(self, host: str | None) -> tuple[str, str]:
        rec = self.rec
        ip = host or rec.pod_ip
        return ip, rec.probe_source_ip()

    def _http(self, action: Obj) -> tuple[str, str]:
        scheme = str(action.get("scheme") or "HTTP").lower()
        port = probe_port(action.get("port"), self.container)
        path = action.get("path") or "/"
        if not path.startswith("/"):
            path = "/" + path
        host, source = self._target(action.get("host"))
        if port is None:
            return UNKNOWN, f"unable to find port {action.get('port')!r}"
        host_port = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        url = f"{scheme}://{host_port}{path}"
        headers = {"Host": host_port, "User-Agent": self.kubelet.probe_user_agent,
                   "Accept": "*/*", "Connection": "close"}
        for h in action.get("httpHeaders") or []:
            headers[h.get("name", "")] = h.get("value", "")
        request = HTTPRequest("GET", path, headers, b"", port, source, scheme, host)
        try:
            response = self.kubelet.http_exchange(host, port, request)
        except ConnectionRefusedError:
            return FAILURE, f'Get "{url}": dial tcp {host_port}: connect: connection refused'
        except ConnectionResetError:
            return FAILURE, (f'Get "{url}": read tcp {source}:{40000 + port % 20000}->'
                             f"{host_port}: read: connection reset by peer")
        except LookupError as exc:
            return FAILURE, f'Get "{url}": {exc}'
        except TimeoutError:
            return FAILURE, (f'Get "{url}": context deadline exceeded (Client.Timeout exceeded '
                             "while awaiting headers)")
        if response.latency > self.timeout:
            return FAILURE, (f'Get "{url}": context deadline exceeded (Client.Timeout exceeded '
                             "while awaiting headers)")
        if 200 <= response.status < 400:
            return SUCCESS, ""
        return FAILURE, f"HTTP probe failed with statuscode: {response.status}"

    def _tcp(self, action: Obj) -> tuple[str, str]:
        port = probe_port(action.get("port"), self.container)
        host, _ = self._target(action.get("host"))
        if port is None:
            return UNKNOWN, f"unable to find port {action.get('port')!r}"
        if self.kubelet.tcp_connect(host, port):
            return SUCCESS, ""
        return FAILURE, f"dial tcp {host}:{port}: connect: connection refused"

    def _grpc(self, action: Obj) -> tuple[str, str]:
        port = int(action.get("port", 0))
        host = self.rec.pod_ip
        app = self.kubelet.runtime.app_on_port(host, port)
        seconds = self.timeout // SECOND
        if app is None:
            return FAILURE, (f'timeout: failed to connect service "{host}:{port}" within '
                             f"{seconds}s: context deadline exceeded")
        try:
            state = app.grpc_health(port, action.get("service") or "")
        except (ConnectionRefusedError, ConnectionResetError):
            return FAILURE, (f'timeout: failed to connect service "{host}:{port}" within '
                             f"{seconds}s: context deadline exceeded")
        if state == "SERVING":
            return SUCCESS, ""
        return FAILURE, f'service unhealthy (responded with "{state}")'
