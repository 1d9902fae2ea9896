"""The shell language beyond what the bash oracle covers: the interactive lab shell, the
busybox flavour, the in-memory filesystem, terminals, background jobs and determinism."""

from __future__ import annotations

from typing import Any

from shellkit import Machine

from k8slab.apps.sh import Shell
from k8slab.apps.sh.parser import Parser, ShellSyntaxError
from k8slab.sim.process import Sleep


def test_interactive_messages_have_no_line_numbers(bash: Machine) -> None:
    # An interactive bash (the learner's terminal) prints "bash: …" without "line N:"
    # (checked against bash 5.2 reading a terminal; error.c: error_prolog).
    ran = bash.run("foo\necho next", interactive=True)
    assert ran.err == "bash: foo: command not found\n"
    assert ran.out == "next\n"


def test_interactive_syntax_error_skips_only_that_line(bash: Machine) -> None:
    # bash -i reads line by line: a syntax error discards its line, the next ones still run.
    ran = bash.run("echo hi\nfor x in; done\necho after", interactive=True)
    assert ran.out == "hi\nafter\n"
    assert ran.err == "bash: syntax error near unexpected token `done'\n"


def test_script_stops_at_syntax_error_after_running_earlier_lines(bash: Machine) -> None:
    ran = bash.run("echo first\nfor x in; done\necho never")
    assert ran.out == "first\n"
    assert ran.code == 2


def test_busybox_wording(busybox: Machine) -> None:
    # istio.md §6.7: BusyBox `cat` on a missing file, exit status 1.
    ran = busybox.run("cat /tmp/healthy")
    assert ran.err == "cat: can't open '/tmp/healthy': No such file or directory\n"
    assert ran.code == 1
    # ash: "sh: foo: not found", 127 (shell/ash.c: shellexec → "not found").
    ran = busybox.run("foo")
    assert (ran.err, ran.code) == ("sh: foo: not found\n", 127)
    ran = busybox.run("for x in; done")
    assert ran.err == 'sh: syntax error: unexpected "done" (expecting "do")\n'
    assert ran.code == 2


def test_busybox_runs_the_liveness_probe_script(busybox: Machine) -> None:
    # The talk's liveness-exec container: its args are one `sh -c` script.
    script = ("echo Exec-Started:$(date '+%d/%m/%Y %H:%M:%S'); touch /tmp/healthy; sleep 30; "
              "rm -rf /tmp/healthy; sleep 600")
    ran = busybox.run(script)
    assert ran.out == "Exec-Started:01/06/2026 08:00:00\n"
    assert ran.elapsed == 630
    assert not ran.fs.exists("/tmp/healthy")


def test_slash_bin_sh_dash_c(busybox: Machine) -> None:
    ran = busybox.run("/bin/sh -c 'echo $0; nope'")
    assert ran.out == "/bin/sh\n"
    assert ran.err == "/bin/sh: nope: not found\n"


def test_globbing_uses_the_machine_filesystem(bash: Machine) -> None:
    ran = bash.run("mkdir -p d; touch d/b.yaml d/a.yaml d/c.txt d/.hidden; echo d/*.yaml; "
                   "echo d/*; echo d/*.none")
    assert ran.out == "d/a.yaml d/b.yaml\nd/a.yaml d/b.yaml d/c.txt\nd/*.none\n"


def test_quoted_glob_characters_stay_literal(bash: Machine) -> None:
    ran = bash.run("touch ab; echo 'a*' \"a*\" a\\* a*")
    assert ran.out == "a* a* a* ab\n"


def test_redirections(bash: Machine) -> None:
    ran = bash.run("echo out > o.txt; echo err 1>&2 2>e.txt; { echo a; echo b >&2; } > both 2>&1;"
                   " cat o.txt both; cat < missing; echo rc=$?")
    assert ran.out == "out\na\nb\nrc=1\n"
    assert ran.err == "err\nbash: line 1: missing: No such file or directory\n"


def test_redirect_to_missing_directory_fails_the_command(bash: Machine) -> None:
    ran = bash.run("echo x > /nodir/f; echo $?")
    assert ran.out == "1\n"
    assert ran.err.endswith("/nodir/f: No such file or directory\n")


def test_pipefail_and_pipestatus_of_last_stage(bash: Machine) -> None:
    ran = bash.run("false | true; echo $?; set -o pipefail; false | true; echo $?")
    assert ran.out == "0\n1\n"


def test_errexit(bash: Machine) -> None:
    ran = bash.run("set -e; false || echo tolerated; if false; then :; fi; false; echo never")
    assert ran.out == "tolerated\n"
    assert ran.code == 1


def test_source_eval_alias_type_which(bash: Machine) -> None:
    ran = bash.run("echo 'v=from_file' > lib.sh; . ./lib.sh; echo $v; eval 'w=$v-eval'; echo $w;"
                   " alias k=kubectl; type cd echo k; which sh nosuch; echo $?",
                   interactive=True)
    assert ran.out == ("from_file\nfrom_file-eval\ncd is a shell builtin\n"
                       "echo is a shell builtin\nk is aliased to `kubectl'\n/usr/bin/sh\n1\n")


def test_alias_expands_in_the_interactive_shell(bash: Machine) -> None:
    ran = bash.run("alias hi='echo hello'\nhi there", interactive=True)
    assert ran.out == "hello there\n"


def test_script_file_with_arguments(bash: Machine) -> None:
    bash.fs.write("/root/s.sh", b'echo "$0 $1 $#"\nexit 4\n')
    ran = bash.run("bash s.sh one two; echo $?; ./s.sh x; echo $?")
    assert ran.out == "s.sh one 2\n4\n./s.sh x 1\n4\n"


def test_dollar_dollar_and_random_are_deterministic() -> None:
    outs = [Machine("bash").run("echo $$ $RANDOM $RANDOM").out for _ in range(2)]
    assert outs[0] == outs[1]
    pid, a, b = outs[0].split()
    assert pid == "1" and 0 <= int(a) < 32768 and a != b


def test_tty_reaches_only_the_last_pipeline_stage(bash: Machine) -> None:
    seen: list[tuple[str, bool]] = []

    def probe(ctx: Any, argv: list[str]) -> Any:
        seen.append((argv[1], ctx.tty))
        ctx.stdout.write(ctx.stdin)
        return 0
        yield  # pragma: no cover

    bash.commands["probe"] = probe
    bash.run("probe a | probe b; probe c > f; x=$(probe d); probe e", tty=True)
    assert seen == [("a", False), ("b", True), ("c", False), ("d", False), ("e", True)]


def test_sleep_takes_virtual_time_and_commands_see_it(bash: Machine) -> None:
    ran = bash.run("date +%T; sleep 1.5; sleep 1m; date +%T.%N; echo $SECONDS")
    assert ran.out == "08:00:00\n08:01:01.500000000\n61\n"


def test_background_job_runs_while_the_foreground_waits(bash: Machine) -> None:
    ran = bash.run("(sleep 1; echo bg) & echo fg; sleep 2; echo done", interactive=True)
    assert ran.out == "fg\nbg\ndone\n"
    assert ran.err == "[1] 2\n"


def test_background_jobs_end_with_the_run(bash: Machine) -> None:
    ran = bash.run("while true; do echo tick; sleep 1; done & sleep 2.5", run_for=10)
    assert ran.out == "tick\ntick\ntick\n"
    assert ran.elapsed == 2.5
    ran2 = bash.run("sleep 5; echo quiet")
    assert ran2.out == "quiet\n"


def test_wait_for_background_job(bash: Machine) -> None:
    ran = bash.run("sleep 3 & wait; echo waited")
    assert ran.out == "waited\n"
    assert ran.elapsed == 3


def test_command_not_found_is_127_and_exec_path_missing(bash: Machine) -> None:
    ran = bash.run("./nothere; echo $?")
    assert ran.out == "127\n"
    assert ran.err == "bash: line 1: ./nothere: No such file or directory\n"


def test_commands_registered_later_are_found() -> None:
    table: dict[str, Any] = {}
    machine = Machine("bash")
    machine.commands = table
    shell = Shell(table, "bash")

    def late(ctx: Any, argv: list[str]) -> Any:
        yield Sleep(1)
        ctx.stdout.write("late\n")
        return 0

    table["late"] = late
    assert shell.lookup("late") is late
    assert shell.lookup("/usr/bin/late") is late


def test_parser_builds_one_command_line_at_a_time() -> None:
    p = Parser("echo a; echo b\nfor i in 1 2; do\n echo $i\ndone\n")
    first = p.parse_next()
    second = p.parse_next()
    assert first is not None and len(first.items) == 2
    assert second is not None and len(second.items) == 1
    assert p.parse_next() is None


def test_parser_reports_token_and_line() -> None:
    try:
        Parser("echo ok\nwhile true; do; done").parse_all()
    except ShellSyntaxError as err:
        assert (err.kind, err.token, err.line) == ("token", ";", 2)
    else:  # pragma: no cover
        raise AssertionError("no syntax error")


def test_here_document_body_is_read_after_its_line() -> None:
    p = Parser("cat <<EOF | tr a-z A-Z\nhello $USER\nEOF\necho next\n")
    seq = p.parse_next()
    assert seq is not None
    nxt = p.parse_next()
    assert nxt is not None and p.parse_next() is None
