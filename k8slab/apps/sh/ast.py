"""The syntax tree of the shell language, as the parser builds it and the interpreter walks it.

The node kinds follow bash's own ``command.h`` (simple commands, pipelines, connections,
``for``/``while``/``until``/``if``/``case``, groups, subshells, function definitions,
arithmetic and conditional commands) and POSIX's word model: a word is a sequence of *parts* —
unquoted text, quoted text, double-quoted groups, parameter expansions, command substitutions,
arithmetic expansions — that expansion turns into zero or more fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DQ",
    "AndOr",
    "Arith",
    "ArithCmd",
    "ArithFor",
    "Case",
    "CmdSub",
    "Cond",
    "For",
    "FuncDef",
    "Group",
    "If",
    "Lit",
    "Node",
    "Param",
    "Pipeline",
    "Quoted",
    "Redir",
    "Redirected",
    "Seq",
    "Simple",
    "Subshell",
    "Tilde",
    "While",
    "Word",
    "command_text",
]


# ------------------------------------------------------------------ word parts


@dataclass(slots=True)
class Lit:
    """Unquoted text: subject to globbing (and brace expansion in bash), never split."""

    text: str


@dataclass(slots=True)
class Quoted:
    """Text that came from quotes or a backslash: taken literally."""

    text: str


@dataclass(slots=True)
class DQ:
    """A double-quoted group: its expansions are not split or globbed."""

    parts: list[Part]


@dataclass(slots=True)
class Param:
    """``$name``, ``${name}``, ``${name<op>arg}``; ``op`` is "" for a plain reference."""

    name: str
    op: str = ""
    arg: Word | None = None
    arg2: Word | None = None  # replacement of ${x/p/r}, length of ${x:o:l}
    src: str = ""  # the source text, for "bad substitution" messages


@dataclass(slots=True)
class CmdSub:
    """``$(…)`` or a backquoted command."""

    body: Seq
    src: str


@dataclass(slots=True)
class Arith:
    """``$((…))``: the expression is itself a word (it may contain ``$x`` and ``$(…)``)."""

    expr: Word


@dataclass(slots=True)
class Tilde:
    """A leading ``~`` or ``~user``."""

    user: str


Part = Lit | Quoted | DQ | Param | CmdSub | Arith | Tilde


@dataclass(slots=True)
class Word:
    """One shell word. ``static`` is its value when it needs no expansion at all."""

    parts: list[Part]
    src: str
    static: str | None = None


# ------------------------------------------------------------------ commands


@dataclass(slots=True)
class Redir:
    """A redirection: ``fd`` (None = the operator's default), operator, target word.

    For here-documents ``body`` holds the document once the parser has read it.
    """

    fd: int | None
    op: str
    target: Word | None
    body: Word | None = None
    strip_tabs: bool = False
    delimiter: str = ""
    line: int = 0


@dataclass(slots=True)
class Simple:
    assigns: list[tuple[str, Word, bool]]  # (name, value, append)
    words: list[Word]
    redirs: list[Redir]
    line: int
    argv: list[str] | None = None  # the words' values when none needs expansion


@dataclass(slots=True)
class Pipeline:
    cmds: list[Node]
    negate: bool = False
    stderr_too: list[bool] = field(default_factory=list)  # `|&` after stage i


@dataclass(slots=True)
class AndOr:
    first: Node
    rest: list[tuple[str, Node]]  # ("&&" | "||", pipeline)


@dataclass(slots=True)
class Seq:
    items: list[tuple[Node, bool]]  # (and-or list, run in background)


@dataclass(slots=True)
class If:
    clauses: list[tuple[Seq, Seq]]
    orelse: Seq | None


@dataclass(slots=True)
class While:
    cond: Seq
    body: Seq
    until: bool = False


@dataclass(slots=True)
class For:
    var: str
    words: list[Word] | None  # None: "$@"
    body: Seq
    line: int = 0


@dataclass(slots=True)
class ArithFor:
    init: Word
    cond: Word
    step: Word
    body: Seq


@dataclass(slots=True)
class Case:
    word: Word
    arms: list[tuple[list[Word], Seq, str]]  # (patterns, body, ";;" | ";&" | ";;&")


@dataclass(slots=True)
class Group:
    body: Seq


@dataclass(slots=True)
class Subshell:
    body: Seq


@dataclass(slots=True)
class FuncDef:
    name: str
    body: Node


@dataclass(slots=True)
class ArithCmd:
    expr: Word
    line: int = 0


@dataclass(slots=True)
class Cond:
    """``[[ … ]]``: ``expr`` is a tree of tuples: ("and"|"or", a, b), ("not", a),
    ("unary", op, word), ("binary", op, left, right), ("word", word)."""

    expr: tuple
    line: int = 0


@dataclass(slots=True)
class Redirected:
    """A compound command followed by redirections (``while …; done < file``)."""

    node: Node
    redirs: list[Redir]


Node = (Simple | Pipeline | AndOr | Seq | If | While | For | ArithFor | Case | Group | Subshell
        | FuncDef | ArithCmd | Cond | Redirected)


# ------------------------------------------------------------------ printing


def _redir_text(r: Redir) -> str:
    """bash ``print_cmd.c`` ``print_redirection``: ``> file``, ``2> file``, ``2>&1``."""
    target = r.target.src if r.target is not None else r.delimiter
    default = 0 if r.op in ("<", "<&", "<<", "<<-", "<<<", "<>") else 1
    fd = "" if r.fd is None or r.fd == default else str(r.fd)
    if r.op in (">&", "<&"):
        return f"{fd}{r.op}{target}"
    return f"{fd}{r.op} {target}"


def command_text(node: Node) -> str:
    """A command as bash prints it in ``jobs`` (``make_command_string``): words as typed,
    one space apart, ``|``/``&&``/``||`` between commands. Compound commands are kept on one
    line (bash spreads ``while``/``for``/``if`` bodies over several)."""
    if isinstance(node, Simple):
        parts = [f"{name}{'+=' if append else '='}{value.src}"
                 for name, value, append in node.assigns]
        parts += [w.src for w in node.words]
        parts += [_redir_text(r) for r in node.redirs]
        return " ".join(parts)
    if isinstance(node, Pipeline):
        text = " | ".join(command_text(c) for c in node.cmds)
        return f"! {text}" if node.negate else text
    if isinstance(node, AndOr):
        text = command_text(node.first)
        for op, rest in node.rest:
            text += f" {op} {command_text(rest)}"
        return text
    if isinstance(node, Seq):
        return "; ".join(command_text(n) + (" &" if bg else "") for n, bg in node.items)
    if isinstance(node, Group):
        return "{ " + command_text(node.body) + "; }"
    if isinstance(node, Subshell):
        return "( " + command_text(node.body) + " )"
    if isinstance(node, While):
        word = "until" if node.until else "while"
        return f"{word} {command_text(node.cond)}; do {command_text(node.body)}; done"
    if isinstance(node, For):
        words = " ".join(w.src for w in node.words) if node.words is not None else '"$@"'
        return f"for {node.var} in {words}; do {command_text(node.body)}; done"
    if isinstance(node, If):
        text = ""
        for k, (cond, body) in enumerate(node.clauses):
            text += f"{'if' if k == 0 else '; elif'} {command_text(cond)}; then " \
                    f"{command_text(body)}"
        if node.orelse is not None:
            text += f"; else {command_text(node.orelse)}"
        return text + "; fi"
    if isinstance(node, Redirected):
        return " ".join([command_text(node.node), *(_redir_text(r) for r in node.redirs)])
    if isinstance(node, ArithCmd):
        return f"(( {node.expr.src} ))"
    return ""
