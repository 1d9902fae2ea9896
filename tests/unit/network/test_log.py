"""The request log's columns and queries (``k8slab/network/log.py``)."""

from __future__ import annotations

from k8slab.network.log import RequestLog


def test_rows_columns_and_counts() -> None:
    log = RequestLog()
    ws, svc = log.intern("workstation"), log.intern("default/web")
    a, b = log.intern("default/web-a"), log.intern("default/web-b")
    old, new = log.intern("nginx/1.10.3"), log.intern("nginx/1.11.13")
    log.append(10, ws, svc, a, 200, old, 5)
    log.append(20, ws, svc, b, 200, new, 6)
    log.extend([(30, ws, svc, b, 200, new, 7, 0), (40, ws, 0, 0, 0, 0, 8,
                                                    log.intern("refused"))])
    assert len(log) == 4
    assert log.count_by("server") == {"nginx/1.10.3": 1, "nginx/1.11.13": 2, "": 1}
    assert log.count_by("backend", start=15) == {"default/web-b": 2, "": 1}
    assert [r.error for r in log.rows(start=35)] == ["refused"]
    cols = log.columns(end=25)
    assert cols["time"] == [10, 20] and cols["backend"] == ["default/web-a", "default/web-b"]
    assert log.count_by("status") == {"200": 3, "0": 1}
