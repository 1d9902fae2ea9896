"""The human-readable ``kubectl get`` layout (cli-runtime tableprinter.go, kubectl get.go).

References: kubernetes.md §0.1 (upper-cased headers, NAMESPACE column with -A, tabwriter
6/4/3), §9.1 (samples), tableprinter.go ``decorateTable`` (kind prefix, ``-L`` header = last
path segment, LABELS ``<none>``), ``printRows`` (cells cut at a newline with ``...``), get.go
(one blank line between resource types, none with ``--no-headers``; no header without rows).
"""

from __future__ import annotations

from typing import Any

from k8slab.api.kinds import Kind, lookup
from k8slab.api.printers import Column, Table
from k8slab.cli.kubectl.printers.table import render

Obj = dict[str, Any]


def kind(name: str) -> Kind:
    k = lookup(name)
    assert k is not None
    return k


def obj(name: str, ns: str = "default", labels: Obj | None = None) -> Obj:
    return {"metadata": {"name": name, "namespace": ns, "labels": labels or {}}}


POD_T = Table(
    [Column("Name", format="name"), Column("Ready"), Column("Status"), Column("Restarts"),
     Column("Age"), Column("IP", 1), Column("Node", 1)],
    [["nginx-deployment-75675f5897-k2q9m", "1/1", "Running", "2 (12s ago)", "5m3s",
      "10.244.1.4", "t.cs.2"]],
)


def test_reference_sample_pod_table() -> None:
    # kubernetes.md §9.1, second sample, byte for byte.
    assert render([(kind("pods"), POD_T, [obj("nginx-deployment-75675f5897-k2q9m")])]) == (
        "NAME                                READY   STATUS    RESTARTS      AGE\n"
        "nginx-deployment-75675f5897-k2q9m   1/1     Running   2 (12s ago)   5m3s\n"
    )


def test_wide_shows_priority_one_columns() -> None:
    text = render([(kind("pods"), POD_T, [obj("p")])], wide=True)
    assert text.splitlines()[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP",
                                            "NODE"]
    assert text.splitlines()[1].endswith("10.244.1.4   t.cs.2")


def test_all_namespaces_adds_namespace_column_for_namespaced_kinds_only() -> None:
    t = Table([Column("Name", format="name"), Column("Status")], [["a", "Ready"]])
    pods = render([(kind("pods"), t, [obj("a", "kube-system")])], namespace_column=True)
    assert pods == "NAMESPACE     NAME   STATUS\nkube-system   a      Ready\n"
    nodes = render([(kind("nodes"), t, [obj("a", "")])], namespace_column=True)
    assert nodes == "NAME   STATUS\na      Ready\n"


def test_several_types_get_kind_prefix_and_a_blank_line_between() -> None:
    nodes = Table([Column("Name", format="name"), Column("Status")], [["t.cs.1", "Ready"]])
    deps = Table([Column("Name", format="name"), Column("Ready")], [["web", "1/1"]])
    text = render([(kind("nodes"), nodes, [obj("t.cs.1", "")]),
                   (kind("deploy"), deps, [obj("web")])], show_kind=True)
    assert text == ("NAME          STATUS\nnode/t.cs.1   Ready\n\n"
                    "NAME                  READY\ndeployment.apps/web   1/1\n")


def test_empty_group_prints_nothing_and_no_extra_blank_line() -> None:
    t = Table([Column("Name", format="name"), Column("Age")], [["x", "1s"]])
    empty = Table([Column("Name", format="name"), Column("Age")], [])
    text = render([(kind("pods"), t, [obj("x")]), (kind("svc"), empty, []),
                   (kind("deploy"), t, [obj("x")])], show_kind=True)
    assert text == "NAME    AGE\npod/x   1s\n\nNAME                AGE\ndeployment.apps/x   1s\n"
    assert render([(kind("svc"), empty, [])]) == ""


def test_no_headers_has_no_separator_line() -> None:
    t = Table([Column("Name", format="name"), Column("Age")], [["x", "1s"]])
    text = render([(kind("pods"), t, [obj("x")]), (kind("svc"), t, [obj("x")])],
                  show_kind=True, no_headers=True)
    assert text == "pod/x   1s\nservice/x   1s\n"


def test_show_labels_and_label_columns() -> None:
    t = Table([Column("Name", format="name"), Column("Age")], [["a", "1s"], ["b", "2s"]])
    objs = [obj("a", labels={"tier": "fe", "app": "web"}), obj("b")]
    text = render([(kind("pods"), t, objs)], show_labels=True,
                  label_columns=["app.kubernetes.io/app", "tier"])
    assert text == ("NAME   AGE   APP   TIER   LABELS\n"
                    "a      1s          fe     app=web,tier=fe\n"
                    "b      2s                 <none>\n")


def test_multiline_cells_are_cut_with_ellipsis() -> None:
    t = Table([Column("Name", format="name"), Column("Message")], [["e", "first\nsecond"]])
    assert render([(kind("events"), t, [obj("e")])]) == "NAME   MESSAGE\ne      first...\n"


def test_extra_cells_beyond_columns_are_dropped() -> None:
    # IPAddress rows carry an AGE cell without a column (printers.go printIPAddress).
    t = Table([Column("Name", format="name"), Column("ParentRef")],
              [["10.96.0.1", "services/default/kubernetes", "5m"]])
    text = render([(kind("ipaddresses"), t, [obj("10.96.0.1", "")])])
    assert text == "NAME        PARENTREF\n10.96.0.1   services/default/kubernetes\n"


def test_uniform_layout_shortcut_equals_the_tabwriter() -> None:
    # render lays out uniform tables directly; it must match text/tabwriter exactly.
    import random

    from k8slab.cli.kubectl.printers.table import _layout
    from k8slab.cli.kubectl.printers.tabwriter import tabulate

    rng = random.Random(7)
    alphabet = ["", "a", "ab", "nginx-deployment", "日本語", "<none>", "10.244.1.4", "x" * 20]
    for _ in range(200):
        ncols = rng.randint(1, 6)
        lines = [[rng.choice(alphabet) for _ in range(ncols)] for _ in range(rng.randint(1, 5))]
        text = "".join("\t".join(line) + "\n" for line in lines)
        assert _layout(lines) == tabulate(text)
