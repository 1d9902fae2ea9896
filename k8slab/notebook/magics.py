"""IPython magics: ``%kubectl``, ``%%sh`` and ``%%apply`` — the notebook as a terminal.

``%load_ext k8slab`` registers them (``k8slab.load_ipython_extension`` → :func:`load`). They run
on the current lab (:func:`k8slab.lab.current_lab`; a ``Lab(seed=0)`` is created if there is
none) and print what the commands print, stdout to ``sys.stdout`` and stderr to
``sys.stderr``, in the order they were written, so a cell looks like a terminal. A failing
command is never a Python exception: its message and nothing else is shown.

IPython conventions followed (``../shared/reference/jupyter.md`` §7): a ``Magics`` subclass
registered as an instance; ``@no_var_expand`` so ``$HOME`` and ``{.items[*]}`` reach the lab
shell untouched; the line is parsed by the lab's own shell, not by IPython's argparse.
"""

from __future__ import annotations

import importlib
import shlex
import sys
from typing import Any

from IPython.core.magic import (
    Magics,
    cell_magic,
    line_cell_magic,
    line_magic,
    magics_class,
    no_var_expand,
)

__all__ = ["LabMagics", "load"]

_SH_USAGE = "usage: %%sh [--for DURATION]   (DURATION: 90, 90s, 2m, 1m30s)\n"


def _current_lab() -> Any:
    # The Lab facade sits above the notebook layer, so it is looked up at call time.
    lab_module = importlib.import_module("k8slab.lab")
    lab = lab_module.current_lab()
    if lab is None:
        lab = lab_module.Lab(seed=0)
    return lab


class _Terminal:
    """stdout and stderr writers that keep the order in which a terminal would show text."""

    def __init__(self) -> None:
        self.last: Any = None

    def _write(self, stream: Any, other: Any, text: str) -> None:
        if not text:
            return
        if self.last is other:
            other.flush()
        stream.write(text)
        self.last = stream

    def stdout(self) -> Any:
        term = self

        class _Out:
            def write(self, text: str) -> None:
                term._write(sys.stdout, sys.stderr, text)

        return _Out()

    def stderr(self) -> Any:
        term = self

        class _Err:
            def write(self, text: str) -> None:
                term._write(sys.stderr, sys.stdout, text)

        return _Err()


def run(script: str, stdin: str = "", run_for: str | None = None) -> int:
    """Run lab-shell lines on the current lab, printing like a terminal; return the status."""
    term = _Terminal()
    err = term.stderr()
    try:
        lab = _current_lab()
        _, _, code = lab.workstation.run(script, stdin, run_for=run_for, stdout=term.stdout(),
                                         stderr=err)
    except Exception as exc:  # a bug in the simulator must not look like the learner's fault
        err.write(f"k8slab: internal error: {type(exc).__name__}: {exc}\n")
        code = 70
    sys.stdout.flush()
    sys.stderr.flush()
    return code


def _parse_sh_line(line: str) -> tuple[str | None, str | None]:
    """``%%sh`` options → (run_for, error)."""
    try:
        words = shlex.split(line)
    except ValueError as exc:
        return None, f"%%sh: {exc}\n{_SH_USAGE}"
    run_for = None
    k = 0
    while k < len(words):
        w = words[k]
        if w == "--for" and k + 1 < len(words):
            run_for = words[k + 1]
            k += 2
            continue
        if w.startswith("--for="):
            run_for = w.split("=", 1)[1]
            k += 1
            continue
        return None, f"%%sh: unknown option '{w}'\n{_SH_USAGE}"
    return run_for, None


@magics_class
class LabMagics(Magics):
    """The lab's magics; see each one's help (``%kubectl?``, ``%%sh?``, ``%%apply?``)."""

    @line_magic
    @no_var_expand
    def kubectl(self, line: str) -> None:
        """Run ``kubectl`` on the current lab: ``%kubectl get pods -o wide``.

        Prints kubectl's output as a terminal would; nothing is returned.
        """
        run("kubectl " + line)

    @line_cell_magic
    @no_var_expand
    def sh(self, line: str, cell: str | None = None) -> None:
        """Run lab-shell lines (bash) on the current lab's workstation.

        As a cell magic the cell holds the script; its first line takes an optional bound on
        virtual time, for commands that never end on their own::

            %%sh --for 90s
            while sleep 0.2; do curl -s -I http://ms.iirii.com:30044 | grep server; done

        Without ``--for`` the bound is ``$K8SLAB_RUN_FOR`` (``export K8SLAB_RUN_FOR=2m``),
        else 60 s; when it is reached the running command stops as if Ctrl-C were pressed.
        As a line magic the line is the script: ``%sh kubectl get pods | grep web``.
        """
        if cell is None:
            run(line)
            return
        run_for, error = _parse_sh_line(line)
        if error is not None:
            sys.stderr.write(error)
            return
        run(cell, run_for=run_for)

    @cell_magic
    @no_var_expand
    def apply(self, line: str, cell: str) -> None:
        """``kubectl apply -f -`` with the cell's YAML on standard input.

        The line adds kubectl flags: ``%%apply -n dev`` runs ``kubectl apply -f - -n dev``.
        """
        run(("kubectl apply -f - " + line).rstrip(), stdin=cell)


def load(ipython: Any) -> None:
    """Register the magics on ``ipython`` (what ``%load_ext k8slab`` does)."""
    ipython.register_magics(LabMagics(ipython))
