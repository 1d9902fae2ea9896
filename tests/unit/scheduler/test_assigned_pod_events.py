"""The scheduler cache follows updates of assigned pods (``Scheduler._on_assigned``).

A bound pod's status writes keep its spec object and take a shortcut that swaps the cached pod
without re-checking node, uid or the assumed mark; these tests feed the watch handler updates
that look like that shortcut's case but change what the cache counts (the containers, the
deletion mark), and check the node's sums follow.
"""

from __future__ import annotations

from typing import Any

import nodeworld as nw

from k8slab.api.store import ADDED, MODIFIED
from k8slab.sim.clock import SECOND

OWNER = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1", "uid": "rs-uid",
         "controller": True}


def _setup() -> tuple[Any, dict[str, Any]]:
    c = nw.make_bare()
    nw.add_nodes(c, nw.node_obj("w1"))
    c.loop.advance(SECOND)
    pod = nw.pod_obj("web", cpu="500m", owner=OWNER, nodeName="w1")
    pod["metadata"]["uid"] = "pod-uid"
    c.scheduler._on_pod(ADDED, pod, None)
    return c, pod


def test_status_update_keeps_the_entry_and_swaps_the_pod() -> None:
    c, pod = _setup()
    entry = c.scheduler.cache.pods["default/web"]
    new = {**pod, "status": {"phase": "Running"}}
    c.scheduler._on_pod(MODIFIED, new, pod)
    assert c.scheduler.cache.pods["default/web"] is entry and entry.pod is new
    ni = c.scheduler.cache.nodes["w1"]
    assert ni.req_cpu == 500 and ni.owners == {"rs-uid": 1}


def test_update_with_a_new_spec_is_accounted_again() -> None:
    c, pod = _setup()
    container = {**pod["spec"]["containers"][0], "resources": {"requests": {"cpu": "2"}}}
    new = {**pod, "spec": {**pod["spec"], "containers": [container]}}
    c.scheduler._on_pod(MODIFIED, new, pod)
    assert c.scheduler.cache.nodes["w1"].req_cpu == 2000


def test_deletion_mark_with_the_same_spec_stops_counting_the_owner() -> None:
    c, pod = _setup()
    new = {**pod, "metadata": {**pod["metadata"], "deletionTimestamp": "2024-01-01T00:00:00Z"}}
    c.scheduler._on_pod(MODIFIED, new, pod)
    entry = c.scheduler.cache.pods["default/web"]
    assert entry.terminating and entry.pod is new
    assert c.scheduler.cache.nodes["w1"].owners == {}
