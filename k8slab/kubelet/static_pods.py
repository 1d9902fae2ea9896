"""The control plane's static pods, as ``kubeadm init`` writes them to
``/etc/kubernetes/manifests`` (``cmd/kubeadm/app/phases/controlplane/manifests.go``,
``cmd/kubeadm/app/phases/etcd/local.go``, ``cmd/kubeadm/app/util/staticpod/utils.go``).

The kubelet runs them from files and mirrors each into the apiserver as
``<component>-<node>`` in ``kube-system``: labels ``component``/``tier: control-plane``, the
``kubernetes.io/config.{hash,mirror,seen,source}`` annotations (hash = the manifest's, source
``file``), an owner reference to the Node, ``hostNetwork``, ``priorityClassName:
system-node-critical`` (priority 2000001000), the ``RuntimeDefault`` seccomp profile and
kubeadm's probes (``/livez``, ``/readyz``, ``/healthz``, etcd's ``/livez``/``/readyz`` on
2381).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..apps.images import ETCD_VERSION, control_plane_images

__all__ = ["static_pods"]

Obj = dict[str, Any]


def _probe(host: str, path: str, port: Any, scheme: str, delay: int, failures: int,
           period: int = 10, timeout: int = 15) -> Obj:
    probe: Obj = {"failureThreshold": failures,
                  "httpGet": {"host": host, "path": path, "port": port, "scheme": scheme},
                  "periodSeconds": period, "successThreshold": 1,
                  "timeoutSeconds": timeout}
    if delay:
        probe["initialDelaySeconds"] = delay
    return probe


def _host_path(name: str, path: str, kind: str = "DirectoryOrCreate") -> Obj:
    return {"hostPath": {"path": path, "type": kind}, "name": name}


_CERT_VOLUMES = [
    ("ca-certs", "/etc/ssl/certs"),
    ("etc-ca-certificates", "/etc/ca-certificates"),
    ("k8s-certs", "/etc/kubernetes/pki"),
    ("usr-local-share-ca-certificates", "/usr/local/share/ca-certificates"),
    ("usr-share-ca-certificates", "/usr/share/ca-certificates"),
]


def _pod(component: str, node: str, image: str, command: list[str], *, requests: Obj,
         probes: Obj, volumes: list[Obj], mounts: list[Obj], ports: list[Obj] | None = None,
         annotations: Obj | None = None) -> Obj:
    container: Obj = {
        "command": command,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "name": component,
        "resources": {"requests": requests},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
        "volumeMounts": mounts,
        **probes,
    }
    if ports:
        container["ports"] = ports
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {
            "annotations": dict(annotations or {}),
            "labels": {"component": component, "tier": "control-plane"},
            "name": f"{component}-{node}",
            "namespace": "kube-system",
        },
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "enableServiceLinks": True,
            "hostNetwork": True,
            "nodeName": node,
            "preemptionPolicy": "PreemptLowerPriority",
            "priority": 2000001000,
            "priorityClassName": "system-node-critical",
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "securityContext": {"seccompProfile": {"type": "RuntimeDefault"}},
            "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "operator": "Exists"}],
            "volumes": volumes,
        },
    }


def static_pods(node: str, ip: str, config: Any) -> list[Obj]:
    """The four manifests of a kubeadm control-plane node."""
    images = control_plane_images(config.kubernetes_version)
    service_cidr = config.service_cidr
    cluster_cidr = config.cluster_cidr
    domain = config.cluster_domain
    pods: list[Obj] = []

    etcd_cmd = [
        "etcd", f"--advertise-client-urls=https://{ip}:2379",
        "--cert-file=/etc/kubernetes/pki/etcd/server.crt", "--client-cert-auth=true",
        "--data-dir=/var/lib/etcd", "--feature-gates=InitialCorruptCheck=true",
        f"--initial-advertise-peer-urls=https://{ip}:2380",
        f"--initial-cluster={node}=https://{ip}:2380",
        "--key-file=/etc/kubernetes/pki/etcd/server.key",
        f"--listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379",
        "--listen-metrics-urls=http://127.0.0.1:2381",
        f"--listen-peer-urls=https://{ip}:2380", f"--name={node}",
        "--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt", "--peer-client-cert-auth=true",
        "--peer-key-file=/etc/kubernetes/pki/etcd/peer.key",
        "--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt", "--snapshot-count=10000",
        "--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt",
        "--watch-progress-notify-interval=5s",
    ]
    pods.append(_pod(
        "etcd", node, f"registry.k8s.io/etcd:{ETCD_VERSION}", etcd_cmd,
        requests={"cpu": "100m", "memory": "100Mi"},
        probes={"livenessProbe": _probe("127.0.0.1", "/livez", "probe-port", "HTTP", 10, 8),
                "readinessProbe": _probe("127.0.0.1", "/readyz", "probe-port", "HTTP", 0, 3,
                                         period=1),
                "startupProbe": _probe("127.0.0.1", "/readyz", "probe-port", "HTTP", 10, 24)},
        ports=[{"containerPort": 2381, "hostPort": 2381, "name": "probe-port",
                "protocol": "TCP"}],
        volumes=[_host_path("etcd-certs", "/etc/kubernetes/pki/etcd"),
                 _host_path("etcd-data", "/var/lib/etcd")],
        mounts=[{"mountPath": "/var/lib/etcd", "name": "etcd-data"},
                {"mountPath": "/etc/kubernetes/pki/etcd", "name": "etcd-certs"}],
        annotations={"kubeadm.kubernetes.io/etcd.advertise-client-urls":
                     f"https://{ip}:2379"}))

    cert_mounts = [{"mountPath": path, "name": name, "readOnly": True}
                   for name, path in _CERT_VOLUMES]
    cert_volumes = [_host_path(name, path) for name, path in _CERT_VOLUMES]
    api_cmd = [
        "kube-apiserver", f"--advertise-address={ip}", "--allow-privileged=true",
        "--authorization-mode=Node,RBAC", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        "--enable-admission-plugins=NodeRestriction", "--enable-bootstrap-token-auth=true",
        "--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt",
        "--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt",
        "--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key",
        "--etcd-servers=https://127.0.0.1:2379",
        "--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt",
        "--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key",
        "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
        "--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt",
        "--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key",
        "--requestheader-allowed-names=front-proxy-client",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--requestheader-extra-headers-prefix=X-Remote-Extra-",
        "--requestheader-group-headers=X-Remote-Group",
        "--requestheader-username-headers=X-Remote-User", "--secure-port=6443",
        f"--service-account-issuer=https://kubernetes.default.svc.{domain}",
        "--service-account-key-file=/etc/kubernetes/pki/sa.pub",
        "--service-account-signing-key-file=/etc/kubernetes/pki/sa.key",
        f"--service-cluster-ip-range={service_cidr}",
        "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
        "--tls-private-key-file=/etc/kubernetes/pki/apiserver.key",
    ]
    pods.append(_pod(
        "kube-apiserver", node, images["kube-apiserver"], api_cmd,
        requests={"cpu": "250m"},
        probes={"livenessProbe": _probe(ip, "/livez", "probe-port", "HTTPS", 10, 8),
                "readinessProbe": _probe(ip, "/readyz", "probe-port", "HTTPS", 0, 3,
                                         period=1),
                "startupProbe": _probe(ip, "/livez", "probe-port", "HTTPS", 10, 24)},
        volumes=cert_volumes, mounts=cert_mounts,
        ports=[{"containerPort": 6443, "hostPort": 6443, "name": "probe-port",
                "protocol": "TCP"}],
        annotations={"kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint":
                     f"{ip}:6443"}))

    cm_cmd = [
        "kube-controller-manager", "--allocate-node-cidrs=true",
        "--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--bind-address=127.0.0.1", "--client-ca-file=/etc/kubernetes/pki/ca.crt",
        f"--cluster-cidr={cluster_cidr}", "--cluster-name=kubernetes",
        "--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt",
        "--cluster-signing-key-file=/etc/kubernetes/pki/ca.key", "--controllers=*,bootstrapsigner,"
        "tokencleaner", "--kubeconfig=/etc/kubernetes/controller-manager.conf",
        "--leader-elect=true",
        "--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt",
        "--root-ca-file=/etc/kubernetes/pki/ca.crt",
        "--service-account-private-key-file=/etc/kubernetes/pki/sa.key",
        f"--service-cluster-ip-range={service_cidr}", "--use-service-account-credentials=true",
    ]
    pods.append(_pod(
        "kube-controller-manager", node, images["kube-controller-manager"], cm_cmd,
        requests={"cpu": "200m"},
        probes={"livenessProbe": _probe("127.0.0.1", "/healthz", "probe-port", "HTTPS", 10, 8),
                "startupProbe": _probe("127.0.0.1", "/healthz", "probe-port", "HTTPS", 10, 24)},
        volumes=[*cert_volumes[:2],
                 _host_path("flexvolume-dir",
                            "/usr/libexec/kubernetes/kubelet-plugins/volume/exec"),
                 cert_volumes[2],
                 _host_path("kubeconfig", "/etc/kubernetes/controller-manager.conf",
                            "FileOrCreate"),
                 *cert_volumes[3:]],
        mounts=[*cert_mounts[:2],
                {"mountPath": "/usr/libexec/kubernetes/kubelet-plugins/volume/exec",
                 "name": "flexvolume-dir"},
                cert_mounts[2],
                {"mountPath": "/etc/kubernetes/controller-manager.conf", "name": "kubeconfig",
                 "readOnly": True},
                *cert_mounts[3:]],
        ports=[{"containerPort": 10257, "hostPort": 10257, "name": "probe-port",
                "protocol": "TCP"}]))

    sched_cmd = [
        "kube-scheduler", "--authentication-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--authorization-kubeconfig=/etc/kubernetes/scheduler.conf",
        "--bind-address=127.0.0.1", "--kubeconfig=/etc/kubernetes/scheduler.conf",
        "--leader-elect=true",
    ]
    pods.append(_pod(
        "kube-scheduler", node, images["kube-scheduler"], sched_cmd,
        requests={"cpu": "100m"},
        probes={"livenessProbe": _probe("127.0.0.1", "/livez", "probe-port", "HTTPS", 10, 8),
                "readinessProbe": _probe("127.0.0.1", "/readyz", "probe-port", "HTTPS", 0, 3,
                                         period=1),
                "startupProbe": _probe("127.0.0.1", "/livez", "probe-port", "HTTPS", 10, 24)},
        volumes=[_host_path("kubeconfig", "/etc/kubernetes/scheduler.conf", "FileOrCreate")],
        mounts=[{"mountPath": "/etc/kubernetes/scheduler.conf", "name": "kubeconfig",
                 "readOnly": True}],
        ports=[{"containerPort": 10259, "hostPort": 10259, "name": "probe-port",
                "protocol": "TCP"}]))

    for pod in pods:
        digest = hashlib.md5(json.dumps(pod, sort_keys=True).encode(),
                             usedforsecurity=False).hexdigest()
        pod["metadata"]["annotations"].update({
            "kubernetes.io/config.hash": digest,
            "kubernetes.io/config.mirror": digest,
            "kubernetes.io/config.source": "file",
        })
    return pods
