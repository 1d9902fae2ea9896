"""Command-line flags exactly as ``github.com/spf13/pflag`` parses them for kubectl.

What the learner types is parsed with pflag's rules (``flag.go`` ``parseArgs``,
``parseLongArg``, ``parseSingleShortArg``): flags may appear anywhere between the arguments
(interspersed), ``--flag=value``, ``--flag value``, ``-n ns``, ``-nns``, ``-n=ns``, ``-oyaml``,
grouped boolean shorthands (``-it``), optional values (``--dry-run`` alone means
``--dry-run=unchanged``, pflag's ``NoOptDefVal``) and ``--`` ending the flags. Errors carry
pflag's texts (``unknown flag: --foo``, ``unknown shorthand flag: 'x' in -x``,
``flag needs an argument: 'n' in -n``, ``invalid argument "abc" for "--replicas" flag:
strconv.ParseInt: parsing "abc": invalid syntax``), and deprecated flags print pflag's notice.

Value types follow pflag's ``Value.Set`` implementations: Go's ``strconv.ParseBool``,
``strconv.ParseInt(s, 0, 64)`` (so ``0x10`` is 16), ``time.ParseDuration``, comma-separated
``StringSlice`` (``encoding/csv``) and verbatim ``StringArray``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Flag",
    "FlagError",
    "FlagSet",
    "HelpRequested",
    "go_quote",
    "parse_bool",
    "parse_duration",
]


class FlagError(Exception):
    """A pflag parse failure; cobra hands it to kubectl's flag error function."""


class HelpRequested(Exception):
    """``--help``/``-h`` was given (pflag's ``ErrHelp``)."""


def go_quote(text: str) -> str:
    """Go's ``strconv.Quote`` (``%q``): double quotes, Go escapes, printable runes kept."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\a\b\f\n\r\t\v":
            out.append({"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r",
                        "\t": "\\t", "\v": "\\v"}[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif 0x80 <= code < 0xA0 or ch in "\u2028\u2029\ufeff":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def go_quote_rune(ch: str) -> str:
    """Go's ``%q`` of a byte/rune: ``'x'``."""
    if ch == "'":
        return "'\\''"
    return "'" + go_quote(ch)[1:-1].replace('\\"', '"') + "'"


_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``."""
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"strconv.ParseBool: parsing {go_quote(text)}: invalid syntax")


def parse_int(text: str, bits: int = 64) -> int:
    """``strconv.ParseInt(s, 0, bits)``: base prefixes 0x, 0o, 0b and leading-0 octal."""
    s = text
    sign = 1
    body = s
    if body[:1] in "+-" and body:
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    value: int | None = None
    try:
        if "_" in body:
            # Base 0 allows underscores only between digits after a prefix or digit.
            if not re.fullmatch(r"(0[xX]|0[oO]|0[bB]|0)?[0-9a-fA-F]+(_[0-9a-fA-F]+)*", body):
                raise ValueError
            body_clean = body.replace("_", "")
        else:
            body_clean = body
        low = body_clean.lower()
        if low.startswith("0x") and len(low) > 2:
            value = int(low[2:], 16)
        elif low.startswith("0o") and len(low) > 2:
            value = int(low[2:], 8)
        elif low.startswith("0b") and len(low) > 2:
            value = int(low[2:], 2)
        elif low.startswith("0") and len(low) > 1:
            value = int(low[1:], 8)
        elif low and low.isdigit():
            value = int(low, 10)
    except ValueError:
        value = None
    if value is None:
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: invalid syntax")
    value *= sign
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if not lo <= value <= hi:
        raise ValueError(f"strconv.ParseInt: parsing {go_quote(text)}: value out of range")
    return value


_UNITS = {"ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000,
          "s": 1_000_000_000, "m": 60_000_000_000, "h": 3_600_000_000_000}
_DUR_PART = re.compile(r"([0-9]*(?:\.[0-9]*)?)([^0-9.]*)")


def _go_dur_quote(text: str) -> str:
    return '"' + text + '"'


def parse_duration(text: str) -> int:
    """``time.ParseDuration`` → nanoseconds, with Go's error texts."""
    orig = text
    s = text
    neg = False
    if s[:1] in "+-":
        neg = s[0] == "-"
        s = s[1:]
    if s == "0":
        return 0
    if not s:
        raise ValueError(f"time: invalid duration {_go_dur_quote(orig)}")
    total = 0.0
    while s:
        m = re.match(r"([0-9]*)(\.[0-9]*)?", s)
        assert m is not None
        whole, frac = m.group(1), m.group(2) or ""
        if not whole and len(frac) <= 1:
            raise ValueError(f"time: invalid duration {_go_dur_quote(orig)}")
        s = s[m.end():]
        u = re.match(r"[^0-9.]*", s)
        assert u is not None
        unit = u.group(0)
        if not unit:
            raise ValueError(f"time: missing unit in duration {_go_dur_quote(orig)}")
        if unit not in _UNITS:
            raise ValueError(
                f"time: unknown unit {_go_dur_quote(unit)} in duration {_go_dur_quote(orig)}"
            )
        s = s[len(unit):]
        number = float((whole or "0") + (frac if frac != "." else ""))
        total += number * _UNITS[unit]
    ns = round(total)
    return -ns if neg else ns


def format_duration(ns: int) -> str:
    from ...sim.timefmt import go_duration

    return go_duration(ns)


@dataclass
class Flag:
    """One flag definition: pflag's ``Flag`` plus the kind of ``Value`` behind it."""

    name: str
    kind: str  # bool, string, int, int32, int64, duration, stringSlice, stringArray, float
    default: Any
    shorthand: str = ""
    no_opt_default: str = ""
    deprecated: str = ""
    hidden: bool = False
    required: bool = False

    def __post_init__(self) -> None:
        if self.kind == "bool" and not self.no_opt_default:
            self.no_opt_default = "true"

    @property
    def display(self) -> str:
        """How pflag names the flag in ``invalid argument`` errors."""
        if self.shorthand:
            return f"-{self.shorthand}, --{self.name}"
        return f"--{self.name}"

    def convert(self, text: str, current: Any, changed: bool) -> Any:
        kind = self.kind
        if kind == "bool":
            return parse_bool(text)
        if kind in ("int", "int64"):
            return parse_int(text, 64)
        if kind == "int32":
            return parse_int(text, 32)
        if kind == "float":
            try:
                return float(text)
            except ValueError:
                raise ValueError(
                    f"strconv.ParseFloat: parsing {go_quote(text)}: invalid syntax"
                ) from None
        if kind == "duration":
            return parse_duration(text)
        if kind == "stringSlice":
            values = _read_csv(text)
            return values if not changed else [*current, *values]
        if kind == "stringArray":
            return [text] if not changed else [*current, text]
        return text


def _read_csv(text: str) -> list[str]:
    if text == "":
        return []
    if '"' not in text:
        return text.split(",")
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise ValueError(f"parse error on line 1: {exc}") from None
    return rows[0] if rows else []


@dataclass
class FlagSet:
    """The flags of one command (its own plus the inherited persistent ones) and a parse."""

    flags: dict[str, Flag] = field(default_factory=dict)
    values: dict[str, Any] = field(default_factory=dict)
    changed: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    args_len_at_dash: int = -1
    # (flag, raw value) in the order they were given, for --record's change-cause.
    given: list[tuple[Flag, str]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    def add(self, flag: Flag) -> None:
        self.flags[flag.name] = flag
        self.values[flag.name] = flag.default

    def shorthand(self, char: str) -> Flag | None:
        for flag in self.flags.values():
            if flag.shorthand == char:
                return flag
        return None

    def lookup(self, name: str) -> Flag | None:
        return self.flags.get(name)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def is_changed(self, name: str) -> bool:
        return name in self.changed

    # ---------------------------------------------------------------- parsing

    def _set(self, flag: Flag, value: str) -> None:
        changed = flag.name in self.changed
        try:
            self.values[flag.name] = flag.convert(value, self.values[flag.name], changed)
        except ValueError as exc:
            display = flag.display
            raise FlagError(
                f"invalid argument {go_quote(value)} for {go_quote(display)} flag: {exc}"
            ) from None
        if not changed:
            self.changed.append(flag.name)
        self.given.append((flag, value))
        if flag.deprecated:
            self.notices.append(f"Flag --{flag.name} has been deprecated, {flag.deprecated}\n")

    def parse(self, argv: list[str], on_notice: Callable[[str], None] | None = None) -> None:
        """pflag ``FlagSet.Parse`` with interspersed arguments."""
        args = list(argv)
        try:
            while args:
                s = args.pop(0)
                if len(s) == 0 or s[0] != "-" or len(s) == 1:
                    self.args.append(s)
                    continue
                if s[1] == "-":
                    if len(s) == 2:
                        self.args_len_at_dash = len(self.args)
                        self.args.extend(args)
                        break
                    args = self._parse_long(s, args)
                else:
                    args = self._parse_short(s, args)
        finally:
            if on_notice is not None:
                for notice in self.notices:
                    on_notice(notice)
                self.notices.clear()

    def _parse_long(self, s: str, args: list[str]) -> list[str]:
        name = s[2:]
        if not name or name[0] in "-=":
            raise FlagError(f"bad flag syntax: {s}")
        split = name.split("=", 1)
        name = split[0]
        flag = self.flags.get(name)
        if flag is None:
            if name == "help":
                raise HelpRequested()
            raise FlagError(f"unknown flag: --{name}")
        if len(split) == 2:
            value = split[1]
        elif flag.no_opt_default:
            value = flag.no_opt_default
        elif args:
            value = args.pop(0)
        else:
            raise FlagError(f"flag needs an argument: {s}")
        self._set(flag, value)
        return args

    def _parse_short(self, s: str, args: list[str]) -> list[str]:
        shorthands = s[1:]
        rest = args
        while shorthands:
            shorthands, rest = self._parse_single_short(shorthands, args, rest)
        return rest

    def _parse_single_short(
        self, shorthands: str, args: list[str], rest: list[str]
    ) -> tuple[str, list[str]]:
        # pflag passes the original ``args`` to every shorthand of a group; the last one to
        # consume a following argument decides what remains.
        out_shorts = shorthands[1:]
        c = shorthands[0]
        flag = self.shorthand(c)
        if flag is None:
            if c == "h":
                raise HelpRequested()
            raise FlagError(f"unknown shorthand flag: {go_quote_rune(c)} in -{shorthands}")
        if len(shorthands) > 2 and shorthands[1] == "=":
            value = shorthands[2:]
            out_shorts = ""
        elif flag.no_opt_default:
            value = flag.no_opt_default
        elif len(shorthands) > 1:
            value = shorthands[1:]
            out_shorts = ""
        elif args:
            value = args[0]
            rest = args[1:]
        else:
            raise FlagError(f"flag needs an argument: {go_quote_rune(c)} in -{shorthands}")
        self._set(flag, value)
        return out_shorts, rest


def takes_value(flags: dict[str, Flag], token: str) -> bool:
    """cobra's ``stripFlags`` test: does ``token`` (a flag without ``=``) eat the next arg?"""
    if "=" in token:
        return False
    if token.startswith("--"):
        flag = flags.get(token[2:])
        return not (flag is not None and flag.no_opt_default)
    if token.startswith("-") and len(token) == 2:
        for flag in flags.values():
            if flag.shorthand == token[1]:
                return not flag.no_opt_default
        return True
    return False
