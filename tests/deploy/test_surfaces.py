"""Every public surface through nginx: the headers the app sets arrive unchanged, static files
come from nginx with their long cache, and the client address is forwarded."""

import json
import time

import pytest

from tests.deploy.helpers import HOST, direct_get, https_get

pytestmark = pytest.mark.deploy

# Set by the app (security middleware, CSP, freshness core, embeds): nginx must pass them as is.
APP_HEADERS = [
    "Content-Type",
    "Cache-Control",
    "ETag",
    "Vary",
    "Content-Security-Policy",
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Strict-Transport-Security",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
]


@pytest.fixture(scope="module")
def demo(backend) -> dict:
    events = direct_get(backend, "/api/v1/events/?page_size=1").json()["results"]
    timelines = direct_get(backend, "/api/v1/timelines/").json()["results"]
    assert events and timelines, "the demo data did not load"
    return {"event": events[0]["slug"], "timeline": timelines[0]["slug"]}


def _surfaces(demo) -> dict[str, str]:
    return {
        "api_list": "/api/v1/events/?page_size=10",
        "api_detail": f"/api/v1/events/{demo['event']}/",
        "timeline_page": f"/timelines/{demo['timeline']}/",
        "embed": f"/embed/timelines/{demo['timeline']}/",
        "embed_js": "/embed.js",
    }


SURFACES = ["api_list", "api_detail", "timeline_page", "embed", "embed_js"]


@pytest.mark.parametrize("surface", SURFACES)
def test_each_surface_keeps_the_apps_headers_through_the_proxy(proxy, demo, surface):
    path = _surfaces(demo)[surface]
    through = https_get(proxy, path)
    direct = direct_get(proxy.backend, path)
    assert through.status == direct.status == 200
    for name in APP_HEADERS:
        assert through.headers.get_all(name) == direct.headers.get_all(name), name
    assert through.headers["X-Content-Type-Options"] == "nosniff"
    assert through.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert through.headers["Strict-Transport-Security"].startswith("max-age=3600")
    assert through.headers["Cache-Control"]
    assert through.headers["ETag"]
    assert through.headers["Server"] == "nginx"  # no version for a scanner to match


@pytest.mark.parametrize("surface", ["timeline_page", "embed"])
def test_html_surfaces_carry_their_content_security_policy(proxy, demo, surface):
    answer = https_get(proxy, _surfaces(demo)[surface])
    policy = answer.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    if surface == "embed":  # framed by other sites, as EMBED_FRAME_ANCESTORS allows
        assert "frame-ancestors *" in policy
        assert "X-Frame-Options" not in answer.headers
    else:
        assert "frame-ancestors 'none'" in policy
        assert answer.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("surface", SURFACES)
def test_a_conditional_request_through_the_proxy_ends_in_304(proxy, demo, surface):
    path = _surfaces(demo)[surface]
    etag = https_get(proxy, path).headers["ETag"]
    answer = https_get(proxy, path, {"If-None-Match": etag})
    assert answer.status == 304
    assert answer.body == b""


def test_one_api_request_through_the_proxy_gets_the_events_as_json(proxy, demo):
    answer = https_get(proxy, "/api/v1/events/?page_size=10")
    assert answer.headers["Content-Type"].startswith("application/json")
    slugs = [event["slug"] for event in answer.json()["results"]]
    assert demo["event"] in slugs


def test_the_dataset_export_streams_through_the_proxy_unbuffered(proxy, demo):
    answer = https_get(proxy, "/api/v1/export.jsonl")
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "application/jsonl"
    assert answer.body == direct_get(proxy.backend, "/api/v1/export.jsonl").body
    assert answer.body.startswith(b'{"type":"dataset"')
    assert f'"slug":"{demo["event"]}"'.encode() in answer.body


def test_one_embed_request_through_the_proxy_gets_the_timeline_as_html(proxy, demo):
    answer = https_get(proxy, f"/embed/timelines/{demo['timeline']}/")
    timeline = direct_get(proxy.backend, f"/api/v1/timelines/{demo['timeline']}/").json()
    assert answer.headers["Content-Type"].startswith("text/html")
    assert timeline["title"].encode() in answer.body


def _hashed_static(backend, suffix: str) -> str:
    manifest = json.loads((backend.static_root / "staticfiles.json").read_text())["paths"]
    return next(hashed for name, hashed in manifest.items() if name.endswith(suffix))


def _access_log_up_to(proxy, marker: str) -> list[str]:
    """Gunicorn's access log once it shows a request containing marker (logged just after the
    answer is sent, so a moment after the client has it)."""
    deadline = time.monotonic() + 5
    while True:
        lines = proxy.backend.access_log.read_text().splitlines()
        if any(marker in line for line in lines) or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_nginx_serves_hashed_static_files_with_a_year_of_cache(proxy):
    name = _hashed_static(proxy.backend, ".css")
    answer = https_get(proxy, f"/static/{name}", {"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Type"] == "text/css"
    assert answer.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert answer.headers["Content-Encoding"] == "gzip"  # collectstatic's .gz, not recompressed
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    # Served by nginx from STATIC_ROOT: gunicorn never saw it.
    https_get(proxy, "/api/v1/events/?page_size=1&static=probe")
    assert not any(name in line for line in _access_log_up_to(proxy, "static=probe"))


def test_nginx_serves_unhashed_static_files_with_a_short_cache(proxy):
    name = _hashed_static(proxy.backend, ".css")
    original = name.rsplit(".", 2)[0] + "." + name.rsplit(".", 1)[1]
    answer = https_get(proxy, f"/static/{original}")
    assert answer.status == 200
    assert answer.headers["Cache-Control"] == "public, max-age=60"


def test_plain_http_is_redirected_to_https(proxy):
    import http.client

    conn = http.client.HTTPConnection(HOST, proxy.http_port, timeout=10)
    conn.request("GET", "/api/v1/events/")
    response = conn.getresponse()
    conn.close()
    assert response.status == 301
    assert response.headers["Location"] == f"https://{HOST}/api/v1/events/"


def test_gunicorn_sees_the_client_address_as_the_last_forwarded_entry(proxy):
    https_get(proxy, "/api/v1/events/?page_size=1&forwarded=probe",
              {"X-Forwarded-For": "203.0.113.9"})  # fmt: skip
    lines = [line for line in _access_log_up_to(proxy, "forwarded=probe") if "probe" in line]
    # The forged entry is kept in front; TIMELINE_TRUSTED_PROXIES=1 makes the app use the last.
    assert lines and '"203.0.113.9, 127.0.0.1"' in lines[-1]
