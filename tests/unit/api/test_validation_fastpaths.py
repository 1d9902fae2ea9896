"""The fast paths of validation give exactly the full checks' answers.

References: pkg/util/validation/validation.go (``IsDNS1123Label``, ``IsDNS1123Subdomain``) and
pkg/apis/core/validation/validation.go (``ValidatePodSpec``): a fast path may only skip work
whose result is known, never change an answer or a message.
"""

from __future__ import annotations

import itertools
import random

from k8slab.api.validation import core
from k8slab.api.validation.meta import (
    _dns1123_label_errors,
    _dns1123_subdomain_errors,
    is_dns1123_label,
    is_dns1123_subdomain,
)


def _names() -> list[str]:
    edge = ["", "a", "A", "0", "-", ".", "a.", ".a", "a-", "-a", "a..b", "a.-b", "a-.b", "a--b",
            "a.b", "a_b", "a b", " a", "a ", "a\n", "a\nb", "\na", "a.b\n", "é", "aé", "ａ",
            "web-7d4b9c8f5-x2x7k", "web-7d4b9c8f5-x2x7k.18f3a2b4c5d6e7f8", "kube-api-access-x2x7k",
            "Default", "defaulT", "t.cs.4", "1.2.3.4", "a/b", "a:b", "a*", "\x00", "a\x00"]
    for n in (62, 63, 64, 252, 253, 254):
        edge += ["a" * n, "a" * (n - 2) + ".b", "a" * (n - 1) + "-", "a" * (n - 1) + "é"]
    edge += ["a" * 63 + "." + "b" * 63, "a" * 64 + ".b", "b." + "a" * 64]
    rng = random.Random(7)
    alphabet = "abz09-.A_\né"
    edge += ["".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 12)))
             for _ in range(3000)]
    edge += ["".join(p) for n in range(1, 4) for p in itertools.product("a-.", repeat=n)]
    return edge


def test_dns_names_get_the_full_checks_answers_and_messages() -> None:
    for name in _names():
        assert is_dns1123_label(name) == _dns1123_label_errors(name), repr(name)
        assert is_dns1123_subdomain(name) == _dns1123_subdomain_errors(name), repr(name)


def test_a_name_followed_by_a_newline_keeps_the_full_checks_answer() -> None:
    # The full checks match with "$", which accepts one trailing "\n" (the fast path does not).
    assert _dns1123_subdomain_errors("a.b\n") == is_dns1123_subdomain("a.b\n") == []
    assert _dns1123_label_errors("a\n") == is_dns1123_label("a\n") == []


def _spec() -> dict[str, object]:
    return {
        "containers": [{"name": "c", "image": "nginx", "imagePullPolicy": "IfNotPresent",
                        "terminationMessagePolicy": "File",
                        "volumeMounts": [{"name": "v", "mountPath": "/v"}]}],
        "volumes": [{"name": "v", "emptyDir": {}}],
        "restartPolicy": "Always", "dnsPolicy": "ClusterFirst",
        "terminationGracePeriodSeconds": 30, "serviceAccountName": "default",
        "tolerations": [{"key": "k", "operator": "Exists"}],
    }


def test_pod_spec_fields_are_rechecked_when_any_value_differs() -> None:
    spec = _spec()
    assert core.validate_pod_spec(spec, "spec") == []
    # A spec sharing every value is known valid; one different value is checked in full.
    assert core.validate_pod_spec(dict(spec), "spec") == []
    bad = {**spec, "dnsPolicy": "Nope"}
    assert [e.field for e in core.validate_pod_spec(bad, "spec")] == ["spec.dnsPolicy"]
    bad_sa = {**spec, "serviceAccountName": "Bad_Name"}
    assert [e.field for e in core.validate_pod_spec(bad_sa, "spec")] == [
        "spec.serviceAccountName"]
    bad_tol = {**spec, "tolerations": [{"key": "k", "operator": "Equal", "value": "a b"}]}
    assert [e.field for e in core.validate_pod_spec(bad_tol, "spec")] == [
        "spec.tolerations[0].operator"]
    # Errors are not remembered: the same invalid spec fails again, with the same errors.
    assert core.validate_pod_spec(bad, "spec") == core.validate_pod_spec(bad, "spec")
    # The same fields at another path are checked there.
    assert core.validate_pod_spec(spec, "spec.template.spec") == []


def test_equal_values_that_are_other_objects_are_checked_not_trusted() -> None:
    spec = _spec()
    assert core.validate_pod_spec(spec, "spec") == []
    # An equal container of other objects (a decoded manifest) gives the same answer.
    ctr = dict(spec["containers"][0])  # type: ignore[index]
    ctr["image"] = "".join(["ngi", "nx"])
    assert ctr["image"] is not spec["containers"][0]["image"]  # type: ignore[index]
    assert core.validate_pod_spec({**spec, "containers": [ctr]}, "spec") == []
    ctr_bad = {**ctr, "imagePullPolicy": "Sometimes"}
    assert [e.field for e in core.validate_pod_spec({**spec, "containers": [ctr_bad]}, "spec")
            ] == ["spec.containers[0].imagePullPolicy"]


def test_containers_and_volumes_known_valid_still_check_their_per_pod_parts() -> None:
    spec = _spec()
    assert core.validate_pod_spec(spec, "spec") == []
    # Same container values but a mount naming no volume: the mounts are always checked.
    ctr = {**spec["containers"][0],  # type: ignore[index]
           "volumeMounts": [{"name": "missing", "mountPath": "/v"}]}
    assert [e.field for e in core.validate_pod_spec({**spec, "containers": [ctr]}, "spec")] == [
        "spec.containers[0].volumeMounts[0].name"]
    # Same volume source under a name that is not a label: the name is always checked.
    vol = {**spec["volumes"][0], "name": "Bad"}  # type: ignore[index]
    errs = core.validate_pod_spec({**spec, "volumes": [vol]}, "spec")
    assert [e.field for e in errs][:1] == ["spec.volumes[0].name"]


def _pod_with_conditions(conditions: object) -> dict[str, object]:
    return {"metadata": {"name": "p", "namespace": "default", "uid": "u"},
            "spec": {"nodeName": "n"}, "status": {"conditions": conditions}}


def test_condition_types_known_valid_skip_only_the_exact_common_case() -> None:
    old = _pod_with_conditions([{"type": "Ready", "status": "True"}])

    def errors(conditions: object) -> list[tuple[str, str]]:
        return [(e.field, e.detail) for e in core.validate_pod_status_update(
            _pod_with_conditions(conditions), old)]

    def full(conditions: list[object]) -> list[tuple[str, str]]:
        return [(e.field, e.detail) for e in core._validate_condition_types(conditions)]

    assert errors([{"type": "Ready"}, {"type": "example.com/Custom"}]) == []
    assert errors([{"type": "example.com/Custom"}]) == []  # now accepted
    # Not dicts, unhashable, missing or odd types and new invalid types all get their errors.
    for bad in ([{"type": "Ready"}, "Ready"], [{"type": ["Ready"]}],
                [{"status": "True"}, {"type": "Ready"}], [{"type": "Ready"}, {"type": "bad!"}],
                [None]):
        assert errors(bad) == full(bad) != [], bad
    for odd in ([{"type": True}], [{"type": None}]):  # "True" and "None" are valid types
        assert errors(odd) == full(odd), odd


def test_pod_qos_class_is_computed_per_spec_object() -> None:
    from k8slab.api.groups.core import pod_qos_class

    best = {"containers": [{"name": "c"}]}
    both = {"cpu": "1", "memory": "1Gi"}
    guaranteed = [{"name": "c", "resources": {"limits": both, "requests": both}}]
    assert pod_qos_class({"spec": best}) == pod_qos_class({"spec": best}) == "BestEffort"
    # Another spec object, even one sharing parts with a remembered one, gets its own answer.
    assert pod_qos_class({"spec": {**best, "containers": guaranteed}}) == "Guaranteed"
    assert pod_qos_class({"spec": {**best, "initContainers": [
        {"name": "i", "resources": {"requests": {"cpu": "1"}}}]}}) == "Burstable"
    assert pod_qos_class({}) == "BestEffort"


def test_metadata_maps_known_valid_only_for_the_very_same_four_values() -> None:
    from k8slab.api.validation.meta import validate_object_meta, validate_object_meta_update

    labels = {"app": "web"}
    refs = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": "u",
             "controller": True}]
    meta = {"name": "a", "namespace": "default", "labels": labels, "ownerReferences": refs}
    assert validate_object_meta(meta, namespaced=True) == []
    assert validate_object_meta({**meta, "name": "b"}, namespaced=True) == []
    # The same labels and references with one other map that is invalid: it is checked.
    bad = {**meta, "annotations": {"bad key!": "v"}}
    assert [e.field for e in validate_object_meta(bad, namespaced=True)] == [
        "metadata.annotations"]
    bad_fin = {**meta, "finalizers": ["orphan", "foregroundDeletion"]}
    assert [e.field for e in validate_object_meta(bad_fin, namespaced=True)] == [
        "metadata.finalizers"]
    # Maps taken on trust from the stored object are not remembered as checked.
    bad_labels = {"bad key!": "v"}
    old = {"name": "p", "namespace": "default", "uid": "u", "labels": bad_labels,
           "generation": 1}
    assert validate_object_meta_update({**old, "generation": 2}, old, old_validated=True) == []
    assert [e.field for e in validate_object_meta({**old, "name": "q"}, namespaced=True)] == [
        "metadata.labels"]


def test_a_container_known_valid_is_rechecked_under_another_grace_period() -> None:
    # The lifecycle and probe checks read the pod's grace period: a container that passed
    # under one period is checked again under another (same container objects).
    spec = _spec()
    ctr = {**spec["containers"][0],  # type: ignore[index]
           "lifecycle": {"preStop": {"sleep": {"seconds": 20}}}}
    assert core.validate_pod_spec({**spec, "containers": [ctr]}, "spec") == []
    short = {**spec, "containers": [ctr], "terminationGracePeriodSeconds": 10}
    errs = core.validate_pod_spec(short, "spec")
    assert [e.field for e in errs] == ["spec.containers[0].lifecycle.preStop.sleep"]
    # Known valid containers still have the uniqueness of their names checked.
    twice = core.validate_pod_spec({**spec, "containers": [ctr, ctr]}, "spec")
    assert [e.field for e in twice] == ["spec.containers[1].name"]
    # A failed check is not remembered.
    assert core.validate_pod_spec(short, "spec") == errs


def test_pod_digest_reads_the_first_ready_condition() -> None:
    from k8slab.api.groups.core import _pod_digest

    def ready(conditions: object) -> object:
        return _pod_digest({"status": {"conditions": conditions}})[3]

    assert ready([{"type": "PodScheduled", "status": "True"}]) is False
    assert ready([{"type": "Initialized", "status": "True"},
                  {"type": "Ready", "status": "True"}]) is True
    assert ready([{"type": "Ready", "status": "False"}, {"type": "Ready", "status": "True"}]
                 ) is False
    # An item that is no dict after the Ready condition is not read, as before.
    assert ready([{"type": "Ready", "status": "True"}, "junk"]) is True
