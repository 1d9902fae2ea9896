"""Validation shared by every kind: names, labels, annotations, selectors, object metadata.

Models ``k8s.io/apimachinery/pkg/util/validation/validation.go`` (the ``IsDNS1123Subdomain``
family and their exact messages, including the double space in ``e.g. 'a',  or 'b'``),
``k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` (``ValidateObjectMeta``) and
``k8s.io/apimachinery/pkg/apis/meta/v1/validation`` (labels and label selectors).

Checks return lists of strings (problems) like the Go ``Is*`` helpers, or lists of
:class:`~k8slab.api.errors.FieldError` like the ``Validate*`` functions.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import FieldError, forbidden_field, invalid_value, required

__all__ = [
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_qualified_name",
    "is_valid_label_value",
    "validate_annotations",
    "validate_label_selector",
    "validate_labels",
    "validate_object_meta",
    "validate_object_meta_update",
]

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"

_DNS1123_LABEL = re.compile("^" + DNS1123_LABEL_FMT + "$")
_DNS1123_SUBDOMAIN = re.compile("^" + DNS1123_SUBDOMAIN_FMT + "$")
_DNS1035_LABEL = re.compile("^" + DNS1035_LABEL_FMT + "$")
_QUALIFIED_NAME = re.compile("^" + QUALIFIED_NAME_FMT + "$")
_LABEL_VALUE = re.compile("^" + LABEL_VALUE_FMT + "$")


def _regex_error(msg: str, fmt: str, *examples: str) -> str:
    # validation.go regexError: each example is followed by ", " and joined with " or ".
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. "
    for i, ex in enumerate(examples):
        if i > 0:
            text += " or "
        text += f"'{ex}', "
    return text + f"regex used for validation is '{fmt}')"


def _max_len(n: int) -> str:
    return f"must be no more than {n} characters"


def is_dns1123_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not _DNS1123_LABEL.match(value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character",
            DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(_max_len(253))
    if not _DNS1123_SUBDOMAIN.match(value):
        errs.append(_regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not _DNS1035_LABEL.match(value):
        errs.append(_regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            "with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


def is_qualified_name(value: str) -> list[str]:
    """``IsQualifiedName``: ``[prefix/]name`` as used by label and annotation keys."""
    errs: list[str] = []
    parts = value.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        else:
            errs.extend("prefix part " + m for m in is_dns1123_subdomain(prefix))
    else:
        return [_regex_error(
            "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and "
            "must start and end with an alphanumeric character",
            QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name) > 63:
        errs.append("name part " + _max_len(63))
    if name and not _QUALIFIED_NAME.match(name):
        errs.append("name part " + _regex_error(
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
            "with an alphanumeric character", QUALIFIED_NAME_FMT, "MyName", "my.name",
            "123-abc"))
    return errs


def is_valid_label_value(value: str) -> list[str]:
    errs = []
    if len(value) > 63:
        errs.append(_max_len(63))
    if not _LABEL_VALUE.match(value):
        errs.append(_regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def validate_labels(labels: dict[str, Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in sorted(labels or {}):
        for msg in is_qualified_name(key):
            errs.append(invalid_value(path, key, msg))
        value = (labels or {})[key]
        for msg in is_valid_label_value(str(value)):
            errs.append(invalid_value(f"{path}", value, msg))
    return errs


_TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def validate_annotations(annotations: dict[str, Any] | None, path: str) -> list[FieldError]:
    errs: list[FieldError] = []
    total = 0
    for key in sorted(annotations or {}):
        for msg in is_qualified_name(key.lower()):
            errs.append(invalid_value(path, key, msg))
        total += len(key) + len(str((annotations or {})[key]))
    if total > _TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(FieldError("Too long", path, detail=f"must have at most "
                               f"{_TOTAL_ANNOTATION_SIZE_LIMIT} bytes"))
    return errs


def validate_label_selector(selector: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateLabelSelector``: keys, operators and value lists of matchExpressions."""
    if selector is None:
        return []
    errs: list[FieldError] = []
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        p = f"{path}.matchExpressions[{i}]"
        op = expr.get("operator")
        values = expr.get("values") or []
        if op in ("In", "NotIn"):
            if not values:
                errs.append(required(f"{p}.values",
                                     "must be specified when `operator` is 'In' or 'NotIn'"))
        elif op in ("Exists", "DoesNotExist"):
            if values:
                errs.append(forbidden_field(
                    f"{p}.values", "may not be specified when `operator` is 'Exists' or "
                    "'DoesNotExist'"))
        else:
            errs.append(invalid_value(f"{p}.operator", op, "not a valid selector operator"))
        for msg in is_qualified_name(str(expr.get("key", ""))):
            errs.append(invalid_value(f"{p}.key", expr.get("key", ""), msg))
    errs.extend(validate_labels(selector.get("matchLabels"), f"{path}.matchLabels"))
    return errs


def _name_errors(name: str, name_check: str) -> list[str]:
    check = {
        "subdomain": is_dns1123_subdomain,
        "label": is_dns1123_label,
        "dns1035": is_dns1035_label,
    }[name_check]
    return check(name)


def validate_object_meta(
    meta: dict[str, Any],
    *,
    namespaced: bool,
    name_check: str = "subdomain",
    path: str = "metadata",
) -> list[FieldError]:
    """``ValidateObjectMeta``: name (or generateName), namespace, labels, annotations,
    owner references and finalizers."""
    errs: list[FieldError] = []
    name = meta.get("name")
    if not name:
        if not meta.get("generateName"):
            errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        for msg in _name_errors(name, name_check):
            errs.append(invalid_value(f"{path}.name", name, msg))
    if namespaced:
        ns = meta.get("namespace")
        if not ns:
            errs.append(required(f"{path}.namespace"))
        else:
            for msg in is_dns1123_label(ns):
                errs.append(invalid_value(f"{path}.namespace", ns, msg))
    elif meta.get("namespace"):
        errs.append(forbidden_field(f"{path}.namespace",
                                    "not allowed on this type"))
    errs.extend(validate_labels(meta.get("labels"), f"{path}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{path}.annotations"))
    for i, ref in enumerate(meta.get("ownerReferences") or []):
        p = f"{path}.ownerReferences[{i}]"
        for field in ("apiVersion", "kind", "name", "uid"):
            if not ref.get(field):
                errs.append(invalid_value(f"{p}.{field}", ref.get(field, ""),
                                          f"{field} must not be empty"))
    for i, fin in enumerate(meta.get("finalizers") or []):
        for msg in is_qualified_name(fin):
            errs.append(invalid_value(f"{path}.finalizers[{i}]", fin, msg))
    return errs


def validate_object_meta_update(
    new: dict[str, Any], old: dict[str, Any], path: str = "metadata"
) -> list[FieldError]:
    """``ValidateObjectMetaUpdate``: identity fields are immutable."""
    errs: list[FieldError] = []
    for field in ("name", "namespace", "uid", "creationTimestamp"):
        if new.get(field) != old.get(field):
            errs.append(invalid_value(f"{path}.{field}", new.get(field),
                                      "field is immutable"))
    return errs
