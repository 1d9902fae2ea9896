"""Helpers shared by kubectl's commands (``k8s.io/kubectl/pkg/cmd/util/helpers.go``).

- :func:`dry_run` — ``GetDryRunStrategy`` with its klog warnings for the deprecated forms
  (``--dry-run``, ``--dry-run=true|false``);
- :func:`klog_warning` — a klog line as kubectl writes it to stderr
  (``W0601 08:02:03.123456   12345 helpers.go:714] …``), stamped with virtual time and a
  seeded process id;
- :func:`record` — ``--record``: the ``kubernetes.io/change-cause`` annotation;
- :func:`info_string` — ``resource.Info.String()`` for apply's long error messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...sim.timefmt import to_datetime
from .errors import KubectlError

if TYPE_CHECKING:
    from ...api.kinds import Kind
    from .cmd import Invocation

__all__ = [
    "CHANGE_CAUSE",
    "LAST_APPLIED",
    "dry_run",
    "info_string",
    "klog_warning",
    "pid",
    "record",
]

CHANGE_CAUSE = "kubernetes.io/change-cause"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def pid(inv: Invocation) -> int:
    """The kubectl process id klog prints (seeded, stable for one invocation)."""
    cached = getattr(inv, "_pid", None)
    if cached is None:
        cached = inv.factory.cluster.streams("kubectl-pid").randint(2000, 99999)
        inv._pid = cached  # type: ignore[attr-defined]
    return int(cached)


def klog_warning(inv: Invocation, where: str, message: str) -> None:
    """``klog.Warning``: ``Wmmdd hh:mm:ss.uuuuuu <pid> file:line] message``."""
    moment = to_datetime(inv.factory.now)
    stamp = moment.strftime("%m%d %H:%M:%S.%f")
    inv.err(f"W{stamp} {pid(inv):7d} {where}] {message}\n")


def dry_run(inv: Invocation) -> str:
    """``GetDryRunStrategy``: ``none``, ``client`` or ``server``."""
    value = inv.flags.get("dry-run", "none")
    text = str(value)
    from .flags import parse_bool

    try:
        flag = parse_bool(text)
    except ValueError:
        if text == "unchanged":
            klog_warning(inv, "helpers.go:714",
                         "--dry-run is deprecated and can be replaced with --dry-run=client.")
            return "client"
        if text in ("client", "server", "none"):
            return text
        raise KubectlError(
            f'Invalid dry-run value ({text}). Must be "none", "server", or "client".'
        ) from None
    if flag:
        klog_warning(inv, "helpers.go:728", f"--dry-run={text} is deprecated (boolean value) "
                     "and can be replaced with --dry-run=client.")
        return "client"
    klog_warning(inv, "helpers.go:731", f"--dry-run={text} is deprecated (boolean value) and "
                 "can be replaced with --dry-run=none.")
    return "none"


def record(inv: Invocation, obj: dict[str, Any]) -> dict[str, Any]:
    """``ChangeCauseRecorder.Record`` when ``--record`` is true: a new object annotated."""
    if not inv.flags.get("record"):
        return obj
    meta = dict(obj.get("metadata") or {})
    annotations = dict(meta.get("annotations") or {})
    annotations[CHANGE_CAUSE] = inv.change_cause()
    meta["annotations"] = annotations
    return {**obj, "metadata": meta}


def gvr_string(kind: Kind) -> str:
    return f"{kind.group}/{kind.version}, Resource={kind.plural}"


def gvk_string(kind: Kind) -> str:
    return f"{kind.group}/{kind.version}, Kind={kind.kind}"


def info_string(kind: Kind, name: str, namespace: str) -> str:
    """``resource.Info.String()``."""
    return (f'Resource: "{gvr_string(kind)}", GroupVersionKind: "{gvk_string(kind)}"\n'
            f'Name: "{name}", Namespace: "{namespace}"')


def object_name(kind: Kind, name: str) -> str:
    """``Info.ObjectName()``: ``deployments/x``."""
    return f"{kind.plural}/{name}"
