"""kubectl's command tree and cobra's way of running it (``github.com/spf13/cobra``).

The tree — every command kubectl 1.37.1 has, with its aliases, flags, help text and what a
bare command group prints — comes from ``data/commands.json``, captured from the real binary
by ``tools/capture_kubectl.py``. Running a command line follows cobra's ``ExecuteC``:

1. ``Find``: walk the tree with the non-flag words (``stripFlags`` guesses which flags eat the
   next word, including the quirk that an unknown ``--flag`` before the command eats it), and
   report ``unknown command "foo" for "kubectl"`` with ``Did you mean this?`` suggestions
   (Levenshtein distance ≤ 2 or a prefix, in the order commands were added);
2. parse the flags with pflag (:mod:`.flags`); errors get kubectl's flag error function suffix
   ``See 'kubectl get --help' for usage.``;
3. ``--help`` prints the captured help; a pure command group prints its usage
   (``DefaultSubCommandRun``); required flags are checked
   (``required flag(s) "replicas" not set``);
4. the command's runner (a generator, see :class:`Invocation`) runs; whatever it raises is
   printed by :func:`~.errors.check_err`.

Commands register a runner with :func:`command`. Other parts of the lab may add runners for
commands this package does not implement (``top``, ``autoscale``) with :func:`register`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ...api.errors import StatusError
from ...sim.process import ExecContext, Proc, Sleep
from .errors import Aggregate, ExitError, KubectlError, NoResourceMatch, Silent, check_err
from .flags import Flag, FlagError, FlagSet, HelpRequested, takes_value
from .printers import PrinterError

if TYPE_CHECKING:
    from .factory import Factory

__all__ = [
    "Command",
    "Invocation",
    "Runner",
    "command",
    "execute",
    "register",
    "tree",
]

_DATA = Path(__file__).with_name("data") / "commands.json"

# The order kubectl's root command adds its children (NewKubectlCommand): the help groups,
# then config, plugin, version, api-versions, api-resources, options, kuberc. cobra's
# suggestions walk children in this order (``EnableCommandSorting`` only sorts lazily).
_ROOT_TAIL = ["config", "plugin", "version", "api-versions", "api-resources", "options",
              "kuberc"]

# pflag types the help text cannot tell apart.
_STRING_ARRAY = {"from-literal", "annotations", "env", "as-group", "as-user-extra", "for",
                 "rule", "annotation", "exec-arg", "exec-env", "option"}
_INT32 = {("kubectl create deployment", "replicas")}
# Optional flag values (NoOptDefVal) set by kubectl for non-boolean flags.
_NO_OPT = {"dry-run": "unchanged", "validate": "strict", "cascade": "background"}
# cobra MarkFlagRequired.
_REQUIRED = {
    "kubectl scale": ("replicas",),
    "kubectl create deployment": ("image",),
    "kubectl run": ("image",),
    "kubectl create cronjob": ("image", "schedule"),
}


def _flag_from_help(path: str, spec: dict[str, str]) -> Flag:
    name, short, default = spec["name"], spec["short"], spec["default"]
    kind: str
    value: Any
    if default in ("true", "false"):
        kind, value = "bool", default == "true"
    elif default.startswith("'") and default.endswith("'") and len(default) >= 2:
        kind, value = "string", default[1:-1]
    elif default.startswith("["):
        kind = "stringArray" if name in _STRING_ARRAY else "stringSlice"
        inner = default[1:-1]
        value = inner.split(",") if inner else []
    elif default.lstrip("-").isdigit():
        kind, value = ("int32" if (path, name) in _INT32 else "int"), int(default)
    elif default and default[0].isdigit():
        from .flags import parse_duration

        kind, value = "duration", parse_duration(default)
    else:
        kind, value = "string", default
    return Flag(name=name, kind=kind, default=value, shorthand=short,
                no_opt_default=_NO_OPT.get(name, ""),
                required=name in _REQUIRED.get(path, ()))


@dataclass(eq=False)
class Command:
    """One node of the command tree (cobra.Command)."""

    name: str
    path: str
    help: str
    aliases: list[str] = field(default_factory=list)
    parent: Command | None = None
    children: list[Command] = field(default_factory=list)
    local_flags: dict[str, Flag] = field(default_factory=dict)
    persistent_flags: dict[str, Flag] = field(default_factory=dict)
    bare: dict[str, Any] | None = None

    def find_child(self, word: str) -> Command | None:
        for child in self.children:
            if child.name == word or word in child.aliases:
                return child
        return None

    def all_flags(self) -> dict[str, Flag]:
        flags: dict[str, Flag] = {}
        node: Command | None = self
        chain: list[Command] = []
        while node is not None:
            chain.append(node)
            node = node.parent
        for node in reversed(chain):
            flags.update(node.persistent_flags)
        flags.update(self.local_flags)
        flags.setdefault("help", Flag("help", "bool", False, shorthand="h"))
        return flags

    @property
    def is_group(self) -> bool:
        """A pure command group (``rollout``, ``set``): its Run only prints usage."""
        return (bool(self.children) and self.path not in _RUNNABLE_PARENTS
                and self.parent is not None)

    def runner(self) -> Runner | None:
        _load_commands()
        return _RUNNERS.get(self.path)

    def suggestions(self, typed: str) -> list[str]:
        out: list[str] = []
        low = typed.lower()
        for child in self.children:
            if _levenshtein(low, child.name.lower()) <= 2 or child.name.lower().startswith(low):
                out.append(child.name)
        return out


# Commands with their own Run as well as children.
_RUNNABLE_PARENTS = {"kubectl create", "kubectl apply", "kubectl cluster-info"}


def _levenshtein(s: str, t: str) -> int:
    prev = list(range(len(t) + 1))
    for i, a in enumerate(s, 1):
        cur = [i]
        for j, b in enumerate(t, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a != b)))
        prev = cur
    return prev[-1]


@dataclass(frozen=True)
class _Tree:
    root: Command
    by_path: dict[str, Command]
    data: dict[str, Any]


@cache
def _tree() -> _Tree:
    data = json.loads(_DATA.read_text())
    commands = data["commands"]
    by_path: dict[str, Command] = {}
    root_entry = commands["kubectl"]
    root = Command("kubectl", "kubectl", root_entry["help"])
    root.persistent_flags = {
        f["name"]: _flag_from_help("kubectl", f) for f in data["global_flags"]
    }
    by_path["kubectl"] = root

    def build(parent: Command, entry: dict[str, Any]) -> None:
        names = list(entry["subcommands"])
        if parent is root:
            names += [n for n in _ROOT_TAIL if n not in names]
        for name in names:
            path = f"{parent.path} {name}"
            sub = commands.get(path)
            if sub is None:
                if name == "options":
                    node = Command(name, path, data["options"], parent=parent)
                    parent.children.append(node)
                    by_path[path] = node
                continue
            node = Command(name, path, sub["help"], [a for a in sub["aliases"] if a != name],
                           parent=parent, bare=sub.get("bare"))
            for spec in sub["flags"]:
                flag = _flag_from_help(path, spec)
                node.local_flags[flag.name] = flag
            for hidden in sub["hidden_flags"]:
                node.local_flags[hidden["name"]] = Flag(
                    hidden["name"], "bool", False, deprecated=hidden["deprecated"], hidden=True
                )
            parent.children.append(node)
            by_path[path] = node
            build(node, sub)

    build(root, root_entry)
    # cobra adds the help command last; it is never suggested.
    help_cmd = Command("help", "kubectl help", "", parent=root)
    root.children.append(help_cmd)
    by_path["kubectl help"] = help_cmd
    return _Tree(root, by_path, data)


def tree() -> Command:
    """The root command."""
    return _tree().root


def lookup(path: str) -> Command:
    return _tree().by_path[path]


def client_version_text() -> str:
    return str(_tree().data["version"])


# ------------------------------------------------------------------------- invocation


@dataclass
class Invocation:
    """Everything a command's runner gets: the context, the parsed flags and arguments."""

    ctx: ExecContext
    cmd: Command
    flags: FlagSet
    args: list[str]
    argv: list[str]
    factory: Factory = field(init=False)

    def __post_init__(self) -> None:
        from .factory import Factory

        self.factory = Factory(self)

    def out(self, text: str) -> None:
        self.ctx.stdout.write(text)

    def err(self, text: str) -> None:
        self.ctx.stderr.write(text)

    def flag(self, name: str) -> Any:
        return self.flags.get(name)

    def changed(self, name: str) -> bool:
        return self.flags.is_changed(name)

    @property
    def args_len_at_dash(self) -> int:
        return self.flags.args_len_at_dash

    def change_cause(self) -> str:
        """``parseCommandArguments``: argv's words, then each given flag as ``--name=value``."""
        words = ["kubectl", *self.positional_words]
        text = " ".join(words)
        for flag, value in self.flags.given:
            text += f" --{flag.name}={value}"
        return text

    @property
    def positional_words(self) -> list[str]:
        # pflag's Args() of the whole command line (subcommand names included).
        fs = FlagSet()
        for flag in self.cmd.all_flags().values():
            fs.add(flag)
        try:
            fs.parse(self.argv[1:])
        except (FlagError, HelpRequested):  # pragma: no cover - parsed before
            return []
        return fs.args


Runner = Callable[[Invocation], Generator[Any, Any, int | None]]
_RUNNERS: dict[str, Runner] = {}
_LOADED = False


def command(path: str) -> Callable[[Runner], Runner]:
    """Decorator registering the runner of ``kubectl <path>``."""

    def wrap(fn: Runner) -> Runner:
        # A runner registered from outside (register) wins over the built-in one.
        _RUNNERS.setdefault("kubectl " + path, fn)
        return fn

    return wrap


def register(path: str, fn: Runner) -> None:
    """Let another part of the lab provide ``kubectl <path>`` (e.g. ``top pod``)."""
    _RUNNERS["kubectl " + path] = fn


def _load_commands() -> None:
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    from . import (  # noqa: F401  (imports register the runners)
        api_resources,
        apply,
        cluster_info,
        create,
        delete,
        describe_cmd,
        drain,
        events,
        exec_cmd,
        explain,
        expose,
        get,
        label,
        logs,
        patch_cmd,
        port_forward,
        rollout,
        run,
        scale,
        set_image,
        top,
        version,
        wait,
    )


# ------------------------------------------------------------------------- cobra's Find


def _strip_flags(args: list[str], flags: dict[str, Flag]) -> list[str]:
    commands: list[str] = []
    rest = list(args)
    while rest:
        s = rest.pop(0)
        if s == "--":
            break
        if s.startswith("-") and "=" not in s and (
            s.startswith("--") or len(s) == 2
        ) and takes_value(flags, s):
            if len(rest) <= 1:
                break
            rest.pop(0)
            continue
        if s and not s.startswith("-"):
            commands.append(s)
    return commands


def _args_minus_first(args: list[str], word: str, flags: dict[str, Flag]) -> list[str]:
    pos = 0
    while pos < len(args):
        s = args[pos]
        if s == "--":
            break
        if s.startswith("-") and "=" not in s and (
            s.startswith("--") or len(s) == 2
        ) and takes_value(flags, s):
            pos += 2
            continue
        if not s.startswith("-") and s == word:
            return args[:pos] + args[pos + 1:]
        pos += 1
    return args


def find(root: Command, args: list[str]) -> tuple[Command, list[str]]:
    cmd = root
    rest = list(args)
    while True:
        words = _strip_flags(rest, cmd.all_flags())
        if not words:
            break
        child = cmd.find_child(words[0])
        if child is None:
            break
        rest = _args_minus_first(rest, words[0], cmd.all_flags())
        cmd = child
    if cmd is root:
        words = _strip_flags(rest, root.all_flags())
        if words:
            suggestions = root.suggestions(words[0])
            text = f'unknown command "{words[0]}" for "kubectl"'
            if suggestions:
                text += "\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in suggestions)
            raise KubectlError(text)
    return cmd, rest


# ------------------------------------------------------------------------- execution

_KNOWN_ERRORS = (KubectlError, StatusError, Aggregate, NoResourceMatch, ExitError, Silent)


def _print_help(ctx: ExecContext, cmd: Command) -> None:
    ctx.stdout.write(cmd.help)


def _help_command(ctx: ExecContext, args: list[str]) -> int:
    root = tree()
    if not args:
        ctx.stdout.write(root.help)
        return 0
    try:
        target, _ = find(root, args)
    except KubectlError:
        target = None
    if target is None or (target is root):
        quoted = " ".join(f"`{a}`" for a in args)
        ctx.stderr.write(f"Unknown help topic [{quoted}]\n")
        ctx.stderr.write(_tree().data["root_usage"])
        return 0
    _print_help(ctx, target)
    return 0


def execute(ctx: ExecContext, argv: list[str]) -> Proc:
    """Run one kubectl command line (``argv[0] == "kubectl"``) and return its exit code."""
    started = ctx.loop.now
    code = yield from _dispatch(ctx, argv)
    if ctx.loop.now == started:
        # A command that never reached the server still costs a process start.
        cluster = getattr(ctx.host, "cluster", None)
        if cluster is not None:
            yield Sleep(cluster.streams("kubectl").randint(8_000_000, 15_000_000))
    return code


def _dispatch(ctx: ExecContext, argv: list[str]) -> Proc:
    root = tree()
    try:
        cmd, rest = find(root, argv[1:])
    except KubectlError as exc:
        return check_err(exc, ctx.stderr.write)
    fs = FlagSet()
    for flag in cmd.all_flags().values():
        fs.add(flag)
    try:
        fs.parse(rest, on_notice=ctx.stderr.write)
    except HelpRequested:
        _print_help(ctx, cmd)
        return 0
    except FlagError as exc:
        return check_err(KubectlError(f"{exc}\nSee '{cmd.path} --help' for usage."),
                         ctx.stderr.write)
    if fs["help"]:
        _print_help(ctx, cmd)
        return 0
    args = fs.args
    if cmd is root:
        ctx.stdout.write(root.help)
        return 0
    if cmd.path == "kubectl help":
        return _help_command(ctx, args)
    if cmd.is_group:
        if args:
            return check_err(
                KubectlError(f'unknown command "{" ".join(args)}"\n'
                             f"See '{cmd.path} -h' for help and examples"),
                ctx.stderr.write,
            )
        bare = cmd.bare or {"stdout": "", "stderr": cmd.help, "code": 1}
        ctx.stdout.write(bare["stdout"])
        ctx.stderr.write(bare["stderr"])
        return int(bare["code"])
    if cmd.path == "kubectl options":
        ctx.stdout.write(cmd.help)
        return 0
    runner = cmd.runner()
    missing = [f.name for f in cmd.all_flags().values() if f.required and not fs.is_changed(f.name)]
    if missing:
        names = '", "'.join(missing)
        return check_err(KubectlError(f'required flag(s) "{names}" not set'), ctx.stderr.write)
    inv = Invocation(ctx, cmd, fs, args, list(argv))
    if runner is None:
        return check_err(KubectlError(f'"{cmd.path}" is not available in this lab'),
                         ctx.stderr.write)
    try:
        inv.factory.check_config()
        code = yield from runner(inv)
    except _KNOWN_ERRORS as exc:
        code = check_err(exc, ctx.stderr.write)
    except PrinterError as exc:
        code = check_err(KubectlError(str(exc)), ctx.stderr.write)
    pending = inv.factory.finish()
    if pending:
        yield Sleep(pending)
    return int(code or 0)
