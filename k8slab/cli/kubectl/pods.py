"""Finding the pod behind ``deploy/x`` for ``logs``, ``exec`` and ``expose``
(``k8s.io/kubectl/pkg/polymorphichelpers``, ``k8s.io/kubectl/pkg/util/podutils``,
``k8s.io/kubectl/pkg/cmd/util/podcmd``).

- :func:`selector_for` — ``SelectorsForObject``: the label selector of a pod's owner kinds and
  Services;
- :func:`first_pod` — ``GetFirstPod`` with ``ByLogging`` (logs: assigned, running, ready
  longest, most restarts, oldest first) or the reverse of ``ActivePods`` (exec/attach);
- :func:`default_container` — ``kubectl.kubernetes.io/default-container`` or the first
  container, with ``Defaulted container "a" out of: a, b, c (init)`` on stderr.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...api.kinds import by_gvk
from ...api.selectors import Selector, from_label_selector
from ...sim.timefmt import parse_rfc3339
from .errors import KubectlError

if TYPE_CHECKING:
    from .cmd import Invocation

__all__ = ["all_container_names", "default_container", "first_pod", "selector_for"]

Obj = dict[str, Any]
POD = by_gvk("v1", "Pod")
DEFAULT_CONTAINER_ANNOTATION = "kubectl.kubernetes.io/default-container"


def selector_for(obj: Obj) -> Selector:
    kind = obj.get("kind")
    spec = obj.get("spec") or {}
    name = (obj.get("metadata") or {}).get("name", "")
    if kind in ("ReplicationController",):
        sel = spec.get("selector") or {}
        if not sel:
            raise KubectlError(f"invalid replication controller '{name}': the replication "
                               "controller has no selector")
        return from_label_selector({"matchLabels": sel})
    if kind == "Service":
        sel = spec.get("selector") or {}
        if not sel:
            raise KubectlError(f"invalid service '{name}': Service is defined without a "
                               "selector")
        return from_label_selector({"matchLabels": sel})
    if kind in ("Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job"):
        return from_label_selector(spec.get("selector"))
    if kind == "Pod":
        return from_label_selector({"matchLabels": (obj.get("metadata") or {}).get("labels")
                                    or {}})
    raise KubectlError(f"selector for *v1.{kind} not implemented")


def _ready(pod: Obj) -> tuple[bool, int]:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            ok = cond.get("status") == "True"
            when = cond.get("lastTransitionTime")
            return ok, parse_rfc3339(when) if ok and when else 0
    return False, 0


def _restarts(pod: Obj) -> int:
    return max([int(s.get("restartCount", 0)) for s in
                (pod.get("status") or {}).get("containerStatuses") or []] or [0])


def _created(pod: Obj) -> int:
    ts = (pod.get("metadata") or {}).get("creationTimestamp")
    return parse_rfc3339(ts) if ts else 0


def _by_logging(pod: Obj) -> tuple[Any, ...]:
    node = bool((pod.get("spec") or {}).get("nodeName"))
    phase = {"Running": 0, "Unknown": 1, "Pending": 2}.get(
        (pod.get("status") or {}).get("phase", ""), 3)
    ready, since = _ready(pod)
    created = _created(pod)
    return (0 if node else 1, phase, 0 if ready else 1,
            since if ready and since else float("inf"), -_restarts(pod),
            created if created else float("inf"))


def _most_active(pod: Obj) -> tuple[Any, ...]:
    # sort.Reverse(ActivePods): assigned, running, ready, ready longest, fewer restarts, older.
    node = bool((pod.get("spec") or {}).get("nodeName"))
    phase = {"Running": 0, "Unknown": 1, "Pending": 2}.get(
        (pod.get("status") or {}).get("phase", ""), 2)
    ready, since = _ready(pod)
    created = _created(pod)
    return (0 if node else 1, phase, 0 if ready else 1,
            since if ready and since else float("inf"), _restarts(pod),
            created if created else float("inf"))


def first_pod(inv: Invocation, obj: Obj, *, for_logs: bool) -> tuple[Obj | None, int]:
    """The pod kubectl picks for a workload, and how many matched."""
    if obj.get("kind") == "Pod":
        return obj, 1
    selector = selector_for(obj)
    namespace = (obj.get("metadata") or {}).get("namespace", "default")
    inv.factory.request()
    assert POD is not None
    pods = inv.factory.api.list(POD, namespace, selector)
    if not pods:
        return None, 0
    key = _by_logging if for_logs else _most_active
    return sorted(pods, key=key)[0], len(pods)


def all_container_names(pod: Obj) -> str:
    spec = pod.get("spec") or {}
    names = [c.get("name", "") for c in spec.get("containers") or []]
    names += [f"{c.get('name', '')} (init)" for c in spec.get("initContainers") or []]
    names += [f"{c.get('name', '')} (ephem)" for c in spec.get("ephemeralContainers") or []]
    return ", ".join(names)


def default_container(inv: Invocation, pod: Obj, quiet: bool = False) -> str:
    """``podcmd.FindOrDefaultContainerByName`` with an empty name."""
    spec = pod.get("spec") or {}
    annotations = (pod.get("metadata") or {}).get("annotations") or {}
    wanted = annotations.get(DEFAULT_CONTAINER_ANNOTATION, "")
    names = [c.get("name") for c in (spec.get("containers") or [])
             + (spec.get("initContainers") or []) + (spec.get("ephemeralContainers") or [])]
    if wanted:
        if wanted in names:
            return str(wanted)
        if not quiet:
            inv.err(f'Default container name "{wanted}" not found in pod '
                    f"{pod['metadata']['name']}\n")
    containers = spec.get("containers") or []
    if not containers:
        raise KubectlError(f"pod {pod['metadata']['name']} does not have any containers")
    first = str(containers[0].get("name", ""))
    if not quiet and (len(containers) > 1 or spec.get("initContainers")
                      or spec.get("ephemeralContainers")):
        inv.err(f'Defaulted container "{first}" out of: {all_container_names(pod)}\n')
    return first
