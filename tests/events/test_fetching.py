"""Safe fetching: a real HTTP server on 127.0.0.1 (allow-listed), and the guard against the rest."""

import hashlib
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import urllib3

from events.fetching import FetchRefused, fetch, is_internal_address

PAGE = b"<html><head><title>Talks in Riyadh</title></head><body><p>Text.</p></body></html>"
FIFTY_MB = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    sent_of_stream = 0  # bytes the streaming page managed to send before the client hung up
    hosts: list[str] = []

    def log_message(self, *args):  # keep test output quiet
        pass

    def send(self, status, body=b"", content_type="text/html; charset=utf-8", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        Handler.hosts.append(self.headers["Host"])
        path = self.path
        if path == "/page":
            self.send(200, PAGE)
        elif path == "/missing":
            self.send(404, b"gone")
        elif path in ("/loop-a", "/loop-b"):
            other = "/loop-b" if path == "/loop-a" else "/loop-a"
            self.send(302, headers=[("Location", other)])
        elif path.startswith("/chain/"):
            self.send(302, headers=[("Location", f"/chain/{int(path[7:]) + 1}")])
        elif path == "/to-page":
            self.send(301, headers=[("Location", "/page")])
        elif path == "/to-private":
            self.send(302, headers=[("Location", "http://10.0.0.1/admin")])
        elif path == "/to-metadata":
            self.send(302, headers=[("Location", "http://169.254.169.254/latest/meta-data/")])
        elif path == "/pdf":
            self.send(200, b"%PDF-1.7", content_type="application/pdf")
        elif path == "/image":
            self.send(200, b"\x89PNG", content_type="image/png")
        elif path == "/declared-huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(FIFTY_MB))
            self.end_headers()
            self.wfile.write(b"<html>" + b" " * 1024)
        elif path == "/streamed-huge":
            # No Content-Length: the size is known only by reading, so the reader must stop.
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"x" * 65536
            try:
                while Handler.sent_of_stream < FIFTY_MB:
                    self.wfile.write(chunk)
                    Handler.sent_of_stream += len(chunk)
            except OSError:
                pass
        elif path == "/drip":
            # A byte at a time, each well within a read timeout: only a total limit stops it.
            self.protocol_version = "HTTP/1.0"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(50):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(0.1)
            except OSError:
                pass
        elif path == "/slow":
            time.sleep(3)
            self.send(200, PAGE)
        else:
            self.send(404)


@pytest.fixture
def server(settings):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"127.0.0.1:{port}"]
    Handler.sent_of_stream = 0
    Handler.hosts = []
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def no_connections(monkeypatch):
    """Fail the test if anything tries to open a connection."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)


def refusal(url, **kwargs) -> FetchRefused:
    with pytest.raises(FetchRefused) as caught:
        fetch(url, **kwargs)
    return caught.value


def test_it_fetches_a_page_with_its_hash_type_and_time(server):
    result = fetch(f"{server}/page")
    assert result.status == 200
    assert result.url == f"{server}/page"
    assert result.body == PAGE
    assert result.sha256 == hashlib.sha256(PAGE).hexdigest()
    assert result.content_type == "text/html"
    assert result.headers["content-length"] == str(len(PAGE))
    assert result.fetched_at is not None


def test_it_follows_a_redirect_and_reports_the_final_url(server):
    result = fetch(f"{server}/to-page")
    assert result.url == f"{server}/page"
    assert result.body == PAGE


def test_it_reports_a_404_with_its_status(server):
    refused = refusal(f"{server}/missing")
    assert refused.status == 404
    assert refused.reason == "The server answered 404 Not Found."


def test_it_refuses_a_redirect_loop(server):
    assert "redirects in a loop" in refusal(f"{server}/loop-a").reason


def test_it_refuses_more_than_five_redirects(server):
    assert refusal(f"{server}/chain/1").reason == "The page redirects more than 5 times."
    assert len(Handler.hosts) == 6  # the first request and five redirects, no more


@pytest.mark.parametrize("path", ["/to-private", "/to-metadata"])
def test_it_refuses_a_redirect_to_an_internal_address_though_the_first_host_was_allowed(
    server, path
):
    refused = refusal(f"{server}{path}")
    assert "points at an internal address" in refused.reason


def test_it_refuses_a_page_that_declares_more_than_the_limit(server):
    refused = refusal(f"{server}/declared-huge", max_bytes=1024 * 1024)
    assert refused.reason == "The page is larger than the limit of 1,048,576 bytes."


def test_it_stops_reading_a_page_past_the_limit(server):
    refused = refusal(f"{server}/streamed-huge", max_bytes=1024 * 1024)
    assert "larger than the limit" in refused.reason
    time.sleep(0.2)  # let the server notice the closed connection
    # Socket buffers hold a few megabytes at most; the rest of the 50 MB was never sent.
    assert Handler.sent_of_stream < FIFTY_MB / 2


@pytest.mark.parametrize(("path", "kind"), [("/pdf", "application/pdf"), ("/image", "image/png")])
def test_it_refuses_a_type_other_than_html(server, path, kind):
    refused = refusal(f"{server}{path}")
    assert refused.reason == f"The page is {kind}, not application/xhtml+xml or text/html."


def test_it_accepts_other_types_when_asked(server):
    assert fetch(f"{server}/pdf", allowed_types=["application/pdf"]).body == b"%PDF-1.7"


def test_it_gives_up_on_a_slow_server(server):
    refused = refusal(f"{server}/slow", timeout=0.5)
    assert "did not send the page in time" in refused.reason


def test_the_time_limit_covers_the_whole_fetch_not_each_read(server):
    assert refusal(f"{server}/drip", timeout=0.5).reason == "The page took too long to fetch."


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/a.html", "gopher://example.org/", "example.org/a"],
)
def test_it_refuses_schemes_other_than_http_and_https(url, no_connections):
    assert refusal(url).reason.startswith("Only http and https addresses can be fetched, not")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://0.0.0.0/",
        "http://[::ffff:127.0.0.1]/",
        "https://192.168.1.1/",
        "http://[fe80::1]/",
        "http://224.0.0.1/",
        "http://100.64.0.1/",
    ],
)
def test_it_refuses_an_internal_address_before_connecting(url, settings, no_connections):
    settings.TIMELINE_FETCH_ALLOW_HOSTS = []
    assert "points at an internal address" in refusal(url).reason


def test_the_allow_list_is_per_port(server, no_connections):
    other_port = int(server.rsplit(":", 1)[1]) + 1
    assert "internal address" in refusal(f"http://127.0.0.1:{other_port}/page").reason


@pytest.mark.parametrize("url", ["http://[::1/", "http://example.org:99999/", "https:///path"])
def test_it_explains_a_malformed_address(url, no_connections):
    reason = refusal(url).reason
    assert reason.startswith("The address") and reason.endswith(("is not valid.", "no host name."))


def fake_resolver(*addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port),
            )
            for a in addresses
        ]

    return getaddrinfo


def test_it_refuses_a_host_name_that_resolves_to_a_private_address(monkeypatch, no_connections):
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver("93.184.215.14", "10.1.2.3"))
    refused = refusal("https://news.example.org/article")
    assert refused.reason == (
        "news.example.org points at an internal address (10.1.2.3), which is never fetched."
    )


def test_it_connects_to_the_checked_address_and_sends_the_host_name(server, settings, monkeypatch):
    port = int(server.rsplit(":", 1)[1])
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"news.example.org:{port}"]
    lookups = []

    def getaddrinfo(host, *args, **kwargs):
        lookups.append(host)
        return fake_resolver("127.0.0.1")(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    result = fetch(f"http://news.example.org:{port}/page")
    assert result.body == PAGE
    assert Handler.hosts == [f"news.example.org:{port}"]
    # One resolution, checked; the connection went to that address, not to a second lookup.
    assert lookups.count("news.example.org") == 1


@pytest.fixture
def tls_server(settings, monkeypatch, tmp_path):
    """The test server over TLS, with a self-signed certificate for news.example.org, a name
    that resolves (here) to 127.0.0.1."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    request = [
        "openssl", "req", "-x509", "-nodes", "-days", "1",
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-subj", "/CN=news.example.org", "-addext", "subjectAltName=DNS:news.example.org",
        "-keyout", str(key), "-out", str(cert),
    ]  # fmt: skip
    subprocess.run(request, check=True, capture_output=True)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"news.example.org:{port}", f"other.example.org:{port}"]
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver("127.0.0.1"))
    Handler.hosts = []
    yield port, cert
    httpd.shutdown()
    httpd.server_close()


def test_https_connects_to_the_checked_address_and_verifies_the_name(tls_server, monkeypatch):
    port, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # trust the test certificate
    result = fetch(f"https://news.example.org:{port}/page")
    assert result.body == PAGE
    assert Handler.hosts == [f"news.example.org:{port}"]


def test_https_refuses_a_certificate_for_another_name(tls_server, monkeypatch):
    port, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    assert refusal(f"https://other.example.org:{port}/page").reason == (
        "other.example.org's secure connection could not be verified."
    )


def test_https_refuses_an_untrusted_certificate(tls_server):
    port, _cert = tls_server
    assert refusal(f"https://news.example.org:{port}/page").reason == (
        "news.example.org's secure connection could not be verified."
    )


def test_it_explains_an_unresolvable_host(monkeypatch, no_connections):
    def fail(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    assert refusal("https://nowhere.invalid/").reason == (
        "The host name nowhere.invalid could not be resolved."
    )


def test_it_explains_a_refused_connection(settings):
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens on it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"127.0.0.1:{port}"]
    assert refusal(f"http://127.0.0.1:{port}/").reason == "127.0.0.1 could not be reached."


@pytest.mark.parametrize(
    ("address", "internal"),
    [
        ("93.184.215.14", False),
        ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", False),
        ("::ffff:10.0.0.1", True),
        ("64:ff9b::a00:1", True),
        ("2002:7f00:1::", True),
    ],
)
def test_internal_addresses_include_ipv6_forms_of_ipv4_ones(address, internal):
    assert is_internal_address(address) is internal
