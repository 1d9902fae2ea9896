"""The field a field-selected watch is keyed on (``spec.nodeName``, ``metadata.name``): the
non-empty string at the path, or None for anything else on the way, whatever the JSON values
there are."""

from __future__ import annotations

from typing import Any

import pytest

from k8slab.api.store import _field


def _reference(obj: Any, path: str) -> str | None:
    # the plain reading: step through mappings only, keep a non-empty string
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(part)
    return cur if isinstance(cur, str) and cur else None


CASES: list[Any] = [
    None, {}, {"spec": None}, {"spec": []}, {"spec": "x"}, {"spec": 3}, {"spec": True},
    {"spec": {"nodeName": 5}}, {"spec": {"nodeName": ""}}, {"spec": {"nodeName": "n1"}},
    {"spec": {"nodeName": ["n1"]}}, {"spec": {"nodeName": {"a": 1}}}, {"spec": {"nodeName": None}},
    {"metadata": {"name": "n"}}, {"a": {"b": [1]}}, {"a": {"b": {"c": "v"}}}, {"a": {"b": "c"}},
]


@pytest.mark.parametrize("path", ["spec.nodeName", "metadata.name", "a.b.c", "spec"])
def test_the_field_is_what_stepping_through_mappings_finds(path: str) -> None:
    for obj in CASES:
        assert _field(obj, path) == _reference(obj, path), obj
