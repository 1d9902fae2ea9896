"""Lease validation remembers accepted metadata and still gives the full check's answers.

Reference: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
(``ValidateObjectMeta``) and pkg/apis/coordination/validation (``ValidateLease``): a Lease
renewal copies the stored metadata's values, whose verdict ``validate_object_meta_remembered``
keeps; any edit a learner can ``kubectl apply`` must be judged as the full check judges it.
"""

from __future__ import annotations

from typing import Any

from k8slab.api.validation.core import validate_lease
from k8slab.api.validation.meta import validate_object_meta, validate_object_meta_remembered

_BASE: dict[str, Any] = {
    "name": "node-1", "namespace": "kube-node-lease", "uid": "u-1", "resourceVersion": "5",
    "labels": {"app": "lease"}, "annotations": {"note": "x"},
    "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": "node-1", "uid": "n-1"}],
}


def _edits(base: dict[str, Any]) -> list[dict[str, Any]]:
    """Copies of ``base`` that each change one thing (shared values stay shared)."""
    refs = base["ownerReferences"]
    return [
        {**base, "resourceVersion": "6"},  # a renewal: same verdict
        {**base, "name": "Bad_Name"},
        {**base, "name": ""},
        {**base, "name": "node-2"},
        {**base, "namespace": "Bad.NS"},
        {**base, "namespace": ""},
        {**base, "generateName": "bad_"},
        {**base, "generation": -1},
        {**base, "generation": 3},
        {**base, "labels": {"bad key!": "v"}},
        {**base, "labels": {"app": "-bad-"}},
        {**base, "annotations": {"/x": "y"}},
        {**base, "ownerReferences": [{**refs[0], "uid": ""}]},
        {**base, "ownerReferences": [{**refs[0], "controller": True},
                                     {**refs[0], "name": "b", "controller": True}]},
        {**base, "finalizers": ["orphan", "foregroundDeletion"]},
        {**base, "finalizers": ["not-qualified"]},
        {**base, "finalizers": ["example.com/ok"]},
        {k: v for k, v in base.items() if k != "labels"},
    ]


def test_remembered_metadata_verdicts_match_the_full_check() -> None:
    base = dict(_BASE)
    assert validate_object_meta_remembered(base, namespaced=True) == []  # now remembered
    for edited in _edits(base):
        for _ in range(2):  # the second call may find an accepted copy remembered
            assert validate_object_meta_remembered(edited, namespaced=True) == \
                validate_object_meta(edited, namespaced=True), edited
        # The same values under another flavour or path are judged afresh.
        assert validate_object_meta_remembered(edited, namespaced=False, path="m") == \
            validate_object_meta(edited, namespaced=False, path="m"), edited


def test_a_renewal_keeps_the_verdict_and_an_edited_lease_gets_the_full_errors() -> None:
    lease = {"metadata": dict(_BASE),
             "spec": {"holderIdentity": "node-1", "leaseDurationSeconds": 40}}
    assert validate_lease(lease) == []
    renewed = {"metadata": {**lease["metadata"], "resourceVersion": "6"},
               "spec": {**lease["spec"], "leaseDurationSeconds": 0, "leaseTransitions": -1}}
    assert [(e.field, e.detail) for e in validate_lease(renewed)] == [
        ("spec.leaseDurationSeconds", "must be greater than 0"),
        ("spec.leaseTransitions", "must be greater than or equal to 0")]
    for edited in _edits(lease["metadata"]):
        assert validate_lease({**lease, "metadata": edited}) == \
            validate_object_meta(edited, namespaced=True), edited
