"""What every kubectl command gets from its factory (``k8s.io/kubectl/pkg/cmd/util/factory.go``).

The factory stands between a command and the cluster: it knows the kubeconfig (the lab's
single ``kubernetes-admin@kubernetes`` context, namespace ``default`` unless ``-n``), maps
resource names to kinds through discovery (:mod:`k8slab.api.kinds`), and makes the API calls —
``source="kubectl"``, ``trusted=False``, so the apiserver copies, decodes, defaults and
validates every body as it would a real request.

It also keeps the command's clock. A real kubectl call costs a process start, a kubeconfig
load, discovery (mostly from its disk cache) and one round trip per request. Each request made
here adds a seeded latency to a pending cost, and :meth:`Factory.settle` lets that much
virtual time pass — after the reads and writes, so the controllers react while the learner
"waits" for the command (see docs/realism.md, "kubectl").
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TYPE_CHECKING, Any

from ...api.kinds import Kind, lookup
from ...sim.clock import MILLISECOND, SECOND
from ...sim.process import Sleep
from .errors import KubectlError, NoResourceMatch, Verbatim

if TYPE_CHECKING:
    from .cmd import Invocation

__all__ = ["CONTEXT", "DEFAULT_WATCH_LIMIT", "SOURCE", "Factory"]

SOURCE = "kubectl"
CONTEXT = "kubernetes-admin@kubernetes"
CLUSTER = "kubernetes"
USER = "kubernetes-admin"
# How long an unbounded command (get -w, logs -f, rollout status…) runs when the workstation
# sets no deadline: the learner presses Ctrl-C after a minute.
DEFAULT_WATCH_LIMIT = 60 * SECOND

# Latency model (ns): process start + kubeconfig + cached discovery, then each request.
_START = (25 * MILLISECOND, 45 * MILLISECOND)
_REQUEST = (4 * MILLISECOND, 12 * MILLISECOND)


class Factory:
    """Per-invocation access to the cluster, the kubeconfig and the command's clock."""

    def __init__(self, inv: Invocation) -> None:
        self.inv = inv
        self.ctx = inv.ctx
        self.started = inv.ctx.loop.now
        self._pending = 0
        self._started_cost = False

    # ------------------------------------------------------------------ cluster

    @property
    def cluster(self) -> Any:
        host = self.ctx.host
        cluster = getattr(host, "cluster", None)
        if cluster is None:
            raise KubectlError(
                "The connection to the server localhost:8080 was refused - did you specify "
                "the right host or port?"
            )
        return cluster

    @property
    def api(self) -> Any:
        return self.cluster.api

    @property
    def now(self) -> int:
        return int(self.ctx.loop.now)

    @property
    def server(self) -> str:
        nodes = getattr(self.cluster.config, "nodes", ())
        for node in nodes:
            if getattr(node, "role", "") == "control-plane":
                return f"https://{node.ip}:6443"
        return "https://127.0.0.1:6443"

    # ------------------------------------------------------------------ kubeconfig

    def check_config(self) -> None:
        """Global flags naming another kubeconfig, context, cluster or user."""
        flags = self.inv.flags
        path = flags.get("kubeconfig") or ""
        if path:
            from ...sim.fs import normpath

            full = normpath(path, self.ctx.cwd)
            if not self.ctx.fs.exists(full):
                raise KubectlError(f"stat {path}: no such file or directory")
        context = flags.get("context") or ""
        if context and context != CONTEXT:
            raise _ConfigError(f"context was not found for specified context: {context}")
        cluster = flags.get("cluster") or ""
        if cluster and cluster != CLUSTER:
            raise _ConfigError(f"cluster \"{cluster}\" does not exist")
        user = flags.get("user") or ""
        if user and user != USER:
            raise _ConfigError(f"auth info \"{user}\" does not exist")

    def namespace(self) -> tuple[str, bool]:
        """The namespace to use and whether it was given explicitly (``-n``)."""
        ns = self.inv.flags.get("namespace") or ""
        if ns:
            return ns, True
        return "default", False

    # ------------------------------------------------------------------ discovery

    def mapping(self, resource: str) -> Kind:
        """``RESTMapper.KindFor`` of a resource argument (``po``, ``deploy.apps``…)."""
        kind = lookup(resource)
        if kind is None or not self.served(kind):
            raise _no_match(resource)
        return kind

    def served(self, kind: Kind) -> bool:
        """Whether discovery lists ``kind`` (CRDs appear once installed)."""
        serves = getattr(self.api, "serves", None)
        if serves is None:
            return True
        return bool(serves(kind))

    # ------------------------------------------------------------------ time

    def request(self, count: int = 1) -> None:
        """Account for ``count`` API round trips."""
        rng = self.cluster.streams("kubectl")
        if not self._started_cost:
            self._started_cost = True
            self._pending += rng.randint(*_START)
        for _ in range(count):
            self._pending += rng.randint(*_REQUEST)

    def settle(self) -> Generator[Any, Any, None]:
        """Let the time the requests so far took pass (controllers react meanwhile)."""
        if not self._started_cost:
            self.request(0)
        if self._pending:
            pending, self._pending = self._pending, 0
            yield Sleep(pending)

    def finish(self) -> int:
        """The cost still owed when the command ends."""
        if not self._started_cost:
            self.request(0)
        pending, self._pending = self._pending, 0
        return pending

    def deadline(self) -> int:
        """Absolute virtual time at which an endless command stops (the learner's Ctrl-C)."""
        deadline = self.ctx.extra.get("deadline")
        if deadline is None:
            return self.started + DEFAULT_WATCH_LIMIT
        return int(deadline)


class _ConfigError(Verbatim):
    """``clientcmd`` configuration errors print as ``Error in configuration: …``."""

    def __init__(self, message: str) -> None:
        super().__init__(f"Error in configuration: {message}")


def _no_match(resource: str) -> NoResourceMatch:
    text = resource
    if "." in text:
        first, rest = text.split(".", 1)
        parts = rest.split(".", 1)
        # resource.version.group is tried first when the middle looks like a version.
        if len(parts) == 2 and parts[0].startswith("v") and parts[0][1:2].isdigit():
            return NoResourceMatch(first, group=parts[1], version=parts[0])
        return NoResourceMatch(first, group=rest)
    return NoResourceMatch(text)
