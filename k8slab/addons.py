"""Cluster add-ons created at boot: what ``kubeadm init`` installs besides the control plane.

kubeadm's ``addon`` phase applies two "essential add-ons" (``cmd/kubeadm/app/phases/addons``):

- **CoreDNS** (``dns/manifests.go``): the ``coredns`` ConfigMap (Corefile), ServiceAccount,
  Deployment (2 replicas, ``k8s-app: kube-dns``, priority class ``system-cluster-critical``,
  tolerating the control-plane taint and ``CriticalAddonsOnly``, image
  ``registry.k8s.io/coredns/coredns:<CoreDNSVersion>``) and the ``kube-dns`` Service on the
  tenth address of the service CIDR (``10.96.0.10``) with ports dns/53 UDP, dns-tcp/53 TCP and
  metrics/9153.
- **kube-proxy** (``proxy/manifests.go``): ServiceAccount, the ``kube-proxy`` ConfigMap
  (``config.conf`` and ``kubeconfig.conf``) and the DaemonSet (``system-node-critical``,
  hostNetwork, tolerating everything, image ``registry.k8s.io/kube-proxy:<version>``).

Everything goes through the apiserver as kubeadm's client sends it (``source="kubeadm"``), so
defaults, admission and validation apply and the objects are indistinguishable from any other.
Pods appear once the Deployment/ReplicaSet and DaemonSet controllers and the scheduler run.
RBAC objects (ClusterRoles and bindings) are not created: the lab has no authorizer.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from .api.errors import StatusError
from .apps.images import COREDNS_VERSION

if TYPE_CHECKING:
    from .cluster import Cluster

__all__ = ["COREDNS_VERSION", "DNS_SERVICE_IP", "install_addons"]

Obj = dict[str, Any]

# The image tag comes from the image catalogue, which must know it for the kubelet to pull it.
DNS_SERVICE_IP = "10.96.0.10"
CONTROL_PLANE_TAINT = "node-role.kubernetes.io/control-plane"

COREFILE = """.:53 {{
    errors
    health {{
       lameduck 5s
    }}
    ready
    kubernetes {domain} in-addr.arpa ip6.arpa {{
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }}
    prometheus :9153
    forward . /etc/resolv.conf {{
       max_concurrent 1000
    }}
    cache 30 {{
       disable success {domain}
       disable denial {domain}
    }}
    loop
    reload
    loadbalance
}}
"""

KUBE_PROXY_CONFIG = """apiVersion: kubeproxy.config.k8s.io/v1alpha1
bindAddress: 0.0.0.0
bindAddressHardFail: false
clientConnection:
  acceptContentTypes: ""
  burst: 0
  contentType: ""
  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf
  qps: 0
clusterCIDR: {cluster_cidr}
configSyncPeriod: 0s
conntrack:
  maxPerCore: null
  min: null
  tcpBeLiberal: false
  tcpCloseWaitTimeout: null
  tcpEstablishedTimeout: null
  udpStreamTimeout: 0s
  udpTimeout: 0s
detectLocal:
  bridgeInterface: ""
  interfaceNamePrefix: ""
detectLocalMode: ""
enableProfiling: false
healthzBindAddress: ""
hostnameOverride: ""
iptables:
  localhostNodePorts: null
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
ipvs:
  excludeCIDRs: null
  minSyncPeriod: 0s
  scheduler: ""
  strictARP: false
  syncPeriod: 0s
  tcpFinTimeout: 0s
  tcpTimeout: 0s
  udpTimeout: 0s
kind: KubeProxyConfiguration
logging:
  flushFrequency: 0
  options:
    json:
      infoBufferSize: "0"
    text:
      infoBufferSize: "0"
  verbosity: 0
metricsBindAddress: ""
mode: ""
nftables:
  masqueradeAll: false
  masqueradeBit: null
  minSyncPeriod: 0s
  syncPeriod: 0s
nodePortAddresses: null
oomScoreAdj: null
portRange: ""
showHiddenMetricsForVersion: ""
winkernel:
  enableDSR: false
  forwardHealthCheckVip: false
  networkName: ""
  rootHnsEndpointName: ""
  sourceVip: \"\""""

KUBE_PROXY_KUBECONFIG = """apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
    server: https://{endpoint}:6443
  name: default
contexts:
- context:
    cluster: default
    namespace: default
    user: default
  name: default
current-context: default
users:
- name: default
  user:
    tokenFile: /var/run/secrets/kubernetes.io/serviceaccount/token"""


def dns_service_ip(service_cidr: str) -> str:
    """kubeadm's ``GetDNSIP``: the tenth address of the service CIDR."""
    net = ipaddress.ip_network(service_cidr, strict=False)
    return str(net.network_address + 10)


def coredns_objects(domain: str, service_cidr: str, replicas: int = 2) -> list[Obj]:
    labels = {"k8s-app": "kube-dns"}
    configmap = {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "coredns", "namespace": "kube-system"},
                 "data": {"Corefile": COREFILE.format(domain=domain)}}
    account = {"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": "coredns", "namespace": "kube-system"}}
    container = {
        "name": "coredns",
        "image": f"registry.k8s.io/coredns/coredns:{COREDNS_VERSION}",
        "imagePullPolicy": "IfNotPresent",
        "resources": {"limits": {"memory": "170Mi"},
                      "requests": {"cpu": "100m", "memory": "70Mi"}},
        "args": ["-conf", "/etc/coredns/Corefile"],
        "volumeMounts": [{"name": "config-volume", "mountPath": "/etc/coredns",
                          "readOnly": True}],
        "ports": [
            {"containerPort": 53, "name": "dns", "protocol": "UDP"},
            {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
            {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
            {"containerPort": 8080, "name": "liveness-probe", "protocol": "TCP"},
            {"containerPort": 8181, "name": "readiness-probe", "protocol": "TCP"},
        ],
        "livenessProbe": {"httpGet": {"path": "/health", "port": "liveness-probe",
                                      "scheme": "HTTP"},
                          "initialDelaySeconds": 60, "timeoutSeconds": 5,
                          "successThreshold": 1, "failureThreshold": 5},
        "readinessProbe": {"httpGet": {"path": "/ready", "port": "readiness-probe",
                                       "scheme": "HTTP"}},
        "securityContext": {"allowPrivilegeEscalation": False,
                            "capabilities": {"add": ["NET_BIND_SERVICE"], "drop": ["ALL"]},
                            "readOnlyRootFilesystem": True},
    }
    deployment = {
        "apiVersion": "apps/v1", "kind": "Deployment",
        "metadata": {"name": "coredns", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "replicas": replicas,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1}},
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "affinity": {"podAntiAffinity": {
                        "preferredDuringSchedulingIgnoredDuringExecution": [{
                            "weight": 100,
                            "podAffinityTerm": {
                                "labelSelector": {"matchExpressions": [{
                                    "key": "k8s-app", "operator": "In",
                                    "values": ["kube-dns"]}]},
                                "topologyKey": "kubernetes.io/hostname"}}]}},
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                    {"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"}],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                    "containers": [container],
                    "dnsPolicy": "Default",
                    "volumes": [{"name": "config-volume", "configMap": {
                        "name": "coredns", "items": [{"key": "Corefile",
                                                      "path": "Corefile"}]}}],
                },
            },
        },
    }
    service = {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kube-dns", "namespace": "kube-system",
                     "labels": {"k8s-app": "kube-dns", "kubernetes.io/cluster-service": "true",
                                "kubernetes.io/name": "CoreDNS"},
                     "annotations": {"prometheus.io/port": "9153",
                                     "prometheus.io/scrape": "true"}},
        "spec": {
            "clusterIP": dns_service_ip(service_cidr),
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
            "selector": dict(labels),
        },
    }
    # createCoreDNSAddon's order: ConfigMap, (RBAC), ServiceAccount, Deployment, Service.
    return [configmap, account, deployment, service]


def kube_proxy_objects(version: str, cluster_cidr: str, endpoint: str) -> list[Obj]:
    labels = {"k8s-app": "kube-proxy"}
    account = {"apiVersion": "v1", "kind": "ServiceAccount",
               "metadata": {"name": "kube-proxy", "namespace": "kube-system"}}
    configmap = {"apiVersion": "v1", "kind": "ConfigMap",
                 "metadata": {"name": "kube-proxy", "namespace": "kube-system",
                              "labels": {"app": "kube-proxy"}},
                 "data": {"config.conf": KUBE_PROXY_CONFIG.format(cluster_cidr=cluster_cidr),
                          "kubeconfig.conf": KUBE_PROXY_KUBECONFIG.format(endpoint=endpoint)}}
    daemonset = {
        "apiVersion": "apps/v1", "kind": "DaemonSet",
        "metadata": {"name": "kube-proxy", "namespace": "kube-system", "labels": dict(labels)},
        "spec": {
            "selector": {"matchLabels": dict(labels)},
            "updateStrategy": {"type": "RollingUpdate"},
            "template": {
                "metadata": {"labels": dict(labels)},
                "spec": {
                    "priorityClassName": "system-node-critical",
                    "containers": [{
                        "name": "kube-proxy",
                        "image": f"registry.k8s.io/kube-proxy:{version}",
                        "imagePullPolicy": "IfNotPresent",
                        "command": ["/usr/local/bin/kube-proxy",
                                    "--config=/var/lib/kube-proxy/config.conf",
                                    "--hostname-override=$(NODE_NAME)"],
                        "securityContext": {"privileged": True},
                        "volumeMounts": [
                            {"mountPath": "/var/lib/kube-proxy", "name": "kube-proxy"},
                            {"mountPath": "/run/xtables.lock", "name": "xtables-lock",
                             "readOnly": False},
                            {"mountPath": "/lib/modules", "name": "lib-modules",
                             "readOnly": True},
                        ],
                        "env": [{"name": "NODE_NAME", "valueFrom": {
                            "fieldRef": {"fieldPath": "spec.nodeName"}}}],
                    }],
                    "hostNetwork": True,
                    "serviceAccountName": "kube-proxy",
                    "volumes": [
                        {"name": "kube-proxy", "configMap": {"name": "kube-proxy"}},
                        {"name": "xtables-lock", "hostPath": {"path": "/run/xtables.lock",
                                                              "type": "FileOrCreate"}},
                        {"name": "lib-modules", "hostPath": {"path": "/lib/modules"}},
                    ],
                    "tolerations": [{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                    {"operator": "Exists"}],
                    "nodeSelector": {"kubernetes.io/os": "linux"},
                },
            },
        },
    }
    return [account, configmap, daemonset]


def install_addons(cluster: Cluster) -> None:
    """Create the add-ons in the order kubeadm does: CoreDNS, then kube-proxy."""
    config = cluster.config
    endpoint = next((n.ip for n in config.nodes if n.role == "control-plane"),
                    config.nodes[0].ip if config.nodes else "127.0.0.1")
    objects = coredns_objects(config.cluster_domain, config.service_cidr)
    objects += kube_proxy_objects(config.kubernetes_version, config.cluster_cidr, endpoint)
    for obj in objects:
        try:
            cluster.api.create(obj, source="kubeadm")
        except StatusError as err:
            if err.reason != "AlreadyExists":
                raise
