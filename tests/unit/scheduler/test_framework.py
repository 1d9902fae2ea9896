"""PodInfo and spec_facts: the parsed view of a pod the scheduler caches by object identity."""

from __future__ import annotations

from typing import Any

from k8slab.scheduler.framework import PodInfo, spec_facts


def _spec(resources: dict[str, Any], mount: str) -> dict[str, Any]:
    """A spec with fresh container dicts (as each pod of a template has) around ``resources``."""
    return {"containers": [{"name": "c", "image": "nginx", "resources": resources,
                            "volumeMounts": [{"name": mount, "mountPath": "/m"}]}]}


def test_spec_facts_reuses_a_shape_only_for_the_same_resource_maps() -> None:
    shared = {"requests": {"cpu": "100m", "memory": "64Mi"}}
    first = spec_facts(_spec(shared, "a"))
    assert spec_facts(_spec(shared, "b")) is first
    # An equal but distinct map, and a different one, are parsed on their own.
    assert spec_facts(_spec({"requests": {"cpu": "100m", "memory": "64Mi"}}, "c")) == first
    other = spec_facts(_spec({"requests": {"cpu": "250m"}}, "d"))
    assert other[0] == (250, 0, 0)
    assert first[0] == (100, 64 * 1024 * 1024, 0)


def _pod(spec: dict[str, Any], refs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"metadata": {"name": "p", "namespace": "default", "uid": "u",
                         "ownerReferences": refs}, "spec": spec}


def test_pod_info_affinity_and_owner_fields() -> None:
    refs = [{"kind": "Other", "name": "x", "uid": "first"},
            {"kind": "ReplicaSet", "name": "web", "uid": "rs", "controller": True}]
    plain = PodInfo(_pod(_spec({}, "a"), refs))
    assert (plain.required, plain.preferred, plain.required_names, plain.has_pod_affinity,
            plain.names_hostname, plain.affinity_key) == (None, (), None, False, False, "")
    assert (plain.owner_uid, plain.owner_kind, plain.owner_name) == ("first", "ReplicaSet", "web")
    term = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["n1"]}]}
    pinned = PodInfo(_pod({**_spec({}, "b"), "nodeSelector": {"disk": "ssd"}, "affinity": {
        "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [term]}}}}, []))
    assert pinned.required == [term]
    assert pinned.required_names == ("n1",)
    assert pinned.names_hostname
    assert pinned.affinity_key.startswith("([('disk', 'ssd')]")
    assert (pinned.owner_uid, pinned.owner_kind, pinned.owner_name) == ("", "", "")
    selected = PodInfo(_pod({**_spec({}, "c"), "nodeSelector": {"disk": "ssd"}}, refs))
    assert selected.required is None and not selected.names_hostname
    assert selected.affinity_key == repr(([("disk", "ssd")], None, ()))
