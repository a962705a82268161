"""The OpenAPI schema builds cleanly and documents every endpoint; the docs run from local files."""

import os
import re
from pathlib import Path

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Method and path of every operation this part of the API offers.
RESOURCE_OPERATIONS = [
    ("get", "/api/v1/actors/"),
    ("post", "/api/v1/actors/"),
    ("get", "/api/v1/actors/{slug}/"),
    ("put", "/api/v1/actors/{slug}/"),
    ("patch", "/api/v1/actors/{slug}/"),
    ("delete", "/api/v1/actors/{slug}/"),
    ("get", "/api/v1/actors/{slug}/events/"),
    ("get", "/api/v1/sources/"),
    ("post", "/api/v1/sources/"),
    ("get", "/api/v1/sources/{id}/"),
    ("put", "/api/v1/sources/{id}/"),
    ("patch", "/api/v1/sources/{id}/"),
    ("delete", "/api/v1/sources/{id}/"),
    ("get", "/api/v1/votes/"),
    ("post", "/api/v1/votes/"),
    ("get", "/api/v1/votes/{id}/"),
    ("put", "/api/v1/votes/{id}/"),
    ("patch", "/api/v1/votes/{id}/"),
    ("delete", "/api/v1/votes/{id}/"),
    ("get", "/api/v1/alignment/"),
    ("get", "/api/v1/timelines/"),
    ("post", "/api/v1/timelines/"),
    ("get", "/api/v1/timelines/{slug}/"),
    ("put", "/api/v1/timelines/{slug}/"),
    ("patch", "/api/v1/timelines/{slug}/"),
    ("delete", "/api/v1/timelines/{slug}/"),
]


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker) -> dict:
    """Built by the management command with --validate --fail-on-warn: any warning fails."""
    path = tmp_path_factory.mktemp("schema") / "schema.yaml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def operation(schema, method, path) -> dict:
    return schema["paths"][path][method]


@pytest.mark.parametrize(("method", "path"), RESOURCE_OPERATIONS)
def test_every_operation_is_documented_with_a_summary_and_its_errors(schema, method, path):
    op = operation(schema, method, path)
    assert op.get("summary")
    codes = set(op["responses"])
    if method == "get":
        assert {"200", "429"} <= codes
        assert "404" in codes if "{" in path else "400" in codes
    else:
        assert {"400", "403"} <= codes or method == "delete"
        assert "403" in codes


@pytest.mark.parametrize(
    ("path", "filters"),
    [
        ("/api/v1/actors/", {"kind", "iso3", "q", "parent", "cursor", "page_size"}),
        ("/api/v1/sources/", {"kind", "publisher", "q", "cursor", "page_size"}),
        ("/api/v1/votes/", {"body", "from", "to", "actor", "option", "cursor", "page_size"}),
        ("/api/v1/alignment/", {"a", "b", "body", "group_by", "from", "to"}),
        ("/api/v1/actors/{slug}/events/", {"actor", "type", "from", "to", "q", "format"}),
        (
            "/api/v1/timeline/",
            {"actor", "actor_match", "type", "from", "to", "q", "country", "group_by", "limit"},
        ),
    ],
)
def test_every_filter_is_documented_with_help(schema, path, filters):
    params = {p["name"]: p for p in operation(schema, "get", path)["parameters"]}
    assert filters <= set(params)
    for name in filters:
        assert params[name].get("description"), name


def test_errors_are_documented_in_the_shape_the_api_returns(schema):
    error = schema["components"]["schemas"]["ValidationError"]
    assert set(error["properties"]) == {"detail", "errors"}
    response = operation(schema, "get", "/api/v1/votes/")["responses"]["400"]
    assert response["content"]["application/json"]["schema"]["$ref"].endswith("ValidationError")


def test_the_formats_of_an_actors_timeline_are_documented(schema):
    content = operation(schema, "get", "/api/v1/actors/{slug}/events/")["responses"]["200"]
    assert {"application/json", "text/csv", "text/calendar"} <= set(content["content"])


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_only_local_files(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", html), "no CDN"
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"'?]+)""", html)
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
    scripts = re.findall(r"""src=["'](/[^"']+\.js)""", html)
    assert assets or scripts
    for script in scripts:
        body = client.get(script).content
        assert body and b"cdn.redoc.ly" not in body, script


def test_redocs_bundle_is_served_without_its_cdn_logo_and_revalidates(client):
    response = client.get("/api/redoc/redoc.standalone.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"cdn.redoc.ly" not in body and b'src:"data:,"' in body
    again = client.get(
        "/api/redoc/redoc.standalone.js", headers={"If-None-Match": response["ETag"]}
    )
    assert again.status_code == 304


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_keep_a_strict_script_policy(client, url):
    html = client.get(url).content.decode()
    assert "<script>" not in html  # no inline script for the CSP to allow
    policy = client.get(url)["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" in directives["style-src"]  # the UIs inject their styles


def test_the_swagger_start_up_script_is_served_from_the_site(client):
    response = client.get("/api/docs/", {"script": ""})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in response.content.decode()
    # No validator badge from validator.swagger.io (Swagger UI's default off localhost).
    assert '"validatorUrl": null' in response.content.decode()


def _directives(policy: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())


def test_the_browsable_api_relaxes_styles_only_for_itself(client):
    html_policy = client.get("/api/v1/actors/", HTTP_ACCEPT="text/html")["Content-Security-Policy"]
    directives = _directives(html_policy)
    assert "'unsafe-inline'" in directives["style-src"]  # DRF's templates style inline
    assert directives["script-src"] == "'self'"
    for url, accept in [
        ("/api/v1/actors/", "application/json"),
        ("/", "text/html"),
        ("/admin/login/", "text/html"),
    ]:
        policy = client.get(url, HTTP_ACCEPT=accept)["Content-Security-Policy"]
        assert "'unsafe-inline'" not in policy, url


# In a real browser ------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_and_the_browsable_api_render_under_the_csp_in_a_browser(live_server):
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: apt-get install chromium.", pytrace=False)
        pytest.skip("Chromium is missing: apt-get install chromium (Debian's package).")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright keeps a loop in this thread
    problems: list[str] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"]
            )
            page = browser.new_page()
            page.on(
                "console",
                lambda m: problems.append(m.text) if m.type == "error" else None,
            )
            page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
            page.goto(f"{live_server.url}/api/docs/")
            page.wait_for_selector("text=/api/v1/alignment/", timeout=15_000)
            page.goto(f"{live_server.url}/api/redoc/")
            page.locator("h2", has_text="Voting alignment of two states").wait_for(timeout=15_000)
            # The browsable API: DRF's inline styles are allowed there (no CSP report below).
            for path in ("/api/v1/actors/", "/api/v1/events/", "/api/v1/timeline/"):
                page.goto(f"{live_server.url}{path}")
                page.locator(".response-info").wait_for(timeout=15_000)
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
    # Redoc's logo from cdn.redoc.ly is no longer even attempted (events.api.docs).
    assert not [p for p in problems if "redoc.ly" in p], problems
    assert not [p for p in problems if "Content Security Policy" in p or "failed" in p], problems
