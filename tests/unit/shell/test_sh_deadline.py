"""Bounded runs: the deadline acts as the learner's Ctrl-C (docs/lab-shell.md, "Time bound").

When a run's virtual-time budget is spent, the command running at that moment ends, nothing is
printed about it, the run's status is 130 (128 + SIGINT, bash's convention for a job killed by
SIGINT) and the rest of the script does not run.
"""

from __future__ import annotations

from typing import Any

from shellkit import Machine

from k8slab.sim.clock import SECOND
from k8slab.sim.process import WaitFor


def test_never_ending_loop_stops_at_the_deadline(bash: Machine) -> None:
    ran = bash.run("while sleep 0.2; do echo tick; done; echo never", run_for=1)
    assert ran.out == "tick\n" * 4
    assert (ran.err, ran.code) == ("", 130)
    assert ran.elapsed == 1


def test_later_pipeline_stages_read_what_the_interrupted_stage_wrote(bash: Machine) -> None:
    ran = bash.run("while sleep 1; do echo x; done | wc -l", run_for=60)
    assert ran.out == "59\n"
    assert ran.code == 130


def test_the_sleep_crossing_the_deadline_is_cut_short(bash: Machine) -> None:
    ran = bash.run("sleep 100; echo never", run_for=7)
    assert (ran.out, ran.code, ran.elapsed) == ("", 130, 7)


def test_nothing_starts_at_or_after_the_deadline(bash: Machine) -> None:
    ran = bash.run("echo start; sleep 5 && echo never; echo never", run_for=5)
    assert (ran.out, ran.code, ran.elapsed) == ("start\n", 130, 5)


def test_finite_scripts_are_not_affected(bash: Machine) -> None:
    ran = bash.run("for i in 1 2 3; do sleep 1; echo $i; done", run_for=60)
    assert (ran.out, ran.code, ran.elapsed) == ("1\n2\n3\n", 0, 3)


def test_busy_loop_runs_until_the_deadline(bash: Machine) -> None:
    ran = bash.run("while true; do :; done; echo never", run_for=30)
    assert (ran.out, ran.code, ran.elapsed) == ("", 130, 30)


def test_busy_loop_without_deadline_lets_time_pass(busybox: Machine) -> None:
    # In a container there is no Ctrl-C: a spinning loop burns CPU time instead of freezing
    # the simulation, so the rest of the cluster keeps moving.
    ran = busybox.run("i=0; while true; do i=$((i+1)); [ $i -ge 12000 ] && break; done; echo $i")
    assert ran.out == "12000\n"
    assert ran.elapsed == 1  # one second per 10,000 iterations that took no time


def test_waits_are_bounded_and_the_waiter_is_ended_not_timed_out(bash: Machine) -> None:
    seen: dict[str, Any] = {}

    def waiter(ctx: Any, argv: list[str]) -> Any:
        seen["deadline"] = ctx.extra.get("deadline")
        ok = yield WaitFor(lambda: False, 100 * SECOND)
        ctx.stderr.write("error: timed out waiting for the condition\n")
        return 0 if ok else 1

    bash.commands["waiter"] = waiter
    start = bash.loop.now
    ran = bash.run("waiter; echo never", run_for=10)
    assert (ran.out, ran.err, ran.code, ran.elapsed) == ("", "", 130, 10)
    assert seen["deadline"] == start + 10 * SECOND


def test_nested_shells_stop_together(bash: Machine) -> None:
    ran = bash.run("bash -c 'while sleep 1; do echo in; done'; echo never", run_for=3.5)
    assert (ran.out, ran.code) == ("in\nin\nin\n", 130)


def test_run_for_variable_changes_the_bound_from_the_run_start(bash: Machine) -> None:
    ran = bash.run("sleep 2; export K8SLAB_RUN_FOR=5s; while sleep 1; do echo t; done",
                   run_for=60)
    assert ran.out == "t\nt\n"
    assert ran.elapsed == 5


def test_command_returning_130_at_the_deadline_ends_the_run(bash: Machine) -> None:
    def watcher(ctx: Any, argv: list[str]) -> Any:
        # kubectl get -w honours the deadline itself and exits like an interrupted program
        yield WaitFor(lambda: False, ctx.extra["deadline"] - ctx.now)
        return 130

    bash.commands["watcher"] = watcher
    ran = bash.run("watcher; echo never", run_for=4)
    assert (ran.out, ran.code, ran.elapsed) == ("", 130, 4)


def test_no_deadline_means_unbounded(busybox: Machine) -> None:
    ran = busybox.run("sleep 3600; echo woke")
    assert (ran.out, ran.elapsed) == ("woke\n", 3600)
