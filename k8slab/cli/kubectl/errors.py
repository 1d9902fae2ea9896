"""How kubectl turns an error into what the learner sees (``pkg/cmd/util/helpers.go``).

Every command returns or raises errors; :func:`check_err` prints them the way ``CheckErr``
does and returns the exit code:

- API errors: ``Error from server (NotFound): pods "x" not found`` (``StandardErrorMessage``);
- Invalid errors with causes: ``The Deployment "x" is invalid: spec.replicas: …`` on one line,
  or a ``* field: message`` bullet list for several causes (``MultilineError``);
- ``NoResourceMatchError``: ``the server doesn't have a resource type "foo"``;
- an aggregate of several errors: one line per error, without the ``error: `` prefix for
  plain errors (``MultipleErrors``); an aggregate of one is unwrapped first;
- everything else: ``error: <message>`` (unless the message already starts so).

A message that does not end with a newline gets one, as ``fatal`` adds it. The exit code is 1,
except for an ``ExitError`` (``kubectl exec`` passing on the remote command's status).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ...api.errors import StatusError

__all__ = [
    "Aggregate",
    "ExitError",
    "KubectlError",
    "NoResourceMatch",
    "Silent",
    "Verbatim",
    "add_source",
    "check_err",
    "error_text",
    "message_for",
    "usage_error",
]


class KubectlError(Exception):
    """A client-side error (``fmt.Errorf`` in kubectl); printed as ``error: <message>``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class Verbatim(KubectlError):
    """An error kubectl prints without the ``error: `` prefix."""


def usage_error(command_path: str, message: str) -> KubectlError:
    """``cmdutil.UsageErrorf``: the message plus a pointer to ``-h``."""
    return KubectlError(f"{message}\nSee '{command_path} -h' for help and examples")


@dataclass
class Aggregate(Exception):
    """``utilerrors.Aggregate``: several errors reported together."""

    errors: list[BaseException] = field(default_factory=list)

    def __str__(self) -> str:
        texts = [str(e) for e in self.errors]
        if len(texts) == 1:
            return texts[0]
        return "[" + ", ".join(texts) + "]"


class NoResourceMatch(Exception):
    """``meta.NoResourceMatchError``: discovery has no such resource type."""

    def __init__(self, resource: str, group: str = "", version: str = "") -> None:
        super().__init__(resource)
        self.resource = resource
        self.group = group
        self.version = version

    def __str__(self) -> str:
        return f"no matches for {self.resource}"

    def message(self) -> str:
        if self.group and self.version:
            return (f"the server doesn't have a resource type {_q(self.resource)} in group "
                    f"{_q(self.group)} and version {_q(self.version)}")
        if self.group:
            return (f"the server doesn't have a resource type {_q(self.resource)} in group "
                    f"{_q(self.group)}")
        if self.version:
            return (f"the server doesn't have a resource type {_q(self.resource)} in version "
                    f"{_q(self.version)}")
        return f"the server doesn't have a resource type {_q(self.resource)}"


class ExitError(Exception):
    """``utilexec.ExitError``: a remote command's exit status (``kubectl exec``)."""

    def __init__(self, code: int, message: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message or f"command terminated with exit code {code}"

    def __str__(self) -> str:
        return self.message


class Silent(Exception):
    """``cmdutil.ErrExit``: exit 1 with nothing (more) printed."""


def _q(text: str) -> str:
    from .flags import go_quote

    return go_quote(text)


def add_source(verb: str, source: str, err: BaseException) -> BaseException:
    """``cmdutil.AddSourceToErr``: ``error when creating "x.yaml": …``."""
    if not source:
        return err
    if isinstance(err, StatusError):
        return dataclasses.replace(
            err, message=f"error when {verb} {_q(source)}: {err.message}"
        )
    return KubectlError(f"error when {verb} {_q(source)}: {err}")


def message_for(err: BaseException) -> str:
    """``messageForError``: the standard message, or the error's own text."""
    if isinstance(err, StatusError):
        if err.reason:
            return f"Error from server ({err.reason}): {err.message}"
        return f"Error from server: {err.message}"
    if isinstance(err, NoResourceMatch):
        return str(err)
    return str(err)


def _flatten(errs: list[BaseException]) -> list[BaseException]:
    out: list[BaseException] = []
    for e in errs:
        if isinstance(e, Aggregate):
            out.extend(_flatten(e.errors))
        else:
            out.append(e)
    return out


def _invalid_text(err: StatusError) -> str:
    if err.kind or err.name:
        prefix = f"The {err.kind} {_q(err.name)} is invalid"
    elif err.causes and err.causes[0].field:
        prefix = f"The request is invalid: {err.causes[0].field}"
    else:
        prefix = "The request is invalid"
    if not err.causes:
        return prefix + "\n"
    seen: list[str] = []
    for cause in err.causes:
        text = f"{cause.field}: {cause.body()}"
        if text not in seen:
            seen.append(text)
    if len(seen) == 1:
        return f"{prefix}: {seen[0]}\n"
    return f"{prefix}: \n" + "".join(f"* {t}\n" for t in seen)


def error_text(err: BaseException) -> tuple[str, int]:
    """What ``CheckErr`` prints for ``err`` and the exit code it uses."""
    # CheckErr unwraps an aggregate of one error, once.
    if isinstance(err, Aggregate) and len(err.errors) == 1:
        err = err.errors[0]
    if isinstance(err, Aggregate):
        if not err.errors:
            return "", 0
        return "".join(message_for(e) + "\n" for e in err.errors), 1
    if isinstance(err, Silent):
        return "", 1
    if isinstance(err, StatusError):
        if err.reason == "Invalid" and err.causes is not None and (
            err.kind or err.name or err.causes
        ):
            return _invalid_text(err), 1
        return message_for(err), 1
    if isinstance(err, NoResourceMatch):
        return "error: " + err.message(), 1
    if isinstance(err, ExitError):
        return err.message, err.code
    if isinstance(err, Verbatim):
        return err.message, 1
    msg = str(err)
    if not msg.startswith("error: "):
        msg = "error: " + msg
    return msg, 1


def check_err(err: BaseException, write: object) -> int:
    """Print ``err`` like ``CheckErr`` (through ``write(text)``) and return the exit code."""
    text, code = error_text(err)
    if text and not text.endswith("\n"):
        text += "\n"
    if text:
        write(text)  # type: ignore[operator]
    return code
