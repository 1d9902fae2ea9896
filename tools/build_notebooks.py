"""Build the course notebooks from their text sources, executed and with stable outputs.

Chapters are written as ``notebooks/src/NN-title.py`` in a minimal "percent" format:

    # %% [markdown]
    # # A heading
    # Some text (each line starts with "#", one following space is dropped).

    # %%
    lab = Lab(seed=0)

    # %% tags=["nbval-ignore-output"]
    fig

A header may carry ``tags=[...]`` (a JSON list) on code and markdown cells. Cells tagged
``solution`` get their input collapsed in JupyterLab (``jupyter.source_hidden``), so a learner
sees that a solution exists without reading it by accident.

Each source becomes ``notebooks/NN-title.ipynb``: converted, executed with nbclient in a fresh
kernel whose working directory is ``notebooks/`` (where nbval runs it too), and saved with its
outputs. Everything that differs between two runs is removed, so building twice gives
byte-identical files:

- cell ids are ``cNN-III`` (chapter and cell index);
- no execution timings (``record_timing=False``) and no widget state
  (``store_widget_state=False``); the widget-view part of an output bundle, whose model id is
  random, is dropped, leaving the widget's ``text/plain``;
- consecutive outputs of the same stream are merged (how printing is cut into messages depends
  on the kernel's flush timing; nbval merges them the same way before comparing);
- ``language_info`` keeps only fields that do not name the Python version.

Usage: ``python tools/build_notebooks.py [--no-execute] [--allow-errors] [NN|path ...]``
(``make notebooks`` builds every chapter).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOURCES = NOTEBOOKS / "src"

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
# What nbval and the build set for every run (jupyter reference §1.6).
ENVIRONMENT = {"TQDM_DISABLE": "1", "PLOTLY_RENDERER": "plotly_mimetype"}

_HEADER = re.compile(r"^# %%(?P<rest>.*)$")
_REST = re.compile(r"^\s*(?:\[(?P<type>markdown|md|raw)\])?\s*(?:tags=(?P<tags>\[.*\]))?\s*$")


class SourceError(ValueError):
    """A malformed chapter source, with the file and line."""


def parse_percent(text: str, origin: str = "<source>") -> list[dict[str, Any]]:
    """Split a percent-format source into ``{"cell_type", "source", "tags"}`` dicts."""
    cells: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        m = _HEADER.match(line)
        if m:
            rest = _REST.match(m.group("rest"))
            if rest is None:
                raise SourceError(f"{origin}:{lineno}: cannot read cell header {line!r}")
            tags: list[str] = []
            if rest.group("tags"):
                try:
                    tags = json.loads(rest.group("tags"))
                except json.JSONDecodeError as exc:
                    raise SourceError(f"{origin}:{lineno}: tags must be a JSON list of "
                                      f"strings: {exc}") from None
                if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
                    raise SourceError(f"{origin}:{lineno}: tags must be a JSON list of strings")
            kind = {"md": "markdown", None: "code"}.get(rest.group("type"), rest.group("type"))
            current = {"cell_type": kind, "lines": [], "tags": tags, "line": lineno}
            cells.append(current)
            continue
        if current is None:
            if line.strip():
                raise SourceError(f"{origin}:{lineno}: text before the first '# %%' header")
            continue
        if current["cell_type"] == "markdown":
            if line.strip() and not line.startswith("#"):
                raise SourceError(f"{origin}:{lineno}: markdown lines must start with '#'")
            line = line[2:] if line.startswith("# ") else line[1:]
        current["lines"].append(line)
    out = []
    for cell in cells:
        lines = cell.pop("lines")
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines and cell["cell_type"] == "markdown":
            raise SourceError(f"{origin}:{cell['line']}: empty markdown cell")
        cell["source"] = "\n".join(lines)
        out.append(cell)
    return out


def chapter_of(path: Path) -> str:
    m = re.match(r"^(\d+)-", path.name)
    if m is None:
        raise SourceError(f"{path.name}: chapter sources are named NN-title.py")
    return m.group(1)


def to_notebook(path: Path) -> nbformat.NotebookNode:
    """The unexecuted notebook of one chapter source."""
    chapter = chapter_of(path)
    cells = []
    for index, cell in enumerate(parse_percent(path.read_text(encoding="utf-8"), str(path))):
        metadata: dict[str, Any] = {}
        if cell["tags"]:
            metadata["tags"] = cell["tags"]
        if "solution" in cell["tags"]:
            metadata["jupyter"] = {"source_hidden": True}
        cell_id = f"c{chapter}-{index:03d}"
        if cell["cell_type"] == "markdown":
            node = nbformat.v4.new_markdown_cell(cell["source"], metadata=metadata, id=cell_id)
        elif cell["cell_type"] == "raw":
            node = nbformat.v4.new_raw_cell(cell["source"], metadata=metadata, id=cell_id)
        else:
            node = nbformat.v4.new_code_cell(cell["source"], metadata=metadata, id=cell_id)
        cells.append(node)
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.nbformat_minor = 5
    nb.metadata = nbformat.from_dict({
        "kernelspec": dict(KERNELSPEC),
        "language_info": dict(LANGUAGE_INFO),
    })
    return nb


def execute(nb: nbformat.NotebookNode, *, timeout: int, allow_errors: bool) -> None:
    from nbclient import NotebookClient

    os.environ.update(ENVIRONMENT)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        allow_errors=allow_errors,
        record_timing=False,
        store_widget_state=False,
    )
    client.execute()


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Remove everything that changes from run to run (see the module docstring)."""
    nb.metadata.pop("widgets", None)
    nb.metadata["language_info"] = nbformat.from_dict(LANGUAGE_INFO)
    for cell in nb.cells:
        for key in ("execution", "ExecuteTime", "collapsed", "scrolled"):
            cell.metadata.pop(key, None)
        if cell.cell_type != "code":
            continue
        outputs: list[Any] = []
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data is not None:
                data.pop(WIDGET_VIEW, None)
                if not data:
                    continue
            out.pop("transient", None)
            if (out.get("output_type") == "stream" and outputs
                    and outputs[-1].get("output_type") == "stream"
                    and outputs[-1].get("name") == out.get("name")):
                # How a cell's printing is cut into messages depends on the kernel's flush
                # timing; one stream output per run of the same stream is stable.
                outputs[-1]["text"] = _text(outputs[-1]["text"]) + _text(out["text"])
                continue
            outputs.append(out)
        cell.outputs = outputs
    return nb


def _text(text: Any) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


def build(path: Path, *, run: bool = True, timeout: int = 600, allow_errors: bool = False,
          out_dir: Path = NOTEBOOKS) -> Path:
    """Convert (and execute) one chapter source; returns the written notebook's path.

    The kernel always runs in ``notebooks/`` (where nbval runs it), whatever ``out_dir`` is.
    """
    nb = to_notebook(path)
    if run:
        execute(nb, timeout=timeout, allow_errors=allow_errors)
    nb = clean(nb)
    nbformat.validate(nb)
    target = out_dir / (path.stem + ".ipynb")
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    target.write_text(text, encoding="utf-8")
    return target


def _select(names: list[str]) -> list[Path]:
    sources = sorted(SOURCES.glob("[0-9][0-9]-*.py"))
    if not names:
        return sources
    chosen = []
    for name in names:
        p = Path(name)
        if p.suffix == ".py" and p.exists():
            chosen.append(p.resolve())
            continue
        hits = [s for s in sources if s.name.startswith(name)]
        if not hits:
            raise SystemExit(f"no chapter source matches {name!r}")
        chosen.extend(hits)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="NN prefixes or source paths (default: all)")
    parser.add_argument("--no-execute", action="store_true",
                        help="only convert; the notebook has no outputs")
    parser.add_argument("--allow-errors", action="store_true",
                        help="keep going past failing cells (their errors are saved)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    for path in _select(args.chapters):
        target = build(path, run=not args.no_execute, timeout=args.timeout,
                       allow_errors=args.allow_errors)
        print(f"built {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
