"""Small utilities: ``echo``, ``printf``, ``true``/``false``, ``sleep``, ``date``, ``seq``,
``env``, ``hostname``, ``whoami``, ``basename``, ``dirname``, ``test``/``[``, ``yes``-free.

Sources: bash ``builtins/echo.def``, ``printf.def``, ``test.def`` (echo, printf and test are
bash builtins on the workstation, so their errors carry the shell's prefix); GNU coreutils
``sleep.c``, ``date.c``, ``seq.c``, ``env.c``; BusyBox ``coreutils/*.c`` for the busybox flavour.
``date`` reads the virtual clock and always speaks UTC (the lab's machines run in UTC).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Generator
from typing import Any

from ...sim.clock import SECOND
from ...sim.process import ExecContext, Sleep
from ..sh.testexpr import TestError, run_test
from .common import OptError, Tool, getopt, quote_gnu
from .fmt import Spec, backslash_escapes, parse_format, render

__all__ = ["BASIC"]

Gen = Generator[Any, Any, int]
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc)


def _builtin_err(t: Tool, message: str) -> None:
    """An error from a command bash runs as a builtin carries the shell's prefix."""
    prefix = t.ctx.extra.get("builtin_prefix", "")
    t.ctx.stderr.write(f"{prefix}{t.name}: {message}\n")


# ---------------------------------------------------------------------- echo / printf


def echo(t: Tool, args: list[str]) -> int:
    newline = True
    escapes = False
    while args and re.fullmatch(r"-[neE]+", args[0]):
        opt = args.pop(0)
        for ch in opt[1:]:
            if ch == "n":
                newline = False
            elif ch == "e":
                escapes = True
            else:
                escapes = False
    text = " ".join(args)
    if escapes:
        text, stop = backslash_escapes(text, percent_b=True)
        if stop:
            t.out(text)
            return 0
    t.out(text + ("\n" if newline else ""))
    return 0


def _number(t: Tool, arg: str, conv: str) -> tuple[Any, bool]:
    """printf's numeric argument conversion (strtol/strtod with bash's diagnostics)."""
    if arg[:1] in ("'", '"'):
        return (ord(arg[1]) if len(arg) > 1 else 0), True
    text = arg.strip()
    if conv in "fFeEgGaA":
        m = re.match(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf(?:inity)?"
                     r"|nan|0[xX][0-9a-fA-F]+)", text, re.IGNORECASE)
        if m and m.group(0):
            raw = m.group(0)
            value = float(int(raw, 16)) if raw.lower().startswith(("0x", "-0x", "+0x")) \
                else float(raw)
            if m.end() != len(text):
                _builtin_err(t, f"{arg}: invalid number")
                return value, False
            return value, True
        if text:
            _builtin_err(t, f"{arg}: invalid number")
            return 0.0, False
        return 0.0, True
    m = re.match(r"[-+]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)", text)
    if m:
        raw = m.group(0)
        sign = -1 if raw.startswith("-") else 1
        body = raw.lstrip("+-")
        if body.lower().startswith("0x"):
            value = int(body, 16)
        elif len(body) > 1 and body.startswith("0"):
            value = int(body, 8)
        else:
            value = int(body)
        if m.end() != len(text):
            _builtin_err(t, f"{arg}: invalid number")
            return sign * value, False
        return sign * value, True
    if text:
        _builtin_err(t, f"{arg}: invalid number")
        return 0, False
    return 0, True


def printf(t: Tool, args: list[str]) -> int:
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        if t.gnu:
            _builtin_err(t, "usage: printf [-v var] format [arguments]")
            return 2
        t.err("usage: printf FORMAT [ARGUMENT]...")
        return 1
    fmt, _ = backslash_escapes(args[0])
    pieces = parse_format(fmt)
    rest = args[1:]
    status = 0
    out: list[str] = []
    while True:
        consumed = False
        for piece in pieces:
            if isinstance(piece, str):
                out.append(piece)
                continue
            width = prec = None
            if piece.width == "*":
                value, ok = _number(t, rest.pop(0), "d") if rest else (0, True)
                consumed = True
                status |= 0 if ok else 1
                width = int(value)
            if piece.prec == "*":
                value, ok = _number(t, rest.pop(0), "d") if rest else (0, True)
                consumed = True
                status |= 0 if ok else 1
                prec = int(value)
            arg = rest.pop(0) if rest else None
            if arg is not None:
                consumed = True
            conv = piece.conv
            if conv == "b":
                text, stop = backslash_escapes(arg or "", percent_b=True)
                out.append(render(Spec(piece.flags, piece.width, piece.prec, "s", ""), text,
                                  width, prec))
                if stop:
                    t.out("".join(out))
                    return status
                continue
            if conv in "sqc":
                out.append(render(piece, arg if arg is not None else "", width, prec))
                continue
            value, ok = _number(t, arg, conv) if arg is not None else (
                (0.0 if conv in "fFeEgGaA" else 0), True)
            status |= 0 if ok else 1
            out.append(render(piece, value, width, prec))
        if not rest or not consumed:
            break
    t.out("".join(out))
    return status


def true(t: Tool, args: list[str]) -> int:
    return 0


def false(t: Tool, args: list[str]) -> int:
    return 1


# ---------------------------------------------------------------------- sleep

_SLEEP = re.compile(r"(\d+\.?\d*|\.\d+)([smhd]?)\Z")


def sleep(t: Tool, args: list[str]) -> Gen:
    if args and args[0] == "--":
        args = args[1:]
    if not args:
        t.err("missing operand")
        t.try_help()
        return 1
    total = 0
    for arg in args:
        if arg.lower() in ("inf", "infinity"):
            total += 10**18
            continue
        m = _SLEEP.match(arg)
        if not m:
            if t.gnu:
                t.err(f"invalid time interval {quote_gnu(arg)}")
                t.try_help()
            else:
                t.err(f"invalid number '{arg}'")
            return 1
        total += round(float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[
            m.group(2)] * SECOND)
    yield Sleep(total)
    return 0


# ---------------------------------------------------------------------- date

_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def strftime(fmt: str, ns: int) -> str:
    """GNU ``date`` formatting of a UTC instant, independent of the host's C library."""
    d = _EPOCH + _dt.timedelta(microseconds=ns // 1000)
    frac = ns % SECOND
    out: list[str] = []
    i, n = 0, len(fmt)
    while i < n:
        c = fmt[i]
        if c != "%" or i + 1 >= n:
            out.append(c)
            i += 1
            continue
        m = re.compile(r"%([-_0^#]*)(\d*)(:{0,3})([A-Za-z%+])").match(fmt, i)
        if not m:
            out.append(c)
            i += 1
            continue
        flags, width, colons, conv = m.groups()
        i = m.end()
        value, pad, default_width = _directive(conv, colons, d, ns, frac)
        if value is None:
            out.append(m.group(0))
            continue
        if "^" in flags or "#" in flags:
            value = value.upper()
        w = int(width) if width else default_width
        padchar = pad
        if "-" in flags:
            w = 0
        elif "_" in flags:
            padchar = " "
        elif "0" in flags:
            padchar = "0"
        if w and len(value) < w:
            if padchar == "0" and value[:1] in "+-":
                value = value[0] + value[1:].rjust(w - 1, "0")
            else:
                value = value.rjust(w, padchar if padchar else " ")
        out.append(value)
    return "".join(out)


def _directive(conv: str, colons: str, d: _dt.datetime, ns: int,
               frac: int) -> tuple[str | None, str, int]:
    """(text, pad character, natural width) of one conversion."""
    wd = d.weekday()
    if conv == "a":
        return _DAYS[wd][:3], " ", 0
    if conv == "A":
        return _DAYS[wd], " ", 0
    if conv in "bh":
        return _MONTHS[d.month - 1][:3], " ", 0
    if conv == "B":
        return _MONTHS[d.month - 1], " ", 0
    if conv == "c":
        return strftime("%a %b %e %H:%M:%S %Y", ns), " ", 0
    if conv == "C":
        return str(d.year // 100), "0", 2
    if conv == "d":
        return str(d.day), "0", 2
    if conv == "D":
        return strftime("%m/%d/%y", ns), " ", 0
    if conv == "e":
        return str(d.day), " ", 2
    if conv == "F":
        return strftime("%Y-%m-%d", ns), " ", 0
    if conv == "g":
        return str(d.isocalendar()[0] % 100), "0", 2
    if conv == "G":
        return str(d.isocalendar()[0]), "0", 0
    if conv == "H":
        return str(d.hour), "0", 2
    if conv == "I":
        return str((d.hour + 11) % 12 + 1), "0", 2
    if conv == "j":
        return str(d.timetuple().tm_yday), "0", 3
    if conv == "k":
        return str(d.hour), " ", 2
    if conv == "l":
        return str((d.hour + 11) % 12 + 1), " ", 2
    if conv == "m":
        return str(d.month), "0", 2
    if conv == "M":
        return str(d.minute), "0", 2
    if conv == "n":
        return "\n", " ", 0
    if conv == "N":
        return f"{frac:09d}", "0", 0
    if conv == "p":
        return ("AM" if d.hour < 12 else "PM"), " ", 0
    if conv == "P":
        return ("am" if d.hour < 12 else "pm"), " ", 0
    if conv == "q":
        return str((d.month - 1) // 3 + 1), " ", 0
    if conv == "r":
        return strftime("%I:%M:%S %p", ns), " ", 0
    if conv == "R":
        return strftime("%H:%M", ns), " ", 0
    if conv == "s":
        return str(ns // SECOND), " ", 0
    if conv == "S":
        return str(d.second), "0", 2
    if conv == "t":
        return "\t", " ", 0
    if conv == "T":
        return strftime("%H:%M:%S", ns), " ", 0
    if conv == "u":
        return str(wd + 1), " ", 0
    if conv == "U":
        return d.strftime("%U"), "0", 2
    if conv == "V":
        return str(d.isocalendar()[1]), "0", 2
    if conv == "w":
        return str((wd + 1) % 7), " ", 0
    if conv == "W":
        return d.strftime("%W"), "0", 2
    if conv == "x":
        return strftime("%m/%d/%y", ns), " ", 0
    if conv == "X":
        return strftime("%H:%M:%S", ns), " ", 0
    if conv == "y":
        return str(d.year % 100), "0", 2
    if conv == "Y":
        return str(d.year), "0", 0
    if conv == "z":
        return {"": "+0000", ":": "+00:00", "::": "+00:00:00", ":::": "+00"}[colons], " ", 0
    if conv == "Z":
        return "UTC", " ", 0
    if conv == "%":
        return "%", " ", 0
    if conv == "+":
        return strftime("%a %b %e %H:%M:%S %Z %Y", ns), " ", 0
    return None, " ", 0


def _parse_date(text: str, now: int) -> int | None:
    value = text.strip()
    if value in ("", "now", "today"):
        return now
    if value.startswith("@"):
        try:
            return round(float(value[1:]) * SECOND)
        except ValueError:
            return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})"
                     r"(?:\.(\d+))?)?)?\s*(Z|UTC|[+-]00:?00)?", value)
    if m:
        try:
            moment = _dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)),
                                  int(m.group(4) or 0), int(m.group(5) or 0),
                                  int(m.group(6) or 0), tzinfo=_dt.timezone.utc)
        except ValueError:
            return None
        delta = moment - _EPOCH
        fraction = int((m.group(7) or "0").ljust(9, "0")[:9])
        return (delta.days * 86400 + delta.seconds) * SECOND + fraction
    m = re.fullmatch(r"([+-]?\d+)\s*(second|sec|minute|min|hour|day|week)s?(\s+ago)?", value)
    if m:
        amount = int(m.group(1)) * {"second": 1, "sec": 1, "minute": 60, "min": 60,
                                    "hour": 3600, "day": 86400, "week": 604800}[m.group(2)]
        if m.group(3):
            amount = -amount
        return now + amount * SECOND
    return None


def date(t: Tool, args: list[str]) -> int:
    try:
        opts, operands = getopt(args, "d:uRI::r:", {
            "date=": "d", "utc": "u", "universal": "u", "rfc-email": "R", "rfc-2822": "R",
            "iso-8601": "I", "iso-8601=": "I", "rfc-3339=": "3", "reference=": "r"})
    except OptError as e:
        return t.usage_error(e)
    when = t.ctx.now
    fmt = "%a %b %e %H:%M:%S %Z %Y"
    for opt, val in opts:
        if opt == "d":
            parsed = _parse_date(val, t.ctx.now)
            if parsed is None:
                t.err(f"invalid date {quote_gnu(val) if t.gnu else repr(val)}")
                return 1
            when = parsed
        elif opt == "R":
            fmt = "%a, %d %b %Y %H:%M:%S %z"
        elif opt == "I":
            fmt = {"": "%Y-%m-%d", "date": "%Y-%m-%d", "hours": "%Y-%m-%dT%H%:z",
                   "minutes": "%Y-%m-%dT%H:%M%:z", "seconds": "%Y-%m-%dT%H:%M:%S%:z",
                   "ns": "%Y-%m-%dT%H:%M:%S,%N%:z"}.get(val, "%Y-%m-%d")
        elif opt == "3":
            fmt = {"date": "%Y-%m-%d", "seconds": "%Y-%m-%d %H:%M:%S%:z",
                   "ns": "%Y-%m-%d %H:%M:%S.%N%:z"}.get(val, "%Y-%m-%d %H:%M:%S%:z")
    for op in operands:
        if op.startswith("+"):
            fmt = op[1:]
        else:
            if t.gnu:
                t.err(f"invalid date {quote_gnu(op)}")
            else:
                t.err(f"invalid date '{op}'")
            return 1
    t.out(strftime(fmt, when) + "\n")
    return 0


# ---------------------------------------------------------------------- seq


def _seq_num(t: Tool, text: str) -> tuple[float, int] | None:
    m = re.fullmatch(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", text.strip())
    if not m:
        if t.gnu:
            t.err(f"invalid floating point argument: {quote_gnu(text)}")
            t.try_help()
        else:
            t.err(f"invalid number '{text}'")
        return None
    frac = 0
    body = m.group(1)
    if "." in body and not m.group(2):
        frac = len(body.split(".", 1)[1])
    return float(text), frac


def seq(t: Tool, args: list[str]) -> int:
    sep = "\n"
    equal = False
    fmt: str | None = None
    operands: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a in ("-s", "-f") and k + 1 < len(args):
            if a == "-s":
                sep = args[k + 1]
            else:
                fmt = args[k + 1]
            k += 2
            continue
        if a.startswith("-s") and len(a) > 2:
            sep = a[2:]
        elif a.startswith("--separator="):
            sep = a.split("=", 1)[1]
        elif a.startswith("-f") and len(a) > 2:
            fmt = a[2:]
        elif a in ("-w", "--equal-width"):
            equal = True
        elif a == "--":
            operands.extend(args[k + 1:])
            break
        elif a.startswith("-") and len(a) > 1 and not re.match(r"-[\d.]", a):
            return t.usage_error(OptError("invalid", a[1]))
        else:
            operands.append(a)
        k += 1
    if not operands:
        t.err("missing operand")
        t.try_help()
        return 1
    if len(operands) > 3:
        t.err(f"extra operand {quote_gnu(operands[3])}")
        t.try_help()
        return 1
    nums = []
    for op in operands:
        parsed = _seq_num(t, op)
        if parsed is None:
            return 1
        nums.append(parsed)
    first, inc, last = (1.0, 0), (1.0, 0), nums[-1]
    if len(nums) >= 2:
        first = nums[0]
    if len(nums) == 3:
        inc = nums[1]
    if inc[0] == 0:
        if t.gnu:
            t.err(f"invalid Zero increment value: {quote_gnu(operands[1])}")
            t.try_help()
        else:
            t.err("increment must not be 0")
        return 1
    prec = max(first[1], inc[1])
    integral = prec == 0 and all(float(x[0]).is_integer() for x in (first, inc, last))
    values: list[str] = []
    count = 0
    a, step, b = first[0], inc[0], last[0]
    while True:
        v = a + count * step
        if (step > 0 and v > b + 1e-12) or (step < 0 and v < b - 1e-12):
            break
        if fmt is not None:
            pieces = parse_format(fmt)
            values.append("".join(p if isinstance(p, str) else render(p, v) for p in pieces))
        elif integral:
            values.append(str(round(v)))
        else:
            values.append(f"{v:.{prec}f}")
        count += 1
        if count > 10_000_000:
            break
    if equal and values and fmt is None:
        width = max(len(v) for v in values)
        values = [("-" + v[1:].rjust(width - 1, "0")) if v.startswith("-") else v.rjust(width, "0")
                  for v in values]
    if values:
        t.out(sep.join(values) + "\n")
    return 0


# ---------------------------------------------------------------------- environment


def env(t: Tool, args: list[str]) -> Gen:
    environ = dict(t.ctx.env)
    k = 0
    while k < len(args):
        a = args[k]
        if a in ("-i", "-", "--ignore-environment"):
            environ = {}
        elif a in ("-u", "--unset") and k + 1 < len(args):
            environ.pop(args[k + 1], None)
            k += 1
        elif a.startswith("-u") and len(a) > 2:
            environ.pop(a[2:], None)
        elif a == "--":
            k += 1
            break
        elif a.startswith("-") and len(a) > 1:
            return t.usage_error(OptError("invalid", a[1]), status=125)
        else:
            break
        k += 1
    while k < len(args) and "=" in args[k] and not args[k].startswith("="):
        name, _, value = args[k].partition("=")
        environ[name] = value
        k += 1
    if k >= len(args):
        t.out("".join(f"{n}={v}\n" for n, v in environ.items()))
        return 0
    argv = args[k:]
    shell = t.ctx.extra.get("shell")
    cmd = shell.lookup(argv[0], t.ctx.fs, t.ctx.cwd) if shell is not None else None
    if cmd is None:
        if t.gnu:
            t.err(f"{quote_gnu(argv[0])}: No such file or directory")
        else:
            t.err(f"can't execute '{argv[0]}': No such file or directory")
        return 127
    sub = ExecContext(t.ctx.stdin, t.ctx.stdout, t.ctx.stderr, environ, t.ctx.cwd, t.ctx.fs,
                      t.ctx.loop, t.ctx.host, t.ctx.tty, t.ctx.extra)
    return (yield from cmd(sub, argv))


def hostname(t: Tool, args: list[str]) -> int:
    host = getattr(t.ctx.host, "hostname", None) or t.ctx.env.get("HOSTNAME") or "localhost"
    if args and args[0] in ("-s", "--short"):
        host = host.split(".")[0]
    t.out(host + "\n")
    return 0


def whoami(t: Tool, args: list[str]) -> int:
    t.out(t.ctx.env.get("USER", "root") + "\n")
    return 0


def basename(t: Tool, args: list[str]) -> int:
    if not args:
        t.err("missing operand")
        t.try_help()
        return 1
    name = args[0].rstrip("/") or "/"
    base = name.rsplit("/", 1)[-1] if name != "/" else "/"
    if len(args) > 1 and base.endswith(args[1]) and base != args[1]:
        base = base[:-len(args[1])]
    t.out(base + "\n")
    return 0


def dirname(t: Tool, args: list[str]) -> int:
    if not args:
        t.err("missing operand")
        t.try_help()
        return 1
    for arg in args:
        path = arg.rstrip("/")
        if "/" not in path:
            t.out(("/" if arg.startswith("/") else ".") + "\n")
            continue
        head = path.rsplit("/", 1)[0].rstrip("/")
        t.out((head or "/") + "\n")
    return 0


def test(t: Tool, args: list[str]) -> int:
    if t.name == "[":
        if not args or args[-1] != "]":
            if t.gnu:
                _builtin_err(t, "missing `]'")
            else:
                t.err("missing ]")
            return 2
        args = args[:-1]
    try:
        return 0 if run_test(args, t.ctx.fs, t.ctx.cwd) else 1
    except TestError as err:
        if t.gnu:
            _builtin_err(t, str(err))
        else:
            t.err(str(err))
        return 2


def clear(t: Tool, args: list[str]) -> int:
    """ncurses ``clear`` for xterm; on the lab's terminal (a notebook) nothing can be cleared."""
    if not t.ctx.tty:
        t.out("\x1b[H\x1b[2J\x1b[3J")
    return 0


BASIC = {
    "echo": echo,
    "printf": printf,
    "true": true,
    "false": false,
    "sleep": sleep,
    "date": date,
    "seq": seq,
    "env": env,
    "hostname": hostname,
    "whoami": whoami,
    "basename": basename,
    "dirname": dirname,
    "test": test,
    "[": test,
    "clear": clear,
}
