"""What every text tool shares: option parsing, reading files and standard input, and the two
families of error wording.

``gnu`` tools speak like GNU coreutils 9.4 / grep 3.11 / sed 4.9 on the workstation
(``cat: x: No such file or directory``, ``ls: cannot access 'x': …``, ``Try 'cat --help' for
more information.``); ``busybox`` tools like BusyBox's ``libbb`` (``cat: can't open 'x': No
such file or directory``). Option parsing is GNU ``getopt_long`` with argument permutation
(BusyBox's ``getopt32`` uses the C library's getopt, which permutes the same way on glibc).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Generator
from functools import lru_cache
from typing import Any

from ...sim.fs import FSError, normpath
from ...sim.process import ExecContext

__all__ = ["OptError", "Tool", "getopt", "instant", "quote_gnu", "quotef"]

Gen = Generator[Any, Any, int]

_SAFE = re.compile(r"[A-Za-z0-9_./:@%+,=-]+\Z")


def quotef(name: str) -> str:
    """GNU ``quotef``: quote a file name only when the shell would need it."""
    if _SAFE.match(name):
        return name
    return quote_sq(name)


def quote_sq(name: str) -> str:
    """GNU ``quoteaf`` (shell-escape-always): always single quotes."""
    if "'" in name:
        return "\"" + name + "\""
    return "'" + name + "'"


def quote_gnu(text: str) -> str:
    """GNU ``quote()`` in a UTF-8 locale: curly quotes."""
    return "\u2018" + text + "\u2019"


class OptError(Exception):
    def __init__(self, kind: str, opt: str) -> None:
        super().__init__(kind, opt)
        self.kind = kind  # "invalid" | "unrecognized" | "requires" | "ambiguous"
        self.opt = opt


@lru_cache(maxsize=256)
def _takes(short: str) -> tuple[frozenset[str], frozenset[str]]:
    """(options with a required argument, options with an optional one: ``x::``)."""
    required, optional = set(), set()
    for i, c in enumerate(short):
        if c == ":":
            continue
        if short[i + 1:i + 3] == "::":
            optional.add(c)
        elif short[i + 1:i + 2] == ":":
            required.add(c)
    return frozenset(required), frozenset(optional)


def getopt(args: list[str], short: str, long: dict[str, str | None] | None = None,
           permute: bool = True) -> tuple[list[tuple[str, str]], list[str]]:
    """GNU getopt_long. ``short`` is like ``"nc:"``; ``long`` maps a long name to the short
    option it stands for (or itself), suffixed with ``=`` when it takes an argument.
    Returns (options, operands); raises :class:`OptError`."""
    long = long or {}
    takes, optional = _takes(short)
    opts: list[tuple[str, str]] = []
    operands: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--":
            operands.extend(args[i + 1:])
            break
        if a.startswith("--") and len(a) > 2:
            name, eq, val = a[2:].partition("=")
            cands = [k for k in long if k.rstrip("=") == name]
            if not cands:
                cands = [k for k in long if k.rstrip("=").startswith(name)]
            if not cands:
                raise OptError("unrecognized", a)
            if len(cands) > 1 and len({long[k] for k in cands}) > 1:
                raise OptError("ambiguous", a)
            key = cands[0]
            target = long[key] or key.rstrip("=")
            if key.endswith("="):
                if not eq:
                    if i + 1 >= len(args):
                        raise OptError("requires", "--" + key.rstrip("="))
                    i += 1
                    val = args[i]
                opts.append((target, val))
            else:
                opts.append((target, ""))
            i += 1
            continue
        if a.startswith("-") and len(a) > 1:
            j = 1
            while j < len(a):
                c = a[j]
                if c not in short or c == ":":
                    raise OptError("invalid", c)
                if c in optional:
                    opts.append((c, a[j + 1:]))
                    break
                if c in takes:
                    val = a[j + 1:]
                    if not val:
                        if i + 1 >= len(args):
                            raise OptError("requires", c)
                        i += 1
                        val = args[i]
                    opts.append((c, val))
                    break
                opts.append((c, ""))
                j += 1
            i += 1
            continue
        if not permute:
            operands.extend(args[i:])
            break
        operands.append(a)
        i += 1
    return opts, operands


class Tool:
    """One invocation of a tool: its context, name and flavour, with error helpers."""

    def __init__(self, ctx: ExecContext, name: str, gnu: bool) -> None:
        self.ctx = ctx
        self.name = name
        self.gnu = gnu

    def out(self, text: str) -> None:
        self.ctx.stdout.write(text)

    def err(self, message: str) -> None:
        self.ctx.stderr.write(f"{self.name}: {message}\n")

    def usage_error(self, e: OptError, status: int = 1, usage: str = "") -> int:
        if e.kind == "invalid":
            self.err(f"invalid option -- '{e.opt}'")
        elif e.kind == "requires":
            if e.opt.startswith("--"):
                self.err(f"option '{e.opt}' requires an argument")
            else:
                self.err(f"option requires an argument -- '{e.opt}'")
        elif e.kind == "ambiguous":
            self.err(f"option '{e.opt}' is ambiguous")
        else:
            self.err(f"unrecognized option '{e.opt}'")
        if self.gnu:
            if usage:
                self.ctx.stderr.write(usage + "\n")
            self.ctx.stderr.write(f"Try '{self.name} --help' for more information.\n")
        return status

    def try_help(self) -> None:
        if self.gnu:
            self.ctx.stderr.write(f"Try '{self.name} --help' for more information.\n")

    def path(self, name: str) -> str:
        return normpath(name, self.ctx.cwd)

    def read_bytes(self, name: str) -> bytes:
        """Contents of ``name`` (``-`` is standard input); raises FSError."""
        if name == "-" or name == "/dev/stdin":
            return self.ctx.stdin.encode()
        if name in ("/dev/null", "/dev/zero"):
            return b""
        return self.ctx.fs.read(self.path(name))

    def read_text(self, name: str) -> str:
        if name == "-" or name == "/dev/stdin":
            return self.ctx.stdin
        return self.read_bytes(name).decode("utf-8", "replace")

    def open_text(self, name: str, style: str = "plain") -> str | None:
        """Read ``name`` or print this tool's "cannot open" message and return None.

        ``style`` picks GNU's wording: ``plain`` (``cat: x: …``), ``reading``
        (``head: cannot open 'x' for reading: …``), ``sort`` (``sort: cannot read: x: …``),
        ``sed`` (``sed: can't read x: …``), ``awk`` (``awk: cannot open x (…)``).
        """
        try:
            return self.read_text(name)
        except FSError as e:
            self.open_failed(name, e, style)
            return None

    def open_failed(self, name: str, e: FSError, style: str = "plain") -> None:
        why = e.strerror_text
        if not self.gnu:
            if style == "grep":
                self.err(f"{name}: {why}")
            else:
                self.err(f"can't open '{name}': {why}")
            return
        if style == "reading":
            if e.code == "EISDIR":
                self.err(f"error reading {quote_sq(name)}: {why}")
            else:
                self.err(f"cannot open {quote_sq(name)} for reading: {why}")
        elif style == "sort":
            self.err(f"cannot read: {quotef(name)}: {why}")
        elif style == "sed":
            if e.code == "EISDIR":
                self.err(f"couldn't edit {name}: not a regular file")
            else:
                self.err(f"can't read {name}: {why}")
        elif style == "awk":
            self.err(f"cannot open {name} (No such file or directory)" if e.code == "ENOENT"
                     else f"cannot open {name} ({why})")
        else:
            self.err(f"{quotef(name)}: {why}")


def instant(fn: Callable[..., int]) -> Callable[..., Gen]:
    """Turn a function that takes no virtual time into a process."""

    def command(*args: Any, **kwargs: Any) -> Gen:
        return fn(*args, **kwargs)
        yield  # pragma: no cover

    command.__name__ = fn.__name__
    command.__doc__ = fn.__doc__
    command.__wrapped__ = fn  # type: ignore[attr-defined]
    return command


def lines_of(text: str) -> list[str]:
    """Lines without their newlines; a final line without newline counts as a line."""
    if not text:
        return []
    parts = text.split("\n")
    if parts[-1] == "":
        parts.pop()
    return parts

