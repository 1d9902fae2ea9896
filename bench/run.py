"""Run every benchmark in a fresh process and print their JSON results.

``make bench`` calls this. Results are recorded by hand in docs/benchmarks.md with the machine
and date, so a change in speed is visible in review.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ["large_cluster.py"],
    ["notebooks.py"],
    ["shell.py"],
    ["traffic.py"],
]


def main() -> int:
    status = 0
    for argv in BENCHMARKS:
        script = HERE / argv[0]
        if not script.exists():
            continue
        proc = subprocess.run([sys.executable, str(script), *argv[1:]], capture_output=True,
                              text=True, check=False)
        line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "{}"
        try:
            result = json.loads(line)
        except json.JSONDecodeError:
            result = {"error": proc.stdout[-2000:] + proc.stderr[-2000:]}
        print(json.dumps({"benchmark": argv[0], **result}))
        status = status or proc.returncode
    return status


if __name__ == "__main__":
    sys.exit(main())
