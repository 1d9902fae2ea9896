"""Bounded runs: the lab presses Ctrl-C on never-ending command lines (docs/lab-shell.md,
"Time bound").

Each command line of a run gets the whole budget (``K8SLAB_RUN_FOR``, 60 s by default). Inside
a ``while``/``until`` loop the deadline ends whatever is running, silently, with status 130 —
bash's convention for a job killed by SIGINT — and the rest of *that line* is skipped; the next
lines run. Never-ending programs (``tail -f``, ``watch``, ``kubectl get -w``) stop themselves at
the deadline. Finite commands (``sleep 300``, a ``for`` loop) always run to their end.
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


def test_the_next_line_runs_after_an_interrupted_one(bash: Machine) -> None:
    ran = bash.run("while sleep 1; do :; done\necho next", run_for=5)
    assert (ran.out, ran.code, ran.elapsed) == ("next\n", 0, 5)


def test_every_line_gets_the_whole_budget(bash: Machine) -> None:
    ran = bash.run("while sleep 1; do echo a; done\nwhile sleep 1; do echo b; done",
                   run_for=3)
    assert ran.out == "a\na\nb\nb\n"
    assert (ran.code, ran.elapsed) == (130, 6)


def test_later_pipeline_stages_read_what_the_interrupted_stage_wrote(bash: Machine) -> None:
    ran = bash.run("while sleep 1; do echo x; done | wc -l", run_for=60)
    assert ran.out == "59\n"
    assert ran.code == 130


def test_a_finite_sleep_is_never_cut(bash: Machine) -> None:
    ran = bash.run("sleep 100; echo woke", run_for=7)
    assert (ran.out, ran.code, ran.elapsed) == ("woke\n", 0, 100)


def test_finite_for_loops_are_not_affected(bash: Machine) -> None:
    ran = bash.run("for i in 1 2 3; do sleep 30; echo $i; done", run_for=60)
    assert (ran.out, ran.code, ran.elapsed) == ("1\n2\n3\n", 0, 90)


def test_a_for_loop_inside_an_endless_loop_is_bounded(bash: Machine) -> None:
    ran = bash.run("while true; do for i in 1 2; do sleep 1; echo $i; done; done", run_for=3)
    assert (ran.out, ran.code, ran.elapsed) == ("1\n2\n", 130, 3)


def test_nothing_waits_longer_than_a_day(bash: Machine) -> None:
    ran = bash.run("sleep infinity; echo never", run_for=5)
    assert (ran.out, ran.code, ran.elapsed) == ("", 130, 86400)


def test_busy_loop_runs_until_the_deadline(bash: Machine) -> None:
    ran = bash.run("while true; do :; done; echo never", run_for=30)
    assert (ran.out, ran.code, ran.elapsed) == ("", 130, 30)


def test_busy_loop_without_deadline_lets_time_pass(busybox: Machine) -> None:
    # In a container there is no Ctrl-C: a spinning loop burns CPU time instead of freezing
    # the simulation, so the rest of the cluster keeps moving.
    ran = busybox.run("i=0; while true; do i=$((i+1)); [ $i -ge 12000 ] && break; done; echo $i")
    assert ran.out == "12000\n"
    assert ran.elapsed == 1  # one second per 10,000 iterations that took no time


def test_commands_see_the_line_deadline(bash: Machine) -> None:
    seen: list[int] = []

    def probe(ctx: Any, argv: list[str]) -> Any:
        seen.append(ctx.extra.get("deadline"))
        return 0
        yield  # pragma: no cover

    bash.commands["probe"] = probe
    start = bash.loop.now
    bash.run("probe\nsleep 4\nprobe", run_for=10)
    assert seen == [start + 10 * SECOND, start + 14 * SECOND]


def test_tail_f_and_watch_stop_at_the_deadline(bash: Machine) -> None:
    ran = bash.run("touch log; tail -f log; echo after", run_for=4)
    assert (ran.code, ran.elapsed) == (130, 4)
    assert "after" not in ran.out


def test_nested_shells_stop_together(bash: Machine) -> None:
    ran = bash.run("bash -c 'while sleep 1; do echo in; done'; echo never", run_for=3.5)
    assert (ran.out, ran.code) == ("in\nin\nin\n", 130)


def test_run_for_variable_sets_the_bound_of_the_current_and_later_lines(bash: Machine) -> None:
    ran = bash.run("sleep 2; export K8SLAB_RUN_FOR=5s; while sleep 1; do echo t; done",
                   run_for=60)
    assert ran.out == "t\nt\n"
    assert ran.elapsed == 5


def test_command_returning_130_at_the_deadline_ends_its_line(bash: Machine) -> None:
    def watcher(ctx: Any, argv: list[str]) -> Any:
        # kubectl logs -f honours the deadline itself and exits like an interrupted program
        yield WaitFor(lambda: False, ctx.extra["deadline"] - ctx.now)
        return 130

    bash.commands["watcher"] = watcher
    ran = bash.run("watcher; echo never\necho next", run_for=4)
    assert (ran.out, ran.code, ran.elapsed) == ("next\n", 0, 4)


def test_no_deadline_means_unbounded(busybox: Machine) -> None:
    ran = busybox.run("sleep 3600; echo woke")
    assert (ran.out, ran.elapsed) == ("woke\n", 3600)
