"""Formatting virtual time the way Kubernetes and Go print it.

- ``rfc3339``: ``metav1.Time`` in JSON/YAML (``2026-06-01T08:00:00Z``, second precision).
- ``rfc3339_micro``: ``metav1.MicroTime`` (events.k8s.io ``eventTime``), six fraction digits.
- ``human_duration``: ``k8s.io/apimachinery/pkg/util/duration.HumanDuration`` — the AGE column.
- ``go_duration``: Go's ``time.Duration.String()`` (``1m0s``, ``59.8524ms``), used by fortio.
- ``rfc1123z``: ``time.RFC1123Z``, used by ``kubectl describe`` for CreationTimestamp.
"""

from __future__ import annotations

import datetime as _dt

__all__ = [
    "go_duration",
    "human_duration",
    "parse_rfc3339",
    "rfc1123z",
    "rfc3339",
    "rfc3339_micro",
    "to_datetime",
]

_NS = 1_000_000_000
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def to_datetime(ns: int) -> _dt.datetime:
    """Virtual nanoseconds since the epoch → aware UTC datetime (microsecond precision)."""
    return _EPOCH + _dt.timedelta(microseconds=ns // 1000)


# Formatted seconds: many writes share a second (30,000 pods are created in a few virtual
# seconds), and status writes repeat older ones (a pod's startTime, a container's startedAt).
_SECONDS: dict[int, str] = {}


def rfc3339(ns: int) -> str:
    second = ns // _NS
    text = _SECONDS.get(second)
    if text is None:
        if len(_SECONDS) >= 65536:
            _SECONDS.clear()
        text = _SECONDS[second] = to_datetime(second * _NS).strftime("%Y-%m-%dT%H:%M:%SZ")
    return text


def rfc3339_micro(ns: int) -> str:
    micros = ns // 1000
    return f"{rfc3339(micros // 1_000_000 * _NS)[:-1]}.{micros % 1_000_000:06d}Z"


def parse_rfc3339(text: str) -> int:
    """Parse ``2026-06-01T08:00:00Z`` (optionally with a fraction) into nanoseconds."""
    value = text.strip()
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = _dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=_dt.timezone.utc)
    delta = moment - _EPOCH
    return (delta.days * 86400 + delta.seconds) * _NS + delta.microseconds * 1000


def rfc1123z(ns: int) -> str:
    """``Mon, 01 Jun 2026 08:00:00 +0000`` as kubectl describe prints timestamps."""
    return to_datetime(ns).strftime("%a, %d %b %Y %H:%M:%S +0000")


def human_duration(ns: int) -> str:
    """HumanDuration from apimachinery: integer truncation, the AGE column's format."""
    seconds = ns // _NS if ns >= 0 else -((-ns) // _NS)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        s = seconds % 60
        return f"{minutes}m{s}s" if s else f"{minutes}m"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        m = minutes % 60
        return f"{hours}h{m}m" if m else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        h = hours % 24
        return f"{hours // 24}d{h}h" if h else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        return f"{hours // 24 // 365}y{dy}d" if dy else f"{hours // 24 // 365}y"
    return f"{hours // 24 // 365}y"


def _fmt_frac(value: int, digits: int) -> str:
    """Go's fmtFrac: drop trailing zeros of a fixed-point fraction."""
    text = f"{value:0{digits}d}".rstrip("0")
    return f".{text}" if text else ""


def go_duration(ns: int) -> str:
    """Go ``time.Duration.String()``: ``1m0s``, ``1.5s``, ``59.8524ms``, ``0s``."""
    if ns == 0:
        return "0s"
    sign = "-" if ns < 0 else ""
    u = abs(ns)
    if u < _NS:
        if u < 1_000:
            return f"{sign}{u}ns"
        if u < 1_000_000:
            return f"{sign}{u // 1_000}{_fmt_frac(u % 1_000, 3)}µs"
        return f"{sign}{u // 1_000_000}{_fmt_frac(u % 1_000_000, 6)}ms"
    secs, frac = divmod(u, _NS)
    text = f"{secs % 60}{_fmt_frac(frac, 9)}s"
    minutes = secs // 60
    if minutes:
        text = f"{minutes % 60}m" + text
        hours = minutes // 60
        if hours:
            text = f"{hours}h" + text
    return sign + text
