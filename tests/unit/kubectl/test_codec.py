"""Manifest decoding as kubectl does it (apimachinery util/yaml, sigs.k8s.io/yaml, go-yaml v2).

Expected values are what kubectl 1.37.1 printed for the same input (its ``--validate=false``
error echoes the converted JSON: ``Object 'Kind' is missing in '…'``), also compared live in
tests/oracle/test_kubectl_flags.py (decode-* cases).
"""

from __future__ import annotations

import pytest

from k8slab.cli.kubectl.codec import DecodeError, decode_stream, go_json, split_yaml_documents


def _one(text: str) -> object:
    values = decode_stream(text.encode())
    assert len(values) == 1
    return values[0]


def test_go_yaml_v2_scalar_resolution() -> None:
    value = _one("a: 2020-01-01\nb: 1e3\nc: yes\nd: 0777\ne: 1_000\nf: ~\nh: 0x1F\n"
                 "i: 1.0\nl: !!str 5\nn: -.5\no: 09\np: 1e500\nq: 190:20:30\nr: y\ns: Off\n")
    assert value == {"a": "2020-01-01", "b": 1000, "c": True, "d": 511, "e": 1000, "f": None,
                     "h": 31, "i": 1, "l": "5", "false": -0.5, "o": 9, "p": "1e500",
                     "q": "190:20:30", "r": True, "s": False}


def test_keys_become_json_strings() -> None:
    value = _one("y: 1\nn: 2\nYes: 3\noff: 4\n0o17: 7\n+12: 8\n1.5: 9\n1e3: 10\n.5: 11\n")
    assert go_json(value) == ('{"0.5":11,"1.5":9,"1000":10,"12":8,"15":7,"false":4,'
                              '"true":3}')


def test_null_key_is_an_error() -> None:
    with pytest.raises(DecodeError, match="unsupported map key of type"):
        decode_stream(b"~: 1\n")


@pytest.mark.parametrize(("text", "message"), [
    ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: a: b\n",
     "yaml: line 5: mapping values are not allowed in this context"),
    # scanner errors: the 0-based mark plus one
    ("metadata:\n\tname: x\n", "yaml: line 2: found character that cannot start any token"),
    ('a: "abc\nb: 3\n', "yaml: line 3: found unexpected end of stream"),
    # parser errors: go-yaml prints the 0-based line as is
    ("a:\n  b: 1\n c: 2\n", "yaml: line 2: did not find expected key"),
    ("a: [1, 2\nb: 3\n", "yaml: line 1: did not find expected ',' or ']'"),
    ("a: *x\n", "yaml: unknown anchor 'x' referenced"),
    ("apiVersion: v1\x01\n", "yaml: control characters are not allowed"),
])
def test_libyaml_messages_with_go_yaml_line_numbers(text: str, message: str) -> None:
    with pytest.raises(DecodeError) as err:
        decode_stream(text.encode())
    assert err.value.message == "error converting YAML to JSON: " + message


def test_line_numbers_are_per_document() -> None:
    text = "a: 1\n---\nb: 2\n---\nc:\n  d: e: f\n"
    with pytest.raises(DecodeError) as err:
        decode_stream(text.encode())
    assert "yaml: line 2:" in err.value.message
    assert err.value.partial == [{"a": 1}, {"b": 2}]  # type: ignore[attr-defined]


def test_alias_bomb_fails_fast_without_expanding() -> None:
    lines = ["a: &a [" + ",".join(["x"] * 10) + "]"]
    for prev, cur in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 10) + "]")
    # go-yaml's alias budget stops it before expanding: 10^9 nodes would never finish
    with pytest.raises(DecodeError) as err:
        decode_stream("\n".join(lines).encode())
    assert err.value.message.endswith("yaml: document contains excessive aliasing")


def test_moderate_aliasing_is_fine() -> None:
    value = _one("base: &b {x: 1, z: [1, 2]}\nm1: *b\nm2: *b\nm3:\n  <<: *b\n  z: 3\n")
    assert value["m1"] == {"x": 1, "z": [1, 2]}
    assert value["m3"] == {"x": 1, "z": 3}


def test_recursive_anchor_is_rejected() -> None:
    with pytest.raises(DecodeError, match="anchor 'a' value contains itself"):
        decode_stream(b"a: &a [*a]\n")


def test_document_separator_rules() -> None:
    assert split_yaml_documents(b"a: 1\n--- # comment\nb: 2\n---\n") == [b"a: 1\n", b"b: 2\n"]
    with pytest.raises(DecodeError, match="invalid Yaml document separator: foo"):
        split_yaml_documents(b"--- foo\n")
    assert decode_stream(b"# only a comment\n---\n\n") == []


def test_json_streams_and_go_json_text() -> None:
    assert decode_stream(b'{"a": 1} {"b": "<&>"}') == [{"a": 1}, {"b": "<&>"}]
    assert go_json({"b": "<&>", "a": [1.5, 1e21, None]}) == (
        '{"a":[1.5,1e+21,null],"b":"\\u003c\\u0026\\u003e"}')
    with pytest.raises(DecodeError, match=r"^unexpected EOF$"):
        decode_stream(b'{"metadata": {"name": 1}')
