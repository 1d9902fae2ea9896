"""``%kubectl``, ``%%sh`` and ``%%apply`` in an IPython shell (jupyter.md §7: magics are
registered as an instance; a line magic's return value becomes the cell result)."""

from __future__ import annotations

from typing import Any

import pytest
from IPython.core.interactiveshell import InteractiveShell

import k8slab.lab as lab_module
from k8slab import Lab


@pytest.fixture(scope="module")
def ip() -> InteractiveShell:
    from IPython.testing.globalipapp import start_ipython

    shell = start_ipython()
    assert shell is not None
    shell.run_line_magic("load_ext", "k8slab")
    return shell


@pytest.fixture
def current(lab: Lab) -> Lab:
    return lab.use()


def echo_kubectl(ctx: Any, argv: list[str]) -> Any:
    ctx.stdout.write("argv=" + " ".join(argv[1:]) + "\n")
    if ctx.stdin:
        ctx.stdout.write("stdin=" + ctx.stdin)
    if "fail" in argv:
        ctx.stderr.write('Error from server (NotFound): pods "fail" not found\n')
        return 1
    return 0
    yield  # pragma: no cover


def test_magics_are_registered(ip: InteractiveShell) -> None:
    magics = ip.magics_manager.magics
    assert "kubectl" in magics["line"]
    assert {"sh", "apply"} <= set(magics["cell"])
    assert "sh" in magics["line"]


def test_line_sh_prints_like_a_terminal(ip: InteractiveShell, current: Lab,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    result = ip.run_line_magic("sh", "echo $HOME; foo")
    out, err = capsys.readouterr()
    assert result is None
    assert out == "/home/learner\n"
    assert err == "bash: foo: command not found\n"


def test_ipython_does_not_expand_variables(ip: InteractiveShell, current: Lab,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    ip.user_ns["HOME"] = "python-value"
    ip.run_line_magic("sh", "echo $HOME {x}")
    assert capsys.readouterr().out == "/home/learner {x}\n"


def test_kubectl_line_magic(ip: InteractiveShell, current: Lab,
                            capsys: pytest.CaptureFixture[str]) -> None:
    current.workstation.register("kubectl", echo_kubectl)
    ip.run_line_magic("kubectl", "get pods -o jsonpath='{.items[*].metadata.name}'")
    assert capsys.readouterr().out == "argv=get pods -o jsonpath={.items[*].metadata.name}\n"
    ip.run_line_magic("kubectl", "get pod fail")
    _, err = capsys.readouterr()
    assert err == 'Error from server (NotFound): pods "fail" not found\n'


def test_apply_sends_the_cell_on_stdin(ip: InteractiveShell, current: Lab,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    current.workstation.register("kubectl", echo_kubectl)
    ip.run_cell_magic("apply", "-n dev", "kind: Namespace\n")
    assert capsys.readouterr().out == "argv=apply -f - -n dev\nstdin=kind: Namespace\n"


def test_cell_sh_with_a_time_bound(ip: InteractiveShell, current: Lab,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    start = current.cluster.loop.now
    ip.run_cell_magic("sh", "--for 5s", "while sleep 1; do echo t; done; echo never\n")
    assert capsys.readouterr() == ("t\n" * 4, "")
    assert current.cluster.loop.now - start == 5_000_000_000


def test_cell_sh_bad_option(ip: InteractiveShell, current: Lab,
                            capsys: pytest.CaptureFixture[str]) -> None:
    ip.run_cell_magic("sh", "--forever", "echo never\n")
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("%%sh: unknown option '--forever'\nusage: %%sh [--for DURATION]")


def test_a_simulator_bug_is_one_line_not_a_traceback(ip: InteractiveShell, current: Lab,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    def broken(ctx: Any, argv: list[str]) -> Any:
        raise RuntimeError("boom")

    current.workstation.register("broken", broken)
    ip.run_line_magic("sh", "echo before; broken")
    out, err = capsys.readouterr()
    assert out == "before\n"
    assert err == "k8slab: internal error: RuntimeError: boom\n"


def test_a_lab_is_created_when_there_is_none(ip: InteractiveShell,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(lab_module, "_CURRENT", [])
    ip.run_line_magic("sh", "hostname")
    assert capsys.readouterr().out == "learner\n"
    created = lab_module.current_lab()
    assert created is not None and created.seed == 0
