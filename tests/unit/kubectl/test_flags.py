"""pflag/cobra parsing (github.com/spf13/pflag flag.go, cobra command.go).

Expected texts are pflag's and kubectl's own (checked against the binary in
tests/oracle/test_kubectl_flags.py); here the parser is exercised directly.
"""

from __future__ import annotations

import pytest

from k8slab.cli.kubectl.cmd import find, lookup, tree
from k8slab.cli.kubectl.errors import KubectlError
from k8slab.cli.kubectl.flags import (
    Flag,
    FlagError,
    FlagSet,
    HelpRequested,
    go_quote,
    parse_bool,
    parse_duration,
)


def _flags(path: str = "kubectl get") -> FlagSet:
    fs = FlagSet()
    for flag in lookup(path).all_flags().values():
        fs.add(flag)
    return fs


def test_interspersed_flags_and_forms() -> None:
    fs = _flags()
    fs.parse(["pods", "-nkube-system", "-oyaml", "web", "--show-labels", "-l", "app=x",
              "--sort-by=.metadata.name"])
    assert fs.args == ["pods", "web"]
    assert fs["namespace"] == "kube-system"
    assert fs["output"] == "yaml"
    assert fs["show-labels"] is True
    assert fs["selector"] == "app=x"
    assert fs["sort-by"] == ".metadata.name"


def test_short_equals_and_grouped_booleans() -> None:
    fs = _flags("kubectl exec")
    fs.parse(["-it", "pod", "-c=app", "--", "sh", "-c", "echo -n hi"])
    assert fs["stdin"] is True and fs["tty"] is True
    assert fs["container"] == "app"
    assert fs.args == ["pod", "sh", "-c", "echo -n hi"]
    assert fs.args_len_at_dash == 1


def test_optional_value_flags_use_no_opt_default() -> None:
    fs = _flags("kubectl apply")
    fs.parse(["--dry-run", "-f", "x.yaml", "--validate"])
    assert fs["dry-run"] == "unchanged"
    assert fs["validate"] == "strict"
    assert fs["filename"] == ["x.yaml"]


def test_string_slice_splits_commas_and_accumulates() -> None:
    fs = _flags("kubectl apply")
    fs.parse(["-f", "a.yaml,b.yaml", "--filename=c.yaml"])
    assert fs["filename"] == ["a.yaml", "b.yaml", "c.yaml"]


def test_string_array_keeps_commas() -> None:
    fs = _flags("kubectl run")
    fs.parse(["x", "--env=A=1,2", "--env", "B=3"])
    assert fs["env"] == ["A=1,2", "B=3"]


@pytest.mark.parametrize(("argv", "message"), [
    (["--foo"], "unknown flag: --foo"),
    (["-x"], "unknown shorthand flag: 'x' in -x"),
    (["-n"], "flag needs an argument: 'n' in -n"),
    (["--namespace"], "flag needs an argument: --namespace"),
    (["---x"], "bad flag syntax: ---x"),
    (["--all-namespaces=foo"],
     'invalid argument "foo" for "-A, --all-namespaces" flag: strconv.ParseBool: parsing '
     '"foo": invalid syntax'),
    (["--chunk-size=1x"],
     'invalid argument "1x" for "--chunk-size" flag: strconv.ParseInt: parsing "1x": '
     "invalid syntax"),
    (["--request-timeout=5"], None),
])
def test_pflag_errors(argv: list[str], message: str | None) -> None:
    fs = _flags()
    if message is None:
        fs.parse(argv)
        return
    with pytest.raises(FlagError) as err:
        fs.parse(argv)
    assert str(err.value) == message


def test_help_flag_anywhere_and_stop_at_first_error() -> None:
    fs = _flags()
    fs.parse(["pods", "--help"])
    assert fs["help"] is True
    with pytest.raises(FlagError):
        _flags().parse(["pods", "--help", "--foo"])
    with pytest.raises(HelpRequested):
        FlagSet().parse(["-h"])


def test_deprecated_flag_notice_per_use() -> None:
    fs = _flags("kubectl scale")
    notices: list[str] = []
    fs.parse(["--record", "deploy/x", "--record=false"], on_notice=notices.append)
    assert notices == ["Flag --record has been deprecated, --record will be removed in the "
                       "future\n"] * 2
    assert fs["record"] is False


def test_change_cause_keeps_argv_order_and_raw_values() -> None:
    # record_flags.go parseCommandArguments: positional words, then --name=value as typed.
    fs = _flags("kubectl apply")
    fs.parse(["-f", "k8s.run.yaml", "--record"])
    assert [(f.name, v) for f, v in fs.given] == [("filename", "k8s.run.yaml"),
                                                  ("record", "true")]


def test_cobra_find_strips_flags_before_the_subcommand() -> None:
    cmd, rest = find(tree(), ["-n", "kube-system", "get", "pods"])
    assert cmd.path == "kubectl get"
    assert rest == ["-n", "kube-system", "pods"]
    cmd, _ = find(tree(), ["rollout", "-n", "x", "status", "deploy/a"])
    assert cmd.path == "kubectl rollout status"
    cmd, _ = find(tree(), ["create", "deploy", "x"])
    assert cmd.path == "kubectl create deployment"  # alias


def test_unknown_flag_before_command_eats_it_like_cobra() -> None:
    # stripFlags assumes an unknown "--foo" takes a value, so "get" is not a command word.
    cmd, rest = find(tree(), ["--foo", "get"])
    assert cmd.path == "kubectl" and rest == ["--foo", "get"]


def test_unknown_command_suggestions_follow_add_order() -> None:
    with pytest.raises(KubectlError) as err:
        find(tree(), ["gett"])
    assert str(err.value) == ('unknown command "gett" for "kubectl"\n\nDid you mean this?\n'
                              "\tset\n\tget\n")


def test_go_value_helpers() -> None:
    assert go_quote('a"b\n\x01é') == '"a\\"b\\n\\x01é"'
    assert parse_bool("T") is True and parse_bool("0") is False
    with pytest.raises(ValueError, match=r'strconv\.ParseBool: parsing "yes": invalid syntax'):
        parse_bool("yes")
    assert parse_duration("1m30s") == 90_000_000_000
    assert parse_duration("1.5h") == 5_400_000_000_000
    assert parse_duration("0") == 0
    with pytest.raises(ValueError, match='time: missing unit in duration "5"'):
        parse_duration("5")
    with pytest.raises(ValueError, match='time: unknown unit "x" in duration "5x"'):
        parse_duration("5x")
    with pytest.raises(ValueError, match='time: invalid duration "abc"'):
        parse_duration("abc")


def test_int_flags_accept_go_base_prefixes() -> None:
    fs = FlagSet()
    fs.add(Flag("replicas", "int", 0))
    fs.parse(["--replicas=0x10"])
    assert fs["replicas"] == 16
