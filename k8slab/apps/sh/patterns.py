"""Shell patterns: ``case`` and ``[[ == ]]`` matching, ``${x#pat}``, pathname expansion and
bash's brace expansion.

A pattern is carried as a string in which a backslash quotes the next character (that is how
quoted parts of a word reach the matcher, as in bash's ``pathexp.c``). Bracket expressions
follow POSIX (``[!…]``/``[^…]``, ``[:class:]``); an unmatched ``[`` is an ordinary character.
"""

from __future__ import annotations

import posixpath
import re
from functools import lru_cache

from ...sim.fs import FSError, MemoryFS, normpath

__all__ = ["brace_expand", "glob", "has_magic", "match", "pattern_regex", "quote_pattern"]

_CLASSES = {
    "alpha": "a-zA-Z", "digit": "0-9", "alnum": "a-zA-Z0-9", "upper": "A-Z", "lower": "a-z",
    "space": r" \t\n\r\f\v", "blank": r" \t", "punct": r"!-/:-@\[-`{-~", "xdigit": "0-9A-Fa-f",
    "word": "a-zA-Z0-9_", "cntrl": r"\x00-\x1f\x7f", "print": r" -~", "graph": r"!-~",
}


def quote_pattern(text: str) -> str:
    """Make every character of ``text`` literal inside a pattern."""
    return re.sub(r"([\\*?\[\]])", r"\\\1", text)


def has_magic(pattern: str) -> bool:
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c in "*?":
            return True
        if c == "[" and _bracket_end(pattern, i) > 0:
            return True
        i += 1
    return False


def _bracket_end(p: str, i: int) -> int:
    """Index just past the bracket expression starting at ``p[i] == '['``, or -1."""
    j = i + 1
    if j < len(p) and p[j] in "!^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p):
        if p.startswith("[:", j):
            k = p.find(":]", j + 2)
            if k >= 0:
                j = k + 2
                continue
        if p[j] == "]":
            return j + 1
        if p[j] == "\\":
            j += 1
        j += 1
    return -1


@lru_cache(maxsize=1024)
def pattern_regex(pattern: str, path: bool = False) -> str:
    """The regular expression (without anchors) equivalent to a shell pattern."""
    out: list[str] = []
    i, n = 0, len(pattern)
    star = "[^/]*" if path else ".*"
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 < n:
                out.append(re.escape(pattern[i + 1]))
                i += 2
            else:
                out.append(re.escape("\\"))
                i += 1
        elif c == "*":
            out.append(star)
            i += 1
        elif c == "?":
            out.append("[^/]" if path else ".")
            i += 1
        elif c == "[":
            end = _bracket_end(pattern, i)
            if end < 0:
                out.append(re.escape("["))
                i += 1
                continue
            body = pattern[i + 1:end - 1]
            neg = body[:1] in ("!", "^")
            if neg:
                body = body[1:]
            items: list[str] = []
            k = 0
            while k < len(body):
                if body.startswith("[:", k):
                    e = body.find(":]", k + 2)
                    if e >= 0:
                        items.append(_CLASSES.get(body[k + 2:e], ""))
                        k = e + 2
                        continue
                ch = body[k]
                if ch == "\\" and k + 1 < len(body):
                    ch = body[k + 1]
                    k += 1
                if ch == "-" and items and k + 1 < len(body) and body[k + 1] != "]" and k > 0:
                    items.append("-")
                elif ch in "\\]^[-":
                    items.append("\\" + ch)
                else:
                    items.append(ch)
                k += 1
            out.append("[" + ("^" if neg else "") + "".join(items) + "]")
            i = end
        else:
            out.append(re.escape(c))
            i += 1
    return "".join(out)


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern_regex(pattern), re.DOTALL)


def match(pattern: str, text: str) -> bool:
    """Whether ``text`` matches the whole ``pattern``."""
    return _compiled(pattern).fullmatch(text) is not None


def compiled(pattern: str) -> re.Pattern[str]:
    return _compiled(pattern)


def glob(fs: MemoryFS, pattern: str, cwd: str) -> list[str]:
    """Pathname expansion of ``pattern``; returns sorted matches, [] when none."""
    absolute = pattern.startswith("/")
    comps = [c for c in pattern.split("/") if c != ""]
    results: list[str] = ["/" if absolute else ""]
    for idx, comp in enumerate(comps):
        last = idx == len(comps) - 1
        nxt: list[str] = []
        for base in results:
            real_base = normpath(base or ".", cwd)
            if not has_magic(comp):
                name = re.sub(r"\\(.)", r"\1", comp)
                cand = posixpath.join(base, name) if base else name
                if fs.exists(normpath(cand, cwd)) and (last or fs.is_dir(normpath(cand, cwd))):
                    nxt.append(cand)
                continue
            try:
                names = fs.listdir(real_base)
            except FSError:
                continue
            rx = re.compile(pattern_regex(comp, path=True), re.DOTALL)
            for name in names:
                if name.startswith(".") and not comp.startswith((".", "\\.")):
                    continue
                if rx.fullmatch(name):
                    cand = posixpath.join(base, name) if base else name
                    if last or fs.is_dir(normpath(cand, cwd)):
                        nxt.append(cand)
        results = nxt
        if not results:
            return []
    if pattern.endswith("/"):
        results = [r + "/" for r in results]
    return sorted(results)


_SEQ = re.compile(r"^(-?\d+|[A-Za-z])\.\.(-?\d+|[A-Za-z])(?:\.\.(-?\d+))?$")


def _brace_body(text: str, start: int) -> tuple[int, list[str]] | None:
    """For ``text[start] == '{'``: (end index, alternatives) if it is a brace expansion."""
    depth = 0
    commas: list[int] = []
    i = start
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                body = text[start + 1:i]
                if commas:
                    alts, prev = [], start + 1
                    for k in commas:
                        alts.append(text[prev:k])
                        prev = k + 1
                    alts.append(text[prev:i])
                    return i, alts
                m = _SEQ.match(body)
                if m:
                    return i, _sequence(m)
                return None
        elif c == "," and depth == 1:
            commas.append(i)
        i += 1
    return None


def _sequence(m: re.Match[str]) -> list[str]:
    a, b, step_s = m.group(1), m.group(2), m.group(3)
    step = abs(int(step_s)) if step_s else 1
    step = step or 1
    if a.lstrip("-").isdigit() and b.lstrip("-").isdigit():
        x, y = int(a), int(b)
        width = max(len(a), len(b)) if (a.lstrip("-").startswith("0") and len(a.lstrip("-")) > 1
                                        ) or (b.lstrip("-").startswith("0")
                                              and len(b.lstrip("-")) > 1) else 0
        rng = range(x, y + 1, step) if x <= y else range(x, y - 1, -step)
        return [f"{v:0{width}d}" if width else str(v) for v in rng]
    if a.isalpha() and b.isalpha() and len(a) == 1 and len(b) == 1:
        x, y = ord(a), ord(b)
        rng = range(x, y + 1, step) if x <= y else range(x, y - 1, -step)
        return [chr(v) for v in rng]
    return [m.group(0)]


def brace_expand(text: str) -> list[str]:
    """bash brace expansion of unquoted text: ``a{b,c}d`` → ``abd acd``; ``{1..3}``."""
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            i += 2
            continue
        if c == "{" and not (i > 0 and text[i - 1] == "$"):
            found = _brace_body(text, i)
            if found is not None:
                end, alts = found
                head, tail = text[:i], text[end + 1:]
                tails = brace_expand(tail)
                return [head + a + t for alt in alts for a in brace_expand(alt) for t in tails]
        i += 1
    return [text]
