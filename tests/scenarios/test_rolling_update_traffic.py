"""The talk's rolling update watched through the network (chapter 05).

References: kubernetes.md §1.4 (10 replicas, maxSurge 1, maxUnavailable 1: never more than 11
pods, never fewer than 9 available), §7 (kube-proxy picks a uniformly random *ready*
endpoint per new connection); istio.md §6.4 (nginx 1.10.3 → 1.11.13, ``Server:`` header,
``grep server`` being case-sensitive).
"""

from __future__ import annotations

import bisect
import math

import pytest
from netkit_loader import load_netkit

from k8slab.sim.clock import SECOND

nk = load_netkit()


def _set_image(cluster, image: str) -> None:  # type: ignore[no-untyped-def]
    dep = cluster.api.get(nk.DEPLOYMENT, "default", "test-web-deployment")
    tmpl = dep["spec"]["template"]
    containers = [{**tmpl["spec"]["containers"][0], "image": image}]
    cluster.api.update({**dep, "spec": {**dep["spec"], "template": {
        **tmpl, "spec": {**tmpl["spec"], "containers": containers}}}},
        source="kubectl", trusted=True)


def test_response_mix_follows_the_replica_sets_during_the_rollout() -> None:
    """Each response's version is a draw with P(1.11.13) = share of new pods among the ready
    endpoints in the entry node's rules at that instant; over the rollout the observed count
    of 1.11.13 answers must match the expected one within 4σ, and every answer must come
    from a pod that was a ready endpoint then."""
    cluster = nk.booted(seed=7, replicas=10, settle=40 * SECOND)
    old = nk.pod_names(cluster)
    assert len(old) == 10
    start = cluster.loop.now
    _set_image(cluster, "nginx:1.11")
    exchanges = nk.curl_loop(cluster, nk.workstation(cluster), "ms.iirii.com", 30044, 700,
                             every=1_000_000)
    assert all(ex.ok for ex in exchanges)
    rows = [r for r in cluster.network.log.rows(start=start) if r.client == "workstation"]
    proxy = cluster.network.proxy
    times = [t.time for t in proxy.tables]
    expected = variance = 0.0
    observed = 0
    shares = []
    for row in rows:
        table = proxy.tables[bisect.bisect_right(times, row.time) - 1]
        eps = table.node_ports[(30044, "TCP")].cluster_endpoints
        assert row.backend in {f"default/{e.pod}" for e in eps}, row
        new = sum(1 for e in eps if f"default/{e.pod}" not in old)
        p = new / len(eps)
        shares.append(p)
        expected += p
        variance += p * (1 - p)
        observed += row.server == "nginx/1.11.13"
    assert shares[0] == 0.0 and shares[-1] == 1.0      # the whole rollout was watched
    assert abs(observed - expected) <= 4 * math.sqrt(variance), (observed, expected)
    assert sum(1 for r in rows if r.server == "nginx/1.10.3") > 0
    # kubernetes.md §1.4: between 9 and 11 endpoints in the rules throughout
    sizes = {len(t.node_ports[(30044, "TCP")].cluster_endpoints)
             for t in proxy.tables if t.time >= start}
    assert min(sizes) >= 9 and max(sizes) <= 11


def test_the_talks_loop_with_curl_and_grep(lab) -> None:  # type: ignore[no-untyped-def]
    """istio.md §6.4: against nginx directly the header is ``Server:``, so the talk's
    ``grep server`` prints nothing; ``grep -i server`` shows 1.10.3 giving way to 1.11.13."""
    tools = pytest.importorskip("k8slab.cli.tools")
    for name, (command, path) in tools.WORKSTATION.items():
        lab.workstation.register(name, command, path)
    setup = lab.sh("kubectl apply -f manifests/05-rolling-update/test-web-deployment.yaml\n"
                   "kubectl apply -f manifests/04-services/test-web-svc.yaml\nsleep 40")
    assert setup.exit_code == 0
    silent = lab.sh("for i in 1 2 3; do curl -s -I http://ms.iirii.com:30044 | grep server; "
                    "done")
    assert silent.stdout == ""
    lab.workstation.session.vars["K8SLAB_RUN_FOR"] = "40s"
    run = lab.sh("kubectl apply -f manifests/05-rolling-update/k8s.run.yaml\n"
                 "while sleep 0.2; do curl -s -I http://ms.iirii.com:30044 | grep -i server; "
                 "done")
    lines = run.stdout.splitlines()
    assert lines[0] == "deployment.apps/test-web-deployment configured"
    versions = lines[1:]
    assert set(versions) == {"Server: nginx/1.10.3", "Server: nginx/1.11.13"}
    assert versions[0] == "Server: nginx/1.10.3" and versions[-1] == "Server: nginx/1.11.13"
    last_old = max(i for i, v in enumerate(versions) if v.endswith("1.10.3"))
    assert all(v.endswith("1.11.13") for v in versions[last_old + 1:])
