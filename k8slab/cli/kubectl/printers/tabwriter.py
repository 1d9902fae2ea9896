"""Elastic tabstops as kubectl lays them out: Go's ``text/tabwriter``.

kubectl aligns every table with a tabwriter. Text is written in tab-terminated cells; the cells
of one column *block* (consecutive lines that have that column) are padded to the widest cell of
the block plus ``padding``, never narrower than ``minwidth``. The text after the last tab of a
line is not part of any column and is written as is, so the last column of a table carries no
trailing spaces. A line without any tab ends every column block (the writer flushes), which is
why ``kubectl describe`` aligns its ``Name:``/``Namespace:`` block independently of the
``Containers:`` section below it.

This is a port of Go's ``text/tabwriter`` (the ``format``/``writeLines`` recursion, cell width in
runes, padding of empty cells) plus the ``RememberWidths`` flag of ``github.com/liggitt/tabwriter``
that kubectl uses: column widths survive a flush, so ``kubectl get -w`` keeps its columns steady.

Presets, as the callers configure them:

- :func:`table_writer` — ``k8s.io/cli-runtime/pkg/printers/tabwriter.go`` ``GetNewTabWriter``:
  minwidth 6, tabwidth 4, padding 3, pad ' ', ``RememberWidths`` (``kubectl get``);
- :func:`describe_writer` — ``k8s.io/kubectl/pkg/describe/describe.go`` ``tabbedString``:
  minwidth 0, tabwidth 8, padding 2, pad ' ' (``kubectl describe``, ``rollout history``).
"""

from __future__ import annotations

import re

__all__ = [
    "REMEMBER_WIDTHS",
    "TabWriter",
    "describe_writer",
    "table_writer",
    "tabulate",
]

#: liggitt/tabwriter's flag: remember the widest cell of each column across flushes.
REMEMBER_WIDTHS = 1 << 6

_SPLIT = re.compile(r"([\t\v\n\f])").split


class _Cell:
    __slots__ = ("htab", "text", "width")

    def __init__(self, text: str = "", htab: bool = False) -> None:
        self.text = text
        self.width = len(text)
        self.htab = htab


class TabWriter:
    """A Go ``tabwriter.Writer`` writing into a string buffer.

    ``write`` accepts any text; ``flush`` formats what is buffered (a final partial line is
    kept without a newline, like Go's); ``getvalue`` returns everything formatted so far.
    """

    def __init__(
        self,
        minwidth: int,
        tabwidth: int,
        padding: int,
        padchar: str = " ",
        flags: int = 0,
    ) -> None:
        self.minwidth = minwidth
        self.tabwidth = tabwidth
        self.padding = padding
        self.padchar = padchar
        self.flags = flags
        self._out: list[str] = []
        self._maxwidths: list[int] = []
        self._reset()

    # ------------------------------------------------------------------ buffer

    def _reset(self) -> None:
        self._pending = ""  # text of the cell being written
        self._lines: list[list[_Cell]] = [[]]
        self._widths: list[int] = []

    def set_remembered_widths(self, widths: list[int] | None) -> None:
        """``SetRememberedWidths``: kubectl resets them when a new resource type starts."""
        self._maxwidths = list(widths or [])

    def write(self, text: str) -> None:
        start = 0
        for i, ch in enumerate(text):
            if ch in "\t\v\n\f":
                self._pending += text[start:i]
                start = i + 1
                line = self._lines[-1]
                line.append(_Cell(self._pending, ch == "\t"))
                self._pending = ""
                if ch in "\n\f":
                    self._lines.append([])
                    # A line with a single cell cannot influence the layout of the lines after
                    # it (the last cell of a line belongs to no column): Go flushes here.
                    if ch == "\f" or len(line) == 1:
                        self._flush()
        self._pending += text[start:]

    def flush(self) -> None:
        self._flush()

    def getvalue(self) -> str:
        return "".join(self._out)

    # -------------------------------------------------------------- formatting

    def _flush(self) -> None:
        if self._pending:
            self._lines[-1].append(_Cell(self._pending, False))
            self._pending = ""
        self._format(0, len(self._lines))
        self._reset()

    def _format(self, line0: int, line1: int) -> None:
        column = len(self._widths)
        this = line0
        while this < line1:
            line = self._lines[this]
            if column >= len(line) - 1:
                this += 1
                continue
            # A cell exists in this column: this line starts a column block.
            self._write_lines(line0, this)
            line0 = this
            width = self.minwidth
            while this < line1:
                line = self._lines[this]
                if column >= len(line) - 1:
                    break
                w = line[column].width + self.padding
                if w > width:
                    width = w
                this += 1
            if self.flags & REMEMBER_WIDTHS:
                maxw = self._maxwidths
                if len(maxw) < len(self._widths):
                    maxw.extend(self._widths[len(maxw):])
                if len(maxw) == len(self._widths):
                    maxw.append(width)
                elif maxw[len(self._widths)] > width:
                    width = maxw[len(self._widths)]
                elif maxw[len(self._widths)] < width:
                    maxw[len(self._widths)] = width
            self._widths.append(width)
            self._format(line0, this)
            self._widths.pop()
            line0 = this
        self._write_lines(line0, line1)

    def _write_lines(self, line0: int, line1: int) -> None:
        out = self._out
        widths = self._widths
        last = len(self._lines) - 1
        for i in range(line0, line1):
            line = self._lines[i]
            for j, cell in enumerate(line):
                if cell.text:
                    out.append(cell.text)
                if j < len(widths):
                    out.append(self._padding(cell.width, widths[j]))
            if i != last:
                out.append("\n")

    def _padding(self, textw: int, cellw: int) -> str:
        if self.padchar == "\t":
            if self.tabwidth == 0:
                return ""
            cellw = (cellw + self.tabwidth - 1) // self.tabwidth * self.tabwidth
            n = cellw - textw
            return "\t" * ((n + self.tabwidth - 1) // self.tabwidth)
        return self.padchar * (cellw - textw)


def table_writer() -> TabWriter:
    """The writer behind ``kubectl get`` (cli-runtime ``GetNewTabWriter``)."""
    return TabWriter(6, 4, 3, " ", REMEMBER_WIDTHS)


def describe_writer() -> TabWriter:
    """The writer behind ``kubectl describe`` (describe.go ``tabbedString``)."""
    return TabWriter(0, 8, 2, " ", 0)


def tabulate(text: str, writer: TabWriter | None = None) -> str:
    """Run ``text`` through a writer (a fresh :func:`table_writer` by default) and flush."""
    w = writer or table_writer()
    w.write(text)
    w.flush()
    return w.getvalue()
