"""Line filters: ``grep``, ``sort``, ``uniq``, ``cut``, ``tr``, ``base64``, ``xargs``.

Behaviour from GNU grep 3.11 (``grep.c``: exit status 0 selected / 1 none / 2 trouble, ``-o``,
``-c``, ``-q``, ``-n``, ``-w``, context separators ``--``), GNU coreutils ``sort.c`` (keys,
``-n``'s numeric prefix, the last-resort whole-line comparison, in the C.UTF-8 collation the
lab's machines use), ``uniq.c`` (``%7d`` counts), ``cut.c``, ``tr.c``, ``base64.c`` and
findutils ``xargs``.
"""

from __future__ import annotations

import base64 as _b64
import binascii
import contextlib
import functools
import re
import shlex
from collections.abc import Generator
from typing import Any

from ...sim.process import ExecContext
from .common import OptError, Tool, getopt, lines_of, quote_gnu
from .regex import RegexError, compile_bre, compile_ere

__all__ = ["TEXT"]

Gen = Generator[Any, Any, int]


# ---------------------------------------------------------------------- grep


def grep(t: Tool, args: list[str]) -> int:
    try:
        opts, operands = getopt(args, "EFGivcoqnwxe:f:lLhHsrRA:B:C:m:abTUzZ", {
            "extended-regexp": "E", "fixed-strings": "F", "basic-regexp": "G",
            "ignore-case": "i", "invert-match": "v", "count": "c", "only-matching": "o",
            "quiet": "q", "silent": "q", "line-number": "n", "word-regexp": "w",
            "line-regexp": "x", "regexp=": "e", "file=": "f", "files-with-matches": "l",
            "files-without-match": "L", "no-filename": "h", "with-filename": "H",
            "no-messages": "s", "recursive": "r", "after-context=": "A",
            "before-context=": "B", "context=": "C", "max-count=": "m", "color": None,
            "colour": None, "color=": "K", "colour=": "K", "text": "a"})
    except OptError as e:
        return t.usage_error(e, status=2,
                             usage="Usage: grep [OPTION]... PATTERNS [FILE]..." if t.gnu else "")
    flags: set[str] = set()
    patterns: list[str] = []
    after = before = 0
    max_count = -1
    for o, v in opts:
        if o == "e":
            patterns.extend(v.split("\n"))
        elif o == "f":
            text = t.open_text(v)
            if text is None:
                return 2
            patterns.extend(lines_of(text))
        elif o in "ABC":
            if not v.isdigit():
                t.err(f"{v}: invalid context length argument")
                return 2
            if o in "AC":
                after = int(v)
            if o in "BC":
                before = int(v)
        elif o == "m":
            max_count = int(v) if v.lstrip("-").isdigit() else -1
        else:
            flags.add(o)
    if not patterns and "e" not in {o for o, _ in opts} and "f" not in {o for o, _ in opts}:
        if not operands:
            if t.gnu:
                t.ctx.stderr.write("Usage: grep [OPTION]... PATTERNS [FILE]...\n"
                                   "Try 'grep --help' for more information.\n")
            else:
                t.err("usage: grep [OPTIONS] PATTERN [FILE]...")
            return 2
        patterns = operands.pop(0).split("\n")
    icase = "i" in flags
    try:
        matcher = _grep_matcher(patterns, flags, icase)
    except RegexError as err:
        t.err(str(err))
        return 2
    files = operands or ["-"]
    if "r" in flags and not operands:
        files = ["."]
    names_shown = ("H" in flags or len(files) > 1 or "r" in flags) and "h" not in flags
    status = 1
    trouble = False
    out: list[str] = []
    for name in _expand_recursive(t, files, "r" in flags or "R" in flags):
        if name != "-" and t.ctx.fs.is_dir(t.path(name)):
            if "s" not in flags:
                t.err(f"{name}: Is a directory")
            trouble = True
            continue
        try:
            text = t.read_text(name)
        except Exception as e:  # FSError
            if "s" not in flags:
                t.err(f"{name}: {getattr(e, 'strerror_text', str(e))}")
            trouble = True
            continue
        label = "(standard input)" if name == "-" else name
        lines = lines_of(text)
        count = 0
        last_printed = -1
        pending_after = 0
        for k, line in enumerate(lines):
            if max_count >= 0 and count >= max_count:
                break
            hit = matcher(line)
            selected = (hit is not None) != ("v" in flags)
            if selected:
                count += 1
                status = 0
                if "q" in flags:
                    return 0
                if flags & {"c", "l", "L"}:
                    continue
                if before or after:
                    start = max(k - before, last_printed + 1)
                    if (last_printed >= 0 and start > last_printed + 1) or (
                            last_printed < 0 and out and start > 0):
                        out.append("--\n")
                    for j in range(start, k):
                        out.append(_prefix(label, j + 1, "-", names_shown, "n" in flags)
                                   + lines[j] + "\n")
                if "o" in flags and "v" not in flags:
                    for m in _all_matches(matcher, line):
                        out.append(_prefix(label, k + 1, ":", names_shown, "n" in flags)
                                   + m + "\n")
                else:
                    out.append(_prefix(label, k + 1, ":", names_shown, "n" in flags)
                               + line + "\n")
                last_printed = k
                pending_after = after
            elif pending_after > 0:
                out.append(_prefix(label, k + 1, "-", names_shown, "n" in flags) + line + "\n")
                last_printed = k
                pending_after -= 1
        if "c" in flags:
            out.append((f"{label}:" if names_shown else "") + f"{count}\n")
        if "l" in flags and count:
            out.append(label + "\n")
        if "L" in flags and not count:
            out.append(label + "\n")
    if "L" in flags:
        status = 0 if out else 1
    t.out("".join(out))
    if trouble and not ("q" in flags and status == 0):
        return 2
    return status


def _prefix(label: str, number: int, sep: str, names: bool, numbers: bool) -> str:
    out = ""
    if names:
        out += label + sep
    if numbers:
        out += f"{number}{sep}"
    return out


def _expand_recursive(t: Tool, files: list[str], recursive: bool) -> list[str]:
    if not recursive:
        return files
    out: list[str] = []
    fs = t.ctx.fs
    for name in files:
        path = t.path(name)
        if not fs.is_dir(path):
            out.append(name)
            continue
        stack = [name]
        while stack:
            d = stack.pop(0)
            for entry in fs.listdir(t.path(d)):
                child = entry if d == "." else f"{d.rstrip('/')}/{entry}"
                if fs.is_dir(t.path(child)):
                    stack.append(child)
                else:
                    out.append(child)
    return out


def _grep_matcher(patterns: list[str], flags: set[str], icase: bool) -> Any:
    if "F" in flags:
        body = "|".join(re.escape(p) for p in patterns)
    elif "E" in flags:
        body = "|".join("(?:" + _ere_py(p) + ")" for p in patterns)
    else:
        body = "|".join("(?:" + _bre_py(p) + ")" for p in patterns)
    if "x" in flags:
        body = r"\A(?:" + body + r")\Z"
    elif "w" in flags:
        body = r"(?<!\w)(?:" + body + r")(?!\w)"
    try:
        rx = re.compile(body, re.IGNORECASE if icase else 0)
    except re.error as err:
        raise RegexError(str(err)) from None
    return rx.search


def _ere_py(p: str) -> str:
    return compile_ere(p).pattern


def _bre_py(p: str) -> str:
    return compile_bre(p).pattern


def _all_matches(search: Any, line: str) -> list[str]:
    out = []
    pos = 0
    while pos <= len(line):
        m = search(line, pos)
        if m is None:
            break
        if m.end() == m.start():
            pos = m.end() + 1
            continue
        out.append(m.group(0))
        pos = m.end()
    return out


# ---------------------------------------------------------------------- sort


_NUM = re.compile(r"\s*(-?)(\d*)(?:\.(\d*))?")
_HUMAN = re.compile(r"\s*(-?)(\d*(?:\.\d*)?)([KMGTPEZY]?)")


def _numeric(text: str) -> float:
    m = _NUM.match(text)
    if not m or not (m.group(2) or m.group(3)):
        return 0.0
    value = float((m.group(2) or "0") + "." + (m.group(3) or "0"))
    return -value if m.group(1) else value


def _human_num(text: str) -> tuple[int, float]:
    m = _HUMAN.match(text)
    if not m or not m.group(2) or m.group(2) == ".":
        return (0, 0.0)
    value = float(m.group(2))
    rank = " KMGTPEZY".index(m.group(3)) if m.group(3) else 0
    if m.group(1):
        return (-rank, -value)
    return (rank, value)


def _general(text: str) -> float:
    m = re.match(r"\s*[-+]?(\d+\.?\d*(e[-+]?\d+)?|\.\d+|inf|nan)", text, re.IGNORECASE)
    return float(m.group(0)) if m else float("-inf")


class _Key:
    __slots__ = ("ec", "ef", "opts", "sc", "sf")

    def __init__(self, sf: int, sc: int, ef: int, ec: int, opts: str) -> None:
        self.sf, self.sc, self.ef, self.ec, self.opts = sf, sc, ef, ec, opts


def _parse_key(spec: str, global_opts: str) -> _Key | None:
    m = re.fullmatch(r"(\d+)(?:\.(\d+))?([bdfghinMRrV]*)(?:,(\d+)(?:\.(\d+))?([bdfghinMRrV]*))?",
                     spec)
    if not m or int(m.group(1)) == 0:
        return None
    opts = (m.group(3) or "") + (m.group(6) or "")
    return _Key(int(m.group(1)), int(m.group(2) or 1), int(m.group(4) or 0),
                int(m.group(5) or 0), opts or global_opts)


def _fields(line: str, sep: str | None) -> list[tuple[int, int]]:
    """(start, end) of each field; without -t a field starts at its leading blanks."""
    spans = []
    if sep is not None:
        pos = 0
        while True:
            k = line.find(sep, pos)
            if k < 0:
                spans.append((pos, len(line)))
                return spans
            spans.append((pos, k))
            pos = k + 1
    pos = 0
    n = len(line)
    while pos < n:
        start = pos
        while pos < n and line[pos] in " \t":
            pos += 1
        while pos < n and line[pos] not in " \t":
            pos += 1
        spans.append((start, pos))
    return spans or [(0, 0)]


def _key_text(line: str, key: _Key, sep: str | None) -> str:
    spans = _fields(line, sep)
    if key.sf > len(spans):
        return ""
    s0, e0 = spans[key.sf - 1]
    if "b" in key.opts:
        while s0 < e0 and line[s0] in " \t":
            s0 += 1
    start = min(s0 + key.sc - 1, e0) if key.sc > 1 else s0
    if key.ef == 0 or key.ef > len(spans):
        end = len(line)
    else:
        fs_, fe = spans[key.ef - 1]
        end = fe if key.ec == 0 else min(fs_ + key.ec, fe)
    return line[start:max(start, end)]


def _cmp_by(opts: str, a: str, b: str) -> int:
    if "f" in opts:
        a, b = a.upper(), b.upper()
    if "b" in opts:
        a, b = a.lstrip(" \t"), b.lstrip(" \t")
    if "n" in opts:
        x, y = _numeric(a), _numeric(b)
    elif "h" in opts:
        x, y = _human_num(a), _human_num(b)  # type: ignore[assignment]
    elif "g" in opts:
        x, y = _general(a), _general(b)
    elif "V" in opts:
        x, y = _version_key(a), _version_key(b)  # type: ignore[assignment]
    else:
        x, y = a, b  # type: ignore[assignment]
    result = (x > y) - (x < y)
    return -result if "r" in opts else result


def _version_key(text: str) -> list[Any]:
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|\D+", text)]


def sort(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "nruk:t:fbhgsVMco:z", {
            "numeric-sort": "n", "reverse": "r", "unique": "u", "key=": "k",
            "field-separator=": "t", "ignore-case": "f", "ignore-leading-blanks": "b",
            "human-numeric-sort": "h", "general-numeric-sort": "g", "stable": "s",
            "version-sort": "V", "check": "c", "output=": "o"})
    except OptError as e:
        return t.usage_error(e, status=2)
    global_opts = "".join(o for o, _ in opts if o in "nrfbhgVM")
    sep: str | None = None
    keys: list[_Key] = []
    output = None
    flags = {o for o, _ in opts}
    for o, v in opts:
        if o == "t":
            if len(v) != 1:
                t.err("multi-character tab " + quote_gnu(v) if t.gnu else "bad -t parameter")
                return 2
            sep = v
        elif o == "k":
            key = _parse_key(v, global_opts)
            if key is None:
                t.err(f"invalid number at field start: invalid count at start of "
                      f"{quote_gnu(v)}" if t.gnu else f"invalid key '{v}'")
                return 2
            keys.append(key)
        elif o == "o":
            output = v
    lines: list[str] = []
    for name in files or ["-"]:
        text = t.open_text(name, "sort")
        if text is None:
            return 2
        lines.extend(lines_of(text))
    last_resort = not ("s" in flags or "u" in flags)

    def compare(a: str, b: str) -> int:
        if keys:
            for key in keys:
                r = _cmp_by(key.opts, _key_text(a, key, sep), _key_text(b, key, sep))
                if r:
                    return r
        elif global_opts.strip("r"):
            r = _cmp_by(global_opts, a, b)
            if r:
                return r
        if not last_resort:
            return 0
        r = (a > b) - (a < b)
        return -r if "r" in flags else r

    if not keys and not global_opts.strip("r"):
        result = sorted(lines, reverse="r" in flags)
    else:
        result = sorted(lines, key=functools.cmp_to_key(compare))
    if "u" in flags:
        uniq: list[str] = []
        for line in result:
            if uniq:
                prev = uniq[-1]
                same = (all(_cmp_by(k.opts.replace("r", ""), _key_text(prev, k, sep),
                                    _key_text(line, k, sep)) == 0 for k in keys) if keys
                        else _cmp_by(global_opts.replace("r", ""), prev, line) == 0)
                if same:
                    continue
            uniq.append(line)
        result = uniq
    text = "".join(line + "\n" for line in result)
    if output is not None:
        t.ctx.fs.write(t.path(output), text.encode(), now=t.ctx.now)
        return 0
    t.out(text)
    return 0


# ---------------------------------------------------------------------- uniq


def uniq(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "cduif:s:w:D", {
            "count": "c", "repeated": "d", "unique": "u", "ignore-case": "i",
            "skip-fields=": "f", "skip-chars=": "s", "check-chars=": "w"})
    except OptError as e:
        return t.usage_error(e)
    flags = {o for o, _ in opts}
    skip_f = skip_c = 0
    width = None
    for o, v in opts:
        if not v.isdigit() and o in "fsw":
            what = {"f": "fields to skip", "s": "bytes to skip", "w": "bytes to compare"}[o]
            t.err(f"{v}: invalid number of {what}")
            return 1
        if o == "f":
            skip_f = int(v)
        elif o == "s":
            skip_c = int(v)
        elif o == "w":
            width = int(v)
    text = t.open_text(files[0] if files else "-")
    if text is None:
        return 1

    def norm(line: str) -> str:
        s = line
        for _ in range(skip_f):
            s = re.sub(r"^[ \t]*[^ \t]*", "", s, count=1)
        s = s[skip_c:]
        if width is not None:
            s = s[:width]
        return s.lower() if "i" in flags else s

    groups: list[tuple[str, int]] = []
    prev_key = None
    for line in lines_of(text):
        key = norm(line)
        if groups and key == prev_key:
            groups[-1] = (groups[-1][0], groups[-1][1] + 1)
        else:
            groups.append((line, 1))
            prev_key = key
    out: list[str] = []
    for line, count in groups:
        if "d" in flags and count < 2:
            continue
        if "u" in flags and count > 1:
            continue
        out.append((f"{count:7d} " if "c" in flags else "") + line + "\n")
    data = "".join(out)
    if len(files) > 1:
        t.ctx.fs.write(t.path(files[1]), data.encode(), now=t.ctx.now)
    else:
        t.out(data)
    return 0


# ---------------------------------------------------------------------- cut


def _ranges(spec: str) -> list[tuple[int, int]] | None:
    out = []
    for item in spec.split(","):
        m = re.fullmatch(r"(\d*)(-?)(\d*)", item.strip())
        if not m or item.strip() in ("", "-"):
            return None
        a, dash, b = m.groups()
        if not dash:
            n = int(a)
            if n == 0:
                return None
            out.append((n, n))
        else:
            lo = int(a) if a else 1
            hi = int(b) if b else 10**9
            if lo == 0 or hi < lo:
                return None
            out.append((lo, hi))
    return out


def cut(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "b:c:d:f:sn", {
            "bytes=": "b", "characters=": "c", "delimiter=": "d", "fields=": "f",
            "only-delimited": "s", "complement": "C", "output-delimiter=": "O"})
    except OptError as e:
        return t.usage_error(e)
    mode = None
    spec = ""
    delim = "\t"
    out_delim: str | None = None
    flags = set()
    for o, v in opts:
        if o in "bcf":
            if mode is not None:
                t.err("only one type of list may be specified")
                t.try_help()
                return 1
            mode, spec = o, v
        elif o == "d":
            if len(v) != 1:
                t.err("the delimiter must be a single character")
                t.try_help()
                return 1
            delim = v
        elif o == "O":
            out_delim = v
        else:
            flags.add(o)
    if mode is None:
        t.err("you must specify a list of bytes, characters, or fields")
        t.try_help()
        return 1
    ranges = _ranges(spec)
    if ranges is None:
        t.err("fields are numbered from 1" if "0" in spec.split(",") else
              "invalid field range" if "-" in spec else f"invalid field value {quote_gnu(spec)}")
        t.try_help()
        return 1

    def wanted(i: int) -> bool:
        hit = any(lo <= i <= hi for lo, hi in ranges)
        return hit != ("C" in flags)

    status = 0
    out: list[str] = []
    for name in files or ["-"]:
        text = t.open_text(name)
        if text is None:
            status = 1
            continue
        for line in lines_of(text):
            if mode in "bc":
                out.append("".join(ch for i, ch in enumerate(line, 1) if wanted(i)) + "\n")
                continue
            if delim not in line:
                if "s" not in flags:
                    out.append(line + "\n")
                continue
            parts = line.split(delim)
            chosen = [p for i, p in enumerate(parts, 1) if wanted(i)]
            out.append((delim if out_delim is None else out_delim).join(chosen) + "\n")
    t.out("".join(out))
    return status


# ---------------------------------------------------------------------- tr

_TR_CLASSES = {
    "alpha": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "digit": "0123456789",
    "alnum": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    "lower": "abcdefghijklmnopqrstuvwxyz",
    "upper": "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "space": " \t\n\r\f\v",
    "blank": " \t",
    "punct": "".join(chr(c) for c in range(33, 127) if not chr(c).isalnum()),
    "xdigit": "0123456789ABCDEFabcdef",
    "cntrl": "".join(chr(c) for c in range(32)) + "\x7f",
    "print": "".join(chr(c) for c in range(32, 127)),
    "graph": "".join(chr(c) for c in range(33, 127)),
}
_TR_ESC = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "a": "\a", "b": "\b", "f": "\f",
           "v": "\v"}


def _tr_set(spec: str) -> str | None:
    out: list[str] = []
    i, n = 0, len(spec)
    chars: list[str] = []
    while i < n:
        if spec.startswith("[:", i):
            k = spec.find(":]", i + 2)
            if k >= 0:
                name = spec[i + 2:k]
                if name not in _TR_CLASSES:
                    return None
                chars.append("\0CLASS" + name)
                i = k + 2
                continue
        c = spec[i]
        if c == "\\" and i + 1 < n:
            d = spec[i + 1]
            m = re.compile(r"[0-7]{1,3}").match(spec, i + 1)
            if m:
                chars.append(chr(int(m.group(0), 8)))
                i = m.end()
                continue
            chars.append(_TR_ESC.get(d, d))
            i += 2
            continue
        chars.append(c)
        i += 1
    k = 0
    while k < len(chars):
        c = chars[k]
        if c.startswith("\0CLASS"):
            out.append(_TR_CLASSES[c[6:]])
            k += 1
            continue
        if k + 2 < len(chars) and chars[k + 1] == "-" and not chars[k + 2].startswith("\0"):
            lo, hi = ord(c), ord(chars[k + 2])
            if hi < lo:
                return None
            out.append("".join(chr(x) for x in range(lo, hi + 1)))
            k += 3
            continue
        out.append(c)
        k += 1
    return "".join(out)


def tr(t: Tool, args: list[str]) -> int:
    try:
        opts, sets = getopt(args, "cCdst", {"complement": "c", "delete": "d",
                                           "squeeze-repeats": "s", "truncate-set1": "t"})
    except OptError as e:
        return t.usage_error(e)
    flags = {("c" if o == "C" else o) for o, _ in opts}
    need = 1 if ("d" in flags and "s" not in flags) or ("s" in flags and "d" not in flags
                                                         and len(sets) == 1) else 2
    if len(sets) < need:
        if not sets:
            t.err("missing operand")
        else:
            t.err(f"missing operand after {quote_gnu(sets[-1])}")
            if t.gnu:
                t.ctx.stderr.write("Two strings must be given when translating.\n")
        t.try_help()
        return 1
    set1 = _tr_set(sets[0])
    set2 = _tr_set(sets[1]) if len(sets) > 1 else ""
    if set1 is None or set2 is None:
        t.err("invalid character class")
        return 1
    data = t.ctx.stdin
    if "c" in flags:
        present = set(set1)

        def in1(ch: str) -> bool:
            return ch not in present
    else:
        present = set(set1)

        def in1(ch: str) -> bool:
            return ch in present
    if "d" in flags:
        data = "".join(ch for ch in data if not in1(ch))
        if "s" in flags and set2:
            data = _squeeze(data, set(set2))
        t.out(data)
        return 0
    if len(sets) > 1:
        if "c" in flags:
            repl = set2[-1:] if set2 else ""
            data = "".join(repl if in1(ch) else ch for ch in data)
        else:
            s2 = set2
            if len(s2) < len(set1) and "t" not in flags:
                s2 = s2 + (s2[-1:] * (len(set1) - len(s2)))
            table: dict[str, str] = {}
            for a, b in zip(set1, s2):
                table[a] = b
            data = "".join(table.get(ch, ch) for ch in data)
        if "s" in flags:
            data = _squeeze(data, set(set2))
    elif "s" in flags:
        data = _squeeze(data, set(set1) if "c" not in flags else None, in1)
    t.out(data)
    return 0


def _squeeze(data: str, chars: set[str] | None, pred: Any = None) -> str:
    out: list[str] = []
    for ch in data:
        member = (ch in chars) if chars is not None else pred(ch)
        if member and out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


# ---------------------------------------------------------------------- base64


def base64(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "diw:", {"decode": "d", "ignore-garbage": "i", "wrap=": "w"})
    except OptError as e:
        return t.usage_error(e)
    flags = {o for o, _ in opts}
    wrap = 76
    for o, v in opts:
        if o == "w":
            if not v.isdigit():
                t.err(f"invalid wrap size: {quote_gnu(v)}")
                return 1
            wrap = int(v)
    name = files[0] if files else "-"
    try:
        data = t.read_bytes(name)
    except Exception as e:
        t.err(f"{name}: {getattr(e, 'strerror_text', e)}")
        return 1
    if "d" in flags:
        text = re.sub(rb"\s+", b"", data)
        if "i" in flags:
            text = re.sub(rb"[^A-Za-z0-9+/=]", b"", text)
        try:
            decoded = _b64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            good = b""
            with contextlib.suppress(binascii.Error, ValueError):
                good = _b64.b64decode(text[: len(text) // 4 * 4], validate=True)
            t.out(good.decode("utf-8", "replace"))
            t.err("invalid input")
            return 1
        t.out(decoded.decode("utf-8", "replace"))
        return 0
    encoded = _b64.b64encode(data).decode()
    if wrap:
        lines = [encoded[i:i + wrap] for i in range(0, len(encoded), wrap)]
        t.out("".join(line + "\n" for line in lines))
    else:
        t.out(encoded)
    return 0


# ---------------------------------------------------------------------- xargs


def xargs(t: Tool, args: list[str]) -> Gen:
    k = 0
    max_args = 0
    replace: str | None = None
    trace = False
    null = False
    while k < len(args) and args[k].startswith("-") and len(args[k]) > 1:
        a = args[k]
        if a == "--":
            k += 1
            break
        if a in ("-n", "-L") and k + 1 < len(args):
            if not args[k + 1].isdigit() or args[k + 1] == "0":
                t.err(f"invalid number \"{args[k + 1]}\" for {a} option")
                return 1
            max_args = int(args[k + 1])
            k += 2
            continue
        if a.startswith("-n") and a[2:].isdigit():
            max_args = int(a[2:])
        elif a == "-I" and k + 1 < len(args):
            replace = args[k + 1]
            k += 2
            continue
        elif a.startswith("-I"):
            replace = a[2:]
        elif a == "-t":
            trace = True
        elif a in ("-0", "--null"):
            null = True
        elif a in ("-r", "--no-run-if-empty"):
            pass
        else:
            return t.usage_error(OptError("invalid", a[1]))
        k += 1
    command = args[k:] or ["echo"]
    data = t.ctx.stdin
    if null:
        items = [x for x in data.split("\0") if x]
    elif replace is not None:
        items = [x.strip() for x in data.split("\n") if x.strip()]
    else:
        try:
            items = shlex.split(data)
        except ValueError:
            t.err("unmatched double quote; by default quotes are special to xargs unless you "
                  "use the -0 option")
            return 1
    batches: list[list[str]]
    if replace is not None:
        batches = [[a.replace(replace, item) for a in command] for item in items]
    elif max_args:
        batches = [command + items[i:i + max_args] for i in range(0, len(items), max_args)]
    else:
        batches = [command + items] if items or t.gnu else []
    shell = t.ctx.extra.get("shell")
    status = 0
    for argv in batches:
        if trace:
            t.ctx.stderr.write(" ".join(argv) + "\n")
        cmd = shell.lookup(argv[0], t.ctx.fs, t.ctx.cwd) if shell is not None else None
        if cmd is None:
            t.err(f"{argv[0]}: No such file or directory")
            return 127
        sub = ExecContext("", t.ctx.stdout, t.ctx.stderr, dict(t.ctx.env), t.ctx.cwd, t.ctx.fs,
                          t.ctx.loop, t.ctx.host, t.ctx.tty, t.ctx.extra)
        code = yield from cmd(sub, argv)
        if code:
            status = 123
    return status


TEXT = {
    "grep": grep,
    "sort": sort,
    "uniq": uniq,
    "cut": cut,
    "tr": tr,
    "base64": base64,
    "xargs": xargs,
}
