"""File tools: ``cat``, ``touch``, ``rm``, ``mkdir``, ``ls``, ``head``, ``tail``, ``wc``, ``tee``.

Output formats and messages follow GNU coreutils 9.4 (``cat.c``, ``ls.c`` — its column
layout in ``calculate_columns`` and its long format —, ``head.c``, ``tail.c``, ``wc.c``'s
``compute_number_width``) and, for the busybox flavour, BusyBox's applets. Files live in the
machine's in-memory filesystem; on the workstation the lab's folder is readable underneath.
``tail -f`` polls once a second, as GNU tail does without inotify.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Generator
from typing import Any

from ...sim.clock import SECOND
from ...sim.fs import FSError, normpath
from ...sim.process import bounded_sleep
from ...sim.timefmt import to_datetime
from .common import OptError, Tool, getopt, quote_gnu, quote_sq, quotef

__all__ = ["FILES"]

Gen = Generator[Any, Any, int]


# ---------------------------------------------------------------------- cat / tee


def cat(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "nbsEAevTtu", {"number": "n", "number-nonblank": "b",
                                                 "squeeze-blank": "s", "show-ends": "E",
                                                 "show-all": "A", "show-tabs": "T"})
    except OptError as e:
        return t.usage_error(e)
    flags = {o for o, _ in opts}
    status = 0
    out: list[str] = []
    number = 0
    for name in files or ["-"]:
        if name != "-" and t.ctx.fs.is_dir(t.path(name)):
            if t.gnu:
                t.err(f"{quotef(name)}: Is a directory")
            else:
                t.err("read error: Is a directory")
            status = 1
            continue
        text = t.open_text(name)
        if text is None:
            status = 1
            continue
        if not flags:
            out.append(text)
            continue
        prev_blank = False
        for line in text.splitlines(keepends=True):
            body = line[:-1] if line.endswith("\n") else line
            end = "\n" if line.endswith("\n") else ""
            blank = body == ""
            if "s" in flags and blank and prev_blank:
                continue
            prev_blank = blank
            if "T" in flags or "A" in flags or "t" in flags:
                body = body.replace("\t", "^I")
            if "E" in flags or "A" in flags or "e" in flags:
                end = "$" + end if end else ""
            if "b" in flags:
                if not blank:
                    number += 1
                    body = f"{number:6d}\t{body}"
            elif "n" in flags:
                number += 1
                body = f"{number:6d}\t{body}"
            out.append(body + end)
    t.out("".join(out))
    return status


def tee(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "ai", {"append": "a", "ignore-interrupts": "i"})
    except OptError as e:
        return t.usage_error(e)
    append = any(o == "a" for o, _ in opts)
    data = t.ctx.stdin
    status = 0
    for name in files:
        if name == "-":
            t.out(data)
            continue
        try:
            t.ctx.fs.write(t.path(name), data.encode(), now=t.ctx.now, append=append)
        except FSError as e:
            t.err(f"{quotef(name) if t.gnu else name}: {e.strerror_text}")
            status = 1
    t.out(data)
    return status


# ---------------------------------------------------------------------- touch / rm / mkdir


def touch(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "acmd:t:r:h", {"no-create": "c", "date=": "d",
                                                 "reference=": "r"})
    except OptError as e:
        return t.usage_error(e)
    if not files:
        t.err("missing file operand")
        t.try_help()
        return 1
    no_create = any(o == "c" for o, _ in opts)
    status = 0
    for name in files:
        path = t.path(name)
        if no_create and not t.ctx.fs.exists(path):
            continue
        try:
            if t.ctx.fs.is_dir(path):
                continue
            if t.ctx.fs.exists(path):
                t.ctx.fs.write(path, t.ctx.fs.read(path), now=t.ctx.now)
            else:
                t.ctx.fs.touch(path, now=t.ctx.now)
        except FSError as e:
            if t.gnu:
                t.err(f"cannot touch {quote_sq(name)}: {e.strerror_text}")
            else:
                t.err(f"{name}: {e.strerror_text}")
            status = 1
    return status


def rm(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "rRfivd", {"recursive": "r", "force": "f", "verbose": "v",
                                             "dir": "d", "interactive": "i"})
    except OptError as e:
        return t.usage_error(e)
    flags = {o for o, _ in opts}
    force = "f" in flags
    recursive = "r" in flags or "R" in flags
    if not files:
        if force:
            return 0
        t.err("missing operand")
        t.try_help()
        return 1
    status = 0
    fs = t.ctx.fs
    for name in files:
        path = t.path(name)
        if not fs.exists(path):
            if not force:
                if t.gnu:
                    t.err(f"cannot remove {quote_sq(name)}: No such file or directory")
                else:
                    t.err(f"can't remove '{name}': No such file or directory")
                status = 1
            continue
        if fs.is_dir(path) and not recursive:
            empty = not fs.listdir(path)
            if not ("d" in flags and empty):
                if t.gnu:
                    t.err(f"cannot remove {quote_sq(name)}: Is a directory")
                else:
                    t.err(f"'{name}' is a directory")
                status = 1
                continue
        try:
            fs.remove(path, recursive=True)
        except FSError as e:
            t.err(f"cannot remove {quote_sq(name)}: {e.strerror_text}" if t.gnu
                  else f"can't remove '{name}': {e.strerror_text}")
            status = 1
            continue
        if "v" in flags:
            kind = "removed directory" if recursive and name.endswith("/") else "removed"
            t.out(f"{kind} {quote_sq(name)}\n")
    return status


def mkdir(t: Tool, args: list[str]) -> int:
    try:
        opts, dirs = getopt(args, "pvm:", {"parents": "p", "verbose": "v", "mode=": "m"})
    except OptError as e:
        return t.usage_error(e)
    flags = {o for o, _ in opts}
    if not dirs:
        t.err("missing operand")
        t.try_help()
        return 1
    status = 0
    for name in dirs:
        path = t.path(name)
        try:
            if "p" in flags and t.ctx.fs.is_dir(path):
                continue
            t.ctx.fs.mkdir(path, parents="p" in flags, now=t.ctx.now)
        except FSError as e:
            if t.gnu:
                t.err(f"cannot create directory {quote_gnu(name)}: {e.strerror_text}")
            else:
                t.err(f"can't create directory '{name}': {e.strerror_text}")
            status = 1
            continue
        if "v" in flags:
            t.out(f"mkdir: created directory {quote_gnu(name)}\n")
    return status


# ---------------------------------------------------------------------- ls


def _size(t: Tool, path: str) -> int:
    try:
        return 4096 if t.ctx.fs.is_dir(path) else len(t.ctx.fs.read(path))
    except FSError:
        return 0


def _mtime(t: Tool, path: str) -> int:
    try:
        return t.ctx.fs.mtime(path) or t.ctx.loop.start
    except FSError:
        return t.ctx.loop.start


def _human(n: int) -> str:
    """``ls -h``: one decimal below 10, rounded up, as GNU's human_readable does."""
    if n < 1024:
        return str(n)
    value = float(n)
    for unit in "KMGTPE":
        value /= 1024
        if value < 1024 or unit == "E":
            tenths = math.ceil(value * 10) / 10
            if tenths < 10:
                return f"{tenths:.1f}{unit}"
            return f"{math.ceil(value)}{unit}"
    return str(n)  # pragma: no cover


def _columns(names: list[str], width: int, tabs: bool = True) -> list[str]:
    """GNU ls's many-per-line vertical layout (``ls.c: calculate_columns`` and
    ``print_many_per_line``): the most columns whose line stays under the width."""
    n = len(names)
    if n == 0:
        return []
    lengths = [len(x) for x in names]
    chosen, widths = 1, [max(lengths)]
    for cols in range(max(1, min(width // 3, n)), 0, -1):
        rows = -(-n // cols)
        trial = [0] * cols
        for k, length in enumerate(lengths):
            idx = k // rows
            real = length + (0 if idx == cols - 1 else 2)
            if trial[idx] < real:
                trial[idx] = real
        if sum(trial) < width or cols == 1:
            chosen, widths = cols, trial
            break
    rows = -(-n // chosen)
    lines = []
    for r in range(rows):
        cells: list[str] = []
        k, col, pos = r, 0, 0
        while True:
            name = names[k]
            cells.append(name)
            w = widths[col]
            col += 1
            k += rows
            if k >= n:
                break
            cells.append(_indent(pos + len(name), pos + w, tabs))
            pos += w
        lines.append("".join(cells))
    return lines


def _indent(start: int, end: int, tabs: bool) -> str:
    """GNU ls's ``indent``: tabs (every 8 columns) where they fit, then spaces."""
    out: list[str] = []
    while start < end:
        if tabs and end // 8 > (start + 1) // 8:
            out.append("\t")
            start += 8 - start % 8
        else:
            out.append(" ")
            start += 1
    return "".join(out)


def ls(t: Tool, args: list[str]) -> int:
    try:
        opts, operands = getopt(args, "aAl1dhrtSFRC", {
            "all": "a", "almost-all": "A", "human-readable": "h", "reverse": "r",
            "directory": "d", "color": None, "color=": "Z", "classify": "F"})
    except OptError as e:
        return t.usage_error(e, status=2 if t.gnu else 1)
    flags = {o for o, _ in opts}
    fs = t.ctx.fs
    status = 0
    files: list[str] = []
    dirs: list[str] = []
    for name in operands or ["."]:
        path = t.path(name)
        if not fs.exists(path):
            if t.gnu:
                t.err(f"cannot access {quote_sq(name)}: No such file or directory")
                status = 2
            else:
                t.err(f"{name}: No such file or directory")
                status = 1
            continue
        if fs.is_dir(path) and "d" not in flags:
            dirs.append(name)
        else:
            files.append(name)
    long = "l" in flags
    columns = t.ctx.env.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and int(columns) > 0 else 80
    one = "1" in flags or (not t.ctx.tty and "C" not in flags)
    owner = t.ctx.env.get("USER", "root")

    def sort_names(names: list[str], base: str) -> list[str]:
        if "t" in flags:
            keyed = sorted(names, key=lambda x: (-_mtime(t, normpath(x, base)), x))
        elif "S" in flags:
            keyed = sorted(names, key=lambda x: (-_size(t, normpath(x, base)), x))
        else:
            keyed = sorted(names)
        return keyed[::-1] if "r" in flags else keyed

    def render(names: list[str], base: str) -> list[str]:
        if not long:
            shown = [n + ("/" if "F" in flags and fs.is_dir(normpath(n, base)) else "")
                     for n in names]
            return shown if one else _columns(shown, width, t.gnu)
        rows = []
        for n in names:
            path = normpath(n, base)
            is_dir = fs.is_dir(path)
            size = _size(t, path)
            mode = "drwxr-xr-x" if is_dir else "-rw-r--r--"
            links = 2 + sum(1 for c in fs.listdir(path) if fs.is_dir(posixpath.join(path, c))
                            ) if is_dir else 1
            when = to_datetime(_mtime(t, path))
            recent = abs(t.ctx.now - _mtime(t, path)) < 183 * 86400 * SECOND
            stamp = (f"{when:%b} {when.day:2d} {when:%H:%M}" if recent
                     else f"{when:%b} {when.day:2d}  {when.year}")
            rows.append((mode, str(links), owner, owner,
                         _human(size) if "h" in flags else str(size), stamp, n))
        if not rows:
            return []
        lw = max(len(r[1]) for r in rows)
        ow = max(len(r[2]) for r in rows)
        sw = max(len(r[4]) for r in rows)
        if t.gnu:
            return [f"{m} {lk.rjust(lw)} {o.ljust(ow)} {g.ljust(ow)} {s.rjust(sw)} {d} {n}"
                    for m, lk, o, g, s, d, n in rows]
        return [f"{m} {lk.rjust(4)} {o:<8} {g:<8} {s.rjust(9)} {d} {n}"
                for m, lk, o, g, s, d, n in rows]

    out: list[str] = []
    out.extend(render(sort_names(files, t.ctx.cwd), t.ctx.cwd))
    multi = len(files) + len(dirs) > 1
    for k, name in enumerate(sort_names(dirs, t.ctx.cwd)):
        path = t.path(name)
        entries = fs.listdir(path)
        if "a" in flags:
            entries = [".", "..", *entries]
        elif "A" not in flags:
            entries = [e for e in entries if not e.startswith(".")]
        if out or k:
            out.append("")
        if multi:
            out.append(f"{name}:")
        if long:
            blocks = sum(-(-_size(t, normpath(e, path)) // 4096) * 4 for e in entries)
            out.append(f"total {blocks}")
        out.extend(render(sort_names(entries, path), path))
    if out:
        t.out("\n".join(out) + "\n")
    return status


# ---------------------------------------------------------------------- head / tail


def _count_arg(args: list[str]) -> list[str]:
    """``head -5`` and ``tail -20``/``tail +3`` are old spellings of ``-n``."""
    out = []
    for k, a in enumerate(args):
        if k == 0 and len(a) > 1 and a[0] in "-+" and a[1:].isdigit():
            out.extend(["-n", a if a[0] == "+" else a[1:]])
        elif k == 0 and len(a) > 2 and a[0] == "-" and a[1:-1].isdigit() and a[-1] == "f":
            out.extend(["-n", a[1:-1], "-f"])
        else:
            out.append(a)
    return out


def _parse_count(t: Tool, value: str, what: str) -> tuple[int, bool] | None:
    """(count, from_start) for ``tail -n +N``; (count, negative) for ``head -n -N``."""
    sign = value[:1]
    body = value[1:] if sign in "+-" else value
    mult = 1
    suffixes = {"b": 512, "k": 1024, "K": 1024, "M": 1024**2, "G": 1024**3}
    if body and body[-1] in suffixes:
        mult = suffixes[body[-1]]
        body = body[:-1]
    if not body.isdigit():
        if t.gnu:
            t.err(f"invalid number of {what}: {quote_gnu(value)}")
        else:
            t.err(f"invalid number '{value}'")
        return None
    return int(body) * mult, sign in "+-" and (sign == "+" if t.name == "tail" else sign == "-")


def head(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(_count_arg(args), "n:c:qv", {"lines=": "n", "bytes=": "c",
                                                          "quiet": "q", "silent": "q",
                                                          "verbose": "v"})
    except OptError as e:
        return t.usage_error(e)
    count, negative, by_bytes = 10, False, False
    quiet = verbose = False
    for o, v in opts:
        if o in "nc":
            parsed = _parse_count(t, v, "lines" if o == "n" else "bytes")
            if parsed is None:
                return 1
            count, negative = parsed
            by_bytes = o == "c"
        elif o == "q":
            quiet = True
        elif o == "v":
            verbose = True
    files = files or ["-"]
    show = (len(files) > 1 and not quiet) or verbose
    status = 0
    first = True
    for name in files:
        text = t.open_text(name, "reading")
        if text is None:
            status = 1
            continue
        if show:
            t.out(("" if first else "\n") + f"==> {'standard input' if name == '-' else name}"
                  " <==\n")
        first = False
        if by_bytes:
            data = text.encode()
            chunk = data[:-count] if negative else data[:count]
            t.out(chunk.decode("utf-8", "replace"))
            continue
        lines = text.splitlines(keepends=True)
        if negative:
            chosen = lines[:-count] if count else lines
        else:
            chosen = lines[:count]
        t.out("".join(chosen))
    return status


def tail(t: Tool, args: list[str]) -> Gen:
    try:
        opts, files = getopt(_count_arg(args), "n:c:fFqvs:", {
            "lines=": "n", "bytes=": "c", "follow": "f", "follow=": "f", "retry": "R",
            "quiet": "q", "silent": "q", "verbose": "v", "sleep-interval=": "s", "pid=": "p"})
    except OptError as e:
        return t.usage_error(e)
    count, from_start, by_bytes = 10, False, False
    follow = quiet = verbose = False
    interval = SECOND
    for o, v in opts:
        if o in "nc":
            parsed = _parse_count(t, v, "lines" if o == "n" else "bytes")
            if parsed is None:
                return 1
            count, from_start = parsed
            by_bytes = o == "c"
        elif o in "fF":
            follow = True
        elif o == "q":
            quiet = True
        elif o == "v":
            verbose = True
        elif o == "s":
            try:
                interval = max(1, round(float(v) * SECOND))
            except ValueError:
                t.err(f"invalid number of seconds: {quote_gnu(v)}")
                return 1
    files = files or ["-"]
    show = (len(files) > 1 and not quiet) or verbose
    status = 0
    sizes: dict[str, int] = {}
    last_shown = None
    for k, name in enumerate(files):
        text = t.open_text(name, "reading")
        if text is None:
            status = 1
            continue
        if show:
            t.out(("\n" if k else "") + f"==> {'standard input' if name == '-' else name} <==\n")
            last_shown = name
        sizes[name] = len(text.encode())
        if by_bytes:
            data = text.encode()
            chunk = data[count - 1:] if from_start else (data[-count:] if count else b"")
            t.out(chunk.decode("utf-8", "replace"))
            continue
        lines = text.splitlines(keepends=True)
        chosen = lines[max(count - 1, 0):] if from_start else (lines[-count:] if count else [])
        t.out("".join(chosen))
    followed = [n for n in files if n != "-" and n in sizes]
    if not follow or not followed:
        return status
    if all(n in ("/dev/null",) for n in followed):
        if not (yield from bounded_sleep(t.ctx, 10**18)):
            return 130
        return status
    while True:
        # tail -f never ends on its own: it stops at the lab's Ctrl-C deadline.
        if not (yield from bounded_sleep(t.ctx, interval)):
            return 130
        for name in followed:
            try:
                data = t.read_bytes(name)
            except FSError:
                continue
            old = sizes[name]
            if len(data) < old:
                t.ctx.stderr.write(f"tail: {name}: file truncated\n")
                old = 0
            if len(data) > old:
                if show and last_shown != name:
                    t.out(f"\n==> {name} <==\n")
                    last_shown = name
                t.out(data[old:].decode("utf-8", "replace"))
            sizes[name] = len(data)


# ---------------------------------------------------------------------- wc


def wc(t: Tool, args: list[str]) -> int:
    try:
        opts, files = getopt(args, "lwcmL", {"lines": "l", "words": "w", "bytes": "c",
                                            "chars": "m", "max-line-length": "L"})
    except OptError as e:
        return t.usage_error(e)
    which = [o for o, _ in opts]
    order = [c for c in "lwmcL" if c in which] or ["l", "w", "c"]
    rows: list[tuple[list[int], str]] = []
    status = 0
    regular_total = 0
    all_regular = True
    for name in files or ["-"]:
        if name == "-":
            text = t.ctx.stdin
            all_regular = False
        else:
            if t.ctx.fs.is_dir(t.path(name)):
                t.err(f"{quotef(name)}: Is a directory" if t.gnu else f"{name}: Is a directory")
                rows.append(([0] * len(order), name))
                status = 1
                continue
            maybe = t.open_text(name)
            if maybe is None:
                status = 1
                continue
            text = maybe
            regular_total += len(text.encode())
        counts = {
            "l": text.count("\n"),
            "w": len(text.split()),
            "c": len(text.encode()),
            "m": len(text),
            "L": max((len(x.expandtabs()) for x in text.split("\n")), default=0),
        }
        rows.append(([counts[c] for c in order], "" if name == "-" and not files else name))
    if len(rows) > 1:
        totals = [sum(r[0][i] for r in rows) for i in range(len(order))]
        rows.append((totals, "total"))
    if t.gnu:
        if len(order) == 1 and len(files) <= 1:
            width = 1
        else:
            width = max(1, len(str(regular_total)))
            if not all_regular:
                width = max(width, 7)
        for counts, label in rows:
            t.out(" ".join(str(c).rjust(width) for c in counts) + (f" {label}" if label else "")
                  + "\n")
    else:
        for counts, label in rows:
            if len(order) == 1 and not label:
                t.out(f"{counts[0]}\n")
            else:
                t.out(" ".join(f"{c:9d}" for c in counts) + (f" {label}" if label else "")
                      + "\n")
    return status


FILES = {
    "cat": cat,
    "tee": tee,
    "touch": touch,
    "rm": rm,
    "mkdir": mkdir,
    "ls": ls,
    "head": head,
    "tail": tail,
    "wc": wc,
}
