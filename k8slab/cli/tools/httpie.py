"""HTTPie 3.2.4 (``http`` and ``https``) on top of requests 2.32 / urllib3 2.x.

Modelled on httpie/cli (``argparser.py``: ``[METHOD] URL [REQUEST_ITEM ...]``, method
guessing — a first positional that is not a plain word is the URL and the next one the first
item; ``_process_url`` defaults; ``KeyValueArgType``: the earliest separator wins, the longest
at a position), ``httpie/client.py`` (header order of the prepared request, JSON/form bodies)
and ``httpie/core.py`` + ``output/`` (what is printed where), checked against the real
HTTPie 3.2.4 in ``tests/oracle/test_http_tools.py``.

Output: on a terminal HTTPie prints the response status line and headers (sorted by name),
a blank line and the body (JSON re-indented with 4 spaces, keys sorted), followed by a blank
line; piped, it prints the body bytes only. The lab's notebook output is not a colour
terminal, so nothing is colourised (HTTPie ``--pretty=format``; docs/realism.md). Errors are
``\\nhttp: error: <Type>: <text>\\n\\n\\n`` on stderr with HTTPie's ``ExitStatus``: 1 error, 2
request timeout, 3/4/5 for 3xx/4xx/5xx with ``--check-status``, 2 for usage errors.

Standard input: HTTPie reads a non-terminal stdin as the request body (and switches to
POST). The lab's stdin is a terminal unless the command's stdin was redirected or piped,
which the shell shows as non-empty ``ctx.stdin`` (``ctx.extra["stdin_tty"]`` overrides).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

from ...network.http import NetError, Request, Response
from ...sim.process import ExecContext, Proc, Sleep
from ._common import EXEC_COST, NoNetwork, gai_strerror, read_file, transport, write_file
from .url import URL, URLError, parse_httpie

__all__ = ["VERSION", "http", "https"]

VERSION = "3.2.4"
USER_AGENT = f"HTTPie/{VERSION}"
JSON_ACCEPT = "application/json, */*;q=0.5"
FORM_TYPE = "application/x-www-form-urlencoded; charset=utf-8"

_USAGE_TAIL = ("\nfor more information:\n    run '{prog} --help' or visit "
               "https://httpie.io/docs/cli\n\n")

HELP = """usage:
    {prog} [METHOD] URL [REQUEST_ITEM ...]

HTTPie: modern, user-friendly command-line HTTP client for the API era. <https://httpie.io>

Positional arguments:

  These arguments come after any flags and in the order they are listed here.
  Only URL is required.

  METHOD
      The HTTP method to be used for the request (GET, POST, PUT, DELETE, ...).

      This argument can be omitted in which case HTTPie will use POST if there
      is some data to be sent, otherwise GET:

          $ http example.org               # => GET
          $ http example.org hello=world   # => POST

  URL
      The request URL. Scheme defaults to 'http://' if the URL
      does not include one. (You can override this with: --default-scheme=http/https)

      You can also use a shorthand for localhost

          $ http :3000                    # => http://localhost:3000
          $ http :/foo                    # => http://localhost/foo

  REQUEST_ITEM
      Optional key-value pairs to be included in the request. The separator used
      determines the type:

      ':' HTTP headers:

          Referer:https://httpie.io  Cookie:foo=bar  User-Agent:bacon/1.0

      '==' URL parameters to be appended to the request URI:

          search==httpie

      '=' Data fields to be serialized into a JSON object (with --json, -j)
          or form data (with --form, -f):

          name=HTTPie  language=Python  description='CLI HTTP client'

      ':=' Non-string JSON data fields (only with --json, -j):

          awesome:=true  amount:=42  colors:='["red", "green", "blue"]'

      '@' Form file fields (only with --form or --multipart):

          cv@~/Documents/CV.pdf
          cv@'~/Documents/CV.pdf;type=application/pdf'

      '=@' A data field like '=', but takes a file path and embeds its content:

          essay=@Documents/essay.txt

      ':=@' A raw JSON field like ':=', but takes a file path and embeds its content:

          package:=@./package.json

      You can use a backslash to escape a colliding separator in the field name:

          field-name-with\\:colon=value

Output Processing:

  --pretty {{all,colors,format,none}}
      Controls output processing. The value can be "none" to not prettify
      the output (default for redirected output), "all" to apply both colors
      and formatting (default for terminal output), "colors", or "format".

Output Options:

  --print WHAT, -p WHAT
      String specifying what the output should contain:

          'H' request headers
          'B' request body
          'h' response headers
          'b' response body
          'm' response metadata

      The default behaviour is 'hb' (i.e., the response
      headers and body is printed), if standard output is not redirected.
      If the output is piped to another program or to a file, then only the
      response body is printed by default.

  --headers, -h
      Print only the response headers. Shortcut for --print=h.

  --body, -b
      Print only the response body. Shortcut for --print=b.

  --verbose, -v
      Verbose output. For the level one (with single `-v`/`--verbose`), print
      the whole request as well as the response. Also print any intermediary
      requests/responses (such as redirects). For the second level and higher,
      print these as well as the response metadata.

  --quiet, -q
      Do not print to stdout or stderr, except for errors and warnings when provided once.

Network:

  --offline
      Build the request and print it but don't actually send it.

  --follow, -F
      Follow 30x Location redirects.

  --timeout SECONDS
      The connection timeout of the request in seconds.

  --check-status
      By default, HTTPie exits with 0 when no network or other fatal errors
      occur. This flag instructs HTTPie to also check the HTTP status code and
      exit with an error if the status indicates one.

Troubleshooting:

  --ignore-stdin, -I
      Do not attempt to read stdin

  --help
      Show this help message and exit.

  --version
      Show version and exit.

For every --OPTION there is also a --no-OPTION that reverts OPTION
to its default value.

Suggestions and bug reports are greatly appreciated:
    https://github.com/httpie/cli/issues
"""

# Options: name → (dest, takes a value)
_OPTIONS: dict[str, tuple[str, bool]] = {
    "--print": ("print", True), "-p": ("print", True),
    "--headers": ("headers", False), "-h": ("headers", False),
    "--body": ("body", False), "-b": ("body", False),
    "--meta": ("meta", False), "-m": ("meta", False),
    "--verbose": ("verbose", False), "-v": ("verbose", False),
    "--all": ("all", False), "--quiet": ("quiet", False), "-q": ("quiet", False),
    "--pretty": ("pretty", True), "--style": ("style", True), "-s": ("style", True),
    "--unsorted": ("unsorted", False), "--sorted": ("sorted", False),
    "--json": ("json", False), "-j": ("json", False),
    "--form": ("form", False), "-f": ("form", False),
    "--offline": ("offline", False), "--follow": ("follow", False), "-F": ("follow", False),
    "--max-redirects": ("max_redirects", True), "--timeout": ("timeout", True),
    "--check-status": ("check_status", False), "--ignore-stdin": ("ignore_stdin", False),
    "-I": ("ignore_stdin", False), "--help": ("help", False), "--version": ("version", False),
    "--auth": ("auth", True), "-a": ("auth", True), "--default-scheme": ("default_scheme", True),
    "--output": ("output", True), "-o": ("output", True), "--verify": ("verify", True),
    "--traceback": ("traceback", False), "--debug": ("debug", False),
    "--compress": ("compress", False), "-x": ("compress", False),
    "--stream": ("stream", False), "-S": ("stream", False),
    "--raw": ("raw", True), "--path-as-is": ("path_as_is", False),
    "--response-charset": ("response_charset", True),
    "--response-mime": ("response_mime", True),
}
_CHOICES = {"pretty": ("all", "colors", "format", "none")}


class _UsageError(Exception):
    def __init__(self, message: str, option: str | None = None) -> None:
        self.message = message
        self.option = option


@dataclass
class Args:
    print: str | None = None
    headers: bool = False
    body: bool = False
    meta: bool = False
    verbose: int = 0
    quiet: int = 0
    pretty: str | None = None
    json: bool = False
    form: bool = False
    offline: bool = False
    follow: bool = False
    max_redirects: int = 30
    timeout: float | None = None
    check_status: bool = False
    ignore_stdin: bool = False
    help: bool = False
    version: bool = False
    auth: str | None = None
    default_scheme: str = "http"
    output: str | None = None
    raw: str | None = None
    positionals: list[str] = field(default_factory=list)


def _parse(argv: list[str]) -> Args:
    args = Args()
    i = 0
    only_positional = False
    while i < len(argv):
        arg = argv[i]
        i += 1
        if only_positional or not arg.startswith("-") or arg == "-" or _looks_negative(arg):
            args.positionals.append(arg)
            continue
        if arg == "--":
            only_positional = True
            continue
        name, value = arg, None
        if "=" in arg and arg.startswith("--"):
            name, value = arg.split("=", 1)
        elif "=" in arg and len(arg) > 2 and arg[2] == "=":
            name, value = arg[:2], arg[3:]
        spec = _OPTIONS.get(name)
        if spec is None and name.startswith("--no-"):
            base = "--" + name[5:]
            if base in _OPTIONS:
                _set(args, _OPTIONS[base][0], None, negate=True)
                continue
        if spec is None and not name.startswith("--") and len(name) > 2:
            # bundled short flags (-vb) or a short option with its value attached (-pb)
            first = _OPTIONS.get(name[:2])
            if first is not None and first[1]:
                _set(args, first[0], name[2:], option=name[:2])
                continue
            if first is not None and all(_OPTIONS.get("-" + c, ("", True))[1] is False
                                         for c in name[1:]):
                for c in name[1:]:
                    _set(args, _OPTIONS["-" + c][0], None)
                continue
        if spec is None:
            raise _UsageError(f"unrecognized arguments: {arg}")
        dest, takes = spec
        if takes and value is None:
            if i >= len(argv):
                raise _UsageError(f"argument {_names(dest)}: expected one argument", name)
            value = argv[i]
            i += 1
        elif not takes and value is not None:
            raise _UsageError(f"argument {_names(dest)}: ignored explicit argument "
                              f"'{value}'", name)
        _set(args, dest, value, option=name)
    return args


def _looks_negative(arg: str) -> bool:
    return len(arg) > 1 and (arg[1].isdigit() or arg[1] == ".")


def _names(dest: str) -> str:
    names = [n for n, (d, _) in _OPTIONS.items() if d == dest]
    longs = [n for n in names if n.startswith("--")]
    shorts = [n for n in names if not n.startswith("--")]
    return "/".join(longs + shorts)


def _set(args: Args, dest: str, value: str | None, *, negate: bool = False,
         option: str | None = None) -> None:
    if negate:
        defaults = Args()
        if hasattr(defaults, dest):
            setattr(args, dest, getattr(defaults, dest))
        return
    if dest in _CHOICES and value not in _CHOICES[dest]:
        choices = ", ".join(f"'{c}'" for c in _CHOICES[dest])
        raise _UsageError(f"argument {_names(dest)}: invalid choice: '{value}' (choose from "
                          f"{choices})", option)
    if dest == "verbose":
        args.verbose += 1
    elif dest == "quiet":
        args.quiet += 1
    elif dest == "timeout":
        try:
            args.timeout = float(value or "")
        except ValueError:
            raise _UsageError(f"argument --timeout: invalid float value: '{value}'",
                              option) from None
    elif dest == "max_redirects":
        try:
            args.max_redirects = int(value or "")
        except ValueError:
            raise _UsageError(f"argument --max-redirects: invalid int value: '{value}'",
                              option) from None
    elif dest == "print":
        bad = [c for c in value or "" if c not in "HBhbm"]
        if bad or not value:
            raise _UsageError(f"argument --print/-p: Unknown output options: "
                              f"{','.join(bad) if bad else value}", option)
        args.print = value
    elif hasattr(args, dest):
        current = getattr(args, dest)
        setattr(args, dest, True if isinstance(current, bool) else value)


# --------------------------------------------------------------------------- request items


@dataclass
class Item:
    key: str
    sep: str
    value: str
    orig: str


_SEPARATORS = (":", ";", ":@", "==", "==@", "@", "=", "=@", ":=", ":=@")


def parse_item(text: str) -> Item:
    """``KeyValueArgType``: backslash-escaped characters never separate."""
    tokens: list[tuple[str, bool]] = []  # (text, escaped)
    buf = ""
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            if buf:
                tokens.append((buf, False))
                buf = ""
            tokens.append((text[i + 1], True))
            i += 2
            continue
        buf += ch
        i += 1
    if buf:
        tokens.append((buf, False))
    ordered = sorted(_SEPARATORS, key=len)
    for index, (token, escaped) in enumerate(tokens):
        if escaped:
            continue
        found: dict[int, str] = {}
        for sep in ordered:
            pos = token.find(sep)
            if pos != -1:
                found[pos] = sep
        if found:
            sep = found[min(found)]
            key, value = token.split(sep, 1)
            key = "".join(t for t, _ in tokens[:index]) + key
            value += "".join(t for t, _ in tokens[index + 1:])
            return Item(key, sep, value, text)
    raise _UsageError(f"{text!r} is not a valid value")


# --------------------------------------------------------------------------- the command


def http(ctx: ExecContext, argv: list[str]) -> Proc:
    """``http [METHOD] URL [REQUEST_ITEM ...]``."""
    return (yield from _main(ctx, argv, "http"))


def https(ctx: ExecContext, argv: list[str]) -> Proc:
    """``https``: HTTPie with ``https://`` as the default scheme."""
    return (yield from _main(ctx, argv, "https"))


def _usage_error(ctx: ExecContext, prog: str, message: str, option: str | None = None) -> int:
    opt = f"{option} " if option else ""
    ctx.stderr.write(f"usage:\n    {prog} {opt}[METHOD] URL [REQUEST_ITEM ...]\n\nerror:\n"
                     f"    {message}\n" + _USAGE_TAIL.format(prog=prog))
    # argparse exits 2; httpie/core.py turns that SystemExit into ExitStatus.ERROR
    return 1


def _log(ctx: ExecContext, prog: str, level: str, message: str) -> None:
    ctx.stderr.write(f"\n{prog}: {level}: {message}\n\n\n")


def _stdin_is_tty(ctx: ExecContext) -> bool:
    flag = ctx.extra.get("stdin_tty") if ctx.extra else None
    if flag is not None:
        return bool(flag)
    return ctx.stdin == ""


def _main(ctx: ExecContext, argv: list[str], prog: str) -> Generator[Any, Any, int]:
    try:
        args = _parse(argv[1:])
    except _UsageError as err:
        return _usage_error(ctx, prog, err.message, err.option)
    if args.help:
        ctx.stdout.write(HELP.format(prog=prog))
        return 0
    if args.version:
        ctx.stdout.write(VERSION + "\n")
        return 0
    pos = args.positionals
    if not pos:
        return _usage_error(ctx, prog, "the following arguments are required: URL")
    method: str | None = None
    if len(pos) >= 2:
        method, url_arg, raw_items = pos[0], pos[1], pos[2:]
    else:
        url_arg, raw_items = pos[0], []
    has_stdin = not args.ignore_stdin and not _stdin_is_tty(ctx)
    try:
        items = [parse_item(x) for x in raw_items]
        if method is not None and not method.isalpha():
            # ``http URL item``: the URL landed in METHOD and the first item in URL.
            items.insert(0, parse_item(url_arg))
            url_arg = method
            method = None
        has_data = any(it.sep in ("=", ":=", "=@", ":=@", "@") for it in items)
        if has_stdin and has_data:
            raise _UsageError(
                "Request body (from stdin, --raw or a file) and request data (key=value) \n"
                "cannot be mixed. Pass --ignore-stdin to let key/value take priority. See \n"
                "https://httpie.io/docs#scripting for details.")
        if method is None:
            method = "POST" if (has_stdin or has_data or args.raw is not None) else "GET"
        method = method.upper()
        request, shown_headers = _build(ctx, args, prog, method, url_arg, items, has_stdin)
    except _UsageError as err:
        return _usage_error(ctx, prog, err.message, err.option)
    except URLError as bad:
        _log(ctx, prog, "error", bad.message)
        return 1
    tty = ctx.tty
    what = _what(args, tty)
    out: list[str] = []
    request_block = _request_block(request, shown_headers)
    if args.offline:
        what = args.print or "HB"
        _emit(out, [(request_block, request.body, "HB")], what, tty)
        ctx.stdout.write("".join(out))
        return 0
    try:
        tr = transport(ctx)
    except NoNetwork:
        _log(ctx, prog, "error", "ConnectionError: no network on this machine")
        return 1
    yield Sleep(EXEC_COST["http"])
    timeout = int(args.timeout * 1e9) if args.timeout else None
    messages: list[tuple[str, bytes, str]] = []
    if "H" in what or "B" in what:
        messages.append((request_block, request.body, "HB"))
    redirects = 0
    while True:
        ex = tr.exchange(request, connect_timeout=timeout, timeout=timeout)
        yield Sleep(ex.total)
        if ex.error is not None:
            if messages and not args.quiet:
                _emit(out, messages, what, tty)
                ctx.stdout.write("".join(out))
            return _net_error(ctx, prog, args, request, ex.error)
        response = ex.response
        assert response is not None
        location = response.header("Location")
        if args.follow and location and 300 <= response.status < 400:
            redirects += 1
            if redirects > args.max_redirects:
                _log(ctx, prog, "error", f"Too many redirects (--max-redirects="
                                         f"{args.max_redirects}).")
                return 6
            if args.verbose:
                messages.append((_response_head(response), response.body, "hb"))
            request = _follow(request, location)
            if args.verbose:
                messages.append((_request_block(request, request.headers), request.body,
                                 "HB"))
            continue
        break
    messages.append((_response_head(response), response.body, "hb"))
    if args.quiet:
        out = []
    else:
        _emit(out, messages, what, tty, meta=_meta(ex.total) if "m" in what else None)
    if args.output:
        problem = write_file(ctx, args.output, response.body)
        if problem is not None:
            _log(ctx, prog, "error", f"[Errno 2] {problem}: '{args.output}'")
            return 1
    ctx.stdout.write("".join(out))
    if args.check_status and response.status >= 300:
        code = 3 if response.status < 400 else 4 if response.status < 500 else 5
        if not tty:
            _log(ctx, prog, "warning", f"HTTP {response.status} {response.reason}")
        return code
    return 0


def _what(args: Args, tty: bool) -> str:
    if args.print:
        return args.print
    if args.verbose:
        return "HBhb" + ("m" if args.verbose > 1 else "")
    if args.headers:
        return "h"
    if args.body:
        return "b"
    if args.meta:
        return "m"
    return "hb" if tty else "b"


def _emit(out: list[str], messages: list[tuple[str, bytes, str]], what: str, tty: bool,
          meta: str | None = None) -> None:
    """httpie/core.py's message loop: separators between messages, a blank line after a
    body on a terminal; on a terminal headers are sorted and JSON bodies re-indented
    (``--pretty=format``)."""
    prev_with_body = False
    for head, body, kinds in messages:
        if tty:
            head = _sorted_head(head)
            body = _pretty_json(head, body)
        want_head = kinds[0] in what
        want_body = kinds[1] in what
        if not (want_head or want_body):
            continue
        if prev_with_body and not tty:
            out.append("\n\n")
        if want_head:
            out.append(head + "\r\n\r\n")
        if want_body:
            out.append(body.decode("utf-8", "replace"))
            if tty:
                out.append("\n\n")
        prev_with_body = want_body
    if meta is not None:
        out.append(meta)


def _meta(total: int) -> str:
    return f"Elapsed time: {total / 1e9:.9g}s\n"


def _build(ctx: ExecContext, args: Args, prog: str, method: str, url_arg: str,
           items: list[Item], has_stdin: bool) -> tuple[Request, list[tuple[str, str]]]:
    _text, url = parse_httpie(url_arg, prog, args.default_scheme)
    custom: list[tuple[str, str | None]] = []
    params: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for it in items:
        if it.sep == ":":
            custom.append((it.key, it.value.strip() or None))
        elif it.sep == ";":
            custom.append((it.key, ""))
        elif it.sep == ":@":
            content = read_file(ctx, it.value)
            if content is None:
                raise _UsageError(f"{it.orig!r}: No such file or directory")
            custom.append((it.key, content.decode().strip()))
        elif it.sep == "==":
            params.append((it.key, it.value))
        elif it.sep == "=":
            data[it.key] = it.value
        elif it.sep == ":=":
            try:
                data[it.key] = json.loads(it.value)
            except ValueError as err:
                raise _UsageError(f"{it.orig!r}: {err}") from None
        elif it.sep in ("=@", ":=@"):
            content = read_file(ctx, it.value)
            if content is None:
                raise _UsageError(f"{it.orig!r}: [Errno 2] No such file or directory: "
                                  f"'{it.value}'")
            if it.sep == "=@":
                data[it.key] = content.decode("utf-8", "replace")
            else:
                try:
                    data[it.key] = json.loads(content)
                except ValueError as err:
                    raise _UsageError(f"{it.orig!r}: {err}") from None
        elif it.sep in ("@", "==@"):
            raise _UsageError(f"Invalid file fields (perhaps you meant --form?): {it.key}")
    target = url.target
    if params:
        query = "&".join(f"{quote_plus(k)}={quote_plus(v)}" for k, v in params)
        target += ("&" if "?" in target else "?") + query
        url = url.with_target(target)
    body = b""
    content_type: str | None = None
    accept = "*/*"
    if has_stdin:
        body = ctx.stdin.encode()
        if not args.form:
            content_type, accept = "application/json", JSON_ACCEPT
    elif data:
        if args.form:
            body = "&".join(f"{quote_plus(k)}={quote_plus(str(v))}"
                            for k, v in data.items()).encode()
            content_type = FORM_TYPE
        else:
            body = json.dumps(data).encode()
            content_type, accept = "application/json", JSON_ACCEPT
    elif args.json:
        content_type, accept = "application/json", JSON_ACCEPT
    auth_user = args.auth if args.auth is not None else (
        f"{url.user}:{url.password or ''}" if url.user is not None else None)
    # requests' session defaults, then HTTPie's headers (see module docstring)
    shown: list[tuple[str, str]] = [("Accept-Encoding", "gzip, deflate")]
    if accept == "*/*":
        shown.append(("Accept", "*/*"))
    shown.append(("Connection", "keep-alive"))
    if body or method not in ("GET", "HEAD"):
        shown.append(("Content-Length", str(len(body))))
    shown.append(("User-Agent", USER_AGENT))
    if accept != "*/*":
        shown.append(("Accept", accept))
    if content_type:
        shown.append(("Content-Type", content_type))
    if auth_user is not None:
        user = auth_user if ":" in auth_user else auth_user + ":"
        shown.append(("Authorization",
                      "Basic " + base64.b64encode(user.encode()).decode()))
    for name, value in custom:
        existing = [i for i, (n, _) in enumerate(shown) if n.lower() == name.lower()]
        if value is None:
            for i in reversed(existing):
                del shown[i]
            continue
        if existing and name.lower() in ("user-agent", "accept", "content-type",
                                         "connection", "accept-encoding"):
            shown[existing[0]] = (name, value)
        else:
            shown.append((name, value))
    host_value = url.netloc
    for name, value in custom:
        if name.lower() == "host" and value is not None:
            host_value = value
    shown = [(n, v) for n, v in shown if n.lower() != "host"]
    shown.append(("Host", host_value))
    wire = [("Host", url.authority if host_value == url.netloc else host_value)] + [
        h for h in shown if h[0] != "Host"]
    request = Request(method, url.scheme, url.host, url.port, url.target, wire, body)
    return request, shown


def _request_block(request: Request, headers: list[tuple[str, str]]) -> str:
    lines = [f"{request.method} {request.target} HTTP/1.1"]
    lines += [f"{n}: {v}" for n, v in headers]
    return "\r\n".join(lines)


def _response_head(response: Response) -> str:
    lines = [f"HTTP/1.1 {response.status} {response.reason}"]
    lines += [f"{n}: {v}" for n, v in response.headers]
    return "\r\n".join(lines)


def _sorted_head(head: str) -> str:
    first, *rest = head.split("\r\n")
    # HeadersFormatter: a stable sort on the name only
    rest.sort(key=lambda line: line.split(":", 1)[0])
    return "\r\n".join([first, *rest])


def _pretty_json(head: str, body: bytes) -> bytes:
    """JSONFormatter: bodies whose type mentions json/javascript/text and that parse."""
    mime = ""
    for line in head.split("\r\n")[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-type":
            mime = value.split(";")[0].strip().lower()
    if not body or not any(token in mime for token in ("json", "javascript", "text")):
        return body
    try:
        parsed = json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return body
    return json.dumps(parsed, sort_keys=True, ensure_ascii=False, indent=4).encode()


def _follow(request: Request, location: str) -> Request:
    if "://" in location:
        _, url = parse_httpie(location)
    else:
        base = f"{request.scheme}://{request.authority}"
        path = location if location.startswith("/") else "/" + location
        _text, url = parse_httpie(base + path)
    headers = [(n, v) for n, v in request.headers if n.lower() not in ("host",
                                                                       "content-length",
                                                                       "content-type")]
    method = "GET" if request.method == "POST" else request.method
    return Request(method, url.scheme, url.host, url.port, url.target,
                   [("Host", url.authority), *headers], b"" if method == "GET" else
                   request.body)


def _net_error(ctx: ExecContext, prog: str, args: Args, request: Request,
               error: NetError) -> int:
    url = f"{request.scheme}://{request.authority}{request.target}"
    host, port = request.host, request.port
    method = request.method
    tail = f" while doing a {method} request to URL: {url}"
    if error.kind == "dns":
        _log(ctx, prog, "error", f"gaierror: [Errno -2] {gai_strerror(ctx)}\n"
                                 "Couldn\u2019t resolve the given hostname. Please check the "
                                 "URL and try again.")
        return 1
    if error.kind == "timeout":
        _log(ctx, prog, "error", f"Request timed out ({args.timeout}s).")
        return 2
    pool = "HTTPSConnectionPool" if request.scheme == "https" else "HTTPConnectionPool"
    conn = "HTTPSConnection" if request.scheme == "https" else "HTTPConnection"
    if error.kind in ("refused", "unreachable"):
        errno = "[Errno 111] Connection refused" if error.kind == "refused" else \
            "[Errno 113] No route to host"
        _log(ctx, prog, "error",
             f"ConnectionError: {pool}(host='{host}', port={port}): Max retries exceeded "
             f"with url: {request.target} (Caused by NewConnectionError(\"{conn}(host="
             f"'{host}', port={port}): Failed to establish a new connection: {errno}\"))"
             + tail)
        return 1
    if error.kind == "closed":
        _log(ctx, prog, "error", "ConnectionError: ('Connection aborted.', RemoteDisconnected("
                                 "'Remote end closed connection without response'))" + tail)
        return 1
    _log(ctx, prog, "error", "ConnectionError: ('Connection aborted.', ConnectionResetError("
                             "104, 'Connection reset by peer'))" + tail)
    return 1


__all__ += ["URL", "parse_item"]
