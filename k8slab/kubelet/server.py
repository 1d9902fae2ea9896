"""The apiserver's proxy to the kubelets' API (``pods/log``, ``pods/exec``), for kubectl.

``kubectl logs`` and ``kubectl exec`` talk to the apiserver, which checks the pod and the
container (:func:`~k8slab.kubelet.logs.choose_container`) and then connects to the kubelet of
the pod's node on port 10250. These two functions are that path: they find the pod, pick the
kubelet by ``spec.nodeName`` and call :meth:`Kubelet.logs` / :meth:`Kubelet.exec`. A pod not yet
scheduled has no logs (an empty answer, as the apiserver gives) and cannot be exec'd into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..api import errors
from ..api.kinds import builtin
from ..sim.process import ExecContext, Proc
from .logs import choose_container

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["pod_exec", "pod_logs"]

POD = builtin("v1", "Pod")


def _pod_and_node(cluster: Cluster, namespace: str, name: str) -> tuple[dict, str]:
    pod = cluster.api.try_get(POD, namespace, name)
    if pod is None:
        raise errors.not_found("pods", name)
    return pod, (pod.get("spec") or {}).get("nodeName") or ""


def pod_logs(cluster: Cluster, namespace: str, name: str, container: str | None = None, *,
             previous: bool = False) -> list[tuple[int, str]]:
    """``GET /api/v1/namespaces/<ns>/pods/<name>/log``: ``(timestamp ns, line)`` pairs."""
    pod, node = _pod_and_node(cluster, namespace, name)
    if not node:
        choose_container(pod, container)
        return []
    kubelet = cluster.kubelets.get(node)
    if kubelet is None:
        cname = choose_container(pod, container)
        raise errors.StatusError(
            500, "InternalError",
            f'Get "https://{node}:10250/containerLogs/{namespace}/{name}/{cname}": dial tcp: '
            f"lookup {node}: no such host")
    return kubelet.logs(namespace, name, container, previous=previous)


def pod_exec(cluster: Cluster, namespace: str, name: str, container: str | None,
             argv: list[str], ctx: ExecContext) -> Proc:
    """``POST …/pods/<name>/exec``: the process, or a StatusError before it starts."""
    pod, node = _pod_and_node(cluster, namespace, name)
    kubelet = cluster.kubelets.get(node) if node else None
    if kubelet is None:
        cname = choose_container(pod, container)
        raise errors.bad_request(f'unable to upgrade connection: container not found ("{cname}")')
    return kubelet.exec(namespace, name, container, argv, ctx)
