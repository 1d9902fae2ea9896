"""The Kubernetes 1.37 OpenAPI schema, and the apiserver's strict JSON decoding against it.

The definitions in ``k8s-1.37.json`` come from the upstream OpenAPI spec (through
kubernetes-validate, see ``tools/vendor_schema.py``). Definition names keep their Go package and
struct names (``io.k8s.api.apps.v1.DeploymentSpec``), which is exactly what the apiserver's error
messages quote.

``decode`` reproduces what ``sigs.k8s.io/json`` does when the apiserver decodes a request body with
``fieldValidation=Strict`` (the kubectl default since 1.27):

- a value of the wrong JSON type stops decoding with Go's ``UnmarshalTypeError`` text,
  ``json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32``
  (the first such error wins; the path has no list indices);
- every field the struct does not have is collected as ``unknown field "spec.replica"`` (with list
  indices), reported after a successful decode as ``strict decoding error: …``.

The apiserver then wraps either as ``<Kind> in version "<v>" cannot be handled as a <Kind>: …``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["DecodeResult", "Schema", "schema"]

_PATH = Path(__file__).with_name("k8s-1.37.json")


class DecodeResult:
    """What strict decoding found: the first type error and the unknown fields, in order."""

    __slots__ = ("type_error", "unknown")

    def __init__(self) -> None:
        self.type_error: str | None = None
        self.unknown: list[str] = []

    @property
    def ok(self) -> bool:
        return self.type_error is None and not self.unknown

    def message(self) -> str | None:
        """The decode error text the apiserver returns, or None if the body decoded cleanly."""
        if self.type_error:
            return self.type_error
        if self.unknown:
            return "strict decoding error: " + ", ".join(
                f'unknown field "{p}"' for p in self.unknown
            )
        return None


def _go_package_type(ref: str) -> str:
    parts = ref.rsplit("/", 1)[-1].split(".")
    return f"{parts[-2]}.{parts[-1]}"


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def _number_literal(value: Any) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return json.dumps(value)


_INT_RANGES = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_INT_TYPES = ("int", "int32", "int64")


class Schema:
    """Definitions indexed by name and by (apiVersion, kind)."""

    def __init__(self, defs: dict[str, dict[str, Any]]) -> None:
        self.defs = defs
        self.by_gvk: dict[tuple[str, str], str] = {}
        for name, d in defs.items():
            gvks = d.get("x-kubernetes-group-version-kind", [])
            if len(gvks) != 1 or name.rsplit(".", 1)[-1] != gvks[0]["kind"]:
                continue
            g = gvks[0]
            api_version = f"{g['group']}/{g['version']}" if g["group"] else g["version"]
            self.by_gvk[(api_version, g["kind"])] = name

    def definition(self, api_version: str, kind: str) -> str | None:
        return self.by_gvk.get((api_version, kind))

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        ref = node.get("$ref")
        while ref:
            node = self.defs[ref.rsplit("/", 1)[-1]]
            ref = node.get("$ref")
        return node

    def go_type(self, node: dict[str, Any]) -> str:
        """The Go type name the decoder would report for a schema node."""
        if "$ref" in node:
            return _go_package_type(node["$ref"])
        types = node.get("type", [])
        if isinstance(types, str):
            types = [types]
        if "integer" in types:
            return node.get("format", "int64") if node.get("format") in _INT_RANGES else "int"
        if "number" in types:
            return "float64"
        if "boolean" in types:
            return "bool"
        if "string" in types:
            return "[]uint8" if node.get("format") == "byte" else "string"
        if "array" in types:
            return "[]" + self.go_type(node.get("items", {}))
        if "object" in types:
            extra = node.get("additionalProperties")
            if isinstance(extra, dict):
                return "map[string]" + self.go_type(extra)
            return "map[string]interface {}"
        return "interface {}"

    def decode(self, obj: dict[str, Any], definition: str) -> DecodeResult:
        """Check ``obj`` against ``definition`` the way strict JSON decoding would."""
        result = DecodeResult()
        self._walk(obj, {"$ref": "#/$defs/" + definition}, "", "", "", result)
        return result

    # -- the walk -------------------------------------------------------------------------

    def _type_error(
        self, result: DecodeResult, value: Any, struct: str, gopath: str, go_type: str
    ) -> None:
        if result.type_error is not None:
            return
        kind = _json_kind(value)
        if kind == "number" and go_type in _INT_TYPES:
            # encoding/json names the literal only when it fails to parse as the integer
            # type (a fraction or an overflow); a number for a string field is just "number".
            kind = "number " + _number_literal(value)
        if struct:
            result.type_error = (
                f"json: cannot unmarshal {kind} into Go struct field {struct}.{gopath} "
                f"of type {go_type}"
            )
        else:
            result.type_error = f"json: cannot unmarshal {kind} into Go value of type {go_type}"

    def _walk(
        self,
        value: Any,
        node: dict[str, Any],
        path: str,
        gopath: str,
        struct: str,
        result: DecodeResult,
    ) -> None:
        if value is None:
            return  # JSON null decodes into any Go type as its zero value.
        go_type = self.go_type(node)
        target = self.resolve(node)
        if "oneOf" in target:
            self._walk_one_of(value, target, go_type, gopath, struct, result)
            return
        types = target.get("type", [])
        if isinstance(types, str):
            types = [types]
        if "object" in types or "properties" in target:
            if not isinstance(value, dict):
                self._type_error(result, value, struct, gopath, go_type)
                return
            props = target.get("properties")
            if props is not None:
                own = go_type.rsplit(".", 1)[-1] if "$ref" in node else struct
                for key, item in value.items():
                    sub_path = f"{path}.{key}" if path else key
                    sub_go = f"{gopath}.{key}" if gopath else key
                    prop = props.get(key)
                    if prop is None:
                        result.unknown.append(sub_path)
                        continue
                    self._walk(item, prop, sub_path, sub_go, own, result)
                return
            extra = target.get("additionalProperties")
            if isinstance(extra, dict):
                for key, item in value.items():
                    self._walk(item, extra, f"{path}.{key}" if path else key, gopath, struct,
                               result)
            return
        if "array" in types:
            if not isinstance(value, list):
                self._type_error(result, value, struct, gopath, go_type)
                return
            items = target.get("items", {})
            for i, item in enumerate(value):
                self._walk(item, items, f"{path}[{i}]", gopath, struct, result)
            return
        if "string" in types:
            if not isinstance(value, str):
                self._type_error(result, value, struct, gopath, go_type)
            elif go_type == "[]uint8" and result.type_error is None:
                # encoding/json base64-decodes []byte fields (Secret data, binaryData);
                # the decoder's error is reported as is.
                bad = _base64_error_offset(value)
                if bad is not None:
                    result.type_error = f"illegal base64 data at input byte {bad}"
            return
        if "boolean" in types:
            if not isinstance(value, bool):
                self._type_error(result, value, struct, gopath, go_type)
            return
        if "integer" in types:
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                self._type_error(result, value, struct, gopath, go_type)
                return
            lo, hi = _INT_RANGES.get(go_type, _INT_RANGES["int64"])
            if (isinstance(value, float) and not value.is_integer()) or not lo <= value <= hi:
                self._type_error(result, value, struct, gopath, go_type)
            return
        if "number" in types and (isinstance(value, bool) or not isinstance(value, (int, float))):
            self._type_error(result, value, struct, gopath, go_type)

    def _walk_one_of(
        self,
        value: Any,
        target: dict[str, Any],
        go_type: str,
        gopath: str,
        struct: str,
        result: DecodeResult,
    ) -> None:
        # IntOrString and Quantity have their own UnmarshalJSON; both accept a string or a
        # number. Their errors are not wrapped with the field path.
        if go_type == "intstr.IntOrString":
            if isinstance(value, str):
                return
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                if result.type_error is None:
                    result.type_error = (
                        f"json: cannot unmarshal {_json_kind(value)} into Go value of type int32"
                    )
                return
            if isinstance(value, float) and not value.is_integer() and result.type_error is None:
                    result.type_error = (
                        f"json: cannot unmarshal number {_number_literal(value)} into Go value "
                        "of type int32"
                    )
            return
        if go_type == "resource.Quantity" and (
                isinstance(value, bool) or not isinstance(value, (str, int, float))):
            # Quantity.UnmarshalJSON parses whatever it is given as a quantity.
            from ..quantity import QuantityError

            if result.type_error is None:
                result.type_error = str(QuantityError())
            return
        if isinstance(value, str) and go_type == "resource.Quantity":
            # Quantity.UnmarshalJSON returns resource.ErrFormatWrong unwrapped.
            from ..quantity import QuantityError, parse

            try:
                parse(value)
            except QuantityError as err:
                if result.type_error is None:
                    result.type_error = str(err)
            return
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            return
        self._type_error(result, value, struct, gopath, go_type)


_B64 = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


def _base64_error_offset(text: str) -> int | None:
    """Where Go's ``base64.StdEncoding`` gives up on ``text`` (``CorruptInputError``), or
    None when it decodes. Newlines are skipped, padding is required."""
    chars = [(i, c) for i, c in enumerate(text) if c not in "\r\n"]
    pos = 0
    while pos < len(chars):
        quantum = chars[pos:pos + 4]
        for j, (i, c) in enumerate(quantum):
            if c == "=":
                # Padding may only fill the last one or two places of the final quantum.
                if j < 2 or pos + 4 < len(chars) or (j == 2 and (
                        len(quantum) < 4 or quantum[3][1] != "=")):
                    return i
                break
            if c not in _B64:
                return i
        if len(quantum) < 4:
            return quantum[0][0] if quantum else None
        pos += 4
    return None


@cache
def schema() -> Schema:
    """The process-wide parsed schema (loaded once, ~10 ms)."""
    return Schema(json.loads(_PATH.read_text()))
