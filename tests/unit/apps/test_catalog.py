"""Image references and the catalogue (distribution/reference ParseNormalizedNamed; the talk's
mirror names, seed "相关镜像")."""

from __future__ import annotations

import pytest

from k8slab.apps.catalog import PullError, ReferenceError, parse_reference, resolve


@pytest.mark.parametrize(("text", "expected"), [
    ("nginx", "docker.io/library/nginx:latest"),
    ("nginx:1.10", "docker.io/library/nginx:1.10"),
    ("dustise/flaskapp", "docker.io/dustise/flaskapp:latest"),
    ("registry.ioros.com/docker.io/busybox", "registry.ioros.com/docker.io/busybox:latest"),
    ("localhost:5000/app:v1", "localhost:5000/app:v1"),
])
def test_normalized_names(text: str, expected: str) -> None:
    assert str(parse_reference(text)) == expected


def test_uppercase_repository_is_invalid() -> None:
    with pytest.raises(ReferenceError) as exc:
        parse_reference("Nginx")
    assert "must be lowercase" in str(exc.value)


def test_mirror_serves_the_same_behaviour_with_its_own_name() -> None:
    hub = resolve("busybox")
    mirror = resolve("registry.ioros.com/docker.io/busybox")
    assert hub.image is mirror.image
    assert mirror.name == "registry.ioros.com/docker.io/busybox:latest"
    assert mirror.image_id.startswith("registry.ioros.com/docker.io/busybox@sha256:")
    # docker push uploads the amd64 manifest, not Docker Hub's index.
    assert mirror.digest != hub.digest
    web = resolve("registry.ioros.com/coam/test.web:0.0.1")
    assert web.image.app == "testweb:TestWeb"


def test_versions_behind_tags() -> None:
    assert resolve("nginx:1.10").image.version == "1.10.3"
    assert resolve("nginx:1.11").image.version == "1.11.13"
    assert resolve("nginx:1.10").image is resolve("nginx:1.10.3").image


def test_missing_tag_and_repository_errors() -> None:
    with pytest.raises(PullError) as exc:
        resolve("nginx:1.999")
    assert exc.value.code == "NotFound"
    assert str(exc.value).endswith("docker.io/library/nginx:1.999: not found")
    with pytest.raises(PullError) as exc:
        resolve("no.such.host/app")
    assert "no such host" in str(exc.value)


def test_resolve_follows_a_tag_registered_again(monkeypatch: pytest.MonkeyPatch) -> None:
    # resolve() remembers its answers; a tag registered again must not get the old image.
    from k8slab.apps import catalog

    catalog.catalogue()
    repo = "docker.io/k8slab-test/memo"
    monkeypatch.setitem(catalog._CATALOGUE, repo, {})
    try:
        catalog.register(catalog.Image(repo, "v1", 1_000, "sleep:Sleep"))
        first = resolve("k8slab-test/memo:v1")
        assert first.size == 1_000
        assert resolve("k8slab-test/memo:v1") is first
        catalog.register(catalog.Image(repo, "v1", 2_000, "sleep:Sleep"))
        assert resolve("k8slab-test/memo:v1").size == 2_000
        # Failures are not remembered: a tag that appears later resolves.
        with pytest.raises(PullError):
            resolve("k8slab-test/memo:v2")
        catalog.register(catalog.Image(repo, "v2", 3_000, "sleep:Sleep"))
        assert resolve("k8slab-test/memo:v2").size == 3_000
    finally:
        catalog._RESOLVED.clear()


def test_control_plane_images_register_again_only_what_changed(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # Every kubelet start asks for the control-plane images; asking again must keep
    # resolve()'s answers, and must restore an entry replaced since.
    from k8slab.apps import catalog
    from k8slab.apps.images import control_plane_images

    names = control_plane_images("v1.31.0")
    proxy = names["kube-proxy"]
    first = resolve(proxy)
    assert control_plane_images("v1.31.0") == names
    assert resolve(proxy) is first
    repo = "registry.k8s.io/kube-proxy"
    monkeypatch.setitem(catalog._CATALOGUE, repo, {})
    catalog.register(catalog.Image(repo, "v1.31.0", 1_000, "sleep:Sleep"))
    assert resolve(proxy).size == 1_000
    control_plane_images("v1.31.0")
    assert resolve(proxy).image is first.image
