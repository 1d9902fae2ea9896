"""The simulated cluster: one apiserver and the components around it, on one virtual clock.

``Cluster`` is the composition root below the user-facing layer. It owns the loop, the seeded
random streams, the trace and the apiserver, starts kube-controller-manager's controllers, the
scheduler and one kubelet per node, and creates what ``kubeadm init`` leaves behind (namespaces,
the ``kubernetes`` Service, kube-system workloads). It knows nothing of kubectl or notebooks.
"""

from __future__ import annotations

from typing import Any

from .api import admission
from .api.events import EventRecorder
from .api.groups import install as install_groups
from .api.store import APIServer
from .config import ClusterConfig, NodeConfig, node_ip_for
from .controllers.manager import ControllerManager
from .kubelet.kubelet import Kubelet
from .scheduler.scheduler import Scheduler
from .sim.clock import MILLISECOND, Loop
from .sim.rand import Streams
from .sim.timefmt import parse_rfc3339
from .sim.trace import Trace

__all__ = ["Cluster"]

# How long a watch event takes to reach each component. Small and fixed: the order in which
# components react is what the lessons show, and it must not depend on chance.
_WATCH_LATENCY = {
    "kube-controller-manager": 2 * MILLISECOND,
    "default-scheduler": 2 * MILLISECOND,
    "kubelet": 3 * MILLISECOND,
    "kube-proxy": 3 * MILLISECOND,
}


class Cluster:
    """A whole Kubernetes cluster in memory."""

    def __init__(self, seed: int | str = 0, config: ClusterConfig | None = None) -> None:
        self.config = (config or ClusterConfig()).with_default_nodes()
        self.seed = seed
        self.loop = Loop(parse_rfc3339(self.config.start))
        self.streams = Streams(seed)
        self.trace = Trace()
        self.api = APIServer(self.loop, self.streams, self.trace)
        # What the apiserver's flags would say (--service-cluster-ip-range, …).
        self.api.options.update(
            service_cidr=self.config.service_cidr,
            cluster_cidr=self.config.cluster_cidr,
            node_port_range=(30000, 32767),
            cluster_domain=self.config.cluster_domain,
            kubernetes_version=self.config.kubernetes_version,
        )
        install_groups(self.api)
        admission.install(self.api)
        self.kubelets: dict[str, Kubelet] = {}
        self.controller_manager = ControllerManager(self)
        self.scheduler = Scheduler(self)
        self.extensions: dict[str, Any] = {}

    # ------------------------------------------------------------------ wiring helpers

    def recorder(self, component: str, host: str = "") -> EventRecorder:
        return EventRecorder(self.api, component, host)

    def watch_latency(self, component: str) -> int:
        if component.startswith("kubelet"):
            return _WATCH_LATENCY["kubelet"]
        if component in ("default-scheduler", "kube-proxy"):
            return _WATCH_LATENCY[component]
        return _WATCH_LATENCY["kube-controller-manager"]

    # ------------------------------------------------------------------ lifecycle

    def boot(self) -> None:
        """Bring the cluster up the way kubeadm would, then let it settle."""
        from .bootstrap import bootstrap

        bootstrap(self)

    def add_node(self, node: NodeConfig) -> Kubelet:
        """Start a kubelet on a new machine; it registers its Node and starts heart-beating."""
        if node.name in self.kubelets:
            raise ValueError(f"node {node.name} already exists")
        kubelet = Kubelet(self, node)
        self.kubelets[node.name] = kubelet
        kubelet.start()
        return kubelet

    def new_node_config(self, name: str, **overrides: Any) -> NodeConfig:
        """A worker like the default ones, with a free address (for ``tcs create``)."""
        taken = {k.node.ip for k in self.kubelets.values()}
        fields: dict[str, Any] = {"name": name, "ip": node_ip_for(name, taken)}
        fields.update(overrides)
        return NodeConfig(**fields)

    @property
    def now(self) -> int:
        return self.loop.now
