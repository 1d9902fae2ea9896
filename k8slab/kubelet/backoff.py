"""Per-key exponential back-off, as ``k8s.io/client-go/util/flowcontrol.Backoff``.

The kubelet keeps two of them: the container restart back-off (10 s doubling to 300 s, keyed by
pod and container, ``pkg/kubelet/kubelet.go`` ``backOffPeriod``/``MaxContainerBackOff``) and the
image pull back-off (same numbers, keyed by pod UID and image). No jitter (the kubelet creates
them with ``maxJitterFactor`` 0). An entry counts as *expired* — and the next failure starts
again at 10 s — once an event comes more than twice the maximum (10 minutes) after the entry's
last update: a container that ran for 10 minutes is forgiven (kubernetes.md §4.4).
"""

from __future__ import annotations

from collections.abc import Callable

from ..sim.clock import SECOND

__all__ = ["INITIAL", "MAXIMUM", "Backoff"]

INITIAL = 10 * SECOND
MAXIMUM = 300 * SECOND


class Backoff:
    def __init__(self, clock: Callable[[], int], initial: int = INITIAL,
                 maximum: int = MAXIMUM) -> None:
        self.clock = clock
        self.initial = initial
        self.maximum = maximum
        # key → [backoff, last update]
        self._entries: dict[str, list[int]] = {}

    def _expired(self, event_time: int, last_update: int) -> bool:
        return event_time - last_update > 2 * self.maximum

    def get(self, key: str) -> int:
        entry = self._entries.get(key)
        return entry[0] if entry else 0

    def next(self, key: str, event_time: int) -> None:
        entry = self._entries.get(key)
        if entry is None or self._expired(event_time, entry[1]):
            entry = [self.initial, 0]
            self._entries[key] = entry
        else:
            entry[0] = min(entry[0] * 2, self.maximum)
        entry[1] = self.clock()

    def in_backoff_since(self, key: str, event_time: int) -> bool:
        """``IsInBackOffSince``: less than the current back-off has passed since ``event_time``."""
        entry = self._entries.get(key)
        if entry is None or self._expired(event_time, entry[1]):
            return False
        return self.clock() - event_time < entry[0]

    def in_backoff_since_update(self, key: str, event_time: int) -> bool:
        """``IsInBackOffSinceUpdate``: ``event_time`` is within the back-off of the last update."""
        entry = self._entries.get(key)
        if entry is None or self._expired(event_time, entry[1]):
            return False
        return event_time - entry[1] < entry[0]

    def expiry(self, key: str, since: int) -> int:
        """When a back-off started at ``since`` ends."""
        return since + self.get(key)

    def last_update(self, key: str) -> int:
        entry = self._entries.get(key)
        return entry[1] if entry else 0

    def reset(self, key: str) -> None:
        self._entries.pop(key, None)
