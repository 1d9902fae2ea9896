"""Golden transcripts: ``golden/*.sh`` run line by line in a fresh lab, compared with
``golden/*.out`` exactly.

Each script line is one lab-shell command (blank lines and ``#`` comments are skipped). The
transcript shows ``$ <command>``, then what it printed on stdout and stderr, then
``[exit N]`` when N is not 0. The lab is ``Lab(seed=0)`` with the repository as its folder, so
``manifests/…`` paths work.

These are regression snapshots of the lab's own output, reviewed against the upstream formats
cited in the kubectl modules (kubernetes.md §9). When a change is intended, regenerate with
``K8SLAB_UPDATE_GOLDEN=1 pytest tests/scenarios/test_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from k8slab import Lab

GOLDEN = Path(__file__).with_name("golden")
ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted(GOLDEN.glob("*.sh"))


def transcript(script: Path) -> str:
    lab = Lab(seed=0, workdir=ROOT)
    parts: list[str] = []
    for line in script.read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        result = lab.sh(line)
        parts.append(f"$ {line}\n{result.stdout}{result.stderr}")
        if result.exit_code:
            parts.append(f"[exit {result.exit_code}]\n")
    return "".join(parts)


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_golden_transcript(script: Path) -> None:
    got = transcript(script)
    expected_path = script.with_suffix(".out")
    if os.environ.get("K8SLAB_UPDATE_GOLDEN") == "1" or not expected_path.exists():
        expected_path.write_text(got)
    assert got == expected_path.read_text()


def test_transcripts_are_deterministic() -> None:
    script = GOLDEN / "errors.sh"
    assert transcript(script) == transcript(script)
