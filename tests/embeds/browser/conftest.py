"""Playwright driving Debian's Chromium (never a downloaded browser) against a live server.

A second local origin serves the host page that holds the embed snippet, as a newsroom would.
Without /usr/bin/chromium the tests skip with the install command; in CI (env CI set) they fail.
"""

import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


# Module scope: Playwright's sync API allows one running instance per thread, so the browser
# is closed before other modules (which may start their own) run.
@pytest.fixture(scope="module")
def browser(django_db_setup):
    # After the test database exists: Django refuses to create it beside Playwright's loop.
    if not CHROMIUM.exists():
        message = "Chromium is missing: apt-get install chromium (Debian's package)."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the tests' ORM calls (and the
    # live server's flushes between tests) are still plain synchronous calls, so Django's
    # async-safety guard is lifted while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class HostPage:
    """A page on another origin (127.0.0.1 vs the live server's localhost) with the snippet."""

    def __init__(self):
        self.html = ""
        page = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = page.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()


@pytest.fixture(scope="session")
def host_page():
    host = HostPage()
    yield host
    host.server.shutdown()
    host.server.server_close()


@pytest.fixture
def timeline_origin(live_server) -> str:
    """The live server on "localhost", so it is another origin than the host page's 127.0.0.1."""
    return live_server.url.replace("127.0.0.1", "localhost")


@pytest.fixture
def taxonomy(transactional_db):
    """The event types a data migration seeds, which the flush between live-server tests erases.

    (serialized_rollback cannot restore them here: Playwright's greenlet sees its own
    database connection objects, without the serialized contents.)
    """
    from django.apps import apps

    from events.models import EventType

    if not EventType.objects.exists():
        import_module("events.migrations.0002_taxonomy_and_groups").seed_types(apps, None)
