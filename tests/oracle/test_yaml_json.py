"""kubectl's output printers against the real kubectl 1.37 binary.

``kubectl annotate --local -f obj.json zz=1 -o …`` runs offline and prints the object through
the very printers ``kubectl get -o …`` uses (cli-runtime ``YAMLPrinter``, ``JSONPrinter``,
``JSONPathPrinter``, ``NamePrinter``), so whatever it prints is the reference for
:mod:`k8slab.cli.kubectl.printers` byte for byte. ``create … --dry-run=client -o yaml`` checks the
YAML of typed objects. Skipped when the binary is missing.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from k8slab.cli.kubectl.printers import PrinterError
from k8slab.cli.kubectl.printers.json import to_json
from k8slab.cli.kubectl.printers.jsonpath import JSONPathPrinter
from k8slab.cli.kubectl.printers.name import name_line
from k8slab.cli.kubectl.printers.yaml import to_yaml

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = ROOT / ".venv" / "bin" / "kubectl"

pytestmark = pytest.mark.skipif(not os.access(KUBECTL, os.X_OK), reason="no kubectl binary")

ENV = {"KUBECONFIG": "/dev/null", "PATH": "/usr/bin:/bin", "HOME": "/tmp"}


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KUBECTL), *args], capture_output=True, text=True, env=ENV,
                          timeout=60)


def _annotate(tmp_path: Path, obj: dict[str, Any], *out: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "obj.json"
    path.write_text(json.dumps(obj), encoding="utf-8")
    return _run(["annotate", "--local", "-f", str(path), "zz=1", *out])


def _annotated(obj: dict[str, Any]) -> dict[str, Any]:
    meta = dict(obj.get("metadata") or {})
    meta["annotations"] = {**(meta.get("annotations") or {}), "zz": "1"}
    return {**obj, "metadata": meta}


# Strings whose YAML style go-yaml v2 decides in every interesting way: resolvable scalars,
# timestamps, base-60, indicators, leading/trailing spaces, line breaks, unicode, folding.
TRICKY = [
    "80", "true", "yes", "no", "y", "n", "on", "off", "1e3", "", "null", "~",
    "2026-06-01T08:00:00Z", "2026-06-01", "2026-13-01", "2026-6-1", "2026-02-30",
    "2026-06-01 08:00:00", "1:20", "1:20:30", "12:60", "0x1F", "0o17", "0b101", "08", "1_000",
    "1.5", ".5", ".", "...", "---", "-", "- a", "-a", "+1", "1.2.3", "a: b", "a:b", "a #b",
    "a#b", "#a", "@a", "`a", "'a", '"a', "a'b", 'a"b', "a\\b", "{a}", "[a]", "a,b", "?a",
    "? a", ":a", "a:", " a", "a ", "a  b", "a\nb", "a\n", "a\n\n", "\na", " a\nb", "a \nb",
    "a\n b", "a\r\nb", "é", "日本語", "😀", "a\u2028b", "<<", "NaN", ".nan", "-.inf", "True",
    "NULL", "9223372036854775808", "18446744073709551616", "0.", "1.e5", "=", "!a", "&a", "*a",
    "|a", ">a", "%a", "x" * 100, ("word " * 30).strip(), "word " * 30,
    "a " * 50 + "\nsecond line", "{" + '"a":' * 40 + "}", ("abc " * 30) + "'q'",
    "'" + ("abc " * 30), "abc  " * 30, "a  " * 40 + "b", "<b>&amp;</b>", "\u00a0x", "tab\there",
]


def test_yaml_and_json_scalars_match_kubectl(tmp_path: Path) -> None:
    obj = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "t"},
           "data": {f"k{i:03d}": v for i, v in enumerate(TRICKY)}}
    expected = _annotated(obj)
    real_yaml = _annotate(tmp_path, obj, "-o", "yaml")
    assert real_yaml.returncode == 0, real_yaml.stderr
    assert to_yaml(expected) == real_yaml.stdout
    real_json = _annotate(tmp_path, obj, "-o", "json")
    assert to_json(expected) == real_json.stdout


def test_nested_values_numbers_and_keys_match_kubectl(tmp_path: Path) -> None:
    # Keys chosen so go-yaml's natural sort is a total order (mixed runs like a10/a1b2 are
    # not: kubectl itself prints those in varying order).
    keys = ["", "$", "-a", "_a", "~", "1", "01", "2", "10", "80", "A", "X", "Zeta", "a b",
            "a-b", "a.b", "a/b", "a_b", "a1", "a2", "a10", "ab", "app", "app.kubernetes.io/name",
            "true", "x0", "z", "zeta", "é", "Ω", "k" * 130]
    obj = {
        "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "t"},
        "data": {k: "v" for k in keys},
        "spec": {
            "floats": [0.5, 1e-7, 1.5e-7, 1e21, 1e20, 123456.789, 1.25, 100000000.5, 1e6,
                       0.0001, 0.00001, -2.5, 3],
            "n": None, "b": [True, False],
            "nested": [[1, [2, []]], {"a": {"b": {"c": ["x", {"d": {}}]}}}, [], {}],
            "multi": ["a\nb", "x\n"], "long": {"k" * 130: "v", "a\nb": 1},
        },
    }
    expected = _annotated(obj)
    real_yaml = _annotate(tmp_path, obj, "-o", "yaml")
    assert real_yaml.returncode == 0, real_yaml.stderr
    assert to_yaml(expected) == real_yaml.stdout
    assert to_json(expected) == _annotate(tmp_path, obj, "-o", "json").stdout


def test_create_dry_run_yaml_matches(tmp_path: Path) -> None:
    """Typed objects go JSON → YAML too: the YAML of ``create … -o yaml`` is reproduced."""
    for args in (
        ["create", "deployment", "web", "--image=nginx:1.25", "--replicas=3", "--port=80"],
        ["create", "configmap", "cfg", "--from-literal=port=80", "--from-literal=on=yes",
         "--from-literal=script=echo hi\nexit 0\n"],
        ["create", "service", "nodeport", "web", "--tcp=80:8080"],
        ["create", "job", "pi", "--image=perl", "--", "perl", "-Mbignum=bpi", "-wle",
         "print bpi(2000)"],
    ):
        cut = args.index("--") if "--" in args else len(args)
        real_json = _run([*args[:cut], "--dry-run=client", "-o", "json", *args[cut:]])
        real_yaml = _run([*args[:cut], "--dry-run=client", "-o", "yaml", *args[cut:]])
        assert real_yaml.returncode == 0, real_yaml.stderr
        assert to_yaml(json.loads(real_json.stdout)) == real_yaml.stdout


JSONPATH_OBJ = {
    "apiVersion": "v1", "kind": "ConfigMap",
    "metadata": {"name": "t", "labels": {"b": "2", "a": "1"}},
    "data": {"k": "v"},
    "x": [{"n": "a", "v": 1, "f": 1.5, "s": True, "z": None},
          {"n": "b", "v": 2, "f": 1000000.0, "s": False}, {"n": "c", "v": 3, "f": 1e-5}],
    "big": 1e6, "nul": None, "e": [], "m": {},
}

TEMPLATES_OK = [
    "{.x[*].n}", "{range .x[*]}[{.n}]{end}done", '{range .x[*]}{.n}{"\\n"}{end}',
    "{.x[?(@.v>1)].n}", "{.x[?(@.v==2)].n}", '{.x[?(@.n=="a")].v}', "{.x[?(@.s)].n}",
    "{.x[?(@.z)].n}", "{.x[*].f}", "{.big}", "{.nul}", "{.e}", "{.m}", "{.x[0]}",
    "{.x[-1:].n}", "{.x[0:2].n}", "{.x[::2].n}", "{.x[0,1].n}", "{.metadata.name} {.kind}",
    "{$.kind}", "{.x[0].n.y}", "{.x[?(@.v>1)]}", "{range .e[*]}x{end}after", "{.x[*].nope}",
    "{.metadata.labels['a']}", "{.x[*]['n']}", "{.x[?(@.f>1.2)].n}", "{.x[?(@.v<=2)].n}",
    "{.x[?(@.v!=2)].n}", "{range .x[*]}{.n}:{range .x}{end};{end}!", '{"a\'b"}', "plain",
    "{.x[1:]}", "{.metadata.labels}", "{..n}", "{.x[0:0]}", "{.x[-2]}",
]

TEMPLATES_ERR = [
    "{.foo", "{.x[5]}", "{end}", "{.x[*].v,.x[0].n}", "{.x[?(@.v>'a')].n}",
    "{.x[?(@.z==1)].n}", "{.metadata[*]}", '{"unterminated}', "{.x[a]}", "{.x[::0]}",
    "{.x[3:1]}",
]


def _jsonpath(template: str, **kw: Any) -> tuple[str, str, int]:
    try:
        return JSONPathPrinter(template, **kw).print(_annotated(JSONPATH_OBJ)), "", 0
    except PrinterError as err:
        text = str(err)
        return "", "error: " + (text if text.endswith("\n") else text + "\n"), 1


def test_jsonpath_outputs_match(tmp_path: Path) -> None:
    sep = '{"\\n#\\n"}'
    combined = sep.join(TEMPLATES_OK)
    for fmt, kw in (("jsonpath", {}), ("jsonpath-as-json", {"as_json": True})):
        real = _annotate(tmp_path, JSONPATH_OBJ, "-o", f"{fmt}={combined}")
        assert real.returncode == 0, real.stderr
        assert _jsonpath(combined, **kw) == (real.stdout, "", 0)


@pytest.mark.parametrize("template", TEMPLATES_ERR)
def test_jsonpath_errors_match(tmp_path: Path, template: str) -> None:
    real = _annotate(tmp_path, JSONPATH_OBJ, "-o", f"jsonpath={template}")
    assert _jsonpath(template) == (real.stdout, real.stderr, real.returncode)


def test_jsonpath_missing_keys_error_when_not_allowed(tmp_path: Path) -> None:
    real = _annotate(tmp_path, JSONPATH_OBJ, "-o", "jsonpath={.x[*].nope}",
                     "--allow-missing-template-keys=false")
    mine = _jsonpath("{.x[*].nope}", allow_missing_keys=False)
    assert mine == (real.stdout, real.stderr, real.returncode)
    assert "nope is not found" in real.stderr


def test_name_printer_matches(tmp_path: Path) -> None:
    for obj in (
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}},
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}},
        {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": {"name": "web"}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "in"}},
    ):
        real = _annotate(tmp_path, obj, "-o", "name")
        assert name_line(obj) == real.stdout
