"""Determinism fingerprint: proof that a performance change changed nothing a learner can see.

Run: ``python bench/fingerprint.py [--nodes 50] [--replicas 1000] [--seconds 60]``. Boots the
large-cluster benchmark's cluster small, creates its Deployment, lets virtual time run, and
prints one JSON line: a hash of every trace record, a hash of every stored object, and the
counts of records, store revisions and loop steps.

Run it before and after a change meant only to make the lab faster: the line must not move.
Any difference in an object, an event, a random draw or the order of the loop's callbacks
shows up here. It is a tool, not a benchmark: ``bench/run.py`` does not run it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from large_cluster import big_config, create_web

from k8slab.api.kinds import KINDS
from k8slab.cluster import Cluster
from k8slab.sim.clock import SECOND


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nodes", type=int, default=50)
    parser.add_argument("--replicas", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60, help="virtual seconds to run")
    args = parser.parse_args()

    cluster = Cluster(seed=0, config=big_config(args.nodes))
    cluster.boot()
    create_web(cluster, args.replicas)
    cluster.loop.advance(args.seconds * SECOND)

    trace = hashlib.sha256()
    for record in cluster.trace:
        trace.update(json.dumps(list(record), sort_keys=True, default=str).encode())
    store = hashlib.sha256()
    # Every kind the store holds, in a fixed order; objects in etcd key order.
    kinds = sorted((k for k in KINDS if cluster.api.count(k)), key=lambda k: (k.group, k.kind))
    for kind in kinds:
        for obj in cluster.api.list(kind):
            store.update(json.dumps(obj, sort_keys=True, default=str).encode())
    print(json.dumps({"trace": trace.hexdigest()[:16], "store": store.hexdigest()[:16],
                      "records": len(cluster.trace), "revision": cluster.api.revision,
                      "steps": cluster.loop.steps}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
