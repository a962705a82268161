"""The `warnings` of a write response: the records the one written may duplicate.

One rule for every API write of an actor, a source or an event: the write is made, and the
answer lists what it may repeat (events.duplicates), likely ones first. The API never refuses a
write for a duplicate (a program cannot tick “I checked”); the admin, where a person saves,
asks for that confirmation instead.
"""

from rest_framework.reverse import reverse

from events.api.shapes import DuplicateWarning
from events.duplicates import duplicates_of, is_likely
from events.models import Actor, Event, Source

_KINDS = {
    Actor: ("actor", "actor-detail"),
    Source: ("source", "source-detail"),
    Event: ("event", "event-detail"),
}


def duplicate_warnings(obj, request) -> list[DuplicateWarning]:
    """The warnings for `obj` as just saved (its own row left out)."""
    kind, route = _KINDS[type(obj)]
    found = []
    for record in duplicates_of(obj):
        slug = getattr(record, "slug", None)
        name = getattr(record, "name", None) or record.title
        likely = is_likely(record)
        found.append(
            {
                "code": "likely_duplicate" if likely else "possible_duplicate",
                "message": f"{'Likely' if likely else 'Possibly'} a duplicate of the {kind} "
                f"“{name}”: {', '.join(record.duplicate_reasons)}.",
                "score": record.duplicate_score,
                "reasons": list(record.duplicate_reasons),
                "record": {
                    "kind": kind,
                    "id": record.pk,
                    "slug": slug,
                    "title": name,
                    "url": reverse(route, args=[slug or record.pk], request=request),
                },
            }
        )
    return found
