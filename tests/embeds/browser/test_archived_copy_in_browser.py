"""An archived copy opened in Chromium: the page as fetched, but inert. Its scripts do not run
and it loads nothing from elsewhere (a beacon on a local server is never hit)."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from tests.events.test_archiving import archived_source, public_event_citing

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def beacon():
    hits = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()
    server.server_close()


def test_an_archived_copy_shows_its_text_but_runs_no_script_and_loads_nothing(
    page, live_server, taxonomy, beacon
):
    beacon_url, hits = beacon
    hostile = (
        "<html><head><title>Talks in Riyadh</title>"
        f"<script>document.title = 'scripted'; fetch('{beacon_url}/script');</script></head>"
        f"<body><p id=said>Said.</p><img src='{beacon_url}/image.png'>"
        "<script>document.getElementById('said').textContent = 'rewritten';</script>"
        "</body></html>"
    ).encode()
    source = archived_source(hostile)
    public_event_citing(source)

    response = page.goto(live_server.url + reverse("embeds:archived_copy", args=[source.pk]))
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert page.locator("#said").inner_text() == "Said."  # the text is there, unscripted
    assert page.title() == "Talks in Riyadh"
    assert hits == []  # neither the image nor the script's request left the page
