"""No link in the admin that its reader cannot follow: every link a curator or an editor sees,
followed, answers (no 403, no 404, no 500), "View on site" and "Preview embed" included."""

import re
from urllib.parse import urljoin, urlsplit

import pytest

from tests.events.test_admin import FACTORIES
from tests.factories import PublishedEventFactory

pytestmark = pytest.mark.django_db

HREF = re.compile(r'href="([^"#]+)"')
# Pages that answer something other than a page on purpose, or leave the admin.
NOT_FOLLOWED = ("/admin/logout/",)


def links(html: str, base: str) -> set[str]:
    found = set()
    for href in HREF.findall(html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc or parts.path.startswith("/static/"):
            continue
        if parts.path.startswith(NOT_FOLLOWED) or parts.path.startswith("/admin/jsi18n"):
            continue
        found.add(url)
    return found


def crawl(client, start: str = "/admin/", limit: int = 600) -> dict[str, tuple[int, str]]:
    """Follow every admin link from the index, four pages deep (index, list, object, history,
    version); links out of the admin are checked, not followed. {url: (status, from page)}."""
    seen: dict[str, tuple[int, str]] = {}
    queue = [(start, "", 0)]
    while queue and len(seen) < limit:
        url, source, depth = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        if response.status_code == 302 and "/login/" not in response["Location"]:
            # "View on site" and the like: where it leads must answer too.
            response = client.get(response["Location"])
            if response.status_code == 200:
                seen[url] = (302, source)
                continue
        seen[url] = (response.status_code, source)
        if response.status_code != 200 or depth >= 4 or not url.startswith("/admin/"):
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for found in sorted(links(response.content.decode(), url)):
            path = urlsplit(found).path
            # One change page per model is enough: skip list pages' sort and filter variants.
            if urlsplit(found).query and path == urlsplit(url).path:
                continue
            queue.append((found, url, depth + 1))
    return seen


@pytest.mark.parametrize("who", ["curator_client", "editor_client"])
def test_every_admin_link_a_curator_or_editor_sees_can_be_followed(request, who):
    for factory in FACTORIES.values():
        factory()
    PublishedEventFactory()
    client = request.getfixturevalue(who)
    seen = crawl(client)
    broken = {url: found for url, found in seen.items() if found[0] not in (200, 302)}
    assert broken == {}
    assert len(seen) > 50  # the crawl reached the models' pages
