"""An article server on 127.0.0.1 (allow-listed, as tests/events/test_fetching.py does), and a
stand-in extractor for the pipeline's tests: the extractor has tests of its own."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from events.ingestion import extraction
from events.ingestion.extraction import ExtractedCandidate
from tests.factories import StateFactory, event_type

ARTICLE = """<html><head><meta charset="utf-8"><title>US pauses aid - The Daily</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2025-03-04T10:00:00Z"></head>
<body><nav>Home | World | Business</nav><article><h1>US pauses military aid to Ukraine</h1>
<p>The United States paused all military aid to Ukraine on Monday, a White House official
said, after a tense meeting in the Oval Office.</p>
<p>The pause affects deliveries already approved by Congress, officials said. Analysts in
Brussels expected European capitals to discuss the decision at length this week.</p>
<p>On Feb. 24, Ukraine and its allies won a vote at the UN General Assembly on a resolution
about the war.</p>
</article><footer>Copyright The Daily</footer></body></html>"""

FIFTY_MB = 50 * 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    routes: dict[str, tuple[int, str, bytes, list]] = {}

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(FIFTY_MB))
            self.end_headers()
            self.wfile.write(b"<html>" + b" " * 1024)
            return
        status, content_type, body, headers = self.routes.get(
            self.path.split("?", 1)[0], (404, "text/html", b"not here", [])
        )
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


def default_routes() -> dict:
    html = "text/html; charset=utf-8"
    return {
        "/article": (200, html, ARTICLE.encode(), []),
        "/article-again": (301, html, b"", [("Location", "/article")]),
        "/loop-a": (302, html, b"", [("Location", "/loop-b")]),
        "/loop-b": (302, html, b"", [("Location", "/loop-a")]),
        "/report.pdf": (200, "application/pdf", b"%PDF-1.7 ...", []),
        "/photo.png": (200, "image/png", b"\x89PNG\r\n", []),
        "/empty": (200, html, b"<html><body><nav>Home</nav></body></html>", []),
        "/latin1": (200, "text/html", "<p>Caf\u00e9 Kyiv</p>".encode("latin-1") * 20, []),
        "/declared-latin1": (
            200,
            "text/html; charset=iso-8859-1",
            ARTICLE.replace("Ukraine", "Ukra\u00efne").encode("latin-1"),
            [],
        ),
    }


@pytest.fixture
def server(settings):
    Handler.routes = default_routes()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    port = httpd.server_address[1]
    settings.TIMELINE_FETCH_ALLOW_HOSTS = [f"127.0.0.1:{port}"]
    yield f"http://127.0.0.1:{port}"
    httpd.shutdown()
    httpd.server_close()


def fake_extract(text, *, published, title=""):
    """One candidate per sentence that names Ukraine, dated on the publication day."""
    found = []
    for number, paragraph in enumerate(text.split("\n"), start=1):
        for sentence in re.split(r"(?<=\.)\s+", paragraph):
            if "Ukraine" in sentence:
                found.append(
                    ExtractedCandidate(
                        sentence=sentence,
                        paragraph=number,
                        start=published,
                        end=None,
                        precision="day",
                        approximate=False,
                        actors=["ukraine", "united-states"]
                        if "United States" in sentence
                        else ["ukraine"],
                        type="statement",
                        confidence=0.8,
                    )
                )
    return found


@pytest.fixture
def extractor(monkeypatch):
    monkeypatch.setattr(extraction, "extract_candidates", fake_extract)


@pytest.fixture
def actors(db):
    event_type("statement")
    return {
        "ukraine": StateFactory(slug="ukraine", name="Ukraine", iso3="UKR"),
        "united-states": StateFactory(slug="united-states", name="United States", iso3="USA"),
    }
