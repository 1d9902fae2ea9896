"""The scheduler cache's image and zone counts follow node updates
(``pkg/scheduler/backend/cache`` ``imageStates``): an update that keeps the node's image list
and labels objects skips the recount, any other update recounts."""

from __future__ import annotations

from typing import Any

from k8slab.scheduler.cache import SchedulerCache
from k8slab.scheduler.framework import ZONE_LABEL


def _node(labels: dict[str, str], images: list[dict[str, Any]],
          taints: list[dict[str, str]] | None = None) -> dict[str, Any]:
    return {"metadata": {"name": "n1", "labels": labels},
            "spec": {"taints": taints or []},
            "status": {"allocatable": {"cpu": "2", "memory": "4Gi", "pods": "110"},
                       "images": images}}


def test_image_and_zone_counts_follow_node_updates() -> None:
    cache = SchedulerCache()
    labels = {ZONE_LABEL: "a"}
    images = [{"names": ["nginx:1.10"], "sizeBytes": 100}]
    cache.add_node(_node(labels, images))
    # A taint change keeps the image list and labels: the counts stay.
    cache.update_node(_node(labels, images, [{"key": "k", "effect": "NoSchedule"}]))
    assert cache.image_nodes == {"nginx:1.10": 1}
    assert (cache.zoned_nodes, cache.zone_label_nodes) == (1, 1)
    # A new image list (equal or not) and new labels are counted afresh.
    pulled = [*images, {"names": ["pause:3.9"], "sizeBytes": 10}]
    cache.update_node(_node(labels, pulled))
    assert cache.image_nodes == {"nginx:1.10": 1, "pause:3.9": 1}
    cache.update_node(_node({}, pulled))
    assert (cache.zoned_nodes, cache.zone_label_nodes) == (0, 0)
    cache.update_node(_node({}, [{"names": ["pause:3.9"], "sizeBytes": 10}]))
    assert cache.image_nodes == {"pause:3.9": 1}
    cache.remove_node("n1")
    assert cache.image_nodes == {}
