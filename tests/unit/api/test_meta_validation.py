"""ObjectMeta, label and name validation against apimachinery's messages.

References: staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
pkg/util/validation/validation.go, pkg/api/validate/content/{kube,dns,errors}.go and
pkg/util/validation/field/errors.go (``ErrorBody``, ``ToAggregate``).
"""

from __future__ import annotations

from typing import Any

from k8slab.api.errors import FieldError, aggregate, go_repr, go_struct, invalid
from k8slab.api.validation.meta import (
    VALID_NAMESPACES,
    is_dns1123_label,
    is_qualified_name,
    is_valid_label_value,
    validate_label_selector,
    validate_object_meta,
    validate_object_meta_update,
)

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)


def test_error_body_renders_bad_values_like_field_error() -> None:
    # field/errors.go ErrorBody: %v for numbers and bools, %q for strings, json otherwise.
    assert str(FieldError("Invalid value", "spec.replicas", -1, "x")) == \
        "spec.replicas: Invalid value: -1: x"
    assert go_repr("a\"b") == '"a\\"b"'
    assert go_repr({"b": "2", "a": "1"}) == '{"a":"1","b":"2"}'
    assert go_repr(["x", "y"]) == '["x","y"]'
    assert go_repr(None) == "null"
    assert go_repr(True) == "true"
    assert go_struct([("Name", ""), ("Port", 80)]).text == '{"Name":"","Port":80}'
    # Required, Forbidden and Too long never print the value.
    assert str(FieldError("Required value", "spec.containers")) == \
        "spec.containers: Required value"


def test_aggregate_deduplicates_and_brackets() -> None:
    a = FieldError("Required value", "a")
    b = FieldError("Required value", "b")
    assert aggregate([a]) == "a: Required value"
    assert aggregate([a, b, a]) == "[a: Required value, b: Required value]"
    err = invalid("Pod", "", "x", [a])
    assert err.message == 'Pod "x" is invalid: a: Required value'
    assert err.code == 422


def test_bad_name_reports_the_subdomain_regex() -> None:
    errs = validate_object_meta({"name": "Web_1", "namespace": "default"}, namespaced=True)
    assert [str(e) for e in errs] == [f'metadata.name: Invalid value: "Web_1": {SUBDOMAIN_MSG}']


def test_generate_name_is_validated_as_a_prefix() -> None:
    # generic.go NameIsDNSSubdomain(prefix=true) masks the trailing dash.
    assert validate_object_meta({"name": "web-abcde", "generateName": "web-",
                                 "namespace": "default"}, namespaced=True) == []
    errs = validate_object_meta({"name": "Web-abcde", "generateName": "Web-",
                                 "namespace": "default"}, namespaced=True)
    assert [e.field for e in errs] == ["metadata.generateName", "metadata.name"]


def test_dns_label_with_dots_says_so() -> None:
    # util/validation IsDNS1123Label: a valid subdomain that is not a label.
    assert is_dns1123_label("t.cs.1") == ["must not contain dots"]


def test_label_key_and_value_messages() -> None:
    # content/kube.go: label keys and values measure in bytes.
    assert is_valid_label_value("x" * 64)[0] == "must be no more than 63 bytes"
    assert is_qualified_name("a/b/c")[0].startswith("a valid label key must consist of")
    assert is_qualified_name("/x") == ["prefix part must be non-empty"]
    msg = is_qualified_name("-x")[0]
    assert msg.startswith("name part must consist of alphanumeric characters")
    assert "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex" in msg


def test_owner_reference_paths_have_no_index() -> None:
    errs = validate_object_meta({"name": "p", "namespace": "default", "ownerReferences": [
        {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "rs", "uid": ""}]},
        namespaced=True)
    assert [str(e) for e in errs] == [
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty']


def test_unqualified_finalizer_is_rejected() -> None:
    errs = validate_object_meta({"name": "p", "namespace": "default",
                                 "finalizers": ["cleanup"]}, namespaced=True)
    assert [str(e) for e in errs] == [
        'metadata.finalizers[0]: Invalid value: "cleanup": name is neither a standard '
        "finalizer name nor is it fully qualified"]


def test_label_selector_checks_match_labels_first() -> None:
    errs = validate_label_selector({"matchLabels": {"a": "-"}, "matchExpressions": [
        {"key": "b", "operator": "In"}]}, "spec.selector")
    assert [e.field for e in errs] == ["spec.selector.matchLabels",
                                       "spec.selector.matchExpressions[0].values"]
    assert errs[1].body() == \
        "Required value: must be specified when `operator` is 'In' or 'NotIn'"


def test_meta_update_name_is_immutable_and_no_new_finalizers_while_deleting() -> None:
    old = {"name": "a", "namespace": "default", "deletionTimestamp": "2026-06-01T08:00:00Z"}
    new = {"name": "a", "namespace": "default", "deletionTimestamp": "2026-06-01T08:00:00Z",
           "finalizers": ["example.com/x"]}
    errs = validate_object_meta_update(new, old)
    assert [str(e) for e in errs] == [
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being "
        'deleted, found new finalizers []string{"example.com/x"}']


def test_remembered_namespaces_give_the_full_answers() -> None:
    # validate_object_meta skips the label check of a namespace it accepted before: with the
    # set warm, every answer must be the one given with the set emptied (a namespace it
    # refused must never be remembered).
    namespaces: list[Any] = ["default", "Bad.NS", "a" * 64, "ok-ns", "ns_y", "", None, "a.b",
                             "default", "Bad.NS", "a" * 64, "ns_y", "a.b"]
    for ns in namespaces:
        meta = {"name": "x", "namespace": ns}
        warm = [validate_object_meta(meta, namespaced=True) for _ in range(2)]
        VALID_NAMESPACES.clear()
        cold = validate_object_meta(meta, namespaced=True)
        assert warm == [cold, cold], ns
    assert validate_object_meta({"name": "x", "namespace": "Bad.NS"}, namespaced=True) != []
