"""Text tools: behaviour the GNU oracle cannot check (BusyBox wording, the in-memory
filesystem, virtual time) plus GNU ls's column layout against the real ls."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from shellkit import Machine

from k8slab.apps.textutils.files import _columns

NAMES = ["alpha", "beta", "chi", "delta", "epsilon", "eta", "flask.istio.yaml", "gamma",
         "httpbin.destinationrule.yaml", "iota", "k8s.run.yaml", "kappa", "lambda", "mu",
         "nu", "omega", "omicron", "phi", "pi", "psi", "rho", "sigma", "sleep.istio.yaml",
         "tau", "theta", "upsilon", "xi", "zeta"]


@pytest.mark.skipif(shutil.which("ls") is None, reason="needs GNU ls")
@pytest.mark.parametrize("width", [20, 40, 80, 120])
def test_ls_columns_match_gnu_ls(width: int, tmp_path: Path) -> None:
    # GNU ls.c: calculate_columns + print_many_per_line (tabs every 8 columns).
    version = subprocess.run(["ls", "--version"], capture_output=True, text=True).stdout
    if "GNU coreutils" not in version:
        pytest.skip("needs GNU ls")
    for name in NAMES:
        (tmp_path / name).touch()
    real = subprocess.run(["ls", "-C"], cwd=tmp_path, capture_output=True, text=True,
                          env={"COLUMNS": str(width), "LANG": "C.UTF-8"}).stdout
    assert "\n".join(_columns(NAMES, width)) + "\n" == real


def test_ls_is_one_per_line_when_not_a_terminal(bash: Machine) -> None:
    ran = bash.run("mkdir d; touch d/b d/a; ls d; ls d | cat")
    assert ran.out == "a\nb\na\nb\n"
    assert bash.run("ls d", tty=True).out == "a  b\n"


def test_ls_long_format(bash: Machine) -> None:
    ran = bash.run("mkdir d; printf 'hello' > d/f; ls -l d")
    assert ran.out == ("total 4\n"
                       "-rw-r--r-- 1 root root 5 Jun  1 08:00 f\n")


def test_busybox_tool_wording(busybox: Machine) -> None:
    ran = busybox.run("ls /nope; rm /nope; mkdir /tmp; head /nope; wc -l /nope")
    assert ran.err == ("ls: /nope: No such file or directory\n"
                       "rm: can't remove '/nope': No such file or directory\n"
                       "mkdir: can't create directory '/tmp': File exists\n"
                       "head: can't open '/nope': No such file or directory\n"
                       "wc: can't open '/nope': No such file or directory\n")


def test_printf_builtin_errors_carry_the_shell_prefix(bash: Machine) -> None:
    # bash builtins/printf.def reports through builtin_error: "bash: printf: …" (and the
    # interactive shell drops the line number).
    assert bash.run("printf '%d\\n' x", interactive=True).err == "bash: printf: x: invalid number\n"
    assert bash.run("env printf '%d\\n' x").err == "printf: x: invalid number\n"


def test_tail_follows_a_growing_file(bash: Machine) -> None:
    ran = bash.run("echo first > log; (sleep 2; echo second >> log; sleep 2; echo third >> log) &"
                   " tail -f log", run_for=10)
    assert ran.out == "first\nsecond\nthird\n"
    assert ran.code == 130
    assert ran.elapsed == 10


def test_tail_f_on_dev_null_sleeps_forever_in_a_container(busybox: Machine) -> None:
    ran = busybox.run("tail -f /dev/null &\nsleep 5; echo ok")
    assert ran.out == "ok\n"


def test_sed_in_place_edits_only_memory(bash: Machine) -> None:
    bash.fs.write("/root/k8s.run.yaml", b"image: nginx:1.10\n")
    ran = bash.run("sed -i 's/1.10/1.11/' k8s.run.yaml; cat k8s.run.yaml")
    assert ran.out == "image: nginx:1.11\n"


def test_grep_recursive_with_names(bash: Machine) -> None:
    ran = bash.run("mkdir -p m/a; echo 'kind: Service' > m/a/svc.yaml; echo 'kind: Pod' > m/p.yaml;"
                   " grep -r kind m")
    assert ran.out == "m/p.yaml:kind: Pod\nm/a/svc.yaml:kind: Service\n"


def test_date_reads_the_virtual_clock(bash: Machine) -> None:
    ran = bash.run("date; sleep 90; date -u +'%Y-%m-%dT%H:%M:%SZ'; date -R; date -I")
    assert ran.out == ("Mon Jun  1 08:00:00 UTC 2026\n2026-06-01T08:01:30Z\n"
                       "Mon, 01 Jun 2026 08:01:30 +0000\n2026-06-01\n")


def test_awk_counts_v1_in_the_talks_split_test(bash: Machine) -> None:
    # The talk's 70/30 check: 100 responses without newlines, awk counts "v1" separators.
    ran = bash.run("for i in `seq 100`; do if [ $((i % 10)) -lt 7 ]; then echo -n v1; "
                   "else echo -n v2; fi; done | awk -F\"v1\" '{print NF-1}'")
    assert ran.out == "70\n"


def test_awk_user_function_with_array_argument(bash: Machine) -> None:
    ran = bash.run("awk 'function fill(a, n) { for (i = 1; i <= n; i++) a[i] = i * i } "
                   "BEGIN { fill(sq, 3); print sq[1] + sq[2] + sq[3] }'")
    assert ran.out == "14\n"


def test_awk_output_redirection_to_a_file(bash: Machine) -> None:
    ran = bash.run("printf 'a\\nb\\n' | awk '{ print > \"out.txt\" }'; cat out.txt")
    assert ran.out == "a\nb\n"


def test_sort_unique_numeric_and_reverse(bash: Machine) -> None:
    ran = bash.run("printf '3\\n1\\n3\\n2\\n' | sort -nru")
    assert ran.out == "3\n2\n1\n"


def test_busybox_sleep_and_date(busybox: Machine) -> None:
    ran = busybox.run("sleep x; date +%H:%M")
    assert ran.err == "sleep: invalid number 'x'\n"
    assert ran.out == "08:00\n"
