"""Pod status as the kubelet writes it (``pkg/kubelet/kubelet_pods.go`` ``generateAPIPodStatus``,
``convertToAPIContainerStatuses``, ``getPhase``; ``pkg/kubelet/status/generate.go``;
``pkg/kubelet/status/status_manager.go`` ``mergePodStatus``).

- **phase** — ``getPhase``: Pending while a container waits with no previous run; Running once
  every container is running, or has run and will be restarted; for a pod that will not restart
  (or is terminating), Succeeded when every container exited 0, else Failed.
- **conditions** in the order the status manager leaves them: conditions the kubelet does not
  own (kept from the stored pod), then ``PodReadyToStartContainers`` (sandbox up and networked),
  ``Initialized``, ``Ready``, ``ContainersReady``, ``PodScheduled``; unready ones carry
  ``ContainersNotReady`` / ``containers with unready status: [a b]`` (Go's ``%s`` of a slice), a
  finished pod ``PodCompleted`` or ``PodFailed``. ``lastTransitionTime`` only moves when the
  status flips; ``observedGeneration`` (GA in 1.35) is the pod's ``metadata.generation``.
- **containerStatuses** in spec order: ``containerd://<id>``, ``image`` as the runtime names it
  (``docker.io/library/nginx:1.10``) once created, ``imageID`` ``<repo>@sha256:…``; ``state`` and
  ``lastState`` (a waiting reason from the last sync — ``CrashLoopBackOff``, ``ErrImagePull`` —
  moves the terminated state to ``lastState``); ``started``/``ready``; ``restartCount``;
  ``allocatedResources``/``resources`` when the container declares resources
  (InPlacePodVerticalScaling); ``volumeMounts`` and ``user`` once the container exists.
"""

from __future__ import annotations

from typing import Any

from ..sim.memo import by_identity
from ..sim.timefmt import rfc3339

__all__ = ["ConditionTimes", "ContainerView", "container_status", "get_phase",
           "pod_conditions", "qos_class", "terminated_state"]

Obj = dict[str, Any]

# The conditions the kubelet owns, in the order the status manager leaves them.
KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady",
                      "PodScheduled")

EPOCH = "1970-01-01T00:00:00Z"


class ContainerView:
    """What the kubelet knows of one spec container when it generates the status."""

    __slots__ = ("_mounts", "current", "previous", "ready", "restart_count", "spec", "started",
                 "waiting_message", "waiting_reason")

    def __init__(self, spec: Obj) -> None:
        self.spec = spec
        # (spec, its volumeMounts status): every status of the container shares the list
        self._mounts: tuple[Obj, list[Obj]] | None = None
        self.current: Any = None  # runtime Container
        self.previous: Any = None
        self.waiting_reason = "ContainerCreating"
        self.waiting_message = ""
        self.ready = False
        self.started = False
        self.restart_count = 0

    def mount_status(self) -> list[Obj]:
        """``containerStatuses[].volumeMounts`` for the current spec."""
        mounts = self._mounts
        if mounts is None or mounts[0] is not self.spec:
            mounts = self._mounts = (self.spec, volume_mount_status(self.spec))
        return mounts[1]


def terminated_state(c: Any) -> Obj:
    out: Obj = {"containerID": c.cri_id, "exitCode": c.exit_code,
                "finishedAt": rfc3339(c.finished_at), "reason": c.reason,
                "startedAt": rfc3339(c.started_at) if c.started_at else EPOCH}
    if c.message:
        out["message"] = c.message
    return out


# The pods of one template share their containers' ``resources`` (not the containers: the
# service account mount differs), so these dicts are built once per template rather than twice
# per pod, and every status shares them (never mutated), which also makes comparing two
# statuses quicker.
@by_identity
def _resources(res: Obj) -> tuple[Obj | None, Obj | None]:
    requests = res.get("requests") or {}
    limits = res.get("limits") or {}
    if not requests and not limits:
        return None, None
    resources: Obj = {}
    if limits:
        resources["limits"] = dict(limits)
    if requests:
        resources["requests"] = dict(requests)
    return (dict(requests) if requests else None), resources


def container_status(view: ContainerView, mount_status: list[Obj] | None) -> Obj:
    spec = view.spec
    c = view.current
    status: Obj = {"name": spec.get("name", ""), "ready": view.ready,
                   "restartCount": view.restart_count, "started": view.started}
    res = spec.get("resources")
    if res:
        allocated, resources = _resources(res)
        if allocated is not None:
            status["allocatedResources"] = allocated
        if resources is not None:
            status["resources"] = resources
    last: Obj = _NO_STATE
    if c is None:
        status["image"] = spec.get("image", "")
        status["imageID"] = ""
        state = _waiting(view.waiting_reason, view.waiting_message)
        if view.previous is not None:
            last = {"terminated": terminated_state(view.previous)}
    else:
        image = c.image
        status["image"] = image.name
        status["imageID"] = image.image_id
        status["containerID"] = c.cri_id
        if c.state == "running":
            state = _running(rfc3339(c.started_at))
            if view.previous is not None:
                last = {"terminated": terminated_state(view.previous)}
        elif c.state == "exited" and view.waiting_reason in ("", "ContainerCreating"):
            state = {"terminated": terminated_state(c)}
            if view.previous is not None:
                last = {"terminated": terminated_state(view.previous)}
        elif c.state == "exited":
            state = _waiting(view.waiting_reason, view.waiting_message)
            last = {"terminated": terminated_state(c)}
        else:
            state = _waiting("ContainerCreating", "")
        status["user"] = _user(c.user)
        if mount_status:
            status["volumeMounts"] = mount_status
    status["state"] = state
    status["lastState"] = last
    return status


# Container states many containers are in at once (shared like the sub-trees below): no state,
# waiting with a reason, running since a given second.
_NO_STATE: Obj = {}
_STATES: dict[tuple[str, str, str], Obj] = {}


def _waiting(reason: str, message: str) -> Obj:
    key = ("waiting", reason, message)
    state = _STATES.get(key)
    if state is None:
        waiting: Obj = {"reason": reason}
        if message:
            waiting["message"] = message
        if len(_STATES) >= 65536:
            _STATES.clear()
        state = _STATES[key] = {"waiting": waiting}
    return state


def _running(started_at: str) -> Obj:
    key = ("running", started_at, "")
    state = _STATES.get(key)
    if state is None:
        if len(_STATES) >= 65536:
            _STATES.clear()
        state = _STATES[key] = {"running": {"startedAt": started_at}}
    return state


# Status sub-trees that many containers share (stored objects are never mutated): one dict per
# image user (and one mount list per container spec, kept by its ContainerView). Sharing them
# keeps 30,000 pod statuses small and their comparisons quick.
_USERS: dict[tuple[Any, ...], Obj] = {}


def _user(user: tuple[Any, ...]) -> Obj:
    shared = _USERS.get(user)
    if shared is None:
        uid, gid, groups = user
        shared = _USERS[user] = {"linux": {"gid": gid, "supplementalGroups": list(groups),
                                           "uid": uid}}
    return shared


def volume_mount_status(spec: Obj) -> list[Obj]:
    out = []
    for m in spec.get("volumeMounts") or []:
        entry: Obj = {"mountPath": m.get("mountPath", ""), "name": m.get("name", "")}
        if m.get("readOnly"):
            entry["readOnly"] = True
            entry["recursiveReadOnly"] = "Disabled"
        out.append(entry)
    return out


def get_phase(restart_policy: str, statuses: list[Obj], terminal: bool) -> str:
    """``getPhase`` for regular containers (init containers are not modelled yet)."""
    running = waiting = stopped = succeeded = unknown = 0
    for cs in statuses:
        state = cs.get("state") or {}
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            if state["terminated"].get("exitCode") == 0:
                succeeded += 1
        elif "waiting" in state:
            if (cs.get("lastState") or {}).get("terminated"):
                stopped += 1
            else:
                waiting += 1
        else:
            unknown += 1
    if terminal:
        # Everything has been stopped: the pod ends Succeeded only if every container ran
        # and exited 0.
        return "Succeeded" if stopped and stopped == succeeded and not (waiting or running) \
            else "Failed"
    if waiting > 0:
        return "Pending"
    if running > 0 and unknown == 0:
        return "Running"
    if running == 0 and stopped > 0 and unknown == 0:
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


def _names(names: list[str]) -> str:
    return "[" + " ".join(names) + "]"


class ConditionTimes:
    """A pod's kubelet-owned conditions as last generated: the statuses of the first four
    (``PodScheduled`` is always True) and when each last flipped, then the ``PodScheduled``
    time. That one is the stored pod's (the scheduler's) on every status, unless the pod had
    none when the kubelet first needed it: then the kubelet's own stamp, kept."""

    __slots__ = ("scheduled", "scheduled_kept", "statuses", "times")

    def __init__(self) -> None:
        self.statuses: tuple[str, ...] = ()
        self.times: tuple[str, ...] = ()
        self.scheduled = ""
        self.scheduled_kept = False


def pod_conditions(phase: str, statuses: list[Obj], sandbox_ready: bool,
                   scheduled_ltt: str, ltt: ConditionTimes, now: int,
                   generation: int | None) -> list[Obj]:
    """The kubelet-owned conditions, in order; ``ltt`` remembers each one's last flip, and
    ``scheduled_ltt`` is the stored pod's ``PodScheduled`` time. The list is shared with other
    pods' statuses: never mutate it."""
    if phase in ("Succeeded", "Failed"):
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        ready = ("False", reason, "")
    else:
        unready = [cs["name"] for cs in statuses if not cs["ready"]]
        if unready:
            ready = ("False", "ContainersNotReady",
                     f"containers with unready status: {_names(unready)}")
        else:
            ready = _READY
    now_status = ("True" if sandbox_ready else "False", "True", ready[0], ready[0])
    last = ltt.statuses
    if now_status != last:
        # A flip (or the first status): the flipped conditions take this second.
        stamp = rfc3339(now)
        ltt.times = tuple([when if status == before else stamp
                           for status, before, when in zip(now_status, last, ltt.times)]
                          ) if last else (stamp, stamp, stamp, stamp)
        ltt.statuses = now_status
    times = ltt.times
    if not ltt.scheduled_kept:
        if scheduled_ltt:
            ltt.scheduled = scheduled_ltt
        else:
            ltt.scheduled = rfc3339(now)
            ltt.scheduled_kept = True
    scheduled = ltt.scheduled
    # Pods whose conditions flipped in the same seconds share the whole list.
    key = (sandbox_ready, ready, generation, times, scheduled)
    out = _CONDITION_LISTS.get(key)
    if out is None:
        out = [_condition(ctype, status, reason, message, when, generation)
               for ctype, status, (reason, message), when in zip(
                   KUBELET_CONDITIONS, (*now_status, "True"),
                   (("", ""), ("", ""), ready[1:], ready[1:], ("", "")), (*times, scheduled))]
        if len(_CONDITION_LISTS) >= 65536:
            _CONDITION_LISTS.clear()
        _CONDITION_LISTS[key] = out
    # The list itself is shared too (stored objects are never mutated): statuses that share it
    # compare at once, and so do the conditions the store's checks look at.
    return out


def _condition(ctype: str, status: str, reason: str, message: str, ltt: str,
               generation: int | None) -> Obj:
    key = (ctype, status, reason, message, ltt, generation)
    cond = _CONDITIONS.get(key)
    if cond is None:
        cond = {"lastProbeTime": None, "lastTransitionTime": ltt}
        if message:
            cond["message"] = message
        if generation is not None:
            cond["observedGeneration"] = generation
        if reason:
            cond["reason"] = reason
        cond["status"] = status
        cond["type"] = ctype
        if len(_CONDITIONS) >= 65536:
            _CONDITIONS.clear()
        _CONDITIONS[key] = cond
    return cond


_READY = ("True", "", "")
# Condition dicts (and lists) are shared between pods whose conditions flipped in the same
# second.
_CONDITIONS: dict[tuple[Any, ...], Obj] = {}
_CONDITION_LISTS: dict[tuple[Any, ...], list[Obj]] = {}


def qos_class(spec: Obj) -> str:
    """``GetPodQOS``: Guaranteed, Burstable or BestEffort."""
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    any_set = False
    guaranteed = True
    for c in spec.get("containers") or []:
        res = c.get("resources") or {}
        req = {k: v for k, v in (res.get("requests") or {}).items() if k in ("cpu", "memory")}
        lim = {k: v for k, v in (res.get("limits") or {}).items() if k in ("cpu", "memory")}
        if req or lim:
            any_set = True
        if set(lim) != {"cpu", "memory"}:
            guaranteed = False
        for k, v in req.items():
            if lim.get(k) is not None and str(lim[k]) != str(v):
                from ..api.quantity import parse

                if parse(lim[k]) != parse(v):
                    guaranteed = False
        requests.update(req)
        limits.update(lim)
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"
