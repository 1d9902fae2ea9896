"""``watch``: run a command every N seconds and show its output full-screen (procps-ng).

Modelled on procps-ng ``src/watch.c``: the command line is joined with spaces and run with
``sh -c`` (or directly with ``-x``), stdout and stderr both go to the screen, the header is
``Every 1.0s: <command>`` on the left and ``<hostname>: <date>`` right-aligned to the terminal
width (``COLUMNS``, else 80; the date as ``%a %b %e %H:%M:%S %Y``), then an empty line, then
the output. The next run starts ``-n`` seconds after the previous one *ended* (``-p`` counts
from its start). Ctrl-C ends watch — here the run's deadline does (``docs/lab-shell.md``).

A notebook cannot redraw a screen, so each screen is printed below the previous one, and only
when the command's output changed (the header's clock tells when); ``docs/realism.md`` lists
this difference.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from ..apps.textutils.basic import strftime
from ..sim.clock import SECOND
from ..sim.process import Buffer, ExecContext, bounded_sleep

__all__ = ["header", "watch"]

_USAGE = """
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -C, --no-color         do not interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          -n includes command running time
  -q, --equexit <cycles>
                         exit when output from command does not change
  -r, --no-rerun         do not rerun program on window resize
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of "sh -c"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
"""

_LONG = {"beep": "b", "color": "c", "no-color": "C", "differences": "d", "errexit": "e",
         "chgexit": "g", "interval": "n", "precise": "p", "equexit": "q", "no-rerun": "r",
         "no-title": "t", "no-wrap": "w", "exec": "x", "help": "h", "version": "v"}


def header(interval: float, command: str, host: str, now: int, width: int) -> str:
    """The first screen line (``watch.c: output_header``)."""
    left = f"Every {interval:.1f}s: "
    right = f"{host}: {strftime('%a %b %e %H:%M:%S %Y', now)}"
    if width < len(right):
        return ""
    line = [" "] * width
    line[width - len(right):] = right
    avail = width - len(left) - len(right)
    if avail >= 0:
        text = left
        if avail > len(command):
            text += command
        elif avail > 3:
            text += command[:avail - 3 - 1] + "..."
        line[:len(text)] = text
    return "".join(line).rstrip()


def _screen(text: str) -> str:
    """What the screen shows of the output: tabs expanded, non-printables dropped."""
    lines = []
    for raw in text.split("\n"):
        line = "".join(ch for ch in raw.expandtabs(8) if ch.isprintable())
        lines.append(line)
    while lines and lines[-1] == "":
        lines.pop()
    return "".join(line + "\n" for line in lines)


def watch(ctx: ExecContext, argv: list[str]) -> Generator[Any, Any, int]:
    args = argv[1:]
    interval = 2.0
    flags: set[str] = set()
    equexit = 0
    while args and args[0].startswith("-") and args[0] != "-":
        a = args.pop(0)
        if a == "--":
            break
        if a.startswith("--"):
            name, eq, value = a[2:].partition("=")
            short = _LONG.get(name)
            if short is None:
                ctx.stderr.write(f"watch: unrecognized option '{a}'\n{_USAGE}")
                return 1
            if short in "nq" and not eq:
                if not args:
                    ctx.stderr.write(f"watch: option '{a}' requires an argument\n{_USAGE}")
                    return 1
                value = args.pop(0)
            a = "-" + short + value
        j = 1
        while j < len(a):
            c = a[j]
            if c in "nq":
                value = a[j + 1:]
                if not value:
                    if not args:
                        ctx.stderr.write(f"watch: option requires an argument -- '{c}'\n"
                                         f"{_USAGE}")
                        return 1
                    value = args.pop(0)
                try:
                    number = float(value)
                except ValueError:
                    ctx.stderr.write(f"watch: failed to parse argument: '{value}'\n")
                    return 1
                if c == "n":
                    interval = number
                else:
                    equexit = max(1, int(number))
                break
            if c == "h":
                ctx.stdout.write(_USAGE)
                return 0
            if c == "v":
                ctx.stdout.write("watch from procps-ng 4.0.4\n")
                return 0
            if c not in "bcCdegprtwx":
                ctx.stderr.write(f"watch: invalid option -- '{c}'\n{_USAGE}")
                return 1
            flags.add(c)
            j += 1
    if not args:
        ctx.stderr.write(_USAGE)
        return 1
    interval = min(max(interval, 0.1), 60 * 60 * 24 * 31)
    command = " ".join(args)
    shell = ctx.extra.get("shell")
    host = getattr(ctx.host, "hostname", None) or ctx.env.get("HOSTNAME", "localhost")
    try:
        width = int(ctx.env.get("COLUMNS", "80"))
    except ValueError:
        width = 80
    deadline = ctx.extra.get("deadline")
    previous: str | None = None
    printed = False
    same = 0
    while True:
        started = ctx.now
        title = header(interval, command, host, started, width)
        buf = Buffer()
        sub = ExecContext("", buf, buf, dict(ctx.env), ctx.cwd, ctx.fs, ctx.loop, ctx.host,
                          False, ctx.extra)
        if shell is None:
            buf.write(f"sh: 1: {args[0]}: not found\n")
            code = 127
        elif "x" in flags:
            cmd = shell.lookup(args[0], ctx.fs, ctx.cwd)
            if cmd is None:
                buf.write(f"{args[0]}: No such file or directory")
                code = 127
            else:
                code = yield from cmd(sub, list(args))
        else:
            code = yield from shell.command(sub, ["sh", "-c", command])
        if code == 130 and deadline is not None and ctx.now >= deadline:
            return 130  # Ctrl-C reached the command too: no new screen
        output = _screen(buf.getvalue())
        changed = previous is not None and output != previous
        if output != previous:
            screen = output if "t" in flags else f"{title}\n\n{output}"
            ctx.stdout.write(("\n" if printed else "") + screen)
            printed = True
            same = 0
        else:
            same += 1
        previous = output
        if "g" in flags and changed:
            return 0
        if equexit and same >= equexit:
            return 0
        if "e" in flags and code:
            ctx.stdout.write("command exit with a non-zero status, press a key to exit\n")
            return code
        wait = round(interval * SECOND)
        if "p" in flags:
            wait = max(0, wait - (ctx.now - started))
        if not (yield from bounded_sleep(ctx, wait)):
            return 130
