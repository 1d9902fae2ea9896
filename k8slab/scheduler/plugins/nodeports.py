"""NodePorts (``plugins/nodeports``): a host port can be bound by one pod per node."""

from __future__ import annotations

from ..framework import UNSCHEDULABLE, NodeInfo, PodInfo, Status

__all__ = ["NAME", "conflicts", "filter"]

NAME = "NodePorts"
REASON = "node(s) didn't have free ports for the requested pod ports"


def conflicts(wanted: tuple[tuple[str, str, int], ...],
              used: dict[tuple[str, str, int], int]) -> bool:
    """``HostPortInfo.CheckConflict``: same protocol and port, and either IP is 0.0.0.0 or equal."""
    for ip, proto, port in wanted:
        for uip, uproto, uport in used:
            if uport == port and uproto == proto and (
                ip == "0.0.0.0" or uip == "0.0.0.0" or ip == uip
            ):
                return True
    return False


def filter(pod: PodInfo, ni: NodeInfo) -> Status | None:
    if pod.host_ports and ni.ports and conflicts(pod.host_ports, ni.ports):
        return Status(UNSCHEDULABLE, REASON, plugin=NAME)
    return None
