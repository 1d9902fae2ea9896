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
