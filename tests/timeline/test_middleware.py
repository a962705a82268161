"""A response that sets a cookie is never publicly cacheable."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from timeline.middleware import PrivateWhenSettingCookiesMiddleware

pytestmark = pytest.mark.django_db


def respond(cache_control, cookie=True):
    def view(request):
        response = HttpResponse("x")
        response["Cache-Control"] = cache_control
        if cookie:
            response.set_cookie("csrftoken", "abc")
        return response

    return PrivateWhenSettingCookiesMiddleware(view)(RequestFactory().get("/"))


def test_a_public_response_that_sets_a_cookie_becomes_private():
    response = respond("public, max-age=60")
    assert "public" not in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]


def test_a_public_response_without_cookies_stays_public():
    assert respond("public, max-age=60", cookie=False)["Cache-Control"] == "public, max-age=60"


def test_the_anonymous_browsable_api_page_with_its_csrf_cookie_is_not_public(client):
    response = client.get("/api/v1/actors/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response.cookies  # the browsable API's form needs its CSRF token
    assert "private" in response["Cache-Control"]
    for url in ("/api/v1/actors/", "/api/v1/events/", "/api/v1/timeline/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert not (response.cookies and "public" in response.get("Cache-Control", "")), url
