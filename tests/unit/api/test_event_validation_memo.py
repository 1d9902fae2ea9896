"""Event validation remembers accepted namespaces and still gives the full check's answers.

Reference: pkg/apis/core/validation (``ValidateEventCreate``) over
staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go (``ValidateObjectMeta``):
``validate_event`` skips the namespace check of metadata holding only a name and a namespace
it accepted before; every other metadata, and every refusal, must be judged as the full check
judges it.
"""

from __future__ import annotations

from typing import Any

from k8slab.api.errors import invalid_value
from k8slab.api.validation.core import validate_event
from k8slab.api.validation.meta import validate_object_meta


def _full(event: dict[str, Any]) -> list[Any]:
    """validate_event without the remembered namespaces."""
    meta = event.get("metadata") if isinstance(event.get("metadata"), dict) else {}
    errs = validate_object_meta(meta, namespaced=True)
    involved = event.get("involvedObject")
    ns = involved.get("namespace") if isinstance(involved, dict) else None
    if ns and ns != meta.get("namespace", ""):
        errs.append(invalid_value("involvedObject.namespace", ns,
                                  "does not match event.namespace"))
    return errs


def _event(meta: Any, involved_ns: Any = "default") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Event", "metadata": meta,
            "involvedObject": {"kind": "Pod", "name": "p", "namespace": involved_ns}}


_METAS: list[Any] = [
    {"name": "web-1.18a2b3c4d5e6f708", "namespace": "default"},
    {"name": "web-1.18a2b3c4d5e6f709", "namespace": "default"},
    {"name": "Bad_Name.1", "namespace": "default"},
    {"name": "x" * 254, "namespace": "default"},
    {"name": "ok.1\n", "namespace": "default"},
    {"name": "", "namespace": "default"},
    {"name": "ok.1", "namespace": ""},
    {"name": "ok.1", "namespace": "Bad.NS"},
    {"name": "ok.1", "namespace": "a" * 64},
    {"name": "ok.1", "namespace": None},
    {"name": "ok.1", "generateName": "bad_"},
    {"namespace": "default", "generateName": "bad_"},
    {"namespace": "default", "generateName": "ok-"},
    {"name": "ok.1", "namespace": "default", "generation": -1},
    {"name": "ok.1", "namespace": "default", "labels": {"bad key!": "v"}},
    {"name": "ok.1", "namespace": "default", "finalizers": ["not-qualified"]},
    {"name": "ok.1"},
    {},
    None,
]


def test_remembered_namespaces_give_the_full_answers() -> None:
    for meta in _METAS:
        for involved_ns in ("default", "other", None):
            event = _event(meta, involved_ns)
            for _ in range(2):  # the second call may find the namespace remembered
                assert validate_event(event) == _full(event), (meta, involved_ns)


def test_a_remembered_namespace_does_not_accept_a_bad_name() -> None:
    assert validate_event(_event({"name": "a.1", "namespace": "ns-x"}, "ns-x")) == []
    bad = _event({"name": "A.1", "namespace": "ns-x"}, "ns-x")  # ns-x is remembered
    assert validate_event(bad) == _full(bad) != []
    # An unaccepted namespace is still checked, even with a valid name.
    bad_ns = _event({"name": "a.1", "namespace": "ns_y"}, "ns_y")
    assert validate_event(bad_ns) == _full(bad_ns) != []
