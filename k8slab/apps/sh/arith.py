"""Shell arithmetic: ``$(( … ))``, ``(( … ))``, ``let`` and ``for (( … ))``.

Follows bash's ``expr.c``: C operators and precedence on 64-bit signed integers (wrapping),
variables named bare inside the expression (a variable holding an expression is evaluated in
turn), ``0x``/leading-``0``/``base#`` literals, short-circuit ``&&``/``||``/``?:`` that skip
side effects, and error messages of the form ``EXPR: MESSAGE (error token is "REST")``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

__all__ = ["ArithError", "evaluate"]

_TOKEN = re.compile(
    r"\s*(?:(?P<num>[0-9][0-9A-Za-z_#@]*)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|"
    r"(?P<op>\*\*=|<<=|>>=|\*\*|<<|>>|<=|>=|==|!=|&&|\|\||\+\+|--|[-+*/%&^|]=|"
    r"[-+*/%<>=!~&^|?:(),]))"
)
_ASSIGN_OPS = {"=", "*=", "/=", "%=", "+=", "-=", "<<=", ">>=", "&=", "^=", "|=", "**="}
# C precedence of the binary operators, lowest first (bash expr.c).
_PREC = {"||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7,
         ">=": 7, "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10}


@lru_cache(maxsize=1024)
def _tokenize(text: str) -> tuple[tuple[str, str, int], ...]:
    toks: list[tuple[str, str, int]] = []
    pos = 0
    while True:
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            rest = text[pos:].strip()
            if rest:
                toks.append(("bad", rest, pos))
            return tuple(toks)
        pos = m.end()
        kind = m.lastgroup or "op"
        toks.append((kind, m.group(kind), m.start(kind)))


class ArithError(Exception):
    """An arithmetic failure; ``str()`` is bash's message without the ``bash: `` prefix."""


def _wrap(v: int) -> int:
    return ((v + (1 << 63)) & ((1 << 64) - 1)) - (1 << 63)


def _parse_number(text: str) -> int:
    try:
        if "#" in text:
            base_s, digits = text.split("#", 1)
            base = int(base_s)
            if not 2 <= base <= 64:
                raise ValueError
            value = 0
            for ch in digits:
                if ch.isdigit():
                    d = ord(ch) - 48
                elif ch.islower():
                    d = ord(ch) - 87
                elif ch.isupper():
                    d = ord(ch) - 29 if base > 36 else ord(ch) - 55
                elif ch == "@":
                    d = 62
                elif ch == "_":
                    d = 63
                else:
                    raise ValueError
                if d >= base:
                    raise ValueError
                value = value * base + d
            return _wrap(value)
        if text[:2] in ("0x", "0X"):
            return _wrap(int(text[2:], 16))
        if len(text) > 1 and text[0] == "0":
            return _wrap(int(text, 8))
        return _wrap(int(text, 10))
    except ValueError:
        raise ArithError("value too great for base") from None


class _Eval:
    def __init__(self, text: str, get: Callable[[str], str | None],
                 set_: Callable[[str, str], None], depth: int) -> None:
        self.text = text
        self.get = get
        self.set = set_
        self.depth = depth
        self.toks = _tokenize(text)
        self.k = 0
        self.noeval = 0

    # ---------------------------------------------------------------- helpers

    def error(self, message: str) -> ArithError:
        # bash blames the token being read, or the last one when the expression ran out.
        k = min(self.k, len(self.toks) - 1)
        rest = self.text[self.toks[k][2]:] if k >= 0 else ""
        return ArithError(f"{message} (error token is \"{rest}\")")

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.k] if self.k < len(self.toks) else None

    def take_op(self, *ops: str) -> str | None:
        tok = self.peek()
        if tok is not None and tok[0] == "op" and tok[1] in ops:
            self.k += 1
            return tok[1]
        return None

    def var(self, name: str) -> int:
        raw = self.get(name)
        if raw is None or raw.strip() == "":
            return 0
        raw = raw.strip()
        if raw.lstrip("-").isdigit():
            return _wrap(int(raw))
        if self.depth > 32:
            raise ArithError("expression recursion level exceeded")
        return evaluate(raw, self.get, self.set, self.depth + 1)

    # ---------------------------------------------------------------- grammar

    def run(self) -> int:
        if not self.toks:
            return 0
        value = self.comma()
        if self.k < len(self.toks):
            raise self.error("syntax error in expression")
        return value

    def comma(self) -> int:
        value = self.assign()
        while self.take_op(","):
            value = self.assign()
        return value

    def assign(self) -> int:
        tok = self.peek()
        nxt = self.toks[self.k + 1] if self.k + 1 < len(self.toks) else None
        if (tok is not None and tok[0] == "name" and nxt is not None and nxt[0] == "op"
                and nxt[1] in _ASSIGN_OPS):
            self.k += 2
            name, op = tok[1], nxt[1]
            rhs = self.assign()
            if op == "=":
                value = rhs
            else:
                value = self.binop(op[:-1], self.var(name), rhs)
            if not self.noeval:
                self.set(name, str(value))
            return value
        return self.ternary()

    def ternary(self) -> int:
        cond = self.binary(1)
        if not self.take_op("?"):
            return cond
        if not cond:
            self.noeval += 1
        a = self.assign()
        if not cond:
            self.noeval -= 1
        if not self.take_op(":"):
            raise self.error("`:' expected for conditional expression")
        if cond:
            self.noeval += 1
        b = self.assign()
        if cond:
            self.noeval -= 1
        return a if cond else b

    def binary(self, min_prec: int) -> int:
        """Precedence climbing over the left-associative binary operators."""
        left = self.power()
        toks = self.toks
        while self.k < len(toks):
            kind, op, _ = toks[self.k]
            prec = _PREC.get(op) if kind == "op" else None
            if prec is None or prec < min_prec:
                return left
            self.k += 1
            if op in ("&&", "||"):
                skip = (op == "&&" and not left) or (op == "||" and left)
                if skip:
                    self.noeval += 1
                right = self.binary(prec + 1)
                if skip:
                    self.noeval -= 1
                left = int(bool(left) and bool(right)) if op == "&&" else int(
                    bool(left) or bool(right))
            else:
                left = self.binop(op, left, self.binary(prec + 1))
        return left

    def binop(self, op: str, a: int, b: int) -> int:
        if op in ("/", "%"):
            if b == 0:
                if self.noeval:
                    return 0
                self.k -= 1
                raise self.error("division by 0")
            q = abs(a) // abs(b)
            if (a < 0) != (b < 0):
                q = -q
            return _wrap(q if op == "/" else a - q * b)
        if op == "**":
            if b < 0:
                raise self.error("exponent less than 0")
            return _wrap(pow(a, b, 1 << 64))
        if op == "+":
            result = a + b
        elif op == "-":
            result = a - b
        elif op == "*":
            result = a * b
        elif op == "<<":
            result = a << (b & 63)
        elif op == ">>":
            result = a >> (b & 63)
        elif op == "&":
            result = a & b
        elif op == "|":
            result = a | b
        elif op == "^":
            result = a ^ b
        elif op == "<":
            result = int(a < b)
        elif op == ">":
            result = int(a > b)
        elif op == "<=":
            result = int(a <= b)
        elif op == ">=":
            result = int(a >= b)
        elif op == "==":
            result = int(a == b)
        else:
            result = int(a != b)
        return _wrap(result)

    def power(self) -> int:
        base = self.unary()
        if self.take_op("**"):
            exp = self.power()
            return self.binop("**", base, exp)
        return base

    def unary(self) -> int:
        op = self.take_op("!", "~", "-", "+", "++", "--")
        if op is None:
            return self.postfix()
        if op in ("++", "--"):
            tok = self.peek()
            if tok is None or tok[0] != "name":
                raise self.error("syntax error: operand expected")
            self.k += 1
            value = _wrap(self.var(tok[1]) + (1 if op == "++" else -1))
            if not self.noeval:
                self.set(tok[1], str(value))
            return value
        value = self.unary()
        if op == "!":
            return int(not value)
        if op == "~":
            return ~value
        if op == "-":
            return _wrap(-value)
        return value

    def postfix(self) -> int:
        tok = self.peek()
        if tok is None:
            raise self.error("syntax error: operand expected")
        kind, text, _ = tok
        if kind == "num":
            try:
                value = _parse_number(text)
            except ArithError:
                raise self.error("value too great for base") from None
            self.k += 1
            return value
        if kind == "name":
            self.k += 1
            value = self.var(text)
            op = self.take_op("++", "--")
            if op is not None and not self.noeval:
                self.set(text, str(_wrap(value + (1 if op == "++" else -1))))
            return value
        if kind == "op" and text == "(":
            self.k += 1
            value = self.comma()
            if not self.take_op(")"):
                raise self.error("missing `)'")
            return value
        raise self.error("syntax error: operand expected")


def evaluate(text: str, get: Callable[[str], str | None], set_: Callable[[str, str], None],
             depth: int = 0) -> int:
    """Evaluate ``text``; raise :class:`ArithError` with bash's wording on failure."""
    plain = text.strip()
    if plain.isdigit() and (plain == "0" or plain[0] != "0"):
        return _wrap(int(plain))
    ev = _Eval(text, get, set_, depth)
    try:
        return ev.run()
    except ArithError as err:
        if depth:
            raise
        raise ArithError(f"{text.lstrip()}: {err}") from None
