"""``test``/``[`` and the primaries of ``[[ … ]]``.

Follows POSIX's argument-count rules for ``test`` (0–4 arguments decided by position) and
bash's ``test.c`` for longer expressions (``!``, ``-a``, ``-o``, parentheses). Errors carry
bash's wording (``integer expression expected``, ``unary operator expected``, ``too many
arguments``); the caller adds its ``bash: [: `` prefix.
"""

from __future__ import annotations

from collections.abc import Callable

from ...sim.fs import FSError, MemoryFS, normpath

__all__ = ["TestError", "binary_int", "run_test", "unary"]

UNARY = frozenset({
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w",
    "-x", "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v",
})
BINARY = frozenset({"=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt",
                    "-ot", "-ef"})


class TestError(Exception):
    """A malformed test expression (exit status 2)."""


def _int(text: str) -> int:
    value = text.strip()
    try:
        return int(value, 10)
    except ValueError:
        raise TestError(f"{text}: integer expression expected") from None


def unary(op: str, operand: str, fs: MemoryFS, cwd: str,
          lookup: Callable[[str], str | None] | None = None) -> bool:
    if op == "-z":
        return operand == ""
    if op == "-n":
        return operand != ""
    if op == "-v":
        return lookup is not None and lookup(operand) is not None
    if op in ("-t",):
        return False
    if op == "-o":
        return False
    if not operand:
        return False
    path = normpath(operand, cwd)
    if op in ("-e", "-a"):
        return fs.exists(path)
    if op == "-f":
        return fs.exists(path) and not fs.is_dir(path)
    if op == "-d":
        return fs.is_dir(path)
    if op == "-s":
        try:
            return fs.exists(path) and (fs.is_dir(path) or len(fs.read(path)) > 0)
        except FSError:
            return False
    if op in ("-r", "-w"):
        return fs.exists(path)
    if op == "-x":
        return fs.is_dir(path)
    return False  # -b -c -g -h -k -p -u -G -L -N -O -S: nothing of the kind exists here


def binary_int(op: str, left: str, right: str, fs: MemoryFS, cwd: str) -> bool:
    if op in ("-nt", "-ot", "-ef"):
        a, b = normpath(left, cwd), normpath(right, cwd)
        try:
            ma, mb = fs.mtime(a), fs.mtime(b)
        except FSError:
            return False
        return {"-nt": ma > mb, "-ot": ma < mb, "-ef": a == b}[op]
    x, y = _int(left), _int(right)
    return {"-eq": x == y, "-ne": x != y, "-lt": x < y, "-le": x <= y, "-gt": x > y,
            "-ge": x >= y}[op]


def _binary(op: str, left: str, right: str, fs: MemoryFS, cwd: str) -> bool:
    if op in ("=", "=="):
        return left == right
    if op == "!=":
        return left != right
    if op == "<":
        return left < right
    if op == ">":
        return left > right
    return binary_int(op, left, right, fs, cwd)


class _Parser:
    def __init__(self, args: list[str], fs: MemoryFS, cwd: str) -> None:
        self.args = args
        self.k = 0
        self.fs = fs
        self.cwd = cwd

    def peek(self, off: int = 0) -> str | None:
        j = self.k + off
        return self.args[j] if j < len(self.args) else None

    def parse(self) -> bool:
        value = self.or_()
        if self.k < len(self.args):
            raise TestError("too many arguments")
        return value

    def or_(self) -> bool:
        value = self.and_()
        while self.peek() == "-o":
            self.k += 1
            right = self.and_()
            value = value or right
        return value

    def and_(self) -> bool:
        value = self.not_()
        while self.peek() == "-a":
            self.k += 1
            right = self.not_()
            value = value and right
        return value

    def not_(self) -> bool:
        if self.peek() == "!":
            self.k += 1
            return not self.not_()
        return self.primary()

    def primary(self) -> bool:
        tok = self.peek()
        if tok is None:
            raise TestError("argument expected")
        if tok == "(":
            self.k += 1
            value = self.or_()
            if self.peek() != ")":
                raise TestError("`)' expected")
            self.k += 1
            return value
        nxt = self.peek(1)
        if nxt is not None and nxt in BINARY and self.peek(2) is not None:
            self.k += 3
            return _binary(nxt, tok, self.args[self.k - 1], self.fs, self.cwd)
        if tok in UNARY and tok not in ("-a", "-o") and nxt is not None:
            self.k += 2
            return unary(tok, nxt, self.fs, self.cwd)
        self.k += 1
        return tok != ""


def run_test(args: list[str], fs: MemoryFS, cwd: str) -> bool:
    """Evaluate ``test`` arguments (without the closing ``]``); raise TestError."""
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if n == 2:
        if args[0] == "!":
            return args[1] == ""
        if args[0] in UNARY:
            return unary(args[0], args[1], fs, cwd)
        raise TestError(f"{args[0]}: unary operator expected")
    if n == 3:
        if args[1] in BINARY:
            return _binary(args[1], args[0], args[2], fs, cwd)
        if args[1] in ("-a", "-o"):
            a, b = args[0] != "", args[2] != ""
            return (a and b) if args[1] == "-a" else (a or b)
        if args[0] == "!":
            return not run_test(args[1:], fs, cwd)
        if args[0] == "(" and args[2] == ")":
            return args[1] != ""
        raise TestError(f"{args[1]}: binary operator expected")
    if n == 4:
        if args[0] == "!":
            return not run_test(args[1:], fs, cwd)
        if args[0] == "(" and args[3] == ")":
            return run_test(args[1:3], fs, cwd)
    return _Parser(args, fs, cwd).parse()
