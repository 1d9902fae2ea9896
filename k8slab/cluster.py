"""The simulated cluster: one apiserver and the components around it, on one virtual clock.

``Cluster`` is the composition root below the user-facing layer. It owns the loop, the seeded
random streams, the trace and the apiserver, starts kube-controller-manager's controllers, the
scheduler and one kubelet per node, and creates what ``kubeadm init`` leaves behind (namespaces,
the ``kubernetes`` Service, kube-system workloads). It knows nothing of kubectl or notebooks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from .api import admission
from .api.errors import StatusError
from .api.events import EventRecorder
from .api.groups import install as install_groups
from .api.kinds import by_gvk
from .api.store import APIServer
from .config import ClusterConfig, NodeConfig, node_ip_for
from .controllers.manager import ControllerManager
from .kubelet.kubelet import Kubelet
from .network.model import Network
from .scheduler.scheduler import Scheduler
from .sim.clock import MILLISECOND, SECOND, Loop
from .sim.process import Proc, run_blocking
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
        self._recorders: dict[tuple[str, str], EventRecorder] = {}
        admission.install(self.api)
        self.kubelets: dict[str, Kubelet] = {}
        self.controller_manager = ControllerManager(self)
        self.scheduler = Scheduler(self)
        self.extensions: dict[str, Any] = {}
        # The data plane: kube-proxy's rules, DNS, load balancers, HTTP (k8slab.network).
        self.network = Network(self)

    # ------------------------------------------------------------------ wiring helpers

    def recorder(self, component: str, host: str = "") -> EventRecorder:
        """The event recorder of one component (one per component and host, like a
        client-go EventBroadcaster, so aggregation and spam filtering see all its events)."""
        key = (component, host)
        recorder = self._recorders.get(key)
        if recorder is None:
            recorder = self._recorders[key] = EventRecorder(self.api, component, host)
        return recorder

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
        self.network.attach(kubelet)
        kubelet.start()
        return kubelet

    def new_node_config(self, name: str, **overrides: Any) -> NodeConfig:
        """A worker like the default ones, with a free address (for ``tcs create``)."""
        taken = {k.node.ip for k in self.kubelets.values()}
        fields: dict[str, Any] = {"name": name, "ip": node_ip_for(name, taken)}
        fields.update(overrides)
        return NodeConfig(**fields)

    def remove_node(self, name: str) -> None:
        """What ``tcs drop`` does: cordon, evict the pods as ``kubectl drain`` would, delete the
        Node object and power the machine off. Virtual time passes while pods terminate."""
        run_blocking(self.loop, self.remove_node_proc(name))

    def remove_node_proc(self, name: str, log: Callable[[str], None] | None = None,
                         err: Callable[[str], None] | None = None) -> Proc:
        """:meth:`remove_node` as a process, reporting each step like ``kubectl drain
        --ignore-daemonsets --delete-emptydir-data --force`` followed by ``kubectl delete
        node``. Raises ValueError (before anything changes) for an unknown machine."""
        from .sim.process import Sleep, WaitFor

        kubelet = self.kubelets.get(name)
        if kubelet is None:
            raise ValueError(f"no machine named {name}")
        say = log or (lambda _line: None)
        warn = err or say
        api = self.api
        pod_kind, node_kind = by_gvk("v1", "Pod"), by_gvk("v1", "Node")
        assert pod_kind is not None and node_kind is not None
        node = api.try_get(node_kind, "", name)
        if node is not None:
            if not (node.get("spec") or {}).get("unschedulable"):
                api.update({**node, "spec": {**(node.get("spec") or {}), "unschedulable": True}},
                           source="kubectl", trusted=True)
            say(f"node/{name} cordoned\n")
            yield Sleep(_API_ROUND_TRIP)
            pods = [p for p in api.list(pod_kind) if (p.get("spec") or {}).get("nodeName") == name]
            daemons = [p for p in pods if _controller_kind(p) == "DaemonSet"]
            mirrors = [p for p in pods
                       if "kubernetes.io/config.mirror" in (p["metadata"].get("annotations") or {})]
            bare = [p for p in pods if _controller_kind(p) == "" and p not in mirrors]
            evict = [p for p in pods if p not in daemons and p not in mirrors]
            if bare:
                warn("Warning: deleting Pods that declare no controller: "
                     + ", ".join(_ns_name(p) for p in bare) + "\n")
            if daemons:
                warn("Warning: ignoring DaemonSet-managed Pods: "
                     + ", ".join(_ns_name(p) for p in daemons) + "\n")
            for pod in evict:
                say(f"evicting pod {_ns_name(pod)}\n")
                meta = pod["metadata"]
                with contextlib.suppress(StatusError):
                    api.delete(pod_kind, meta.get("namespace", "default"), meta["name"],
                               source="kubectl")
            yield Sleep(_API_ROUND_TRIP)
            waiting = list(evict)
            running = getattr(kubelet, "running", True)
            while waiting and running:
                yield WaitFor(lambda: any(_gone(api, pod_kind, p) for p in waiting),
                              timeout=_DRAIN_TIMEOUT, poll=SECOND)
                gone = [p for p in waiting if _gone(api, pod_kind, p)]
                if not gone:
                    break
                for pod in gone:
                    say(f"pod/{pod['metadata']['name']} evicted\n")
                    waiting.remove(pod)
            say(f"node/{name} drained\n")
            with contextlib.suppress(StatusError):
                api.delete(node_kind, "", name, source="kubectl")
            say(f'node "{name}" deleted\n')
            yield Sleep(_API_ROUND_TRIP)
        kubelet.stop()
        del self.kubelets[name]

    def fail_node(self, name: str) -> None:
        """Power a machine off without draining it (a crash or a pulled cable)."""
        kubelet = self.kubelets.get(name)
        if kubelet is None:
            raise ValueError(f"no machine named {name}")
        kubelet.stop()

    def restore_node(self, name: str) -> None:
        """Power a failed machine back on: its kubelet starts again and reports in."""
        kubelet = self.kubelets.get(name)
        if kubelet is None:
            raise ValueError(f"no machine named {name}")
        kubelet.start()

    @property
    def now(self) -> int:
        return self.loop.now


# kubectl's requests during a drain; eviction waits poll every second like kubectl's.
_API_ROUND_TRIP = 10 * MILLISECOND
_DRAIN_TIMEOUT = 10 * 60 * SECOND


def _controller_kind(pod: dict[str, Any]) -> str:
    for ref in pod["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return str(ref.get("kind", ""))
    return ""


def _ns_name(pod: dict[str, Any]) -> str:
    return f"{pod['metadata'].get('namespace', 'default')}/{pod['metadata']['name']}"


def _gone(api: APIServer, kind: Any, pod: dict[str, Any]) -> bool:
    meta = pod["metadata"]
    live = api.try_get(kind, meta.get("namespace", "default"), meta["name"])
    return live is None or live["metadata"].get("uid") != meta.get("uid")
