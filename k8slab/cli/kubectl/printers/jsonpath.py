"""``kubectl … -o jsonpath=…``: a port of ``k8s.io/client-go/util/jsonpath``.

The template language is client-go's, not JSONPath's RFC: text outside ``{…}`` is copied,
actions select values (``{.metadata.name}``, ``{.items[*].spec.nodeName}``, ``{..image}``,
``{.items[0:2]}``, ``{.items[?(@.status.phase=="Running")].metadata.name}``, unions
``[0,2]``, ``['key.with.dots']``) and ``{range …}…{end}`` loops. Printing follows client-go:
several results of one action are separated by a space; maps and lists print as compact JSON;
strings raw; numbers as Go's ``%v`` (``1e+06``); ``null`` for JSON null.

Modules ported: ``parser.go`` (same error messages: ``unclosed action``,
``unrecognized character in action: U+002C ','``…), ``jsonpath.go`` (``FindResults`` with the
range fast-forward of newer client-go, ``evalArray`` with negative indexes and steps,
``evalFilter`` with ``template.Equal/Less`` type rules), ``node.go``, and the kubectl wrapper
``k8s.io/cli-runtime/pkg/printers/jsonpath.go`` (error text, missing keys allowed unless
``--allow-missing-template-keys=false``, ``jsonpath-as-json``).

Interface::

    printer = JSONPathPrinter(template, allow_missing_keys=True, as_json=False)  # PrinterError
    text = printer.print(obj)                                                     # PrinterError

``obj`` is what kubectl hands the engine: one object, or for several the ``List`` map
``{"apiVersion": "v1", "items": [...], "kind": "List", "metadata": {"resourceVersion": ""}}``.

Known difference: Go iterates maps in random order for ``.*`` and ``..``; here keys are sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import PrinterError
from .gofmt import gosyntax, quote, sprint
from .json import compact, to_json

__all__ = ["JSONPathPrinter", "parse"]


class _ParseError(Exception):
    pass


class _ExecError(Exception):
    pass


# ------------------------------------------------------------------------------ nodes (node.go)

@dataclass
class ListNode:
    nodes: list[Any] = field(default_factory=list)


@dataclass
class TextNode:
    text: str


@dataclass
class FieldNode:
    value: str


@dataclass
class IdentifierNode:
    name: str


@dataclass
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass
class ArrayNode:
    params: list[Param]


@dataclass
class FilterNode:
    left: ListNode
    right: ListNode
    operator: str


@dataclass
class IntNode:
    value: int


@dataclass
class FloatNode:
    value: float


@dataclass
class BoolNode:
    value: bool


@dataclass
class WildcardNode:
    pass


@dataclass
class RecursiveNode:
    pass


@dataclass
class UnionNode:
    nodes: list[ListNode]


# ------------------------------------------------------------------------------ parser.go

_EOF = ""
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")


def _is_terminator(r: str) -> bool:
    return r in (_EOF, " ", "\t", "\r", "\n", ".", ",", "[", "]", "$", "@", "{", "}")


def _is_alnum(r: str) -> bool:
    return r == "_" or (r != "" and (r.isalpha() or r.isdecimal()))


def _go_unicode(r: str) -> str:
    """``fmt.Sprintf("%#U", r)``."""
    code = ord(r)
    text = f"U+{code:04X}"
    return f"{text} '{r}'" if r.isprintable() else text


class _Parser:
    def __init__(self, name: str) -> None:
        self.name = name
        self.root = ListNode()
        self.input = ""
        self.pos = 0
        self.start = 0
        self.width = 0

    def parse(self, text: str) -> None:
        self.input = text
        self.root = ListNode()
        self.pos = 0
        self._parse_text(self.root)

    def _consume(self) -> str:
        value = self.input[self.start:self.pos]
        self.start = self.pos
        return value

    def _next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        r = self.input[self.pos]
        self.width = 1
        self.pos += 1
        return r

    def _peek(self) -> str:
        r = self._next()
        self._backup()
        return r

    def _backup(self) -> None:
        self.pos -= self.width

    def _parse_text(self, cur: ListNode) -> None:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(TextNode(self._consume()))
                self._parse_left_delim(cur)
                return
            if self._next() == _EOF:
                break
        if self.pos > self.start:
            cur.nodes.append(TextNode(self._consume()))

    def _parse_left_delim(self, cur: ListNode) -> None:
        self.pos += 1
        self._consume()
        node = ListNode()
        cur.nodes.append(node)
        self._parse_inside_action(node)

    def _parse_inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos:]
            if rest.startswith("}"):
                self.pos += 1
                self._consume()
                self._parse_text(self.root)
                return
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self.pos += 2
                self._consume()
                cur.nodes.append(RecursiveNode())
                if _is_alnum(self._peek()):
                    self._parse_field(cur)
                continue
            r = self._next()
            if r == _EOF or r in "\r\n":
                raise _ParseError("unclosed action")
            if r == " " or r in "@$":
                self._consume()
            elif r == "[":
                self._parse_array(cur)
            elif r in "\"'":
                self._parse_quote(cur, r)
            elif r == ".":
                self._parse_field(cur)
            elif r in "+-" or r.isdecimal():
                self._backup()
                self._parse_number(cur)
            elif _is_alnum(r):
                self._backup()
                self._parse_identifier(cur)
            else:
                raise _ParseError(f"unrecognized character in action: {_go_unicode(r)}")

    def _parse_identifier(self, cur: ListNode) -> None:
        while True:
            r = self._next()
            if _is_terminator(r):
                self._backup()
                break
        value = self._consume()
        if value in ("true", "false"):
            cur.nodes.append(BoolNode(value == "true"))
        else:
            cur.nodes.append(IdentifierNode(value))

    def _parse_number(self, cur: ListNode) -> None:
        if self._peek() in ("+", "-"):
            self._next()
        while True:
            r = self._next()
            if r != "." and not (r != "" and r.isdecimal()):
                self._backup()
                break
        value = self._consume()
        if re.fullmatch(r"[+-]?[0-9]+", value):
            cur.nodes.append(IntNode(int(value)))
            return
        try:
            if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
                raise ValueError
            cur.nodes.append(FloatNode(float(value)))
        except ValueError:
            raise _ParseError(f"cannot parse number {value}") from None

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise _ParseError("unterminated array")
            if r == "]":
                break
        text = self._consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = []
            for part in parts:
                union.append(_parse_action("union", f"[{part.strip(' ')}]").root)
            cur.nodes.append(UnionNode(union))
            return
        m = _DICT_KEY.match(text)
        if m:
            sub = _parse_action("arraydict", "." + m.group(1))
            cur.nodes.extend(sub.root.nodes)
            return
        m = _SLICE.match(text)
        if not m:
            raise _ParseError(f"invalid array index {text}")
        groups = [m.group(1) or "", m.group(2) or "", m.group(3) or ""]
        params = [Param(), Param(), Param()]
        for i in range(3):
            value = groups[i]
            if value:
                if i > 0:
                    value = value[1:]
                if i > 0 and value == "":
                    params[i].known = False
                else:
                    try:
                        params[i].value = _atoi(value)
                    except ValueError:
                        raise _ParseError(f"array index {value} is not a number") from None
                    params[i].known = True
            elif i == 1:
                params[i].known = True
                params[i].value = params[0].value + 1
                params[i].derived = True
        cur.nodes.append(ArrayNode(params))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self._consume()
        begin = end = False
        pair = ""
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise _ParseError("unterminated filter")
            if r in "\"'":
                if not begin:
                    begin, pair = True, r
                    continue
                if self.input[self.pos - 2] != "\\" and r == pair:
                    end = True
            elif r == ")" and begin == end:
                break
        if self._next() != "]":
            raise _ParseError("unclosed array expect ]")
        text = self._consume()[:-2]
        m = _FILTER.match(text)
        if m is None:
            sub = _parse_action("text", text)
            cur.nodes.append(FilterNode(sub.root, ListNode(), "exists"))
        else:
            left = _parse_action("left", m.group(1))
            right = _parse_action("right", m.group(3))
            cur.nodes.append(FilterNode(left.root, right.root, m.group(2)))

    def _parse_quote(self, cur: ListNode, end: str) -> None:
        while True:
            r = self._next()
            if r == _EOF or r == "\n":
                raise _ParseError("unterminated quoted string")
            if r == end and self.input[self.pos - 2] != "\\":
                break
        value = self._consume()
        try:
            text = _unquote_extend(value)
        except ValueError as err:
            raise _ParseError(f"unquote string {value} error {err}") from None
        cur.nodes.append(TextNode(text))

    def _parse_field(self, cur: ListNode) -> None:
        self._consume()
        while self._advance():
            pass
        value = self._consume()
        if value == "*":
            cur.nodes.append(WildcardNode())
        else:
            cur.nodes.append(FieldNode(value.replace("\\", "")))

    def _advance(self) -> bool:
        r = self._next()
        if r == "\\":
            self._next()
        elif _is_terminator(r):
            self._backup()
            return False
        return True


def _atoi(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError(text)
    return int(text)


def _parse_action(name: str, text: str) -> _Parser:
    p = _Parser(name)
    p.parse("{" + text + "}")
    p.root = p.root.nodes[0]
    return p


_UNQUOTE_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v",
                   "\\": "\\", "'": "'", '"': '"'}


def _unquote_extend(s: str) -> str:
    """client-go ``UnquoteExtend``: ``strconv.Unquote`` that also takes single quotes."""
    if len(s) < 2 or s[0] != s[-1] or s[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote_ch = s[0]
    body = s[1:-1]
    if "\\" not in body and quote_ch not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        c = body[i]
        if c == quote_ch:
            raise ValueError("invalid syntax")
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("invalid syntax")
        e = body[i + 1]
        i += 2
        if e in _UNQUOTE_SIMPLE:
            if e in "'\"" and e != quote_ch:
                raise ValueError("invalid syntax")
            out.append(_UNQUOTE_SIMPLE[e])
        elif e in "xuU":
            n = {"x": 2, "u": 4, "U": 8}[e]
            digits = body[i:i + n]
            if len(digits) != n or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 16)))
            i += n
        elif e in "01234567":
            digits = body[i - 1:i + 2]
            if len(digits) != 3 or not re.fullmatch(r"[0-7]{3}", digits) or int(digits, 8) > 255:
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 8)))
            i += 2
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


def parse(template: str, name: str = "out") -> ListNode:
    """Parse a template; raises :class:`PrinterError` with the parser's message."""
    p = _Parser(name)
    try:
        p.parse(template)
    except _ParseError as err:
        raise PrinterError(str(err)) from None
    return p.root


# ------------------------------------------------------------------------------ evaluation

_MISSING = object()


def _go_type(value: Any) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, (list, tuple)):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


class _Kind:
    BOOL, INT, FLOAT, STRING = "bool", "int", "float", "string"


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return _Kind.BOOL
    if isinstance(value, int):
        return _Kind.INT
    if isinstance(value, float):
        return _Kind.FLOAT
    if isinstance(value, str):
        return _Kind.STRING
    raise _ExecError("invalid type for comparison")


def _equal(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        raise _ExecError("incompatible types for comparison")
    return bool(a == b)


def _less(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka == _Kind.BOOL or kb == _Kind.BOOL:
        raise _ExecError("invalid type for comparison")
    if ka != kb:
        raise _ExecError("incompatible types for comparison")
    return bool(a < b)


def _compare(op: str, a: Any, b: Any) -> bool:
    if op == "<":
        return _less(a, b)
    if op == ">":
        return not (_less(a, b) or _equal(a, b))
    if op == "==":
        return _equal(a, b)
    if op == "!=":
        return not _equal(a, b)
    if op == "<=":
        return _less(a, b) or _equal(a, b)
    if op == ">=":
        return not _less(a, b)
    raise _ExecError(f"unrecognized filter operator {op}")


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[k] for k in sorted(value)]
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())
    return []


class _Engine:
    def __init__(self, root: ListNode, allow_missing_keys: bool) -> None:
        self.root_nodes = root.nodes
        self.nodes = root.nodes
        self.allow_missing = allow_missing_keys
        self.begin_range = 0
        self.in_range = 0
        self.end_range = 0
        self.last_end_node: Any = None

    def find_results(self, data: Any) -> list[list[Any]]:
        cur = [data]
        nodes = self.nodes
        full: list[list[Any]] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            results = self.walk(cur, node)
            if self.end_range > 0 and self.end_range <= self.in_range:
                self.end_range -= 1
                self.last_end_node = node
                break
            if self.begin_range > 0:
                self.begin_range -= 1
                self.in_range += 1
                if results:
                    for value in results:
                        self.nodes = nodes[i + 1:]
                        full.extend(self.find_results(value))
                else:
                    self.nodes = nodes[i + 1:]
                    self.find_results(None)
                self.in_range -= 1
                for k in range(i + 1, len(nodes)):
                    if nodes[k] is self.last_end_node:
                        i = k
                        break
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def walk(self, value: list[Any], node: Any) -> list[Any]:
        if isinstance(node, ListNode):
            return self.eval_list(value, node)
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, FieldNode):
            return self.eval_field(value, node)
        if isinstance(node, ArrayNode):
            return self.eval_array(value, node)
        if isinstance(node, FilterNode):
            return self.eval_filter(value, node)
        if isinstance(node, (IntNode, FloatNode, BoolNode)):
            return [node.value for _ in value]
        if isinstance(node, WildcardNode):
            out: list[Any] = []
            for v in value:
                if v is not None:
                    out.extend(_children(v))
            return out
        if isinstance(node, RecursiveNode):
            return self.eval_recursive(value)
        if isinstance(node, UnionNode):
            out = []
            for sub in node.nodes:
                out.extend(self.eval_list(value, sub))
            return out
        if isinstance(node, IdentifierNode):
            return self.eval_identifier(value, node)
        raise _ExecError(f"unexpected Node {node}")

    def eval_list(self, value: list[Any], node: ListNode) -> list[Any]:
        cur = value
        for sub in node.nodes:
            cur = self.walk(cur, sub)
        return cur

    def eval_identifier(self, value: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self.begin_range += 1
            return value
        if node.name == "end":
            if self.end_range < self.in_range:
                self.end_range += 1
                return []
            raise _ExecError("not in range, nothing to end")
        raise _ExecError(f"unrecognized identifier {node.name}")

    def eval_field(self, value: list[Any], node: FieldNode) -> list[Any]:
        if not value:
            return []
        out = []
        for v in value:
            if isinstance(v, dict) and node.value in v:
                out.append(v[node.value])
        if not out and not self.allow_missing:
            raise _ExecError(f"{node.value} is not found")
        return out

    def eval_array(self, value: list[Any], node: ArrayNode) -> list[Any]:
        out: list[Any] = []
        for v in value:
            if v is None:
                continue
            if not isinstance(v, (list, tuple)):
                raise _ExecError(f"{_go_type(v)} is not array or slice")
            n = len(v)
            # Go copies the [3]ParamsEntry array for every input.
            params = [Param(p.value, p.known, p.derived) for p in node.params]
            if not params[0].known:
                params[0].value = 0
            if params[0].value < 0:
                params[0].value += n
            if not params[1].known:
                params[1].value = n
            if params[1].value < 0 or (params[1].value == 0 and params[1].derived):
                params[1].value += n
            start, stop = params[0].value, params[1].value
            if stop != start:
                if start >= n or start < 0:
                    raise _ExecError(f"array index out of bounds: index {start}, length {n}")
                if stop > n or stop < 0:
                    raise _ExecError(f"array index out of bounds: index {stop - 1}, length {n}")
                if start > stop:
                    raise _ExecError(
                        f"starting index {start} is greater than ending index {stop}")
            else:
                return out
            step = 1
            if params[2].known:
                if params[2].value <= 0:
                    raise _ExecError("step must be > 0")
                step = params[2].value
            out.extend(v[start:stop:step])
        return out

    def eval_recursive(self, value: list[Any]) -> list[Any]:
        out: list[Any] = []
        for v in value:
            if v is None:
                continue
            children = _children(v)
            if children:
                out.append(v)
                out.extend(self.eval_recursive(children))
        return out

    def eval_filter(self, value: list[Any], node: FilterNode) -> list[Any]:
        out: list[Any] = []
        for v in value:
            if not isinstance(v, (list, tuple)):
                raise _ExecError(f"{sprint(v)} is not array or slice and cannot be filtered")
            for item in v:
                temp = [item]
                if node.operator == "exists":
                    try:
                        lefts = self.eval_list(temp, node.left)
                    except _ExecError:
                        lefts = []
                    if lefts:
                        out.append(item)
                    continue
                lefts = self.eval_list(temp, node.left)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise _ExecError("can only compare one element at a time")
                rights = self.eval_list(temp, node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise _ExecError("can only compare one element at a time")
                if _compare(node.operator, lefts[0], rights[0]):
                    out.append(item)
        return out


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list, tuple)):
        return compact(value)
    return sprint(value)


class JSONPathPrinter:
    """kubectl's ``-o jsonpath`` / ``-o jsonpath-as-json`` printer."""

    def __init__(self, template: str, *, allow_missing_keys: bool = True,
                 as_json: bool = False) -> None:
        self.template = template
        self.allow_missing_keys = allow_missing_keys
        self.as_json = as_json
        try:
            root = _Parser("out")
            root.parse(template)
        except _ParseError as err:
            raise PrinterError(f"error parsing jsonpath {template}, {err}\n") from None
        self._root = root.root

    def print(self, obj: Any) -> str:
        engine = _Engine(self._root, self.allow_missing_keys)
        try:
            results = engine.find_results(obj)
        except _ExecError as err:
            raise PrinterError(
                f"error executing jsonpath {quote(self.template)}: Error executing template: "
                f"{err}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{self.template}\n"
                f"\tobject given to jsonpath engine was:\n\t\t{gosyntax(obj)}\n\n\n"
            ) from None
        out: list[str] = []
        for group in results:
            if self.as_json:
                out.append(to_json(list(group)))
                continue
            for i, value in enumerate(group):
                out.append(_text(value))
                if i != len(group) - 1:
                    out.append(" ")
        return "".join(out)
