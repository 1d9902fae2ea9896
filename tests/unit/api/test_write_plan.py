"""The store's remembered write plan (kind, strategy, admission plugins in scope): remembering
must not change what a write goes through when the admission chains change after the first
write of a kind."""

from __future__ import annotations

from typing import Any

import pytest

from k8slab.api import errors
from k8slab.api.store import APIServer, admission_scope
from k8slab.sim.clock import Loop
from k8slab.sim.rand import Streams
from k8slab.sim.trace import Trace


def _cm(name: str, api_version: str = "v1") -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": "default"}}


def test_a_plugin_registered_after_the_first_write_sees_the_next_trusted_writes() -> None:
    api = APIServer(Loop(0), Streams(0), Trace())
    api.create(_cm("first"), source="test", trusted=True)
    seen: list[tuple[str, str]] = []

    @admission_scope(kinds=[("", "ConfigMap")])
    def watcher(obj: dict[str, Any], operation: str, old: dict[str, Any] | None) -> None:
        seen.append((operation, obj["metadata"]["name"]))

    api.mutating = (*api.mutating, watcher)
    api.create(_cm("second"), source="test", trusted=True)
    stored = api.get(api.kind_of(_cm("x")), "default", "second")
    api.update({**stored, "data": {"k": "v"}}, source="test", trusted=True)
    api.validating = (*api.validating, watcher)
    api.create(_cm("third"), source="test", trusted=True)
    assert seen == [("CREATE", "second"), ("UPDATE", "second"),
                    ("CREATE", "third"), ("CREATE", "third")]

    api.create(_cm("from-kubectl"), source="kubectl")  # untrusted writes share the plan
    assert seen[-2:] == [("CREATE", "from-kubectl"), ("CREATE", "from-kubectl")]

    api.mutating = api.mutating[:-1]
    api.validating = api.validating[:-1]
    api.create(_cm("fourth"), source="test", trusted=True)
    api.create(_cm("fifth"), source="kubectl")
    assert seen[-1] == ("CREATE", "from-kubectl")


def test_a_trusted_write_of_an_unknown_kind_is_refused_as_before() -> None:
    api = APIServer(Loop(0), Streams(0), Trace())
    with pytest.raises(errors.StatusError) as refused:
        api.create(_cm("x", api_version="v2"), source="test", trusted=True)
    assert refused.value.message == 'no kind "ConfigMap" is registered for version "v2"'
    assert api.revision == 0
