"""Published timelines by slug, and a curated timeline's captions, kept per process under
the public data's version.

The embed of a timeline and the API's `timeline=` filter looked the timeline up on every
request (an ORM query and its model instance), and the embed read its 500 captions in another
(1.2 ms of CPU). Both change only when public data changes, and any save or delete of a
published timeline or of its entries moves the public change stamp (events.freshness), so
under the stamp's token they are read once per process. Without a token (staff, previews)
they are read every time.

As the other per-process stores (events.facets.recent, events.filtersets.resolved_references),
this trusts the token never to repeat with other data: restart the app servers after a
database restore (docs/operations.md).
"""

from events.lru import LRUStore
from events.models import Timeline

# (slug, token) → (timeline or None,); (timeline id, token) → captions. Small: a site embeds a
# few dozen timelines, and each token's entries die with the next change.
recent = LRUStore(512)


def published_timeline(slug: str, version: str | None = None) -> Timeline | None:
    """The published timeline of that slug, or None (also kept: an unknown slug stays
    unknown until public data changes). Callers must not change the instance."""
    if version is None:
        return _read(slug)
    return recent.remembered(("timeline", slug, version), lambda: (_read(slug),))[0]


def entry_captions(timeline: Timeline, version: str | None = None) -> dict[int, str]:
    """A curated timeline's captions by event id (“Sign 1: …”), in one query (or none).
    Callers must not change the dict."""
    if version is None:
        return _captions(timeline)
    return recent.remembered(("captions", timeline.pk, version), lambda: _captions(timeline))


def _read(slug: str) -> Timeline | None:
    return Timeline.objects.published().filter(slug=slug).first()


def _captions(timeline: Timeline) -> dict[int, str]:
    return dict(timeline.entries.exclude(caption="").values_list("event_id", "caption"))
