"""``kubectl logs`` on the server side: the apiserver's checks, then the kubelet's.

The apiserver (``pkg/registry/core/pod/strategy.go`` ``LogLocation``) picks the container — the
only one, or the one named; several and none named is ``a container name must be specified for
pod web, choose one of: [a b]`` (Go's ``%s`` of a slice) with ``or one of the init containers:
[…]`` appended; a wrong name is ``container x is not valid for pod web``. A pod not yet assigned
to a node has no logs (an empty answer). The kubelet
(``pkg/kubelet/kubelet_pods.go`` ``validateContainerLogStatus``) then refuses containers that
never ran: ``container "nginx" in pod "web" is waiting to start: ContainerCreating`` (``image
can't be pulled``, ``trying and failing to pull image`` for image errors), and ``previous
terminated container "nginx" in pod "web" not found`` for ``--previous`` without a previous
run. All are ``BadRequest`` errors, which kubectl prints as ``Error from server (BadRequest):
…``.
"""

from __future__ import annotations

from typing import Any

from ..api import errors

__all__ = ["choose_container", "validate_container_log_status"]

Obj = dict[str, Any]


def _go_list(names: list[str]) -> str:
    return "[" + " ".join(names) + "]"


def choose_container(pod: Obj, container: str | None) -> str:
    spec = pod.get("spec") or {}
    name = (pod.get("metadata") or {}).get("name", "")
    containers = [c.get("name", "") for c in spec.get("containers") or []]
    if not container:
        if len(containers) == 1:
            return containers[0]
        if not containers:
            raise errors.bad_request(f"a container name must be specified for pod {name}")
        text = (f"a container name must be specified for pod {name}, choose one of: "
                f"{_go_list(containers)}")
        inits = [c.get("name", "") for c in spec.get("initContainers") or []]
        if inits:
            text += f" or one of the init containers: {_go_list(inits)}"
        ephemeral = [c.get("name", "") for c in spec.get("ephemeralContainers") or []]
        if ephemeral:
            text += f" or one of the ephemeral containers: {_go_list(ephemeral)}"
        raise errors.bad_request(text)
    known = containers + [c.get("name", "") for key in ("initContainers", "ephemeralContainers")
                          for c in spec.get(key) or []]
    if container not in known:
        raise errors.bad_request(f"container {container} is not valid for pod {name}")
    return container


def validate_container_log_status(pod_name: str, status: Obj | None, container: str,
                                  previous: bool) -> str:
    """Which container's logs to read: ``"current"`` or ``"previous"``; raise otherwise."""
    statuses = (status or {}).get("containerStatuses") or []
    cs = next((s for s in statuses if s.get("name") == container), None)
    if cs is None:
        raise errors.bad_request(
            f'container "{container}" in pod "{pod_name}" is not available')
    state = cs.get("state") or {}
    last = (cs.get("lastState") or {}).get("terminated")
    if previous:
        if not last or not last.get("containerID"):
            raise errors.bad_request(
                f'previous terminated container "{container}" in pod "{pod_name}" not found')
        return "previous"
    if "running" in state:
        return "current"
    if "terminated" in state:
        if state["terminated"].get("containerID"):
            return "current"
        if last and last.get("containerID"):
            return "previous"
        raise errors.bad_request(f'container "{container}" in pod "{pod_name}" is terminated')
    if last:
        if not last.get("containerID"):
            raise errors.bad_request(
                f'container "{container}" in pod "{pod_name}" is terminated')
        return "previous"
    if "waiting" in state:
        reason = state["waiting"].get("reason", "")
        if reason == "ErrImagePull":
            detail = "image can't be pulled"
        elif reason == "ImagePullBackOff":
            detail = "trying and failing to pull image"
        else:
            detail = reason
        raise errors.bad_request(
            f'container "{container}" in pod "{pod_name}" is waiting to start: {detail}')
    raise errors.bad_request(
        f'container "{container}" in pod "{pod_name}" is waiting to start - no logs yet')
