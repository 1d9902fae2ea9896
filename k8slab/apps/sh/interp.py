"""The interpreter: runs the syntax tree as a process on the virtual clock.

Every node is executed by a generator that yields the effects (:class:`Sleep`,
:class:`WaitFor`) of the commands it runs and returns an exit status, so a whole script is one
:data:`~k8slab.sim.process.Proc` that the lab shell drives with ``run_blocking`` and the kubelet
with ``spawn``. Expansion follows POSIX/bash order (brace → tilde, parameter, command
substitution, arithmetic → field splitting on IFS → pathname expansion → quote removal).

Pipelines run their stages one after the other, each stage's output buffered into the next
stage's input; with virtual time this is indistinguishable from running them together, except
for a stage that never ends: it is ended by the run's deadline (``ctx.extra["deadline"]``), as
if the learner had pressed Ctrl-C, and the later stages then read what it wrote.

Deadline semantics (documented in ``docs/lab-shell.md``): when a command would sleep or wait
past the deadline, the clock is moved to the deadline, the command is ended and the whole run
stops with status 130 — bash's behaviour when the terminal's SIGINT kills the foreground job.
"""

from __future__ import annotations

import random
import re
from collections import ChainMap
from collections.abc import Generator, Mapping, MutableMapping
from typing import Any

from ...sim.fs import FSError, normpath
from ...sim.process import Buffer, ExecContext, ProcessHandle, Sleep, WaitFor, spawn
from . import patterns
from .arith import ArithError, evaluate
from .ast import (
    DQ,
    AndOr,
    Arith,
    ArithCmd,
    ArithFor,
    Case,
    CmdSub,
    Cond,
    For,
    FuncDef,
    Group,
    If,
    Lit,
    Node,
    Param,
    Part,
    Pipeline,
    Quoted,
    Redir,
    Redirected,
    Seq,
    Simple,
    Subshell,
    Tilde,
    While,
    Word,
    command_text,
)
from .limits import RUN_FOR_VAR, parse_run_for

__all__ = ["Interp", "ShellState"]

Gen = Generator[Any, Any, Any]

# Segment kinds produced by expansion.
_LIT, _QUOTED, _EXPANDED, _BREAK = 0, 1, 2, 3
_DEFAULT_IFS = " \t\n"
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_BIN_DIRS = ("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/")
_FUNCNEST = 100
_BASH_BUILTIN_COMMANDS = frozenset({"echo", "printf", "test", "["})
# A while/until loop spinning this many times without virtual time passing is busy-looping.
_SPIN_LIMIT = 10_000


# ====================================================================== control flow


#: the longest a single command outside a loop may wait in the lab shell (virtual time)
MAX_COMMAND_TIME = 24 * 3600 * 1_000_000_000


class Interrupted(Exception):
    """The run's deadline passed: the learner "pressed Ctrl-C"."""


class ExitShell(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class _Break(Exception):
    def __init__(self, n: int) -> None:
        super().__init__(n)
        self.n = n


class _Continue(_Break):
    pass


class _Return(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class ExpansionError(Exception):
    """An expansion failed (message already printed): the command line is abandoned."""

    def __init__(self, status: int = 1) -> None:
        super().__init__(status)
        self.status = status


class _RedirError(Exception):
    pass


# ====================================================================== streams


class Input:
    """A command's standard input: text plus how much of it ``read`` has consumed."""

    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def rest(self) -> str:
        return self.text[self.pos:] if self.pos else self.text

    def readline(self) -> str | None:
        if self.pos >= len(self.text):
            return None
        j = self.text.find("\n", self.pos)
        end = len(self.text) if j < 0 else j + 1
        line = self.text[self.pos:end]
        self.pos = end
        return line


class Out:
    __slots__ = ("stream", "tty")

    def __init__(self, stream: Any, tty: bool = False) -> None:
        self.stream = stream
        self.tty = tty


class _NullSink:
    def write(self, text: str) -> None:
        pass


_NULL = _NullSink()


class _FileSink:
    """``> file``: writes land in the (in-memory) filesystem as they are produced."""

    def __init__(self, fs: Any, path: str, loop: Any) -> None:
        self.fs = fs
        self.path = path
        self.loop = loop

    def write(self, text: str) -> None:
        if text:
            self.fs.write(self.path, text.encode(), now=self.loop.now, append=True)


# ====================================================================== state


class ShellState:
    """What survives between command lines of one shell: variables, functions, cwd, $?."""

    def __init__(self, env: Mapping[str, str], cwd: str, *, name: str = "bash",
                 args: list[str] | None = None, interactive: bool = False, pid: int = 1,
                 script: str = "", rng: random.Random | None = None, start: int = 0) -> None:
        self.vars: dict[str, str] = dict(env)
        self.exported: set[str] = set(env)
        self.vars.setdefault("PWD", cwd)
        self.funcs: dict[str, Node] = {}
        self.aliases: dict[str, str] = {}
        self.cwd = cwd
        self.name = name
        self.script = script  # the script file, for "x.sh: line 3:" messages
        self.from_stdin = False  # a script read from standard input (`… | bash`)
        self.positional = list(args or [])
        self.status = 0
        self.pid = pid
        self.next_pid = pid + 1
        self.last_bg: int | None = None
        self.options: set[str] = set()
        self.interactive = interactive
        self.rng = rng or random.Random(f"k8slab/sh/{pid}")
        self.start = start
        self._environ: dict[str, str] | None = None

    def copy(self) -> ShellState:
        self.environ()  # computed once here, shared by every copy until a change
        new = object.__new__(ShellState)
        new.__dict__.update(self.__dict__)
        new.vars = dict(self.vars)
        new.exported = set(self.exported)
        new.funcs = dict(self.funcs)
        new.aliases = dict(self.aliases)
        new.positional = list(self.positional)
        new.options = set(self.options)
        new._environ = self._environ
        return new

    def environ(self) -> dict[str, str]:
        env = self._environ
        if env is None:
            exported = self.exported
            env = self._environ = {k: v for k, v in self.vars.items() if k in exported}
        return env

    def changed(self) -> None:
        self._environ = None


class Run:
    """One run of a script: its deadline, its background jobs. Shared with subshells."""

    __slots__ = ("deadline", "draining", "extra", "jobs", "limit", "line_start", "reported",
                 "run_start", "signals")

    def __init__(self, extra: dict[str, Any]) -> None:
        self.extra = extra
        self.deadline: int | None = extra.get("deadline")
        self.run_start: int | None = extra.get("run_start")
        # A run started by the workstation gives every command line its own budget (the
        # learner "presses Ctrl-C" on that line only); nested shells inherit a fixed deadline.
        self.limit: int | None = (
            self.deadline - self.run_start
            if self.deadline is not None and self.run_start is not None else None
        )
        self.line_start: int | None = self.run_start
        self.draining = False
        self.jobs: list[tuple[int, ProcessHandle, str]] = []
        #: pids of finished jobs ``jobs`` has reported (bash then forgets them)
        self.reported: set[int] = set()
        #: pid → the signal ``kill`` ended a job with (``Terminated``, ``Killed``…)
        self.signals: dict[int, int] = {}

    def start_line(self, now: int) -> None:
        """A new top-level command line begins: it gets the whole budget."""
        if self.limit is None:
            return
        self.line_start = now
        self.deadline = now + self.limit
        self.extra["deadline"] = self.deadline
        self.draining = False


# ====================================================================== interpreter


class Interp:
    """Executes nodes for one shell (or subshell) with its own file descriptors."""

    def __init__(self, shell: Any, state: ShellState, ctx: ExecContext, run: Run,
                 fds: dict[int, Any]) -> None:
        self.shell = shell
        self.state = state
        self.ctx = ctx
        self.run = run
        self.fds = fds
        self.loop = ctx.loop
        self.fs = ctx.fs
        self.line = 0
        self.loop_depth = 0
        self.func_depth = 0
        # while/until/for((;;)) loops being run: only inside them does the deadline cut
        # commands short; finite commands (sleep 300, a for loop) always run to the end.
        self.unbounded = 0
        self.cond = 0
        self.locals: list[dict[str, str | None]] = []
        self.cmdsub_status: int | None = None
        # Inside a job started with `&`: the terminal's Ctrl-C never reaches it.
        self.background = False

    def child(self, fds: dict[int, Any] | None = None) -> Interp:
        """A subshell: a copy of the state, so its changes do not leak back."""
        sub = Interp(self.shell, self.state.copy(), self.ctx, self.run,
                     dict(self.fds) if fds is None else fds)
        sub.line = self.line
        sub.loop_depth = self.loop_depth
        sub.unbounded = self.unbounded
        sub.func_depth = self.func_depth
        sub.background = self.background
        return sub

    # ------------------------------------------------------------------ messages

    def prefix(self) -> str:
        return self.shell.prefix(self.state, self.line)

    def error(self, message: str) -> None:
        self.fds[2].stream.write(f"{self.prefix()}{message}\n")

    def write(self, text: str) -> None:
        self.fds[1].stream.write(text)

    # ------------------------------------------------------------------ variables

    def lookup(self, name: str) -> str | None:
        v = self.state.vars.get(name)
        if v is not None:
            if name in _DYNAMIC:
                return _DYNAMIC[name](self)
            return v
        if name.isdigit():
            idx = int(name)
            if idx == 0:
                return self.state.name
            pos = self.state.positional
            return pos[idx - 1] if idx <= len(pos) else None
        special = _SPECIAL.get(name) or _DYNAMIC.get(name)
        return special(self) if special is not None else None

    def assign(self, name: str, value: str, append: bool = False) -> None:
        state = self.state
        if append:
            value = (state.vars.get(name) or "") + value
        state.vars[name] = value
        if name in state.exported:
            state.changed()
        if name == RUN_FOR_VAR and self.run.limit is not None:
            limit = parse_run_for(value)
            if limit is not None:
                self.run.limit = limit
                start = self.run.line_start if self.run.line_start is not None else 0
                self.run.deadline = start + limit
                self.run.extra["deadline"] = self.run.deadline
        if name == "RANDOM" and value.isdigit():
            state.rng.seed(int(value))

    def unset(self, name: str) -> None:
        if self.state.vars.pop(name, None) is not None and name in self.state.exported:
            self.state.changed()
        self.state.exported.discard(name)

    def export(self, name: str) -> None:
        self.state.exported.add(name)
        self.state.changed()

    # ------------------------------------------------------------------ dispatch

    def exec(self, node: Node) -> Gen:
        return _DISPATCH[type(node)](self, node)

    def exec_seq(self, seq: Seq) -> Gen:
        status = 0
        for node, background in seq.items:
            if background:
                status = self._background(node)
                continue
            status = yield from _DISPATCH[type(node)](self, node)
            self.state.status = status
            if status and not self.cond and "errexit" in self.state.options and type(
                    node) is not AndOr and not (
                    type(node) is Pipeline and node.negate):  # type: ignore[union-attr]
                raise ExitShell(status)
        return status

    def _and_or(self, node: AndOr) -> Gen:
        self.cond += 1
        try:
            status = yield from self.exec(node.first)
            self.state.status = status
            last = len(node.rest) - 1
            for k, (op, pipe) in enumerate(node.rest):
                if (op == "&&") == (status == 0):
                    if k == last:
                        self.cond -= 1
                        try:
                            status = yield from self.exec(pipe)
                        finally:
                            self.cond += 1
                        if status and "errexit" in self.state.options and not self.cond - 1:
                            raise ExitShell(status)
                    else:
                        status = yield from self.exec(pipe)
                    self.state.status = status
        finally:
            self.cond -= 1
        return status

    def _pipeline(self, node: Pipeline) -> Gen:
        if node.negate:
            self.cond += 1
        try:
            if len(node.cmds) == 1:
                status = yield from self.exec(node.cmds[0])
            else:
                status = yield from self._stages(node)
        finally:
            if node.negate:
                self.cond -= 1
        if node.negate:
            return 0 if status else 1
        return status

    def _stages(self, node: Pipeline) -> Gen:
        run = self.run
        inp = self.fds[0]
        statuses: list[int] = []
        interrupted = False
        last = len(node.cmds) - 1
        for k, cmd in enumerate(node.cmds):
            fds = dict(self.fds)
            fds[0] = inp
            buf: Buffer | None = None
            if k < last:
                buf = Buffer()
                fds[1] = Out(buf, False)
                if node.stderr_too and node.stderr_too[k]:
                    fds[2] = fds[1]
            sub = self.child(fds)
            try:
                status = yield from sub.exec(cmd)
            except Interrupted:
                interrupted = True
                run.draining = True
                status = 130
            except ExitShell as e:
                status = e.status
            except (_Break, _Return):
                status = 0
            statuses.append(status)
            if buf is not None:
                inp = Input(buf.getvalue())
        if interrupted:
            raise Interrupted
        if "pipefail" in self.state.options:
            return next((s for s in reversed(statuses) if s), 0)
        return statuses[-1]

    def _background(self, node: Node) -> int:
        fds = dict(self.fds)
        fds[0] = Input("")
        sub = self.child(fds)
        sub.background = True
        pid = self.state.next_pid
        self.state.next_pid += 1
        self.state.last_bg = pid

        def job() -> Gen:
            try:
                status = yield from sub.exec(node)
            except Interrupted:
                status = 130
            except ExitShell as e:
                status = e.status
            except (_Break, _Return, ExpansionError):
                status = 1
            return status

        handle = spawn(self.loop, job())
        self.run.jobs.append((pid, handle, command_text(node)))
        if self.state.interactive:
            self.fds[2].stream.write(f"[{len(self.run.jobs)}] {pid}\n")
        return 0

    # ------------------------------------------------------------------ deadline

    def check_deadline(self) -> None:
        run = self.run
        if run.deadline is not None and not run.draining and self.loop.now >= run.deadline:
            raise Interrupted

    def drive(self, gen: Any) -> Gen:
        """Run a command's process, ending it at the run's deadline (Ctrl-C)."""
        if not hasattr(gen, "send"):
            return int(gen or 0)
        run = self.run
        loop = self.loop
        value = None
        while True:
            try:
                effect = gen.send(value)
            except StopIteration as stop:
                status = int(stop.value or 0)
                # A command still running when the deadline came was ended by the Ctrl-C,
                # whatever status it chose to return; outside loops only a command that says
                # so (130: kubectl get -w, watch, a nested shell) was interrupted.
                if run.deadline is not None and not run.draining and loop.now >= run.deadline \
                        and (self.unbounded or status == 130):
                    raise Interrupted from None
                return status
            deadline = run.deadline
            if deadline is None:
                value = yield effect
                continue
            if not self.unbounded:
                # Outside loops a command runs to its end (`sleep 300`), but nothing may wait
                # longer than a day of virtual time (`sleep infinity`, a forgotten -f).
                deadline = (run.line_start or loop.now) + MAX_COMMAND_TIME
            remaining = deadline - loop.now
            if type(effect) is Sleep:
                if effect.duration > remaining:
                    if remaining > 0:
                        yield Sleep(remaining)
                    gen.close()
                    raise Interrupted
                value = yield effect
            elif isinstance(effect, WaitFor):
                if effect.timeout > remaining:
                    if remaining <= 0:
                        gen.close()
                        raise Interrupted
                    ok = yield WaitFor(effect.condition, remaining, effect.poll)
                    if not ok:
                        gen.close()
                        raise Interrupted
                    value = ok
                else:
                    value = yield effect
            else:
                value = yield effect

    # ------------------------------------------------------------------ simple commands

    def _simple(self, node: Simple) -> Gen:
        run = self.run
        if self.unbounded and run.deadline is not None and not run.draining and (
                self.loop.now >= run.deadline):
            raise Interrupted
        self.line = node.line
        self.cmdsub_status = None
        words = node.words
        argv = node.argv
        if argv is not None:
            argv = list(argv)
        else:
            argv = yield from self.expand_words(words)
        assigns: list[tuple[str, str, bool]] = []
        for name, word, append in node.assigns:
            value = word.static
            if value is None:
                value = yield from self.expand_string(word)
            assigns.append((name, value, append))
        if not argv:
            for name, value, append in assigns:
                self.assign(name, value, append)
            if node.redirs:
                try:
                    yield from self.redirect(node.redirs)
                except _RedirError:
                    return 1
            return self.cmdsub_status or 0
        aliases = self.state.aliases
        if aliases and words[0].static is not None and argv[0] in aliases:
            argv = _split_alias(aliases[argv[0]]) + argv[1:]
            if not argv:
                return 0
        if "xtrace" in self.state.options:
            self.fds[2].stream.write("+ " + " ".join(_xquote(a) for a in argv) + "\n")
        if not node.redirs:
            return (yield from self.invoke(argv, assigns))
        saved = self.fds
        try:
            self.fds = yield from self.redirect(node.redirs)
        except _RedirError:
            return 1
        try:
            return (yield from self.invoke(argv, assigns))
        finally:
            self.fds = saved

    def invoke(self, argv: list[str], assigns: list[tuple[str, str, bool]] | None = None,
               functions: bool = True) -> Gen:
        """Run ``argv``: a function, a builtin, a command from the table, or a script file."""
        name = argv[0]
        state = self.state
        if functions and name in state.funcs:
            return (yield from self._with_temp(assigns, self._call(state.funcs[name], argv)))
        builtin = _builtins().get(name)
        if builtin is not None and self.shell.has_builtin(name):
            return (yield from self._with_temp(assigns, builtin(self, argv)))
        cmd = self.shell.lookup(name, self.fs, state.cwd)
        if cmd is None:
            if "/" in name:
                self.error(self.shell.no_such_file(name))
            else:
                self.error(self.shell.not_found(name))
            return 127
        env = dict(state.environ())  # a copy: the command may change its own environment
        if assigns:
            for k, v, append in assigns:
                env[k] = (env.get(k, "") + v) if append else v
        out = self.fds[1]
        ctx = self.ctx
        extra: MutableMapping[str, Any] = self.run.extra
        if name in _BASH_BUILTIN_COMMANDS and self.shell.bash:
            # bash runs these as builtins: their errors carry the shell's prefix.
            extra = {**extra, "builtin_prefix": self.prefix()}
        if self.background:
            # Tools that stop at the line's deadline (Ctrl-C) see that it cannot reach them;
            # the live view keeps later lines' deadlines visible.
            extra = ChainMap({"background": True}, extra)
        cctx = ExecContext(self.fds[0].rest(), out.stream, self.fds[2].stream, env, state.cwd,
                           ctx.fs, ctx.loop, ctx.host, out.tty, extra)
        return (yield from self.drive(cmd(cctx, argv)))

    def _with_temp(self, assigns: list[tuple[str, str, bool]] | None, gen: Gen) -> Gen:
        if not assigns:
            return (yield from gen)
        saved = [(n, self.state.vars.get(n)) for n, _, _ in assigns]
        for n, v, append in assigns:
            self.assign(n, v, append)
        try:
            return (yield from gen)
        finally:
            for n, old in saved:
                if old is None:
                    self.unset(n)
                else:
                    self.assign(n, old)

    def _call(self, body: Node, argv: list[str]) -> Gen:
        if self.func_depth >= _FUNCNEST:
            # bash has no limit and eventually crashes; the lab stops as bash does with
            # FUNCNEST set (execute_cmd.c: "maximum function nesting level exceeded").
            self.error(f"{argv[0]}: maximum function nesting level exceeded ({_FUNCNEST})")
            raise ExpansionError(1)
        state = self.state
        saved_pos = state.positional
        state.positional = argv[1:]
        self.locals.append({})
        self.func_depth += 1
        try:
            status = yield from self.exec(body)
        except _Return as r:
            status = r.status
        finally:
            self.func_depth -= 1
            frame = self.locals.pop()
            for n, old in frame.items():
                if old is None:
                    self.unset(n)
                else:
                    state.vars[n] = old
                    state.changed()
            state.positional = saved_pos
        return status

    def run_text(self, text: str) -> Gen:
        """``eval``/``source``: parse ``text`` and run it in this shell."""
        from .parser import Parser, ShellSyntaxError

        parser = Parser(text, self.shell.bash)
        status = 0
        while True:
            try:
                seq = parser.parse_next()
            except ShellSyntaxError as err:
                self.shell.report_syntax(self, err, parser, nested=True)
                return 2
            if seq is None:
                return status
            status = yield from self.exec_seq(seq)

    # ------------------------------------------------------------------ redirections

    def redirect(self, redirs: list[Redir]) -> Gen:
        fds = dict(self.fds)
        for r in redirs:
            op = r.op
            if op in ("<<", "<<-"):
                body = r.body
                text = "" if body is None else (
                    body.static if body.static is not None else (yield from self.expand_string(
                        body)))
                fds[0 if r.fd is None else r.fd] = Input(text)
                continue
            assert r.target is not None
            target = r.target.static
            if target is None:
                target = yield from self.expand_string(r.target)
            if op == "<<<":
                fds[0 if r.fd is None else r.fd] = Input(target + "\n")
                continue
            if op in (">&", "<&") and (target.isdigit() or target == "-"):
                fd = r.fd if r.fd is not None else (1 if op == ">&" else 0)
                if target == "-":
                    fds.pop(fd, None)
                    continue
                src = fds.get(int(target))
                if src is None:
                    self.error(f"{target}: Bad file descriptor")
                    raise _RedirError
                fds[fd] = src
                continue
            if op == "<":
                data = self._read_file(target)
                fds[0 if r.fd is None else r.fd] = Input(data)
                continue
            if op == "<>":
                continue
            append = op in (">>", "&>>")
            sink = self._open_sink(target, append, fds)
            if op in ("&>", "&>>") or (op == ">&" and r.fd is None):
                fds[1] = fds[2] = sink
            else:
                fds[1 if r.fd is None else r.fd] = sink
        return fds

    def _read_file(self, target: str) -> str:
        if target == "/dev/null":
            return ""
        if target in ("/dev/stdin", "-"):
            return self.fds[0].rest()
        try:
            return self.fs.read(normpath(target, self.state.cwd)).decode("utf-8", "replace")
        except FSError as err:
            self.error(f"{target}: {err.strerror_text}")
            raise _RedirError from None

    def _open_sink(self, target: str, append: bool, fds: dict[int, Any]) -> Out:
        if target == "/dev/null":
            return Out(_NULL, False)
        if target == "/dev/stdout":
            return fds[1]
        if target == "/dev/stderr":
            return fds[2]
        path = normpath(target, self.state.cwd)
        try:
            if self.fs.is_dir(path):
                raise FSError("EISDIR", path)
            if not append or not self.fs.exists(path):
                self.fs.write(path, b"", now=self.loop.now)
        except FSError as err:
            self.error(f"{target}: {err.strerror_text}")
            raise _RedirError from None
        return Out(_FileSink(self.fs, path, self.loop), False)

    # ------------------------------------------------------------------ compound commands

    def _redirected(self, node: Redirected) -> Gen:
        saved = self.fds
        try:
            self.fds = yield from self.redirect(node.redirs)
        except _RedirError:
            return 1
        try:
            return (yield from self.exec(node.node))
        finally:
            self.fds = saved

    def _group(self, node: Group) -> Gen:
        return (yield from self.exec_seq(node.body))

    def _subshell(self, node: Subshell) -> Gen:
        sub = self.child()
        try:
            return (yield from sub.exec_seq(node.body))
        except ExitShell as e:
            return e.status

    def _if(self, node: If) -> Gen:
        for cond, body in node.clauses:
            self.cond += 1
            try:
                status = yield from self.exec_seq(cond)
            finally:
                self.cond -= 1
            if status == 0:
                return (yield from self.exec_seq(body))
        if node.orelse is not None:
            return (yield from self.exec_seq(node.orelse))
        return 0

    def _while(self, node: While) -> Gen:
        status = 0
        loop = self.loop
        run = self.run
        last_now = loop.now
        spins = 0
        self.loop_depth += 1
        self.unbounded += 1
        try:
            while True:
                if run.deadline is not None and not run.draining and loop.now >= run.deadline:
                    raise Interrupted
                self.cond += 1
                try:
                    cond = yield from self.exec_seq(node.cond)
                finally:
                    self.cond -= 1
                if (cond == 0) == node.until:
                    break
                try:
                    status = yield from self.exec_seq(node.body)
                except _Continue as c:
                    if c.n > 1:
                        c.n -= 1
                        raise
                except _Break as b:
                    if b.n > 1:
                        b.n -= 1
                        raise
                    break
                if loop.now == last_now:
                    spins += 1
                    if spins >= _SPIN_LIMIT:
                        yield from self._busy_loop()
                        spins = 0
                else:
                    last_now = loop.now
                    spins = 0
        finally:
            self.loop_depth -= 1
            self.unbounded -= 1
        return status

    def _busy_loop(self) -> Gen:
        """A loop that spins without virtual time passing burns CPU time instead.

        In the lab shell it runs until the deadline (the learner would press Ctrl-C); in a
        container it lets a second pass, so the rest of the cluster keeps moving.
        """
        run = self.run
        if run.deadline is not None and not run.draining:
            remaining = run.deadline - self.loop.now
            if remaining > 0:
                yield Sleep(remaining)
            raise Interrupted
        yield Sleep(1_000_000_000)

    def _for(self, node: For) -> Gen:
        self.line = node.line
        if node.words is None:
            items = list(self.state.positional)
        else:
            items = yield from self.expand_words(node.words)
        status = 0
        run = self.run
        self.loop_depth += 1
        try:
            for item in items:
                if self.unbounded and run.deadline is not None and not run.draining and (
                        self.loop.now >= run.deadline):
                    raise Interrupted
                self.assign(node.var, item)
                try:
                    status = yield from self.exec_seq(node.body)
                except _Continue as c:
                    if c.n > 1:
                        c.n -= 1
                        raise
                except _Break as b:
                    if b.n > 1:
                        b.n -= 1
                        raise
                    break
        finally:
            self.loop_depth -= 1
        return status

    def _arith_for(self, node: ArithFor) -> Gen:
        yield from self.arith(node.init)
        status = 0
        run = self.run
        loop = self.loop
        last_now = loop.now
        spins = 0
        self.loop_depth += 1
        self.unbounded += 1
        try:
            while True:
                if loop.now == last_now:
                    spins += 1
                    if spins >= _SPIN_LIMIT:
                        yield from self._busy_loop()
                        spins = 0
                else:
                    last_now = loop.now
                    spins = 0
                if run.deadline is not None and not run.draining and (
                        self.loop.now >= run.deadline):
                    raise Interrupted
                if node.cond.src.strip():
                    value = yield from self.arith(node.cond)
                    if value == 0:
                        break
                try:
                    status = yield from self.exec_seq(node.body)
                except _Continue as c:
                    if c.n > 1:
                        c.n -= 1
                        raise
                except _Break as b:
                    if b.n > 1:
                        b.n -= 1
                        raise
                    break
                yield from self.arith(node.step)
        finally:
            self.loop_depth -= 1
            self.unbounded -= 1
        return status

    def _case(self, node: Case) -> Gen:
        subject = node.word.static
        if subject is None:
            subject = yield from self.expand_string(node.word)
        status = 0
        fall = False
        for pats, body, term in node.arms:
            if not fall:
                matched = False
                for pat in pats:
                    p = yield from self.expand_pattern(pat)
                    if patterns.match(p, subject):
                        matched = True
                        break
                if not matched:
                    continue
            status = yield from self.exec_seq(body)
            if term == ";&":
                fall = True
                continue
            fall = False
            if term != ";;&":
                break
        return status

    def _funcdef(self, node: FuncDef) -> Gen:
        self.state.funcs[node.name] = node.body
        return 0
        yield  # pragma: no cover

    def _arith_cmd(self, node: ArithCmd) -> Gen:
        self.line = node.line
        value = yield from self.arith(node.expr)
        return 0 if value else 1

    def _cond(self, node: Cond) -> Gen:
        self.line = node.line
        result = yield from self._cond_eval(node.expr)
        return 0 if result else 1

    def _cond_eval(self, expr: tuple) -> Gen:
        kind = expr[0]
        if kind == "and":
            left = yield from self._cond_eval(expr[1])
            return left and (yield from self._cond_eval(expr[2]))
        if kind == "or":
            left = yield from self._cond_eval(expr[1])
            return left or (yield from self._cond_eval(expr[2]))
        if kind == "not":
            return not (yield from self._cond_eval(expr[1]))
        if kind == "word":
            return bool((yield from self.expand_string(expr[1])))
        if kind == "unary":
            operand = yield from self.expand_string(expr[2])
            from .testexpr import unary

            return unary(expr[1], operand, self.fs, self.state.cwd, self.lookup)
        op, left_w, right_w = expr[1], expr[2], expr[3]
        left = yield from self.expand_string(left_w)
        if op in ("==", "=", "!="):
            pat = yield from self.expand_pattern(right_w)
            ok = patterns.match(pat, left)
            return ok if op != "!=" else not ok
        right = yield from self.expand_string(right_w)
        if op == "=~":
            try:
                m = re.search(right, left)
            except re.error:
                return False
            return m is not None
        if op in ("<", ">"):
            return left < right if op == "<" else left > right
        from .testexpr import binary_int

        try:
            return binary_int(op, left, right, self.fs, self.state.cwd)
        except ValueError as err:
            self.error(str(err))
            return False

    # ------------------------------------------------------------------ expansion

    def expand_words(self, words: list[Word]) -> Gen:
        out: list[str] = []
        bash = self.shell.bash
        for w in words:
            if w.static is not None:
                out.append(w.static)
                continue
            variants = [w.parts]
            if bash and any(type(p) is Lit and "{" in p.text for p in w.parts):  # type: ignore
                variants = _brace_variants(w.parts)
            for parts in variants:
                segs: list[tuple[str, int]] = []
                yield from self._segments(parts, False, segs)
                out.extend(self._fields(segs))
        return out

    def expand_string(self, word: Word) -> Gen:
        """Expand without field splitting or globbing (assignments, redirections, ``case``)."""
        if word.static is not None:
            return word.static
        segs: list[tuple[str, int]] = []
        yield from self._segments(word.parts, True, segs)
        return "".join(" " if k == _BREAK else t for t, k in segs)

    def expand_pattern(self, word: Word) -> Gen:
        """Expand a pattern word: quoted parts match literally."""
        segs: list[tuple[str, int]] = []
        yield from self._segments(word.parts, False, segs)
        return "".join(patterns.quote_pattern(t) if k == _QUOTED else (" " if k == _BREAK else t)
                       for t, k in segs)

    def _segments(self, parts: list[Part], quoted: bool, segs: list[tuple[str, int]]) -> Gen:
        for p in parts:
            t = type(p)
            if t is Lit:
                segs.append((p.text, _QUOTED if quoted else _LIT))  # type: ignore[union-attr]
            elif t is Quoted:
                segs.append((p.text, _QUOTED))  # type: ignore[union-attr]
            elif t is DQ:
                if not p.parts:  # type: ignore[union-attr]
                    segs.append(("", _QUOTED))
                else:
                    yield from self._segments(p.parts, True, segs)  # type: ignore[union-attr]
            elif t is Param:
                yield from self._param(p, quoted, segs)  # type: ignore[arg-type]
            elif t is CmdSub:
                text = yield from self.command_substitution(p)  # type: ignore[arg-type]
                segs.append((text, _QUOTED if quoted else _EXPANDED))
            elif t is Arith:
                value = yield from self.arith(p.expr)  # type: ignore[union-attr]
                segs.append((str(value), _QUOTED if quoted else _EXPANDED))
            elif t is Tilde:
                segs.append((self._tilde(p.user), _QUOTED))  # type: ignore[union-attr]

    def _tilde(self, user: str) -> str:
        if not user or user == self.state.vars.get("USER"):
            return self.state.vars.get("HOME", "/")
        if user == "root":
            return "/root"
        return "~" + user

    def _fields(self, segs: list[tuple[str, int]]) -> list[str]:
        ifs = self.state.vars.get("IFS")
        if ifs is None:
            ifs = _DEFAULT_IFS
        fields: list[list[tuple[str, bool]]] = []
        cur: list[tuple[str, bool]] = []
        present = False
        for text, kind in segs:
            if kind == _BREAK:
                if present:
                    fields.append(cur)
                cur, present = [], False
            elif kind == _EXPANDED and ifs:
                for item in _split_ifs(text, ifs):
                    if item is None:  # whitespace separator
                        if present:
                            fields.append(cur)
                        cur, present = [], False
                    elif item is _HARD:
                        fields.append(cur)
                        cur, present = [], False
                    else:
                        cur.append((item, True))
                        present = True
            elif kind == _EXPANDED:
                if text:
                    cur.append((text, True))
                    present = True
            else:
                cur.append((text, kind == _LIT))
                present = True
        if present:
            fields.append(cur)
        out: list[str] = []
        noglob = "noglob" in self.state.options
        for field in fields:
            if not noglob and any(g and ("*" in t or "?" in t or "[" in t) for t, g in field):
                pat = "".join(t if g else patterns.quote_pattern(t) for t, g in field)
                if patterns.has_magic(pat):
                    matches = patterns.glob(self.fs, pat, self.state.cwd)
                    if matches:
                        out.extend(matches)
                        continue
            out.append("".join(t for t, _ in field))
        return out

    def _param(self, p: Param, quoted: bool, segs: list[tuple[str, int]]) -> Gen:
        name, op = p.name, p.op
        kind = _QUOTED if quoted else _EXPANDED
        if op == "bad":
            self.error(f"{p.src}: bad substitution")
            raise ExpansionError(1)
        if name in ("@", "*") and op in ("", "#len"):
            args = self.state.positional
            if op == "#len":
                segs.append((str(len(args)), kind))
            elif quoted and name == "*":
                ifs = self.state.vars.get("IFS", _DEFAULT_IFS)
                segs.append(((ifs[:1]).join(args), _QUOTED))
            else:
                for k, a in enumerate(args):
                    if k:
                        segs.append(("", _BREAK))
                    segs.append((a, kind))
            return
        if name in ("@", "*"):
            value: str | None = " ".join(self.state.positional)
        else:
            value = self.lookup(name)
        if op == "":
            if value is None:
                self._nounset(name)
                value = ""
            segs.append((value, kind))
            return
        if op == "#len":
            if value is None:
                self._nounset(name)
            segs.append((str(len(value or "")), kind))
            return
        if op == "!ind":
            target = self.lookup(value) if value else None
            segs.append((target or "", kind))
            return
        colon = op.startswith(":") and op != ":sub"
        missing = value is None or (colon and value == "")
        base = op[1:] if colon else op
        if base == "-":
            if missing:
                yield from self._segments(p.arg.parts if p.arg else [], quoted, segs)
            else:
                segs.append((value or "", kind))
            return
        if base == "+":
            if not missing:
                yield from self._segments(p.arg.parts if p.arg else [], quoted, segs)
            return
        if base == "=":
            if missing:
                value = (yield from self.expand_string(p.arg)) if p.arg else ""
                self.assign(name, value)
            segs.append((value or "", kind))
            return
        if base == "?":
            if missing:
                msg = (yield from self.expand_string(p.arg)) if p.arg and p.arg.src else ""
                if not msg:
                    msg = "parameter null or not set" if colon else "parameter not set"
                self.error(f"{name}: {msg}")
                if not self.state.interactive:
                    raise ExitShell(127 if self.shell.bash else 2)
                raise ExpansionError(1)
            segs.append((value or "", kind))
            return
        if value is None:
            self._nounset(name)
            value = ""
        if op in ("#", "##", "%", "%%"):
            pat = (yield from self.expand_pattern(p.arg)) if p.arg else ""
            segs.append((_remove(value, pat, op), kind))
            return
        if op in ("/", "//", "/#", "/%"):
            pat = (yield from self.expand_pattern(p.arg)) if p.arg else ""
            rep = (yield from self.expand_string(p.arg2)) if p.arg2 else ""
            segs.append((_replace(value, pat, rep, op), kind))
            return
        if op == ":sub":
            offset = (yield from self.arith(p.arg)) if p.arg else 0
            n = len(value)
            if offset < 0:
                offset = max(0, n + offset)
            if p.arg2 is not None:
                length = yield from self.arith(p.arg2)
                if length < 0:
                    end = n + length
                    if end < offset:
                        self.error(f"{length}: substring expression < 0")
                        raise ExpansionError(1)
                else:
                    end = offset + length
                segs.append((value[offset:end], kind))
            else:
                segs.append((value[offset:], kind))
            return
        if op in ("^", "^^", ",", ",,"):
            if op == "^":
                value = value[:1].upper() + value[1:]
            elif op == "^^":
                value = value.upper()
            elif op == ",":
                value = value[:1].lower() + value[1:]
            else:
                value = value.lower()
            segs.append((value, kind))
            return
        segs.append((value, kind))  # pragma: no cover

    def _nounset(self, name: str) -> None:
        if "nounset" in self.state.options:
            self.error(f"{name}: unbound variable")
            if not self.state.interactive:
                raise ExitShell(127 if self.shell.bash else 2)
            raise ExpansionError(1)

    def command_substitution(self, part: CmdSub) -> Gen:
        buf = Buffer()
        sub = self.child({0: self.fds[0], 1: Out(buf, False), 2: self.fds[2]})
        try:
            status = yield from sub.exec_seq(part.body)
        except ExitShell as e:
            status = e.status
        except (_Break, _Return):
            status = 0
        self.cmdsub_status = status
        return buf.getvalue().rstrip("\n")

    def arith(self, word: Word) -> Gen:
        text = word.static
        if text is None:
            text = yield from self.expand_string(word)
        try:
            return evaluate(text, self.lookup, self.assign)
        except ArithError as err:
            self.error(str(err))
            raise ExpansionError(1) from None


# ====================================================================== helpers


_HARD = object()  # a non-whitespace IFS separator: always ends a field
_IFS_WS = re.compile("[ \t\n]")


def _split_ifs(text: str, ifs: str) -> list[Any]:
    """Split expanded text on IFS into pieces and separators (None = IFS whitespace)."""
    if ifs == _DEFAULT_IFS and not _IFS_WS.search(text):
        return [text] if text else []
    if ifs == _DEFAULT_IFS or all(c in " \t\n" for c in ifs):
        items: list[Any] = []
        if text[:1] and text[0] in ifs:
            items.append(None)
        pieces = [p for p in re.split("[" + re.escape(ifs) + "]+", text) if p]
        for k, piece in enumerate(pieces):
            if k:
                items.append(None)
            items.append(piece)
        if text and text[-1] in ifs and pieces:
            items.append(None)
        return items
    ws = "".join(c for c in ifs if c in " \t\n")
    items = []
    i, n = 0, len(text)
    buf: list[str] = []
    while i < n:
        c = text[i]
        if c in ifs:
            if buf:
                items.append("".join(buf))
                buf = []
            j = i
            while j < n and text[j] in ws:
                j += 1
            if j < n and text[j] in ifs and text[j] not in ws:
                j += 1
                while j < n and text[j] in ws:
                    j += 1
                items.append(_HARD)
            else:
                items.append(None)
            i = j
            continue
        buf.append(c)
        i += 1
    if buf:
        items.append("".join(buf))
    return items


def _remove(value: str, pat: str, op: str) -> str:
    if not pat:
        return value
    rx = patterns.compiled(pat)
    n = len(value)
    if op == "#":
        for k in range(n + 1):
            if rx.fullmatch(value, 0, k):
                return value[k:]
    elif op == "##":
        for k in range(n, -1, -1):
            if rx.fullmatch(value, 0, k):
                return value[k:]
    elif op == "%":
        for k in range(n, -1, -1):
            if rx.fullmatch(value, k, n):
                return value[:k]
    else:
        for k in range(n + 1):
            if rx.fullmatch(value, k, n):
                return value[:k]
    return value


def _replace(value: str, pat: str, rep: str, op: str) -> str:
    if not pat:
        return value
    if op == "/#":
        rx = patterns.compiled(pat)
        for k in range(len(value), -1, -1):
            if rx.fullmatch(value, 0, k):
                return rep + value[k:]
        return value
    if op == "/%":
        rx = patterns.compiled(pat)
        for k in range(len(value) + 1):
            if rx.fullmatch(value, k, len(value)):
                return value[:k] + rep
        return value
    if not patterns.has_magic(pat):
        lit = re.sub(r"\\(.)", r"\1", pat)
        return value.replace(lit, rep, -1 if op == "//" else 1)
    rx = re.compile(patterns.pattern_regex(pat), re.DOTALL)
    return rx.sub(lambda m: rep if m.group(0) else m.group(0), value,
                  count=0 if op == "//" else 1)


def _brace_variants(parts: list[Part]) -> list[list[Part]]:
    variants: list[list[Part]] = [[]]
    for p in parts:
        if type(p) is Lit and "{" in p.text:  # type: ignore[union-attr]
            alts = patterns.brace_expand(p.text)  # type: ignore[union-attr]
            variants = [[*v, Lit(a)] for v in variants for a in alts if a]
        else:
            variants = [[*v, p] for v in variants]
    return variants


def _split_alias(text: str) -> list[str]:
    import shlex

    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _xquote(arg: str) -> str:
    if arg and re.fullmatch(r"[A-Za-z0-9_./:=@%+,-]+", arg):
        return arg
    return "'" + arg.replace("'", "'\\''") + "'"


def _flags(it: Interp) -> str:
    opts = it.state.options
    out = "h"
    if "errexit" in opts:
        out = "e" + out
    if it.state.interactive:
        out += "i"
    if "nounset" in opts:
        out += "u"
    if "xtrace" in opts:
        out += "x"
    return out + ("BH" if it.shell.bash and it.state.interactive else "B" if it.shell.bash else "")


_SPECIAL = {
    "?": lambda it: str(it.state.status),
    "$": lambda it: str(it.state.pid),
    "#": lambda it: str(len(it.state.positional)),
    "!": lambda it: str(it.state.last_bg) if it.state.last_bg is not None else None,
    "-": _flags,
}

_DYNAMIC = {
    "RANDOM": lambda it: str(it.state.rng.randrange(32768)),
    "SECONDS": lambda it: str((it.loop.now - it.state.start) // 1_000_000_000),
    "EPOCHSECONDS": lambda it: str(it.loop.now // 1_000_000_000),
    "LINENO": lambda it: str(it.line),
}


_BUILTINS: dict[str, Any] = {}


def _builtins() -> dict[str, Any]:
    # builtins.py imports this module, so the table is fetched on first use.
    if not _BUILTINS:
        from .builtins import BUILTINS

        _BUILTINS.update(BUILTINS)
    return _BUILTINS


_DISPATCH: dict[type, Any] = {
    Simple: Interp._simple,
    Pipeline: Interp._pipeline,
    AndOr: Interp._and_or,
    Seq: Interp.exec_seq,
    If: Interp._if,
    While: Interp._while,
    For: Interp._for,
    ArithFor: Interp._arith_for,
    Case: Interp._case,
    Group: Interp._group,
    Subshell: Interp._subshell,
    FuncDef: Interp._funcdef,
    ArithCmd: Interp._arith_cmd,
    Cond: Interp._cond,
    Redirected: Interp._redirected,
}
