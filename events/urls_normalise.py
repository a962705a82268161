"""One normal form for source URLs, so the same article is one source however it was pasted."""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Tracking parameters that never change which document a URL points to.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_")
_TRACKING_NAMES = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "ref_src", "cmpid"}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalise_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters, and
    write http as https.

    http:// and https:// of one address are the same article (sites redirect one to the other,
    and people paste either), so they must be one source; the stored column is unique, so the
    normal form itself has to be scheme-insensitive. https is the form kept, as the one readers
    should follow. An explicit non-default port (http://host:8080) names a different server and
    keeps its scheme.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    if port and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    elif scheme == "http":
        scheme = "https"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = urlencode(
        [
            (key, value)
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
            if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_NAMES
        ]
    )
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))
