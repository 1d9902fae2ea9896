"""Shell builtins: the commands that must run inside the shell because they change it.

``cd``, ``export``, ``unset``, ``set``, ``read``, ``exit``/``return``/``break``/``continue``,
``shift``, ``local``, ``source``/``.``, ``eval``, ``exec``, ``alias``, ``type``, ``command``,
``which``, ``let``, ``wait``, ``kill``, ``jobs``, ``trap``, ``time``, ``:``, ``true``,
``false``. Wording follows bash's ``builtins/*.def`` (``bash: cd: x: No such file or
directory``) and, for the busybox flavour, ash (``sh: cd: can't cd to x: …``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from typing import Any

from ...sim.clock import SECOND
from ...sim.fs import FSError, normpath
from ...sim.process import WaitFor
from .arith import ArithError, evaluate
from .interp import ExitShell, Interp, Interrupted, _Break, _Continue, _Return

__all__ = ["BUILTINS"]

Gen = Generator[Any, Any, int]
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def _instant(fn: Callable[[Interp, list[str]], int]) -> Callable[[Interp, list[str]], Gen]:
    def run(it: Interp, argv: list[str]) -> Gen:
        return fn(it, argv)
        yield  # pragma: no cover

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


def _berr(it: Interp, name: str, message: str) -> None:
    it.error(f"{name}: {message}")


# ---------------------------------------------------------------------- trivial


@_instant
def _colon(it: Interp, argv: list[str]) -> int:
    return 0


@_instant
def _false(it: Interp, argv: list[str]) -> int:
    return 1


# ---------------------------------------------------------------------- directories


@_instant
def _cd(it: Interp, argv: list[str]) -> int:
    args = [a for a in argv[1:] if a not in ("-L", "-P")]
    state = it.state
    if it.shell.bash and len(args) > 1:
        _berr(it, "cd", "too many arguments")
        return 1
    target = args[0] if args else None
    print_dir = False
    if target is None:
        target = state.vars.get("HOME")
        if target is None:
            _berr(it, "cd", "HOME not set")
            return 1
    elif target == "-":
        target = state.vars.get("OLDPWD")
        if target is None:
            _berr(it, "cd", "OLDPWD not set")
            return 1
        print_dir = True
    path = normpath(target, state.cwd)
    if not it.fs.is_dir(path):
        why = "Not a directory" if it.fs.exists(path) else "No such file or directory"
        if it.shell.bash:
            _berr(it, "cd", f"{target}: {why}")
        else:
            _berr(it, "cd", f"can't cd to {target}: {why}")
        return 1 if it.shell.bash else 2
    it.assign("OLDPWD", state.cwd)
    state.cwd = path
    it.assign("PWD", path)
    if print_dir:
        it.write(path + "\n")
    return 0


@_instant
def _pwd(it: Interp, argv: list[str]) -> int:
    it.write(it.state.cwd + "\n")
    return 0


# ---------------------------------------------------------------------- variables


def _quote_value(value: str, bash: bool) -> str:
    if bash:
        return '"' + re.sub(r'(["\\$`])', r"\\\1", value) + '"'
    return "'" + value.replace("'", "'\"'\"'") + "'"


@_instant
def _export(it: Interp, argv: list[str]) -> int:
    args = argv[1:]
    unexport = False
    while args and args[0].startswith("-") and len(args[0]) > 1:
        opt = args.pop(0)
        if opt == "--":
            break
        if "n" in opt:
            unexport = True
    if not args:
        state = it.state
        for name in sorted(n for n in state.vars if n in state.exported):
            value = state.vars[name]
            if it.shell.bash:
                it.write(f"declare -x {name}={_quote_value(value, True)}\n")
            else:
                it.write(f"export {name}={_quote_value(value, False)}\n")
        return 0
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        append = name.endswith("+")
        if append:
            name = name[:-1]
        if not _NAME.match(name):
            _berr(it, "export", f"`{arg}': not a valid identifier")
            status = 1
            continue
        if eq:
            it.assign(name, value, append)
        if unexport:
            it.state.exported.discard(name)
            it.state.changed()
        else:
            it.export(name)
    return status


def _declare_impl(it: Interp, argv: list[str]) -> int:
    args = argv[1:]
    export = False
    while args and args[0].startswith(("-", "+")) and len(args[0]) > 1:
        opt = args.pop(0)
        if "x" in opt and opt.startswith("-"):
            export = True
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if not _NAME.match(name):
            _berr(it, argv[0], f"`{arg}': not a valid identifier")
            status = 1
            continue
        if argv[0] == "local" or (it.func_depth and argv[0] in ("declare", "typeset")):
            if not it.locals:
                _berr(it, "local", "can only be used in a function")
                return 1
            frame = it.locals[-1]
            if name not in frame:
                frame[name] = it.state.vars.get(name)
            if not eq and name not in it.state.vars:
                it.assign(name, "")
        if eq:
            it.assign(name, value)
        if export:
            it.export(name)
    return status


_declare = _instant(_declare_impl)


@_instant
def _local(it: Interp, argv: list[str]) -> int:
    if not it.locals:
        _berr(it, "local", "can only be used in a function")
        return 1
    return _declare_impl(it, argv)


@_instant
def _readonly(it: Interp, argv: list[str]) -> int:
    for arg in argv[1:]:
        name, eq, value = arg.partition("=")
        if eq and _NAME.match(name):
            it.assign(name, value)
    return 0


@_instant
def _unset(it: Interp, argv: list[str]) -> int:
    funcs = False
    status = 0
    for arg in argv[1:]:
        if arg == "-f":
            funcs = True
            continue
        if arg == "-v":
            continue
        if funcs:
            it.state.funcs.pop(arg, None)
        elif not _NAME.match(arg):
            _berr(it, "unset", f"`{arg}': not a valid identifier")
            status = 1
        else:
            it.unset(arg)
    return status


_SET_OPTS = {"e": "errexit", "u": "nounset", "x": "xtrace", "f": "noglob", "C": "noclobber"}


@_instant
def _set(it: Interp, argv: list[str]) -> int:
    args = argv[1:]
    state = it.state
    if not args:
        for name in sorted(state.vars):
            it.write(f"{name}={_shell_quote(state.vars[name])}\n")
        return 0
    while args:
        arg = args[0]
        if arg == "--":
            args.pop(0)
            state.positional = list(args)
            return 0
        if arg in ("-o", "+o"):
            args.pop(0)
            opt = args.pop(0) if args else ""
            if not opt:
                for name in ("errexit", "noglob", "nounset", "pipefail", "xtrace"):
                    on = "on" if name in state.options else "off"
                    it.write(f"{name:<15}\t{on}\n")
                continue
            if opt not in ("errexit", "nounset", "xtrace", "pipefail", "noglob", "noclobber"):
                _berr(it, "set", f"{opt}: invalid option name")
                return 1
            (state.options.add if arg == "-o" else state.options.discard)(opt)
            continue
        if arg[:1] in ("-", "+") and len(arg) > 1:
            args.pop(0)
            for ch in arg[1:]:
                opt = _SET_OPTS.get(ch)
                if opt is None:
                    _berr(it, "set", f"{arg[0]}{ch}: invalid option")
                    return 2
                (state.options.add if arg[0] == "-" else state.options.discard)(opt)
            continue
        state.positional = list(args)
        return 0
    return 0


def _shell_quote(value: str) -> str:
    if re.fullmatch(r"[A-Za-z0-9_./:,+@%=-]*", value) and value:
        return value
    return "'" + value.replace("'", "'\\''") + "'"


@_instant
def _shift(it: Interp, argv: list[str]) -> int:
    n = 1
    if len(argv) > 1:
        try:
            n = int(argv[1])
        except ValueError:
            _berr(it, "shift", f"{argv[1]}: numeric argument required")
            return 1
    if n > len(it.state.positional):
        return 1
    it.state.positional = it.state.positional[n:]
    return 0


@_instant
def _read(it: Interp, argv: list[str]) -> int:
    raw = False
    names: list[str] = []
    args = argv[1:]
    prompt = ""
    while args:
        a = args.pop(0)
        if a == "-r":
            raw = True
        elif a == "-p" and args:
            prompt = args.pop(0)
        elif a in ("-s", "-e"):
            continue
        elif a in ("-t", "-n", "-d", "-u") and args:
            args.pop(0)
        else:
            names.append(a)
            names.extend(args)
            break
    if prompt and it.state.interactive:
        it.fds[2].stream.write(prompt)
    line = it.fds[0].readline()
    if line is None:
        for name in names or ["REPLY"]:
            it.assign(name, "")
        return 1
    eof = not line.endswith("\n")
    text = line[:-1] if not eof else line
    if not raw:
        text = re.sub(r"\\(.)", r"\1", text.replace("\\\n", ""))
    if not names:
        it.assign("REPLY", text)
        return 1 if eof else 0
    ifs = it.state.vars.get("IFS", " \t\n")
    ws = "".join(c for c in ifs if c in " \t\n")
    text = text.strip(ws) if ws else text
    values: list[str] = []
    rest = text
    for _ in range(len(names) - 1):
        if not rest:
            values.append("")
            continue
        m = re.search("[" + re.escape(ifs) + "]+", rest) if ifs else None
        if m is None:
            values.append(rest)
            rest = ""
        else:
            values.append(rest[:m.start()])
            rest = rest[m.end():]
    values.append(rest.rstrip(ws) if ws else rest)
    for name, value in zip(names, values):
        it.assign(name, value)
    return 1 if eof else 0


# ---------------------------------------------------------------------- control


def _count(it: Interp, name: str, argv: list[str], default: int) -> int | None:
    if len(argv) < 2:
        return default
    try:
        return int(argv[1])
    except ValueError:
        _berr(it, name, f"{argv[1]}: numeric argument required")
        return None


@_instant
def _exit(it: Interp, argv: list[str]) -> int:
    n = _count(it, "exit", argv, it.state.status)
    raise ExitShell((2 if n is None else n) & 255)


@_instant
def _return(it: Interp, argv: list[str]) -> int:
    n = _count(it, "return", argv, it.state.status)
    if not it.func_depth:
        _berr(it, "return", "can only `return' from a function or sourced script")
        return 2 if it.shell.bash else 1
    raise _Return((2 if n is None else n) & 255)


@_instant
def _break(it: Interp, argv: list[str]) -> int:
    n = _count(it, argv[0], argv, 1)
    if n is None:
        return 1
    if not it.loop_depth:
        if it.shell.bash:
            _berr(it, argv[0], "only meaningful in a `for', `while', or `until' loop")
        return 0
    if n < 1:
        _berr(it, argv[0], f"{n}: loop count out of range")
        return 1
    raise (_Break if argv[0] == "break" else _Continue)(min(n, it.loop_depth))


def _eval(it: Interp, argv: list[str]) -> Gen:
    if it.func_depth >= 100:
        it.error("eval: maximum nesting level exceeded (100)")
        return 1
    it.func_depth += 1
    try:
        return (yield from it.run_text(" ".join(argv[1:])))
    finally:
        it.func_depth -= 1


def _source(it: Interp, argv: list[str]) -> Gen:
    if len(argv) < 2:
        _berr(it, argv[0], "filename argument required")
        return 2
    path = normpath(argv[1], it.state.cwd)
    try:
        text = it.fs.read(path).decode("utf-8", "replace")
    except FSError as err:
        _berr(it, argv[0], f"{argv[1]}: {err.strerror_text}")
        return 1
    if it.func_depth >= 100:
        _berr(it, argv[0], "maximum nesting level exceeded (100)")
        return 1
    saved = it.state.positional
    if len(argv) > 2:
        it.state.positional = argv[2:]
    it.func_depth += 1
    try:
        return (yield from it.run_text(text))
    except _Return as r:
        return r.status
    finally:
        it.func_depth -= 1
        it.state.positional = saved


def _exec(it: Interp, argv: list[str]) -> Gen:
    if len(argv) == 1:
        return 0
    status = yield from it.invoke(argv[1:])
    raise ExitShell(status)


def _command(it: Interp, argv: list[str]) -> Gen:
    args = argv[1:]
    mode = ""
    while args and args[0] in ("-v", "-V", "-p"):
        if args[0] != "-p":
            mode = args[0]
        args.pop(0)
    if not args:
        return 0
    if mode:
        status = 0
        for name in args:
            desc = _describe(it, name)
            if desc is None:
                if mode == "-V":
                    _berr(it, "command", f"{name}: not found")
                status = 1
            elif mode == "-v":
                it.write((desc[1] if desc[0] == "file" else name) + "\n")
            else:
                it.write(_type_line(name, desc) + "\n")
        return status
    return (yield from it.invoke(args, functions=False))


def _describe(it: Interp, name: str) -> tuple[str, str] | None:
    if name in it.state.aliases:
        return ("alias", it.state.aliases[name])
    if name in _KEYWORDS:
        return ("keyword", name)
    if name in it.state.funcs:
        return ("function", name)
    if name in BUILTINS or (name in _TABLE_BUILTINS
                            and it.shell.lookup(name, it.fs, it.state.cwd) is not None):
        return ("builtin", name)
    path = it.shell.path_of(name)
    if path is not None:
        return ("file", path)
    return None


def _type_line(name: str, desc: tuple[str, str]) -> str:
    kind, value = desc
    if kind == "alias":
        return f"{name} is aliased to `{value}'"
    if kind == "keyword":
        return f"{name} is a shell keyword"
    if kind == "function":
        return f"{name} is a function"
    if kind == "builtin":
        return f"{name} is a shell builtin"
    return f"{name} is {value}"


@_instant
def _type(it: Interp, argv: list[str]) -> int:
    args = argv[1:]
    short = False
    if args and args[0] == "-t":
        short = True
        args = args[1:]
    status = 0
    for name in args:
        desc = _describe(it, name)
        if desc is None:
            if not short:
                if it.shell.bash:
                    _berr(it, "type", f"{name}: not found")
                else:
                    it.write(f"{name}: not found\n")
            status = 1
        elif short:
            it.write(desc[0] + "\n")
        else:
            it.write(_type_line(name, desc) + "\n")
    return status


@_instant
def _which(it: Interp, argv: list[str]) -> int:
    status = 0
    for name in argv[1:]:
        if name.startswith("-"):
            continue
        path = it.shell.path_of(name)
        if path is None:
            status = 1
        else:
            it.write(path + "\n")
    return status


@_instant
def _alias(it: Interp, argv: list[str]) -> int:
    aliases = it.state.aliases
    args = [a for a in argv[1:] if a != "-p"]
    if not args:
        for name in sorted(aliases):
            it.write(f"alias {name}={_alias_quote(aliases[name])}\n")
        return 0
    status = 0
    for arg in args:
        name, eq, value = arg.partition("=")
        if eq:
            aliases[name] = value
        elif name in aliases:
            it.write(f"alias {name}={_alias_quote(aliases[name])}\n")
        else:
            _berr(it, "alias", f"{name}: not found")
            status = 1
    return status


def _alias_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


@_instant
def _unalias(it: Interp, argv: list[str]) -> int:
    status = 0
    for name in argv[1:]:
        if name == "-a":
            it.state.aliases.clear()
        elif it.state.aliases.pop(name, None) is None:
            _berr(it, "unalias", f"{name}: not found")
            status = 1
    return status


@_instant
def _let(it: Interp, argv: list[str]) -> int:
    if len(argv) < 2:
        _berr(it, "let", "expression expected")
        return 1
    value = 0
    for expr in argv[1:]:
        try:
            value = evaluate(expr, it.lookup, it.assign)
        except ArithError as err:
            _berr(it, "let", str(err))
            return 1
    return 0 if value else 1


def _wait(it: Interp, argv: list[str]) -> Gen:
    jobs = it.run.jobs
    wanted = [h for pid, h, _ in jobs if len(argv) < 2 or str(pid) in argv[1:]]
    if not wanted:
        return 127 if len(argv) > 1 else 0
    run = it.run
    timeout = 10**18 if run.deadline is None else max(0, run.deadline - it.loop.now)
    ok = yield WaitFor(lambda: all(not h.running for h in wanted), timeout, poll=SECOND)
    if not ok:
        raise Interrupted
    return wanted[-1].exit_code or 0


@_instant
def _kill(it: Interp, argv: list[str]) -> int:
    args = argv[1:]
    signal = 15
    if args and args[0] == "-s" and len(args) > 1:
        args = args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1:
        sig = args.pop(0)[1:]
        signal = 9 if sig in ("9", "KILL", "SIGKILL") else 2 if sig in ("2", "INT") else 15
    if not args:
        it.error("kill: usage: kill [-s sigspec | -n signum | -sigspec] pid | jobspec ... "
                 "or kill -l [sigspec]")
        return 2
    status = 0
    jobs = it.run.jobs
    for target in args:
        handle = None
        if target.startswith("%"):
            idx = target[1:]
            if idx.isdigit() and 0 < int(idx) <= len(jobs):
                handle = jobs[int(idx) - 1][1]
            elif idx in ("", "%", "+") and jobs:
                handle = jobs[-1][1]
        else:
            handle = next((h for pid, h, _ in jobs if str(pid) == target), None)
        if handle is None or not handle.running:
            if target.startswith("%"):
                _berr(it, "kill", f"{target}: no such job")
            else:
                _berr(it, "kill", f"({target}) - No such process")
            status = 1
            continue
        handle.kill(128 + signal)
        it.run.signals[next(pid for pid, h, _ in jobs if h is handle)] = signal
    return status


#: glibc ``strsignal`` texts of the signals ``kill`` sends
_SIGNAL_TEXT = {1: "Hangup", 2: "Interrupt", 3: "Quit", 9: "Killed", 13: "Broken pipe",
                15: "Terminated"}


@_instant
def _jobs(it: Interp, argv: list[str]) -> int:
    """bash ``jobs`` (``jobs.c`` ``pretty_print_job``/``print_pipeline``): ``[N]±``, the status
    padded to ``LONGEST_SIGNAL_DESC`` (24) columns, the command, `` &`` while it runs. A
    finished job is reported once, then forgotten."""
    run = it.run
    listed = [(k, pid, handle, cmd) for k, (pid, handle, cmd) in enumerate(run.jobs, 1)
              if pid not in run.reported]
    for n, (k, pid, handle, cmd) in enumerate(listed, 1):
        mark = "+" if n == len(listed) else "-" if n == len(listed) - 1 else " "
        if handle.running:
            state, tail = "Running", " &"
        else:
            signal = run.signals.get(pid)
            code = handle.exit_code or 0
            if signal is not None:
                state = _SIGNAL_TEXT.get(signal, f"Signal {signal}")
            else:
                state = "Done" if code == 0 else f"Exit {code}"
            tail = ""
            run.reported.add(pid)
        it.write(f"[{k}]{mark}  {state:<24}{cmd}{tail}\n")
    return 0


@_instant
def _noop(it: Interp, argv: list[str]) -> int:
    return 0


@_instant
def _umask(it: Interp, argv: list[str]) -> int:
    if len(argv) == 1:
        it.write("0022\n")
    return 0


def _time(it: Interp, argv: list[str]) -> Gen:
    start = it.loop.now
    status = 0
    if len(argv) > 1:
        status = yield from it.invoke(argv[1:])
    spent = it.loop.now - start
    minutes, rest = divmod(spent, 60 * SECOND)
    secs = rest / SECOND
    it.fds[2].stream.write(f"\nreal\t{minutes}m{secs:.3f}s\nuser\t0m0.000s\nsys\t0m0.000s\n")
    return status


_KEYWORDS = frozenset({
    "if", "then", "else", "elif", "fi", "case", "esac", "for", "while", "until", "do", "done",
    "in", "function", "select", "time", "{", "}", "!", "[[", "]]",
})
# Table commands that bash implements as builtins too (for `type`).
_TABLE_BUILTINS = frozenset({"echo", "printf", "test", "[", "true", "false", "kill"})

BUILTINS: dict[str, Callable[[Interp, list[str]], Gen]] = {
    ":": _colon,
    "true": _colon,
    "false": _false,
    "cd": _cd,
    "pwd": _pwd,
    "export": _export,
    "declare": _declare,
    "typeset": _declare,
    "local": _local,
    "readonly": _readonly,
    "unset": _unset,
    "set": _set,
    "shift": _shift,
    "read": _read,
    "exit": _exit,
    "return": _return,
    "break": _break,
    "continue": _break,
    "eval": _eval,
    "source": _source,
    ".": _source,
    "exec": _exec,
    "command": _command,
    "type": _type,
    "which": _which,
    "alias": _alias,
    "unalias": _unalias,
    "let": _let,
    "wait": _wait,
    "kill": _kill,
    "jobs": _jobs,
    "trap": _noop,
    "hash": _noop,
    "shopt": _noop,
    "ulimit": _noop,
    "umask": _umask,
    "time": _time,
}

# Builtins ash does not have.
BASH_ONLY = frozenset({"declare", "typeset", "shopt", "let", "time"})
