"""Benchmark: what the lab shell costs a learner, through the public ``Lab``.

Two of the talk's command lines, each run in a fresh ``Lab(seed=0)`` with the course's
Deployment and NodePort Service (``ms.iirii.com:30044``):

- ``kubectl``: ``for i in `seq 100`; do kubectl get pods | grep NAME > /dev/null; done`` —
  wall seconds for the 100 iterations (a real kubectl call, table printing and a pipe each);
- ``wget_loop``: ``while true; do wget -q -O- http://ms.iirii.com:30044; done`` for 10 s of
  virtual time (the HPA chapter's load loop) — iterations and wall microseconds per iteration.

Run: ``python bench/shell.py``. Prints one JSON line; best of three runs of each line. (The
wall clock is read here, in the benchmark, never in the library.)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from k8slab import Lab


def course_lab() -> Lab:
    lab = Lab(seed=0)
    lab.sh("kubectl create deployment --image nginx:1.10 test-web-deployment --replicas 3")
    lab.sh("kubectl create service nodeport test-web-deployment --tcp=80:80 --node-port=30044")
    lab.sleep(40)
    return lab


def best_of(runs: int, lab: Lab, line: str, run_for: float | None = None) -> tuple[float, str]:
    best = float("inf")
    out = ""
    for _ in range(runs):
        start = time.perf_counter()
        result = lab.sh(line, run_for=run_for)
        best = min(best, time.perf_counter() - start)
        out = result.stdout
    return best, out


def main() -> int:
    lab = course_lab()
    kubectl_s, _ = best_of(3, lab, "for i in `seq 100`; do kubectl get pods | grep NAME "
                                   "> /dev/null; done")
    loop_s, out = best_of(3, lab, "while true; do wget -q -O- http://ms.iirii.com:30044; done",
                          run_for=10)
    iterations = out.count("</html>")
    print(json.dumps({
        "kubectl_100_iterations_wall_s": round(kubectl_s, 3),
        "wget_loop_iterations": iterations,
        "wget_loop_wall_us_per_iteration": round(loop_s / max(1, iterations) * 1e6, 1),
    }))
    return 0 if iterations else 1


if __name__ == "__main__":
    sys.exit(main())
