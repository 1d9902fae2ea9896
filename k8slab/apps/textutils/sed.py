"""``sed``: the stream editor (GNU sed 4.9 behaviour; BusyBox sed for the busybox flavour).

Supported: addresses (line numbers, ``$``, ``/re/`` and ``\\cREc`` with ``I``, ``first~step``,
``addr,+N``, ranges, ``!``), blocks ``{…}``, and the commands ``s`` (flags ``g``, ``p``, ``N``,
``i``/``I``), ``y``, ``p``, ``d``, ``q``/``Q``, ``=``, ``n``/``N``, ``h``/``H``/``g``/``G``/``x``,
``a``/``i``/``c``, ``b``/``t``/``T``/``:label``; options ``-n``, ``-e``, ``-f``, ``-E``/``-r``,
``-i`` (in place, in the machine's in-memory filesystem) and ``-s``. Error messages follow
GNU's ``sed/compile.c`` (``-e expression #1, char 5: unterminated `s' command``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .common import OptError, Tool, getopt
from .regex import RegexError, compile_bre, compile_ere

__all__ = ["SED"]


class _SedError(Exception):
    def __init__(self, message: str, pos: int) -> None:
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass
class _Addr:
    kind: str  # "line" | "last" | "re" | "step" | "zero"
    value: Any = None
    step: int = 0


@dataclass
class _Cmd:
    name: str
    a1: _Addr | None = None
    a2: _Addr | None = None
    a2_rel: int | None = None
    negate: bool = False
    arg: Any = None
    block_end: int = 0  # for "{": index of the matching "}"
    active: bool = False
    end_line: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


class _Parser:
    def __init__(self, script: str, extended: bool) -> None:
        self.s = script
        self.i = 0
        self.extended = extended
        self.cmds: list[_Cmd] = []

    def error(self, message: str) -> _SedError:
        return _SedError(message, self.i)

    def skip_ws(self, newlines: bool = True) -> None:
        while self.i < len(self.s) and self.s[self.i] in (" \t\n;" if newlines else " \t"):
            self.i += 1

    def compile_re(self, pattern: str, icase: bool) -> re.Pattern[str] | None:
        if pattern == "":
            return None  # "the last regex used"
        try:
            return compile_ere(pattern, icase) if self.extended else compile_bre(pattern, icase)
        except RegexError as err:
            raise self.error(str(err)) from None

    def delimited(self, delim: str, what: str) -> str:
        out: list[str] = []
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c == "\\" and self.i + 1 < len(s):
                nxt = s[self.i + 1]
                if nxt == delim:
                    out.append(delim)
                elif nxt == "n":
                    out.append("\\n")
                else:
                    out.append("\\" + nxt)
                self.i += 2
                continue
            if c == delim:
                self.i += 1
                return "".join(out)
            if c == "\n" and what != "regex":
                pass
            out.append(c)
            self.i += 1
        raise self.error(f"unterminated {what}")

    def address(self) -> _Addr | None:
        s = self.s
        if self.i >= len(s):
            return None
        c = s[self.i]
        if c.isdigit():
            m = re.compile(r"(\d+)(?:~(\d+))?").match(s, self.i)
            assert m is not None
            self.i = m.end()
            if m.group(2) is not None:
                return _Addr("step", int(m.group(1)), int(m.group(2)))
            n = int(m.group(1))
            return _Addr("zero" if n == 0 else "line", n)
        if c == "$":
            self.i += 1
            return _Addr("last")
        if c in "/\\":
            delim = "/"
            if c == "\\":
                self.i += 1
                delim = s[self.i]
            self.i += 1
            pattern = self.delimited(delim, "address regex")
            icase = False
            while self.i < len(s) and s[self.i] in "IM":
                icase = icase or s[self.i] == "I"
                self.i += 1
            return _Addr("re", self.compile_re(pattern.replace("\\n", "\n"), icase))
        return None

    def text_arg(self) -> str:
        s = self.s
        self.skip_ws(newlines=False)
        if s.startswith("\\\n", self.i):
            self.i += 2
        elif s.startswith("\\", self.i):
            self.i += 1
        out: list[str] = []
        while self.i < len(s):
            c = s[self.i]
            if c == "\\" and self.i + 1 < len(s):
                out.append(s[self.i + 1])
                self.i += 2
                continue
            if c == "\n":
                self.i += 1
                break
            out.append(c)
            self.i += 1
        return "".join(out)

    def label(self) -> str:
        self.skip_ws(newlines=False)
        m = re.compile(r"[^;\n}]*").match(self.s, self.i)
        assert m is not None
        self.i = m.end()
        return m.group(0).strip()

    def parse(self) -> list[_Cmd]:
        s = self.s
        stack: list[int] = []
        while True:
            self.skip_ws()
            if self.i >= len(s):
                break
            if s[self.i] == "#":
                while self.i < len(s) and s[self.i] != "\n":
                    self.i += 1
                continue
            cmd = _Cmd("")
            cmd.a1 = self.address()
            if cmd.a1 is not None:
                self.skip_ws(newlines=False)
                if self.i < len(s) and s[self.i] == ",":
                    self.i += 1
                    self.skip_ws(newlines=False)
                    m = re.compile(r"\+(\d+)").match(s, self.i)
                    if m:
                        cmd.a2_rel = int(m.group(1))
                        self.i = m.end()
                    else:
                        cmd.a2 = self.address()
                        if cmd.a2 is None:
                            raise self.error("unexpected `,'")
            self.skip_ws(newlines=False)
            while self.i < len(s) and s[self.i] == "!":
                cmd.negate = True
                self.i += 1
                self.skip_ws(newlines=False)
            if self.i >= len(s):
                raise self.error("missing command")
            name = s[self.i]
            self.i += 1
            cmd.name = name
            if name == "{":
                stack.append(len(self.cmds))
            elif name == "}":
                if not stack:
                    raise self.error("unexpected `}'")
                self.cmds[stack.pop()].block_end = len(self.cmds)
            elif name == "s":
                self.parse_s(cmd)
            elif name == "y":
                delim = s[self.i]
                self.i += 1
                src = self.delimited(delim, "`y' command")
                dst = self.delimited(delim, "`y' command")
                src, dst = _unescape(src), _unescape(dst)
                if len(src) != len(dst):
                    raise self.error("strings for `y' command are different lengths")
                cmd.arg = dict(zip(src, dst))
            elif name in "aic":
                cmd.arg = self.text_arg()
            elif name in "qQ":
                self.skip_ws(newlines=False)
                m = re.compile(r"\d+").match(s, self.i)
                cmd.arg = int(m.group(0)) if m else 0
                if m:
                    self.i = m.end()
            elif name in "btT:":
                cmd.arg = self.label()
                if name == ":" and not cmd.arg:
                    raise self.error("\":\" lacks a label")
            elif name in "rwRW":
                cmd.arg = self.label()
            elif name not in "pPdDn=NgGhHxlzF":
                self.i -= 1
                raise self.error(f"unknown command: `{name}'")
            self.cmds.append(cmd)
            self.skip_ws(newlines=False)
            if self.i < len(s) and s[self.i] not in ";\n}#" and name not in "{}":
                raise self.error("extra characters after command")
        if stack:
            raise self.error("unmatched `{'")
        return self.cmds

    def parse_s(self, cmd: _Cmd) -> None:
        s = self.s
        if self.i >= len(s):
            raise self.error("unterminated `s' command")
        delim = s[self.i]
        self.i += 1
        try:
            pattern = self.delimited(delim, "`s' command")
            repl = self.delimited(delim, "`s' command")
        except _SedError:
            raise self.error("unterminated `s' command") from None
        glob = False
        nth = 1
        printit = False
        icase = False
        while self.i < len(s) and s[self.i] not in ";\n}# \t":
            f = s[self.i]
            if f == "g":
                glob = True
            elif f == "p":
                printit = True
            elif f in "iI":
                icase = True
            elif f.isdigit():
                m = re.compile(r"\d+").match(s, self.i)
                assert m is not None
                nth = int(m.group(0))
                self.i = m.end() - 1
            elif f in "me":
                pass
            elif f == "w":
                self.i += 1
                self.label()
                break
            else:
                raise self.error("unknown option to `s'")
            self.i += 1
        cmd.arg = (self.compile_re(pattern.replace("\\n", "\n"), icase), _repl_parts(repl),
                   glob, nth, printit)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "\\": "\\"}.get(m.group(1),
                                                                             m.group(1)), text)


def _repl_parts(repl: str) -> list[Any]:
    """Split a replacement into literal text, group references and case switches."""
    parts: list[Any] = []
    buf: list[str] = []
    i = 0
    while i < len(repl):
        c = repl[i]
        if c == "\\" and i + 1 < len(repl):
            d = repl[i + 1]
            i += 2
            if d.isdigit():
                parts.append("".join(buf))
                buf = []
                parts.append(int(d))
            elif d in "LUluE":
                parts.append("".join(buf))
                buf = []
                parts.append("\\" + d)
            else:
                buf.append({"n": "\n", "t": "\t", "r": "\r", "&": "&", "\\": "\\"}.get(d, d))
            continue
        if c == "&":
            parts.append("".join(buf))
            buf = []
            parts.append(0)
            i += 1
            continue
        buf.append(c)
        i += 1
    parts.append("".join(buf))
    return [p for p in parts if p != ""]


def _expand(parts: list[Any], m: re.Match[str]) -> str:
    out: list[str] = []
    mode = ""
    once = ""
    for p in parts:
        if isinstance(p, str) and p.startswith("\\") and len(p) == 2 and p[1] in "LUluE":
            if p[1] in "LU":
                mode = p[1]
            elif p[1] == "E":
                mode = ""
            else:
                once = p[1]
            continue
        text = (m.group(p) or "") if isinstance(p, int) else p
        if mode == "U":
            text = text.upper()
        elif mode == "L":
            text = text.lower()
        if once and text:
            text = (text[0].upper() if once == "u" else text[0].lower()) + text[1:]
            once = ""
        out.append(text)
    return "".join(out)


class _Run:
    def __init__(self, t: Tool, cmds: list[_Cmd], quiet: bool) -> None:
        self.t = t
        self.cmds = cmds
        self.quiet = quiet
        self.last_re: re.Pattern[str] | None = None
        self.hold = ""
        self.exit: int | None = None
        self.labels = {c.arg: k for k, c in enumerate(cmds) if c.name == ":"}

    def regex(self, rx: re.Pattern[str] | None) -> re.Pattern[str]:
        if rx is None:
            if self.last_re is None:
                raise _SedError("no previous regular expression", 0)
            return self.last_re
        self.last_re = rx
        return rx

    def match_addr(self, a: _Addr, lineno: int, last: bool, ps: str) -> bool:
        if a.kind == "line":
            return lineno == a.value
        if a.kind == "last":
            return last
        if a.kind == "step":
            if a.step <= 0:
                return lineno == a.value
            return lineno >= a.value and (lineno - a.value) % a.step == 0
        if a.kind == "zero":
            return False
        return self.regex(a.value).search(ps) is not None

    def selected(self, cmd: _Cmd, lineno: int, last: bool, ps: str) -> bool:
        if cmd.a1 is None:
            hit = True
        elif cmd.a2 is None and cmd.a2_rel is None:
            hit = self.match_addr(cmd.a1, lineno, last, ps)
        elif cmd.active:
            hit = True
            if cmd.a2_rel is not None:
                if lineno >= cmd.end_line:
                    cmd.active = False
            elif cmd.a2 is not None and cmd.a2.kind == "line":
                if lineno >= cmd.a2.value:
                    cmd.active = False
                if lineno > cmd.a2.value:
                    hit = False
            elif cmd.a2 is not None and self.match_addr(cmd.a2, lineno, last, ps):
                cmd.active = False
        elif (cmd.a1.kind == "zero" and cmd.a2 is not None) or self.match_addr(
                cmd.a1, lineno, last, ps):
            hit = True
            if cmd.a1.kind == "zero" and cmd.a2 is not None and self.match_addr(
                    cmd.a2, lineno, last, ps):
                return not cmd.negate
            cmd.active = True
            if cmd.a2_rel is not None:
                cmd.end_line = lineno + cmd.a2_rel
                if cmd.a2_rel == 0:
                    cmd.active = False
            elif cmd.a2 is not None and cmd.a2.kind == "line" and cmd.a2.value <= lineno:
                cmd.active = False
        else:
            hit = False
        return hit != cmd.negate

    def run(self, lines: list[str], out: list[str]) -> None:
        k = 0
        n = len(lines)
        while k < n:
            ps = lines[k]
            lineno = k + 1
            k += 1
            append: list[str] = []
            pc = 0
            deleted = False
            substituted = False
            while pc < len(self.cmds):
                cmd = self.cmds[pc]
                pc += 1
                if cmd.name == "}":
                    continue
                if cmd.name == ":":
                    continue
                if not self.selected(cmd, lineno, k == n, ps):
                    if cmd.name == "{":
                        pc = cmd.block_end + 1
                    continue
                name = cmd.name
                if name == "{":
                    continue
                if name == "s":
                    rx, parts, glob, nth, printit = cmd.arg
                    rx = self.regex(rx)
                    count = 0
                    pieces: list[str] = []
                    pos = 0
                    done = False
                    for m in rx.finditer(ps):
                        count += 1
                        if count < nth or (done and not glob):
                            continue
                        pieces.append(ps[pos:m.start()])
                        pieces.append(_expand(parts, m))
                        pos = m.end()
                        done = True
                        if not glob:
                            break
                    if done:
                        pieces.append(ps[pos:])
                        ps = "".join(pieces)
                        substituted = True
                        if printit:
                            out.append(ps + "\n")
                elif name == "y":
                    ps = "".join(cmd.arg.get(ch, ch) for ch in ps)
                elif name == "p":
                    out.append(ps + "\n")
                elif name == "P":
                    out.append(ps.split("\n", 1)[0] + "\n")
                elif name == "d":
                    deleted = True
                    break
                elif name == "D":
                    if "\n" not in ps:
                        deleted = True
                        break
                    ps = ps.split("\n", 1)[1]
                    pc = 0
                    continue
                elif name == "=":
                    out.append(f"{lineno}\n")
                elif name in "qQ":
                    if name == "q" and not self.quiet:
                        out.append(ps + "\n")
                    out.extend(append)
                    self.exit = cmd.arg
                    return
                elif name == "n":
                    if not self.quiet:
                        out.append(ps + "\n")
                    if k >= n:
                        deleted = True
                        break
                    ps = lines[k]
                    k += 1
                    lineno = k
                elif name == "N":
                    if k >= n:
                        if not self.quiet:
                            out.append(ps + "\n")
                        deleted = True
                        break
                    ps = ps + "\n" + lines[k]
                    k += 1
                    lineno = k
                elif name == "h":
                    self.hold = ps
                elif name == "H":
                    self.hold = self.hold + "\n" + ps
                elif name == "g":
                    ps = self.hold
                elif name == "G":
                    ps = ps + "\n" + self.hold
                elif name == "x":
                    ps, self.hold = self.hold, ps
                elif name == "a":
                    append.append(cmd.arg + "\n")
                elif name == "i":
                    out.append(cmd.arg + "\n")
                elif name == "c":
                    if (cmd.a2 is None and cmd.a2_rel is None) or not cmd.active:
                        out.append(cmd.arg + "\n")
                    deleted = True
                    break
                elif name in "btT":
                    jump = name == "b" or (name == "t" and substituted) or (
                        name == "T" and not substituted)
                    if name in "tT":
                        substituted = False
                    if jump:
                        pc = self.labels.get(cmd.arg, len(self.cmds)) if cmd.arg else len(
                            self.cmds)
                elif name == "z":
                    ps = ""
            if not deleted and not self.quiet:
                out.append(ps + "\n")
            out.extend(append)


def sed(t: Tool, args: list[str]) -> int:
    try:
        opts, operands = getopt(args, "ne:f:Eri::sz", {
            "quiet": "n", "silent": "n", "expression=": "e", "file=": "f",
            "regexp-extended": "E", "in-place": "i", "in-place=": "i", "separate": "s",
            "posix": None, "debug": None})
    except OptError as e:
        return t.usage_error(e, status=1)
    scripts: list[str] = []
    quiet = extended = in_place = separate = False
    for o, v in opts:
        if o == "n":
            quiet = True
        elif o == "e":
            scripts.append(v)
        elif o == "f":
            text = t.open_text(v, "sed")
            if text is None:
                return 1
            scripts.append(text.rstrip("\n"))
        elif o in "Er":
            extended = True
        elif o == "i":
            in_place = True
        elif o == "s":
            separate = True
    if not scripts:
        if not operands:
            if t.gnu:
                t.ctx.stderr.write("Usage: sed [OPTION]... {script-only-if-no-other-script} "
                                   "[input-file]...\n\n")
            else:
                t.err("no script specified")
            return 1
        scripts.append(operands.pop(0))
    try:
        cmds: list[_Cmd] = []
        for k, script in enumerate(scripts):
            try:
                cmds.extend(_Parser(script, extended).parse())
            except _SedError as err:
                err.message = f"-e expression #{k + 1}, char {err.pos}: {err.message}"
                raise
    except _SedError as err:
        t.err(err.message if t.gnu else err.message.split(": ", 1)[-1])
        return 1
    status = 0
    files = operands or ["-"]
    try:
        if in_place or separate:
            for name in files:
                text = t.open_text(name, "sed")
                if text is None:
                    status = 2
                    continue
                out: list[str] = []
                runner = _Run(t, cmds, quiet)
                runner.run(_split_lines(text), out)
                data = _fix_last(out, text)
                if in_place:
                    t.ctx.fs.write(t.path(name), data.encode(), now=t.ctx.now)
                else:
                    t.out(data)
                if runner.exit is not None:
                    return runner.exit
            return status
        texts: list[str] = []
        for name in files:
            text = t.open_text(name, "sed")
            if text is None:
                status = 2
                continue
            if texts and texts[-1] and not texts[-1].endswith("\n"):
                texts[-1] += "\n"
            texts.append(text)
        whole = "".join(texts)
        out = []
        runner = _Run(t, cmds, quiet)
        runner.run(_split_lines(whole), out)
        t.out(_fix_last(out, whole))
        if runner.exit is not None:
            return runner.exit
    except _SedError as err:
        t.err(err.message)
        return 4
    return status


def _split_lines(text: str) -> list[str]:
    if not text:
        return []
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    return lines


def _fix_last(out: list[str], text: str) -> str:
    data = "".join(out)
    # GNU sed keeps a missing final newline missing.
    if text and not text.endswith("\n") and data.endswith("\n"):
        data = data[:-1]
    return data


SED = {"sed": sed}
