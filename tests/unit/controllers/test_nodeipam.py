"""Node IPAM range allocator (``pkg/controller/nodeipam/ipam/range_allocator.go``, ``cidrset``):
/24 blocks of the cluster CIDR (kubeadm's ``--cluster-cidr``), handed out by a rotating cursor."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "nodeworld" not in sys.modules:  # the scheduler tests' helper, shared here
    _spec = importlib.util.spec_from_file_location(
        "nodeworld", Path(__file__).parents[1] / "scheduler" / "nodeworld.py")
    assert _spec is not None and _spec.loader is not None
    sys.modules["nodeworld"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["nodeworld"])

import nodeworld as nw

from k8slab.cluster import Cluster
from k8slab.config import ClusterConfig, NodeConfig
from k8slab.controllers.nodeipam import CIDRSet
from k8slab.sim.clock import SECOND


def spec(c: Cluster, name: str) -> dict:
    return c.api.get(nw.NODE, "", name)["spec"]


def test_nodes_get_consecutive_blocks_in_registration_order() -> None:
    c = nw.make_bare()
    for name in ("cp", "w1", "w2"):
        c.api.create(nw.node_obj(name), source="kubelet", trusted=True)
        c.loop.advance(SECOND)
    assert [spec(c, n)["podCIDR"] for n in ("cp", "w1", "w2")] == [
        "10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24"]
    assert spec(c, "w1")["podCIDRs"] == ["10.244.1.0/24"]


def test_a_freed_block_is_not_reused_at_once_and_preset_blocks_are_kept() -> None:
    c = nw.make_bare()
    preset = nw.node_obj("old")
    preset["spec"]["podCIDR"] = "10.244.1.0/24"
    preset["spec"]["podCIDRs"] = ["10.244.1.0/24"]
    c.api.create(preset, source="kubelet", trusted=True)
    for name in ("a", "b"):
        c.api.create(nw.node_obj(name), source="kubelet", trusted=True)
        c.loop.advance(SECOND)
    assert spec(c, "a")["podCIDR"] == "10.244.0.0/24"
    assert spec(c, "b")["podCIDR"] == "10.244.2.0/24"
    c.api.delete(nw.NODE, "", "a", source="kubectl")
    c.loop.advance(SECOND)
    c.api.create(nw.node_obj("d"), source="kubelet", trusted=True)
    c.loop.advance(SECOND)
    assert spec(c, "d")["podCIDR"] == "10.244.3.0/24"


def test_cursor_wraps_and_exhaustion_is_reported() -> None:
    cidrs = CIDRSet("10.244.0.0/23")
    assert [cidrs.allocate_next(), cidrs.allocate_next(), cidrs.allocate_next()] == [
        "10.244.0.0/24", "10.244.1.0/24", None]
    cidrs.release("10.244.0.0/24")
    assert cidrs.allocate_next() == "10.244.0.0/24"
    c = Cluster(seed=0, config=ClusterConfig(nodes=(NodeConfig(name="x", ip="172.16.0.9"),),
                                             cluster_cidr="10.244.0.0/24"))
    c.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}},
                 source="kubeadm")
    for name in ("a", "b"):
        c.api.create(nw.node_obj(name), source="kubelet", trusted=True)
        c.loop.advance(SECOND)
    assert spec(c, "a")["podCIDR"] == "10.244.0.0/24"
    assert "podCIDR" not in spec(c, "b")
    (event,) = nw.events_for(c, "b", "CIDRNotAvailable")
    assert event["message"] == "Node b status is now: CIDRNotAvailable"
    assert event["source"]["component"] == "cidrAllocator"
