"""Label and field selectors (``k8s.io/apimachinery/pkg/labels``, ``pkg/fields``).

Two forms of the same idea:

- the string form kubectl takes with ``-l`` (``app=web,tier!=db,env in (a,b),!legacy``),
  parsed by :func:`parse` into :class:`Requirement` s;
- the structured ``metav1.LabelSelector`` in specs (``matchLabels`` and ``matchExpressions``),
  converted by :func:`from_label_selector`.

Every requirement must hold (comma means AND). An empty selector matches everything; a nil
``LabelSelector`` in a spec matches nothing (callers decide which applies).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = [
    "Requirement",
    "Selector",
    "SelectorError",
    "from_label_selector",
    "matches_field_selector",
    "parse",
    "parse_field_selector",
]


class SelectorError(ValueError):
    """A selector string that does not parse; the message is what the apiserver says."""


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # "=", "!=", "in", "notin", "exists", "!"
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        op = self.operator
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        if op in ("gt", "lt"):
            if self.key not in labels:
                return False
            try:
                have = int(labels[self.key])
                want = int(self.values[0])
            except ValueError:
                return False
            return have > want if op == "gt" else have < want
        return False

    def __str__(self) -> str:
        op = self.operator
        if op == "exists":
            return self.key
        if op == "!":
            return "!" + self.key
        if op in ("in", "notin"):
            return f"{self.key} {op} ({','.join(sorted(self.values))})"
        return f"{self.key}{op}{self.values[0]}"


@dataclass(frozen=True)
class Selector:
    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: dict[str, str] | None) -> bool:
        if self.nothing:
            return False
        labels = labels or {}
        return all(r.matches(labels) for r in self.requirements)

    def empty(self) -> bool:
        return not self.requirements and not self.nothing

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


_TOKEN = re.compile(r"\s*(!=|==|=|\(|\)|,|!|[^\s=!(),]+)")


def parse(text: str) -> Selector:
    """Parse the ``-l`` selector syntax."""
    tokens = [m.group(1) for m in _TOKEN.finditer(text)]
    if "".join(tokens).replace(" ", "") != re.sub(r"\s+", "", text):
        raise SelectorError(f"unable to parse requirement: invalid selector: {text!r}")
    reqs: list[Requirement] = []
    i = 0

    def take() -> str:
        nonlocal i
        tok = tokens[i] if i < len(tokens) else ""
        i += 1
        return tok

    while i < len(tokens):
        tok = take()
        if tok == "!":
            key = take()
            _check_key(key)
            reqs.append(Requirement(key, "!"))
        else:
            key = tok
            _check_key(key)
            nxt = tokens[i] if i < len(tokens) else ""
            if nxt in ("", ","):
                reqs.append(Requirement(key, "exists"))
            elif nxt in ("=", "==", "!="):
                take()
                value = tokens[i] if i < len(tokens) and tokens[i] not in (",",) else ""
                if value:
                    take()
                _check_value(value)
                reqs.append(Requirement(key, "!=" if nxt == "!=" else "=", (value,)))
            elif nxt in ("in", "notin"):
                take()
                if take() != "(":
                    found = tokens[i - 1] if i - 1 < len(tokens) else ""
                    raise SelectorError(
                        f"unable to parse requirement: found '{found}', expected: '('"
                    )
                values: list[str] = []
                while True:
                    tok2 = take()
                    if tok2 == ")":
                        break
                    if tok2 == ",":
                        continue
                    if tok2 == "":
                        raise SelectorError(
                            "unable to parse requirement: found '', expected: ',', ')' or "
                            "identifier"
                        )
                    _check_value(tok2)
                    values.append(tok2)
                reqs.append(Requirement(key, nxt, tuple(values)))
            else:
                raise SelectorError(
                    f"unable to parse requirement: found '{nxt}', expected: "
                    "'=', '!=', '==', 'in', notin'"
                )
        if i < len(tokens):
            sep = take()
            if sep != ",":
                raise SelectorError(
                    f"unable to parse requirement: found '{sep}', expected: ',' or 'end of string'"
                )
    return Selector(tuple(reqs))


_NAME = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")


def _check_key(key: str) -> None:
    name = key.rsplit("/", 1)[-1]
    if not key or not _NAME.match(name) or len(name) > 63:
        raise SelectorError(
            f'unable to parse requirement: <nil>: Invalid value: "{key}": name part must consist '
            "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
            "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
        )


def _check_value(value: str) -> None:
    if value and (not _NAME.match(value) or len(value) > 63):
        raise SelectorError(
            f'unable to parse requirement: <nil>: Invalid value: "{value}": a valid label must '
            "be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
            "must start and end with an alphanumeric character (e.g. 'MyValue',  or "
            "'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
        )


def from_label_selector(sel: dict[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: nil → nothing, ``{}`` → everything."""
    if sel is None:
        return Selector(nothing=True)
    reqs: list[Requirement] = []
    for k, v in sorted((sel.get("matchLabels") or {}).items()):
        reqs.append(Requirement(k, "=", (v,)))
    for expr in sel.get("matchExpressions") or []:
        op = expr.get("operator")
        key = expr.get("key", "")
        values = tuple(expr.get("values") or ())
        mapped = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!",
                  "Gt": "gt", "Lt": "lt"}.get(op)
        if mapped is None:
            return Selector(nothing=True)
        reqs.append(Requirement(key, mapped, values))
    return Selector(tuple(reqs))


def parse_field_selector(text: str) -> list[tuple[str, str, str]]:
    """``metadata.name=x,status.phase!=Running`` → [(field, op, value)]."""
    out = []
    for part in [p for p in text.split(",") if p.strip()]:
        for op in ("!=", "==", "="):
            if op in part:
                f, v = part.split(op, 1)
                out.append((f.strip(), "!=" if op == "!=" else "=", v.strip()))
                break
        else:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
    return out


def field_value(obj: dict[str, Any], path: str) -> str:
    cur: Any = obj
    for part in path.split("."):
        if not isinstance(cur, dict):
            return ""
        cur = cur.get(part)
    if cur is None:
        return ""
    if isinstance(cur, bool):
        return "true" if cur else "false"
    return str(cur)


def matches_field_selector(obj: dict[str, Any], reqs: list[tuple[str, str, str]]) -> bool:
    for f, op, v in reqs:
        have = field_value(obj, f)
        if (have == v) != (op == "="):
            return False
    return True
