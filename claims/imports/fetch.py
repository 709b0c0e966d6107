"""Fetching an article's page on the server, without letting a URL reach our own network (SSRF).

A URL an editor pastes could point at the machine itself (127.0.0.1, a cloud's metadata address
169.254.169.254) or at a private network, directly, through a hostname that resolves there, or through a
redirect. So every hop is fetched like this:

1. only http and https, with a host;
2. the host is resolved once (socket.getaddrinfo) and EVERY address it resolves to must be public: not
   private, loopback, link-local, multicast, reserved, unspecified or otherwise non-global, IPv4 and IPv6,
   IPv4-mapped IPv6 addresses judged as the IPv4 address they carry;
3. the connection is made to that checked address, not to the hostname: a DNS server that answers a public
   address to the check and a private one to the connection (DNS rebinding) gets nowhere. The standard
   library's http.client does this with a small change (`connect` opens the socket to the pinned address),
   while the request keeps its real Host header, and HTTPS keeps its SNI and certificate check for the
   hostname (ssl's default context). requests or urllib3 would need their connection pools patched to do
   the same; http.client is plainer and has no pool that could reuse a connection across hosts;
4. redirects are followed by hand, at most IMPORT_MAX_REDIRECTS, each one checked from step 1 again.

The whole fetch has one deadline (IMPORT_TIMEOUT seconds) and the body a size limit (IMPORT_MAX_BYTES),
enforced while reading, whatever Content-Length says.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from email.message import Message
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

REDIRECTS = {301, 302, 303, 307, 308}
HTML_TYPES = {"text/html", "application/xhtml+xml"}
CHUNK = 64 * 1024


class FetchError(Exception):
    """The page could not be fetched; the message is a whole sentence for the editor."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FetchRefused(FetchError):
    """The URL was refused before anything was sent to it: its scheme or its address."""


@dataclass(frozen=True)
class Fetched:
    html: str
    final_url: str


def user_agent() -> str:
    return f"FactcheckBot/1.0 (+{settings.SITE_URL}/)"


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether an address is on the public internet: anything else is our own or someone's private network."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (a literal address resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(_("The address “%(host)s” could not be found.") % {"host": host}) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def checked_address(host: str, port: int) -> str:
    """The address to connect to for `host`: refused unless every address it resolves to is public."""
    addresses = resolve(host, port)
    for address in addresses:
        # An IPv6 address may carry a zone ("fe80::1%eth0"): a zone means a link-local address anyway.
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not is_public(ip):
            raise FetchRefused(
                _(
                    "“%(host)s” is not on the public internet (it leads to %(address)s, a private, local or "
                    "reserved address): only public pages can be imported."
                )
                % {"host": host, "address": ip}
            )
    if not addresses:
        raise FetchError(_("The address “%(host)s” could not be found.") % {"host": host})
    return addresses[0]


def open_socket(address: str, port: int, timeout: float | None) -> socket.socket:
    """A TCP connection to an address that was checked (tests replace this to reach their own server)."""
    return socket.create_connection((address, port), timeout=timeout)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address; the Host header still names the host."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address
        self.pinned: socket.socket | None = None  # kept: the response reads from it after `sock` is let go

    def connect(self) -> None:
        self.sock = self.pinned = open_socket(self.address, self.port, self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """Connects to the checked address; TLS still sends the hostname (SNI) and checks the certificate for it."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address
        self.pinned: socket.socket | None = None  # kept: the response reads from it after `sock` is let go

    def connect(self) -> None:
        sock = open_socket(self.address, self.port, self.timeout)
        self.sock = self.pinned = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an http(s) URL, or FetchRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(_("This is not a valid web address.")) from None
    if parts.scheme not in ("http", "https"):
        raise FetchRefused(_("Only web addresses starting with http:// or https:// can be imported."))
    if not parts.hostname:
        raise FetchRefused(_("This web address has no host name."))
    if parts.username or parts.password:
        raise FetchRefused(_("Web addresses with a user name or password cannot be imported."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise TimeoutError
    return left


def _read_body(response: http.client.HTTPResponse, deadline: float, limit: int, sock: socket.socket | None) -> bytes:
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchError(_too_large(limit))
    body = bytearray()
    while True:
        if sock is not None:
            sock.settimeout(_remaining(deadline))  # each read waits no longer than the time left
        chunk = response.read1(CHUNK)
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > limit:
            raise FetchError(_too_large(limit))
        _remaining(deadline)


def _too_large(limit: int) -> str:
    return _("The page is larger than %(megabytes)s MB: paste the article's text instead.") % {
        "megabytes": f"{limit / 1_000_000:g}"
    }


def _decode(body: bytes, content_type: str) -> str:
    message = Message()
    message["Content-Type"] = content_type
    charset = message.get_content_charset()
    if charset:
        try:
            return body.decode(charset, errors="replace")
        except LookupError:
            pass
    from trafilatura.utils import decode_file  # guesses from the page's own meta charset and its bytes

    return str(decode_file(body))


def fetch_page(url: str) -> Fetched:
    """The HTML page at `url`, fetched as described above; FetchRefused or FetchError otherwise."""
    deadline = time.monotonic() + settings.IMPORT_TIMEOUT
    limit = settings.IMPORT_MAX_BYTES
    try:
        for _hop in range(settings.IMPORT_MAX_REDIRECTS + 1):
            scheme, host, port, path = _check_url(url)
            address = checked_address(host, port)
            connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
            connection = connection_class(host, port, address=address, timeout=_remaining(deadline))
            try:
                connection.request(
                    "GET",
                    path,
                    headers={
                        "User-Agent": user_agent(),
                        "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
                        "Accept-Encoding": "identity",
                    },
                )
                response = connection.getresponse()
                if response.status in REDIRECTS and response.getheader("Location"):
                    url = urljoin(url, response.getheader("Location", ""))
                    continue
                if response.status != 200:
                    raise FetchError(
                        _("The page answered with error %(status)s: check the address, or paste the page instead.")
                        % {"status": response.status}
                    )
                content_type = response.getheader("Content-Type", "")
                if content_type.split(";", 1)[0].strip().lower() not in HTML_TYPES:
                    raise FetchError(_("This address is not a web page (HTML): paste the article's text instead."))
                body = _read_body(response, deadline, limit, connection.pinned)
                return Fetched(html=_decode(body, content_type), final_url=url)
            finally:
                connection.close()
        raise FetchError(_("The page redirected too many times."))
    except TimeoutError:
        raise FetchError(
            _("The page took longer than %(seconds)s seconds to arrive: try again, or paste the page instead.")
            % {"seconds": settings.IMPORT_TIMEOUT}
        ) from None
    except ssl.SSLError:
        raise FetchError(_("The page's secure connection (HTTPS) could not be trusted.")) from None
    except (OSError, http.client.HTTPException):
        raise FetchError(_("The page could not be fetched: check the address, or paste the page instead.")) from None
