"""How long a lab-shell run may take in virtual time before it is interrupted.

Commands in the talk that never end on their own (``while sleep 0.2; do …; done``,
``watch -n 1 …``, ``kubectl get -w``, ``tail -f``) are stopped as if the learner pressed
Ctrl-C once the run has used its budget of virtual time. The budget is read from the
``K8SLAB_RUN_FOR`` variable of the lab shell (``export K8SLAB_RUN_FOR=2m``); a ``%%sh --for``
option overrides it for one cell. See ``docs/lab-shell.md``.
"""

from __future__ import annotations

import re

from ...sim.clock import SECOND

__all__ = ["DEFAULT_RUN_FOR", "MAX_RUN_FOR", "RUN_FOR_VAR", "parse_run_for"]

RUN_FOR_VAR = "K8SLAB_RUN_FOR"
DEFAULT_RUN_FOR = 60 * SECOND
MAX_RUN_FOR = 24 * 3600 * SECOND

_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "ms": 1_000_000, "s": SECOND, "m": 60 * SECOND,
          "h": 3600 * SECOND}
_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")


def parse_run_for(text: str) -> int | None:
    """``60``, ``90s``, ``1.5m``, ``1m30s``, ``500ms`` → nanoseconds; None if invalid.

    A bare number is seconds (like ``sleep``); the units are Go's (like ``kubectl --timeout``).
    """
    value = text.strip()
    if not value:
        return None
    try:
        total = round(float(value) * SECOND)
    except (ValueError, OverflowError):
        pos = 0
        total = 0
        while pos < len(value):
            m = _PART.match(value, pos)
            if not m:
                return None
            total += round(float(m.group(1)) * _UNITS[m.group(2)])
            pos = m.end()
    if total <= 0:
        return None
    return min(total, MAX_RUN_FOR)
