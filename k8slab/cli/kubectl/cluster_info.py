"""``kubectl cluster-info`` (``k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo.go``).

``Kubernetes control plane is running at https://<control-plane IP>:6443`` followed by one line
per kube-system Service labelled ``kubernetes.io/cluster-service=true`` (named by its
``kubernetes.io/name`` label, linked through the apiserver proxy with its first port), then
kubectl's hint about ``cluster-info dump``. kubectl colours the names green and the links yellow
with ANSI escapes; the lab writes them only when the command's output is a terminal
(see docs/realism.md).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ...api.kinds import by_gvk
from ...api.selectors import parse
from .cmd import Invocation, command
from .errors import KubectlError

__all__ = ["run_cluster_info"]

SERVICE = by_gvk("v1", "Service")
_GREEN, _YELLOW, _RESET = "\x1b[0;32m", "\x1b[0;33m", "\x1b[0m"


def _line(inv: Invocation, name: str, link: str) -> str:
    if inv.ctx.tty:
        return f"{_GREEN}{name}{_RESET} is running at {_YELLOW}{link}{_RESET}\n"
    return f"{name} is running at {link}\n"


@command("cluster-info")
def run_cluster_info(inv: Invocation) -> Generator[Any, Any, int]:
    if inv.args:
        raise KubectlError("no arguments are allowed")
    factory = inv.factory
    server = factory.server
    factory.request(2)
    out = [_line(inv, "Kubernetes control plane", server)]
    assert SERVICE is not None
    for svc in factory.api.list(SERVICE, "kube-system",
                                parse("kubernetes.io/cluster-service=true")):
        meta = svc.get("metadata") or {}
        name = (meta.get("labels") or {}).get("kubernetes.io/name") or meta.get("name", "")
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
        ports = (svc.get("spec") or {}).get("ports") or []
        if ingress:
            ip = ingress[0].get("ip") or ingress[0].get("hostname")
            link = f"http://{ip}:{ports[0].get('port')}" if ports else f"http://{ip}"
        else:
            target = meta.get("name", "")
            if ports and ports[0].get("name"):
                target = f"{target}:{ports[0]['name']}"
            link = f"{server}/api/v1/namespaces/kube-system/services/{target}/proxy"
        out.append(_line(inv, str(name), link))
    out.append("\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info "
               "dump'.\n")
    inv.out("".join(out))
    yield from factory.settle()
    return 0
