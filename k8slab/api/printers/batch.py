"""Table printers of batch/v1 (``printJob``, ``printCronJob`` in printers.go).

Job: ``NAME STATUS COMPLETIONS DURATION AGE`` — STATUS from the conditions (Complete, Failed,
Terminating, Suspended, FailureTarget, else Running); COMPLETIONS ``succeeded/completions`` or
``n/1 of P`` for work queues; DURATION from start to completion (or to now).
CronJob: ``NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE`` (``True``/``False``).
"""

from __future__ import annotations

from typing import Any

from ...sim.timefmt import human_duration
from ._base import AGE, NAME, Column, printer
from ._util import age, format_label_selector, ts
from .core import container_cells

__all__ = ["job_status"]

Obj = dict[str, Any]


def _has_condition(conditions: list[Obj] | None, ctype: str) -> bool:
    for c in conditions or []:
        if c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def job_status(job: Obj) -> str:
    conditions = (job.get("status") or {}).get("conditions")
    if _has_condition(conditions, "Complete"):
        return "Complete"
    if _has_condition(conditions, "Failed"):
        return "Failed"
    if (job.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(conditions, "Suspended"):
        return "Suspended"
    if _has_condition(conditions, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _bool_ptr(value: Any) -> str:
    if value is None:
        return "<unset>"
    return "True" if value else "False"


@printer("batch", "Job", [
    NAME, Column("Status"), Column("Completions"), Column("Duration"), AGE,
    Column("Containers", 1), Column("Images", 1), Column("Selector", 1),
])
def job_row(job: Obj, now: int) -> list[str]:
    meta, spec, status = job.get("metadata") or {}, job.get("spec") or {}, job.get("status") or {}
    succeeded = status.get("succeeded", 0)
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    else:
        parallelism = spec.get("parallelism") or 0
        completions = (f"{succeeded}/1 of {parallelism}" if parallelism > 1
                       else f"{succeeded}/1")
    start, done = ts(status.get("startTime")), ts(status.get("completionTime"))
    duration = ""
    if start is not None:
        duration = human_duration((done if done is not None else now) - start)
    names, images = container_cells(
        ((spec.get("template") or {}).get("spec") or {}).get("containers"))
    return [meta.get("name", ""), job_status(job), completions, duration,
            age(meta.get("creationTimestamp"), now), names, images,
            format_label_selector(spec.get("selector"))]


@printer("batch", "CronJob", [
    NAME, Column("Schedule"), Column("Timezone"), Column("Suspend", type="boolean"),
    Column("Active", type="integer"), Column("Last Schedule"), AGE,
    Column("Containers", 1), Column("Images", 1), Column("Selector", 1),
])
def cron_job_row(cj: Obj, now: int) -> list[str]:
    meta, spec, status = cj.get("metadata") or {}, cj.get("spec") or {}, cj.get("status") or {}
    last = "<none>"
    if status.get("lastScheduleTime"):
        last = age(status["lastScheduleTime"], now)
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    names, images = container_cells(
        ((job_spec.get("template") or {}).get("spec") or {}).get("containers"))
    return [meta.get("name", ""), str(spec.get("schedule", "")),
            spec.get("timeZone") if spec.get("timeZone") is not None else "<none>",
            _bool_ptr(spec.get("suspend")), str(len(status.get("active") or [])), last,
            age(meta.get("creationTimestamp"), now), names, images,
            format_label_selector(job_spec.get("selector"))]
