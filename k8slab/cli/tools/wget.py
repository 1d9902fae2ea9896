"""``wget`` in its two flavours: GNU Wget 1.21.3 (the workstation) and BusyBox wget (images
built on busybox or alpine).

GNU (``src/main.c`` options through getopt_long, ``src/http.c`` log lines, ``src/progress.c``
dot display — stderr is not a terminal in the lab, so the dots, not the bar — and
``src/retr.c`` rates): exit 4 for network failures, 8 for an HTTP error status, 1 for a bad
URL, 2 for bad options; ``unable to resolve host address ‘h’`` with GNU's curly quotes (a
UTF-8 locale); failures that can be retried (no data, read errors, timeouts) are retried 20
times, waiting 1, 2, … 10 s between tries, as ``--tries=20 --waitretry=10`` do by default.

BusyBox (``networking/wget.c``, ``libbb/progress.c``): ``Connecting to h:p (ip:p)``, one
progress line at the end, every failure ``wget: …`` with exit 1 (``-q`` hides only the
chatter, not the errors).

Both write files through the machine's filesystem and sleep the exchange's virtual time. The
``-q -O-`` path does the minimum, since ``while true; do wget -q -O- URL; done`` runs it
thousands of times.
"""

from __future__ import annotations

import posixpath
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from ...network.http import Exchange, Request
from ...sim.clock import SECOND
from ...sim.fs import normpath
from ...sim.process import ExecContext, Proc, Sleep
from ._common import EXEC_COST, NoNetwork, gai_strerror, local_time, transport, write_file
from .url import URL, URLError, parse_busybox, parse_gnu_wget

__all__ = ["GNU_VERSION", "busybox_wget", "make_busybox_wget", "wget"]

GNU_VERSION = "1.21.3"
LQ, RQ = "\u2018", "\u2019"

GNU_USAGE = ("Usage: wget [OPTION]... [URL]...\n\nTry `wget --help' for more options.\n")
GNU_HELP = """GNU Wget 1.21.3, a non-interactive network retriever.
Usage: wget [OPTION]... [URL]...

Mandatory arguments to long options are mandatory for short options too.

Startup:
  -V,  --version                   display the version of Wget and exit
  -h,  --help                      print this help

Logging and input file:
  -q,  --quiet                     quiet (no output)
  -v,  --verbose                   be verbose (this is the default)
  -nv, --no-verbose                turn off verboseness, without being quiet

Download:
  -t,  --tries=NUMBER              set number of retries to NUMBER (0 unlimits)
  -O,  --output-document=FILE      write documents to FILE
  -S,  --server-response           print server response
       --spider                    don't download anything
  -T,  --timeout=SECONDS           set all timeout values to SECONDS
       --waitretry=SECONDS         wait 1..SECONDS between retries of a retrieval

Directories:
  -P,  --directory-prefix=PREFIX   save files to PREFIX/..

HTTP options:
       --header=STRING             insert STRING among the headers
  -U,  --user-agent=AGENT          identify as AGENT instead of Wget/VERSION
       --post-data=STRING          use the POST method; send STRING as the data
       --method=HTTPMethod         use method "HTTPMethod" in the request

Mail bug reports and suggestions to <bug-wget@gnu.org>
"""
GNU_VERSION_TEXT = (
    "GNU Wget 1.21.3 built on linux-gnu.\n\n"
    "-cares +digest -gpgme +https +ipv6 +iri +large-file -metalink +nls \n"
    "+ntlm +opie +psl +ssl/gnutls \n\n"
    "Copyright (C) 2015 Free Software Foundation, Inc.\n"
    "License GPLv3+: GNU GPL version 3 or later\n"
    "<http://www.gnu.org/licenses/gpl.html>.\n"
    "This is free software: you are free to change and redistribute it.\n"
    "There is NO WARRANTY, to the extent permitted by law.\n\n"
    "Originally written by Hrvoje Niksic <hniksic@xemacs.org>.\n"
    "Please send bug reports and questions to <bug-wget@gnu.org>.\n"
)

# long option → (key, takes a value); short letters map to the same keys
_GNU_LONG: dict[str, tuple[str, bool]] = {
    "quiet": ("q", False), "verbose": ("v", False), "no-verbose": ("nv", False),
    "output-document": ("O", True), "server-response": ("S", False),
    "timeout": ("T", True), "tries": ("t", True), "header": ("header", True),
    "user-agent": ("U", True), "spider": ("spider", False), "post-data": ("post-data", True),
    "method": ("method", True), "help": ("h", False), "version": ("V", False),
    "directory-prefix": ("P", True), "waitretry": ("waitretry", True),
    "no-check-certificate": ("nocheck", False), "read-timeout": ("T", True),
    "connect-timeout": ("connect-timeout", True), "max-redirect": ("max-redirect", True),
}
_GNU_SHORT: dict[str, tuple[str, bool]] = {
    "q": ("q", False), "v": ("v", False), "O": ("O", True), "S": ("S", False),
    "T": ("T", True), "t": ("t", True), "U": ("U", True), "h": ("h", False),
    "V": ("V", False), "P": ("P", True),
}


class _Usage(Exception):
    def __init__(self, message: str, code: int = 2) -> None:
        self.message = message
        self.code = code


@dataclass
class WgetOptions:
    quiet: bool = False
    no_verbose: bool = False
    output: str | None = None
    server_response: bool = False
    timeout: float | None = None
    connect_timeout: float | None = None
    tries: int = 20
    waitretry: float = 10.0
    headers: list[str] = field(default_factory=list)
    user_agent: str | None = None
    spider: bool = False
    post_data: str | None = None
    method: str | None = None
    prefix: str | None = None
    help: bool = False
    version: bool = False
    max_redirect: int = 20
    urls: list[str] = field(default_factory=list)


def _seconds(flag: str, value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise _Usage(f"wget: {flag}: Invalid time period {LQ}{value}{RQ}\n", 2) from None


def _gnu_apply(opts: WgetOptions, key: str, flag: str, value: str | None) -> None:
    if key == "q":
        opts.quiet = True
    elif key == "v":
        opts.quiet = opts.no_verbose = False
    elif key == "nv":
        opts.no_verbose = True
    elif key == "O":
        opts.output = value
    elif key == "S":
        opts.server_response = True
    elif key == "T":
        opts.timeout = _seconds(flag, value or "")
    elif key == "connect-timeout":
        opts.connect_timeout = _seconds(flag, value or "")
    elif key == "t":
        try:
            opts.tries = int(value or "")
        except ValueError:
            raise _Usage(f"wget: {flag}: Invalid number {LQ}{value}{RQ}.\n", 2) from None
    elif key == "waitretry":
        opts.waitretry = _seconds(flag, value or "")
    elif key == "header":
        opts.headers.append(value or "")
    elif key == "U":
        opts.user_agent = value
    elif key == "spider":
        opts.spider = True
    elif key == "post-data":
        opts.post_data = value
    elif key == "method":
        opts.method = (value or "").upper()
    elif key == "h":
        opts.help = True
    elif key == "V":
        opts.version = True
    elif key == "P":
        opts.prefix = value
    elif key == "max-redirect":
        opts.max_redirect = int(value or "20")


def _gnu_parse(args: list[str]) -> WgetOptions:
    opts = WgetOptions()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            opts.urls.extend(args[i:])
            break
        if arg.startswith("--"):
            name, _, rest = arg[2:].partition("=")
            value = rest if "=" in arg else None
            spec = _GNU_LONG.get(name)
            if spec is None:
                matches = [k for k in _GNU_LONG if k.startswith(name)] if name else []
                if len(matches) == 1:
                    spec = _GNU_LONG[matches[0]]
                    name = matches[0]
            if spec is None:
                raise _Usage(f"wget: unrecognized option '{arg}'\n" + GNU_USAGE)
            key, takes = spec
            if takes and value is None:
                if i >= len(args):
                    raise _Usage(f"wget: option '--{name}' requires an argument\n" + GNU_USAGE)
                value = args[i]
                i += 1
            elif not takes and value is not None:
                raise _Usage(f"wget: option '--{name}' doesn't allow an argument\n" + GNU_USAGE)
            _gnu_apply(opts, key, f"--{name}", value)
            continue
        if arg.startswith("-") and len(arg) > 1:
            if arg == "-nv":
                opts.no_verbose = True
                continue
            j = 1
            while j < len(arg):
                letter = arg[j]
                j += 1
                spec = _GNU_SHORT.get(letter)
                if spec is None:
                    raise _Usage(f"wget: invalid option -- '{letter}'\n" + GNU_USAGE)
                key, takes = spec
                value = None
                if takes:
                    if j < len(arg):
                        value = arg[j:]
                        j = len(arg)
                    elif i < len(args):
                        value = args[i]
                        i += 1
                    else:
                        raise _Usage(f"wget: option requires an argument -- '{letter}'\n"
                                     + GNU_USAGE)
                _gnu_apply(opts, key, f"-{letter}", value)
            continue
        opts.urls.append(arg)
    return opts


# --------------------------------------------------------------------------- GNU wget


def wget(ctx: ExecContext, argv: list[str]) -> Proc:
    """GNU Wget 1.21.3."""
    try:
        opts = _gnu_parse(argv[1:])
    except _Usage as usage:
        ctx.stderr.write(usage.message)
        return usage.code
    if opts.help:
        ctx.stdout.write(GNU_HELP)
        return 0
    if opts.version:
        ctx.stdout.write(GNU_VERSION_TEXT)
        return 0
    if not opts.urls:
        ctx.stderr.write("wget: missing URL\n" + GNU_USAGE)
        return 1
    try:
        tr = transport(ctx)
    except NoNetwork:
        ctx.stderr.write("wget: no network on this machine\n")
        return 4
    yield Sleep(EXEC_COST["wget"])
    status = 0
    for raw in opts.urls:
        code = yield from _gnu_one(ctx, tr, opts, raw)
        if code and (status == 0 or code < status):
            status = code
    return status


def _gnu_request(opts: WgetOptions, url: URL) -> Request:
    headers = [("Host", url.authority),
               ("User-Agent", opts.user_agent if opts.user_agent is not None
                else f"Wget/{GNU_VERSION}"),
               ("Accept", "*/*"), ("Accept-Encoding", "identity"),
               ("Connection", "Keep-Alive")]
    for line in opts.headers:
        if ":" in line:
            name, value = line.split(":", 1)
            name, value = name.strip(), value.strip()
            for index, (existing, _) in enumerate(headers):
                if existing.lower() == name.lower() and name.lower() != "host":
                    del headers[index]
                    break
            if name.lower() == "host":
                headers[0] = ("Host", value)
            else:
                headers.append((name, value))
    body = b""
    method = opts.method or ("HEAD" if opts.spider else "GET")
    if opts.post_data is not None:
        method = opts.method or "POST"
        body = opts.post_data.encode()
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        headers.append(("Content-Length", str(len(body))))
    return Request(method, url.scheme, url.host, url.port, url.target, headers, body)


def _gnu_one(ctx: ExecContext, tr: Any, opts: WgetOptions, raw: str) -> Generator[
        Any, Any, int]:
    try:
        url = parse_gnu_wget(raw)
    except URLError as bad:
        ctx.stderr.write(bad.message + "\n")
        return 1
    quiet = opts.quiet
    log: list[str] = []
    verbose = not quiet and not opts.no_verbose
    request = _gnu_request(opts, url)
    timeout = int(opts.timeout * SECOND) if opts.timeout else None
    connect_timeout = int(opts.connect_timeout * SECOND) if opts.connect_timeout else timeout
    if quiet and opts.output == "-" and not opts.server_response:
        # The load-generator path: one exchange, the body, nothing else.
        ex = tr.exchange(request, connect_timeout=connect_timeout, timeout=timeout)
        yield Sleep(ex.total)
        if ex.error is None and ex.response is not None:
            if ex.response.status < 400:
                ctx.stdout.write(ex.response.body.decode("utf-8", "replace"))
                return 0
            return 8
        if ex.error is not None and ex.error.kind in ("dns", "refused", "unreachable"):
            return 4
        # retriable failures go the long way (silently)
    shown = url.full()
    tries = opts.tries if opts.tries > 0 else 10**9
    attempt = 0
    while True:
        attempt += 1
        if verbose:
            stamp = local_time(ctx.now)
            tag = f"  (try:{attempt:2d})" if attempt > 1 else ""
            log.append(f"--{stamp}--{tag}  {shown}\n")
            if attempt == 1 and not _is_ip(url.host):
                try:
                    ips = tr.resolve(url.host)
                    log.append(f"Resolving {url.host} ({url.host})... {', '.join(ips)}\n")
                except Exception:
                    ips = []
        ex: Exchange = tr.exchange(request, connect_timeout=connect_timeout, timeout=timeout)
        yield Sleep(ex.total)
        error = ex.error
        if error is not None and error.kind == "dns":
            if verbose:
                if attempt == 1 and not _is_ip(url.host) and log and \
                        log[-1].startswith("Resolving"):
                    log.pop()
                log.append(f"Resolving {url.host} ({url.host})... failed: "
                           f"{gai_strerror(ctx)}.\n")
            if not quiet:
                log.append(f"wget: unable to resolve host address {LQ}{url.host}{RQ}\n")
            ctx.stderr.write("".join(log))
            return 4
        where = (f"{url.host}:{url.port}" if _is_ip(url.host) else
                 f"{url.host} ({url.host})|{ex.remote_ip}|:{url.port}")
        if error is not None and (error.kind in ("refused", "unreachable") or (
                error.kind == "timeout" and error.phase == "connect")):
            reason = {"refused": "Connection refused", "unreachable": "No route to host"}.get(
                error.kind, "Connection timed out")
            if verbose:
                log.append(f"Connecting to {where}... failed: {reason}.\n")
            if error.kind == "refused" or error.kind == "unreachable" or attempt >= tries:
                if error.kind == "timeout" and verbose:
                    log.append("Giving up.\n\n")
                ctx.stderr.write("".join(log))
                return 4
            if verbose:
                log.append("Retrying.\n\n")
            ctx.stderr.write("".join(log))
            log = []
            yield Sleep(int(min(attempt, opts.waitretry) * SECOND))
            continue
        if verbose:
            log.append(f"Connecting to {where}... connected.\n")
            log.append("HTTP request sent, awaiting response... ")
        if error is not None:
            if verbose:
                if error.kind == "closed":
                    log.append("No data received.\n")
                elif error.kind == "timeout":
                    log.append("Read error (Connection timed out) in headers.\n")
                else:
                    log.append("Read error (Connection reset by peer) in headers.\n")
            if attempt >= tries:
                if verbose:
                    log.append("Giving up.\n\n")
                ctx.stderr.write("".join(log))
                return 4
            if verbose:
                log.append("Retrying.\n\n")
            ctx.stderr.write("".join(log))
            log = []
            yield Sleep(int(min(attempt, opts.waitretry) * SECOND))
            continue
        response = ex.response
        assert response is not None
        if verbose:
            if opts.server_response:
                log.append("\n")
                log.append(f"  {response.status_line}\n")
                for name, value in response.headers:
                    log.append(f"  {name}: {value}\n")
            else:
                log.append(f"{response.status} {response.reason}\n")
        if response.status >= 400:
            if verbose:
                log.append(f"{local_time(ctx.now)} ERROR {response.status}: "
                           f"{response.reason}.\n\n")
            ctx.stderr.write("".join(log))
            return 8
        length = _content_length(response.header("Content-Length"))
        ctype = response.header("Content-Type")
        if verbose:
            size = "unspecified" if length is None else str(length)
            if length is not None and length >= 1024:
                size += f" ({_human(length)})"
            mime = ctype.split(";", 1)[0].strip() if ctype else ""
            log.append(f"Length: {size}" + (f" [{mime}]" if mime else "") + "\n")
        if opts.spider:
            if verbose:
                log.append("Remote file exists.\n\n")
            ctx.stderr.write("".join(log))
            return 0
        body = response.body
        if opts.output == "-":
            target_name = None
            if verbose:
                log.append(f"Saving to: {LQ}STDOUT{RQ}\n")
            ctx.stdout.write(body.decode("utf-8", "replace"))
        else:
            target_name = opts.output or _gnu_filename(ctx, url, opts.prefix)
            if verbose:
                log.append(f"Saving to: {LQ}{target_name}{RQ}\n")
            problem = write_file(ctx, target_name, body)
            if problem is not None:
                log.append(f"{target_name}: {problem}\n")
                ctx.stderr.write("".join(log))
                return 3
        if verbose:
            dltime = _download_seconds(ex, len(body))
            log.append(_dots(len(body), length, dltime))
            rate = _retr_rate(len(body), dltime)
            done = f"[{len(body)}/{length}]" if length is not None else f"[{len(body)}]"
            what = "written to stdout" if target_name is None else \
                f"{LQ}{target_name}{RQ} saved"
            log.append(f"{local_time(ctx.now)} ({rate}) - {what} {done}\n\n")
        ctx.stderr.write("".join(log))
        return 0


def _is_ip(host: str) -> bool:
    parts = host.split(".")
    return (len(parts) == 4 and all(p.isdigit() for p in parts)) or ":" in host


def _content_length(value: str | None) -> int | None:
    if value is not None and value.strip().isdigit():
        return int(value.strip())
    return None


def _gnu_filename(ctx: ExecContext, url: URL, prefix: str | None) -> str:
    name = url.path.rsplit("/", 1)[-1] or "index.html"
    base = posixpath.join(prefix, name) if prefix else name
    candidate = base
    n = 0
    while ctx.fs.exists(normpath(candidate, ctx.cwd)):
        n += 1
        candidate = f"{base}.{n}"
    return candidate


def _human(size: int) -> str:
    """``human_readable`` of src/utils.c: 1 decimal under 10, none above."""
    value = float(size)
    for unit in "KMGT":
        value /= 1024.0
        if value < 1024 or unit == "T":
            return f"{value:.1f}{unit}" if value < 10 else f"{value:.0f}{unit}"
    return str(size)


def _download_seconds(ex: Exchange, size: int) -> float:
    """Time from the response's arrival to its last byte; a loopback-like floor."""
    transfer = ex.total - ex.dns - ex.connect - ex.first_byte
    return max(transfer, 8_000 + size * 8) / 1e9


def _rate(bytes_: float, secs: float) -> tuple[float, int]:
    rate = bytes_ / secs if secs > 0 else 0.0
    units = 0
    while rate >= 1024.0 and units < 3:
        rate /= 1024.0
        units += 1
    return rate, units


def _retr_rate(size: int, secs: float) -> str:
    rate, units = _rate(size, secs)
    digits = 0 if rate >= 99.95 else (1 if rate >= 9.995 else 2)
    return f"{rate:.{digits}f} {('B/s', 'KB/s', 'MB/s', 'GB/s')[units]}"


def _print_decimal(number: float) -> str:
    if number >= 9.95:
        return f"{number:.0f}"
    if number >= 0.95:
        return f"{number:.1f}"
    if number >= 0.001:
        return f"{number:.1g}"
    if number >= 0.0005:
        return f"{number:.3f}"
    return "0"


def _eta(seconds: int) -> str:
    if seconds < 100:
        return f"{seconds}s"
    if seconds < 100 * 60:
        return f"{seconds // 60}m{seconds % 60}s"
    if seconds < 48 * 3600:
        return f"{seconds // 3600}h{seconds // 60 % 60}m"
    return f"{seconds // 86400}d{seconds // 3600 % 24}h"


def _dots(size: int, total: int | None, dltime: float) -> str:
    """The dot display: 1K a dot, 10 dots a group, 50 a line, stats at each line's end."""
    row_bytes = 50 * 1024
    out = ["\n"]
    rows = size // row_bytes
    per_row = dltime * row_bytes / size if size else 0.0
    last_t = 0.0
    for row in range(rows):
        out.append(f"{row * 50:6d}K")
        for d in range(50):
            if d % 10 == 0:
                out.append(" ")
            out.append(".")
        shown = (row + 1) * row_bytes
        t = per_row * (row + 1)
        if total:
            out.append(f"{int(100.0 * shown / total):3d}%")
        rate, units = _rate(row_bytes, t - last_t)
        digits = 0 if rate >= 99.95 else (1 if rate >= 9.995 else 2)
        out.append(f" {rate:4.{digits}f}{' KMGT'[units]}")
        last_t = t
        if total:
            remaining = total - shown
            eta = t * remaining / shown if shown else 0
            out.append(f" {_eta(int(eta + 0.5))}")
        out.append("\n")
    rest = size - rows * row_bytes
    dots = rest // 1024
    out.append(f"{rows * 50:6d}K")
    for d in range(dots):
        if d % 10 == 0:
            out.append(" ")
        out.append(".")
    for d in range(dots, 50):
        if d % 10 == 0:
            out.append(" ")
        out.append(" ")
    if total:
        out.append(f"{int(100.0 * size / total):3d}%")
    rate, units = _rate(rest, dltime - last_t)
    digits = 0 if rate >= 99.95 else (1 if rate >= 9.995 else 2)
    out.append(f" {rate:4.{digits}f}{' KMGT'[units]}")
    if dltime >= 10:
        out.append(f"={_eta(int(dltime + 0.5))}")
    else:
        out.append(f"={_print_decimal(dltime)}s")
    out.append("\n\n")
    return "".join(out)


# --------------------------------------------------------------------------- BusyBox wget


BUSYBOX_USAGE = """Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]
\t[--post-data STR | --post-file FILE] [-Y on/off]
\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...

Retrieve files via HTTP or FTP

\t--spider\tOnly check URL existence: $? is 0 if exists
\t--header STR\tAdd STR (of form 'header: value') to headers
\t--post-data STR\tSend STR using POST method
\t--post-file FILE\tSend FILE using POST method
\t--no-check-certificate\tDon't validate the server's certificate
\t-c\t\tContinue retrieval of aborted transfer
\t-q\t\tQuiet
\t-P DIR\t\tSave to DIR (default .)
\t-S    \t\tShow server response
\t-T SEC\t\tNetwork read timeout is SEC seconds
\t-O FILE\t\tSave to FILE ('-' for stdout)
\t-o LOGFILE\tLog messages to FILE
\t-U STR\t\tUse STR for User-Agent header
\t-Y on/off\tUse proxy
"""

_BB_LONG: dict[str, tuple[str, bool]] = {
    "quiet": ("q", False), "output-document": ("O", True), "server-response": ("S", False),
    "timeout": ("T", True), "header": ("header", True), "user-agent": ("U", True),
    "spider": ("spider", False), "post-data": ("post-data", True),
    "directory-prefix": ("P", True), "no-check-certificate": ("nocheck", False),
    "continue": ("c", False), "proxy": ("Y", True), "output-file": ("o", True),
    "tries": ("t", True), "no-verbose": ("nv", False), "help": ("help", False),
}
_BB_SHORT: dict[str, tuple[str, bool]] = {
    "q": ("q", False), "O": ("O", True), "S": ("S", False), "T": ("T", True),
    "U": ("U", True), "P": ("P", True), "c": ("c", False), "Y": ("Y", True),
    "o": ("o", True), "t": ("t", True),
}


def make_busybox_wget(version: str = "1.37.0",
                      build: str = "2024-09-26 21:31:42 UTC") -> Any:
    """A BusyBox ``wget`` applet of the given BusyBox version (its banner shows in usage)."""
    banner = f"BusyBox v{version} ({build}) multi-call binary.\n\n"

    def busybox(ctx: ExecContext, argv: list[str]) -> Proc:
        return (yield from _busybox(ctx, argv, banner))

    return busybox


def _bb_usage(ctx: ExecContext, banner: str, prefix: str = "") -> int:
    ctx.stderr.write(prefix + banner + BUSYBOX_USAGE)
    return 1


def _busybox(ctx: ExecContext, argv: list[str], banner: str) -> Generator[Any, Any, int]:
    opts = WgetOptions()
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name, value = (arg[2:].split("=", 1) if "=" in arg else [arg[2:], None])
            spec = _BB_LONG.get(name)
            if spec is None:
                return _bb_usage(ctx, banner, f"wget: unrecognized option '{arg}'\n")
            key, takes = spec
            if takes and value is None:
                if i >= len(args):
                    return _bb_usage(ctx, banner,
                                     f"wget: option '--{name}' requires an argument\n")
                value = args[i]
                i += 1
            if key == "help":
                ctx.stderr.write(banner + BUSYBOX_USAGE)
                return 0
            _bb_apply(opts, key, value)
            continue
        if arg.startswith("-") and len(arg) > 1:
            j = 1
            while j < len(arg):
                letter = arg[j]
                j += 1
                spec = _BB_SHORT.get(letter)
                if spec is None:
                    return _bb_usage(ctx, banner, f"wget: invalid option -- '{letter}'\n")
                key, takes = spec
                value = None
                if takes:
                    if j < len(arg):
                        value, j = arg[j:], len(arg)
                    elif i < len(args):
                        value = args[i]
                        i += 1
                    else:
                        return _bb_usage(ctx, banner,
                                         f"wget: option requires an argument -- '{letter}'\n")
                _bb_apply(opts, key, value)
            continue
        opts.urls.append(arg)
    if not opts.urls:
        return _bb_usage(ctx, banner)
    try:
        tr = transport(ctx)
    except NoNetwork:
        ctx.stderr.write("wget: no network on this machine\n")
        return 1
    yield Sleep(EXEC_COST["busybox-wget"])
    for raw in opts.urls:
        code = yield from _bb_one(ctx, tr, opts, raw)
        if code:
            return code
    return 0


def _bb_apply(opts: WgetOptions, key: str, value: str | None) -> None:
    if key == "q":
        opts.quiet = True
    elif key == "O":
        opts.output = value
    elif key == "S":
        opts.server_response = True
    elif key == "T":
        try:
            opts.timeout = float(value or "")
        except ValueError:
            opts.timeout = 0.0
    elif key == "header":
        opts.headers.append(value or "")
    elif key == "U":
        opts.user_agent = value
    elif key == "spider":
        opts.spider = True
    elif key == "post-data":
        opts.post_data = value
    elif key == "P":
        opts.prefix = value


def _bb_one(ctx: ExecContext, tr: Any, opts: WgetOptions, raw: str) -> Generator[
        Any, Any, int]:
    try:
        url = parse_busybox(raw)
    except URLError as bad:
        ctx.stderr.write(f"wget: {bad.message}\n")
        return 1
    headers = [("Host", url.authority),
               ("User-Agent", opts.user_agent if opts.user_agent is not None else "Wget")]
    for line in opts.headers:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    body = b""
    method = "HEAD" if opts.spider else "GET"
    if opts.post_data is not None:
        method = "POST"
        body = opts.post_data.encode()
        headers += [("Content-Type", "application/x-www-form-urlencoded"),
                    ("Content-Length", str(len(body)))]
    headers.append(("Connection", "close"))
    request = Request(method, url.scheme, url.host, url.port, url.target, headers, body)
    timeout = int(opts.timeout * SECOND) if opts.timeout else None
    if not _is_ip(url.host):
        try:
            ips = tr.resolve(url.host)
        except Exception:
            ips = []
        if not ips:
            ctx.stderr.write(f"wget: bad address '{url.host}'\n")
            return 1
    ex = tr.exchange(request, connect_timeout=timeout, timeout=timeout)
    ip = ex.remote_ip or url.host
    if not opts.quiet:
        ctx.stderr.write(f"Connecting to {url.host}:{url.port} ({ip}:{url.port})\n")
    yield Sleep(ex.total)
    error = ex.error
    if error is not None:
        if error.kind == "dns":
            ctx.stderr.write(f"wget: bad address '{url.host}'\n")
        elif error.kind in ("refused", "unreachable") or (
                error.kind == "timeout" and error.phase == "connect" and not timeout):
            reason = {"refused": "Connection refused", "unreachable": "No route to host"}.get(
                error.kind, "Connection timed out")
            ctx.stderr.write(f"wget: can't connect to remote host ({ip}): {reason}\n")
        elif error.kind == "timeout":
            ctx.stderr.write("wget: download timed out\n")
        elif error.kind == "closed":
            ctx.stderr.write("wget: error getting response\n")
        else:
            ctx.stderr.write("wget: error getting response: Connection reset by peer\n")
        return 1
    response = ex.response
    assert response is not None
    if opts.server_response and not opts.quiet:
        lines = [f"  {response.status_line}\n"] + [f"  {n}: {v}\n" for n, v in
                                                    response.headers]
        ctx.stderr.write("".join(lines) + "  \n")
    if response.status >= 400 or response.status < 200:
        ctx.stderr.write(f"wget: server returned error: {response.status_line}\n")
        return 1
    if opts.spider:
        return 0
    data = response.body
    if opts.output == "-":
        if not opts.quiet:
            ctx.stderr.write("writing to stdout\n")
        ctx.stdout.write(data.decode("utf-8", "replace"))
        name = "-"
    else:
        target = opts.output or (url.path.rsplit("/", 1)[-1] or "index.html")
        if opts.prefix and not opts.output:
            target = posixpath.join(opts.prefix, target)
        if opts.output is None and ctx.fs.exists(normpath(target, ctx.cwd)):
            ctx.stderr.write(f"wget: can't open '{target}': File exists\n")
            return 1
        if not opts.quiet:
            ctx.stderr.write(f"saving to '{target}'\n")
        if target != "/dev/null":
            problem = write_file(ctx, target, data)
            if problem is not None:
                ctx.stderr.write(f"wget: can't open '{target}': {problem}\n")
                return 1
        name = posixpath.basename(target)
    if not opts.quiet:
        ctx.stderr.write(_bb_progress(name, len(data), _content_length(
            response.header("Content-Length"))))
        ctx.stderr.write("written to stdout\n" if opts.output == "-" else
                         f"'{opts.output or target}' saved\n")
    return 0


def _smart5(value: int) -> str:
    """libbb ``smart_ulltoa5``: five characters, binary units past 99999."""
    if value < 100000:
        return f"{value:5d}"
    units = " kMGTPEZY"
    index = 0
    scaled = float(value)
    while scaled >= 1000 and index < len(units) - 1:
        scaled /= 1024
        index += 1
    if scaled < 10:
        return f"{scaled:3.1f}{units[index]}".rjust(5)
    return f"{int(scaled):4d}{units[index]}"


def _bb_progress(name: str, got: int, total: int | None) -> str:
    """``bb_progress_update`` once the transfer ended (stderr not a terminal: one line)."""
    barlength = 32
    if total:
        ratio = 100 * got // total if total else 100
        stars = barlength * got // total
    else:
        ratio, stars = 100, barlength
    bar = "*" * stars + " " * (barlength - stars)
    return f"{name:<20.20s} {ratio:3d}% |{bar}| {_smart5(got)}  0:00:00 ETA\n"


busybox_wget = make_busybox_wget()
