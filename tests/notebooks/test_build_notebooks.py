"""tools/build_notebooks.py: percent sources → executed notebooks that are byte-stable.

The nbval facts this relies on (widget-view bundles skipped, trace uids, nbclient's timing and
widget state) are in the jupyter reference §1.1 and §1.3.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("build_notebooks",
                                               ROOT / "tools" / "build_notebooks.py")
assert _spec is not None and _spec.loader is not None
build_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_notebooks)

SOURCE = '''
# %% [markdown]
# # Title
#
#     indented code in markdown
# %%
x = 1

# %% tags=["nbval-ignore-output"]
x

# %% [markdown] tags=["note"]
# text
# %% tags=["solution"]
%%sh
kubectl get pods
'''


def test_parse_percent_cells_tags_and_markdown() -> None:
    cells = build_notebooks.parse_percent(SOURCE)
    assert [(c["cell_type"], c["source"], c["tags"]) for c in cells] == [
        ("markdown", "# Title\n\n    indented code in markdown", []),
        ("code", "x = 1", []),
        ("code", "x", ["nbval-ignore-output"]),
        ("markdown", "text", ["note"]),
        ("code", "%%sh\nkubectl get pods", ["solution"]),
    ]


@pytest.mark.parametrize(("text", "message"), [
    ("x = 1\n# %%\n", "text before the first"),
    ("# %% tags=[oops]\n", "JSON list"),
    ("# %% [markdown]\nnot a comment\n", "must start with '#'"),
    ("# %% whatever\n", "cannot read cell header"),
    ("# %% [markdown]\n\n", "empty markdown cell"),
])
def test_parse_percent_rejects_malformed_sources(text: str, message: str) -> None:
    with pytest.raises(build_notebooks.SourceError, match=message):
        build_notebooks.parse_percent(text, "x.py")


def test_to_notebook_ids_tags_and_hidden_solutions(tmp_path: Path) -> None:
    src = tmp_path / "07-example.py"
    src.write_text(SOURCE)
    nb = build_notebooks.to_notebook(src)
    assert [c.id for c in nb.cells] == ["c07-000", "c07-001", "c07-002", "c07-003", "c07-004"]
    assert nb.cells[2].metadata == {"tags": ["nbval-ignore-output"]}
    assert nb.cells[4].metadata == {"tags": ["solution"], "jupyter": {"source_hidden": True}}
    assert nb.metadata.kernelspec.name == "python3"
    assert "version" not in nb.metadata.language_info
    nbformat.validate(nb)


def test_clean_drops_widget_views_timings_and_state() -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("w", id="c00-000")])
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {}}
    cell = nb.cells[0]
    cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={
            "text/plain": "a control", build_notebooks.WIDGET_VIEW: {"model_id": "ab12"}}),
        nbformat.v4.new_output("display_data", data={build_notebooks.WIDGET_VIEW: {}}),
    ]
    build_notebooks.clean(nb)
    assert "widgets" not in nb.metadata
    assert cell.metadata == {}
    assert [o.data for o in cell.outputs] == [{"text/plain": "a control"}]


def test_clean_merges_runs_of_the_same_stream() -> None:
    cell = nbformat.v4.new_code_cell("%%sh", id="c00-000")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="a\n"),
        nbformat.v4.new_output("stream", name="stdout", text=["b\n", "c\n"]),
        nbformat.v4.new_output("stream", name="stderr", text="oops\n"),
        nbformat.v4.new_output("stream", name="stdout", text="d\n"),
    ]
    nb = nbformat.v4.new_notebook(cells=[cell])
    build_notebooks.clean(nb)
    assert [(o.name, o.text) for o in nb.cells[0].outputs] == [
        ("stdout", "a\nb\nc\n"), ("stderr", "oops\n"), ("stdout", "d\n")]


def test_committed_notebooks_match_their_sources() -> None:
    """A notebook whose source changed must be rebuilt (``make notebooks``)."""
    sources = sorted((ROOT / "notebooks" / "src").glob("[0-9][0-9]-*.py"))
    assert sources
    for src in sources:
        target = ROOT / "notebooks" / (src.stem + ".ipynb")
        assert target.exists(), f"{target.name} missing: run make notebooks"
        committed = nbformat.read(target, as_version=4)
        fresh = build_notebooks.to_notebook(src)
        assert [(c.id, c.cell_type, c.source, c.metadata.get("tags", []))
                for c in committed.cells] == [
            (c.id, c.cell_type, c.source, c.metadata.get("tags", [])) for c in fresh.cells
        ], f"{target.name} is stale: run make notebooks"


TINY = '''
# %%
from k8slab.notebook.widgets import ReplicasControl
from k8slab.notebook.charts import pods_by_phase
from k8slab.sim.trace import Trace


class Tiny:
    trace = Trace()
    api = None


# %% tags=["nbval-ignore-output"]
import ipywidgets
ipywidgets.IntSlider(value=3, description="replicas")

# %%
pods_by_phase(Tiny.trace)

# %%
print("done")
'''


def test_building_twice_gives_identical_bytes(tmp_path: Path) -> None:
    src = tmp_path / "99-tiny.py"
    src.write_text(TINY)
    first = build_notebooks.build(src, out_dir=tmp_path, timeout=120).read_bytes()
    second = build_notebooks.build(src, out_dir=tmp_path, timeout=120).read_bytes()
    assert first == second
    nb = json.loads(first)
    assert "widgets" not in nb["metadata"]
    slider, figure, printed = (c["outputs"] for c in nb["cells"][1:])
    assert [list(o["data"]) for o in slider] == [["text/plain"]]
    assert list(figure[0]["data"]) == ["application/vnd.plotly.v1+json"]
    assert printed == [{"name": "stdout", "output_type": "stream", "text": ["done\n"]}]
    assert all("execution" not in c["metadata"] for c in nb["cells"])
