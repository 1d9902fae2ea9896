"""The image manager's pulls and the node's ``status.images``."""

from __future__ import annotations

from typing import Any

from k8slab.kubelet.images import ImageManager, ImageResult
from k8slab.sim.clock import Loop
from k8slab.sim.process import Sleep
from k8slab.sim.rand import Streams


def _pull(images: ImageManager, loop: Loop, image: str) -> ImageResult:
    proc: Any = images.pull(image, "uid", lambda *_: None)
    try:
        effect = proc.send(None)
        while True:
            assert isinstance(effect, Sleep)
            loop.advance(effect.duration)
            effect = proc.send(None)
    except StopIteration as stop:
        return stop.value


def _names(images: ImageManager) -> list[list[str]]:
    return [entry["names"] for entry in images.node_images()]


def test_node_images_follow_pulls_of_new_images_only() -> None:
    loop = Loop(1_780_300_800_000_000_000)
    images = ImageManager("node-1", loop, Streams(0)("images"))
    images.preload("registry.k8s.io/pause:3.10")
    before = images.node_images()
    assert [n for names in _names(images) for n in names if "pause" in n]
    version = images.version
    assert _pull(images, loop, "nginx:1.10").image is not None
    assert images.version == version + 1
    assert any("docker.io/library/nginx:1.10" in names for names in _names(images))
    assert len(images.node_images()) == len(before) + 1
    # The same image again: a new version (the node status is looked at again), same list.
    listed = images.node_images()
    assert _pull(images, loop, "nginx:1.10").image is not None
    assert images.version == version + 2
    assert images.node_images() is listed
    # Another tag of the same content joins that entry.
    assert _pull(images, loop, "nginx:1.10.3").image is not None
    nginx = [names for names in _names(images) if "docker.io/library/nginx:1.10" in names]
    assert nginx and "docker.io/library/nginx:1.10.3" in nginx[0]
