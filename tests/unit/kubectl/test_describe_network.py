"""``kubectl describe`` for the networking chapters and the events table, against
kubernetes/kubectl ``pkg/describe/describe.go`` (``describeIngressV1``,
``describeIngressClassV1``, ``describeService``, ``DescribeEvents``), ``pkg/util/event``
(``SortableEvents``) and kubernetes ``pkg/printers/internalversion/printers.go``
(``printEvent``, ``formatEventSource``). The expected texts are those format strings run
through Go's tabwriter (padding 2)."""

from __future__ import annotations

import re

import pytest

from k8slab import Lab
from k8slab.api.kinds import by_gvk
from k8slab.sim.clock import SECOND
from k8slab.sim.timefmt import rfc3339, rfc3339_micro

EVENT = by_gvk("v1", "Event")
POD = by_gvk("v1", "Pod")

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: "nginx:1.10", ports: [{containerPort: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: http, port: 8080, targetPort: 80, appProtocol: http}]
"""

INGRESS = """\
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: traefik}
spec:
  controller: traefik.io/ingress-controller
  parameters: {kind: IngressParameters, name: tuned, apiGroup: k8s.example.com}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations: {team: blue}
spec:
  ingressClassName: traefik
  tls:
  - {hosts: [web.example.com, www.example.com], secretName: web-tls}
  - hosts: [sni.example.com]
  rules:
  - host: web.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {name: http}}}
      - path: /api
        pathType: Prefix
        backend: {service: {name: api, port: {number: 80}}}
  - http:
      paths:
      - path: /static
        pathType: Exact
        backend: {resource: {apiGroup: k8s.example.com, kind: Bucket, name: assets}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: fallback}
spec:
  defaultBackend: {service: {name: web, port: {number: 8080}}}
"""


@pytest.fixture
def net(lab: Lab) -> Lab:
    assert lab.apply(WEB).exit_code == 0
    assert lab.apply(INGRESS).exit_code == 0
    lab.sleep(30)
    return lab


def _endpoints(lab: Lab) -> str:
    """The ready pod IPs with port 80, in slice order (``formatEndpointSlices``)."""
    out = lab.sh("kubectl get endpointslice -l kubernetes.io/service-name=web "
                 "-o jsonpath='{.items[0].endpoints[*].addresses[0]}'").stdout.split()
    return ",".join(f"{ip}:80" for ip in out)


def test_describe_ingress(net: Lab) -> None:
    """describeIngressV1: Labels before Namespace, Address, Ingress Class, Default backend,
    TLS (``terminates`` / ``SNI routes``), the Rules table (host line, then ``\\t<path>
    \\t<backend>`` per path, backends with the Service port's ready endpoints or
    ``<error: …>``), Annotations, Events."""
    eps = _endpoints(net)
    assert eps.count(":80") == 2
    result = net.kubectl("describe ingress web")
    assert result.stdout == (
        "Name:             web\n"
        "Labels:           <none>\n"
        "Namespace:        default\n"
        "Address:          \n"
        "Ingress Class:    traefik\n"
        "Default backend:  <default>\n"
        "TLS:\n"
        "  web-tls terminates web.example.com,www.example.com\n"
        "  SNI routes sni.example.com\n"
        "Rules:\n"
        "  Host             Path  Backends\n"
        "  ----             ----  --------\n"
        "  web.example.com  \n"
        f"                   /      web:http ({eps})\n"
        '                   /api   api:80 (<error: services "api" not found>)\n'
        "  *                \n"
        "                   /static   APIGroup: k8s.example.com, Kind: Bucket, Name: assets\n"
        "Annotations:       team: blue\n"
        "Events:            <none>\n")


def test_describe_ingress_with_only_a_default_backend(net: Lab) -> None:
    """No rule with ``http``: one ``*  *  <default backend>`` row; the backend's port number
    picks the Service port (``http``) whose endpoints are listed."""
    text = net.kubectl("describe ing fallback").stdout
    eps = _endpoints(net)
    assert f"Default backend:  web:8080 ({eps})\n" in text
    assert text.endswith("Rules:\n"
                         "  Host        Path  Backends\n"
                         "  ----        ----  --------\n"
                         f"  *           *     web:8080 ({eps})\n"
                         "Annotations:  <none>\n"
                         "Events:       <none>\n")


def test_describe_ingress_address_is_sorted_and_unique(net: Lab) -> None:
    """``ingressLoadBalancerStatusStringerV1(…, wide=true)``: a sorted set of IPs/hostnames."""
    ing = net.api.get(by_gvk("networking.k8s.io/v1", "Ingress"), "default", "web")
    net.api.update({**ing, "status": {"loadBalancer": {"ingress": [
        {"ip": "172.16.0.241"}, {"hostname": "lb.example.com"}, {"ip": "172.16.0.240"},
        {"ip": "172.16.0.241"}]}}}, source="test", status=True)
    assert "Address:          172.16.0.240,172.16.0.241,lb.example.com\n" in net.kubectl(
        "describe ingress web").stdout


def test_describe_ingress_class(net: Lab) -> None:
    """describeIngressClassV1: Controller, then Parameters (APIGroup only when set)."""
    assert net.kubectl("describe ingressclass traefik").stdout == (
        "Name:         traefik\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Controller:   traefik.io/ingress-controller\n"
        "Parameters:\n"
        "  APIGroup:  k8s.example.com\n"
        "  Kind:      IngressParameters\n"
        "  Name:      tuned\n"
        "Events:      <none>\n")


def test_describe_service_shows_app_protocol_and_traffic_distribution(net: Lab) -> None:
    """describeService: ``AppProtocol`` after ``TargetPort`` when set, ``Traffic
    Distribution`` after the policies."""
    svc = net.api.get(by_gvk("v1", "Service"), "default", "web")
    net.api.update({**svc, "spec": {**svc["spec"], "trafficDistribution": "PreferClose"}},
                   source="kubectl")
    text = net.kubectl("describe svc web").stdout
    eps = _endpoints(net)
    assert re.search(r"\nPort: +http  8080/TCP\nTargetPort: +80/TCP\nAppProtocol: +http\n"
                     r"Endpoints: +" + re.escape(eps) + r"\nSession Affinity: +None\n", text)
    assert re.search(r"\nInternal Traffic Policy: +Cluster\nTraffic Distribution: +"
                     r"PreferClose\nEvents: +<none>\n$", text)


def test_describe_load_balancer_service(net: Lab) -> None:
    """A LoadBalancer Service: ``LoadBalancer Ingress: <ip> (VIP)`` (``buildIngressString``),
    ``NodePort``, the policies, and the MetalLB controller's and speaker's events."""
    net.sh("kubectl expose deploy web --name=lb --type=LoadBalancer --port=80")
    net.sleep(5)
    text = net.kubectl("describe svc lb").stdout
    assert re.search(r"\nLoadBalancer Ingress: +172\.16\.0\.\d+ \(VIP\)\nPort: +<unset>  80/TCP\n"
                     r"TargetPort: +80/TCP\nNodePort: +<unset>  3\d{4}/TCP\nEndpoints: +"
                     + re.escape(_endpoints(net)) + r"\nSession Affinity: +None\n"
                     r"External Traffic Policy: +Cluster\nInternal Traffic Policy: +Cluster\n",
                     text)
    events = text[text.index("Events:"):].splitlines()
    assert events[1].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert [line.split()[1:2] + line.split()[3:4] for line in events[3:]] == [
        ["IPAllocated", "metallb-controller"], ["nodeAssigned", "metallb-speaker"]]


# ------------------------------------------------------------------------ events


def _event(pod: dict, name: str, reason: str, **fields: object) -> dict:
    meta = pod["metadata"]
    return {"apiVersion": "v1", "kind": "Event",
            "metadata": {"name": name, "namespace": "default"},
            "involvedObject": {"kind": "Pod", "namespace": "default", "name": meta["name"],
                               "uid": meta["uid"], "apiVersion": "v1"},
            "reason": reason, "message": reason.lower(), "type": "Normal", **fields}


@pytest.fixture
def events(lab: Lab) -> tuple[Lab, int]:
    """One pod with three events: a core/v1 one (kubelet, lastTimestamp), and two written
    through events.k8s.io (empty source, null first/lastTimestamp, eventTime, one with a
    series), created out of time order."""
    lab.api.create({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                    "spec": {"nodeName": "nowhere",
                             "containers": [{"name": "c", "image": "nginx"}]}},
                   source="kubectl", namespace="default")
    pod = lab.api.get(POD, "default", "p")
    t0 = lab.cluster.loop.now
    for ev in [
        _event(pod, "p.a", "Pulled", source={"component": "kubelet", "host": "t.cs.2"},
               firstTimestamp=rfc3339(t0 + 10 * SECOND), lastTimestamp=rfc3339(t0 + 10 * SECOND),
               count=1, reportingComponent="kubelet", reportingInstance="t.cs.2"),
        _event(pod, "p.b", "Retried", source={}, firstTimestamp=None, lastTimestamp=None,
               eventTime=rfc3339_micro(t0 + 5 * SECOND + 500_000_000), action="Binding",
               series={"count": 3, "lastObservedTime": rfc3339_micro(t0 + 20 * SECOND)},
               reportingComponent="default-scheduler",
               reportingInstance="default-scheduler-t.cs.1"),
        _event(pod, "p.c", "Scheduled", source={}, firstTimestamp=None, lastTimestamp=None,
               eventTime=rfc3339_micro(t0 + SECOND), action="Binding",
               reportingComponent="default-scheduler",
               reportingInstance="default-scheduler-t.cs.1"),
    ]:
        lab.api.create(ev, source="test", trusted=True)
    lab.sleep(30)
    return lab, t0


def test_describe_events_from_and_order(events: tuple[Lab, int]) -> None:
    """DescribeEvents: From falls back to ``reportingController`` (JSON
    ``reportingComponent``); SortableEvents orders by series.lastObservedTime, else
    lastTimestamp, else eventTime; Age starts at eventTime when it is set."""
    lab, _ = events
    text = lab.kubectl("describe pod p").stdout
    table = text[text.index("Events:"):]
    assert table == (
        "Events:\n"
        "  Type    Reason     Age                From               Message\n"
        "  ----    ------     ----               ----               -------\n"
        "  Normal  Scheduled  29s                default-scheduler  scheduled\n"
        "  Normal  Pulled     20s                kubelet            pulled\n"
        "  Normal  Retried    10s (x3 over 24s)  default-scheduler  retried\n")


def test_get_events_last_seen_and_source(events: tuple[Lab, int]) -> None:
    """printEvent: LAST SEEN from lastTimestamp, else the first time (firstTimestamp, else
    eventTime), series.lastObservedTime for a series; COUNT from the series (1 for a singleton
    of the new API); SOURCE ``formatEventSource(source, reportingController,
    reportingInstance)``. ``kubectl get`` keeps the server's (name) order."""
    lab, _ = events
    rows = [re.split(r"\s{2,}", line) for line in
            lab.kubectl("get events -o wide").stdout.splitlines()]
    assert rows[0] == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE",
                       "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]
    mine = [r for r in rows[1:] if r[3] == "pod/p"]
    assert mine == [
        ["20s", "Normal", "Pulled", "pod/p", "kubelet, t.cs.2", "pulled", "20s", "1", "p.a"],
        ["10s", "Normal", "Retried", "pod/p", "default-scheduler, default-scheduler-t.cs.1",
         "retried", "24s", "3", "p.b"],
        ["29s", "Normal", "Scheduled", "pod/p", "default-scheduler, default-scheduler-t.cs.1",
         "scheduled", "29s", "1", "p.c"],
    ]


def test_scheduler_events_show_default_scheduler(lab: Lab) -> None:
    """The scheduler's own FailedScheduling event (recorded through events.k8s.io) is shown
    ``From default-scheduler`` (describe.go falls back to ``ReportingController``)."""
    lab.sh("kubectl run stuck --image=nginx --overrides="
           "'{\"spec\":{\"nodeSelector\":{\"disk\":\"none\"}}}'")
    lab.sleep(3)
    stored = [e for e in lab.api.list(EVENT, "default")
              if e["involvedObject"]["name"] == "stuck"]
    assert stored and stored[0]["source"] == {} and stored[0]["lastTimestamp"] is None
    last = lab.kubectl("describe pod stuck").stdout.splitlines()[-1].split()
    assert last[:5] == ["Warning", "FailedScheduling", "3s", "default-scheduler", "0/4"]
