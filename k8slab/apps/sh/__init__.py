"""The shell language of the lab: bash on the learner's workstation, ash in busybox containers.

>>> shell = Shell(commands, flavour="bash")                       # doctest: +SKIP
>>> run_blocking(loop, shell.run_script(ctx, "for i in `seq 3`; do echo $i; done"))

:class:`Shell` owns a command table (a mapping from names to
:data:`~k8slab.sim.process.Command`, looked up live so a command registered later is found) and
a flavour that decides the wording of its messages: ``"bash"`` is GNU bash 5.2 (``bash: foo:
command not found``, exit 127; ``syntax error near unexpected token `done'``, exit 2),
``"busybox"`` is BusyBox ash (``sh: foo: not found``; ``syntax error: unexpected "done"``).

:meth:`Shell.run_script` runs a script as a process on the virtual clock; :meth:`Shell.command`
is the ``sh``/``bash`` program itself (``sh -c '…'``, ``bash script.sh``) for a command table,
so a container can run ``/bin/sh -c "<script>"``. The language is parsed by our own code
(:mod:`.parser`); sources for behaviour are bash's ``parse.y``/``subst.c``/``execute_cmd.c``
and BusyBox's ``shell/ash.c``, as cited in each module.
"""

from __future__ import annotations

import random
from collections.abc import Generator, Mapping
from functools import partial
from typing import Any

from ...sim.fs import FSError, MemoryFS, normpath
from ...sim.process import Command, ExecContext, Proc
from .builtins import BASH_ONLY, BUILTINS
from .interp import (
    ExitShell,
    ExpansionError,
    Input,
    Interp,
    Interrupted,
    Out,
    Run,
    ShellState,
    _Break,
    _Return,
)
from .limits import DEFAULT_RUN_FOR, RUN_FOR_VAR, parse_run_for
from .parser import Parser, ShellSyntaxError

__all__ = [
    "DEFAULT_RUN_FOR",
    "RUN_FOR_VAR",
    "Shell",
    "ShellState",
    "ShellSyntaxError",
    "parse_run_for",
]

_BIN_DIRS = ("/bin/", "/usr/bin/", "/usr/local/bin/", "/sbin/", "/usr/sbin/")
# ash quotes these tokens in "unexpected …" messages (tokname_array entries marked \1).
_ASH_QUOTED = frozenset({")", ";;", "`", "do", "done", "elif", "else", "esac", "fi", "then", "}"})


class Shell:
    """A shell of one flavour over a command table."""

    def __init__(self, commands: Mapping[str, Command], flavour: str = "bash") -> None:
        if flavour not in ("bash", "busybox"):
            raise ValueError(f"unknown shell flavour {flavour!r}")
        self.commands = commands
        self.flavour = flavour
        self.bash = flavour == "bash"
        self.name = "bash" if self.bash else "sh"
        self.bindir = "/usr/bin" if self.bash else "/bin"
        # Where `which`/`type` say a command lives, when not in ``bindir``.
        self.paths: dict[str, str] = {}

    # ------------------------------------------------------------------ running

    def new_state(self, env: Mapping[str, str], cwd: str, *, interactive: bool = False,
                  name: str | None = None, args: list[str] | None = None, script: str = "",
                  pid: int = 1, rng: random.Random | None = None, start: int = 0) -> ShellState:
        """A fresh shell: ``env`` becomes its exported variables."""
        return ShellState(env, cwd, name=name or self.name, args=args, interactive=interactive,
                          pid=pid, script=script, rng=rng, start=start)

    def run_script(self, ctx: ExecContext, script: str, *,
                   state: ShellState | None = None) -> Proc:
        """Run ``script``; the process returns the exit status of the last command.

        ``state`` carries variables, functions and the working directory across runs (the
        workstation keeps one for its whole session). ``ctx.extra["deadline"]`` (absolute
        virtual ns), when present, interrupts the run as Ctrl-C would: status 130.
        """
        if state is None:
            state = self.new_state(ctx.env, ctx.cwd, pid=int(ctx.extra.get("pid", 1)),
                                   start=ctx.loop.now)
        extra = dict(ctx.extra)
        extra["shell"] = self
        run = Run(extra)
        fds = {0: Input(ctx.stdin), 1: Out(ctx.stdout, ctx.tty), 2: Out(ctx.stderr, False)}
        it = Interp(self, state, ctx, run, fds)
        parser = Parser(script, self.bash)
        status = 0
        try:
            while True:
                try:
                    seq = parser.parse_next()
                except ShellSyntaxError as err:
                    self.report_syntax(it, err, parser)
                    status = state.status = 2
                    if state.interactive:
                        parser.recover()
                        continue
                    break
                if parser.warnings:
                    for warning in parser.warnings:
                        where = self.prefix(state, parser.eof_line() - 1)
                        ctx.stderr.write(f"{where}warning: {warning}\n")
                    parser.warnings.clear()
                if seq is None:
                    break
                run.start_line(ctx.loop.now)
                try:
                    status = yield from it.exec_seq(seq)
                except ExpansionError as err:
                    status = err.status
                except (_Break, _Return):
                    status = 0
                except Interrupted:
                    # The workstation's Ctrl-C ends this command line only; the next lines
                    # of the cell still run, as if typed after the interruption.
                    if run.limit is None:
                        raise
                    status = 130
                state.status = status
        except ExitShell as err:
            status = err.status
        except Interrupted:
            status = 130
        finally:
            for _pid, handle, _cmd in run.jobs:
                handle.kill(143)
        state.status = status
        return status

    def command(self, ctx: ExecContext, argv: list[str]) -> Proc:
        """The shell as a program: ``sh -c 'cmd' [name [args…]]``, ``bash file [args…]``,
        or a script on standard input."""
        args = list(argv[1:])
        arg0 = argv[0] if argv else self.name
        options: set[str] = set()
        cmd_mode = False
        while args and args[0][:1] in ("-", "+") and args[0] not in ("-", "--"):
            opt = args.pop(0)
            if opt.startswith("--"):
                continue
            if opt in ("-o", "+o"):
                name = args.pop(0) if args else ""
                if opt == "-o" and name:
                    options.add(name)
                continue
            for ch in opt[1:]:
                if ch == "c":
                    cmd_mode = True
                elif ch in "eux":
                    options.add({"e": "errexit", "u": "nounset", "x": "xtrace"}[ch])
        if args and args[0] == "--":
            args.pop(0)
        script_file = ""
        if cmd_mode:
            if not args:
                ctx.stderr.write(f"{arg0}: -c: option requires an argument\n")
                return 2
            text = args[0]
            name = args[1] if len(args) > 1 else arg0
            positional = args[2:]
        elif args:
            script_file = args[0]
            try:
                text = ctx.fs.read(normpath(script_file, ctx.cwd)).decode("utf-8", "replace")
            except FSError as err:
                if self.bash:
                    ctx.stderr.write(f"{arg0}: {script_file}: {err.strerror_text}\n")
                    return 127 if err.code == "ENOENT" else 126
                ctx.stderr.write(f"{arg0}: can't open '{script_file}': {err.strerror_text}\n")
                return 2
            name = script_file
            positional = args[1:]
        else:
            text = ctx.stdin
            name = arg0
            positional = []
        state = self.new_state(ctx.env, ctx.cwd, name=name, args=positional, script=script_file,
                               pid=int(ctx.extra.get("pid", 1)), start=ctx.loop.now)
        state.options |= options
        state.from_stdin = not (cmd_mode or script_file)
        sub = ExecContext("" if not (cmd_mode or script_file) else ctx.stdin, ctx.stdout,
                          ctx.stderr, ctx.env, ctx.cwd, ctx.fs, ctx.loop, ctx.host, ctx.tty,
                          ctx.extra)
        return (yield from self.run_script(sub, text, state=state))

    # ------------------------------------------------------------------ lookup

    def lookup(self, name: str, fs: MemoryFS | None = None, cwd: str = "/") -> Command | None:
        """The program ``name`` runs: a command of the table (also by its path, e.g.
        ``/bin/sh``), or a script file on ``fs``; None if there is none."""
        if "/" not in name:
            return self.commands.get(name)
        for d in _BIN_DIRS:
            if name.startswith(d) and "/" not in name[len(d):]:
                cmd = self.commands.get(name[len(d):])
                if cmd is not None:
                    return cmd
        if fs is not None:
            path = normpath(name, cwd)
            if fs.exists(path) and not fs.is_dir(path):
                return partial(_run_file, self)
        return None

    def path_of(self, name: str) -> str | None:
        """Where ``which`` finds ``name``."""
        if "/" in name or name not in self.commands:
            return None
        return self.paths.get(name) or f"{self.bindir}/{name}"

    def has_builtin(self, name: str) -> bool:
        return name in BUILTINS and (self.bash or name not in BASH_ONLY)

    # ------------------------------------------------------------------ messages

    def prefix(self, state: ShellState, line: int) -> str:
        """What precedes the shell's own error messages."""
        if state.interactive:
            return f"{state.name}: "
        if state.script:
            return f"{state.script}: line {line}: "
        if self.bash:
            return f"{state.name}: line {line}: "
        return f"{state.name}: "

    def not_found(self, name: str) -> str:
        return f"{name}: command not found" if self.bash else f"{name}: not found"

    def no_such_file(self, name: str) -> str:
        return f"{name}: No such file or directory" if self.bash else f"{name}: not found"

    def report_syntax(self, it: Interp, err: ShellSyntaxError, parser: Parser,
                      nested: bool = False) -> None:
        """Print a syntax error as bash (``parse.y: report_syntax_error``) or ash would."""
        state = it.state
        write = it.fds[2].stream.write
        line = err.line if err.line > 0 else parser.eof_line()
        if self.bash:
            echo = True
            if state.interactive or nested:
                pre = f"{state.name}: "
                echo = False
            elif state.script or state.from_stdin:
                pre = f"{state.name}: line {line}: "
            else:
                pre = f"{state.name}: -c: line {line}: "
            if err.kind == "quote":
                write(f"{pre}unexpected EOF while looking for matching `{err.token}'\n")
            elif err.kind == "eof":
                write(f"{pre}syntax error: unexpected end of file\n")
            else:
                write(f"{pre}syntax error near unexpected token `{err.token}'\n")
                if echo:
                    write(f"{pre}`{parser.line_text(line)}'\n")
            return
        pre = self.prefix(state, line)
        if err.kind == "quote":
            write(f"{pre}syntax error: unterminated quoted string\n")
            return
        token = f'"{err.token}"' if err.token in _ASH_QUOTED else err.token
        expecting = f' (expecting "{err.expecting}")' if err.expecting else ""
        write(f"{pre}syntax error: unexpected {token}{expecting}\n")


def _run_file(shell: Shell, ctx: ExecContext, argv: list[str]) -> Generator[Any, Any, int]:
    """``./script.sh args``: run a script file with a fresh shell of the same flavour."""
    return (yield from shell.command(ctx, [shell.name, argv[0], *argv[1:]]))


