"""A real, small awk: the POSIX awk language (``-F``, ``-v``, ``BEGIN``/``END``, patterns and
ranges, fields and ``NF``/``NR``/``FNR``, ``print``/``printf`` with ``>``/``>>``, arithmetic,
string concatenation, comparisons with awk's strnum rules, regex match, associative arrays,
``for (k in a)``, ``delete``, ``getline``, user functions, the string and math builtins).

Semantics follow POSIX XCU awk and the one true awk / mawk where POSIX leaves room: a single
character ``FS`` other than space is literal, a longer one is an ERE (so ``-F"v1"`` counts
``v1`` occurrences with ``{print NF-1}``), ``-Ft`` is a tab, ``RS=""`` is paragraph mode,
integral numbers print as integers and others through ``OFMT``. On the workstation ``awk`` is
mawk 1.3.4 (Debian/Ubuntu's default), so its diagnostics are mawk's (``awk: line 1: syntax
error at or near }``); in busybox containers they are BusyBox's. ``for (k in a)`` visits keys
in insertion order (real awks use hash order: ``docs/realism.md``). ``system()`` and
``cmd | getline`` are not available (no processes run inside awk).
"""

from __future__ import annotations

import contextlib
import math
import random
import re
from typing import Any

from .common import OptError, Tool
from .fmt import Spec, parse_format, render
from .regex import RegexError, compile_ere

__all__ = ["AWK"]


# ====================================================================== values


class StrNum(str):
    """A string from input (fields, ``getline``, ``-v``, ``ARGV``): numeric if it looks so."""

    __slots__ = ("num",)
    num: float | None

    def __new__(cls, text: str, num: float | None = None) -> StrNum:
        obj = super().__new__(cls, text)
        obj.num = num
        return obj


_NUMERIC = re.compile(r"\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)\s*\Z")
_PREFIX = re.compile(r"\s*[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)")


def strnum(text: str) -> StrNum:
    if _NUMERIC.match(text):
        return StrNum(text, float(text))
    return StrNum(text, None)


UNINIT = StrNum("", 0.0)
_NAN = float("nan")  # C's NaN from 0/0 or log(-1) has its sign bit set: printf shows "-nan"


def to_num(v: Any) -> float:
    if type(v) is float:
        return v
    if isinstance(v, StrNum) and v.num is not None:
        return v.num
    m = _PREFIX.match(v)
    return float(m.group(0)) if m else 0.0


def num_to_str(v: float, fmt: str) -> str:
    if math.isnan(v):
        return "nan" if math.copysign(1, v) > 0 else "-nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == int(v) and abs(v) < 1e16:
        return str(int(v))
    try:
        return fmt % v
    except (TypeError, ValueError):
        return f"{v:.6g}"


def _int(v: float) -> int:
    return int(v) if math.isfinite(v) else 0


def _is_num(v: Any) -> bool:
    return type(v) is float or (isinstance(v, StrNum) and v.num is not None)


# ====================================================================== errors / control


class AwkSyntaxError(Exception):
    def __init__(self, line: int, near: str) -> None:
        super().__init__(line, near)
        self.line = line
        self.near = near


class AwkRuntimeError(Exception):
    pass


class _Next(Exception):
    pass


class _NextFile(Exception):
    pass


class _Exit(Exception):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        super().__init__()
        self.value = value


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


# ====================================================================== lexer

_KEYWORDS = {"BEGIN", "END", "function", "func", "if", "else", "while", "for", "do", "break",
             "continue", "next", "nextfile", "exit", "return", "delete", "in", "getline",
             "print", "printf"}
_BUILTINS = {"length", "substr", "index", "split", "sub", "gsub", "match", "sprintf", "sin",
             "cos", "atan2", "exp", "log", "sqrt", "int", "rand", "srand", "tolower",
             "toupper", "system", "close", "fflush"}
_OPS = ["**=", "&&", "||", "==", "<=", ">=", "!=", "++", "--", "+=", "-=", "*=", "/=", "%=",
        "^=", ">>", "!~", "**", "{", "}", "(", ")", "[", "]", ";", ",", "+", "-", "*", "/",
        "%", "^", "!", ">", "<", "|", "?", ":", "~", "$", "="]
_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "/": "/", "a": "\a",
        "b": "\b", "f": "\f", "v": "\v"}


def unescape(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            d = text[i + 1]
            if d in _ESC:
                out.append(_ESC[d])
                i += 2
                continue
            m = re.compile(r"[0-7]{1,3}").match(text, i + 1)
            if m:
                out.append(chr(int(m.group(0), 8)))
                i = m.end()
                continue
            out.append("\\" + d)
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


class _Tok:
    __slots__ = ("kind", "line", "value")

    def __init__(self, kind: str, value: Any, line: int) -> None:
        self.kind = kind
        self.value = value
        self.line = line

    def __repr__(self) -> str:  # pragma: no cover
        return f"{self.kind}:{self.value!r}"


_REGEX_OK_AFTER = {"number", "string", "ere", "name", "funcname", "builtin"}


def tokenize(src: str) -> list[_Tok]:
    toks: list[_Tok] = []
    i, n, line = 0, len(src), 1
    while i < n:
        c = src[i]
        if c in " \t\r":
            i += 1
            continue
        if c == "\\" and src[i + 1:i + 2] == "\n":
            i += 2
            line += 1
            continue
        if c == "\n":
            toks.append(_Tok("nl", "\n", line))
            line += 1
            i += 1
            continue
        if c == "#":
            while i < n and src[i] != "\n":
                i += 1
            continue
        if c == '"':
            j = i + 1
            buf: list[str] = []
            while j < n and src[j] != '"':
                if src[j] == "\\" and j + 1 < n:
                    buf.append(src[j:j + 2])
                    j += 2
                    continue
                if src[j] == "\n":
                    raise AwkSyntaxError(line, "runaway string constant")
                buf.append(src[j])
                j += 1
            if j >= n:
                raise AwkSyntaxError(line, "runaway string constant \"" + "".join(buf)[:10])
            toks.append(_Tok("string", unescape("".join(buf)), line))
            i = j + 1
            continue
        if c == "/" and not (toks and (toks[-1].kind in _REGEX_OK_AFTER or toks[-1].value in (
                ")", "]", "$", "++", "--"))):
            j = i + 1
            buf = []
            in_bracket = False
            while j < n:
                ch = src[j]
                if ch == "\\" and j + 1 < n:
                    buf.append(src[j:j + 2] if src[j + 1] != "/" else "/")
                    j += 2
                    continue
                if ch == "[":
                    in_bracket = True
                elif ch == "]":
                    in_bracket = False
                elif ch == "/" and not in_bracket:
                    break
                elif ch == "\n":
                    raise AwkSyntaxError(line, "runaway regular expression /" + "".join(buf)[:10])
                buf.append(ch)
                j += 1
            if j >= n:
                raise AwkSyntaxError(line, "runaway regular expression /" + "".join(buf)[:10])
            toks.append(_Tok("ere", "".join(buf), line))
            i = j + 1
            continue
        m = re.compile(r"(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)").match(src, i)
        if m and (c.isdigit() or c == "."):
            toks.append(_Tok("number", float(m.group(0)), line))
            i = m.end()
            continue
        m = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(src, i)
        if m:
            word = m.group(0)
            i = m.end()
            if word in _KEYWORDS:
                toks.append(_Tok("kw", "function" if word == "func" else word, line))
            elif word in _BUILTINS:
                toks.append(_Tok("builtin", word, line))
            elif i < n and src[i] == "(":
                toks.append(_Tok("funcname", word, line))
            else:
                toks.append(_Tok("name", word, line))
            continue
        for op in _OPS:
            if src.startswith(op, i):
                toks.append(_Tok("op", "^" if op == "**" else "^=" if op == "**=" else op, line))
                i += len(op)
                break
        else:
            raise AwkSyntaxError(line, c)
    toks.append(_Tok("eof", "", line))
    return toks


# ====================================================================== parser


class _Parser:
    def __init__(self, toks: list[_Tok]) -> None:
        self.toks = toks
        self.k = 0
        self.begin: list[Any] = []
        self.end: list[Any] = []
        self.rules: list[tuple[Any, Any, Any]] = []  # (pattern, pattern2, action)
        self.funcs: dict[str, tuple[list[str], Any]] = {}
        self.no_gt = 0
        self.no_in = 0

    # ---------------------------------------------------------------- helpers

    @property
    def tok(self) -> _Tok:
        return self.toks[self.k]

    def at(self, kind: str, value: Any = None) -> bool:
        t = self.toks[self.k]
        return t.kind == kind and (value is None or t.value == value)

    def at_op(self, *values: str) -> bool:
        t = self.toks[self.k]
        return t.kind == "op" and t.value in values

    def take(self) -> _Tok:
        t = self.toks[self.k]
        self.k += 1
        return t

    def expect_op(self, value: str) -> None:
        if not self.at_op(value):
            raise self.error()
        self.k += 1

    def error(self) -> AwkSyntaxError:
        t = self.tok
        near = {"nl": "end of line", "eof": "end of file"}.get(t.kind)
        if near is None:
            near = t.value if t.kind != "number" else num_to_str(t.value, "%.6g")
            if t.kind == "string":
                near = '"' + t.value
        return AwkSyntaxError(t.line, str(near))

    def nls(self) -> None:
        while self.at("nl"):
            self.k += 1

    def terminators(self) -> None:
        while self.at("nl") or self.at_op(";"):
            self.k += 1

    # ---------------------------------------------------------------- program

    def program(self) -> None:
        self.terminators()
        while not self.at("eof"):
            self.item()
            self.terminators()

    def item(self) -> None:
        if self.at("kw", "BEGIN"):
            self.k += 1
            self.nls()
            self.begin.append(self.action())
            return
        if self.at("kw", "END"):
            self.k += 1
            self.nls()
            self.end.append(self.action())
            return
        if self.at("kw", "function"):
            self.k += 1
            t = self.take()
            if t.kind not in ("name", "funcname"):
                self.k -= 1
                raise self.error()
            self.expect_op("(")
            params: list[str] = []
            while not self.at_op(")"):
                p = self.take()
                if p.kind != "name":
                    self.k -= 1
                    raise self.error()
                params.append(p.value)
                if self.at_op(","):
                    self.k += 1
                    self.nls()
            self.k += 1
            self.nls()
            self.funcs[t.value] = (params, self.action())
            return
        pattern = pattern2 = None
        if not self.at_op("{"):
            pattern = self.expr()
            if self.at_op(","):
                self.k += 1
                self.nls()
                pattern2 = self.expr()
        if self.at_op("{"):
            action = self.action()
        else:
            action = None
        self.rules.append((pattern, pattern2, action))

    def action(self) -> Any:
        self.expect_op("{")
        stmts = self.stmt_list()
        self.expect_op("}")
        return ("block", stmts)

    def stmt_list(self) -> list[Any]:
        stmts = []
        self.terminators()
        while not self.at_op("}"):
            if self.at("eof"):
                raise self.error()
            stmts.append(self.stmt())
            self.terminators()
        return stmts

    def end_simple(self) -> None:
        if self.at_op(";") or self.at("nl"):
            self.k += 1
            return
        if self.at_op("}") or self.at("eof"):
            return
        raise self.error()

    def stmt(self) -> Any:
        t = self.tok
        if t.kind == "op" and t.value == "{":
            self.k += 1
            body = self.stmt_list()
            self.expect_op("}")
            return ("block", body)
        if t.kind == "op" and t.value == ";":
            self.k += 1
            return ("block", [])
        if t.kind == "kw":
            kw = t.value
            if kw == "if":
                self.k += 1
                self.expect_op("(")
                cond = self.expr()
                self.expect_op(")")
                self.nls()
                then = self.stmt()
                save = self.k
                self.terminators()
                if self.at("kw", "else"):
                    self.k += 1
                    self.nls()
                    return ("if", cond, then, self.stmt())
                self.k = save
                return ("if", cond, then, None)
            if kw == "while":
                self.k += 1
                self.expect_op("(")
                cond = self.expr()
                self.expect_op(")")
                if self.at_op(";"):
                    self.k += 1
                    return ("while", cond, ("block", []))
                self.nls()
                return ("while", cond, self.stmt())
            if kw == "do":
                self.k += 1
                self.nls()
                body = self.stmt()
                self.terminators()
                if not self.at("kw", "while"):
                    raise self.error()
                self.k += 1
                self.expect_op("(")
                cond = self.expr()
                self.expect_op(")")
                self.end_simple()
                return ("do", body, cond)
            if kw == "for":
                return self.for_stmt()
            if kw in ("break", "continue", "next", "nextfile"):
                self.k += 1
                self.end_simple()
                return (kw,)
            if kw in ("exit", "return"):
                self.k += 1
                value = None
                if not (self.at_op(";", "}") or self.at("nl") or self.at("eof")):
                    value = self.expr()
                self.end_simple()
                return (kw, value)
            if kw == "delete":
                self.k += 1
                name = self.take()
                if name.kind != "name":
                    self.k -= 1
                    raise self.error()
                idx = None
                if self.at_op("["):
                    self.k += 1
                    idx = self.expr_list()
                    self.expect_op("]")
                self.end_simple()
                return ("delete", name.value, idx)
            if kw in ("print", "printf"):
                return self.print_stmt()
        e = self.expr()
        self.end_simple()
        return ("expr", e)

    def for_stmt(self) -> Any:
        self.k += 1
        self.expect_op("(")
        if (self.at("name") and self.toks[self.k + 1].kind == "kw"
                and self.toks[self.k + 1].value == "in" and self.toks[self.k + 2].kind == "name"
                and self.toks[self.k + 3].kind == "op" and self.toks[self.k + 3].value == ")"):
            var = self.take().value
            self.k += 1
            arr = self.take().value
            self.k += 1
            self.nls()
            return ("forin", var, arr, self.stmt())
        init = None if self.at_op(";") else self.simple_expr_stmt()
        self.expect_op(";")
        self.nls()
        cond = None if self.at_op(";") else self.expr()
        self.expect_op(";")
        self.nls()
        step = None if self.at_op(")") else self.simple_expr_stmt()
        self.expect_op(")")
        if self.at_op(";"):
            self.k += 1
            return ("for", init, cond, step, ("block", []))
        self.nls()
        return ("for", init, cond, step, self.stmt())

    def simple_expr_stmt(self) -> Any:
        return ("expr", self.expr())

    def print_stmt(self) -> Any:
        kind = self.take().value
        args: list[Any] = []
        self.no_gt += 1
        try:
            if not (self.at_op(";", "}", ">", ">>", "|") or self.at("nl") or self.at("eof")):
                if self.at_op("("):
                    # print (a, b) > "f"  vs  print (a)(b): try the grouped list first.
                    save = self.k
                    self.k += 1
                    self.no_gt -= 1
                    try:
                        inner = self.expr_list()
                        ok = self.at_op(")")
                    finally:
                        self.no_gt += 1
                    if ok:
                        self.k += 1
                        if (self.at_op(";", "}", ">", ">>", "|") or self.at("nl")
                                or self.at("eof")):
                            args = inner
                        else:
                            self.k = save
                            args = self.expr_list()
                    else:
                        self.k = save
                        args = self.expr_list()
                else:
                    args = self.expr_list()
        finally:
            self.no_gt -= 1
        redir = None
        if self.at_op(">", ">>", "|"):
            op = self.take().value
            redir = (op, self.concat_expr())
        self.end_simple()
        return (kind, args, redir)

    def expr_list(self) -> list[Any]:
        items = [self.expr()]
        while self.at_op(","):
            self.k += 1
            self.nls()
            items.append(self.expr())
        return items

    # ---------------------------------------------------------------- expressions

    def expr(self) -> Any:
        return self.ternary()

    def ternary(self) -> Any:
        cond = self.or_expr()
        if self.at_op("?"):
            self.k += 1
            self.nls()
            a = self.ternary()
            self.nls()
            self.expect_op(":")
            self.nls()
            b = self.ternary()
            return ("cond", cond, a, b)
        if self.at_op("=", "+=", "-=", "*=", "/=", "%=", "^=") and cond[0] in (
                "var", "field", "index"):
            op = self.take().value
            self.nls()
            value = self.ternary()
            return ("assign", op, cond, value)
        return cond

    def or_expr(self) -> Any:
        left = self.and_expr()
        while self.at_op("||"):
            self.k += 1
            self.nls()
            left = ("or", left, self.and_expr())
        return left

    def and_expr(self) -> Any:
        left = self.in_expr()
        while self.at_op("&&"):
            self.k += 1
            self.nls()
            left = ("and", left, self.in_expr())
        return left

    def in_expr(self) -> Any:
        left = self.match_expr()
        while self.at("kw", "in") and not self.no_in:
            self.k += 1
            arr = self.take()
            if arr.kind != "name":
                self.k -= 1
                raise self.error()
            keys = left[1] if left[0] == "grouping" else [left]
            left = ("in", keys, arr.value)
        return left

    def match_expr(self) -> Any:
        left = self.cmp_expr()
        while self.at_op("~", "!~"):
            neg = self.take().value == "!~"
            left = ("match", neg, left, self.cmp_expr())
        return left

    def cmp_expr(self) -> Any:
        left = self.concat_expr()
        if self.at_op("<", "<=", "!=", "==", ">=") or (self.at_op(">") and not self.no_gt):
            op = self.take().value
            right = self.concat_expr()
            return ("cmp", op, left, right)
        return left

    def concat_expr(self) -> Any:
        left = self.additive()
        while True:
            t = self.tok
            if t.kind in ("number", "string", "ere", "name", "funcname", "builtin") or (
                    t.kind == "op" and t.value in ("$", "(", "++", "--")):
                left = ("concat", left, self.additive())
            else:
                return left

    def additive(self) -> Any:
        left = self.multiplicative()
        while self.at_op("+", "-"):
            op = self.take().value
            left = ("bin", op, left, self.multiplicative())
        return left

    def multiplicative(self) -> Any:
        left = self.unary()
        while self.at_op("*", "/", "%"):
            op = self.take().value
            left = ("bin", op, left, self.unary())
        return left

    def unary(self) -> Any:
        if self.at_op("!"):
            self.k += 1
            return ("not", self.unary())
        if self.at_op("-"):
            self.k += 1
            return ("neg", self.unary())
        if self.at_op("+"):
            self.k += 1
            return ("pos", self.unary())
        return self.power()

    def power(self) -> Any:
        base = self.postfix()
        if self.at_op("^"):
            self.k += 1
            exp = self.unary_power()
            return ("bin", "^", base, exp)
        return base

    def unary_power(self) -> Any:
        if self.at_op("-"):
            self.k += 1
            return ("neg", self.unary_power())
        if self.at_op("+"):
            self.k += 1
            return self.unary_power()
        if self.at_op("!"):
            self.k += 1
            return ("not", self.unary_power())
        return self.power()

    def postfix(self) -> Any:
        if self.at_op("++", "--"):
            delta = 1.0 if self.take().value == "++" else -1.0
            lv = self.postfix()
            if lv[0] not in ("var", "field", "index"):
                raise self.error()
            return ("preinc", delta, lv)
        e = self.primary()
        if e[0] in ("var", "field", "index") and self.at_op("++", "--"):
            delta = 1.0 if self.take().value == "++" else -1.0
            return ("postinc", delta, e)
        return e

    def primary(self) -> Any:
        t = self.take()
        kind = t.kind
        if kind == "number":
            return ("num", t.value)
        if kind == "string":
            return ("str", t.value)
        if kind == "ere":
            return ("re", t.value)
        if kind == "op" and t.value == "$":
            if self.at_op("++", "--"):
                return ("field", self.postfix())
            return ("field", self.primary_noinc())
        if kind == "op" and t.value == "(":
            saved_gt, self.no_gt = self.no_gt, 0
            saved_in, self.no_in = self.no_in, 0
            try:
                items = self.expr_list()
            finally:
                self.no_gt, self.no_in = saved_gt, saved_in
            self.expect_op(")")
            if len(items) > 1:
                if not self.at("kw", "in"):
                    raise self.error()
                return ("grouping", items)
            return ("group", items[0])
        if kind == "op" and t.value == "-":
            return ("neg", self.primary())
        if kind == "name":
            if self.at_op("["):
                self.k += 1
                idx = self.expr_list()
                self.expect_op("]")
                return ("index", t.value, idx)
            return ("var", t.value)
        if kind == "funcname":
            self.expect_op("(")
            args = [] if self.at_op(")") else self.expr_list()
            self.expect_op(")")
            return ("call", t.value, args)
        if kind == "builtin":
            name = t.value
            if self.at_op("("):
                self.k += 1
                args = [] if self.at_op(")") else self.expr_list()
                self.expect_op(")")
            elif name == "length":
                args = []
            else:
                self.k -= 1
                raise self.error()
            return ("builtin", name, args)
        if kind == "kw" and t.value == "getline":
            lv = None
            if self.at("name") or self.at_op("$"):
                lv = self.primary()
            src = None
            if self.at_op("<"):
                self.k += 1
                src = self.primary()
            return ("getline", lv, src)
        self.k -= 1
        raise self.error()

    def primary_noinc(self) -> Any:
        t = self.tok
        if t.kind == "op" and t.value == "-":
            self.k += 1
            return ("neg", self.primary_noinc())
        return self.primary()


# ====================================================================== interpreter


class _Awk:
    def __init__(self, t: Tool, prog: _Parser) -> None:
        self.t = t
        self.prog = prog
        self.vars: dict[str, Any] = {
            "FS": " ", "OFS": " ", "ORS": "\n", "RS": "\n", "NR": 0.0, "FNR": 0.0,
            "SUBSEP": "\x1c", "CONVFMT": "%.6g", "OFMT": "%.6g", "FILENAME": "",
            "RSTART": 0.0, "RLENGTH": -1.0,
        }
        self.vars["ENVIRON"] = {k: strnum(v) for k, v in t.ctx.env.items()}
        self.frames: list[dict[str, Any]] = []
        self.record = ""
        self.fields: list[str] | None = None
        self.nf = 0
        self.out: list[str] = []
        self.files: dict[str, list[str]] = {}
        self.readers: dict[str, tuple[list[str], int]] = {}
        self.rng = random.Random(0)
        self.seed = 0.0
        self.range_active: dict[int, bool] = {}
        self.input_records: list[str] = []
        self.input_pos = 0
        self.exit_code = 0
        self.E = {
            "num": lambda e: e[1], "str": lambda e: e[1], "re": self.ev_re,
            "var": self.ev_var, "field": self.ev_field, "index": self.ev_index,
            "assign": self.ev_assign, "cond": self.ev_cond, "or": self.ev_or,
            "and": self.ev_and, "in": self.ev_in, "match": self.ev_match, "cmp": self.ev_cmp,
            "concat": self.ev_concat, "bin": self.ev_bin, "neg": self.ev_neg,
            "pos": lambda e: to_num(self.ev(e[1])), "not": self.ev_not,
            "preinc": self.ev_preinc, "postinc": self.ev_postinc, "call": self.ev_call,
            "builtin": self.ev_builtin, "getline": self.ev_getline,
            "group": lambda e: self.ev(e[1]), "grouping": self.ev_grouping,
        }

    # ---------------------------------------------------------------- variables

    def get(self, name: str) -> Any:
        if self.frames and name in self.frames[-1]:
            value = self.frames[-1][name]
            if type(value) is _LazyArg and not value:
                return UNINIT
            return value
        if name == "NF":
            self.split()
            return float(self.nf)
        return self.vars.get(name, UNINIT)

    def set(self, name: str, value: Any) -> None:
        if self.frames and name in self.frames[-1]:
            self.frames[-1][name] = value
            return
        if name == "NF":
            self.split()
            n = _int(to_num(value))
            assert self.fields is not None
            if n < len(self.fields):
                del self.fields[n:]
            else:
                self.fields.extend([""] * (n - len(self.fields)))
            self.nf = n
            self.rebuild()
            return
        self.vars[name] = value

    def array(self, name: str) -> dict[str, Any]:
        if self.frames and name in self.frames[-1]:
            value = self.frames[-1][name]
            if not isinstance(value, dict):
                if value is UNINIT or value == "":
                    value = {}
                    self.frames[-1][name] = value
                else:
                    raise AwkRuntimeError(f"can't use scalar {name} as array")
            return value
        value = self.vars.get(name)
        if not isinstance(value, dict):
            if value is None or value is UNINIT:
                value = {}
                self.vars[name] = value
            else:
                raise AwkRuntimeError(f"can't use scalar {name} as array")
        return value

    def s(self, v: Any) -> str:
        if type(v) is float:
            return num_to_str(v, self.vars.get("CONVFMT", "%.6g"))
        if isinstance(v, dict):
            raise AwkRuntimeError("can't use array in scalar context")
        return v

    def out_str(self, v: Any) -> str:
        if type(v) is float:
            return num_to_str(v, self.s(self.vars.get("OFMT", "%.6g")))
        return self.s(v)

    def key(self, idx: list[Any]) -> str:
        if len(idx) == 1:
            return self.s(self.ev(idx[0]))
        return self.s(self.vars.get("SUBSEP", "\x1c")).join(self.s(self.ev(e)) for e in idx)

    # ---------------------------------------------------------------- records and fields

    def set_record(self, text: str) -> None:
        self.record = text
        self.fields = None

    def split(self) -> None:
        if self.fields is not None:
            return
        fields = self.split_text(self.record, self.s(self.vars["FS"]),
                                 self.s(self.vars.get("RS", "\n")) == "")
        self.fields = fields
        self.nf = len(fields)

    def split_text(self, text: str, fs: str, paragraph: bool = False) -> list[str]:
        if fs == " ":
            return text.split()
        if paragraph and text:
            parts: list[str] = []
            for line in text.split("\n"):
                parts.extend(self.split_text(line, fs) if line else [])
            return parts
        if text == "":
            return []
        if fs == "":
            return list(text)
        if len(fs) == 1 and fs != "\\":
            return text.split(fs)
        try:
            rx = compile_ere(fs, False, True)
        except RegexError as err:
            raise AwkRuntimeError(f"regular expression compile failed ({err})") from None
        return rx.split(text) if rx.groups == 0 else re.split(
            "(?:" + rx.pattern + ")", text)

    def rebuild(self) -> None:
        assert self.fields is not None
        self.record = self.s(self.vars["OFS"]).join(self.s(f) for f in self.fields)

    def get_field(self, n: int) -> Any:
        if n == 0:
            return strnum(self.record)
        if n < 0:
            raise AwkRuntimeError(f"negative field index ${n}")
        self.split()
        assert self.fields is not None
        if n > len(self.fields):
            return UNINIT
        f = self.fields[n - 1]
        return f if isinstance(f, StrNum) else strnum(f)

    def set_field(self, n: int, value: Any) -> None:
        if n == 0:
            self.set_record(self.s(value))
            return
        if n < 0:
            raise AwkRuntimeError(f"negative field index ${n}")
        self.split()
        assert self.fields is not None
        while len(self.fields) < n:
            self.fields.append("")
        self.fields[n - 1] = self.s(value)
        self.nf = len(self.fields)
        self.rebuild()

    # ---------------------------------------------------------------- lvalues

    def assign_to(self, lv: Any, value: Any) -> Any:
        kind = lv[0]
        if kind == "var":
            self.set(lv[1], value)
        elif kind == "field":
            self.set_field(_int(to_num(self.ev(lv[1]))), value)
        elif kind == "index":
            self.array(lv[1])[self.key(lv[2])] = value
        elif kind == "group":
            return self.assign_to(lv[1], value)
        return value

    # ---------------------------------------------------------------- expressions

    def ev(self, e: Any) -> Any:
        return self.E[e[0]](e)

    def ev_re(self, e: Any) -> Any:
        return 1.0 if self.regex(e[1]).search(self.record) else 0.0

    def regex(self, pattern: str) -> re.Pattern[str]:
        try:
            return compile_ere(pattern, False, True)
        except RegexError as err:
            raise AwkRuntimeError(f"regular expression compile failed (missing operand)\n"
                                  f"{pattern}" if "nothing" in str(err) else
                                  f"regular expression compile failed ({err})") from None

    def ev_var(self, e: Any) -> Any:
        v = self.get(e[1])
        if isinstance(v, dict):
            raise AwkRuntimeError(f"can't use array {e[1]} in scalar context")
        return v

    def ev_field(self, e: Any) -> Any:
        return self.get_field(_int(to_num(self.ev(e[1]))))

    def ev_index(self, e: Any) -> Any:
        arr = self.array(e[1])
        k = self.key(e[2])
        v = arr.get(k)
        if v is None:
            arr[k] = UNINIT
            return UNINIT
        return v

    def ev_assign(self, e: Any) -> Any:
        op, lv, rhs = e[1], e[2], e[3]
        value = self.ev(rhs)
        if op != "=":
            value = self.arith(op[0], to_num(self.ev(lv)), to_num(value))
        return self.assign_to(lv, value)

    def ev_cond(self, e: Any) -> Any:
        return self.ev(e[2]) if self.truth(self.ev(e[1])) else self.ev(e[3])

    def ev_or(self, e: Any) -> Any:
        return 1.0 if self.truth(self.ev(e[1])) or self.truth(self.ev(e[2])) else 0.0

    def ev_and(self, e: Any) -> Any:
        return 1.0 if self.truth(self.ev(e[1])) and self.truth(self.ev(e[2])) else 0.0

    def ev_in(self, e: Any) -> Any:
        arr = self.array(e[2])
        return 1.0 if self.key(e[1]) in arr else 0.0

    def ev_grouping(self, e: Any) -> Any:
        raise AwkRuntimeError("syntax error")

    def ev_match(self, e: Any) -> Any:
        text = self.s(self.ev(e[2]))
        pat = e[3]
        rx = self.regex(pat[1]) if pat[0] == "re" else self.regex(self.s(self.ev(pat)))
        hit = rx.search(text) is not None
        return 1.0 if hit != e[1] else 0.0

    def ev_cmp(self, e: Any) -> Any:
        a, b = self.ev(e[2]), self.ev(e[3])
        if _is_num(a) and _is_num(b):
            x: Any = to_num(a)
            y: Any = to_num(b)
        else:
            x, y = self.s(a), self.s(b)
        op = e[1]
        if op == "<":
            r = x < y
        elif op == "<=":
            r = x <= y
        elif op == ">":
            r = x > y
        elif op == ">=":
            r = x >= y
        elif op == "==":
            r = x == y
        else:
            r = x != y
        return 1.0 if r else 0.0

    def ev_concat(self, e: Any) -> Any:
        return self.s(self.ev(e[1])) + self.s(self.ev(e[2]))

    def arith(self, op: str, a: float, b: float) -> float:
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "/":
            if b == 0:
                if self.t.gnu:  # mawk divides as IEEE 754 does
                    return -_NAN if a == 0 else math.copysign(math.inf, a) * math.copysign(1, b)
                raise AwkRuntimeError("division by zero")
            return a / b
        if op == "%":
            if b == 0:
                if self.t.gnu:
                    return -_NAN
                raise AwkRuntimeError("division by zero in %")
            return math.fmod(a, b)
        try:
            return float(a ** b) if not (a < 0 and b != int(b)) else float("nan")
        except OverflowError:
            return float("inf")
        except ZeroDivisionError:
            raise AwkRuntimeError("division by zero") from None

    def ev_bin(self, e: Any) -> Any:
        return self.arith(e[1], to_num(self.ev(e[2])), to_num(self.ev(e[3])))

    def ev_neg(self, e: Any) -> Any:
        return -to_num(self.ev(e[1]))

    def ev_not(self, e: Any) -> Any:
        return 0.0 if self.truth(self.ev(e[1])) else 1.0

    def ev_preinc(self, e: Any) -> Any:
        value = to_num(self.ev(e[2])) + e[1]
        self.assign_to(e[2], value)
        return value

    def ev_postinc(self, e: Any) -> Any:
        old = to_num(self.ev(e[2]))
        self.assign_to(e[2], old + e[1])
        return old

    def truth(self, v: Any) -> bool:
        if type(v) is float:
            return v != 0
        if isinstance(v, StrNum) and v.num is not None:
            return v.num != 0
        return v != ""

    def ev_call(self, e: Any) -> Any:
        name, args = e[1], e[2]
        fn = self.prog.funcs.get(name)
        if fn is None:
            raise AwkRuntimeError(f"function {name} never defined")
        params, body = fn
        frame: dict[str, Any] = {}
        for k, p in enumerate(params):
            if k < len(args):
                a = args[k]
                if a[0] == "var":
                    v = self.get(a[1])
                    if isinstance(v, dict):
                        frame[p] = v
                        continue
                    if v is UNINIT and a[1] not in self.vars and not (
                            self.frames and a[1] in self.frames[-1]):
                        # An untyped argument may become an array inside the function.
                        arr: dict[str, Any] = {}
                        frame[p] = _LazyArg(self, a[1], arr)
                        continue
                frame[p] = self.ev(a)
            else:
                frame[p] = UNINIT
        if len(self.frames) > 1000:
            raise AwkRuntimeError("function call nesting too deep")
        self.frames.append(frame)
        try:
            self.exec(body)
            result: Any = UNINIT
        except _Return as r:
            result = r.value
        finally:
            done = self.frames.pop()
            for value in done.values():
                if isinstance(value, _LazyArg):
                    value.commit()
        return result

    def ev_builtin(self, e: Any) -> Any:
        name, args = e[1], e[2]
        if name == "length":
            if not args:
                return float(len(self.record))
            a = args[0]
            if a[0] == "var" and isinstance(self.get(a[1]), dict):
                return float(len(self.get(a[1])))
            return float(len(self.s(self.ev(a))))
        if name == "substr":
            text = self.s(self.ev(args[0]))
            m = to_num(self.ev(args[1]))
            start = _round(m)
            if len(args) > 2:
                n = to_num(self.ev(args[2]))
                if math.isnan(n):
                    return ""
                end = _round(m + n) if not math.isinf(n) else len(text) + 1
            else:
                end = len(text) + 1
            start = max(start, 1)
            end = min(end, len(text) + 1)
            return text[start - 1:end - 1] if end > start else ""
        if name == "index":
            return float(self.s(self.ev(args[0])).find(self.s(self.ev(args[1]))) + 1)
        if name == "split":
            text = self.s(self.ev(args[0]))
            arr_node = args[1]
            arr = self.array(arr_node[1])
            arr.clear()
            if len(args) > 2:
                sep = args[2]
                fs = sep[1] if sep[0] == "re" else self.s(self.ev(sep))
                if sep[0] == "re" and len(fs) == 1 and fs != " ":
                    parts = text.split(fs) if text else []
                else:
                    parts = self.split_text(text, fs)
            else:
                parts = self.split_text(text, self.s(self.vars["FS"]))
            for k, p in enumerate(parts, 1):
                arr[str(k)] = strnum(p)
            return float(len(parts))
        if name in ("sub", "gsub"):
            pat = args[0]
            rx = self.regex(pat[1]) if pat[0] == "re" else self.regex(self.s(self.ev(pat)))
            repl = self.s(self.ev(args[1]))
            target = args[2] if len(args) > 2 else ("field", ("num", 0.0))
            text = self.s(self.ev(target))
            count = 0
            out: list[str] = []
            pos = 0
            last_end = -1
            for m in rx.finditer(text):
                if m.start() == m.end() == last_end:
                    continue  # no empty match right after a match, as in awk
                last_end = m.end() if m.end() > m.start() else -1
                out.append(text[pos:m.start()])
                out.append(_awk_repl(repl, m.group(0)))
                pos = m.end()
                count += 1
                if name == "sub":
                    break
            if count:
                out.append(text[pos:])
                self.assign_to(target, "".join(out))
            return float(count)
        if name == "match":
            text = self.s(self.ev(args[0]))
            pat = args[1]
            rx = self.regex(pat[1]) if pat[0] == "re" else self.regex(self.s(self.ev(pat)))
            m = rx.search(text)
            if m:
                self.vars["RSTART"] = float(m.start() + 1)
                self.vars["RLENGTH"] = float(m.end() - m.start())
                return float(m.start() + 1)
            self.vars["RSTART"] = 0.0
            self.vars["RLENGTH"] = -1.0
            return 0.0
        if name == "sprintf":
            if not args:
                raise AwkRuntimeError("not enough args passed to sprintf(\"\")")
            return self.sprintf([self.ev(a) for a in args])
        if name in ("sin", "cos", "exp", "log", "sqrt", "int"):
            x = to_num(self.ev(args[0])) if args else 0.0
            if name == "int":
                return float(math.trunc(x)) if math.isfinite(x) else x
            if name == "log":
                return math.log(x) if x > 0 else (-math.inf if x == 0 else -_NAN)
            if name == "sqrt":
                return math.sqrt(x) if x >= 0 else -_NAN
            if name == "exp":
                try:
                    return math.exp(x)
                except OverflowError:
                    return float("inf")
            return getattr(math, name)(x)
        if name == "atan2":
            return math.atan2(to_num(self.ev(args[0])), to_num(self.ev(args[1])))
        if name == "rand":
            return self.rng.random()
        if name == "srand":
            old = self.seed
            self.seed = to_num(self.ev(args[0])) if args else float(self.t.ctx.now // 10**9)
            self.rng.seed(self.seed)
            return old
        if name == "tolower":
            return self.s(self.ev(args[0])).lower()
        if name == "toupper":
            return self.s(self.ev(args[0])).upper()
        if name in ("close", "fflush"):
            return 0.0
        if name == "system":
            raise AwkRuntimeError("system() is not available in the lab")
        raise AwkRuntimeError(f"function {name} never defined")  # pragma: no cover

    def sprintf(self, values: list[Any]) -> str:
        fmt = self.s(values[0])
        rest = values[1:]
        out: list[str] = []
        for piece in parse_format(fmt):
            if isinstance(piece, str):
                out.append(piece)
                continue
            width = prec = None
            if piece.width == "*":
                width = _int(to_num(rest.pop(0))) if rest else 0
            if piece.prec == "*":
                prec = _int(to_num(rest.pop(0))) if rest else 0
            if not rest:
                raise AwkRuntimeError(f"not enough arguments passed to sprintf(\"{fmt}\")")
            v = rest.pop(0)
            conv = piece.conv
            if conv in "diouxX":
                n = to_num(v)
                out.append(render(piece, int(n) if math.isfinite(n) else 0, width, prec))
            elif conv in "eEfFgGaA":
                out.append(render(piece, to_num(v), width, prec))
            elif conv == "c":
                if type(v) is float or (isinstance(v, StrNum) and v.num is not None
                                        and v != ""):
                    ch = chr(_int(to_num(v)) % 0x110000)
                else:
                    ch = self.s(v)[:1]
                out.append(render(Spec(piece.flags, piece.width, piece.prec, "s", ""), ch,
                                  width, None))
            else:
                out.append(render(Spec(piece.flags, piece.width, piece.prec, "s", ""),
                                  self.s(v), width, prec))
        return "".join(out)

    def ev_getline(self, e: Any) -> Any:
        lv, src = e[1], e[2]
        if src is not None:
            name = self.s(self.ev(src))
            if name not in self.readers:
                try:
                    text = self.t.read_text(name)
                except Exception:
                    return -1.0
                self.readers[name] = (self.split_records(text), 0)
            recs, pos = self.readers[name]
            if pos >= len(recs):
                return 0.0
            self.readers[name] = (recs, pos + 1)
            if lv is None:
                self.set_record(recs[pos])
            else:
                self.assign_to(lv, strnum(recs[pos]))
            return 1.0
        if self.input_pos >= len(self.input_records):
            return 0.0
        rec = self.input_records[self.input_pos]
        self.input_pos += 1
        self.vars["NR"] = to_num(self.vars["NR"]) + 1
        self.vars["FNR"] = to_num(self.vars["FNR"]) + 1
        if lv is None:
            self.set_record(rec)
        else:
            self.assign_to(lv, strnum(rec))
        return 1.0

    # ---------------------------------------------------------------- statements

    def exec(self, st: Any) -> None:
        kind = st[0]
        if kind == "block":
            for s in st[1]:
                self.exec(s)
        elif kind == "expr":
            self.ev(st[1])
        elif kind == "print":
            args = st[1]
            if not args:
                text = self.record
            else:
                ofs = self.s(self.vars["OFS"])
                text = ofs.join(self.out_str(self.ev(a)) for a in args)
            self.emit(text + self.s(self.vars["ORS"]), st[2])
        elif kind == "printf":
            if not st[1]:
                raise AwkRuntimeError("printf: no format")
            self.emit(self.sprintf([self.ev(a) for a in st[1]]), st[2])
        elif kind == "if":
            if self.truth(self.ev(st[1])):
                self.exec(st[2])
            elif st[3] is not None:
                self.exec(st[3])
        elif kind == "while":
            while self.truth(self.ev(st[1])):
                try:
                    self.exec(st[2])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "do":
            while True:
                try:
                    self.exec(st[1])
                except _Break:
                    break
                except _Continue:
                    pass
                if not self.truth(self.ev(st[2])):
                    break
        elif kind == "for":
            if st[1] is not None:
                self.exec(st[1])
            while st[2] is None or self.truth(self.ev(st[2])):
                try:
                    self.exec(st[4])
                except _Break:
                    break
                except _Continue:
                    pass
                if st[3] is not None:
                    self.exec(st[3])
        elif kind == "forin":
            arr = self.array(st[2])
            for k in list(arr):
                if k not in arr:
                    continue
                self.set(st[1], strnum(k))
                try:
                    self.exec(st[3])
                except _Break:
                    break
                except _Continue:
                    continue
        elif kind == "delete":
            arr = self.array(st[1])
            if st[2] is None:
                arr.clear()
            else:
                arr.pop(self.key(st[2]), None)
        elif kind == "next":
            raise _Next
        elif kind == "nextfile":
            raise _NextFile
        elif kind == "exit":
            code = _int(to_num(self.ev(st[1]))) if st[1] is not None else self.exit_code
            raise _Exit(code)
        elif kind == "return":
            raise _Return(self.ev(st[1]) if st[1] is not None else UNINIT)
        elif kind == "break":
            raise _Break
        elif kind == "continue":
            raise _Continue

    def emit(self, text: str, redir: Any) -> None:
        if redir is None:
            self.out.append(text)
            return
        op, target = redir
        name = self.s(self.ev(target))
        if op == "|":
            raise AwkRuntimeError("output to a command (print | \"cmd\") is not available "
                                  "in the lab")
        if name in ("/dev/stdout", "-"):
            self.out.append(text)
            return
        if name == "/dev/stderr":
            self.flush()
            self.t.ctx.stderr.write(text)
            return
        if name not in self.files:
            self.files[name] = []
            if op == ">":
                self.t.ctx.fs.write(self.t.path(name), b"", now=self.t.ctx.now)
        self.t.ctx.fs.write(self.t.path(name), text.encode(), now=self.t.ctx.now, append=True)

    def flush(self) -> None:
        if self.out:
            self.t.out("".join(self.out))
            self.out = []

    # ---------------------------------------------------------------- main loop

    def split_records(self, text: str) -> list[str]:
        rs = self.s(self.vars.get("RS", "\n"))
        if rs == "\n":
            recs = text.split("\n")
            if recs and recs[-1] == "":
                recs.pop()
            return recs
        if rs == "":
            return [p.strip("\n") for p in re.split(r"\n\n+", text.strip("\n")) if p]
        if len(rs) == 1:
            recs = text.split(rs)
        else:
            recs = compile_ere(rs, False, True).split(text)
        if recs and recs[-1] in ("", "\n"):
            recs.pop()
        return recs

    def records(self, prog: _Parser) -> None:
        while self.input_pos < len(self.input_records):
            rec = self.input_records[self.input_pos]
            self.input_pos += 1
            self.vars["NR"] = to_num(self.vars["NR"]) + 1
            self.vars["FNR"] = to_num(self.vars["FNR"]) + 1
            self.set_record(rec)
            try:
                for idx, (pattern, pattern2, action) in enumerate(prog.rules):
                    if self.match_rule(idx, pattern, pattern2):
                        if action is None:
                            self.emit(self.record + self.s(self.vars["ORS"]), None)
                        else:
                            self.exec(action)
            except _Next:
                continue

    def match_rule(self, idx: int, pattern: Any, pattern2: Any) -> bool:
        if pattern is None:
            return True
        if pattern2 is None:
            return self.truth(self.ev(pattern))
        if self.range_active.get(idx):
            if self.truth(self.ev(pattern2)):
                self.range_active[idx] = False
            return True
        if self.truth(self.ev(pattern)):
            if not self.truth(self.ev(pattern2)):
                self.range_active[idx] = True
            return True
        return False

    def run_main(self, operands: list[str]) -> int:
        prog = self.prog
        status = 0
        try:
            try:
                for action in prog.begin:
                    self.exec(action)
            except (_Next, _NextFile):
                pass
            if prog.rules or prog.end:
                files = [op for op in operands if not _is_assignment(op)]
                for op in [*operands, *([] if files else ["-"])]:
                    if _is_assignment(op):
                        name, _, value = op.partition("=")
                        self.vars[name] = strnum(unescape(value))
                        continue
                    text = self.t.open_text(op, "awk")
                    if text is None:
                        status = 2
                        continue
                    self.vars["FILENAME"] = op if (op != "-" or self.t.gnu) else ""
                    self.vars["FNR"] = 0.0
                    self.input_records = self.split_records(text)
                    self.input_pos = 0
                    with contextlib.suppress(_NextFile):
                        self.records(prog)
        except _Exit as ex:
            self.exit_code = ex.code
        try:
            for action in prog.end:
                self.exec(action)
        except _Exit as ex:
            self.exit_code = ex.code
        except (_Next, _NextFile):
            pass
        return self.exit_code or status


class _LazyArg(dict):
    """An untyped variable passed to a function: becomes the caller's array if used as one."""

    def __init__(self, awk: _Awk, name: str, arr: dict[str, Any]) -> None:
        super().__init__()
        self.awk = awk
        self.name = name

    def commit(self) -> None:
        if len(self):
            target = self.awk.array(self.name)
            target.update(self)


def _round(x: float) -> int:
    """substr's position rounding (gawk's ``double_to_int(round)``)."""
    if math.isinf(x):
        return -(10**18) if x < 0 else 10**18
    return round(x)


def _awk_repl(repl: str, matched: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(repl):
        c = repl[i]
        if c == "\\" and i + 1 < len(repl) and repl[i + 1] in "&\\":
            out.append(repl[i + 1])
            i += 2
            continue
        if c == "&":
            out.append(matched)
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _is_assignment(op: str) -> bool:
    return re.match(r"[A-Za-z_][A-Za-z0-9_]*=", op) is not None


def awk(t: Tool, args: list[str]) -> int:
    fs: str | None = None
    assigns: list[tuple[str, str]] = []
    progfiles: list[str] = []
    k = 0
    while k < len(args):
        a = args[k]
        if a == "--":
            k += 1
            break
        if a.startswith("-F"):
            value = a[2:]
            if not value:
                if k + 1 >= len(args):
                    return t.usage_error(OptError("requires", "F"), status=2)
                k += 1
                value = args[k]
            fs = "\t" if value == "t" else unescape(value)
        elif a.startswith("-v"):
            value = a[2:]
            if not value:
                if k + 1 >= len(args):
                    return t.usage_error(OptError("requires", "v"), status=2)
                k += 1
                value = args[k]
            if not _is_assignment(value):
                t.err(f"improper assignment: -v {value}" if t.gnu else
                      f"invalid -v assignment: {value}")
                return 2
            name, _, val = value.partition("=")
            assigns.append((name, val))
        elif a.startswith("-f"):
            value = a[2:]
            if not value:
                k += 1
                value = args[k] if k < len(args) else ""
            progfiles.append(value)
        elif a in ("-W", "--version", "-Wversion"):
            t.out("mawk 1.3.4 20240123\n" if t.gnu else "")
            return 0
        elif a.startswith("-") and len(a) > 1:
            if t.gnu:
                t.err(f"not an option: {a}")
            else:
                t.err(f"invalid option -- '{a[1]}'")
            return 2
        else:
            break
        k += 1
    rest = args[k:]
    if progfiles:
        chunks = []
        for name in progfiles:
            text = t.open_text(name, "awk")
            if text is None:
                return 2
            chunks.append(text)
        source = "\n".join(chunks)
    else:
        if not rest:
            if t.gnu:
                t.ctx.stderr.write("usage: mawk [-F value] [-v var=value] [--] 'program text' "
                                   "[file ...]\nusage: mawk [-F value] [-v var=value] [-f "
                                   "program-file] [--] [file ...]\n")
            else:
                t.err("usage: awk [OPTIONS] [AWK_PROGRAM] [FILE]...")
            return 2
        source = rest.pop(0)
    try:
        parser = _Parser(tokenize(source))
        parser.program()
    except AwkSyntaxError as err:
        if t.gnu and err.near == "end of file" and source.count("{") > source.count("}"):
            # mawk appends a newline to the program, so it blames the line after the last
            t.err(f"line {source.count(chr(10)) + 2}: missing }} near end of file")
        elif t.gnu:
            t.err(f"line {err.line}: syntax error at or near {err.near}")
        else:
            t.err(f"cmd. line:{err.line}: Unexpected token")
        return 2
    machine = _Awk(t, parser)
    if fs is not None:
        machine.vars["FS"] = fs
    for name, val in assigns:
        machine.vars[name] = strnum(unescape(val))
    machine.vars["ARGV"] = {"0": "awk", **{str(i): strnum(a) for i, a in enumerate(rest, 1)}}
    machine.vars["ARGC"] = float(len(rest) + 1)
    try:
        code = machine.run_main(rest)
    except AwkRuntimeError as err:
        machine.flush()
        if t.gnu:
            t.err(f"run time error: {err}\n\tFILENAME=\"{machine.vars.get('FILENAME', '')}\" "
                  f"FNR={num_to_str(to_num(machine.vars['FNR']), '%.6g')} "
                  f"NR={num_to_str(to_num(machine.vars['NR']), '%.6g')}")
        else:
            t.err(f"cmd. line:1: {str(err)[:1].upper()}{str(err)[1:]}")
        return 2
    except RecursionError:
        machine.flush()
        t.err("run time error: function call nesting too deep")
        return 2
    machine.flush()
    return code


AWK = {"awk": awk}
