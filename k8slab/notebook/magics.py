"""IPython magics ``%kubectl``, ``%%sh`` and ``%%apply`` (being written)."""

from __future__ import annotations

__all__ = ["load"]


def load(ipython: object) -> None:
    """Register the magics on ``ipython``."""
