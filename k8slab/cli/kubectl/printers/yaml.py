"""``kubectl … -o yaml``: YAML exactly as ``sigs.k8s.io/yaml`` writes it.

kubectl's YAML printer marshals the object to JSON and converts that JSON to YAML
(``sigs.k8s.io/yaml.JSONToYAML``): the JSON is read back with go-yaml v2 (so numbers become
``int``/``float64``, strings stay strings) and written with go-yaml v2's encoder. Everything a
learner sees — key order, quoting, ``|-`` blocks, lines folded at 80 columns — comes from that
encoder, which this module ports:

- ``encode.go``: map keys sorted with go-yaml's ``keyList`` order (runs of digits compare as
  numbers, letters sort after other characters); a string that would read back as something else
  (``"80"``, ``"true"``, ``"yes"``, ``"1e3"``, ``""``, ``"null"``, a timestamp like
  ``"2026-06-01T08:00:00Z"``, a base-60 float like ``"1:20"``) is double-quoted; a string with a
  newline asks for a literal block;
- ``resolve.go``: which plain scalars resolve to bool/int/float/null/timestamp;
- ``emitterc.go``: ``analyze_scalar``, ``select_scalar_style``, the block sequence that is not
  indented under its key, ``write_plain/single_quoted/double_quoted/literal_scalar`` with their
  folding at ``best_width`` 80 and escapes.

Interface: ``to_yaml(obj) -> str``. The object is never mutated.
"""

from __future__ import annotations

import math
import re
from functools import cmp_to_key, lru_cache
from typing import Any

from .gofmt import g_float, json_float

__all__ = ["to_yaml"]

_BEST_INDENT = 2
_BEST_WIDTH = 80

# Scalars with no indicator, space, break or special character (most of Kubernetes' values).
_SIMPLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/=+-]*\Z").match
_LETTERS = re.compile(r"[A-Za-z]+\Z").match
# Printable ASCII without space, quote or backslash: nothing to escape or fold in "…".
_DQ_PLAIN = re.compile(r'[!#-\[\]-~]+\Z').match
_SPACE_OR_BREAK = re.compile("[ \r\n\x85\u2028\u2029]").search

_PLAIN, _SINGLE, _DOUBLE, _LITERAL = "plain", "single", "double", "literal"

# ----------------------------------------------------------------------------- resolve.go

_RESOLVE_MAP = {
    **dict.fromkeys(["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
                     "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"],
                    "bool"),
    **dict.fromkeys(["", "~", "null", "Null", "NULL"], "null"),
    **dict.fromkeys([".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF",
                     "-.inf", "-.Inf", "-.INF"], "float"),
}
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT = re.compile(r"^\.[0-9]+([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
# go-yaml's allowedTimestampFormats (Go time.Parse layouts) as patterns; ranges checked below.
_TIMESTAMPS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})([.,]\d+)?"
               r"(Z|[+-]\d{2}:\d{2})$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2}) (\d{1,2}):(\d{1,2}):(\d{1,2})([.,]\d+)?$"),
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
)
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _is_timestamp(s: str) -> bool:
    """go-yaml ``parseTimestamp``: ``YYYY-`` then one of the accepted layouts, valid ranges."""
    if len(s) < 5 or not s[:4].isascii() or not s[:4].isdigit() or s[4] != "-":
        return False
    for pattern in _TIMESTAMPS:
        m = pattern.match(s)
        if not m:
            continue
        year, month, day = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if not 1 <= month <= 12:
            continue
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        limit = 29 if month == 2 and leap else (28 if month == 2 else _DAYS[month - 1])
        if not 1 <= day <= limit:
            continue
        if len(m.groups()) > 3 and m.group(4) is not None and (
            int(m.group(4)) > 23 or int(m.group(5)) > 59 or int(m.group(6)) > 59
        ):
            continue
        return True
    return False


def _go_parse_int(s: str) -> bool:
    """``strconv.ParseInt(s, 0, 64)`` or ``strconv.ParseUint(s, 0, 64)`` succeeds."""
    sign = ""
    if s[:1] in ("+", "-"):
        sign, s = s[0], s[1:]
    if not s or not s.isascii():
        return False
    base, body = 10, s
    if len(s) >= 2 and s[0] == "0" and s[1] in "xXoObB":
        base, body = {"x": 16, "o": 8, "b": 2}[s[1].lower()], s[2:]
    elif len(s) >= 2 and s[0] == "0":
        base, body = 8, s[1:]
    if not body or any(c not in "0123456789abcdef"[:base] for c in body.lower()):
        return False
    value = int(body, base)
    if sign == "-":
        return value <= 2**63
    if sign == "+":
        return value < 2**63
    return value < 2**64


def _resolves_to_string(s: str) -> bool:
    """go-yaml v2 ``resolve("", s)`` returns ``!!str`` (resolve.go)."""
    hint = s[:1]
    # Only a first character in go-yaml's resolveTable makes it look anything up.
    if hint and hint not in "+-0123456789yYnNtTfFoO~.":
        return True
    if s in _RESOLVE_MAP:
        return False
    if hint == ".":
        return not _DOT_FLOAT.match(s)
    if hint in ("+", "-") or "0" <= hint <= "9":
        if _is_timestamp(s):
            return False
        plain = s.replace("_", "")
        return not (_go_parse_int(plain) or _YAML_FLOAT.match(plain))
    return True


def _is_base60(s: str) -> bool:
    """``isBase60Float``: still quoted on the way out for YAML 1.1 parsers."""
    if not s or not (s[0] in "+-" or "0" <= s[0] <= "9") or ":" not in s:
        return False
    return bool(_BASE60.match(s))


# ----------------------------------------------------------------------------- sorter.go

def _key_less(a: str, b: str) -> bool:
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdecimal():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdecimal():
            an = an * 10 + ord(ar[ai]) - 48
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdecimal():
            bn = bn * 10 + ord(br[bi]) - 48
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _key_cmp(a: str, b: str) -> int:
    if _key_less(a, b):
        return -1
    if _key_less(b, a):
        return 1
    return 0


# ----------------------------------------------------------------------------- characters

def _is_break(ch: str) -> bool:
    return ch in "\r\n\x85\u2028\u2029"


def _is_blankz(ch: str) -> bool:
    return ch in " \t" or _is_break(ch) or ch == "\x00"


def _is_printable(ch: str) -> bool:
    c = ord(ch)
    if c == 0x0A or 0x20 <= c <= 0x7E:
        return True
    if 0xA0 <= c <= 0xD7FF:
        return True
    if 0xE000 <= c <= 0xFFFD:
        return c != 0xFEFF
    return False


# ----------------------------------------------------------------------------- scalars

class _Scalar:
    __slots__ = ("block_allowed", "block_plain", "flow_plain", "multiline", "single_allowed",
                 "style", "value")

    def __init__(self, value: str, style: str) -> None:
        self.value = value
        self.style = style
        self._analyze()

    def _analyze(self) -> None:
        value = self.value
        if _SIMPLE(value):
            # Nothing analyze_scalar looks for: every style is allowed.
            self.multiline = False
            self.flow_plain = self.block_plain = self.single_allowed = self.block_allowed = True
            return
        if not value:
            self.multiline = False
            self.flow_plain = False
            self.block_plain = True
            self.single_allowed = True
            self.block_allowed = False
            return
        block_ind = flow_ind = line_breaks = special = False
        leading_space = leading_break = trailing_space = trailing_break = False
        break_space = space_break = previous_space = previous_break = False
        if value.startswith("---") or value.startswith("..."):
            block_ind = flow_ind = True
        preceded_by_ws = True
        n = len(value)
        for i, ch in enumerate(value):
            followed_by_ws = i + 1 >= n or value[i + 1] in " \t"
            if i == 0:
                if ch in "#,[]{}&*!|>'\"%@`":
                    flow_ind = block_ind = True
                elif ch in "?:":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif ch == "-" and followed_by_ws:
                    flow_ind = block_ind = True
            else:
                if ch in ",?[]{}":
                    flow_ind = True
                elif ch == ":":
                    flow_ind = True
                    if followed_by_ws:
                        block_ind = True
                elif ch == "#" and preceded_by_ws:
                    flow_ind = block_ind = True
            if not _is_printable(ch):
                special = True
            if ch == " ":
                if i == 0:
                    leading_space = True
                if i == n - 1:
                    trailing_space = True
                if previous_break:
                    break_space = True
                previous_space, previous_break = True, False
            elif _is_break(ch):
                line_breaks = True
                if i == 0:
                    leading_break = True
                if i == n - 1:
                    trailing_break = True
                if previous_space:
                    space_break = True
                previous_space, previous_break = False, True
            else:
                previous_space = previous_break = False
            preceded_by_ws = _is_blankz(ch)
        self.multiline = line_breaks
        flow_plain = block_plain = single = block = True
        if leading_space or leading_break or trailing_space or trailing_break:
            flow_plain = block_plain = False
        if trailing_space:
            block = False
        if break_space:
            flow_plain = block_plain = single = False
        if space_break or special:
            flow_plain = block_plain = single = block = False
        if line_breaks:
            flow_plain = block_plain = False
        if flow_ind:
            flow_plain = False
        if block_ind:
            block_plain = False
        self.flow_plain, self.block_plain = flow_plain, block_plain
        self.single_allowed, self.block_allowed = single, block


def _string_style(s: str) -> str:
    """``encoder.stringv``: the style go-yaml asks the emitter for."""
    if "\n" in s:
        return _LITERAL
    if _resolves_to_string(s) and not _is_base60(s):
        return _PLAIN
    return _DOUBLE


# ----------------------------------------------------------------------------- emitter

class _Emitter:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.indent = -1
        self.indents: list[int] = []
        self.column = 0
        self.whitespace = True
        self.indention = True
        self.flow_level = 0
        self.mapping_context = False
        self.simple_key_context = False

    # -- low level

    def put(self, ch: str) -> None:
        self.out.append(ch)
        self.column += 1

    def put_break(self) -> None:
        self.out.append("\n")
        self.column = 0

    def write(self, ch: str) -> None:
        self.out.append(ch)
        self.column += 1

    def write_all(self, text: str) -> None:
        self.out.append(text)
        self.column += len(text)

    def write_break(self, ch: str) -> None:
        if ch == "\n":
            self.put_break()
        else:
            self.write(ch)
            self.column = 0

    def write_indent(self) -> None:
        indent = max(self.indent, 0)
        if not self.indention or self.column > indent or (
            self.column == indent and not self.whitespace
        ):
            self.put_break()
        if self.column < indent:
            self.out.append(" " * (indent - self.column))
            self.column = indent
        self.whitespace = True
        self.indention = True

    def write_indicator(self, text: str, need_ws: bool, is_ws: bool, is_indention: bool) -> None:
        if need_ws and not self.whitespace:
            self.put(" ")
        self.write_all(text)
        self.whitespace = is_ws
        self.indention = self.indention and is_indention

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _BEST_INDENT if flow else 0
        elif not indentless:
            self.indent += _BEST_INDENT

    def pop_indent(self) -> None:
        self.indent = self.indents.pop()

    # -- nodes

    def node(self, value: Any, *, mapping: bool = False, simple_key: bool = False) -> None:
        self.mapping_context = mapping
        self.simple_key_context = simple_key
        if isinstance(value, dict):
            if self.flow_level > 0 or not value:
                self.flow_collection("{", "}")
            else:
                self.block_mapping(value)
        elif isinstance(value, (list, tuple)):
            if self.flow_level > 0 or not value:
                self.flow_collection("[", "]")
            else:
                self.block_sequence(value)
        else:
            self.scalar(_scalar_for(value))

    def flow_collection(self, open_: str, close: str) -> None:
        # The encoder asks for block style; the emitter switches to flow only for empty
        # collections (check_empty_sequence/mapping), so nothing goes between the brackets.
        self.write_indicator(open_, True, True, False)
        self.write_indicator(close, False, False, False)

    def block_sequence(self, items: list[Any] | tuple[Any, ...]) -> None:
        self.increase_indent(False, self.mapping_context and not self.indention)
        for item in items:
            self.write_indent()
            self.write_indicator("-", True, False, True)
            self.node(item)
        self.pop_indent()

    def block_mapping(self, mapping: dict[Any, Any]) -> None:
        self.increase_indent(False, False)
        names = [str(k) for k in mapping]
        if all(_LETTERS(k) for k in names):
            # For letters only go-yaml's order is plain code point order.
            keys = sorted(names)
        else:
            keys = sorted(names, key=cmp_to_key(_key_cmp))
        lookup = {str(k): k for k in mapping}
        for key in keys:
            self.write_indent()
            key_scalar = _key_scalar(key)
            if not key_scalar.multiline and len(key.encode()) <= 128:
                self.mapping_context, self.simple_key_context = True, True
                self.scalar(key_scalar)
                self.write_indicator(":", False, False, False)
            else:
                self.write_indicator("?", True, False, True)
                self.mapping_context, self.simple_key_context = True, False
                self.scalar(key_scalar)
                self.write_indent()
                self.write_indicator(":", True, False, True)
            self.node(mapping[lookup[key]], mapping=True)
        self.pop_indent()

    # -- scalars

    def scalar(self, sc: _Scalar) -> None:
        style = sc.style
        if self.simple_key_context and sc.multiline:
            style = _DOUBLE
        if style == _PLAIN:
            if (self.flow_level > 0 and not sc.flow_plain) or (
                self.flow_level == 0 and not sc.block_plain
            ):
                style = _SINGLE
            if not sc.value and (self.flow_level > 0 or self.simple_key_context):
                style = _SINGLE
        if style == _SINGLE and not sc.single_allowed:
            style = _DOUBLE
        if style == _LITERAL and (
            not sc.block_allowed or self.flow_level > 0 or self.simple_key_context
        ):
            style = _DOUBLE
        self.increase_indent(True, False)
        allow_breaks = not self.simple_key_context
        if style == _PLAIN:
            self.write_plain(sc.value, allow_breaks)
        elif style == _SINGLE:
            self.write_single(sc.value, allow_breaks)
        elif style == _DOUBLE:
            self.write_double(sc.value, allow_breaks)
        else:
            self.write_literal(sc.value)
        self.pop_indent()

    def write_plain(self, value: str, allow_breaks: bool) -> None:
        if not self.whitespace:
            self.put(" ")
        if not _SPACE_OR_BREAK(value):
            self.out.append(value)
            self.column += len(value)
            self.whitespace = False
            self.indention = False
            return
        spaces = breaks = False
        n = len(value)
        i = 0
        while i < n:
            ch = value[i]
            if ch == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and (
                    i + 1 < n and value[i + 1] != " "
                ):
                    self.write_indent()
                else:
                    self.write(ch)
                spaces = True
            elif _is_break(ch):
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(ch)
                self.indention = False
                spaces = breaks = False
            i += 1
        self.whitespace = False
        self.indention = False

    def write_single(self, value: str, allow_breaks: bool) -> None:
        self.write_indicator("'", True, False, False)
        spaces = breaks = False
        n = len(value)
        for i, ch in enumerate(value):
            if ch == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1 \
                        and value[i + 1] != " ":
                    self.write_indent()
                else:
                    self.write(ch)
                spaces = True
            elif _is_break(ch):
                if not breaks and ch == "\n":
                    self.put_break()
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                if ch == "'":
                    self.put("'")
                self.write(ch)
                self.indention = False
                spaces = breaks = False
        self.write_indicator("'", False, False, False)
        self.whitespace = False
        self.indention = False

    def write_double(self, value: str, allow_breaks: bool) -> None:
        spaces = False
        self.write_indicator('"', True, False, False)
        if _DQ_PLAIN(value):
            self.write_all(value)
            self.write_indicator('"', False, False, False)
            self.whitespace = False
            self.indention = False
            return
        bom = value.startswith("\ufeff")
        n = len(value)
        for i, ch in enumerate(value):
            if not _is_printable(ch) or bom or _is_break(ch) or ch in '"\\':
                self.put("\\")
                code = ord(ch)
                esc = _DQ_ESCAPES.get(code)
                if esc is not None:
                    self.put(esc)
                else:
                    if code <= 0xFF:
                        text = f"x{code:02X}"
                    elif code <= 0xFFFF:
                        text = f"u{code:04X}"
                    else:
                        text = f"U{code:08X}"
                    for c in text:
                        self.put(c)
                spaces = False
            elif ch == " ":
                if allow_breaks and not spaces and self.column > _BEST_WIDTH and 0 < i < n - 1:
                    self.write_indent()
                    if value[i + 1] == " ":
                        self.put("\\")
                else:
                    self.write(ch)
                spaces = True
            else:
                self.write(ch)
                spaces = False
        self.write_indicator('"', False, False, False)
        self.whitespace = False
        self.indention = False

    def write_literal(self, value: str) -> None:
        self.write_indicator("|", True, False, False)
        # block scalar hints
        if value[:1] == " " or _is_break(value[:1] or "x"):
            self.write_indicator(str(_BEST_INDENT), False, False, False)
        chomp = ""
        if not value or not _is_break(value[-1]):
            chomp = "-"
        elif len(value) == 1 or _is_break(value[-2]):
            chomp = "+"
        if chomp:
            self.write_indicator(chomp, False, False, False)
        self.put_break()
        self.indention = True
        self.whitespace = True
        breaks = True
        for ch in value:
            if _is_break(ch):
                self.write_break(ch)
                self.indention = True
                breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.write(ch)
                self.indention = False
                breaks = False


_DQ_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f",
               0x0D: "r", 0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_",
               0x2028: "L", 0x2029: "P"}


@lru_cache(maxsize=4096)
def _key_scalar(key: str) -> _Scalar:
    return _Scalar(key, _string_style(key))


def _scalar_for(value: Any) -> _Scalar:
    """The scalar event go-yaml emits for a JSON value (after the JSON → YAML round trip)."""
    if value is None:
        return _Scalar("null", _PLAIN)
    if value is True:
        return _Scalar("true", _PLAIN)
    if value is False:
        return _Scalar("false", _PLAIN)
    if isinstance(value, int):
        return _Scalar(str(value), _PLAIN)
    if isinstance(value, float):
        # JSON text first, then what go-yaml reads it back as.
        text = json_float(value) if math.isfinite(value) else g_float(value)
        if re.fullmatch(r"-?[0-9]+", text) and _go_parse_int(text):
            return _Scalar(str(int(text)), _PLAIN)
        return _Scalar(g_float(float(text)), _PLAIN)
    text = value if isinstance(value, str) else str(value)
    return _Scalar(text, _string_style(text))


def to_yaml(obj: Any) -> str:
    """``sigs.k8s.io/yaml.Marshal(obj)`` for a JSON-like object."""
    e = _Emitter()
    e.node(obj)
    # document end: break the last line
    e.write_indent()
    return "".join(e.out)
