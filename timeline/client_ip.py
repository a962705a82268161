"""Who the client is, decided once: throttles, login lockouts and logs all ask here.

`X-Forwarded-For` is written by whoever sends the request, so it is believed only as far as
TIMELINE_TRUSTED_PROXIES says: with N trusted proxies in front, the Nth address from the right
is the one the outermost of them saw; with 0 the header is ignored and REMOTE_ADDR is the client.
This is DRF's own rule for NUM_PROXIES (set from the same setting), so throttles agree.
"""

import logging

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TIMELINE_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies == 0 or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]


class ClientIPLogFilter(logging.Filter):
    """Adds `client_ip` to every log record ("-" when the record concerns no request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        meta = getattr(request, "META", None)
        record.client_ip = client_ip(request) if meta is not None else "-"
        return True
