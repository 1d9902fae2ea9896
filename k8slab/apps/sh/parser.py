"""A recursive-descent parser for the bash subset the lab runs (and BusyBox ash's).

It reads characters directly, the way bash's ``parse.y`` lexer does, so that ``$( … )`` can
hold a whole command list (the lexer calls back into the parser), here-documents are read when
the newline that ends their command line is reached, and reserved words are only recognised in
command position. :meth:`Parser.parse_next` returns one complete command line at a time, so a
script runs the lines before a syntax error as bash does (bash parses and executes one command
at a time, ``eval.c:reader_loop``).

Syntax errors raise :class:`ShellSyntaxError`; the interpreter words them per flavour (bash's
``parse.y:report_syntax_error``; BusyBox ``ash.c:raise_error_unexpected_syntax``).
"""

from __future__ import annotations

import re

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
)

__all__ = ["Parser", "ShellSyntaxError", "parse_text", "static_text"]

_META = frozenset(" \t\n;&|<>()")
_OPS3 = (";;&", "&>>", "<<-", "<<<")
_OPS2 = frozenset({"&&", "||", ";;", ";&", "|&", "&>", ">>", "<<", "<&", ">&", "<>", ">|"})
_REDIR_OPS = frozenset({"<", ">", ">>", ">|", "<>", "&>", "&>>", "<&", ">&", "<<", "<<-", "<<<"})
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ASSIGN_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(\+?)=")
_SPECIAL_PARAMS = "@*#?-$!0"
_NOT_A_COMMAND = frozenset({"then", "else", "elif", "fi", "do", "done", "esac", "}", "in"})
_COND_UNARY = frozenset({
    "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-h", "-k", "-p", "-r", "-s", "-t", "-u", "-w",
    "-x", "-G", "-L", "-N", "-O", "-S", "-z", "-n", "-o", "-v",
})
_COND_BINARY = frozenset(
    ["==", "=", "!=", "=~", "<", ">", "-eq", "-ne", "-lt", "-le", "-gt", "-ge", "-nt", "-ot", "-ef"]
)


class ShellSyntaxError(Exception):
    """A parse failure.

    ``kind`` is ``"token"`` (an unexpected token, ``token`` holds its text), ``"eof"`` (the
    script ended inside a construct; ``expecting`` names the closing word) or ``"quote"``
    (an unterminated quote; ``token`` holds the quote character).
    """

    def __init__(self, kind: str, token: str, line: int, expecting: str = "") -> None:
        super().__init__(kind, token, line)
        self.kind = kind
        self.token = token
        self.line = line
        self.expecting = expecting


class _Tok:
    __slots__ = ("kind", "line", "plain", "pos", "value", "word")

    def __init__(self, kind: str, value: str, pos: int, line: int,
                 word: Word | None = None, plain: str | None = None) -> None:
        self.kind = kind  # "word" | "op" | "io" | "nl" | "eof"
        self.value = value
        self.pos = pos
        self.line = line
        self.word = word
        self.plain = plain  # the text of an unquoted, expansion-free word (for reserved words)


def _has_glob(text: str, braces: bool) -> bool:
    if "*" in text or "?" in text:
        return True
    k = text.find("[")
    if k >= 0 and "]" in text[k + 1:]:
        return True
    return braces and "{" in text and "}" in text


def static_text(parts: list[Part], braces: bool = True) -> str | None:
    """The value of a word that needs no expansion, else None."""
    out: list[str] = []
    for p in parts:
        t = type(p)
        if t is Lit:
            if _has_glob(p.text, braces):  # type: ignore[union-attr]
                return None
            out.append(p.text)  # type: ignore[union-attr]
        elif t is Quoted:
            out.append(p.text)  # type: ignore[union-attr]
        elif t is DQ:
            sub = static_text(p.parts, braces)  # type: ignore[union-attr]
            if sub is None:
                return None
            out.append(sub)
        else:
            return None
    return "".join(out)


class Parser:
    """Parses one script. ``bash`` selects bash's extensions (``$'…'``, brace expansion)."""

    def __init__(self, src: str, bash: bool = True, line: int = 1) -> None:
        self.s = src
        self.n = len(src)
        self.i = 0
        self.line = line
        self.bash = bash
        self._peeked: _Tok | None = None
        self._pending: list[Redir] = []
        self.warnings: list[str] = []

    # ================================================================== entry points

    def parse_next(self) -> Seq | None:
        """The next complete command line, or None at the end of the script."""
        self._skip_newlines()
        if self._peek().kind == "eof":
            return None
        items: list[tuple[Node, bool]] = []
        while True:
            node = self._parse_and_or()
            tok = self._peek()
            if tok.kind == "op" and tok.value in (";", "&"):
                self._advance()
                items.append((node, tok.value == "&"))
                nxt = self._peek()
                if nxt.kind == "nl":
                    self._advance()
                    break
                if nxt.kind == "eof":
                    break
                continue
            if tok.kind == "nl":
                self._advance()
                items.append((node, False))
                break
            if tok.kind == "eof":
                items.append((node, False))
                break
            raise self._unexpected(tok)
        return Seq(items)

    def parse_all(self) -> Seq:
        items: list[tuple[Node, bool]] = []
        while True:
            seq = self.parse_next()
            if seq is None:
                return Seq(items)
            items.extend(seq.items)

    def recover(self) -> None:
        """After a syntax error, skip to the next line (what an interactive bash does)."""
        pos = self._peeked.pos if self._peeked is not None else self.i
        self._peeked = None
        self._pending = []
        j = self.s.find("\n", min(pos, self.n))
        self.i = self.n if j < 0 else j + 1

    def eof_line(self) -> int:
        """The line bash blames for an unexpected end of file (one past the last line)."""
        count = self.s.count("\n")
        lines = count if self.s.endswith("\n") else count + 1
        return lines + 1

    def line_text(self, line: int) -> str:
        lines = self.s.split("\n")
        return lines[line - 1] if 0 < line <= len(lines) else ""

    # ================================================================== tokens

    def _peek(self) -> _Tok:
        tok = self._peeked
        if tok is None:
            tok = self._peeked = self._lex()
        return tok

    def _advance(self) -> _Tok:
        tok = self._peek()
        self._peeked = None
        return tok

    def _skip_newlines(self) -> None:
        while self._peek().kind == "nl":
            self._advance()

    def _unexpected(self, tok: _Tok, expecting: str = "") -> ShellSyntaxError:
        if tok.kind == "eof":
            return ShellSyntaxError("eof", "end of file", -1, expecting)
        if tok.kind == "nl":
            return ShellSyntaxError("token", "newline", tok.line, expecting)
        if tok.kind == "word":
            return ShellSyntaxError("token", tok.word.src if tok.word else tok.value, tok.line,
                                    expecting)
        return ShellSyntaxError("token", tok.value, tok.line, expecting)

    def _lex(self) -> _Tok:
        s, n = self.s, self.n
        i = self.i
        while i < n:
            c = s[i]
            if c == " " or c == "\t":
                i += 1
            elif c == "\\" and i + 1 < n and s[i + 1] == "\n":
                i += 2
                self.line += 1
            elif c == "#":
                j = s.find("\n", i)
                i = n if j < 0 else j
            else:
                break
        self.i = i
        if i >= n:
            return _Tok("eof", "", i, self.line)
        c = s[i]
        line = self.line
        if c == "\n":
            self.i = i + 1
            self.line += 1
            if self._pending:
                self._read_heredocs()
            return _Tok("nl", "\n", i, line)
        if c in _META:
            three = s[i:i + 3]
            if three in _OPS3:
                self.i = i + 3
                return _Tok("op", three, i, line)
            two = s[i:i + 2]
            if two in _OPS2:
                self.i = i + 2
                return _Tok("op", two, i, line)
            self.i = i + 1
            return _Tok("op", c, i, line)
        word = self._read_word()
        if word.src.isdigit() and self.i < n and s[self.i] in "<>":
            return _Tok("io", word.src, i, line)
        plain = word.src if len(word.parts) == 1 and type(word.parts[0]) is Lit else None
        return _Tok("word", word.src, i, line, word, plain)

    # ================================================================== words

    def _make_word(self, parts: list[Part], src: str) -> Word:
        return Word(parts, src, static_text(parts, self.bash))

    def _read_word(self) -> Word:
        start = self.i
        parts: list[Part] = []
        if self.s[start] == "~":
            m = re.compile(r"~([A-Za-z0-9_.-]*)").match(self.s, start)
            assert m is not None
            end = m.end()
            if end >= self.n or self.s[end] == "/" or self.s[end] in _META:
                parts.append(Tilde(m.group(1)))
                self.i = end
        parts.extend(self._read_parts("word", _META))
        return self._make_word(parts, self.s[start:self.i])

    def _read_parts(self, mode: str, stops: frozenset[str] | str) -> list[Part]:
        """Read word parts until a stop character (not consumed) or the end of the text.

        ``mode``: "word" (unquoted), "param" (the word inside ``${x:-…}``), "dq" (inside
        double quotes), "heredoc"/"arith" (double-quote rules, ``"`` is an ordinary character).
        """
        s, n = self.s, self.n
        quoted = mode in ("dq", "heredoc", "arith")
        lit = Quoted if quoted else Lit
        parts: list[Part] = []
        buf: list[str] = []
        i = self.i

        def flush() -> None:
            if buf:
                parts.append(lit("".join(buf)))
                buf.clear()

        while i < n:
            c = s[i]
            if c in stops:
                break
            if c == "\\":
                nxt = s[i + 1] if i + 1 < n else ""
                if nxt == "\n":
                    i += 2
                    self.line += 1
                    continue
                if quoted:
                    if nxt in ("$", "`", "\\") or (mode == "dq" and nxt == '"'):
                        buf.append(nxt)
                        i += 2
                    else:
                        buf.append("\\")
                        i += 1
                    continue
                if not nxt:
                    buf.append("\\")
                    i += 1
                    continue
                flush()
                parts.append(Quoted(nxt))
                i += 2
                continue
            if c == "'" and not quoted:
                j = s.find("'", i + 1)
                if j < 0:
                    self.i = n
                    raise ShellSyntaxError("quote", "'", self.line)
                flush()
                text = s[i + 1:j]
                self.line += text.count("\n")
                parts.append(Quoted(text))
                i = j + 1
                continue
            if c == '"' and not quoted:
                flush()
                self.i = i + 1
                start_line = self.line
                inner = self._read_parts("dq", '"')
                if self.i >= n:
                    raise ShellSyntaxError("quote", '"', start_line)
                parts.append(DQ(inner))
                i = self.i + 1
                continue
            if c == "$":
                self.i = i
                part = self._read_dollar(mode)
                i = self.i
                if part is None:
                    buf.append("$")
                else:
                    flush()
                    parts.append(part)
                continue
            if c == "`":
                flush()
                self.i = i
                parts.append(self._read_backtick())
                i = self.i
                continue
            if c == "\n":
                self.line += 1
            buf.append(c)
            i += 1
        self.i = i
        flush()
        return parts

    def _read_dollar(self, mode: str) -> Part | None:
        s, n = self.s, self.n
        i = self.i
        nxt = s[i + 1] if i + 1 < n else ""
        if nxt == "(":
            if s.startswith("((", i + 1):
                end = self._arith_end(i + 3)
                if end is not None:
                    expr = parse_text(s[i + 3:end], "arith", self.bash)
                    self.i = end + 2
                    return Arith(expr)
            return self._read_cmdsub()
        if nxt == "{":
            return self._read_brace_param()
        if nxt and (nxt.isalpha() or nxt == "_"):
            m = _NAME_RE.match(s, i + 1)
            assert m is not None
            self.i = m.end()
            return Param(m.group(0))
        if nxt.isdigit() or (nxt and nxt in _SPECIAL_PARAMS):
            self.i = i + 2
            return Param(nxt)
        if nxt == "'" and self.bash and mode in ("word", "param"):
            return self._read_ansi_c()
        if nxt == '"' and mode in ("word", "param"):
            self.i = i + 2
            inner = self._read_parts("dq", '"')
            if self.i >= n:
                raise ShellSyntaxError("quote", '"', self.line)
            self.i += 1
            return DQ(inner)
        self.i = i + 1
        return None

    def _arith_end(self, start: int) -> int | None:
        """Index of the ``))`` closing ``$((``/``((`` at ``start``, or None."""
        s = self.s
        depth = 0
        j = start
        while j < self.n:
            c = s[j]
            if c == "(":
                depth += 1
            elif c == ")":
                if depth == 0:
                    return j if s[j + 1:j + 2] == ")" else None
                depth -= 1
            j += 1
        return None

    def _read_cmdsub(self) -> CmdSub:
        start = self.i
        self.i += 2
        saved_peek = self._peeked
        self._peeked = None
        body = self._parse_list(frozenset(), frozenset({")"}), allow_empty=True)
        tok = self._peek()
        if tok.kind == "eof":
            raise ShellSyntaxError("quote", ")", -1)  # reported at the end of the script
        if not (tok.kind == "op" and tok.value == ")"):
            raise self._unexpected(tok)
        self._peeked = saved_peek
        return CmdSub(body, self.s[start:self.i])

    def _read_backtick(self) -> CmdSub:
        s, n = self.s, self.n
        start = self.i
        start_line = self.line
        i = start + 1
        buf: list[str] = []
        while i < n:
            c = s[i]
            if c == "\\" and i + 1 < n and s[i + 1] in "$`\\":
                buf.append(s[i + 1])
                i += 2
                continue
            if c == "`":
                break
            if c == "\n":
                self.line += 1
            buf.append(c)
            i += 1
        else:
            self.i = n
            raise ShellSyntaxError("quote", "`", start_line)
        self.i = i + 1
        body = Parser("".join(buf), self.bash, self.line).parse_all()
        return CmdSub(body, s[start:self.i])

    def _read_ansi_c(self) -> Quoted:
        s, n = self.s, self.n
        i = self.i + 2
        out: list[str] = []
        simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f",
                  "v": "\v", "e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"',
                  "?": "?"}
        while i < n:
            c = s[i]
            if c == "'":
                self.i = i + 1
                return Quoted("".join(out))
            if c == "\\" and i + 1 < n:
                e = s[i + 1]
                if e in simple:
                    out.append(simple[e])
                    i += 2
                    continue
                m = re.compile(r"x([0-9A-Fa-f]{1,2})|([0-7]{1,3})|u([0-9A-Fa-f]{1,4})").match(
                    s, i + 1)
                if m:
                    num = m.group(1) or m.group(3)
                    out.append(chr(int(num, 16)) if num else chr(int(m.group(2), 8)))
                    i = m.end()
                    continue
                out.append("\\")
                i += 1
                continue
            out.append(c)
            i += 1
        self.i = n
        raise ShellSyntaxError("quote", "'", self.line)

    def _read_brace_param(self) -> Param:
        s, n = self.s, self.n
        start = self.i
        i = start + 2
        prefix = ""
        if i < n and s[i] == "#" and i + 1 < n and s[i + 1] != "}":
            prefix = "#"
            i += 1
        elif i < n and s[i] == "!" and i + 1 < n and (s[i + 1].isalpha() or s[i + 1] == "_"):
            prefix = "!"
            i += 1
        m = _NAME_RE.match(s, i)
        if m:
            name = m.group(0)
            i = m.end()
        elif i < n and s[i].isdigit():
            j = i
            while j < n and s[j].isdigit():
                j += 1
            name = s[i:j]
            i = j
        elif i < n and s[i] in _SPECIAL_PARAMS:
            name = s[i]
            i += 1
        else:
            return self._bad_param(start)
        if i >= n:
            self.i = n
            raise ShellSyntaxError("quote", "}", self.line)
        c = s[i]
        if c == "}":
            self.i = i + 1
            if prefix == "#":
                return Param(name, "#len", src=s[start:self.i])
            if prefix == "!":
                return Param(name, "!ind", src=s[start:self.i])
            return Param(name, src=s[start:self.i])
        if prefix:
            return self._bad_param(start)
        two = s[i:i + 2]
        op = ""
        if two in (":-", ":=", ":+", ":?"):
            op = two
            i += 2
        elif c in "-=+?":
            op = c
            i += 1
        elif two in ("##", "%%", "//", "/#", "/%", "^^", ",,"):
            op = two
            i += 2
        elif c in "#%/^,":
            op = c
            i += 1
        elif c == ":":
            op = ":sub"
            i += 1
        else:
            return self._bad_param(start)
        self.i = i
        arg2: Word | None = None
        if op in ("/", "//", "/#", "/%"):
            arg = self._param_word("/}")
            if self.i < n and s[self.i] == "/":
                self.i += 1
                arg2 = self._param_word("}")
        elif op == ":sub":
            arg = self._param_word(":}")
            if self.i < n and s[self.i] == ":":
                self.i += 1
                arg2 = self._param_word("}")
        else:
            arg = self._param_word("}")
        if self.i >= n or s[self.i] != "}":
            self.i = n
            raise ShellSyntaxError("quote", "}", self.line)
        self.i += 1
        return Param(name, op, arg, arg2, s[start:self.i])

    def _param_word(self, stops: str) -> Word:
        start = self.i
        parts = self._read_parts("param", stops)
        return self._make_word(parts, self.s[start:self.i])

    def _bad_param(self, start: int) -> Param:
        j = self.s.find("}", start)
        if j < 0:
            self.i = self.n
            raise ShellSyntaxError("quote", "}", self.line)
        self.i = j + 1
        return Param("", "bad", src=self.s[start:self.i])

    def _read_heredocs(self) -> None:
        s, n = self.s, self.n
        for redir in self._pending:
            lines: list[str] = []
            while True:
                if self.i >= n:
                    self.warnings.append(
                        f"here-document at line {redir.line} delimited by end-of-file "
                        f"(wanted `{redir.delimiter}')")
                    break
                j = s.find("\n", self.i)
                end = n if j < 0 else j
                text = s[self.i:end]
                self.i = n if j < 0 else j + 1
                self.line += 1
                if redir.strip_tabs:
                    text = text.lstrip("\t")
                if text == redir.delimiter:
                    break
                lines.append(text)
            body = "".join(line + "\n" for line in lines)
            if redir.target is not None and redir.target.static is not None and (
                    redir.target.src != redir.delimiter):
                redir.body = Word([Quoted(body)], body, body)  # quoted delimiter: no expansion
            else:
                redir.body = parse_text(body, "heredoc", self.bash)
        self._pending = []

    # ================================================================== grammar

    def _parse_list(self, stop_words: frozenset[str], stop_ops: frozenset[str],
                    allow_empty: bool = False) -> Seq:
        items: list[tuple[Node, bool]] = []
        self._skip_newlines()
        while True:
            tok = self._peek()
            if tok.kind == "eof":
                break
            if tok.kind == "op" and tok.value in stop_ops:
                break
            if tok.kind == "word" and tok.plain in stop_words:
                break
            node = self._parse_and_or()
            tok = self._peek()
            if tok.kind == "op" and tok.value in (";", "&"):
                self._advance()
                items.append((node, tok.value == "&"))
            elif tok.kind in ("nl", "eof") or (tok.kind == "op" and tok.value in stop_ops) or (
                    tok.kind == "word" and tok.plain in stop_words):
                items.append((node, False))
            else:
                raise self._unexpected(tok)
            self._skip_newlines()
        if not items and not allow_empty:
            raise self._unexpected(self._peek())
        return Seq(items)

    def _expect_word(self, word: str) -> None:
        tok = self._advance()
        if tok.kind != "word" or tok.plain != word:
            raise self._unexpected(tok, word)

    def _parse_and_or(self) -> Node:
        first = self._parse_pipeline()
        rest: list[tuple[str, Node]] = []
        while True:
            tok = self._peek()
            if tok.kind == "op" and tok.value in ("&&", "||"):
                self._advance()
                self._skip_newlines()
                rest.append((tok.value, self._parse_pipeline()))
            else:
                break
        return AndOr(first, rest) if rest else first

    def _parse_pipeline(self) -> Node:
        negate = False
        while True:
            tok = self._peek()
            if tok.kind == "word" and tok.plain == "!":
                self._advance()
                negate = not negate
            else:
                break
        cmds = [self._parse_command()]
        stderr_too: list[bool] = []
        while True:
            tok = self._peek()
            if tok.kind == "op" and tok.value in ("|", "|&"):
                self._advance()
                stderr_too.append(tok.value == "|&")
                self._skip_newlines()
                cmds.append(self._parse_command())
            else:
                break
        if len(cmds) == 1 and not negate:
            return cmds[0]
        return Pipeline(cmds, negate, stderr_too)

    def _parse_command(self) -> Node:
        tok = self._peek()
        kw = tok.plain if tok.kind == "word" else None
        node: Node
        if kw is not None and kw in _COMPOUND:
            node = _COMPOUND[kw](self)
        elif tok.kind == "op" and tok.value == "(":
            if self.s[tok.pos + 1:tok.pos + 2] == "(" and self.bash:
                end = self._arith_end(tok.pos + 2)
                if end is not None:
                    expr = parse_text(self.s[tok.pos + 2:end], "arith", self.bash)
                    self._peeked = None
                    self.i = end + 2
                    node = ArithCmd(expr, tok.line)
                    return self._trailing_redirs(node)
            self._advance()
            body = self._parse_list(frozenset(), frozenset({")"}))
            self._expect_op(")")
            node = Subshell(body)
        elif kw is not None and kw in _NOT_A_COMMAND:
            raise self._unexpected(tok)
        elif kw == "function" and self.bash:
            self._advance()
            name_tok = self._advance()
            if name_tok.kind != "word":
                raise self._unexpected(name_tok)
            nxt = self._peek()
            if nxt.kind == "op" and nxt.value == "(":
                self._advance()
                self._expect_op(")")
            return self._parse_funcbody(name_tok.value)
        else:
            return self._parse_simple()
        return self._trailing_redirs(node)

    def _trailing_redirs(self, node: Node) -> Node:
        redirs: list[Redir] = []
        while True:
            tok = self._peek()
            if tok.kind == "io" or (tok.kind == "op" and tok.value in _REDIR_OPS):
                redirs.append(self._parse_redir())
            else:
                break
        return Redirected(node, redirs) if redirs else node

    def _expect_op(self, op: str) -> None:
        tok = self._advance()
        if tok.kind != "op" or tok.value != op:
            raise self._unexpected(tok, op)

    def _parse_simple(self) -> Node:
        assigns: list[tuple[str, Word, bool]] = []
        words: list[Word] = []
        redirs: list[Redir] = []
        first = self._peek()
        while True:
            tok = self._peek()
            if tok.kind == "io" or (tok.kind == "op" and tok.value in _REDIR_OPS):
                redirs.append(self._parse_redir())
                continue
            if tok.kind != "word":
                break
            word = tok.word
            assert word is not None
            if not words:
                split = self._split_assignment(word)
                if split is not None:
                    self._advance()
                    assigns.append(split)
                    continue
            self._advance()
            words.append(word)
            if len(words) == 1 and not assigns and not redirs and tok.plain is not None:
                nxt = self._peek()
                if nxt.kind == "op" and nxt.value == "(" and _NAME_RE.fullmatch(
                        tok.plain.replace("-", "_").replace(".", "_")):
                    self._advance()
                    self._expect_op(")")
                    return self._parse_funcbody(tok.plain)
        if not (assigns or words or redirs):
            raise self._unexpected(first)
        argv = [w.static for w in words] if all(w.static is not None for w in words) else None
        return Simple(assigns, words, redirs, first.line, argv)  # type: ignore[arg-type]

    def _parse_funcbody(self, name: str) -> Node:
        self._skip_newlines()
        tok = self._peek()
        kw = tok.plain if tok.kind == "word" else None
        if not ((kw is not None and kw in _COMPOUND) or (tok.kind == "op" and tok.value == "(")):
            raise self._unexpected(tok)
        return FuncDef(name, self._parse_command())

    def _split_assignment(self, word: Word) -> tuple[str, Word, bool] | None:
        if not word.parts or type(word.parts[0]) is not Lit:
            return None
        head = word.parts[0].text  # type: ignore[union-attr]
        m = _ASSIGN_RE.match(head)
        if not m:
            return None
        rest = head[m.end():]
        parts: list[Part] = []
        if rest.startswith("~") and (len(rest) == 1 or rest[1] == "/"):
            parts.append(Tilde(""))
            rest = rest[1:]
        if rest:
            parts.append(Lit(rest))
        parts.extend(word.parts[1:])
        # Assignment values are neither split nor globbed: treat unquoted text as quoted.
        value_parts: list[Part] = [Quoted(p.text) if type(p) is Lit else p for p in parts]
        value = Word(value_parts, word.src[m.end():], static_text(value_parts))
        return m.group(1), value, m.group(2) == "+"

    def _parse_redir(self) -> Redir:
        tok = self._advance()
        fd: int | None = None
        if tok.kind == "io":
            fd = int(tok.value)
            tok = self._advance()
        op = tok.value
        target = self._peek()
        if target.kind != "word":
            raise self._unexpected(target)
        self._advance()
        assert target.word is not None
        redir = Redir(fd, op, target.word)
        if op in ("<<", "<<-"):
            redir.strip_tabs = op == "<<-"
            redir.line = tok.line
            redir.delimiter = _unquote(target.word.src)
            self._pending.append(redir)
        return redir

    # ------------------------------------------------------------------ compound commands

    def _parse_group(self) -> Node:
        self._advance()
        body = self._parse_list(frozenset({"}"}), frozenset())
        self._expect_word("}")
        return Group(body)

    def _parse_if(self) -> Node:
        self._advance()
        clauses: list[tuple[Seq, Seq]] = []
        orelse: Seq | None = None
        while True:
            cond = self._parse_list(frozenset({"then"}), frozenset())
            self._expect_word("then")
            body = self._parse_list(frozenset({"elif", "else", "fi"}), frozenset())
            clauses.append((cond, body))
            tok = self._advance()
            if tok.kind == "word" and tok.plain == "elif":
                continue
            if tok.kind == "word" and tok.plain == "else":
                orelse = self._parse_list(frozenset({"fi"}), frozenset())
                self._expect_word("fi")
                break
            if tok.kind == "word" and tok.plain == "fi":
                break
            raise self._unexpected(tok, "fi")
        return If(clauses, orelse)

    def _parse_while(self) -> Node:
        until = self._advance().plain == "until"
        cond = self._parse_list(frozenset({"do"}), frozenset())
        self._expect_word("do")
        body = self._parse_list(frozenset({"done"}), frozenset())
        self._expect_word("done")
        return While(cond, body, until)

    def _parse_for(self) -> Node:
        start = self._advance()
        tok = self._peek()
        if tok.kind == "op" and tok.value == "(" and self.s[tok.pos + 1:tok.pos + 2] == "(":
            return self._parse_arith_for(tok)
        name_tok = self._advance()
        if name_tok.kind != "word" or not name_tok.plain or not _NAME_RE.fullmatch(
                name_tok.plain):
            raise self._unexpected(name_tok)
        words: list[Word] | None = None
        self._skip_newlines()
        tok = self._peek()
        if tok.kind == "word" and tok.plain == "in":
            self._advance()
            words = []
            while True:
                tok = self._peek()
                if tok.kind == "word":
                    assert tok.word is not None
                    words.append(tok.word)
                    self._advance()
                else:
                    break
            if tok.kind == "op" and tok.value == ";":
                self._advance()
            elif tok.kind != "nl":
                raise self._unexpected(tok)
        elif tok.kind == "op" and tok.value == ";":
            self._advance()
        self._skip_newlines()
        self._expect_word("do")
        body = self._parse_list(frozenset({"done"}), frozenset())
        self._expect_word("done")
        return For(name_tok.plain, words, body, start.line)

    def _parse_arith_for(self, tok: _Tok) -> Node:
        end = self._arith_end(tok.pos + 2)
        if end is None:
            raise self._unexpected(tok)
        inner = self.s[tok.pos + 2:end]
        pieces = inner.split(";")
        if len(pieces) != 3:
            raise ShellSyntaxError("token", "((" + inner + "))", tok.line)
        self._peeked = None
        self.i = end + 2
        nxt = self._peek()
        if nxt.kind == "op" and nxt.value == ";":
            self._advance()
        self._skip_newlines()
        words = [parse_text(p, "arith", self.bash) for p in pieces]
        self._expect_word("do")
        body = self._parse_list(frozenset({"done"}), frozenset())
        self._expect_word("done")
        return ArithFor(words[0], words[1], words[2], body)

    def _parse_case(self) -> Node:
        self._advance()
        tok = self._advance()
        if tok.kind != "word":
            raise self._unexpected(tok)
        assert tok.word is not None
        subject = tok.word
        self._skip_newlines()
        self._expect_word("in")
        arms: list[tuple[list[Word], Seq, str]] = []
        terms = frozenset({";;", ";&", ";;&"})
        while True:
            self._skip_newlines()
            tok = self._peek()
            if tok.kind == "word" and tok.plain == "esac":
                self._advance()
                break
            if tok.kind == "op" and tok.value == "(":
                self._advance()
            patterns: list[Word] = []
            while True:
                tok = self._advance()
                if tok.kind != "word":
                    raise self._unexpected(tok)
                assert tok.word is not None
                patterns.append(tok.word)
                tok = self._advance()
                if tok.kind == "op" and tok.value == "|":
                    continue
                if tok.kind == "op" and tok.value == ")":
                    break
                raise self._unexpected(tok)
            body = self._parse_list(frozenset({"esac"}), terms, allow_empty=True)
            tok = self._peek()
            term = ";;"
            if tok.kind == "op" and tok.value in terms:
                term = tok.value
                self._advance()
                arms.append((patterns, body, term))
                continue
            arms.append((patterns, body, term))
            self._expect_word("esac")
            break
        return Case(subject, arms)

    def _parse_cond(self) -> Node:
        start = self._advance()
        expr = self._cond_or()
        tok = self._advance()
        if tok.kind != "word" or tok.plain != "]]":
            raise self._unexpected(tok)
        return Cond(expr, start.line)

    def _cond_or(self) -> tuple:
        left = self._cond_and()
        while self._peek().kind == "op" and self._peek().value == "||":
            self._advance()
            self._skip_newlines()
            left = ("or", left, self._cond_and())
        return left

    def _cond_and(self) -> tuple:
        left = self._cond_not()
        while self._peek().kind == "op" and self._peek().value == "&&":
            self._advance()
            self._skip_newlines()
            left = ("and", left, self._cond_not())
        return left

    def _cond_not(self) -> tuple:
        tok = self._peek()
        if tok.kind == "word" and tok.plain == "!":
            self._advance()
            return ("not", self._cond_not())
        return self._cond_primary()

    def _cond_primary(self) -> tuple:
        tok = self._advance()
        if tok.kind == "op" and tok.value == "(":
            inner = self._cond_or()
            self._expect_op(")")
            return inner
        if tok.kind != "word" or tok.plain == "]]":
            raise self._unexpected(tok)
        assert tok.word is not None
        nxt = self._peek()
        if tok.plain in _COND_UNARY and nxt.kind == "word" and nxt.plain != "]]":
            self._advance()
            return ("unary", tok.plain, nxt.word)
        op: str | None = None
        if nxt.kind == "word" and nxt.plain in _COND_BINARY:
            op = nxt.plain
        elif nxt.kind == "op" and nxt.value in ("<", ">"):
            op = nxt.value
        if op is not None:
            self._advance()
            right = self._advance()
            if right.kind != "word":
                raise self._unexpected(right)
            return ("binary", op, tok.word, right.word)
        return ("word", tok.word)


_COMPOUND = {
    "{": Parser._parse_group,
    "if": Parser._parse_if,
    "while": Parser._parse_while,
    "until": Parser._parse_while,
    "for": Parser._parse_for,
    "case": Parser._parse_case,
    "[[": Parser._parse_cond,
}


def _unquote(src: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(src):
        c = src[i]
        if c in "'\"":
            i += 1
            continue
        if c == "\\" and i + 1 < len(src):
            out.append(src[i + 1])
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_text(text: str, mode: str, bash: bool = True) -> Word:
    """Parse a whole text (a here-document body, an arithmetic expression) as one word."""
    p = Parser(text, bash)
    parts = p._read_parts(mode, "")
    return Word(parts, text, static_text(parts, bash))
