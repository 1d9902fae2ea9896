"""Where the large-cluster benchmark's work goes, counted instead of timed.

Run: ``python bench/profile.py [--nodes 50] [--replicas 500] [--by function|module|calls]
[--top 40]``. Boots the benchmark's cluster, creates its Deployment and, while the rollout
runs until every pod is available, counts per pod:

- ``function`` / ``module``: the interpreter's bytecodes (``sys.settrace`` with
  ``f_trace_opcodes``), by function or by source file;
- ``calls``: calls of Python functions and of C builtins (``sys.setprofile``).

Counts do not drift the way this VM's wall times do (±15 % between identical runs), so a
change can be judged on a small cluster in one run: the same seed gives the same counts in
every process. Tracing makes the run about fifty times slower; keep the cluster small. The
boot is not counted. For instructions, C included, run the benchmark itself under valgrind
(see docs/benchmarks.md, "Counting instead of timing").
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_cluster import Rollout, big_config, create_web

from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND


def _where(code: Any, by: str) -> str:
    if not isinstance(code, CodeType):  # a C builtin (calls)
        return "C " + getattr(code, "__qualname__", repr(code))
    if by == "module":
        return Path(code.co_filename).name
    return f"{code.co_qualname} ({Path(code.co_filename).name}:{code.co_firstlineno})"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--replicas", type=int, default=500)
    parser.add_argument("--by", choices=("function", "module", "calls"), default="function")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    cluster = Cluster(seed=0, config=big_config(args.nodes))
    cluster.boot()
    create_web(cluster, args.replicas)
    rollout = Rollout(cluster, args.replicas)

    # Counted by code object (or C function) while tracing, named afterwards: the tracer
    # runs for every bytecode.
    raw: Counter[Any] = Counter()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            raw[frame.f_code] += 1
        return tracer

    def profiler(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            raw[frame.f_code] += 1
        elif event == "c_call":
            raw[arg] += 1

    by = args.by

    if by == "calls":
        sys.setprofile(profiler)
    else:
        sys.settrace(tracer)
    try:
        done = cluster.loop.run_while(rollout.rolling, limit=3600 * SECOND, poll=SECOND)
    finally:
        sys.settrace(None)
        sys.setprofile(None)
    counts: Counter[str] = Counter()
    for code, n in raw.items():
        counts[_where(code, by)] += n
    what = "calls" if by == "calls" else "bytecodes"
    total = sum(counts.values())
    print(f"{total / args.replicas:,.0f} {what} per pod over {args.replicas} pods on "
          f"{args.nodes} nodes (all available: {done}); the harness's own wait is counted too")
    for name, n in counts.most_common(args.top):
        print(f"{n / args.replicas:10,.1f}  {100 * n / total:5.1f} %  {name}")
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
