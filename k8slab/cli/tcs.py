"""``tcs``: the talk's own machine tool (``cargo run tcs create -i t.cs.11``).

The talk manages its cluster's machines with a small Rust program built with clap. The lab
ships the same tool, so the commands of the talk work as written; its output is the lab's own
design, kept in the style of a clap CLI that drives ``kubeadm join`` and ``kubectl drain``.

Usage::

    tcs create -i <NAME> [--cpus <N>] [--memory <GIB>]
        Boot a machine like the default workers (4 vCPU, 8 GiB, address 172.16.0.<n> taken
        from the name when free) and join it to the cluster as a worker. The command returns
        once the kubelet has registered the Node, which is then ``NotReady`` until its network
        (pod CIDR, CNI) is up — ``kubectl get nodes`` shows it turn ``Ready`` a few seconds
        later, and kube-proxy starts on it as on every node.

    tcs drop -i <NAME>
        Drain the worker as ``kubectl drain --ignore-daemonsets --delete-emptydir-data --force``
        would (cordon, evict, wait for the pods to go), delete its Node and power it off.

    tcs list
        The machines with role, address, size and power state.

    tcs help [COMMAND], tcs -h | --help, tcs -V | --version

Exit codes follow clap and ``anyhow``: 0 on success, 2 for usage errors (printed to stderr in
clap's format — ``error: …``, a ``Usage:`` line and ``For more information, try '--help'.``),
1 for failures (``Error: …``: unknown machine, duplicate name, the control-plane node). A
failed command leaves the cluster as it was.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ..api.kinds import by_gvk
from ..sim.clock import MILLISECOND, SECOND
from ..sim.process import ExecContext, Proc, Sleep, WaitFor
from ..sim.timefmt import go_duration

if TYPE_CHECKING:
    from ..cluster import Cluster

__all__ = ["VERSION", "tcs"]

VERSION = "0.1.0"
ABOUT = "Manage the machines of the t.cs Kubernetes cluster"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

COMMANDS = (
    ("create", "Create a machine and join it to the cluster as a worker"),
    ("drop", "Drain a worker, remove it from the cluster and power the machine off"),
    ("list", "List the machines of the cluster"),
    ("help", "Print this message or the help of the given subcommand(s)"),
)

HELP = f"""{ABOUT}

Usage: tcs <COMMAND>

Commands:
""" + "".join(f"  {name:<8}{text}\n" for name, text in COMMANDS) + """
Options:
  -h, --help     Print help
  -V, --version  Print version
"""

SUB_HELP = {
    "create": """Create a machine and join it to the cluster as a worker

Usage: tcs create [OPTIONS] --instance <NAME>

Options:
  -i, --instance <NAME>  Name of the machine, also its node name (e.g. t.cs.11)
      --cpus <CPUS>      Number of vCPUs [default: 4]
      --memory <GIB>     Memory in GiB [default: 8]
  -h, --help             Print help
""",
    "drop": """Drain a worker, remove it from the cluster and power the machine off

Usage: tcs drop --instance <NAME>

Options:
  -i, --instance <NAME>  Name of the machine (e.g. t.cs.11)
  -h, --help             Print help
""",
    "list": """List the machines of the cluster

Usage: tcs list

Options:
  -h, --help  Print help
""",
    "help": """Print this message or the help of the given subcommand(s)

Usage: tcs help [COMMAND]...

Arguments:
  [COMMAND]...  Print help for the subcommand(s)
""",
}

USAGE = {
    "": "tcs <COMMAND>",
    "create": "tcs create [OPTIONS] --instance <NAME>",
    "drop": "tcs drop --instance <NAME>",
    "list": "tcs list",
    "help": "tcs help [COMMAND]...",
}


class UsageError(Exception):
    """A clap parse error: the message (already formatted) and the usage line to show."""

    def __init__(self, message: str, usage: str, tip: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage
        self.tip = tip

    def render(self) -> str:
        text = f"error: {self.message}\n"
        if self.tip:
            text += f"\n  tip: {self.tip}\n"
        if self.usage:
            text += f"\nUsage: {self.usage}\n"
        return text + "\nFor more information, try '--help'.\n"


def _jaro(a: str, b: str) -> float:
    """Jaro similarity (clap's ``did_you_mean`` uses strsim's Jaro, threshold 0.7)."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    a_hit = [False] * len(a)
    b_hit = [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not b_hit[j] and b[j] == ch:
                a_hit[i] = b_hit[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    transpositions = 0
    j = 0
    for i, ch in enumerate(a):
        if a_hit[i]:
            while not b_hit[j]:
                j += 1
            if ch != b[j]:
                transpositions += 1
            j += 1
    m = float(matches)
    return (m / len(a) + m / len(b) + (m - transpositions / 2) / m) / 3


def _suggest(word: str, choices: list[str]) -> str | None:
    scored = [(c, _jaro(word, c)) for c in choices]
    best = max(scored, key=lambda item: item[1], default=None)
    return best[0] if best is not None and best[1] > 0.7 else None


def _parse_options(sub: str, args: list[str]) -> dict[str, str]:
    """Parse ``-i NAME``/``--instance NAME``/``--instance=NAME`` and the create-only sizes."""
    allowed = {"create": ("instance", "cpus", "memory"), "drop": ("instance",),
               "list": ()}[sub]
    labels = {"instance": "--instance <NAME>", "cpus": "--cpus <CPUS>",
              "memory": "--memory <GIB>"}
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name: str | None = None
        value: str | None = None
        if arg in ("-h", "--help"):
            raise _HelpRequested(sub)
        if arg.startswith("--") and len(arg) > 2:
            body = arg[2:]
            name, _, inline = body.partition("=")
            value = inline if "=" in body else None
        elif arg.startswith("-i") and "instance" in allowed:
            name = "instance"
            value = arg[2:] or None
            if value is not None and value.startswith("="):
                value = value[1:]
        elif arg.startswith("-") and arg != "-":
            raise UsageError(f"unexpected argument '{arg}' found", USAGE[sub],
                             tip=f"to pass '{arg}' as a value, use '-- {arg}'")
        else:
            raise UsageError(f"unexpected argument '{arg}' found", USAGE[sub])
        if name not in allowed:
            tip = ""
            close = _suggest(name or "", list(allowed))
            if close:
                tip = f"a similar argument exists: '--{close}'"
            raise UsageError(f"unexpected argument '{arg}' found", USAGE[sub], tip=tip)
        if value is None:
            i += 1
            if i >= len(args) or (args[i].startswith("-") and args[i] != "-"):
                raise UsageError(f"a value is required for '{labels[name]}' but none was "
                                 "supplied", "")
            value = args[i]
        if name in values:
            raise UsageError(f"the argument '{labels[name]}' cannot be used multiple times",
                             USAGE[sub])
        values[name] = value
        i += 1
    if "instance" in allowed and "instance" not in values:
        raise UsageError("the following required arguments were not provided:\n  "
                         "--instance <NAME>", USAGE[sub])
    if "instance" in values and (len(values["instance"]) > 253
                                 or not _NAME.match(values["instance"])):
        raise UsageError(f"invalid value '{values['instance']}' for '--instance <NAME>': "
                         "must be a lowercase RFC 1123 subdomain, like t.cs.11", "")
    for key, low, high in (("cpus", 1, 64), ("memory", 1, 512)):
        if key in values:
            text = values[key]
            if not text.isdigit():
                raise UsageError(f"invalid value '{text}' for '{labels[key]}': invalid digit "
                                 "found in string", "")
            if not low <= int(text) <= high:
                raise UsageError(f"invalid value '{text}' for '{labels[key]}': {text} is not "
                                 f"in {low}..={high}", "")
    return values


class _HelpRequested(Exception):
    def __init__(self, sub: str) -> None:
        super().__init__(sub)
        self.sub = sub


def tcs(ctx: ExecContext, argv: list[str]) -> Proc:
    """``tcs <command>`` on the learner's workstation (``ctx.host.cluster``)."""
    args = list(argv[1:])
    try:
        if not args:
            ctx.stderr.write(HELP)
            return 2
        first = args[0]
        if first in ("-h", "--help"):
            ctx.stdout.write(HELP)
            return 0
        if first in ("-V", "--version"):
            ctx.stdout.write(f"tcs {VERSION}\n")
            return 0
        if first.startswith("-"):
            raise UsageError(f"unexpected argument '{first}' found", USAGE[""],
                             tip=f"to pass '{first}' as a value, use '-- {first}'")
        if first == "help":
            topic = args[1] if len(args) > 1 else ""
            if topic and topic not in SUB_HELP:
                raise UsageError(f"unrecognized subcommand '{topic}'", USAGE["help"])
            ctx.stdout.write(SUB_HELP[topic] if topic else HELP)
            return 0
        names = [n for n, _ in COMMANDS]
        if first not in names:
            close = _suggest(first, names)
            raise UsageError(f"unrecognized subcommand '{first}'", USAGE[""],
                             tip=f"a similar subcommand exists: '{close}'" if close else "")
        options = _parse_options(first, args[1:])
    except _HelpRequested as req:
        ctx.stdout.write(SUB_HELP[req.sub])
        return 0
    except UsageError as err:
        ctx.stderr.write(err.render())
        return 2
    cluster = getattr(ctx.host, "cluster", None)
    if cluster is None:
        ctx.stderr.write("Error: cannot reach the cluster's machines from this host\n")
        return 1
    if first == "list":
        _list(ctx, cluster)
        return 0
    if first == "create":
        return (yield from _create(ctx, cluster, options))
    return (yield from _drop(ctx, cluster, options["instance"]))


# ------------------------------------------------------------------ subcommands

def _list(ctx: ExecContext, cluster: Cluster) -> None:
    rows = [("NAME", "ROLE", "ADDRESS", "CPUS", "MEMORY", "STATE")]
    for name in sorted(cluster.kubelets, key=_machine_order):
        kubelet = cluster.kubelets[name]
        node = kubelet.node
        state = "running" if getattr(kubelet, "running", True) else "stopped"
        memory = f"{node.memory_mib // 1024}GiB" if node.memory_mib % 1024 == 0 else \
            f"{node.memory_mib}MiB"
        rows.append((name, node.role, node.ip, str(node.cpu), memory, state))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        cells = [cell.ljust(widths[i] + 3) for i, cell in enumerate(row[:-1])]
        ctx.stdout.write("".join(cells) + row[-1] + "\n")


def _machine_order(name: str) -> tuple[Any, ...]:
    """t.cs.2 before t.cs.11: numeric parts compare as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in name.split("."))


def _create(ctx: ExecContext, cluster: Cluster, options: dict[str, str]) -> Proc:
    name = options["instance"]
    if name in cluster.kubelets:
        ctx.stderr.write(f"Error: machine {name} already exists\n")
        return 1
    overrides: dict[str, Any] = {}
    if "cpus" in options:
        overrides["cpu"] = int(options["cpus"])
    if "memory" in options:
        overrides["memory_mib"] = int(options["memory"]) * 1024
    try:
        config = cluster.new_node_config(name, **overrides)
    except ValueError as err:
        ctx.stderr.write(f"Error: {_first_line(err)}\n")
        return 1
    memory = config.memory_mib // 1024
    endpoint = next((k.node.ip for k in cluster.kubelets.values()
                     if k.node.role == "control-plane"), "172.16.0.1")
    rng = cluster.streams("tcs")
    out = ctx.stdout
    out.write(f"Creating machine {name} ({config.cpu} vCPU, {memory} GiB RAM, "
              f"{config.ephemeral_storage_gib} GiB disk) ...\n")
    boot = int(rng.uniform(22.0, 34.0) * SECOND)
    yield Sleep(boot)
    if name in cluster.kubelets:
        ctx.stderr.write(f"Error: machine {name} already exists\n")
        return 1
    out.write(f"Machine {name} is up at {config.ip} (booted in {boot // SECOND}s)\n")
    out.write(f"Joining {name} to the cluster at {endpoint}:6443 ...\n")
    out.write("[preflight] Running pre-flight checks\n")
    yield Sleep(int(rng.uniform(0.8, 1.6) * SECOND))
    out.write("[preflight] Reading configuration from the cluster...\n"
              "[preflight] FYI: You can look at this config file with 'kubectl -n kube-system "
              "get cm kubeadm-config -o yaml'\n")
    yield Sleep(120 * MILLISECOND)
    out.write('[kubelet-start] Writing kubelet configuration to file '
              '"/var/lib/kubelet/config.yaml"\n'
              '[kubelet-start] Writing kubelet environment file with flags to file '
              '"/var/lib/kubelet/kubeadm-flags.env"\n'
              "[kubelet-start] Starting the kubelet\n"
              "[kubelet-check] Waiting for a healthy kubelet at "
              "http://127.0.0.1:10248/healthz. This can take up to 4m0s\n")
    healthy = 1 * SECOND + int(rng.uniform(0.0, 0.9) * SECOND) + rng.randrange(1000)
    yield Sleep(healthy)
    out.write(f"[kubelet-check] The kubelet is healthy after {go_duration(healthy)}\n"
              "[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap\n")
    yield Sleep(int(rng.uniform(0.3, 0.9) * SECOND))
    cluster.add_node(config)
    node_kind = by_gvk("v1", "Node")
    assert node_kind is not None
    registered = yield WaitFor(lambda: cluster.api.try_get(node_kind, "", name) is not None,
                               timeout=4 * 60 * SECOND, poll=100 * MILLISECOND)
    if not registered:
        ctx.stderr.write(f"Error: timed out waiting for node {name} to register\n")
        return 1
    out.write("\nThis node has joined the cluster:\n"
              "* Certificate signing request was sent to apiserver and a response was "
              "received.\n"
              "* The Kubelet was informed of the new secure connection details.\n\n"
              "Run 'kubectl get nodes' on the control-plane to see this node join the "
              "cluster.\n")
    return 0


def _drop(ctx: ExecContext, cluster: Cluster, name: str) -> Proc:
    kubelet = cluster.kubelets.get(name)
    if kubelet is None:
        ctx.stderr.write(f"Error: no machine named {name}\n")
        return 1
    if kubelet.node.role == "control-plane":
        ctx.stderr.write(f"Error: {name} runs the control plane; refusing to drop it\n")
        return 1
    ctx.stdout.write(f"Draining {name} ...\n")
    yield from cluster.remove_node_proc(name, log=ctx.stdout.write, err=ctx.stderr.write)
    ctx.stdout.write(f"Powering off {name} ... done\n")
    return 0


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__
