"""/favicon.ico: browsers ask for it on every page that names no icon (the admin, the API)."""

import pytest


@pytest.mark.django_db
def test_the_icon_is_an_svg_cached_for_a_day_and_revalidated(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age=86400" in response["Cache-Control"]
    again = client.get("/favicon.ico", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
    assert client.post("/favicon.ico").status_code == 405
