"""The API in a browser: a root that explains itself with links, and readable JSON."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_root_lists_every_part_of_the_api(client):
    links = client.get("/api/v1/").json()
    for name in ("events", "actors", "timelines", "timeline", "types", "alignment", "docs"):
        assert links[name].startswith("http://testserver/"), name
    assert links["types"] == "http://testserver/api/v1/types/"
    assert client.get(links["docs"]).status_code == 200


def test_the_root_explains_itself_in_a_browser(client):
    html = client.get("/api/v1/", HTTP_ACCEPT="text/html").content.decode()
    assert "Timeline API" in html
    assert "published events only" in html
    assert "default basic root view" not in html


def test_the_browsable_api_shows_json_indented_and_programs_get_it_compact(client):
    html = client.get("/api/v1/types/", HTTP_ACCEPT="text/html").content.decode()
    assert "{\n  &quot;count&quot;: " in html
    compact = client.get("/api/v1/types/").content
    assert compact.startswith(b'{"count":')
    indented = client.get("/api/v1/types/", HTTP_ACCEPT="application/json; indent=2").content
    assert indented.startswith(b'{\n  "count": ')
