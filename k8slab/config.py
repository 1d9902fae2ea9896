"""The shape of a lab cluster: nodes, networks, versions and the virtual start time.

A :class:`ClusterConfig` is validated with pydantic, so a teacher who describes a bigger or odder
cluster (``Lab(seed=0, config=ClusterConfig(nodes=[...]))``) gets a precise error instead of a
half-built cluster. The default is the talk's small cluster: one control-plane node ``t.cs.1``
and three workers ``t.cs.2``–``t.cs.4`` (the talk joins ``t.cs.11`` later with ``tcs``).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = ["ClusterConfig", "NodeConfig", "Taint", "default_nodes"]

_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Taint(_Model):
    key: str
    value: str = ""
    effect: Literal["NoSchedule", "PreferNoSchedule", "NoExecute"]


class NodeConfig(_Model):
    """One machine. Capacity follows a small cloud VM; allocatable is derived like kubelet's."""

    name: str
    role: Literal["control-plane", "worker"] = "worker"
    ip: str
    cpu: int = Field(4, ge=1, le=1024, description="cores")
    memory_mib: int = Field(8 * 1024, ge=256, description="MiB of RAM")
    ephemeral_storage_gib: int = Field(100, ge=1)
    max_pods: int = Field(110, ge=1, le=2500)
    labels: dict[str, str] = Field(default_factory=dict)
    taints: tuple[Taint, ...] = ()
    pod_cidr: str | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if len(value) > 253 or not _DNS_SUBDOMAIN.match(value):
            raise ValueError("must be a lowercase RFC 1123 subdomain, like t.cs.11")
        return value

    @field_validator("ip")
    @classmethod
    def _ip(cls, value: str) -> str:
        ipaddress.IPv4Address(value)
        return value


class ClusterConfig(_Model):
    """Everything that shapes a fresh lab cluster."""

    nodes: tuple[NodeConfig, ...] = ()
    kubernetes_version: str = "v1.37.0"
    container_runtime: str = "containerd://2.1.4"
    os_image: str = "Ubuntu 24.04.3 LTS"
    kernel_version: str = "6.8.0-87-generic"
    cluster_cidr: str = "10.244.0.0/16"
    service_cidr: str = "10.96.0.0/12"
    node_cidr: str = "172.16.0.0/24"
    cluster_domain: str = "cluster.local"
    # The talk's hostname for reaching NodePorts from the workstation.
    public_host: str = "ms.iirii.com"
    start: str = Field("2026-06-01T08:00:00Z", description="virtual wall clock at boot")

    @model_validator(mode="after")
    def _unique(self) -> ClusterConfig:
        names = [n.name for n in self.nodes]
        if len(set(names)) != len(names):
            raise ValueError("node names must be unique")
        ips = [n.ip for n in self.nodes]
        if len(set(ips)) != len(ips):
            raise ValueError("node IPs must be unique")
        return self

    def with_default_nodes(self) -> ClusterConfig:
        return self if self.nodes else self.model_copy(update={"nodes": default_nodes()})


def default_nodes(workers: int = 3) -> tuple[NodeConfig, ...]:
    """``t.cs.1`` (control plane, 2 CPU / 4 GiB, tainted) and ``t.cs.2``… (4 CPU / 8 GiB)."""
    nodes = [
        NodeConfig(
            name="t.cs.1",
            role="control-plane",
            ip="172.16.0.1",
            cpu=2,
            memory_mib=4 * 1024,
            taints=(Taint(key="node-role.kubernetes.io/control-plane", effect="NoSchedule"),),
        )
    ]
    for i in range(2, workers + 2):
        nodes.append(NodeConfig(name=f"t.cs.{i}", ip=f"172.16.0.{i}"))
    return tuple(nodes)


def node_ip_for(name: str, taken: set[str], network: str = "172.16.0.0/24") -> str:
    """An address for a joining node: ``t.cs.11`` → ``172.16.0.11`` when free."""
    net = ipaddress.IPv4Network(network)
    m = re.search(r"(\d+)$", name)
    if m:
        candidate = str(net.network_address + int(m.group(1)))
        if ipaddress.IPv4Address(candidate) in net and candidate not in taken:
            return candidate
    for host in net.hosts():
        if str(host) not in taken:
            return str(host)
    raise ValueError(f"no free address left in {network}")
