"""Plain HTTP(S) requests to the proxy or straight to gunicorn, with their headers."""

import http.client
import json
import socket
import ssl
from dataclasses import dataclass

HOST = "127.0.0.1"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self):
        return json.loads(self.body)


def https_get(proxy, path: str, headers: dict | None = None, timeout: float = 10) -> Answer:
    conn = http.client.HTTPSConnection(HOST, proxy.https_port, context=proxy.tls(), timeout=timeout)
    return _get(conn, path, headers, method="GET")


def direct_get(backend, path: str, headers: dict | None = None, timeout: float = 10) -> Answer:
    """Straight to gunicorn, as nginx would ask for it over HTTPS."""
    conn = http.client.HTTPConnection(HOST, backend.port, timeout=timeout)
    return _get(conn, path, {"X-Forwarded-Proto": "https", **(headers or {})}, method="GET")


def _get(conn, path: str, headers: dict | None, method: str, body: bytes | None = None) -> Answer:
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def https_request(
    proxy, method: str, path: str, headers: dict, body: bytes = b"", timeout: float = 10
) -> Answer:
    conn = http.client.HTTPSConnection(HOST, proxy.https_port, context=proxy.tls(), timeout=timeout)
    return _get(conn, path, headers, method=method, body=body)


def stalled_upload(port: int, context: ssl.SSLContext | None = None) -> socket.socket:
    """A POST that sends its headers and half its body, then nothing: a slow client.

    With a well-formed CSRF cookie and a same-origin Referer (for HTTPS), Django's CSRF check
    reads the body for its token, so a backend without a buffering proxy waits for the rest.
    X-Forwarded-Proto (which nginx sets itself) keeps a request sent straight to gunicorn from
    being redirected to HTTPS before its body is read.
    """
    length = 20_000
    sock = socket.create_connection((HOST, port), timeout=10)
    if context is not None:
        sock = context.wrap_socket(sock, server_hostname="localhost")
    head = (
        f"POST / HTTP/1.1\r\nHost: {HOST}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\nCookie: csrftoken={'a' * 32}\r\n"
        f"Referer: https://{HOST}/\r\nX-Forwarded-Proto: https\r\n\r\n"
    )
    sock.sendall(head.encode() + b"x=" + b"a" * (length // 2))
    return sock
