"""Go ``text/tabwriter`` semantics as kubectl relies on them.

References: Go's ``text/tabwriter`` documentation and its ``ExampleWriter_Init`` (tab padding,
"the last cell of a line is not part of a column"), kubernetes.md §0.1 (kubectl's tabwriter:
minwidth 6, tabwidth 4, padding 3; a column is its widest cell + 3, at least 6; the last column
unpadded) and liggitt/tabwriter's ``RememberWidths`` (widths survive a flush).
"""

from __future__ import annotations

from k8slab.cli.kubectl.printers.tabwriter import (
    REMEMBER_WIDTHS,
    TabWriter,
    describe_writer,
    table_writer,
    tabulate,
)


def test_go_example_tab_padding() -> None:
    # text/tabwriter ExampleWriter_Init, first half (padchar '\t', tabwidth 8).
    w = TabWriter(0, 8, 0, "\t", 0)
    w.write("a\tb\tc\td\t.\n")
    w.write("123\t12345\t1234567\t123456789\t.\n")
    w.write("\n")
    w.flush()
    assert w.getvalue() == "a\tb\tc\td\t\t.\n123\t12345\t1234567\t123456789\t.\n\n"


def test_cell_width_is_widest_text_plus_padding_but_at_least_minwidth() -> None:
    # ExampleWriter_Init's second table, left-aligned: minwidth 5, padding 1.
    w = TabWriter(5, 0, 1, "-", 0)
    w.write("a\tb\tc\td\t.\n")
    w.write("123\t12345\t1234567\t123456789\t.\n")
    w.flush()
    assert w.getvalue() == ("a----b-----c-------d---------.\n"
                            "123--12345-1234567-123456789-.\n")


def test_kubectl_columns_min_width_and_unpadded_last_column() -> None:
    # kubernetes.md §9.1 sample: READY column is 8 wide ("READY" + 3), AGE is last: no padding.
    text = tabulate("NAME\tREADY\tUP-TO-DATE\tAVAILABLE\tAGE\n"
                    "nginx-deployment\t3/3\t3\t3\t18s\n")
    assert text == ("NAME               READY   UP-TO-DATE   AVAILABLE   AGE\n"
                    "nginx-deployment   3/3     3            3           18s\n")


def test_short_cells_are_padded_to_minwidth_6() -> None:
    assert tabulate("A\tB\n") == "A     B\n"


def test_line_without_tab_ends_column_blocks() -> None:
    # Each block of tabbed lines is aligned on its own, as in kubectl describe output.
    w = describe_writer()
    w.write("Name:\tx\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tnginx\n")
    w.flush()
    assert w.getvalue() == ("Name:       x\nNamespace:  default\nContainers:\n  c:\n"
                            "    Image:  nginx\n")


def test_cells_of_different_line_lengths_belong_to_different_blocks() -> None:
    # The second cell of lines 1 and 3 is in the same column only if line 2 has it too.
    w = describe_writer()
    w.write("a\tbb\tc\naaa\td\nx\ty\tz\n")
    w.flush()
    assert w.getvalue() == "a    bb  c\naaa  d\nx    y  z\n"


def test_empty_cells_are_padded() -> None:
    w = describe_writer()
    w.write("Namespace\tName\t\tCPU\nkube-system\tetcd\t\t100m\n")
    w.flush()
    assert w.getvalue() == "Namespace    Name    CPU\nkube-system  etcd    100m\n"


def test_remember_widths_keep_columns_across_flushes() -> None:
    w = TabWriter(6, 4, 3, " ", REMEMBER_WIDTHS)
    w.write("NAME\tREADY\nvery-long-name\t1/1\n")
    w.flush()
    w.write("x\t0/1\n")
    w.flush()
    assert w.getvalue().splitlines()[-1] == "x" + " " * 16 + "0/1"
    plain = table_writer()
    plain.set_remembered_widths(None)
    plain.write("x\t0/1\n")
    plain.flush()
    assert plain.getvalue() == "x     0/1\n"


def test_partial_last_line_is_kept_without_newline() -> None:
    w = describe_writer()
    w.write("a\tb\nc")
    w.flush()
    assert w.getvalue() == "a  b\nc"


def test_width_counts_runes() -> None:
    assert tabulate("日本\tx\nab\ty\n") == "日本    x\nab    y\n"
