"""``containerStatuses[].allocatedResources``/``resources``, built once per ``resources`` dict
(the pods of one template share it) and shared between statuses."""

from __future__ import annotations

from k8slab.kubelet.status import ContainerView, container_status


def _status(resources: dict[str, dict[str, str]]) -> dict[str, object]:
    return container_status(ContainerView({"name": "web", "image": "nginx",
                                           "resources": resources}), None)


def test_pods_sharing_resources_share_the_status_parts() -> None:
    shared = {"requests": {"cpu": "100m"}, "limits": {"memory": "64Mi"}}
    first, second = _status(shared), _status(shared)
    assert first["allocatedResources"] == {"cpu": "100m"}
    assert first["resources"] == {"limits": {"memory": "64Mi"}, "requests": {"cpu": "100m"}}
    assert second["allocatedResources"] is first["allocatedResources"]
    assert second["resources"] is first["resources"]


def test_other_resources_get_their_own_values() -> None:
    base = _status({"requests": {"cpu": "100m"}})
    # An equal-looking but different dict, then different values: never the remembered ones.
    other = _status({"requests": {"cpu": "250m"}, "limits": {"cpu": "500m"}})
    assert base["allocatedResources"] == {"cpu": "100m"}
    assert other["allocatedResources"] == {"cpu": "250m"}
    assert other["resources"] == {"limits": {"cpu": "500m"}, "requests": {"cpu": "250m"}}
    assert "allocatedResources" not in _status({"limits": {}, "requests": {}})
