"""curl 8.14 (Debian trixie's build) against the lab's network.

Modelled on curl's ``src/tool_getparam.c`` (option parsing: bundled short options, no
``--opt=value``, ``--no-`` negation), ``src/tool_operate.c`` / ``tool_writeout.c`` (``-o``,
``-O``, ``-w``), ``lib/http.c`` (request header order: Host, Authorization, User-Agent, Accept,
Referer, custom ``-H`` headers, then a POST's Content-Length/Content-Type; a custom header
replaces curl's own, ``-H 'X:'`` removes it, ``-H 'X;'`` sends it empty), ``lib/progress.c``
(the progress meter on stderr whenever the body does not go to a terminal) and the ``-v``
lines of 8.x (``* Host h:80 was resolved.``, ``* using HTTP/1.x``, ``* Request completely sent
off``, ``* Connection #0 to host h left intact``).

Errors are ``curl: (N) text`` on stderr — hidden by ``-s`` unless ``-S`` — with curl 8's
words: 6 ``Could not resolve host: h``, 7 ``Failed to connect to h port p after N ms: Could
not connect to server``, 28 ``Connection timed out after N milliseconds`` / ``Operation timed
out after N milliseconds with M bytes received``, 22 ``The requested URL returned error:
404`` (``-f``), 52 ``Empty reply from server``, 56 ``Recv failure: Connection reset by
peer``, 3 ``URL rejected: …``, 1 ``Protocol "x" not supported``, 2 for bad options.
Verified against the real curl 7.88 where 8.x did not change (``tests/oracle``); 8.x wording
comes from curl's sources and 8.x transcripts (docs/realism.md).

A request costs its virtual time: the tool sleeps ``Exchange.total`` before it prints what
came back (``-v`` prints its connect lines first, as curl does).
"""

from __future__ import annotations

import base64
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from ...network.http import Exchange, NetError, Request, Response
from ...sim.process import ExecContext, Proc, Sleep
from ._common import EXEC_COST, NoNetwork, read_file, transport, write_file
from .url import URL, URLError, parse_curl

__all__ = ["USER_AGENT", "VERSION", "curl"]

VERSION = "8.14.1"
USER_AGENT = f"curl/{VERSION}"

VERSION_TEXT = (
    f"curl {VERSION} (x86_64-pc-linux-gnu) libcurl/{VERSION} OpenSSL/3.5.1 zlib/1.3.1 "
    "brotli/1.1.0 zstd/1.5.7 libidn2/2.3.8 libpsl/0.21.2 libssh2/1.11.1 nghttp2/1.64.0 "
    "nghttp3/1.8.0 librtmp/2.3 OpenLDAP/2.6.10\n"
    "Release-Date: 2025-06-04, security patched: 8.14.1-2\n"
    "Protocols: dict file ftp ftps gopher gophers http https imap imaps ipfs ipns ldap ldaps "
    "mqtt pop3 pop3s rtmp rtsp scp sftp smb smbs smtp smtps telnet tftp ws wss\n"
    "Features: alt-svc AsynchDNS brotli GSS-API HSTS HTTP2 HTTP3 HTTPS-proxy IDN IPv6 "
    "Kerberos Largefile libz NTLM PSL SPNEGO SSL threadsafe TLS-SRP UnixSockets zstd\n"
)

HELP_TEXT = (
    "Usage: curl [options...] <url>\n"
    " -d, --data <data>          HTTP POST data\n"
    " -f, --fail                 Fail fast with no output on HTTP errors\n"
    " -h, --help <category>      Get help for commands\n"
    " -i, --include              Include protocol response headers in the output\n"
    " -o, --output <file>        Write to file instead of stdout\n"
    " -O, --remote-name          Write output to a file named as the remote file\n"
    " -s, --silent               Silent mode\n"
    " -T, --upload-file <file>   Transfer local FILE to destination\n"
    " -u, --user <user:password> Server user and password\n"
    " -A, --user-agent <name>    Send User-Agent <name> to server\n"
    " -v, --verbose              Make the operation more talkative\n"
    " -V, --version              Show version number and quit\n"
    "\n"
    "This is not the full help, this menu is stripped into categories.\n"
    "Use \"--help category\" to get an overview of all categories.\n"
    "For all options use the manual or \"--help all\".\n"
)

TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n"

# option name → (key, takes a parameter)
_LONG: dict[str, tuple[str, bool]] = {
    "silent": ("s", False), "show-error": ("S", False), "head": ("I", False),
    "include": ("i", False), "show-headers": ("i", False), "verbose": ("v", False),
    "output": ("o", True), "remote-name": ("O", False), "write-out": ("w", True),
    "header": ("H", True), "request": ("X", True), "data": ("d", True),
    "data-ascii": ("d", True), "data-raw": ("data-raw", True),
    "data-binary": ("data-binary", True), "max-time": ("m", True),
    "connect-timeout": ("connect-timeout", True), "location": ("L", False),
    "fail": ("f", False), "fail-with-body": ("fail-with-body", False),
    "insecure": ("k", False), "resolve": ("resolve", True), "user-agent": ("A", True),
    "referer": ("e", True), "user": ("u", True), "get": ("G", False), "help": ("h", False),
    "version": ("V", False), "ipv4": ("4", False), "ipv6": ("6", False),
    "compressed": ("compressed", False), "http1.1": ("http1.1", False),
    "no-buffer": ("N", False), "max-redirs": ("max-redirs", True),
    "progress-bar": ("#", False), "disable": ("q", False),
}
_SHORT: dict[str, tuple[str, bool]] = {
    "s": ("s", False), "S": ("S", False), "I": ("I", False), "i": ("i", False),
    "v": ("v", False), "o": ("o", True), "O": ("O", False), "w": ("w", True),
    "H": ("H", True), "X": ("X", True), "d": ("d", True), "m": ("m", True),
    "L": ("L", False), "f": ("f", False), "k": ("k", False), "A": ("A", True),
    "e": ("e", True), "u": ("u", True), "G": ("G", False), "h": ("h", False),
    "V": ("V", False), "4": ("4", False), "6": ("6", False), "N": ("N", False),
    "#": ("#", False), "q": ("q", False),
}


class _Usage(Exception):
    def __init__(self, message: str) -> None:
        self.message = message


@dataclass
class Options:
    silent: bool = False
    show_error: bool = False
    head: bool = False
    include: bool = False
    verbose: bool = False
    output: str | None = None
    remote_name: bool = False
    write_out: str | None = None
    headers: list[str] = field(default_factory=list)
    method: str | None = None
    data: list[bytes] = field(default_factory=list)
    max_time: float | None = None
    connect_timeout: float | None = None
    location: bool = False
    fail: bool = False
    fail_with_body: bool = False
    resolve: list[str] = field(default_factory=list)
    user_agent: str | None = None
    referer: str | None = None
    user: str | None = None
    get: bool = False
    help: bool = False
    version: bool = False
    max_redirs: int = 50
    urls: list[str] = field(default_factory=list)


def _number(flag: str, value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _Usage(f"curl: option {flag}: expected a proper numerical parameter\n") from None
    if number < 0:
        raise _Usage(f"curl: option {flag}: expected a proper numerical parameter\n")
    return number


def _apply(ctx: ExecContext, opts: Options, key: str, flag: str, value: str | None,
           on: bool) -> None:
    if key == "s":
        opts.silent = on
    elif key == "S":
        opts.show_error = on
    elif key == "I":
        opts.head = on
    elif key == "i":
        opts.include = on
    elif key == "v":
        opts.verbose = on
    elif key == "o":
        opts.output = value
    elif key == "O":
        opts.remote_name = on
    elif key == "w":
        assert value is not None
        if value.startswith("@"):
            data = read_file(ctx, value[1:])
            value = data.decode("utf-8", "replace") if data is not None else ""
        opts.write_out = value
    elif key == "H":
        assert value is not None
        opts.headers.append(value)
    elif key == "X":
        opts.method = value
    elif key in ("d", "data-binary", "data-raw"):
        assert value is not None
        raw = value.encode()
        if key != "data-raw" and value.startswith("@"):
            content = read_file(ctx, value[1:])
            if content is None:
                ctx.stderr.write(f"Warning: Couldn't read data from file \"{value[1:]}\", "
                                 "this makes an empty POST.\n")
                content = b""
            raw = content if key == "data-binary" else content.replace(b"\r", b"").replace(
                b"\n", b"")
        opts.data.append(raw)
    elif key == "m":
        opts.max_time = _number(flag, value or "")
    elif key == "connect-timeout":
        opts.connect_timeout = _number(flag, value or "")
    elif key == "L":
        opts.location = on
    elif key == "f":
        opts.fail = on
    elif key == "fail-with-body":
        opts.fail_with_body = on
    elif key == "resolve":
        opts.resolve.append(value or "")
    elif key == "A":
        opts.user_agent = value
    elif key == "e":
        opts.referer = value
    elif key == "u":
        opts.user = value
    elif key == "G":
        opts.get = on
    elif key == "h":
        opts.help = True
    elif key == "V":
        opts.version = True
    elif key == "max-redirs":
        opts.max_redirs = int(_number(flag, value or ""))
    # -k, -4, -6, -N, -#, -q, --compressed, --http1.1: no visible effect in the lab


def parse_args(ctx: ExecContext, args: list[str]) -> Options:
    opts = Options()
    i = 0
    only_urls = False
    while i < len(args):
        arg = args[i]
        i += 1
        if only_urls or not arg.startswith("-") or arg == "-":
            opts.urls.append(arg)
            continue
        if arg == "--":
            only_urls = True
            continue
        if arg.startswith("--"):
            name = arg[2:]
            on = True
            spec = _LONG.get(name)
            if spec is None and name.startswith("no-") and name[3:] in _LONG:
                spec = _LONG[name[3:]]
                if spec[1]:
                    spec = None
                on = False
            if spec is None:
                raise _Usage(f"curl: option {arg}: is unknown\n")
            key, takes = spec
            value = None
            if takes:
                if i >= len(args):
                    raise _Usage(f"curl: option {arg}: requires parameter\n")
                value = args[i]
                i += 1
            _apply(ctx, opts, key, arg, value, on)
            continue
        letters = arg[1:]
        j = 0
        while j < len(letters):
            letter = letters[j]
            j += 1
            spec = _SHORT.get(letter)
            if spec is None:
                raise _Usage(f"curl: option -{letters[j - 1:]}: is unknown\n")
            key, takes = spec
            value = None
            if takes:
                if j < len(letters):
                    value = letters[j:]
                    j = len(letters)
                elif i < len(args):
                    value = args[i]
                    i += 1
                else:
                    raise _Usage(f"curl: option -{letter}: requires parameter\n")
            _apply(ctx, opts, key, f"-{letter}", value, True)
    return opts


# --------------------------------------------------------------------------- the command


def curl(ctx: ExecContext, argv: list[str]) -> Proc:
    """``curl [options] URL...``: one transfer per URL; the exit status of the last failure."""
    try:
        opts = parse_args(ctx, argv[1:])
    except _Usage as usage:
        ctx.stderr.write(usage.message + TRY)
        return 2
    if opts.help:
        ctx.stdout.write(HELP_TEXT)
        return 0
    if opts.version:
        ctx.stdout.write(VERSION_TEXT)
        return 0
    if not opts.urls:
        ctx.stderr.write(TRY)
        return 2
    try:
        tr = transport(ctx)
    except NoNetwork:
        ctx.stderr.write("curl: (7) no network on this machine\n")
        return 7
    yield Sleep(EXEC_COST["curl"])
    status = 0
    for number, raw in enumerate(opts.urls):
        code = yield from _transfer(ctx, tr, opts, raw, number)
        if code:
            status = code
    return status


@dataclass
class _Run:
    """State of one transfer (possibly several requests with -L)."""

    ctx: ExecContext
    opts: Options
    meter: bool
    started: int
    conn: int
    body_out: list[bytes] = field(default_factory=list)
    last: Exchange | None = None
    redirects: int = 0
    header_bytes: int = 0
    request_bytes: int = 0
    effective: str = ""
    last_error: str = ""

    def err(self, text: str) -> None:
        self.ctx.stderr.write(text)

    def info(self, text: str) -> None:
        if self.opts.verbose:
            self.ctx.stderr.write(f"* {text}\n")


def _transfer(ctx: ExecContext, tr: Any, opts: Options, raw: str, number: int) -> Generator[
        Any, Any, int]:
    to_file = opts.output is not None or opts.remote_name
    meter = not opts.silent and (to_file or not ctx.tty)
    run = _Run(ctx, opts, meter, ctx.now, number)
    try:
        url = parse_curl(raw)
    except URLError as bad:
        if opts.verbose:
            run.info(bad.message)
        _fail(run, bad.code, bad.message)
        _write_out(run, None, bad.code, bad.message)
        return bad.code
    run.effective = url.full()
    if meter:
        run.err("  % Total    % Received % Xferd  Average Speed   Time    Time     Time  "
                "Current\n                                 Dload  Upload   Total   Spent    "
                "Left  Speed\n")
        run.err("\r" + _meter_line(0, None, 0, 0, 0))
    method = opts.method or ("HEAD" if opts.head else ("POST" if opts.data and not opts.get
                                                       else "GET"))
    body = b"&".join(opts.data) if opts.data else b""
    if opts.get and body:
        sep = "&" if "?" in url.target else "?"
        url = url.with_target(url.target + sep + body.decode("latin-1"))
        body = b""
        run.effective = url.full()
    if opts.method and opts.verbose:
        inferred = "HEAD" if opts.head else ("POST" if opts.data and not opts.get else "GET")
        if opts.method == inferred and inferred != "HEAD":
            ctx.stderr.write(f"Note: Unnecessary use of -X or --request, {inferred} is "
                             "already inferred.\n")
    for entry in opts.resolve:
        bits = entry.split(":", 2)
        if len(bits) == 3:
            run.info(f"Added {entry} to DNS cache")
    code = 0
    while True:
        request = _build_request(opts, url, method, body)
        code, response = yield from _one_request(run, tr, url, request, bool(body))
        if code or response is None:
            break
        location = response.header("Location")
        if opts.location and location and 300 <= response.status < 400:
            if run.redirects >= opts.max_redirs:
                code = 47
                _fail(run, code, f"Maximum ({opts.max_redirs}) redirects followed")
                break
            target = _resolve_location(url, location)
            try:
                url = parse_curl(target)
            except URLError as bad:
                code = bad.code
                _fail(run, code, bad.message)
                break
            run.redirects += 1
            run.effective = url.full()
            run.info(f"Issue another request to this URL: '{url.full()}'")
            if response.status in (301, 302, 303) and method == "POST" and not opts.method:
                method, body = "GET", b""
            continue
        break
    if not code and run.last is not None and run.last.response is not None:
        code = yield from _deliver(run, url, run.last.response)
    _write_out(run, run.last, code, run.last_error)
    return code


def _build_request(opts: Options, url: URL, method: str, body: bytes) -> Request:
    host, port = url.host, url.port
    for entry in opts.resolve:
        bits = entry.split(":", 2)
        if len(bits) == 3 and bits[0].lower() == url.host.lower() and bits[1] == str(port):
            host = bits[2].strip("[]")
    custom: list[tuple[str, str | None]] = []  # None value: remove curl's own header
    for line in opts.headers:
        if ":" in line:
            name, value = line.split(":", 1)
            value = value.strip()
            custom.append((name.strip(), value if value else None))
        elif line.endswith(";"):
            custom.append((line[:-1].strip(), ""))
    custom_names = {n.lower() for n, _ in custom}
    own: list[tuple[str, str]] = [("Host", url.authority)]
    user = opts.user if opts.user is not None else (
        f"{url.user}:{url.password or ''}" if url.user is not None else None)
    if user is not None:
        own.append(("Authorization", "Basic " + base64.b64encode(user.encode()).decode()))
    ua = opts.user_agent if opts.user_agent is not None else USER_AGENT
    if ua:
        own.append(("User-Agent", ua))
    own.append(("Accept", "*/*"))
    if opts.referer:
        own.append(("Referer", opts.referer))
    headers: list[tuple[str, str]] = []
    for name, value in own:
        if name.lower() in custom_names:
            if name == "Host":
                for cname, cvalue in custom:
                    if cname.lower() == "host" and cvalue is not None:
                        headers.append((cname, cvalue))
                        break
            continue
        headers.append((name, value))
    for name, value in custom:
        if value is None or name.lower() == "host":
            continue
        headers.append((name, value))
    if body or (opts.data and method not in ("GET", "HEAD")):
        if "content-length" not in custom_names:
            headers.append(("Content-Length", str(len(body))))
        if "content-type" not in custom_names:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    return Request(method, url.scheme, host, url.port, url.target, headers, body)


def _one_request(run: _Run, tr: Any, url: URL, request: Request, has_body: bool) -> Generator[
        Any, Any, tuple[int, Response | None]]:
    opts, ctx = run.opts, run.ctx
    name = url.host
    ip_literal = _is_ip(name) or request.host != url.host
    if opts.verbose and not ip_literal:
        try:
            ips = tr.resolve(name)
        except NetError:
            ips = []
        if ips:
            run.info(f"Host {name}:{url.port} was resolved.")
            v6 = [a for a in ips if ":" in a]
            v4 = [a for a in ips if ":" not in a]
            run.info("IPv6: " + (", ".join(v6) if v6 else "(none)"))
            run.info("IPv4: " + (", ".join(v4) if v4 else "(none)"))
    elif opts.verbose and request.host != url.host:
        run.info(f"Hostname {url.host} was found in DNS cache")
    timeout = int(opts.max_time * 1e9) if opts.max_time else None
    connect_timeout = int(opts.connect_timeout * 1e9) if opts.connect_timeout else None
    if timeout is not None and connect_timeout is not None:
        connect_timeout = min(connect_timeout, timeout)
    ex = tr.exchange(request, connect_timeout=connect_timeout or timeout, timeout=timeout)
    run.last = ex
    error = ex.error
    if opts.verbose and not (error is not None and error.kind == "dns"):
        ip = ex.remote_ip or request.host
        shown = f"[{ip}]" if ":" in ip else ip
        run.info(f"  Trying {shown}:{request.port}...")
    # Time passes before anything that depends on the answer is printed.
    yield Sleep(ex.total)
    elapsed_ms = ex.total // 1_000_000
    if error is not None:
        code, text = _error_text(url, ex, error, elapsed_ms)
        if opts.verbose:
            if error.kind in ("refused", "unreachable") or (
                    error.kind == "timeout" and error.phase == "connect"):
                detail = error.detail or {"refused": "Connection refused",
                                          "unreachable": "No route to host"}.get(
                    error.kind, "Connection timed out")
                src = f" from {ex.local_ip} port {ex.local_port}" if ex.local_ip else ""
                if error.kind != "timeout":
                    run.info(f"connect to {ex.remote_ip} port {request.port}{src} failed: "
                             f"{detail}")
            elif error.kind != "dns":
                _verbose_connected(run, url, ex, request)
            run.info(text)
            run.info(f"closing connection #{run.conn}")
        run.last_error = text
        if run.meter:
            run.err(_meter_progress(ex.total, None, 0) + "\n")
        _fail(run, code, text)
        return code, None
    response = ex.response
    assert response is not None
    if opts.verbose:
        _verbose_connected(run, url, ex, request)
        for name_, value in ([(request.method + " " + request.target + " HTTP/1.1", None)]
                             + [(n, v) for n, v in request.headers]):
            if value is None:
                ctx.stderr.write(f"> {name_}\r\n")
            else:
                ctx.stderr.write(f"> {name_}: {value}\r\n")
        ctx.stderr.write("> \r\n")
        if has_body and request.body and not ctx.tty:
            ctx.stderr.write(f"}} [{len(request.body)} bytes data]\n")
        run.info("Request completely sent off")
        ctx.stderr.write(f"< {response.status_line}\r\n")
        for hname, hvalue in response.headers:
            ctx.stderr.write(f"< {hname}: {hvalue}\r\n")
        ctx.stderr.write("< \r\n")
    run.header_bytes += response.head_bytes()
    run.request_bytes += _request_size(request)
    return 0, response


def _verbose_connected(run: _Run, url: URL, ex: Exchange, request: Request) -> None:
    ip = ex.remote_ip or request.host
    run.info(f"Connected to {url.host} ({ip}) port {request.port}")
    run.info("using HTTP/1.x")


def _deliver(run: _Run, url: URL, response: Response) -> Generator[Any, Any, int]:
    """Write headers/body where they go; ``-f`` turns a 4xx/5xx into exit 22."""
    opts, ctx = run.opts, run.ctx
    failing = (opts.fail or opts.fail_with_body) and response.status >= 400
    out: list[bytes] = []
    if (opts.include or opts.head) and not (failing and not opts.fail_with_body):
        out.append(_raw_head(response))
    body = response.body if response.status != 304 else b""
    if not opts.head and not (failing and not opts.fail_with_body):
        out.append(body)
    data = b"".join(out)
    if opts.verbose and body and not opts.head and not ctx.tty and not failing:
        ctx.stderr.write(f"{{ [{min(len(body), 102400)} bytes data]\n")
    code = 0
    if opts.output is not None or opts.remote_name:
        target = opts.output
        if opts.remote_name:
            target = url.path.rsplit("/", 1)[-1]
            if not target:
                if run.meter:
                    run.err(_meter_progress(run.last.total if run.last else 0,
                                            _length(response), 0) + "\n")
                _fail(run, 23, "Failed writing received data to disk/application")
                return 23
        assert target is not None
        if target != "-":
            problem = write_file(ctx, target, data) if not failing or opts.fail_with_body \
                else None
            if problem is not None:
                if run.meter:
                    run.err(_meter_progress(run.last.total if run.last else 0,
                                            _length(response), 0) + "\n")
                _fail(run, 23, "Failure writing output to destination")
                return 23
        else:
            ctx.stdout.write(data.decode("utf-8", "replace"))
    else:
        ctx.stdout.write(data.decode("utf-8", "replace"))
    if run.meter:
        received = 0 if failing else len(body)
        run.err(_meter_progress(run.last.total if run.last else 0, _length(response),
                                received) + "\n")
    if failing:
        code = 22
        _fail(run, code, f"The requested URL returned error: {response.status}")
        run.last_error = f"The requested URL returned error: {response.status}"
    else:
        closing = (response.header("Connection") or "").lower() == "close"
        if closing:
            run.info(f"shutting down connection #{run.conn}")
        else:
            run.info(f"Connection #{run.conn} to host {url.host} left intact")
    return code
    yield  # pragma: no cover


def _raw_head(response: Response) -> bytes:
    lines = [response.status_line] + [f"{n}: {v}" for n, v in response.headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")


def _length(response: Response) -> int | None:
    value = response.header("Content-Length")
    if value is not None and value.strip().isdigit():
        return int(value.strip())
    return None


def _request_size(request: Request) -> int:
    size = len(f"{request.method} {request.target} HTTP/1.1\r\n") + 2
    for name, value in request.headers:
        size += len(name) + 2 + len(value) + 2
    return size


def _fail(run: _Run, code: int, text: str) -> None:
    if run.opts.silent and not run.opts.show_error:
        return
    run.err(f"curl: ({code}) {text}\n")


def _error_text(url: URL, ex: Exchange, error: NetError, elapsed_ms: int) -> tuple[int, str]:
    port = ex.request.port
    if error.kind == "dns":
        return 6, f"Could not resolve host: {url.host}"
    if error.kind in ("refused", "unreachable"):
        return 7, (f"Failed to connect to {url.host} port {port} after {elapsed_ms} ms: "
                   "Could not connect to server")
    if error.kind == "timeout":
        if error.phase == "connect":
            return 28, f"Connection timed out after {elapsed_ms} milliseconds"
        return 28, (f"Operation timed out after {elapsed_ms} milliseconds with "
                    f"{error.received} bytes received")
    if error.kind == "closed":
        return 52, "Empty reply from server"
    if error.kind == "reset":
        if error.phase == "connect":
            return 7, (f"Failed to connect to {url.host} port {port} after {elapsed_ms} ms: "
                       "Could not connect to server")
        return 56, "Recv failure: Connection reset by peer"
    if error.kind == "tls":
        return 35, "OpenSSL/3.5.1: error:0A00010B:SSL routines::wrong version number"
    return 56, "Recv failure: Connection reset by peer"


def _resolve_location(url: URL, location: str) -> str:
    if "://" in location:
        return location
    base = f"{url.scheme}://{url.authority}"
    if location.startswith("/"):
        return base + location
    directory = url.path.rsplit("/", 1)[0]
    return f"{base}{directory}/{location}"


def _is_ip(text: str) -> bool:
    parts = text.split(".")
    return (len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts)) or (
        ":" in text)


# --------------------------------------------------------------------------- progress meter


def _max5(value: int) -> str:
    """curl's ``max5data``: a byte count in at most five characters."""
    kb, mb, gb = 1024, 1024 * 1024, 1024 ** 3
    if value < 100000:
        return f"{value:5d}"
    if value < 10000 * kb:
        return f"{value // kb:4d}k"
    if value < 100 * mb:
        return f"{value // mb:2d}.{(value % mb) // (mb // 10):d}M"
    if value < 10000 * mb:
        return f"{value // mb:4d}M"
    if value < 100 * gb:
        return f"{value // gb:2d}.{(value % gb) // (gb // 10):d}G"
    return f"{value // gb:4d}G"


def _time2str(seconds: int) -> str:
    if seconds <= 0:
        return "--:--:--"
    hours = seconds // 3600
    if hours <= 99:
        minutes = (seconds - hours * 3600) // 60
        secs = seconds - hours * 3600 - minutes * 60
        return f"{hours:2d}:{minutes:02d}:{secs:02d}"
    days = seconds // 86400
    hours = (seconds - days * 86400) // 3600
    if days <= 999:
        return f"{days:3d}d {hours:02d}h"
    return f"{days:7d}d"


def _meter_line(elapsed_ns: int, expected: int | None, received: int, speed: int,
                current: int) -> str:
    spent = elapsed_ns // 1_000_000_000
    total_size = expected if expected is not None else received
    percent = received * 100 // expected if expected else 0
    total_time = expected // speed if (expected and speed) else 0
    left = total_time - spent if total_time else 0
    return (f"{percent:3d} {_max5(total_size)}  {percent:3d} {_max5(received)}    0 "
            f"{_max5(0)}  {_max5(speed)}  {_max5(0)} {_time2str(total_time)} "
            f"{_time2str(spent)} {_time2str(left)} {_max5(current)}")


def _meter_progress(elapsed_ns: int, expected: int | None, received: int) -> str:
    """The once-a-second updates of a transfer that took ``elapsed_ns``, then its last line."""
    parts = []
    whole = elapsed_ns // 1_000_000_000
    for second in range(1, whole + 1):
        if second * 1_000_000_000 >= elapsed_ns:
            break
        parts.append("\r" + _meter_line(second * 1_000_000_000, expected, 0, 0, 0))
    micros = max(1, elapsed_ns // 1000)
    speed = received * 1_000_000 // micros
    parts.append("\r" + _meter_line(elapsed_ns, expected, received, speed, speed))
    return "".join(parts)


# --------------------------------------------------------------------------- -w


def _write_out(run: _Run, ex: Exchange | None, code: int, errormsg: str) -> None:
    fmt = run.opts.write_out
    if fmt is None:
        return
    response = ex.response if ex is not None else None
    out: list[str] = []
    stream = run.ctx.stdout
    chunks: list[tuple[Any, str]] = []
    i = 0
    n = len(fmt)
    while i < n:
        ch = fmt[i]
        if ch == "%" and i + 1 < n:
            if fmt[i + 1] == "%":
                out.append("%")
                i += 2
                continue
            if fmt[i + 1] == "{":
                end = fmt.find("}", i + 2)
                if end != -1:
                    var = fmt[i + 2:end]
                    i = end + 1
                    if var in ("stderr", "stdout"):
                        chunks.append((stream, "".join(out)))
                        out = []
                        stream = run.ctx.stderr if var == "stderr" else run.ctx.stdout
                        continue
                    value = _variable(run, ex, response, code, errormsg, var)
                    if value is None:
                        run.ctx.stderr.write(f"curl: unknown --write-out variable: '{var}'\n")
                    else:
                        out.append(value)
                    continue
        if ch == "\\" and i + 1 < n:
            nxt = fmt[i + 1]
            mapped = {"n": "\n", "r": "\r", "t": "\t", "\\": "\\"}.get(nxt)
            if mapped is not None:
                out.append(mapped)
                i += 2
                continue
        out.append(ch)
        i += 1
    chunks.append((stream, "".join(out)))
    for target, text in chunks:
        if text:
            target.write(text)


def _variable(run: _Run, ex: Exchange | None, response: Response | None, code: int,
              errormsg: str, var: str) -> str | None:
    def secs(ns: int) -> str:
        return f"{ns / 1e9:.6f}"

    ok = ex is not None
    dns = ex.dns if ok else 0
    connect = dns + (ex.connect if ok else 0)
    total = ex.total if ok else 0
    size_download = len(response.body) if response is not None else 0
    micros = max(1, total // 1000)
    values: dict[str, str] = {
        "http_code": f"{response.status:03d}" if response is not None else "000",
        "response_code": f"{response.status:03d}" if response is not None else "000",
        "time_total": secs(total),
        "time_namelookup": secs(dns),
        "time_connect": secs(connect if ok and ex.connect else 0),
        "time_appconnect": secs(0),
        "time_pretransfer": secs(connect if response is not None else 0),
        "time_starttransfer": secs(connect + ex.first_byte if response is not None and ex
                                   else 0),
        "time_redirect": secs(0),
        "remote_ip": ex.remote_ip if ok and (ex.response is not None or ex.connect) else "",
        "remote_port": str(ex.remote_port) if ok and ex.response is not None else "0",
        "local_ip": ex.local_ip if ok and ex.response is not None else "",
        "local_port": str(ex.local_port) if ok and ex.response is not None else "0",
        "size_download": str(size_download),
        "size_header": str(run.header_bytes),
        "size_request": str(run.request_bytes),
        "size_upload": str(len(ex.request.body)) if ok and response is not None else "0",
        "speed_download": str(size_download * 1_000_000 // micros),
        "speed_upload": "0",
        "url_effective": run.effective,
        "url": run.effective,
        "content_type": (response.header("Content-Type") or "") if response else "",
        "num_connects": "1" if ok and response is not None else "0",
        "num_redirects": str(run.redirects),
        "redirect_url": "",
        "http_version": "1.1" if response is not None else "0",
        "scheme": "HTTP" if response is not None else "",
        "method": ex.request.method if ok else "GET",
        "exitcode": str(code),
        "errormsg": errormsg if code else "",
    }
    if response is not None and not run.opts.location:
        loc = response.header("Location")
        if loc and 300 <= response.status < 400 and ex is not None:
            url = URL(ex.request.scheme, ex.request.host, ex.request.port, ex.request.target)
            values["redirect_url"] = _resolve_location(url, loc)
    return values.get(var)
