"""``Lab``: the one object a learner, a teacher or a test holds.

>>> from k8slab import Lab
>>> lab = Lab(seed=0)
>>> print(lab.kubectl("get nodes").stdout)          # doctest: +SKIP
NAME     STATUS   ROLES           AGE   VERSION
t.cs.1   Ready    control-plane   2m    v1.37.0
...

A lab is a whole cluster on a virtual clock plus the learner's "workstation": a shell that runs
the talk's command lines (kubectl, tcs, sleep, loops, pipes, grep, awk…). Nothing runs for real
and time only passes when a command takes time (each kubectl call takes its round trip, ``sleep``
takes what it says) or when :meth:`Lab.sleep` is called. Two labs with the same seed given the
same commands print byte-identical output.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path

from .cli.workstation import Workstation
from .cluster import Cluster
from .config import ClusterConfig
from .sim.clock import SECOND
from .sim.timefmt import rfc3339

__all__ = ["Lab", "Result", "current_lab"]

_CURRENT: list[Lab] = []


@dataclass(frozen=True)
class Result:
    """What a command printed and how it exited, shown like a terminal in a notebook.

    ``stdout`` and ``stderr`` are the two streams; ``transcript`` keeps their pieces in the
    order they were written (a warning kubectl prints before its output comes first), which is
    what :attr:`output` and the notebook display show.
    """

    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0
    transcript: tuple[tuple[str, str], ...] = field(default=(), repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0

    def _pieces(self) -> tuple[tuple[str, str], ...]:
        if self.transcript:
            return self.transcript
        return tuple(p for p in (("stdout", self.stdout), ("stderr", self.stderr)) if p[1])

    @property
    def output(self) -> str:
        """Both streams interleaved as a terminal shows them."""
        return "".join(text for _, text in self._pieces())

    def __str__(self) -> str:
        return self.output

    def __repr__(self) -> str:
        return self.output.rstrip("\n") if self.output else f"<exit {self.exit_code}>"

    def _repr_pretty_(self, printer: object, cycle: bool) -> None:
        printer.text(repr(self))  # type: ignore[attr-defined]

    def _repr_html_(self) -> str:
        parts = ['<pre class="k8slab-terminal" style="margin:0">']
        pieces = list(self._pieces())
        # Trailing newlines of the last piece would render as an empty line.
        if pieces:
            kind, text = pieces[-1]
            pieces[-1] = (kind, text.rstrip("\n"))
        for kind, text in pieces:
            if kind == "stderr":
                parts.append('<span style="color:#c0392b">' + html.escape(text) + "</span>")
            else:
                parts.append(html.escape(text))
        if not self.output:
            parts.append(html.escape(f"<exit {self.exit_code}>"))
        parts.append("</pre>")
        return "".join(parts)


class _Recorder:
    """One stream of a run, recording its pieces in a shared, ordered transcript."""

    def __init__(self, kind: str, transcript: list[tuple[str, str]]) -> None:
        self.kind = kind
        self.transcript = transcript

    def write(self, text: str) -> None:
        if text:
            self.transcript.append((self.kind, text))


class Lab:
    """A seeded cluster and a workstation to drive it from."""

    def __init__(
        self,
        seed: int | str = 0,
        *,
        config: ClusterConfig | None = None,
        workdir: str | Path | None = None,
    ) -> None:
        self.seed = seed
        self.cluster = Cluster(seed, config)
        self.cluster.boot()
        self.workstation = Workstation(self.cluster, workdir=Path(workdir or Path.cwd()))
        _CURRENT.append(self)
        del _CURRENT[:-1]

    # ------------------------------------------------------------------ commands

    def _run(self, script: str, stdin: str = "", run_for: float | str | None = None) -> Result:
        transcript: list[tuple[str, str]] = []
        out, err, code = self.workstation.run(
            script, stdin, run_for=run_for, stdout=_Recorder("stdout", transcript),
            stderr=_Recorder("stderr", transcript))
        return Result(out, err, code, tuple(transcript))

    def sh(self, script: str, *, run_for: float | str | None = None) -> Result:
        """Run lab-shell command lines (several lines, loops and pipes allowed).

        ``run_for`` (seconds, or ``"90s"``/``"2m"``) is the budget of a never-ending line
        (``while sleep 0.2; do …; done``) instead of ``K8SLAB_RUN_FOR`` (docs/lab-shell.md).
        """
        return self._run(script, run_for=run_for)

    def kubectl(self, command: str, *, run_for: float | str | None = None) -> Result:
        """Run one kubectl command line, e.g. ``lab.kubectl("get pods -o wide")``."""
        return self._run("kubectl " + command, run_for=run_for)

    def apply(self, manifest: str) -> Result:
        """``kubectl apply -f -`` with ``manifest`` on stdin (what ``%%apply`` does)."""
        return self._run("kubectl apply -f -", stdin=manifest)

    def sleep(self, seconds: float) -> Result:
        """Let ``seconds`` of virtual time pass (like ``sleep`` in the lab shell)."""
        self.cluster.loop.advance(round(seconds * SECOND))
        return Result()

    # ------------------------------------------------------------------ state

    @property
    def api(self):
        return self.cluster.api

    @property
    def trace(self):
        return self.cluster.trace

    @property
    def now(self) -> str:
        """The virtual wall clock, RFC 3339."""
        return rfc3339(self.cluster.loop.now)

    @property
    def elapsed(self) -> float:
        """Seconds of virtual time since the cluster was created."""
        return (self.cluster.loop.now - self.cluster.loop.start) / SECOND

    def use(self) -> Lab:
        """Make this lab the one the ``%kubectl``/``%%sh`` magics talk to."""
        _CURRENT.append(self)
        del _CURRENT[:-1]
        return self


def current_lab() -> Lab | None:
    """The lab most recently created or selected with :meth:`Lab.use`."""
    return _CURRENT[-1] if _CURRENT else None
