"""custom-columns, name and Go value formatting.

References: kubectl ``pkg/cmd/get/customcolumn.go`` (spec parsing, ``<none>`` for no match,
``%v`` of values, errors) and the custom-columns example of the kubectl reference
(``NAME:.metadata.name,RSRC:.metadata.resourceVersion``); cli-runtime ``name.go``; Go's
``strconv.FormatFloat`` and ``encoding/json`` float formats.
"""

from __future__ import annotations

import pytest

from k8slab.cli.kubectl.printers import PrinterError
from k8slab.cli.kubectl.printers.custom_columns import CustomColumnsPrinter, relaxed_jsonpath
from k8slab.cli.kubectl.printers.gofmt import g_float, gosyntax, json_float, quote, sprint
from k8slab.cli.kubectl.printers.name import name_line

POD = {"apiVersion": "v1", "kind": "Pod",
       "metadata": {"name": "submit-queue", "resourceVersion": "610995",
                    "labels": {"app": "q", "tier": "be"}},
       "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "redis"}]}}


def test_custom_columns_reference_example() -> None:
    p = CustomColumnsPrinter.from_spec("NAME:.metadata.name,RSRC:.metadata.resourceVersion")
    assert p.print([POD]) == "NAME           RSRC\nsubmit-queue   610995\n"


def test_custom_columns_values() -> None:
    p = CustomColumnsPrinter.from_spec(
        "IMAGES:.spec.containers[*].image,LABELS:metadata.labels,NODE:{.spec.nodeName}")
    assert p.print([POD]) == ("IMAGES        LABELS               NODE\n"
                              "nginx,redis   map[app:q tier:be]   <none>\n")
    assert CustomColumnsPrinter.from_spec("N:.metadata.name", no_headers=True).print(
        [POD, POD]) == "submit-queue\nsubmit-queue\n"


def test_custom_columns_errors() -> None:
    with pytest.raises(PrinterError, match=r"^custom-columns format specified but no custom"):
        CustomColumnsPrinter.from_spec("")
    with pytest.raises(PrinterError, match=r"^unexpected custom-columns spec: NAME, expected "
                                           r"<header>:<json-path-expr>$"):
        CustomColumnsPrinter.from_spec("NAME")
    with pytest.raises(PrinterError, match=r"^unexpected path string, expected a 'name1\.name2'"):
        relaxed_jsonpath("{.a}{.b}")
    assert relaxed_jsonpath("metadata.name") == "{.metadata.name}"
    assert relaxed_jsonpath("{.metadata.name}") == "{.metadata.name}"


def test_custom_columns_file_template() -> None:
    p = CustomColumnsPrinter.from_template("NAME  RV\n.metadata.name  metadata.resourceVersion\n")
    assert p.print([POD]) == "NAME           RV\nsubmit-queue   610995\n"
    with pytest.raises(PrinterError, match=r"number of headers \(2\) and field specifications"):
        CustomColumnsPrinter.from_template("A B\n.a\n")


def test_name_printer() -> None:
    assert name_line(POD) == "pod/submit-queue\n"
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}
    assert name_line(dep, "created") == "deployment.apps/web created\n"
    hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
           "metadata": {"name": "web"}}
    assert name_line(hpa, "autoscaled") == ("horizontalpodautoscaler.autoscaling/web "
                                            "autoscaled\n")


def test_go_float_formats() -> None:
    # strconv.FormatFloat(f, 'g', -1, 64): %e when exp < -4 || exp >= 21 is NOT the rule; the
    # shortest 'g' switches at exponent 6.
    assert [g_float(f) for f in (1e6, 123456.0, 0.5, 1e-5, 0.0001, 1e21, 2.0, -0.0)] == [
        "1e+06", "123456", "0.5", "1e-05", "0.0001", "1e+21", "2", "-0"]
    # encoding/json: 'f' below 1e21, exponent form below 1e-6, e-07 cleaned to e-7.
    assert [json_float(f) for f in (1e6, 1e20, 1e21, 1e-7, 0.000001, 1.5)] == [
        "1000000", "100000000000000000000", "1e+21", "1e-7", "0.000001", "1.5"]


def test_go_value_printing() -> None:
    value = {"b": [1, None, True], "a": {"x": 1.5}, "s": "q\"\n"}
    assert sprint(value) == 'map[a:map[x:1.5] b:[1 <nil> true] s:q"\n]'
    assert gosyntax(value) == ('map[string]interface {}{"a":map[string]interface {}{"x":1.5}, '
                               '"b":[]interface {}{1, interface {}(nil), true}, "s":"q\\"\\n"}')
    assert quote("é\x01\u2028") == '"é\\x01\\u2028"'
