"""Benchmark: execute every course notebook, top to bottom, in a fresh kernel.

Run: ``python bench/notebooks.py [NN ...]``. Each chapter runs the way nbval and a learner's
"Run All" run it: nbclient starts a new ``python3`` kernel whose working directory is
``notebooks/`` and executes every cell. Prints one JSON line: seconds per chapter (kernel start
included, since a learner waits for it too), the total for the foundation chapters 00–03 that
the target in docs/benchmarks.md is about, and the total for all chapters. The wall clock is
read here, in the benchmark, never in the library.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
FOUNDATION = ("00", "01", "02", "03")


def run(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    start = time.perf_counter()
    client.execute()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("chapters", nargs="*", help="chapter numbers (default: all)")
    args = parser.parse_args()
    # The same environment as `make test`: plotly figures as mimetype bundles, no progress bars.
    os.environ.setdefault("PLOTLY_RENDERER", "plotly_mimetype")
    os.environ.setdefault("TQDM_DISABLE", "1")
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    if args.chapters:
        paths = [p for p in paths if p.name[:2] in args.chapters]
    seconds = {p.name[:2]: round(run(p), 2) for p in paths}
    result = {
        "chapters_s": seconds,
        "foundation_00_03_s": round(sum(v for k, v in seconds.items() if k in FOUNDATION), 2),
        "all_s": round(sum(seconds.values()), 2),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
