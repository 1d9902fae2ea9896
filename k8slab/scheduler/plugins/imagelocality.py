"""ImageLocality (``plugins/imagelocality``): prefer nodes that already have the images.

Each container image present on the node adds its size scaled by the share of nodes that have
it; the sum is mapped between 23 MB and 1000 MB per container onto 0–100. Image names are
compared exactly as the node reports them, after adding ``:latest`` to an untagged name.
"""

from __future__ import annotations

from ..framework import MAX_NODE_SCORE, NodeInfo, PodInfo

__all__ = ["NAME", "score"]

NAME = "ImageLocality"
_MB = 1024 * 1024
MIN_THRESHOLD = 23 * _MB
MAX_CONTAINER_THRESHOLD = 1000 * _MB


def score(pod: PodInfo, ni: NodeInfo, total_nodes: int, image_nodes: dict[str, int]) -> int:
    if not ni.images or not total_nodes:
        return 0
    total = 0
    for image in pod.images:
        size = ni.images.get(image)
        if size is not None:
            spread = image_nodes.get(image, 0) / total_nodes
            total += int(size * spread)
    max_threshold = MAX_CONTAINER_THRESHOLD * max(pod.num_containers, 1)
    total = min(max(total, MIN_THRESHOLD), max_threshold)
    return MAX_NODE_SCORE * (total - MIN_THRESHOLD) // (max_threshold - MIN_THRESHOLD)
