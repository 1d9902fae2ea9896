"""kubectl jsonpath, without the binary (the oracle suite compares with it when present).

References: the kubectl JSONPath support page (kubernetes.io/docs/reference/kubectl/jsonpath/:
``{.items[*].metadata.name}``, ``{range .items[*]}…{end}``, filters, ``..``, unions, slices) and
client-go ``util/jsonpath`` (results of one action joined by a space, maps/lists as JSON,
parse error texts), cli-runtime ``printers/jsonpath.go`` (error wrapping).
"""

from __future__ import annotations

import pytest

from k8slab.cli.kubectl.printers import PrinterError
from k8slab.cli.kubectl.printers.jsonpath import JSONPathPrinter

LIST = {
    "kind": "List",
    "items": [
        {"kind": "None", "metadata": {"name": "127.0.0.1",
                                      "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
         "status": {"capacity": {"cpu": "4"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
        {"kind": "None", "metadata": {"name": "127.0.0.2"},
         "status": {"capacity": {"cpu": "8"},
                    "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                  {"type": "another", "address": "127.0.0.3"}]}},
    ],
    "users": [{"name": "myself", "user": {}},
              {"name": "e2e", "user": {"username": "admin", "password": "secret"}}],
}


def jp(template: str, **kw: bool) -> str:
    return JSONPathPrinter(template, **kw).print(LIST)


def test_reference_page_examples() -> None:
    assert jp("kind is {.kind}") == "kind is List"
    assert jp("{['kind']}") == "List"
    assert jp("{..name}") == "127.0.0.1 127.0.0.2 myself e2e"
    assert jp("{.items[*].metadata.name}") == "127.0.0.1 127.0.0.2"
    assert jp("{.users[0].name}") == "myself"
    assert jp("{.items[-1:].metadata.name}") == "127.0.0.2"
    assert jp("{.users[?(@.name==\"e2e\")].user.password}") == "secret"
    assert jp("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}") == (
        '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ')
    assert jp("{.items[*]['metadata.name', 'status.capacity']}") == (
        '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}')
    assert jp("{.items[0].metadata.labels.kubernetes\\.io/hostname}") == "127.0.0.1"


def test_missing_keys_allowed_unless_disabled() -> None:
    assert jp("{.items[*].spec}") == ""
    with pytest.raises(PrinterError) as err:
        jp("{.items[*].spec}", allow_missing_keys=False)
    text = str(err.value)
    assert text.startswith('error executing jsonpath "{.items[*].spec}": Error executing '
                           "template: spec is not found. Printing more information for "
                           "debugging the template:\n\ttemplate was:\n\t\t{.items[*].spec}\n"
                           "\tobject given to jsonpath engine was:\n\t\tmap[string]interface {}{")
    assert text.endswith("}\n\n\n")


def test_parse_errors() -> None:
    for template, message in (
        ("{.kind", "unclosed action"),
        ("{.items[0}", "unterminated array"),
        ("{.items[?(@.a==1}", "unterminated filter"),
        ("{.a,.b}", "unrecognized character in action: U+002C ','"),
        ("{.items[x]}", "invalid array index x"),
    ):
        with pytest.raises(PrinterError) as err:
            JSONPathPrinter(template)
        assert str(err.value) == f"error parsing jsonpath {template}, {message}\n"


def test_as_json_prints_each_action_as_an_array() -> None:
    assert JSONPathPrinter("{.users[*].name}", as_json=True).print(LIST) == (
        '[\n    "myself",\n    "e2e"\n]\n')
