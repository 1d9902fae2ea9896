"""Every manifest the course applies is valid on a real 1.37 cluster.

Checked with ``kubernetes-validate`` (the 1.37 OpenAPI schemas as JSON Schema, strict mode:
unknown fields are errors). The oracle is the upstream schema, not our own decoder, so a
manifest that only the lab accepts fails here. Skipped when the package is not installed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

kubernetes_validate = pytest.importorskip("kubernetes_validate")

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = sorted((ROOT / "manifests").rglob("*.yaml")) + sorted(
    (ROOT / "manifests").rglob("*.yml"))
VERSION = "1.37"


def _documents(path: Path) -> list[dict]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]


def test_there_are_manifests() -> None:
    assert MANIFESTS, "manifests/ is empty"


@pytest.mark.parametrize("path", MANIFESTS, ids=lambda p: str(p.relative_to(ROOT / "manifests")))
def test_manifest_is_valid_for_1_37(path: Path) -> None:
    docs = _documents(path)
    assert docs, f"{path} holds no object"
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{path.name}: {doc.get('kind')} {doc.get('metadata', {}).get('name')}:"
                        f" {exc.message}")


def test_validator_rejects_the_talks_service_without_port() -> None:
    # The talk's LoadBalancer Service lists a port without `port`; manifests/04-services/
    # nginx-lb.yaml adds it. This proves the validator would have caught the omission.
    doc = _documents(ROOT / "manifests" / "04-services" / "nginx-lb.yaml")[0]
    port = dict(doc["spec"]["ports"][0])
    del port["port"]
    broken = {**doc, "spec": {**doc["spec"], "ports": [port]}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, VERSION, strict=True)
