"""Ingress with Traefik (manifests/08-ingress), the talk's ingress controller.

References: networking.k8s.io/v1 Ingress (host and path rules, pathType Exact/Prefix/
ImplementationSpecific, defaultBackend); Traefik's kubernetes ingress provider
(``pkg/provider/kubernetes/ingress/kubernetes.go``: PathPrefix/Path rules, priority by rule
length, ``publishedService`` status, services without endpoints skipped) and Go's
``http.NotFound`` body ``404 page not found``; kubectl's ``get ingress`` columns
(printers.go ``printIngress``: NAME CLASS HOSTS ADDRESS PORTS AGE).
"""

from __future__ import annotations

from collections import Counter

import pytest
from netkit_loader import load_netkit

nk = load_netkit()

SECOND_INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: paths
spec:
  rules:
    - host: paths.example
      http:
        paths:
          - path: /exact
            pathType: Exact
            backend:
              service:
                name: test-web-svc
                port:
                  number: 8080
          - path: /nowhere
            pathType: Prefix
            backend:
              service:
                name: missing
                port:
                  number: 80
"""


@pytest.fixture
def ingress_lab(lab):  # type: ignore[no-untyped-def]
    r = lab.sh("kubectl apply -f manifests/05-rolling-update/test-web-deployment.yaml\n"
               "kubectl apply -f manifests/04-services/test-web-svc.yaml\n"
               "kubectl apply -f manifests/08-ingress/traefik.yaml\n"
               "kubectl apply -f manifests/08-ingress/test-web-ingress.yaml\n"
               "sleep 40")
    assert r.exit_code == 0, r.stderr
    return lab


def _lb_ip(lab) -> str:  # type: ignore[no-untyped-def]
    svc = lab.api.get(nk.SERVICE, "traefik", "traefik")
    return svc["status"]["loadBalancer"]["ingress"][0]["ip"]


def test_ingress_address_and_routing_by_host(ingress_lab) -> None:  # type: ignore[no-untyped-def]
    lab = ingress_lab
    ip = _lb_ip(lab)
    rows = lab.kubectl("get ingress").stdout.splitlines()
    assert rows[0].split() == ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"]
    assert rows[1].split()[:5] == ["test-web", "traefik", "ms.iirii.com", ip, "80"]
    ws = lab.workstation.transport
    ok = nk.get(ws, ip, 80, headers=[("Host", "ms.iirii.com")])
    assert ok.response.status == 200
    assert ok.response.header("Server") == "nginx/1.10.3"
    # Go writes the proxied headers sorted, with canonical names, hop-by-hop ones dropped
    names = [n for n, _ in ok.response.headers]
    assert names == sorted(names) and "Etag" in names and "Connection" not in names
    miss = nk.get(ws, ip, 80)
    assert miss.response.status == 404 and miss.response.body == b"404 page not found\n"
    assert miss.response.header("X-Content-Type-Options") == "nosniff"
    # through the Service's node port too
    port = lab.api.get(nk.SERVICE, "traefik", "traefik")["spec"]["ports"][0]["nodePort"]
    via_node = nk.get(ws, "ms.iirii.com", port)
    assert via_node.response.status == 200


def test_traefik_balances_round_robin_over_ready_pods(ingress_lab) -> None:  # type: ignore[no-untyped-def]
    lab = ingress_lab
    ip = _lb_ip(lab)
    ws = lab.workstation.transport
    start = lab.cluster.loop.now
    for _ in range(30):
        nk.get(ws, ip, 80, headers=[("Host", "ms.iirii.com")])
    hops = Counter(r.backend for r in lab.cluster.network.log.rows(start=start)
                   if r.client.startswith("traefik/"))
    assert set(hops) == nk.pod_names(lab.cluster) and set(hops.values()) == {3}


def test_path_types_and_services_without_endpoints(ingress_lab) -> None:  # type: ignore[no-untyped-def]
    lab = ingress_lab
    assert lab.apply(SECOND_INGRESS).exit_code == 0
    lab.sleep(2)
    ip = _lb_ip(lab)
    ws = lab.workstation.transport
    host = [("Host", "paths.example")]
    # Exact matches only the path itself (nginx then answers its own 404 for /exact)
    exact = nk.get(ws, ip, 80, "/exact", headers=host)
    assert exact.response.status == 404 and exact.response.header("Server") == \
        "nginx/1.10.3"
    beyond = nk.get(ws, ip, 80, "/exact/more", headers=host)
    assert beyond.response.body == b"404 page not found\n"
    # a backend Service that does not exist is skipped: Traefik's own 404
    nowhere = nk.get(ws, ip, 80, "/nowhere", headers=host)
    assert nowhere.response.body == b"404 page not found\n"
    # the Ingress without an ingressClassName is Traefik's too (its class is the default)
    rows = lab.kubectl("get ingress paths").stdout.splitlines()
    assert rows[1].split()[1:4] == ["<none>", "paths.example", ip]
