"""Processes on the virtual clock: the lab shell's commands and the containers' programs.

A process is a Python generator. It runs until it needs time to pass, then yields an effect:

- :class:`Sleep` — resume after a duration (``sleep 30`` in a container, a request's latency,
  ``kubectl``'s round trip);
- :class:`WaitFor` — resume once a condition holds or a timeout elapses (``kubectl rollout
  status``, ``kubectl wait``); the generator receives True if the condition held.

It returns its exit status. The same generator can be driven two ways:

- :func:`run_blocking` — the lab shell and ``Lab.kubectl``: the caller *is* the outside world,
  so a Sleep advances the whole cluster (this is how ``sleep 5`` moves the lab forward);
- :func:`spawn` — a container's main process: the process is scheduled on the loop next to
  everything else and can be killed (liveness failure, pod deletion).

Output goes through :class:`Stream` objects, so a container's stdout can become its log while a
shell command's stdout is collected into a string.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, MutableMapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clock import Loop, Timer
from .fs import MemoryFS

__all__ = [
    "FOREVER",
    "Buffer",
    "Command",
    "ExecContext",
    "Proc",
    "ProcessHandle",
    "Sleep",
    "Stream",
    "WaitFor",
    "bounded_sleep",
    "run_blocking",
    "spawn",
]


#: "run until killed": ten years of virtual time. A process on the loop that sleeps this long
#: is parked without a timer (a server's PID 1 after start-up: 30,000 of them in the large
#: benchmark); only :meth:`ProcessHandle.kill` ends it.
FOREVER = 10 * 365 * 86400 * 1_000_000_000


class Sleep:
    """Let ``duration`` ns of virtual time pass."""

    __slots__ = ("duration",)

    def __init__(self, duration: int) -> None:
        self.duration = max(0, int(duration))

    def __repr__(self) -> str:
        return f"Sleep({self.duration})"


class WaitFor:
    """Wait until ``condition()`` is true, checking at least every ``poll`` ns, for at most
    ``timeout`` ns. The process is resumed with True (condition met) or False (timed out)."""

    __slots__ = ("condition", "poll", "timeout")

    def __init__(self, condition: Callable[[], bool], timeout: int, poll: int = 100_000_000):
        self.condition = condition
        self.timeout = max(0, int(timeout))
        self.poll = max(1, int(poll))


Effect = Sleep | WaitFor
Proc = Generator[Effect, Any, int]


class Stream(Protocol):
    def write(self, text: str) -> None: ...


class Buffer:
    """A Stream that collects text."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        if text:
            self.parts.append(text)

    def getvalue(self) -> str:
        return "".join(self.parts)


@dataclass
class ExecContext:
    """Everything a command sees when it runs: its streams, environment and machine.

    ``host`` is the machine the command runs on — the learner's workstation or a container —
    and is what host-specific commands (kubectl, curl, busybox applets) reach through.
    ``tty`` tells tools that behave differently on a terminal (HTTPie) where stdout goes.
    """

    stdin: str
    stdout: Stream
    stderr: Stream
    env: dict[str, str]
    cwd: str
    fs: MemoryFS
    loop: Loop
    host: Any = None
    tty: bool = False
    # a ChainMap when a background job layers its own keys over its shell's
    extra: MutableMapping[str, Any] = field(default_factory=dict)

    @property
    def now(self) -> int:
        return self.loop.now


def bounded_sleep(ctx: ExecContext, duration: int) -> Generator[Effect, Any, bool]:
    """Sleep ``duration`` ns unless the run's deadline (``ctx.extra["deadline"]``) comes first.

    Never-ending commands (``tail -f``, ``watch``, ``kubectl get -w``) wait with this: it
    returns False once the deadline is reached (the learner "pressed Ctrl-C"), True otherwise.
    """
    deadline = ctx.extra.get("deadline")
    if deadline is not None and ctx.loop.now + duration >= deadline:
        if deadline > ctx.loop.now:
            yield Sleep(deadline - ctx.loop.now)
        return False
    yield Sleep(duration)
    return True


# A command: given its context and argv (argv[0] is the command name), a process.
Command = Callable[[ExecContext, list[str]], Proc]


def run_blocking(loop: Loop, proc: Proc) -> int:
    """Drive ``proc`` to completion, advancing the whole cluster whenever it waits."""
    value: Any = None
    while True:
        try:
            effect = proc.send(value)
        except StopIteration as stop:
            return int(stop.value or 0)
        value = None
        if isinstance(effect, Sleep):
            loop.advance(effect.duration)
        elif isinstance(effect, WaitFor):
            def waiting(c: Callable[[], bool] = effect.condition) -> bool:
                return not c()

            value = loop.run_while(waiting, limit=effect.timeout, poll=effect.poll)
        else:  # pragma: no cover - programming error
            raise TypeError(f"unknown effect {effect!r}")


class ProcessHandle:
    """A process running on the loop (a container's main program)."""

    __slots__ = ("_deadline", "_timer", "exit_code", "loop", "on_exit", "proc")

    def __init__(self, loop: Loop, proc: Proc, on_exit: Callable[[int], None] | None) -> None:
        self.loop = loop
        self.proc = proc
        self.on_exit = on_exit
        self.exit_code: int | None = None
        self._timer: Timer | None = None
        self._deadline = 0

    @property
    def running(self) -> bool:
        return self.exit_code is None

    def _step(self, value: Any = None) -> None:
        self._timer = None
        if self.exit_code is not None:
            return
        try:
            effect = self.proc.send(value)
        except StopIteration as stop:
            self._finish(int(stop.value or 0))
            return
        if isinstance(effect, Sleep):
            if effect.duration < FOREVER:
                self._timer = self.loop.call_later(effect.duration, self._step)
        elif isinstance(effect, WaitFor):
            self._deadline = self.loop.now + effect.timeout
            self._poll(effect)
        else:  # pragma: no cover
            raise TypeError(f"unknown effect {effect!r}")

    def _poll(self, effect: WaitFor) -> None:
        self._timer = None
        if self.exit_code is not None:
            return
        if effect.condition():
            self._step(True)
        elif self.loop.now >= self._deadline:
            self._step(False)
        else:
            delay = min(effect.poll, self._deadline - self.loop.now)
            self._timer = self.loop.call_later(delay, self._poll, effect)

    def _finish(self, code: int) -> None:
        self.exit_code = code
        if self.on_exit is not None:
            self.on_exit(code)

    def kill(self, code: int = 137) -> None:
        """Stop the process now (SIGKILL); ``on_exit`` runs with ``code``."""
        if self.exit_code is not None:
            return
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.proc.close()
        self._finish(code)


def spawn(loop: Loop, proc: Proc, on_exit: Callable[[int], None] | None = None) -> ProcessHandle:
    """Start ``proc`` on the loop at the current instant."""
    handle = ProcessHandle(loop, proc, on_exit)
    loop.call_later(0, handle._step)  # call_soon, without its extra call
    return handle
