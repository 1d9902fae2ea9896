"""``-o``/``--output`` for commands that print objects (cli-runtime ``print_flags.go``).

``PrintFlags.ToPrinter`` picks the printer from the output format: the name printer (default
for mutating commands: ``deployment.apps/x created``, with `` (dry run)`` or
`` (server dry run)`` appended to the operation, and without operation for ``-o name``),
``yaml`` (documents after the first are preceded by ``---``), ``json``, ``jsonpath=…``,
``jsonpath-as-json=…``, ``jsonpath-file=…``, and for ``get`` also ``custom-columns=…`` and
``wide``. An unknown format fails with ``unable to match a printer suitable for the output
format "foo", allowed formats are: …`` listing the command's formats in sorted order.

The printers themselves live in :mod:`.printers`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...api.kinds import Kind
from ...sim.fs import FSError, normpath
from .errors import KubectlError
from .flags import go_quote

if TYPE_CHECKING:
    from .cmd import Invocation

__all__ = ["GENERIC_FORMATS", "GET_FORMATS", "ObjectPrinter", "list_object"]

GENERIC_FORMATS = ("go-template", "go-template-file", "json", "jsonpath", "jsonpath-as-json",
                   "jsonpath-file", "kyaml", "name", "template", "templatefile", "yaml")
GET_FORMATS = tuple(sorted((*GENERIC_FORMATS, "custom-columns", "custom-columns-file", "wide")))

_TEMPLATE_FORMATS = ("go-template", "go-template-file", "template", "templatefile",
                     "jsonpath", "jsonpath-as-json", "jsonpath-file", "custom-columns",
                     "custom-columns-file")


def list_object(items: list[Any]) -> dict[str, Any]:
    """The ``List`` kubectl prints when several objects are shown as YAML/JSON."""
    return {"apiVersion": "v1", "items": list(items), "kind": "List",
            "metadata": {"resourceVersion": ""}}


def split_format(output: str) -> tuple[str, str]:
    """``jsonpath={.x}`` → (``jsonpath``, ``{.x}``); formats are matched lower-cased."""
    if "=" in output:
        fmt, template = output.split("=", 1)
        return fmt.lower(), template
    return output.lower(), ""


class ObjectPrinter:
    """One command's printer for objects (not tables)."""

    def __init__(
        self,
        inv: Invocation,
        output: str,
        *,
        operation: str = "",
        dry_run: str = "none",
        allowed: tuple[str, ...] = GENERIC_FORMATS,
        typed: bool = False,
    ) -> None:
        self.inv = inv
        self.output = output
        # A typed Go object (built by a generator) marshals to JSON in struct field order;
        # an unstructured one (from a file or the server) with sorted keys.
        self.typed = typed
        self.fmt, template = split_format(output)
        self.count = 0
        if self.fmt and self.fmt not in allowed:
            raise KubectlError(
                f"unable to match a printer suitable for the output format "
                f"{go_quote(output)}, allowed formats are: {','.join(sorted(allowed))}"
            )
        if self.fmt in ("jsonpath-file", "custom-columns-file", "go-template-file",
                        "templatefile"):
            template = self._read_template(template) if template else ""
        if self.fmt in _TEMPLATE_FORMATS and not template and self.fmt not in (
            "custom-columns", "custom-columns-file"
        ):
            raise KubectlError("template format specified but no template given")
        self.template = template
        if dry_run == "client":
            operation = f"{operation} (dry run)" if operation else operation
        elif dry_run == "server":
            operation = f"{operation} (server dry run)" if operation else operation
        self.operation = operation
        self._jsonpath: Any = None
        if self.fmt in ("jsonpath", "jsonpath-file", "jsonpath-as-json"):
            from .printers.jsonpath import JSONPathPrinter

            allow = bool(inv.flags.get("allow-missing-template-keys", True))
            self._jsonpath = JSONPathPrinter(template, allow_missing_keys=allow,
                                             as_json=self.fmt == "jsonpath-as-json")
        if self.fmt in ("go-template", "go-template-file", "template", "templatefile"):
            raise KubectlError(f"{self.fmt} output is not supported in this lab; use "
                               "-o jsonpath=… instead")
        if self.fmt == "kyaml":
            raise KubectlError("kyaml output is not supported in this lab; use -o yaml")

    def _read_template(self, path: str) -> str:
        try:
            data = self.inv.ctx.fs.read(normpath(path, self.inv.ctx.cwd))
        except FSError:
            raise KubectlError(
                f"error reading --template {path}, open {path}: no such file or directory"
            ) from None
        return data.decode("utf-8", errors="replace")

    @property
    def is_name(self) -> bool:
        return self.fmt in ("", "name")

    def render(self, obj: Any, kind: Kind | None = None) -> str:
        """The text for one object (or a List) in this format."""
        self.count += 1
        if self.fmt in ("", "name"):
            assert kind is not None
            name = ((obj.get("metadata") or {}).get("name")) or "<unknown>"
            text = f"{kind.qualified_kind}/{name}"
            if self.fmt == "" and self.operation:
                text += f" {self.operation}"
            return text + "\n"
        if self.fmt == "yaml":
            from .printers.yaml import to_yaml

            return ("---\n" if self.count > 1 else "") + to_yaml(obj)
        if self.fmt == "json":
            if self.typed:
                return ordered_json(obj)
            from .printers.json import to_json

            return to_json(obj)
        if self._jsonpath is not None:
            return str(self._jsonpath.print(obj))
        raise KubectlError(f"output format {self.fmt} is not supported here")  # pragma: no cover

    def print(self, obj: Any, kind: Kind | None = None) -> None:
        self.inv.out(self.render(obj, kind))


def ordered_json(obj: Any) -> str:
    """``json.MarshalIndent(obj, "", "    ")`` of a typed object: keys in the order given."""
    from .printers.gofmt import json_float
    from .printers.json import encode_string

    out: list[str] = []

    def emit(value: Any, level: int) -> None:
        pad = "    " * (level + 1)
        if isinstance(value, dict):
            if not value:
                out.append("{}")
                return
            out.append("{\n")
            items = list(value.items())
            for i, (k, v) in enumerate(items):
                out.append(pad + encode_string(str(k)) + ": ")
                emit(v, level + 1)
                out.append(",\n" if i < len(items) - 1 else "\n")
            out.append("    " * level + "}")
        elif isinstance(value, list):
            if not value:
                out.append("[]")
                return
            out.append("[\n")
            for i, v in enumerate(value):
                out.append(pad)
                emit(v, level + 1)
                out.append(",\n" if i < len(value) - 1 else "\n")
            out.append("    " * level + "]")
        elif value is None:
            out.append("null")
        elif value is True or value is False:
            out.append("true" if value else "false")
        elif isinstance(value, int):
            out.append(str(value))
        elif isinstance(value, float):
            out.append(json_float(value))
        else:
            out.append(encode_string(str(value)))

    emit(obj, 0)
    return "".join(out) + "\n"
