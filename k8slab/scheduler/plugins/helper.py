"""Shared scoring helpers (``plugins/helper/normalize_score.go``)."""

from __future__ import annotations

from ..framework import MAX_NODE_SCORE

__all__ = ["default_normalize"]


def default_normalize(scores: list[int], reverse: bool = False) -> list[int]:
    """``DefaultNormalizeScore``: scale to 0–100 by the maximum; ``reverse`` flips it."""
    top = max(scores, default=0)
    if top == 0:
        return [MAX_NODE_SCORE if reverse else s for s in scores]
    out = []
    for s in scores:
        s = MAX_NODE_SCORE * s // top
        out.append(MAX_NODE_SCORE - s if reverse else s)
    return out
