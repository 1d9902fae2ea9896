"""Validation shared by every kind: names, labels, annotations, selectors, object metadata.

Models ``k8s.io/apimachinery/pkg/util/validation/validation.go`` (the ``IsDNS1123Subdomain``
family and their exact messages, including the double space in ``e.g. 'a',  or 'b'``),
``k8s.io/apimachinery/pkg/api/validate/content`` (label keys and values, whose length errors
say ``bytes`` where the DNS helpers still say ``characters``),
``k8s.io/apimachinery/pkg/api/validation/objectmeta.go`` and ``generic.go``
(``ValidateObjectMeta``, ``NameIsDNSSubdomain``…) and
``k8s.io/apimachinery/pkg/apis/meta/v1/validation`` (labels and label selectors).

Checks return lists of strings (problems) like the Go ``Is*`` helpers, or lists of
:class:`~k8slab.api.errors.FieldError` like the ``Validate*`` functions. Go iterates maps in
random order; we iterate keys sorted, so several errors come out in a stable order.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ...sim.memo import Passed
from ..errors import FieldError, forbidden_field, invalid_value, required, too_long

__all__ = [
    "NAME_CHECKS",
    "VALID_NAMESPACES",
    "inclusive_range_error",
    "is_config_map_key",
    "is_dns1035_label",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_env_var_name",
    "is_qualified_name",
    "is_valid_ip",
    "is_valid_label_value",
    "is_valid_port_name",
    "is_valid_port_num",
    "name_is_dns1035_label",
    "name_is_dns_label",
    "name_is_dns_subdomain",
    "regex_error",
    "validate_annotations",
    "validate_finalizers",
    "validate_immutable",
    "validate_label_name",
    "validate_label_selector",
    "validate_labels",
    "validate_nonnegative",
    "validate_object_meta",
    "validate_object_meta_remembered",
    "validate_object_meta_update",
    "validate_owner_references",
]

DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + r"(\." + DNS1123_LABEL_FMT + ")*"
DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?"
QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?"
ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+"

_DNS1123_LABEL = re.compile("^" + DNS1123_LABEL_FMT + "$")
_DNS1123_SUBDOMAIN = re.compile("^" + DNS1123_SUBDOMAIN_FMT + "$")
_DNS1035_LABEL = re.compile("^" + DNS1035_LABEL_FMT + "$")
_QUALIFIED_NAME = re.compile("^" + QUALIFIED_NAME_FMT + "$")
_LABEL_VALUE = re.compile("^" + LABEL_VALUE_FMT + "$")
_ENV_VAR_NAME = re.compile("^" + ENV_VAR_NAME_FMT + "$")
_CONFIG_MAP_KEY = re.compile("^" + CONFIG_MAP_KEY_FMT + "$")
_PORT_NAME_CHARSET = re.compile("^[-a-z0-9]+$")
_PORT_NAME_LETTER = re.compile("[a-z]")

IS_NEGATIVE_ERROR_MSG = "must be greater than or equal to 0"
FIELD_IMMUTABLE_ERROR_MSG = "field is immutable"
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """``RegexError``: each example is followed by ``", "`` and joined with ``" or "``."""
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    text = msg + " (e.g. "
    for i, ex in enumerate(examples):
        if i > 0:
            text += " or "
        text += f"'{ex}', "
    return text + f"regex used for validation is '{fmt}')"


def _max_len(n: int) -> str:
    # util/validation.MaxLenError (DNS names, port names, config keys)
    return f"must be no more than {n} characters"


def _max_len_bytes(n: int) -> str:
    # validate/content.MaxLenError (label keys and values)
    return f"must be no more than {n} bytes"


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


_CheckFn = Callable[[str], list[str]]


def _remember_valid(check: _CheckFn) -> _CheckFn:
    """Remember the strings a pure ``Is*`` check accepted.

    Components write the same names, namespaces, label keys and addresses over and over (every
    status update of 30,000 pods revalidates its metadata); a string found valid stays valid.
    Only successes are kept, so error messages are always computed afresh.
    """
    valid: set[str] = set()

    def remembered(value: str) -> list[str]:
        if type(value) is str and value in valid:
            return []
        errs = check(value)
        if not errs and type(value) is str:
            if len(valid) >= 65536:
                valid.clear()
            valid.add(value)
        return errs

    remembered.__name__ = check.__name__
    remembered.__qualname__ = check.__qualname__
    remembered.__doc__ = check.__doc__
    remembered.valid = valid  # type: ignore[attr-defined]
    return remembered


# Fast acceptance of the DNS names: one match of the whole string, no capture groups. A name
# it accepts is ASCII (so its length in characters is its length in bytes) and is accepted by
# the checks below, which give every other name its answer and messages. They match with "$",
# which also accepts a name followed by a single "\n": fullmatch does not, so such a name
# takes the full check and keeps that answer.
_DNS1123_LABEL_EXACT = re.compile("[a-z0-9](?:[-a-z0-9]*[a-z0-9])?")
_DNS1123_SUBDOMAIN_EXACT = re.compile(
    r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*")


def is_dns1123_label(value: str) -> list[str]:
    """``IsDNS1123Label``.

    Valid names are accepted by one regex match: most are new (a pod's token volume, an
    Event's name), so remembering them would not pay.
    """
    if type(value) is str and len(value) <= 63 and _DNS1123_LABEL_EXACT.fullmatch(value):
        return []
    return _dns1123_label_errors(value)


def _dns1123_label_errors(value: str) -> list[str]:
    errs = []
    if len(value.encode()) > 63:
        errs.append(_max_len(63))
    if not _DNS1123_LABEL.match(value):
        if _DNS1123_SUBDOMAIN.match(value):
            # A valid subdomain that is not a valid label: it has dots.
            errs.append("must not contain dots")
        else:
            errs.append(regex_error(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                "or '-', and must start and end with an alphanumeric character",
                DNS1123_LABEL_FMT, "my-name", "123-abc"))
    return errs


def is_dns1123_subdomain(value: str) -> list[str]:
    """``IsDNS1123Subdomain`` (valid names as in :func:`is_dns1123_label`)."""
    if type(value) is str and len(value) <= 253 and _DNS1123_SUBDOMAIN_EXACT.fullmatch(value):
        return []
    return _dns1123_subdomain_errors(value)


def _dns1123_subdomain_errors(value: str) -> list[str]:
    errs = []
    if len(value.encode()) > 253:
        errs.append(_max_len(253))
    if not _DNS1123_SUBDOMAIN.match(value):
        errs.append(regex_error(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
            "'-' or '.', and must start and end with an alphanumeric character",
            DNS1123_SUBDOMAIN_FMT, "example.com"))
    return errs


@_remember_valid
def is_dns1035_label(value: str) -> list[str]:
    errs = []
    if len(value.encode()) > 63:
        errs.append(_max_len(63))
    if not _DNS1035_LABEL.match(value):
        errs.append(regex_error(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
            "with an alphabetic character, and end with an alphanumeric character",
            DNS1035_LABEL_FMT, "my-name", "abc-123"))
    return errs


_LABEL_KEY_MSG = ("must consist of alphanumeric characters, '-', '_' or '.', and must start and "
                  "end with an alphanumeric character")


@_remember_valid
def is_qualified_name(value: str) -> list[str]:
    """``content.IsLabelKey``: ``[prefix/]name`` as used by label and annotation keys."""
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
        return ["a valid label key " + regex_error(
            _LABEL_KEY_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    elif len(name.encode()) > 63:
        errs.append("name part " + _max_len_bytes(63))
    if not _QUALIFIED_NAME.match(name):
        errs.append("name part " + regex_error(
            _LABEL_KEY_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"))
    return errs


@_remember_valid
def is_valid_label_value(value: str) -> list[str]:
    """``content.IsLabelValue``."""
    errs = []
    if len(value.encode()) > 63:
        errs.append(_max_len_bytes(63))
    if not _LABEL_VALUE.match(value):
        errs.append(regex_error(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character",
            LABEL_VALUE_FMT, "MyValue", "my_value", "12345"))
    return errs


def is_valid_port_num(port: Any) -> list[str]:
    if isinstance(port, int) and not isinstance(port, bool) and 1 <= port <= 65535:
        return []
    return [inclusive_range_error(1, 65535)]


def is_valid_port_name(port: str) -> list[str]:
    """``IsValidPortName``: an IANA_SVC_NAME (at most 15 characters, at least one letter)."""
    errs = []
    if len(port) > 15:
        errs.append(_max_len(15))
    if not _PORT_NAME_CHARSET.match(port):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER.search(port):
        errs.append("must contain at least one letter (a-z)")
    if "--" in port:
        errs.append("must not contain consecutive hyphens")
    if port and (port[0] == "-" or port[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def _has_chdir_prefix(value: str) -> list[str]:
    if value == ".":
        return ["must not be '.'"]
    if value == "..":
        return ["must not be '..'"]
    if value.startswith(".."):
        return ["must not start with '..'"]
    return []


@_remember_valid
def is_env_var_name(value: str) -> list[str]:
    errs = []
    if not _ENV_VAR_NAME.match(value):
        errs.append(regex_error(
            "a valid environment variable name must consist of alphabetic characters, digits, "
            "'_', '-', or '.', and must not start with a digit", ENV_VAR_NAME_FMT,
            "my.env-name", "MY_ENV.NAME", "MyEnvName1"))
    return errs + _has_chdir_prefix(value)


@_remember_valid
def is_config_map_key(value: str) -> list[str]:
    errs = []
    if len(value) > 253:
        errs.append(_max_len(253))
    if not _CONFIG_MAP_KEY.match(value):
        errs.append(regex_error(
            "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
            CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"))
    return errs + _has_chdir_prefix(value)


_VALID_IPS: set[str] = set()


def is_valid_ip(path: str, value: str) -> list[FieldError]:
    """``IsValidIP``: a plain IPv4 or IPv6 address (no leading zeros)."""
    import ipaddress

    if value in _VALID_IPS:
        return []
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return [invalid_value(path, value,
                              "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")]
    if len(_VALID_IPS) >= 65536:
        _VALID_IPS.clear()
    _VALID_IPS.add(value)
    return []


# ------------------------------------------------------------------ names (generic.go)

def _mask_trailing_dash(name: str) -> str:
    # generateName prefixes may end in "-": the random suffix follows.
    if len(name) > 1 and name.endswith("-"):
        return name[:-1] + "a"
    return name


def name_is_dns_subdomain(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_subdomain(_mask_trailing_dash(name) if prefix else name)


def name_is_dns_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1123_label(_mask_trailing_dash(name) if prefix else name)


def name_is_dns1035_label(name: str, prefix: bool = False) -> list[str]:
    return is_dns1035_label(_mask_trailing_dash(name) if prefix else name)


NameCheck = Callable[[str, bool], list[str]]

NAME_CHECKS: dict[str, NameCheck] = {
    "subdomain": name_is_dns_subdomain,
    "label": name_is_dns_label,
    "dns1035": name_is_dns1035_label,
}


# ------------------------------------------------------------------ labels and annotations

# Stored objects are never mutated and many share their labels, annotations and owner
# references (pods of one ReplicaSet, every status update of one pod): a map found valid at a
# path stays valid. Only successes are remembered, pinned so their ids cannot be reused.
_VALID: dict[tuple[int, str], Any] = {}


def _memo(fn: Callable[[Any, str], list[FieldError]], obj: Any, path: str) -> list[FieldError]:
    if not obj:
        return fn(obj, path)
    key = (id(obj), path)
    if _VALID.get(key) is obj:
        return []
    errs = fn(obj, path)
    if not errs:
        if len(_VALID) > 8192:
            _VALID.clear()
        _VALID[key] = obj
    return errs


def validate_label_name(name: str, path: str) -> list[FieldError]:
    return [invalid_value(path, name, msg) for msg in is_qualified_name(name)]


def validate_labels(labels: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateLabels``: every key a qualified name, every value a label value."""
    errs: list[FieldError] = []
    if not isinstance(labels, dict):
        return errs
    for key in sorted(labels):
        errs.extend(validate_label_name(key, path))
        value = labels[key]
        for msg in is_valid_label_value(str(value)):
            errs.append(invalid_value(path, value, msg))
    return errs


def validate_annotations(annotations: dict[str, Any] | None, path: str) -> list[FieldError]:
    """``ValidateAnnotations``: keys are qualified names compared case-insensitively; the total
    size of keys and values is at most 256 KiB."""
    errs: list[FieldError] = []
    if not isinstance(annotations, dict):
        return errs
    total = 0
    for key in sorted(annotations):
        for msg in is_qualified_name(key.lower()):
            errs.append(invalid_value(path, key, msg))
        total += len(key.encode()) + len(str(annotations[key]).encode())
    if total > TOTAL_ANNOTATION_SIZE_LIMIT:
        errs.append(too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT))
    return errs


def validate_label_selector(
    selector: dict[str, Any] | None, path: str, *, allow_invalid_values: bool = False
) -> list[FieldError]:
    """``ValidateLabelSelector``: matchLabels, then each matchExpression."""
    if not isinstance(selector, dict):
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{path}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        p = f"{path}.matchExpressions[{i}]"
        op = expr.get("operator", "")
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
        errs.extend(validate_label_name(str(expr.get("key", "")), f"{p}.key"))
        if not allow_invalid_values:
            for j, v in enumerate(values):
                for msg in is_valid_label_value(str(v)):
                    errs.append(invalid_value(f"{p}.values[{j}]", v, msg))
    return errs


# ------------------------------------------------------------------ object metadata

def validate_nonnegative(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        return [invalid_value(path, value, IS_NEGATIVE_ERROR_MSG)]
    return []


def semantic_equal(a: Any, b: Any) -> bool:
    """``apiequality.Semantic.DeepEqual`` on JSON-like values: a missing field, ``null`` and an
    empty list or map are all the zero value."""
    empty: tuple[None, list[Any], dict[str, Any]] = (None, [], {})
    if a in empty and b in empty and not (a == "" or b == ""):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) | set(b)
        return all(semantic_equal(a.get(k), b.get(k)) for k in keys)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(semantic_equal(x, y) for x, y in zip(a, b, strict=True))
    return a == b


def validate_immutable(new: Any, old: Any, path: str) -> list[FieldError]:
    """``ValidateImmutableField``: ``Invalid value: <new>: field is immutable``."""
    if semantic_equal(new, old):
        return []
    return [invalid_value(path, new, FIELD_IMMUTABLE_ERROR_MSG)]


def _api_version_version(api_version: str) -> str:
    # schema.FromAPIVersionAndKind: "apps/v1" → v1, "v1" → v1, "a/b/c" → "" (unparseable).
    parts = api_version.split("/")
    if len(parts) == 1:
        return parts[0]
    if len(parts) == 2:
        return parts[1]
    return ""


def validate_owner_references(refs: Any, path: str) -> list[FieldError]:
    """``ValidateOwnerReferences``: note the path has no index (upstream reports
    ``metadata.ownerReferences.uid``)."""
    errs: list[FieldError] = []
    first_controller = ""
    for ref in refs if isinstance(refs, list) else []:
        if not isinstance(ref, dict):
            continue
        if not _api_version_version(str(ref.get("apiVersion", ""))):
            errs.append(invalid_value(f"{path}.apiVersion", ref.get("apiVersion", ""),
                                      "version must not be empty"))
        for key in ("kind", "name", "uid"):
            if not ref.get(key):
                errs.append(invalid_value(f"{path}.{key}", ref.get(key, ""), "must not be empty"))
        if ref.get("apiVersion") == "v1" and ref.get("kind") == "Event":
            errs.append(invalid_value(path, ref, "/v1, Kind=Event is disallowed from being an "
                                      "owner"))
        if ref.get("controller") is True:
            current = f"{ref.get('kind', '')}/{ref.get('name', '')}"
            if first_controller:
                errs.append(invalid_value(
                    path, refs, "Only one reference can have Controller set to true. Found "
                    f'"true" in references for {first_controller} and {current}'))
            else:
                first_controller = current
    return errs


_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")


def validate_finalizers(finalizers: Any, path: str) -> list[FieldError]:
    """``ValidateFinalizers`` plus core's ``validateKubeFinalizerName`` (indexed path)."""
    errs: list[FieldError] = []
    names = [f for f in finalizers if isinstance(f, str)] if isinstance(finalizers, list) else []
    for name in names:
        for msg in is_qualified_name(name):
            errs.append(invalid_value(path, name, msg))
    if "orphan" in names and "foregroundDeletion" in names:
        errs.append(invalid_value(path, names,
                                  "finalizer orphan and foregroundDeletion cannot be both set"))
    for i, name in enumerate(names):
        if "/" not in name and name not in _STANDARD_FINALIZERS:
            errs.append(invalid_value(f"{path}[{i}]", name, "name is neither a standard "
                                      "finalizer name nor is it fully qualified"))
    return errs


# A cluster has a few namespaces and every namespaced write checks its own: the names accepted
# are remembered. validate_event's fast path asks the set of them too.
_namespace_label = _remember_valid(is_dns1123_label)
VALID_NAMESPACES: set[str] = _namespace_label.valid  # type: ignore[attr-defined]


def validate_object_meta(
    meta: dict[str, Any],
    *,
    namespaced: bool,
    name_check: str = "subdomain",
    path: str = "metadata",
) -> list[FieldError]:
    """``ValidateObjectMeta`` (core flavour): generateName, name, namespace, generation,
    labels, annotations, owner references and finalizers, in upstream's order."""
    check = NAME_CHECKS[name_check]
    errs: list[FieldError] = []
    generate = meta.get("generateName")
    if generate:
        for msg in check(generate, True):
            errs.append(invalid_value(f"{path}.generateName", generate, msg))
    name = meta.get("name")
    if not name:
        errs.append(required(f"{path}.name", "name or generateName is required"))
    else:
        for msg in check(name, False):
            errs.append(invalid_value(f"{path}.name", name, msg))
    ns = meta.get("namespace")
    if namespaced:
        if not ns:
            errs.append(required(f"{path}.namespace"))
        elif not (type(ns) is str and ns in VALID_NAMESPACES):  # (a known one without a call)
            for msg in _namespace_label(ns):
                errs.append(invalid_value(f"{path}.namespace", ns, msg))
    elif ns:
        errs.append(forbidden_field(f"{path}.namespace", "not allowed on this type"))
    if _GENERATION_AND_MAP_KEYS.isdisjoint(meta):
        return errs  # nothing more to check (an Event's metadata)
    generation = meta.get("generation")
    if generation:
        errs.extend(validate_nonnegative(generation, f"{path}.generation"))
    _meta_maps(meta, path, errs)
    return errs


# Everything of the metadata validate_object_meta reads (a key it finds missing reads as None,
# which it treats as a missing key).
_OBJECT_META_FIELDS = ("generateName", "name", "namespace", "generation", "labels",
                       "annotations", "ownerReferences", "finalizers")

# Metadata found valid, by the ids of its values (pinned, so their ids cannot be reused).
_VALID_METAS = Passed()


def validate_object_meta_remembered(
    meta: dict[str, Any],
    *,
    namespaced: bool,
    name_check: str = "subdomain",
    path: str = "metadata",
) -> list[FieldError]:
    """:func:`validate_object_meta`, remembering the metadata it accepted.

    For kinds with few objects rewritten again and again with the very same metadata values
    (a Lease renewal copies the stored Lease's name, namespace and maps into a new metadata
    dict): the same (never mutated) values give the same verdict. Only successes are kept, so
    errors are always computed afresh; every object of a kind with many names (pods) would
    only fill the memo.
    """
    values = tuple(map(meta.get, _OBJECT_META_FIELDS))
    key = (path, name_check, namespaced, *map(id, values))
    if key in _VALID_METAS:
        return []
    errs = validate_object_meta(meta, namespaced=namespaced, name_check=name_check, path=path)
    if not errs:
        _VALID_METAS.remember(key, values)
    return errs


# The four checks of ValidateObjectMeta(Update) that read maps and lists; each accepts a
# missing or empty value.
_META_MAPS = (
    ("labels", validate_labels), ("annotations", validate_annotations),
    ("ownerReferences", validate_owner_references), ("finalizers", validate_finalizers),
)


# The maps every write of a kind validates (finalizers are not among them: a DELETE adds
# ``foregroundDeletion``/``orphan`` without validation).
_ALWAYS_VALIDATED = frozenset(("labels", "annotations", "ownerReferences"))


# Their keys: an Event's metadata (name, namespace and what the apiserver sets) has none.
_META_MAP_NAMES = tuple(key for key, _ in _META_MAPS)
_META_MAP_KEYS = frozenset(_META_MAP_NAMES)
_GENERATION_AND_MAP_KEYS = _META_MAP_KEYS | {"generation"}

# The four values (by id, pinned) of metadata whose maps all were checked and passed at a path
# (not taken on trust from the stored object): the pods of one ReplicaSet carry its one labels
# map and owner references list.
_VALID_MAP_SETS = Passed()


def _meta_maps(meta: dict[str, Any], path: str, errs: list[FieldError],
               old: dict[str, Any] | None = None) -> None:
    if _META_MAP_KEYS.isdisjoint(meta):
        return
    values = tuple(map(meta.get, _META_MAP_NAMES))
    key = (path, *map(id, values))
    if key in _VALID_MAP_SETS:
        return
    passed = True  # every map checked here and found valid
    for (name, check), value in zip(_META_MAPS, values, strict=True):
        if value:
            if old is not None and name in _ALWAYS_VALIDATED and value is old.get(name):
                passed = False  # taken on trust from the stored object: not remembered
                continue
            found = _memo(check, value, f"{path}.{name}")
            if found:
                errs.extend(found)
                passed = False
    if passed:
        _VALID_MAP_SETS.remember(key, values)


_IMMUTABLE_META = ("name", "namespace", "uid", "creationTimestamp", "deletionTimestamp",
                   "deletionGracePeriodSeconds")


def validate_object_meta_update(
    new: dict[str, Any], old: dict[str, Any], path: str = "metadata", *,
    old_validated: bool = False,
) -> list[FieldError]:
    """``ValidateObjectMetaUpdate`` (core flavour).

    ``old_validated``: every write of this kind validates labels, annotations and owner
    references at ``path``, so the very same (never mutated) map the stored object carries is
    known to pass and is not checked again — a status update shares them with the old object.
    """
    if old_validated and "finalizers" not in new and new == old:
        # Unchanged (a status update keeps the metadata): every check below compares new
        # with old, or checks maps the stored object already passed (finalizers excepted,
        # which a DELETE adds unchecked).
        return []
    errs: list[FieldError] = []
    if old.get("deletionTimestamp"):
        extra = sorted(set(new.get("finalizers") or []) - set(old.get("finalizers") or []))
        if extra:
            listed = ", ".join(f'"{f}"' for f in extra)
            errs.append(forbidden_field(
                f"{path}.finalizers", "no new finalizers can be added if the object is being "
                f"deleted, found new finalizers []string{{{listed}}}"))
    if (new.get("generation") or 0) < (old.get("generation") or 0):
        errs.append(invalid_value(f"{path}.generation", new.get("generation") or 0,
                                  "must not be decremented"))
    # Compared at once (a Lease renewal, a Node heartbeat keep them all), then one by one.
    if tuple(map(new.get, _IMMUTABLE_META)) != tuple(map(old.get, _IMMUTABLE_META)):
        for key in _IMMUTABLE_META:
            if new.get(key) != old.get(key):
                value = new.get(key)
                errs.append(invalid_value(f"{path}.{key}", "" if value is None and key in (
                    "name", "namespace", "uid") else value, FIELD_IMMUTABLE_ERROR_MSG))
    _meta_maps(new, path, errs, old if old_validated else None)
    return errs


__all__ += ["FIELD_IMMUTABLE_ERROR_MSG", "IS_NEGATIVE_ERROR_MSG", "semantic_equal"]
