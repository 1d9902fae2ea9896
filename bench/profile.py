"""Where the large-cluster benchmark's work goes, counted instead of timed.

Run: ``python bench/profile.py [--nodes 50] [--replicas 500] [--by MODE] [--within NAME]
[--top 40]``. Boots the benchmark's cluster, creates its Deployment and, while the rollout
runs until every pod is available, counts per pod:

- ``function`` / ``module``: the interpreter's bytecodes (``sys.settrace`` with
  ``f_trace_opcodes``), by function or by source file;
- ``calls``: calls of Python functions and of C builtins (``sys.setprofile``);
- ``owner``: bytecodes by what the loop ran: the loop callback (``loop:Kubelet._status_tick``)
  or the watch handler (``watch:ReplicaSetController._on_pod``) they were spent under, callees
  included, split by the store write they were spent in (``create``, ``update``, ``bind``…);
- ``write``: bytecodes spent inside store writes, by operation and kind (``create Event``),
  with the number of such writes per pod and the cost of one;
- ``line``: bytecodes by source line of the functions named by ``--within`` (qualified names,
  comma-separated: ``--within APIServer.create,APIServer._plan``).

``--boot`` counts the boot of the cluster instead (per node, ``--replicas`` unused).

``--within`` narrows ``function`` to one owner (``--by function --within
loop:Kubelet._status_tick``) or one write (``--by function --within "create Pod"``).

Counts do not drift the way this VM's wall times do (±15 % between identical runs), so a
change can be judged on a small cluster in one run: the same seed gives the same counts in
every process. Tracing makes the run about fifty times slower; keep the cluster small. The
boot is not counted. For instructions, C included, run the benchmark itself under valgrind
(see docs/benchmarks.md, "Counting instead of timing").
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path
from types import CodeType, FrameType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
# The interpreter's trace hook sees Python bytecode only: count the pure-Python modules, not
# the compiled build (k8slab/_native.py).
os.environ["K8SLAB_PURE"] = "1"

from large_cluster import Rollout, big_config, create_web

from k8slab.api.store import APIServer
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND

# The store's writes, by code object (attributing bytecodes to writes and owners).
_WRITES = {APIServer.create.__code__: "create", APIServer.update.__code__: "update",
           APIServer.bind.__code__: "bind", APIServer.patch.__code__: "patch",
           APIServer.delete.__code__: "delete"}
# Frames below which the loop or a watch calls a component: the frame above one of these is
# the owner of everything under it.
_LOOP = ("Loop._run_while", "Loop.run_until")
_WATCH = ("Watch._flush", "_Fanout.deliver")
_RUN = "main.<locals>.run"  # what the harness runs: work outside the loop is "top:<callee>"


def _where(code: Any, by: str) -> str:
    if not isinstance(code, CodeType):  # a C builtin (calls)
        return "C " + getattr(code, "__qualname__", repr(code))
    if by == "module":
        return Path(code.co_filename).name
    return f"{code.co_qualname} ({Path(code.co_filename).name}:{code.co_firstlineno})"


def _write_name(frame: FrameType, op: str) -> str:
    obj = frame.f_locals.get("obj")
    kind = obj.get("kind", "?") if isinstance(obj, dict) else ("Pod" if op == "bind" else "?")
    if op == "update" and frame.f_locals.get("status"):
        op = "update/status"
    return f"{op} {kind}"


def _owner(frame: FrameType | None) -> tuple[str, str]:
    """(owner, outermost write) of a frame, found by walking its callers."""
    last: FrameType | None = None
    write = ""
    while frame is not None:
        code = frame.f_code
        op = _WRITES.get(code)
        if op is not None:
            write = _write_name(frame, op)
        name = code.co_qualname
        if name in _WATCH or name in _LOOP or name == _RUN:
            side = "watch:" if name in _WATCH else "loop:" if name in _LOOP else "top:"
            return side + (last.f_code.co_qualname if last is not None else "-"), write
        last, frame = frame, frame.f_back
    return "other", write


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--replicas", type=int, default=500)
    parser.add_argument("--by", choices=("function", "module", "calls", "owner", "write", "line"),
                        default="function")
    parser.add_argument("--within", default="",
                        help="an owner or write (function), or qualified names (line)")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--boot", action="store_true",
                        help="count the boot instead of the rollout, per node")
    args = parser.parse_args()
    by, within = args.by, args.within
    if by == "line" and not within:
        parser.error("--by line needs --within QUALNAME[,QUALNAME…]")

    cluster = Cluster(seed=0, config=big_config(args.nodes))
    if args.boot:
        def run() -> bool:
            cluster.boot()
            return True
    else:
        cluster.boot()
        create_web(cluster, args.replicas)
        rollout = Rollout(cluster, args.replicas)

        def run() -> bool:
            return cluster.loop.run_while(rollout.rolling, limit=3600 * SECOND, poll=SECOND)

    # Counted by code object (or C function, or owner) while tracing, named afterwards: the
    # tracer runs for every bytecode.
    raw: Counter[Any] = Counter()
    writes: Counter[str] = Counter()  # number of writes, by "op Kind"
    owners: dict[FrameType, tuple[str, str]] = {}
    lines = set(within.split(",")) if by == "line" else set()

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            raw[frame.f_code] += 1
        return tracer

    def owner_tracer(frame: FrameType, event: str, arg: Any) -> Any:
        frame.f_trace_opcodes = True
        if event == "opcode":
            where = owners.get(frame)
            if where is None:
                where = owners[frame] = _owner(frame)
            raw[(where, frame.f_code)] += 1
        elif event == "call":
            op = _WRITES.get(frame.f_code)
            if op is not None:
                writes[_write_name(frame, op)] += 1
        elif event == "return":
            owners.pop(frame, None)
        return owner_tracer

    def line_tracer(frame: FrameType, event: str, arg: Any) -> Any:
        if frame.f_code.co_qualname not in lines:
            return None
        frame.f_trace_opcodes = True
        if event == "opcode":
            raw[(frame.f_code.co_qualname, frame.f_lineno)] += 1
        return line_tracer

    def profiler(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            raw[frame.f_code] += 1
        elif event == "c_call":
            raw[arg] += 1

    if by == "calls":
        sys.setprofile(profiler)
    elif by == "line":
        sys.settrace(line_tracer)
    elif by in ("owner", "write") or within:
        sys.settrace(owner_tracer)
    else:
        sys.settrace(tracer)
    try:
        done = run()
    finally:
        sys.settrace(None)
        sys.setprofile(None)

    # per pod, or per node for the boot
    pods = args.nodes if args.boot else args.replicas
    counts: Counter[str] = Counter()
    if by == "line":
        for (name, line), n in sorted(raw.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
            print(f"{n / pods:10,.1f}  {name}:{line}")
        return 0 if done else 1
    if by == "owner":
        split: dict[str, Counter[str]] = {}
        for ((owner, write), _code), n in raw.items():
            counts[owner] += n
            split.setdefault(owner, Counter())[write or "outside writes"] += n
    elif by == "write":
        for ((_owner_name, write), _code), n in raw.items():
            counts[write or "outside writes"] += n
    elif within:
        for ((owner, write), code), n in raw.items():
            if within in (owner, write):
                counts[_where(code, by)] += n
    else:
        for code, n in raw.items():
            counts[_where(code, by)] += n
    what = "calls" if by == "calls" else "bytecodes"
    total = sum(raw.values())
    if args.boot:
        print(f"{total / pods:,.0f} {what} per node for the boot of {args.nodes} nodes")
    else:
        print(f"{total / pods:,.0f} {what} per pod over {pods} pods on {args.nodes} nodes "
              f"(all available: {done}); the harness's own wait is counted too")
    if within:
        print(f"{sum(counts.values()) / pods:,.0f} of them within {within}")
    for name, n in counts.most_common(args.top):
        extra = ""
        if by == "owner":
            extra = "   [" + ", ".join(f"{w}: {v / pods:,.0f}"
                                     for w, v in split[name].most_common(4)) + "]"
        elif by == "write" and name in writes:
            extra = f"   {writes[name] / pods:5.2f} per pod, {n / writes[name]:,.0f} each"
        print(f"{n / pods:10,.1f}  {100 * n / total:5.1f} %  {name}{extra}")
    return 0 if done else 1


if __name__ == "__main__":
    sys.exit(main())
