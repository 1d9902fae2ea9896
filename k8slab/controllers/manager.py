"""kube-controller-manager: starts every controller the lab models.

The list mirrors ``cmd/kube-controller-manager/app/controllermanager.go``'s
``NewControllerDescriptors`` for the controllers the lab implements, in that file's order.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .daemonset import DaemonSetController
from .deployment import DeploymentController
from .endpoints import EndpointsController
from .endpointslice import EndpointSliceController
from .garbagecollector import GarbageCollector
from .namespace import NamespaceController
from .node_lifecycle import NodeLifecycleController
from .nodeipam import NodeIpamController
from .replicaset import ReplicaSetController
from .resourcequota import ResourceQuotaController
from .rootcacertpublisher import RootCACertPublisher
from .serviceaccount import ServiceAccountController

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["ControllerManager"]

CONTROLLERS = (
    ("serviceaccount", ServiceAccountController),
    ("garbagecollector", GarbageCollector),
    ("daemonset", DaemonSetController),
    ("deployment", DeploymentController),
    ("replicaset", ReplicaSetController),
    ("resourcequota", ResourceQuotaController),
    ("namespace", NamespaceController),
    ("nodeipam", NodeIpamController),
    ("root-ca-certificate-publisher", RootCACertPublisher),
    ("node-lifecycle", NodeLifecycleController),
    # Appended rather than in upstream order so that adding them did not change the order in
    # which the other controllers' watches fire.
    ("endpoints", EndpointsController),
    ("endpointslice", EndpointSliceController),
)


class ControllerManager:
    name = "kube-controller-manager"

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.controllers: dict[str, Any] = {}
        for name, cls in CONTROLLERS:
            self.controllers[name] = cls(cluster)
