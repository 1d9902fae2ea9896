"""URLs as each HTTP tool reads them, with each tool's own words for a bad one.

The tools disagree on details a learner meets at once, so each has its parser here:

- curl 8.x (``lib/urlapi.c``): a missing scheme is guessed as ``http://``; a bad port is
  ``URL rejected: Port number was not a decimal number between 0 and 65535`` (exit 3); a
  scheme it does not speak is ``Protocol "x" not supported`` (exit 1); the Host header drops
  the scheme's default port.
- HTTPie 3.2 (``httpie/cli/argparser.py`` ``_process_url``): no scheme → ``http://``
  (``https://`` when run as ``https``); ``:3000/path`` → ``http://localhost:3000/path``;
  ``://host`` → ``http://host``; requests/urllib3 then parse it (``InvalidURL: Failed to
  parse: …``).
- GNU Wget 1.21 (``src/url.c``): ``http://h:8a/: Bad port number.``; ``Unsupported scheme``.
- BusyBox wget (``networking/wget.c`` ``parse_url``): ``not an http or ftp url: x``,
  ``bad port '8a'``.
- wrk 4.x (``http_parser_parse_url``): the scheme is required; anything else is
  ``invalid URL: x``.
- fortio (``fhttp`` ``URLSchemeCheck``): no scheme → a warning and ``http://``.

All parsers return a :class:`URL`; a bad URL raises :class:`URLError` carrying the message
the tool prints (the tool adds its prefix) and, where the tool has one, its exit code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "URL",
    "URLError",
    "parse_busybox",
    "parse_curl",
    "parse_fortio",
    "parse_gnu_wget",
    "parse_httpie",
    "parse_wrk",
]

DEFAULT_PORTS = {"http": 80, "https": 443}
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9.+-]*)://")


class URLError(Exception):
    """A URL the tool refuses; ``message`` is the tool's text, ``code`` its exit status."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class URL:
    """A parsed http(s) URL.

    ``target`` is the request-target (path plus ``?query``, never empty); ``port_text`` is the
    port as written (empty when none was written).
    """

    scheme: str
    host: str
    port: int
    target: str = "/"
    user: str | None = None
    password: str | None = None
    port_text: str = ""

    @property
    def default_port(self) -> bool:
        return self.port == DEFAULT_PORTS.get(self.scheme, 0)

    @property
    def host_for_header(self) -> str:
        return f"[{self.host}]" if ":" in self.host else self.host

    @property
    def authority(self) -> str:
        """The Host header curl, wget and urllib3 send: the port only when not the default."""
        host = self.host_for_header
        return host if self.default_port else f"{host}:{self.port}"

    @property
    def netloc(self) -> str:
        """Host and port as written (HTTPie shows this as its Host header)."""
        host = self.host_for_header
        return f"{host}:{self.port_text}" if self.port_text else host

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    def full(self, *, keep_default_port: bool = False) -> str:
        """The normalised URL (``http://h:8080/``): what curl's ``url_effective`` shows."""
        netloc = self.netloc if keep_default_port else self.authority
        return f"{self.scheme}://{netloc}{self.target}"

    def with_target(self, target: str) -> URL:
        return URL(self.scheme, self.host, self.port, target or "/", self.user, self.password,
                   self.port_text)


@dataclass
class _Parts:
    scheme: str | None
    userinfo: str | None
    host: str
    port_text: str | None  # None: no colon; "": a colon and nothing after it
    target: str


def _split(raw: str) -> _Parts:
    """Split ``scheme://userinfo@host:port/path?query#frag`` without judging the parts."""
    rest = raw
    scheme = None
    m = _SCHEME_RE.match(rest)
    if m:
        scheme = m.group(1).lower()
        rest = rest[m.end():]
    rest = rest.split("#", 1)[0]
    cut = len(rest)
    for ch in "/?":
        i = rest.find(ch)
        if i != -1:
            cut = min(cut, i)
    authority, target = rest[:cut], rest[cut:]
    if target.startswith("?"):
        target = "/" + target
    userinfo = None
    if "@" in authority:
        userinfo, authority = authority.rsplit("@", 1)
    port_text: str | None = None
    if authority.startswith("["):
        end = authority.find("]")
        if end == -1:
            host = authority
        else:
            host = authority[1:end]
            after = authority[end + 1:]
            if after.startswith(":"):
                port_text = after[1:]
            elif after:
                host = authority  # junk after the bracket: let the caller reject it
    elif ":" in authority:
        host, port_text = authority.rsplit(":", 1)
    else:
        host = authority
    return _Parts(scheme, userinfo, host, port_text, target or "/")


def _userinfo(text: str | None) -> tuple[str | None, str | None]:
    if text is None:
        return None, None
    if ":" in text:
        user, password = text.split(":", 1)
        return user, password
    return text, None


_HOST_OK = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=%-]+$")


def _valid_port(text: str) -> int | None:
    if not text.isdigit() or not text.isascii():
        return None
    value = int(text)
    return value if value <= 65535 else None


# --------------------------------------------------------------------------- curl


def parse_curl(raw: str) -> URL:
    """curl 8.x ``curl_url_set`` with ``CURLU_GUESS_SCHEME``; messages are ``failf`` texts."""
    if raw == "" or any(c in raw for c in " \t\r\n") or any(ord(c) < 0x20 for c in raw):
        raise URLError("URL rejected: Malformed input to a URL function", 3)
    parts = _split(raw)
    scheme = parts.scheme or "http"
    if parts.host == "" and parts.port_text is None and parts.userinfo is None:
        raise URLError("URL rejected: No host part in the URL", 3)
    if parts.host == "" or (not _HOST_OK.match(parts.host) and ":" not in parts.host):
        raise URLError("URL rejected: Bad hostname", 3)
    port = DEFAULT_PORTS.get(scheme, 0)
    if parts.port_text:
        value = _valid_port(parts.port_text)
        if value is None:
            raise URLError("URL rejected: Port number was not a decimal number between 0 "
                           "and 65535", 3)
        port = value
    if scheme not in DEFAULT_PORTS:
        raise URLError(f'Protocol "{scheme}" not supported', 1)
    user, password = _userinfo(parts.userinfo)
    return URL(scheme, parts.host, port, parts.target, user, password, parts.port_text or "")


# --------------------------------------------------------------------------- HTTPie


def httpie_url_text(raw: str, program: str = "http", default_scheme: str = "http") -> str:
    """HTTPie's ``_process_url``: the URL string it hands to requests."""
    url = raw
    if url.startswith("://"):
        url = url[3:]
    if not _SCHEME_RE.match(url):
        scheme = "https://" if program == "https" else default_scheme + "://"
        shorthand = re.match(r"^:(?!:)(\d*)(/?.*)$", url)
        if shorthand:
            port, rest = shorthand.group(1), shorthand.group(2)
            url = scheme + "localhost" + (":" + port if port else "") + rest
        else:
            url = scheme + url
    return url


def parse_httpie(raw: str, program: str = "http", default_scheme: str = "http") -> tuple[str, URL]:
    """The URL text HTTPie builds and its parse by requests/urllib3 2.x.

    Errors are the ``requests`` exceptions HTTPie prints as ``http: error: <Type>: <text>``.
    """
    text = httpie_url_text(raw, program, default_scheme)
    parts = _split(text)
    scheme = parts.scheme or "http"
    if scheme not in DEFAULT_PORTS:
        raise URLError(f"InvalidSchema: No connection adapters were found for '{text}'")
    if not parts.host:
        raise URLError(f"InvalidURL: Invalid URL '{text}': No host supplied")
    port = DEFAULT_PORTS[scheme]
    if parts.port_text:
        if not parts.port_text.isdigit():
            shown = f"{parts.host}:{parts.port_text}"
            raise URLError(f"InvalidURL: Failed to parse: '{shown}' is not a valid host or port")
        value = _valid_port(parts.port_text)
        if value is None:
            raise URLError(f"InvalidURL: Failed to parse: {text}")
        port = value
    if any(c in parts.host for c in " \t"):
        raise URLError(f"InvalidURL: Failed to parse: {text}")
    user, password = _userinfo(parts.userinfo)
    return text, URL(scheme, parts.host.lower(), port, parts.target, user, password,
                     parts.port_text or "")


# --------------------------------------------------------------------------- wget


def parse_gnu_wget(raw: str) -> URL:
    """GNU Wget's ``url_parse``; the message is the whole line wget prints."""
    parts = _split(raw)
    scheme = parts.scheme or "http"
    if parts.scheme is not None and scheme not in DEFAULT_PORTS:
        raise URLError(f"{raw}: Unsupported scheme \u2018{scheme}\u2019.")
    if not parts.host:
        raise URLError(f"{raw}: Invalid host name.")
    port = DEFAULT_PORTS[scheme]
    if parts.port_text:
        value = _valid_port(parts.port_text)
        if value is None or value == 0:
            raise URLError(f"{raw}: Bad port number.")
        port = value
    user, password = _userinfo(parts.userinfo)
    return URL(scheme, parts.host.lower(), port, parts.target, user, password,
               parts.port_text or "")


def parse_busybox(raw: str) -> URL:
    """BusyBox ``parse_url`` (plain host → http, GNU-style) and its port parsing."""
    parts = _split(raw)
    if parts.scheme is not None and parts.scheme not in DEFAULT_PORTS:
        raise URLError(f"not an http or ftp url: {raw.split('://', 1)[0]}")
    scheme = parts.scheme or "http"
    port = DEFAULT_PORTS[scheme]
    if parts.port_text is not None and parts.port_text != "":
        value = _valid_port(parts.port_text)
        if value is None:
            raise URLError(f"bad port '{parts.port_text}'")
        port = value
    user, password = _userinfo(parts.userinfo)
    return URL(scheme, parts.host, port, parts.target, user, password, parts.port_text or "")


# --------------------------------------------------------------------------- wrk, fortio


def parse_wrk(raw: str) -> URL:
    """wrk's ``script_parse_url``: http_parser with a required scheme and host."""
    parts = _split(raw)
    if parts.scheme is None or not parts.host or any(c in raw for c in " \t"):
        raise URLError(f"invalid URL: {raw}")
    if parts.scheme not in DEFAULT_PORTS:
        raise URLError(f"invalid URL: {raw}")
    port = DEFAULT_PORTS[parts.scheme]
    if parts.port_text is not None:
        value = _valid_port(parts.port_text)
        if value is None:
            raise URLError(f"invalid URL: {raw}")
        port = value
    user, password = _userinfo(parts.userinfo)
    return URL(parts.scheme, parts.host, port, parts.target, user, password,
               parts.port_text or "")


def parse_fortio(raw: str) -> tuple[str, URL, bool]:
    """fortio's ``URLSchemeCheck`` then Go's ``url.Parse``; returns (url, parsed, assumed)."""
    assumed = False
    text = raw
    low = raw[:8].lower()
    if not (low.startswith("https://") or low.startswith("http://")):
        text = "http://" + raw
        assumed = True
    parts = _split(text)
    scheme = parts.scheme or "http"
    if not parts.host:
        raise URLError(f"invalid url '{text}'")
    port = DEFAULT_PORTS.get(scheme, 80)
    if parts.port_text:
        value = _valid_port(parts.port_text)
        if value is None:
            raise URLError(f'parse "{text}": invalid port ":{parts.port_text}" after host')
        port = value
    user, password = _userinfo(parts.userinfo)
    return text, URL(scheme, parts.host, port, parts.target, user, password,
                     parts.port_text or ""), assumed
