"""The image catalogue: every image the lab's registries serve, with size, digests and behaviour.

A real node pulls an image from a registry and gets a manifest digest, a config digest and some
layers; the container then runs the image's entrypoint. Here each :class:`Image` carries the
facts the kubelet and kubectl show (``Image size: N bytes.``, ``imageID:
docker.io/library/nginx@sha256:…``) and a factory for its :class:`~k8slab.apps.base.App`.

Names are parsed like ``github.com/distribution/reference.ParseNormalizedNamed`` (what the
kubelet and containerd use): ``nginx`` → ``docker.io/library/nginx:latest``;
``dustise/flaskapp`` → ``docker.io/dustise/flaskapp:latest``. The talk's mirror
``registry.ioros.com/docker.io/<repo>`` serves the same images (pushed with ``docker tag`` +
``docker push``, which uploads the single-platform manifest, so the mirror's digest is the
amd64 manifest's, not Docker Hub's index digest). Anything else is unknown and fails to pull with
containerd 2.x's wording (:func:`resolve`).

Digests are not the real registries' (we cannot fetch them offline); they are SHA-256 values
derived from the image name, stable across runs — see docs/realism.md.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .base import SIGTERM

if TYPE_CHECKING:
    from .base import App, ContainerContext

__all__ = [
    "MIRROR",
    "Image",
    "PullError",
    "Reference",
    "ResolvedImage",
    "catalogue",
    "parse_reference",
    "register",
    "resolve",
]

MIRROR = "registry.ioros.com"
DOCKER_HUB = "docker.io"



# ----------------------------------------------------------------------------- references

_COMPONENT = re.compile(r"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")
_TAG = re.compile(r"^[\w][\w.-]{0,127}$")
_DIGEST = re.compile(r"^sha256:[a-f0-9]{64}$")


class ReferenceError(ValueError):
    """``couldn't parse image reference``: the text after that prefix is the reason."""


@dataclass(frozen=True)
class Reference:
    """A parsed image reference: ``domain/path[:tag][@digest]``."""

    domain: str
    path: str
    tag: str = ""
    digest: str = ""

    @property
    def repository(self) -> str:
        return f"{self.domain}/{self.path}"

    def __str__(self) -> str:
        text = self.repository
        if self.tag:
            text += ":" + self.tag
        if self.digest:
            text += "@" + self.digest
        return text


@functools.lru_cache(maxsize=4096)
def parse_reference(image: str) -> Reference:
    """``ParseNormalizedNamed`` plus the ``:latest`` default the kubelet applies."""
    text = image
    if not text:
        raise ReferenceError("invalid reference format")
    digest = ""
    if "@" in text:
        text, digest = text.split("@", 1)
        if not _DIGEST.match(digest):
            raise ReferenceError("invalid reference format")
    tag = ""
    last = text.rsplit("/", 1)[-1]
    if ":" in last:
        text, tag = text.rsplit(":", 1)
        if not _TAG.match(tag):
            raise ReferenceError("invalid reference format")
    parts = text.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        domain, rest = parts[0], parts[1:]
    else:
        domain, rest = DOCKER_HUB, parts
    if domain == DOCKER_HUB and len(rest) == 1:
        rest = ["library", *rest]
    path = "/".join(rest)
    if path.lower() != path:
        raise ReferenceError(f"invalid reference format: repository name ({path}) must be "
                             "lowercase")
    if not rest or not all(_COMPONENT.match(p) for p in rest):
        raise ReferenceError("invalid reference format")
    if not tag and not digest:
        tag = "latest"
    return Reference(domain, path, tag, digest)


# ----------------------------------------------------------------------------- images


class _once:
    """A derived attribute of a frozen instance, computed on first use and then read from the
    instance's ``__dict__`` (``functools.cached_property`` without its lock, which costs
    more than these names do to build)."""

    def __init__(self, fn: Callable[[Any], Any]) -> None:
        self.fn = fn
        self.name = fn.__name__
        self.__doc__ = fn.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.fn(obj)
        return value


@functools.lru_cache(maxsize=4096)
def _digest(kind: str, name: str) -> str:
    return "sha256:" + hashlib.sha256(f"k8slab/{kind}/{name}".encode()).hexdigest()


@dataclass(frozen=True)
class Image:
    """One image (repository + tag) and what it does.

    ``layout`` names the root filesystem family the runtime lays out (``busybox``,
    ``debian``, ``alpine``, ``distroless``, ``scratch``); ``tools`` are extra executables
    by absolute path, each naming a command the app module provides.
    """

    repository: str
    tag: str
    size: int
    app: str  # "module:Class" under k8slab.apps, imported lazily
    entrypoint: tuple[str, ...] = ()
    cmd: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = (
        ("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    )
    workdir: str = "/"
    stop_signal: int = SIGTERM
    layout: str = "debian"
    version: str = ""
    user: tuple[int, int, tuple[int, ...]] = (0, 0, (0,))
    extra: tuple[tuple[str, Any], ...] = ()

    # Derived names are asked for on every container start and status: computed once (the
    # instance is frozen, so they never go stale).
    @_once
    def name(self) -> str:
        return f"{self.repository}:{self.tag}"

    @property
    def digest(self) -> str:
        """Docker Hub's (multi-platform index) repo digest."""
        return _digest("index", self.name)

    @property
    def platform_digest(self) -> str:
        """The linux/amd64 manifest digest (what ``docker push`` of a pulled image uploads)."""
        return _digest("amd64", self.name)

    @_once
    def config_id(self) -> str:
        """The image config digest (``crictl images`` IMAGE ID)."""
        return _digest("config", self.name)

    def option(self, key: str, default: Any = None) -> Any:
        for k, v in self.extra:
            if k == key:
                return v
        return default

    def app_class(self) -> type[App]:
        found = _APP_CLASSES.get(self.app)
        if found is None:
            import importlib

            module, cls = self.app.split(":")
            found = getattr(importlib.import_module(f"k8slab.apps.{module}"), cls)
            _APP_CLASSES[self.app] = found
        return found

    def make_app(self, container: ContainerContext, argv: list[str]) -> App:
        return self.app_class()(container, argv)


@dataclass(frozen=True)
class ResolvedImage:
    """An image as a node knows it after a pull: the name pulled and the content."""

    image: Image
    reference: Reference
    digest: str = field(default="")

    @_once
    def name(self) -> str:
        """``docker.io/library/nginx:1.10``: the runtime's name (containerStatuses[].image)."""
        return f"{self.reference.repository}:{self.reference.tag or self.image.tag}"

    @_once
    def image_id(self) -> str:
        """``containerStatuses[].imageID``: ``<repository>@<digest>``."""
        return f"{self.reference.repository}@{self.digest}"

    @property
    def size(self) -> int:
        return self.image.size


class PullError(Exception):
    """A failed pull: ``code`` is the gRPC code containerd returns, ``message`` its text."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return f"rpc error: code = {self.code} desc = {self.message}"


_APP_CLASSES: dict[str, Any] = {}

# repository (docker.io form) → tag → Image
_CATALOGUE: dict[str, dict[str, Image]] = {}
# image as a pod names it → what resolve() found for it: every pod of a Deployment pulls the
# same name, and the (frozen) result is the same until the catalogue changes
_RESOLVED: dict[str, ResolvedImage] = {}


def register(image: Image, *aliases: str) -> Image:
    """Add an image; ``aliases`` are further tags serving the same content."""
    tags = _CATALOGUE.setdefault(image.repository, {})
    if tags.get(image.tag) is image and all(tags.get(alias) is image for alias in aliases):
        # Already registered (control_plane_images registers again at every kubelet start):
        # nothing changes, so what resolve() remembers still holds.
        return image
    _RESOLVED.clear()
    tags[image.tag] = image
    for alias in aliases:
        tags[alias] = image
    return image


def catalogue() -> dict[str, dict[str, Image]]:
    _ensure_loaded()
    return _CATALOGUE


def _ensure_loaded() -> None:
    if not _CATALOGUE:
        from . import images  # noqa: F401  (registers the catalogue)


def _canonical(ref: Reference) -> tuple[str, bool]:
    """The catalogue repository for ``ref`` and whether it came through the mirror."""
    if ref.domain == MIRROR:
        path = ref.path
        if path.startswith("docker.io/"):
            inner = path[len("docker.io/"):]
            if "/" not in inner:
                inner = "library/" + inner
            return f"{DOCKER_HUB}/{inner}", True
        return f"{MIRROR}/{path}", True
    return ref.repository, False


def lookup(ref: Reference) -> Image | None:
    _ensure_loaded()
    repo, _ = _canonical(ref)
    tags = _CATALOGUE.get(repo)
    if tags is None and repo.startswith(DOCKER_HUB + "/"):
        tags = _CATALOGUE.get(f"{MIRROR}/{repo[len(DOCKER_HUB) + 1:]}")
    if tags is None:
        return None
    if ref.digest:
        for img in tags.values():
            if ref.digest in (img.digest, img.platform_digest):
                return img
        return None
    return tags.get(ref.tag)


def resolve(image: str) -> ResolvedImage:
    """Resolve a pod's ``image`` like containerd's pull would, or raise :class:`PullError`."""
    resolved = _RESOLVED.get(image)
    if resolved is not None:
        return resolved
    ref = parse_reference(image)
    found = lookup(ref)
    full = str(ref)
    if found is None:
        repo, via_mirror = _canonical(ref)
        known_repo = repo in catalogue() or (
            repo.startswith(DOCKER_HUB + "/")
            and f"{MIRROR}/{repo[len(DOCKER_HUB) + 1:]}" in catalogue())
        if ref.domain not in (DOCKER_HUB, MIRROR, "registry.k8s.io", "ghcr.io", "quay.io",
                              "gcr.io", "k8s.gcr.io"):
            api_path = f"https://{ref.domain}/v2/{ref.path}/manifests/{ref.tag or ref.digest}"
            raise PullError(
                "Unknown",
                f'failed to pull and unpack image "{full}": failed to resolve reference '
                f'"{full}": failed to do request: Head "{api_path}": dial tcp: lookup '
                f"{ref.domain} on 127.0.0.53:53: no such host",
            )
        if known_repo or via_mirror or ref.domain != DOCKER_HUB:
            raise PullError(
                "NotFound",
                f'failed to pull and unpack image "{full}": failed to resolve reference '
                f'"{full}": {full}: not found',
            )
        raise PullError(
            "Unknown",
            f'failed to pull and unpack image "{full}": failed to resolve reference "{full}": '
            "pull access denied, repository does not exist or may require authorization: "
            "server message: insufficient_scope: authorization failed",
        )
    digest = ref.digest or (found.platform_digest if ref.domain == MIRROR else found.digest)
    if ref.digest:
        ref = Reference(ref.domain, ref.path, "", ref.digest)
    if len(_RESOLVED) >= 4096:
        _RESOLVED.clear()
    resolved = _RESOLVED[image] = ResolvedImage(found, ref, digest)
    return resolved
