"""The validation shortcuts the hot write paths take give the full checks' answers.

References: pkg/util/validation/validation.go (``IsDNS1123Subdomain``) and
staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go
(``ValidateObjectMetaUpdate``): the shortcuts must not change any result.
"""

from __future__ import annotations

import re

from k8slab.api.validation.meta import (
    DNS1123_SUBDOMAIN_FMT,
    is_dns1123_subdomain,
    validate_object_meta_update,
)

_SUBDOMAIN = re.compile("^" + DNS1123_SUBDOMAIN_FMT + "$")


def _full(value: str) -> bool:
    return len(value.encode()) <= 253 and bool(_SUBDOMAIN.match(value))


def test_child_of_a_remembered_subdomain_matches_the_full_check() -> None:
    parent = "web-7d4b9c8f5-x2x7k"
    assert is_dns1123_subdomain(parent) == []  # now remembered
    long_parent = "a" * 240
    assert is_dns1123_subdomain(long_parent) == []
    for child in (f"{parent}.18f3a2b4c5d6e7f8", f"{parent}.Upper", f"{parent}.", f"{parent}.-x",
                  f"{parent}.x-", f"{parent}.a\n", f"{long_parent}.0123456789abc",
                  f"{long_parent}.0123456789ab", f"{parent}.é"):
        assert (is_dns1123_subdomain(child) == []) == _full(child), child


def test_status_update_skips_only_maps_shared_with_the_stored_object() -> None:
    bad_labels = {"bad key!": "v"}
    old = {"name": "p", "namespace": "default", "uid": "u", "labels": bad_labels,
           "finalizers": ["orphan", "foregroundDeletion"]}
    new = dict(old)
    # Shared labels are known valid when the kind validates them on every write…
    errs = validate_object_meta_update(new, old, old_validated=True)
    assert [e.field for e in errs] == ["metadata.finalizers"]  # finalizers are always checked
    # …but not without that promise, nor when the map is a different object.
    assert "metadata.labels" in [e.field for e in validate_object_meta_update(new, old)]
    changed = {**old, "labels": dict(bad_labels)}
    assert "metadata.labels" in [
        e.field for e in validate_object_meta_update(changed, old, old_validated=True)]


def test_unchanged_metadata_of_a_status_update_gives_the_full_checks_answer() -> None:
    # An unchanged metadata (what a status update carries) skips the checks; any change,
    # and any finalizers, still go through them.
    old = {"name": "p", "namespace": "default", "uid": "u", "labels": {"app": "web"},
           "resourceVersion": "7"}
    assert validate_object_meta_update(dict(old), old, old_validated=True) == []
    renamed = {**old, "name": "q"}
    assert [e.field for e in validate_object_meta_update(renamed, old, old_validated=True)] \
        == ["metadata.name"]
    odd = {**old, "finalizers": ["orphan", "foregroundDeletion"]}
    assert [e.field for e in validate_object_meta_update(dict(odd), odd, old_validated=True)] \
        == ["metadata.finalizers"]
