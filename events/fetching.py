"""Fetching outside pages safely: the one way ingestion, archiving and link checks read the web.

Outside content is hostile, and so are outside addresses: a URL a curator pastes (or a page
redirects to) may point at this server's own network, such as a database port, a cloud metadata
service (169.254.169.254) or an admin page on localhost. So every address a host name resolves
to, and every redirect hop, is checked before connecting; the connection then goes to the very
address that was checked (a second DNS lookup could answer differently: "DNS rebinding"), while
the Host header and TLS SNI/certificate check still use the name. Sizes and times are capped.

Every failure is a ``FetchRefused`` with a one-line reason a curator can read; no traceback.
urllib3 (already installed with requests) does the HTTP: it lets us connect to an IP while
verifying the certificate for the host name (``server_hostname``/``assert_hostname``).
"""

import hashlib
import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

import urllib3
from django.conf import settings
from django.utils import timezone

HTML_TYPES = ("text/html", "application/xhtml+xml")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_TIMEOUT = 15.0
MAX_REDIRECTS = 5
_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_USER_AGENT = "Timeline/1.0 (+source archiving; contact the site's curators)"
# IPv6 prefixes that embed an IPv4 address a gateway would forward to (NAT64, 6to4).
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class FetchRefused(Exception):
    """A page was not fetched; ``reason`` says why in one line, ``status`` is the HTTP status
    when the server answered with an error."""

    def __init__(self, reason: str, *, url: str, status: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.status = status


@dataclass(frozen=True)
class FetchResult:
    """A page as fetched: where it ended up, what the server said, and its exact bytes."""

    url: str  # the final URL, after redirects
    status: int
    content_type: str  # the media type alone, lower case, without parameters
    body: bytes
    sha256: str
    fetched_at: datetime
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names


def is_internal_address(address: str) -> bool:
    """Whether an IP address belongs to a network no outside page should make us reach."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone (fe80::1%eth0)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in _NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        elif ip.sixtofour is not None:
            ip = ip.sixtofour
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global  # also shared address space (100.64.0.0/10) and the like
    )


def fetch(
    url: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    timeout: float = DEFAULT_TIMEOUT,
    allowed_types: Iterable[str] | None = HTML_TYPES,
) -> FetchResult:
    """GET ``url``, following at most five redirects, or raise FetchRefused.

    ``timeout`` bounds the whole fetch (every hop, connecting and reading); ``max_bytes`` the
    body, which is never read past it; ``allowed_types`` the media types accepted (None: any).
    """
    deadline = time.monotonic() + timeout
    allowed = {kind.lower() for kind in allowed_types} if allowed_types is not None else None
    seen: set[str] = set()
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        seen.add(current)
        response = _request(current, deadline)
        try:
            location = response.headers.get("Location")
            if response.status in _REDIRECT_STATUSES and location:
                following = urljoin(current, location.strip())
                if following in seen:
                    raise FetchRefused(
                        f"The page redirects in a loop (back to {following}).", url=url
                    )
                current = following
                continue
            return _result(current, response, deadline, max_bytes, allowed)
        finally:
            response.close()  # never drains an unread body: the socket is simply closed
    raise FetchRefused(f"The page redirects more than {MAX_REDIRECTS} times.", url=url)


def _request(url: str, deadline: float) -> urllib3.BaseHTTPResponse:
    """One GET, to an address checked for this hop, without following redirects."""
    try:
        parts = urlsplit(url)
    except ValueError:
        raise FetchRefused(f"The address {url} is not valid.", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "an address without a scheme"
        raise FetchRefused(f"Only http and https addresses can be fetched, not {shown}.", url=url)
    try:
        port = parts.port or (443 if scheme == "https" else 80)
        host = (parts.hostname or "").encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        raise FetchRefused(f"The address {url} is not valid.", url=url) from None
    if not host:
        raise FetchRefused(f"The address {url} has no host name.", url=url)
    address = _checked_address(url, host, port)
    literal = ":" in host  # an IPv6 literal is written in brackets
    host_header = f"[{host}]" if literal else host
    if parts.port and parts.port != (443 if scheme == "https" else 80):
        host_header = f"{host_header}:{port}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    remaining = _remaining(deadline, url)
    if scheme == "https":
        pool: urllib3.HTTPConnectionPool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            maxsize=1,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, maxsize=1)
    try:
        return pool.urlopen(
            "GET",
            target,
            headers={
                "Host": host_header,
                "User-Agent": _USER_AGENT,
                "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                "Accept-Encoding": "identity",
            },
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
            timeout=urllib3.Timeout(connect=remaining, read=remaining),
        )
    except urllib3.exceptions.NewConnectionError:  # a subclass of ConnectTimeoutError
        raise FetchRefused(f"{host} could not be reached.", url=url) from None
    except urllib3.exceptions.ConnectTimeoutError:
        raise FetchRefused(f"{host} did not answer in time.", url=url) from None
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchRefused(f"{host} did not send the page in time.", url=url) from None
    except urllib3.exceptions.SSLError:
        raise FetchRefused(f"{host}'s secure connection could not be verified.", url=url) from None
    except (urllib3.exceptions.HTTPError, OSError):
        raise FetchRefused(f"{host} could not be reached.", url=url) from None


def _checked_address(url: str, host: str, port: int) -> str:
    """The address to connect to, once every address the name has passed the guard."""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        addresses = _resolve(url, host, port)
    if not _allow_listed(host, port):
        for address in addresses:
            if is_internal_address(address):
                raise FetchRefused(
                    f"{host} points at an internal address ({address}), which is never fetched.",
                    url=url,
                )
    return addresses[0].split("%", 1)[0]


def _resolve(url: str, host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        infos = []
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise FetchRefused(f"The host name {host} could not be resolved.", url=url)
    return addresses


def _allow_listed(host: str, port: int) -> bool:
    entry = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    return entry in {item.lower() for item in settings.TIMELINE_FETCH_ALLOW_HOSTS}


def _remaining(deadline: float, url: str) -> float:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchRefused("The page took too long to fetch.", url=url)
    return remaining


def _result(
    url: str,
    response: urllib3.BaseHTTPResponse,
    deadline: float,
    max_bytes: int,
    allowed: set[str] | None,
) -> FetchResult:
    if response.status >= 400:
        reason = f" {response.reason}" if response.reason else ""
        raise FetchRefused(
            f"The server answered {response.status}{reason}.", url=url, status=response.status
        )
    content_type = (response.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
    if allowed is not None and content_type not in allowed:
        raise FetchRefused(
            f"The page is {content_type or 'of no declared type'}, "
            f"not {' or '.join(sorted(allowed))}.",
            url=url,
            status=response.status,
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(_too_large(max_bytes), url=url, status=response.status)
    chunks: list[bytes] = []
    size = 0
    try:
        while True:
            _remaining(deadline, url)
            chunk = response.read1(_CHUNK)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise FetchRefused(_too_large(max_bytes), url=url, status=response.status)
            chunks.append(chunk)
    except urllib3.exceptions.ReadTimeoutError:
        raise FetchRefused("The page took too long to fetch.", url=url) from None
    except (urllib3.exceptions.HTTPError, OSError):
        raise FetchRefused("The connection broke while the page was read.", url=url) from None
    body = b"".join(chunks)
    return FetchResult(
        url=url,
        status=response.status,
        content_type=content_type,
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=timezone.now(),
        headers={name.lower(): value for name, value in response.headers.items()},
    )


def _too_large(max_bytes: int) -> str:
    return f"The page is larger than the limit of {max_bytes:,} bytes."
