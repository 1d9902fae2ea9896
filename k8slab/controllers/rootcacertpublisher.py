"""Root CA certificate publisher (``pkg/controller/certificates/rootcacertpublisher``).

Every namespace holds a ``kube-root-ca.crt`` ConfigMap with the cluster CA (``ca.crt``), which
the ``kube-api-access-*`` projected volume of every pod mounts. The publisher creates it in new
namespaces and puts it back when someone edits or deletes it.

The lab's CA is a deterministic certificate-shaped PEM block derived from the seed (the
``kubernetes`` CA kubeadm would generate); nothing in the lab verifies it.
"""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from ..api.errors import StatusError
from ..api.kinds import builtin
from ..api.store import APIServer
from .base import Controller

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["DESCRIPTION", "ROOT_CA_CONFIGMAP", "RootCACertPublisher", "cluster_ca_pem"]

Obj = dict[str, Any]

NAMESPACE = builtin("v1", "Namespace")
CONFIG_MAP = builtin("v1", "ConfigMap")
ROOT_CA_CONFIGMAP = "kube-root-ca.crt"
DESCRIPTION = (
    "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
    "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is "
    "guaranteed across distributions of Kubernetes clusters."
)
# A DER certificate of 0x0305 bytes: the size of kubeadm's self-signed "kubernetes" CA.
_DER_PREFIX = bytes.fromhex("308203053082" "01eda0030201020208")


def cluster_ca_pem(api: APIServer) -> str:
    """The cluster CA certificate (PEM), the same for every reader of one cluster."""
    pem = api.options.get("root_ca_pem")
    if pem is None:
        rng = api.streams("cluster-ca")
        body = _DER_PREFIX + bytes([rng.getrandbits(8) for _ in range(0x0309 - len(_DER_PREFIX))])
        text = base64.b64encode(body).decode()
        lines = [text[i:i + 64] for i in range(0, len(text), 64)]
        pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + \
            "\n-----END CERTIFICATE-----\n"
        api.options["root_ca_pem"] = pem
    return str(pem)


class RootCACertPublisher(Controller):
    name = "root-ca-cert-publisher"

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(cluster)
        self.watch(NAMESPACE, self._on_namespace)
        self.watch(CONFIG_MAP, self._on_config_map)

    def _on_namespace(self, event: str, ns: Obj, old: Obj | None) -> None:
        self.queue.add(ns["metadata"]["name"])

    def _on_config_map(self, event: str, cm: Obj, old: Obj | None) -> None:
        meta = cm["metadata"]
        if meta.get("name") == ROOT_CA_CONFIGMAP:
            self.queue.add(meta.get("namespace", ""))

    def _wanted(self) -> Obj:
        return {"ca.crt": cluster_ca_pem(self.api)}

    def sync(self, key: str) -> None:
        ns = self.api.try_get(NAMESPACE, "", key)
        if ns is None or (ns.get("status") or {}).get("phase") != "Active":
            return
        data = self._wanted()
        cm = self.api.try_get(CONFIG_MAP, key, ROOT_CA_CONFIGMAP)
        try:
            if cm is None:
                self.api.create({
                    "apiVersion": "v1", "kind": "ConfigMap",
                    "metadata": {"name": ROOT_CA_CONFIGMAP, "namespace": key,
                                 "annotations": {"kubernetes.io/description": DESCRIPTION}},
                    "data": data,
                }, source=self.name, trusted=True)
                return
            annotations = cm["metadata"].get("annotations") or {}
            if cm.get("data") == data and not cm.get("binaryData") and \
                    annotations.get("kubernetes.io/description") == DESCRIPTION:
                return
            new = {k: v for k, v in cm.items() if k != "binaryData"}
            new["data"] = data
            new["metadata"] = {**cm["metadata"], "annotations": {
                **annotations, "kubernetes.io/description": DESCRIPTION}}
            self.api.update(new, source=self.name, trusted=True)
        except StatusError as err:
            if err.reason not in ("AlreadyExists", "Forbidden", "NotFound", "Conflict"):
                raise
