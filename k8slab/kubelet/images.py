"""The kubelet's image manager and serialized puller (``pkg/kubelet/images``).

``EnsureImageExists`` for one container, as 1.37 does it:

1. parse the name (``couldn't parse image reference`` → ``InvalidImageName``);
2. present on the node and the policy is not ``Always`` → ``Pulled`` event
   ``Container image "nginx:1.10" already present on machine and can be accessed by the pod``;
   ``Never`` and absent → ``ErrImageNeverPull``;
3. in pull back-off → ``BackOff`` ``Back-off pulling image "…"`` and ``ImagePullBackOff``
   (the container's waiting message adds ``: ErrImagePull: <last pull error>``);
4. otherwise ``Pulling image "…"``, queue behind the node's other pulls
   (``serializeImagePulls: true``), then ``Successfully pulled image "…" in 2.301s (4.873s
   including waiting). Image size: 45357340 bytes.`` — both durations truncated to the
   millisecond like ``time.Duration.Truncate(time.Millisecond)`` — or ``Failed to pull image
   "…": <containerd's error>`` and ``ErrImagePull``, with the back-off bumped (10 s doubling to
   300 s, keyed by pod UID and image).

Pull durations come from the node's stream: a registry round trip to resolve the manifest, then
the image's bytes at the node's bandwidth. Content already on the node (the same image pulled
under another tag, or a second pod's pull queued behind the first) costs only the round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

from ..apps.catalog import PullError, ReferenceError, ResolvedImage, parse_reference, resolve
from ..sim.clock import MILLISECOND, SECOND
from ..sim.process import Effect, Sleep
from ..sim.timefmt import go_duration
from .backoff import Backoff

__all__ = ["ImageManager", "ImageResult"]

# Recorder signature: (type, reason, message)
Emit = Callable[[str, str, str], None]


@dataclass
class ImageResult:
    """The outcome: an image, or the waiting reason and message for the container status."""

    image: ResolvedImage | None = None
    reason: str = ""
    message: str = ""


# image as written in a pod → its normalized name (``docker.io/library/nginx:1.10``)
_NORMALIZED: dict[str, str] = {}


def _normalized(image: str) -> str:
    """The image's normalized name; raises :class:`ReferenceError` for an invalid one."""
    name = _NORMALIZED.get(image)
    if name is None:
        name = str(parse_reference(image))
        if len(_NORMALIZED) >= 4096:
            _NORMALIZED.clear()
        _NORMALIZED[image] = name
    return name


def _ms(ns: int) -> str:
    return go_duration(ns - ns % MILLISECOND)


class ImageManager:
    """Images present on one node, and the queue of pulls."""

    def __init__(self, node: str, loop: Any, rng: Any) -> None:
        self.node = node
        self.loop = loop
        self.rng = rng
        self.backoff = Backoff(lambda: loop.now)
        # normalized name → image
        self.present: dict[str, ResolvedImage] = {}
        # node_images() as last built (None once ``present`` changed): most pulls bring an
        # image the node already has, pulled again for a pod queued behind the first pull
        self._node_images: list[dict[str, Any]] | None = None
        # config digest → when its content is (or will be) on disk
        self._content: dict[str, int] = {}
        self._queue_free = 0
        # bytes per second this node pulls at (a property of its network link)
        self.bandwidth = rng.uniform(8e6, 25e6)
        #: bumped by every preload and pull, even of an image already present (the kubelet's
        #: node status is recomputed after one)
        self.version = 0
        self._last_error: dict[str, str] = {}

    def preload(self, name: str) -> None:
        """An image already on the machine when the kubelet first starts (kubeadm pre-pull)."""
        resolved = resolve(name)
        self.present[str(resolved.reference)] = resolved
        self._node_images = None
        self._content[resolved.image.config_id] = self.loop.now
        self.version += 1

    def is_present(self, image: str) -> bool:
        try:
            return str(parse_reference(image)) in self.present
        except ReferenceError:
            return False

    def _round_trip(self) -> int:
        return int(self.rng.uniform(0.4, 1.4) * SECOND)

    def check(self, image: str, policy: str, emit: Emit) -> ImageResult | None:
        """The steps of ``EnsureImageExists`` that need no pull: the result, or None when
        the image has to be pulled (:meth:`pull`, a process; events go through ``emit``)."""
        try:
            name = _normalized(image)
        except ReferenceError as exc:
            msg = (f'Failed to apply default image tag "{image}": couldn\'t parse image '
                   f'reference "{image}": {exc}')
            emit("Warning", "InspectFailed", msg)
            return ImageResult(None, "InvalidImageName", msg)
        present = self.present.get(name)
        if policy == "Never" or (policy != "Always" and present is not None):
            if present is not None:
                emit("Normal", "Pulled", f'Container image "{image}" already present on '
                     "machine and can be accessed by the pod")
                return ImageResult(present)
            msg = f'Container image "{image}" is not present with pull policy of Never'
            emit("Warning", "ErrImageNeverPull", msg)
            return ImageResult(None, "ErrImageNeverPull", msg)
        return None

    def pull(self, image: str, backoff_key: str,
             emit: Emit) -> Generator[Effect, Any, ImageResult]:
        """The pull (or its back-off) of an image :meth:`check` did not settle."""
        name = _normalized(image)
        key = f"{backoff_key}_{image}"
        now = self.loop.now
        if self.backoff.in_backoff_since_update(key, now):
            msg = f'Back-off pulling image "{image}"'
            emit("Normal", "BackOff", msg)
            # The container status carries the last pull error too (prevPullErrMsg).
            previous = self._last_error.get(key)
            if previous:
                msg = f"{msg}: {previous}"
            return ImageResult(None, "ImagePullBackOff", msg)
        emit("Normal", "Pulling", f'Pulling image "{image}"')
        start = max(now, self._queue_free)
        try:
            resolved = resolve(image)
        except PullError as err:
            duration = self._round_trip()
            self._queue_free = start + duration
            yield Sleep(start + duration - now)
            emit("Warning", "Failed", f'Failed to pull image "{image}": {err}')
            self.backoff.next(key, self.loop.now)
            self._last_error[key] = f"ErrImagePull: {err}"
            return ImageResult(None, "ErrImagePull", str(err))
        duration = self._round_trip()
        content_at = self._content.get(resolved.image.config_id)
        if content_at is None or content_at > start:
            bandwidth = self.bandwidth * self.rng.uniform(0.85, 1.15)
            duration += int(resolved.size / bandwidth * SECOND)
        end = start + duration
        self._queue_free = end
        if content_at is None or content_at > end:
            self._content[resolved.image.config_id] = end
        yield Sleep(end - now)
        if self.present.get(name) is not resolved:
            self.present[name] = resolved
            self._node_images = None
        self.version += 1
        emit("Normal", "Pulled", f'Successfully pulled image "{image}" in {_ms(duration)} '
             f"({_ms(end - now)} including waiting). Image size: {resolved.size} bytes.")
        return ImageResult(resolved)

    def node_images(self) -> list[dict[str, Any]]:
        """``status.images``: one entry per content, names ``repo@digest`` then ``repo:tag``,
        largest first, at most 50 (``nodeStatusMaxImages``). Shared by the statuses that
        carry it (stored objects are never mutated)."""
        if self._node_images is not None:
            return self._node_images
        by_content: dict[str, tuple[int, list[str]]] = {}
        for name in sorted(self.present):
            resolved = self.present[name]
            size, names = by_content.setdefault(resolved.image.config_id, (resolved.size, []))
            for n in (resolved.image_id, name):
                if n not in names:
                    names.append(n)
        entries = sorted(by_content.values(), key=lambda e: (-e[0], e[1][0]))
        out = []
        for size, names in entries[:50]:
            digests = [n for n in names if "@" in n]
            tags = [n for n in names if "@" not in n]
            out.append({"names": digests + tags, "sizeBytes": size})
        self._node_images = out
        return out
