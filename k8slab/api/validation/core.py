"""Validation of the core API group (``pkg/apis/core/validation/validation.go``).

(Being written; the functions below are the contract other groups call.)
"""

from __future__ import annotations

from typing import Any

from ..errors import FieldError

__all__ = ["validate_pod_spec", "validate_pod_template_spec"]


def validate_pod_spec(spec: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidatePodSpec`` for ``spec`` found at ``path`` (e.g. ``spec.template.spec``)."""
    return []


def validate_pod_template_spec(template: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: template metadata labels/annotations and its PodSpec."""
    return []
