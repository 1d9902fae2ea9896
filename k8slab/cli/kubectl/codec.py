"""Reading manifests the way kubectl does: YAML/JSON streams → JSON-like objects.

kubectl's ``StreamVisitor`` (``k8s.io/cli-runtime/pkg/resource/visitor.go``) reads a file with
``yaml.NewYAMLOrJSONDecoder`` (``k8s.io/apimachinery/pkg/util/yaml``):

- a stream whose first non-space byte is ``{`` is a sequence of JSON objects;
- otherwise ``YAMLReader`` cuts it into documents at lines starting with ``---`` (only spaces or
  a comment may follow, else ``invalid Yaml document separator: …``), and each document is
  converted by ``sigs.k8s.io/yaml.YAMLToJSON``, i.e. decoded by go-yaml v2 into Go values and
  marshalled to JSON. Line numbers in errors are therefore per document.

go-yaml v2 is a port of libyaml, so PyYAML's libyaml-based ``CSafeLoader`` finds the same syntax
errors with the same problem texts. Only the line number differs: go-yaml's ``parser.fail``
adds one to the (0-based) line of *scanner* errors but not of *parser* errors, and falls back to
the context mark's line when the problem mark is on the first line; that rule is reproduced
here. The values are built from PyYAML's event stream with go-yaml v2's own rules (``resolve.go``
and ``decode.go``), which differ from PyYAML's YAML 1.1 constructors:

- ``y``/``Y``/``n``/``N``/``yes``/``on``/``off``… are booleans (also as keys, which JSON then
  spells ``"true"``/``"false"``), timestamps stay strings, ``1e3`` is a float, base-60 numbers are
  strings, ``0o17``/``0b101``/``0x1F``/``0777`` are integers, ``09`` is the float 9;
- the alias-expansion guard: a document whose decoding is mostly alias expansion fails with
  ``document contains excessive aliasing`` before anything is expanded without bound
  (``allowedAliasRatio``), and an anchor that contains itself fails;
- ``<<`` merge keys are applied in document order, as go-yaml v2 does.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

__all__ = ["DecodeError", "Document", "decode_stream", "go_json"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

STR = "tag:yaml.org,2002:str"
BINARY = "tag:yaml.org,2002:binary"
BOOL = "tag:yaml.org,2002:bool"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MERGE = "tag:yaml.org,2002:merge"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
_RESOLVABLE = {"", STR, BOOL, INT, FLOAT, TIMESTAMP}


class DecodeError(Exception):
    """A document that cannot be decoded; ``message`` is kubectl's text after the source."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Document:
    """One decoded document: its value (dict for an object) and its raw JSON-able form."""

    value: Any


# ------------------------------------------------------------------------- go-yaml resolve

_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _v, _tag, _words in (
    (True, BOOL, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, BOOL, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, NULL, ("", "~", "null", "Null", "NULL")),
    (math.nan, FLOAT, (".nan", ".NaN", ".NAN")),
    (math.inf, FLOAT, (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (-math.inf, FLOAT, ("-.inf", "-.Inf", "-.INF")),
    ("<<", MERGE, ("<<",)),
):
    for _w in _words:
        _RESOLVE_MAP[_w] = (_tag, _v)

_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d{1,9})?"
    r"(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$"
)
_GO_FLOAT = re.compile(
    r"^[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|inf(?:inity)?|nan)$", re.IGNORECASE
)


def _go_parse_int(text: str) -> int | None:
    """``strconv.ParseInt(s, 0, 64)`` on an underscore-free string (None if it fails)."""
    s = text
    sign = 1
    if s[:1] in "+-":
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if not s:
        return None
    try:
        low = s.lower()
        if low.startswith("0x"):
            value = int(low[2:], 16)
        elif low.startswith("0o"):
            value = int(low[2:], 8)
        elif low.startswith("0b"):
            value = int(low[2:], 2)
        elif low.startswith("0") and len(low) > 1:
            value = int(low[1:], 8)
        else:
            if not low.isdigit():
                return None
            value = int(low, 10)
    except ValueError:
        return None
    return sign * value


def _go_parse_float(text: str) -> float | None:
    if not _GO_FLOAT.match(text):
        return None
    try:
        value = float(text)
    except ValueError:
        return None
    if math.isinf(value) and "inf" not in text.lower():
        return None  # out of range: strconv.ParseFloat returns an error
    return value


def _resolve(tag: str, value: str) -> tuple[str, Any]:
    """go-yaml v2 ``resolve``: the tag and Go value of a scalar (explicit ``tag`` checked)."""
    if tag not in _RESOLVABLE:
        return tag, value
    rtag, out = _resolve_plain(tag, value)
    if tag in ("", rtag, STR, BINARY):
        return rtag, out
    if tag == FLOAT and rtag == INT:
        return FLOAT, float(out)
    raise DecodeError(f"yaml: cannot decode {_short(rtag)} `{value}` as a {_short(tag)}")


def _resolve_plain(tag: str, value: str) -> tuple[str, Any]:
    hint = _hint(value)
    if hint and tag not in (STR, BINARY):
        item = _RESOLVE_MAP.get(value)
        if item is not None:
            return item
        if hint == ".":
            f = _go_parse_float(value)
            if f is not None:
                return FLOAT, f
        elif hint in ("D", "S"):
            if tag in ("", TIMESTAMP) and _TIMESTAMP.match(value):
                return TIMESTAMP, value
            plain = value.replace("_", "")
            i = _go_parse_int(plain)
            if i is not None and -(2**63) <= i < 2**64:
                return INT, i
            if _YAML_STYLE_FLOAT.match(plain):
                f = _go_parse_float(plain)
                if f is not None:
                    return FLOAT, f
            if plain.startswith("0b") or plain.startswith("-0b"):
                neg = plain.startswith("-")
                digits = plain[3:] if neg else plain[2:]
                if digits and set(digits) <= {"0", "1"}:
                    return INT, -int(digits, 2) if neg else int(digits, 2)
    return STR, value


def _hint(value: str) -> str:
    if not value:
        return "N"
    c = value[0]
    if c in "+-":
        return "S"
    if c.isdigit() and c.isascii():
        return "D"
    if c in "yYnNtTfFoO~":
        return "M"
    if c == ".":
        return "."
    return ""


def _short(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


# ------------------------------------------------------------------------- the node tree


@dataclass(eq=False)
class _Node:
    kind: str  # scalar, mapping, sequence, alias
    tag: str = ""
    value: str = ""
    implicit: bool = False
    children: list[_Node] = field(default_factory=list)
    alias: _Node | None = None
    anchor: str = ""


def _compose(text: str) -> _Node | None:
    """The first document of ``text`` as go-yaml's parser would build it."""
    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    root: _Node | None = None

    def add(node: _Node) -> None:
        nonlocal root
        if stack:
            stack[-1].children.append(node)
        else:
            root = node

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.ScalarEvent):
            tag = event.tag or ""
            implicit = bool(event.implicit[0]) if not tag else tag == "!"
            node = _Node("scalar", tag, event.value, implicit)
            if event.anchor:
                anchors[event.anchor] = node
            add(node)
        elif isinstance(event, yaml.AliasEvent):
            target = anchors.get(event.anchor)
            if target is None:
                raise DecodeError(f"yaml: unknown anchor '{event.anchor}' referenced")
            add(_Node("alias", value=event.anchor, alias=target))
        elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            kind = "mapping" if isinstance(event, yaml.MappingStartEvent) else "sequence"
            node = _Node(kind, event.tag or "")
            if event.anchor:
                anchors[event.anchor] = node
            add(node)
            stack.append(node)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            stack.pop()
        elif isinstance(event, yaml.DocumentEndEvent):
            break
    return root


# go-yaml v2 decode.go: the alias expansion budget.
_RATIO_LOW = 400_000
_RATIO_HIGH = 4_000_000


def _allowed_alias_ratio(count: int) -> float:
    if count <= _RATIO_LOW:
        return 0.99
    if count >= _RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((count - _RATIO_LOW) / (_RATIO_HIGH - _RATIO_LOW))


class _Decoder:
    """go-yaml v2's ``decoder`` into ``interface{}`` values."""

    def __init__(self) -> None:
        self.count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.active: set[int] = set()

    def unmarshal(self, node: _Node) -> Any:
        self.count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (self.alias_count > 100 and self.count > 1000
                and self.alias_count / self.count > _allowed_alias_ratio(self.count)):
            raise DecodeError("yaml: document contains excessive aliasing")
        if node.kind == "alias":
            return self.alias(node)
        if node.kind == "scalar":
            return self.scalar(node)
        if node.kind == "sequence":
            return [self.unmarshal(child) for child in node.children]
        return self.mapping(node)

    def alias(self, node: _Node) -> Any:
        if id(node) in self.active:
            raise DecodeError(f"yaml: anchor '{node.value}' value contains itself")
        self.active.add(id(node))
        self.alias_depth += 1
        try:
            assert node.alias is not None
            return self.unmarshal(node.alias)
        finally:
            self.alias_depth -= 1
            self.active.discard(id(node))

    def scalar(self, node: _Node) -> Any:
        if not node.tag and not node.implicit:
            return node.value
        tag, value = _resolve(node.tag, node.value)
        if tag == BINARY:
            try:
                data = base64.b64decode(node.value, validate=True)
            except (binascii.Error, ValueError):
                raise DecodeError("yaml: !!binary value contains invalid base64 data") from None
            return data.decode("utf-8", errors="replace")
        if tag == TIMESTAMP:
            # go-yaml v2 keeps timestamp-looking values as strings in interface{} targets.
            return node.value
        return value

    def is_merge(self, node: _Node) -> bool:
        return node.kind == "scalar" and node.value == "<<" and (
            node.implicit or node.tag == MERGE
        )

    def mapping(self, node: _Node) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        children = node.children
        for i in range(0, len(children) - 1, 2):
            key_node, value_node = children[i], children[i + 1]
            if self.is_merge(key_node):
                self.merge(value_node, out)
                continue
            key = self.unmarshal(key_node)
            if isinstance(key, (dict, list)):
                raise DecodeError(f"yaml: invalid map key: {_go_value_repr(key)}")
            out[_HashableKey.wrap(key)] = self.unmarshal(value_node)
        return out

    def merge(self, node: _Node, out: dict[Any, Any]) -> None:
        def want_map() -> DecodeError:
            return DecodeError("yaml: map merge requires map or sequence of maps as the value")

        target = node.alias if node.kind == "alias" else node
        if node.kind in ("mapping", "alias"):
            if target is None or target.kind != "mapping":
                raise want_map()
            out.update(self.unmarshal(node))
            return
        if node.kind == "sequence":
            for child in reversed(node.children):
                inner = child.alias if child.kind == "alias" else child
                if inner is None or inner.kind != "mapping":
                    raise want_map()
                out.update(self.unmarshal(child))
            return
        raise want_map()


class _HashableKey:
    """Keeps Go's distinction between keys ``1`` and ``true`` (Python says 1 == True)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    @staticmethod
    def wrap(value: Any) -> Any:
        if isinstance(value, str):
            return value
        return _HashableKey(value)

    def __hash__(self) -> int:
        return hash((type(self.value).__name__, self.value if not isinstance(
            self.value, float) or not math.isnan(self.value) else "nan"))

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, _HashableKey) and type(other.value) is type(self.value)
                and other.value == self.value)


def _go_value_repr(value: Any) -> str:
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_value_repr(v) for v in value) + "}"
    if isinstance(value, dict):
        return "map[interface {}]interface {}{...}"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


# ------------------------------------------------------------------------- YAMLToJSON


def _format_float_key(value: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 32)``: shortest float32 digits, %e from 1e+06."""
    import struct

    f32 = struct.unpack("f", struct.pack("f", value))[0]
    if f32 == 0:
        return "0"
    for digits in range(1, 10):
        text = f"{f32:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == f32:
            break
    mantissa, _, exp_text = text.partition("e")
    exp = int(exp_text)
    sig = mantissa.replace("-", "").replace(".", "").rstrip("0") or "0"
    neg = "-" if f32 < 0 else ""
    if exp < -4 or exp >= 6:
        body = sig[0] + ("." + sig[1:] if len(sig) > 1 else "")
        return f"{neg}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp >= 0:
        whole = sig[: exp + 1].ljust(exp + 1, "0")
        frac = sig[exp + 1:]
        return neg + whole + ("." + frac if frac else "")
    return neg + "0." + "0" * (-exp - 1) + sig


def _to_json(value: Any) -> Any:
    """sigs.k8s.io/yaml ``convertToJSONableObject`` plus json.Marshal's value rules."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            raw = k.value if isinstance(k, _HashableKey) else k
            if isinstance(raw, str):
                key = raw
            elif isinstance(raw, bool):
                key = "true" if raw else "false"
            elif isinstance(raw, int):
                key = str(raw)
            elif isinstance(raw, float):
                key = _format_float_key(raw)
            elif raw is None:
                raise DecodeError(
                    "unsupported map key of type: %!s(<nil>), key: <nil>, value: "
                    + _go_plain(v)
                )
            else:  # pragma: no cover - go-yaml rejects other key types earlier
                key = str(raw)
            out[key] = _to_json(v)
        return out
    if isinstance(value, list):
        return [_to_json(v) for v in value]
    if isinstance(value, float):
        if math.isnan(value):
            raise DecodeError("json: unsupported value: NaN")
        if math.isinf(value):
            raise DecodeError(f"json: unsupported value: {'+' if value > 0 else '-'}Inf")
        # json.Marshal writes integral floats without a fraction; the apiserver then reads an
        # integer.
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
        return value
    return value


def _go_plain(value: Any) -> str:
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# ------------------------------------------------------------------------- errors


def _yaml_error(exc: yaml.YAMLError) -> str:
    """go-yaml v2's text for a libyaml failure."""
    if isinstance(exc, yaml.reader.ReaderError) or type(exc).__name__ == "ReaderError":
        reason = getattr(exc, "reason", "") or str(exc)
        return "yaml: " + str(reason)
    problem = getattr(exc, "problem", None) or "unknown problem parsing YAML content"
    pmark = getattr(exc, "problem_mark", None)
    cmark = getattr(exc, "context_mark", None)
    scanner = isinstance(exc, yaml.scanner.ScannerError)
    line = 0
    if pmark is not None and pmark.line != 0:
        line = pmark.line + (1 if scanner else 0)
    elif cmark is not None and cmark.line != 0:
        line = cmark.line
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def _reader_check(text: str) -> None:
    """libyaml's reader: control characters are rejected before anything is parsed."""
    for ch in text:
        code = ord(ch)
        if (code < 0x20 and ch not in "\t\n\r") or (0x7F <= code <= 0x84) or (
            0x86 <= code <= 0x9F
        ) or (0xD800 <= code <= 0xDFFF) or code in (0xFFFE, 0xFFFF):
            raise DecodeError("yaml: control characters are not allowed")


def _decode_text(data: bytes) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        if exc.reason == "unexpected end of data":
            raise DecodeError("yaml: incomplete UTF-8 octet sequence") from None
        if 0x80 <= byte < 0xC0 or byte >= 0xF8:
            raise DecodeError("yaml: invalid leading UTF-8 octet") from None
        raise DecodeError("yaml: invalid trailing UTF-8 octet") from None


def yaml_to_json(chunk: bytes) -> Any:
    """``sigs.k8s.io/yaml.YAMLToJSON`` of one document; raises DecodeError with go's text."""
    text = _decode_text(chunk)
    _reader_check(text)
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        raise DecodeError(_yaml_error(exc)) from None
    if node is None:
        return None
    return _to_json(_Decoder().unmarshal(node))


# ------------------------------------------------------------------------- streams


def split_yaml_documents(data: bytes) -> list[bytes]:
    """``YAMLReader.Read`` repeatedly: documents between ``---`` lines."""
    docs: list[bytes] = []
    buffer: list[bytes] = []
    lines = data.splitlines(keepends=True)
    for line in lines:
        if line.startswith(b"---"):
            trimmed = line[3:].strip()
            if trimmed and not trimmed.startswith(b"#"):
                raise DecodeError(
                    "invalid Yaml document separator: " + trimmed.decode("utf-8", "replace")
                )
            if buffer:
                docs.append(b"".join(buffer))
                buffer = []
            continue
        buffer.append(line)
    if buffer:
        docs.append(b"".join(buffer))
    return docs


_JSON_STRUCT_ERRORS = (
    ("Expecting property name enclosed in double quotes",
     "looking for beginning of object key string"),
    ("Expecting value", "looking for beginning of value"),
    ("Expecting ',' delimiter", "after object key:value pair"),
    ("Expecting ':' delimiter", "after object key"),
)


def _json_error(text: str, exc: json.JSONDecodeError) -> str:
    if exc.pos >= len(text.rstrip()):
        return "unexpected EOF"
    ch = text[exc.pos]
    for py, go in _JSON_STRUCT_ERRORS:
        if exc.msg.startswith(py):
            if py == "Expecting ',' delimiter" and _in_array(text, exc.pos):
                go = "after array element"
            return f"invalid character {_go_char(ch)} {go}"
    return f"invalid character {_go_char(ch)} looking for beginning of value"


def _in_array(text: str, pos: int) -> bool:
    depth: list[str] = []
    in_str = False
    esc = False
    for ch in text[:pos]:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            depth.append(ch)
        elif ch in "]}" and depth:
            depth.pop()
    return bool(depth) and depth[-1] == "["


def _go_char(ch: str) -> str:
    if ch == "'":
        return "'\\''"
    if ch == '"':
        return "'\"'"
    return "'" + ch + "'"


def decode_stream(data: bytes) -> list[Any]:
    """All documents of a manifest stream, in order; stops at the first error (raised).

    Documents that are empty or ``null`` are dropped, as the StreamVisitor skips them. The
    caller gets the values decoded before the error through ``DecodeError.partial``.
    """
    values: list[Any] = []
    stripped = data.lstrip(b" \t\r\n")
    try:
        if stripped.startswith(b"{"):
            text = data.decode("utf-8", errors="replace")
            decoder = json.JSONDecoder()
            pos = 0
            while True:
                while pos < len(text) and text[pos] in " \t\r\n":
                    pos += 1
                if pos >= len(text):
                    break
                try:
                    value, pos = decoder.raw_decode(text, pos)
                except json.JSONDecodeError as exc:
                    raise DecodeError(_json_error(text, exc)) from None
                if value is not None:
                    values.append(value)
            return values
        for chunk in split_yaml_documents(data):
            try:
                value = yaml_to_json(chunk)
            except DecodeError as exc:
                if exc.message.startswith("yaml: ") or exc.message.startswith("json: ") or (
                    exc.message.startswith("unsupported map key")
                ):
                    raise DecodeError("error converting YAML to JSON: " + exc.message) from None
                raise
            if value is not None:
                values.append(value)
    except DecodeError as exc:
        exc.partial = values  # type: ignore[attr-defined]
        raise
    return values


# ------------------------------------------------------------------------- Go JSON


def _go_float(value: float) -> str:
    """encoding/json's float64 format (ES6 style: 'f' unless the exponent is extreme)."""
    if value == 0:
        return "0" if math.copysign(1, value) > 0 else "-0"
    a = abs(value)
    if a < 1e-6 or a >= 1e21:
        text = repr(value)
        mantissa, _, exp = text.partition("e")
        sign = exp[0] if exp[0] in "+-" else "+"
        digits = exp.lstrip("+-").lstrip("0") or "0"
        return f"{mantissa}e{sign}{digits}"
    text = repr(value)
    if "e" in text:
        text = f"{value:f}".rstrip("0").rstrip(".")
    if text.endswith(".0"):
        text = text[:-2]
    return text


def go_json(value: Any) -> str:
    """``json.Marshal``: compact, map keys sorted, HTML characters escaped."""
    if isinstance(value, dict):
        items = sorted(value.items())
        return "{" + ",".join(f"{go_json(str(k))}:{go_json(v)}" for k, v in items) + "}"
    if isinstance(value, list):
        return "[" + ",".join(go_json(v) for v in value) + "]"
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _go_float(value)
    text = json.dumps(str(value), ensure_ascii=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
