"""Text search over events.

PostgreSQL: the stored, GIN-indexed `search_vector` column (title A, summary B, participants'
names and aliases C; added by migration 0004, not a model field, so the ORM never selects it)
matched with `websearch_to_tsquery` and ranked with `ts_rank`; names typed slightly wrong
("Zelenski" for "Zelenskyy") are caught by trigram word similarity on the participants' names
and the title (trigram GIN indexes). Every match carries a `search_rank` annotation.

SQLite: a plain case-insensitive match of every word on the same text, `search_rank` 0, so the
embedded default behaves sensibly without the extensions.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Expression, F, FloatField, Q, Value
from django.db.models.expressions import Col

from events.querysets import EventQuerySet

# How much a close spelling of a name counts beside a full-text match (ts_rank is ~0.1–1).
FUZZY_WEIGHT = 0.1


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _stored_vector_field() -> SearchVectorField:
    field = SearchVectorField()
    field.set_attributes_from_name("search_vector")
    return field


class StoredSearchVector(Expression):
    """events_event.search_vector under whatever alias the query gives the events table."""

    output_field = SearchVectorField()

    def resolve_expression(
        self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False
    ):
        # A Col is relabelled when the query becomes a subquery; raw SQL would not be.
        return Col(query.get_initial_alias(), _stored_vector_field())


def search_events(queryset: EventQuerySet, text: str) -> EventQuerySet:
    """Filter events matching the text and annotate `search_rank` (higher is better)."""
    text = text.strip()
    if not text:
        return queryset
    if is_postgresql():
        return _search_postgresql(queryset, text)
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_actors__icontains=word)
        )
    return queryset.filter(condition).annotate(search_rank=Value(0.0, output_field=FloatField()))


def _search_postgresql(queryset: EventQuerySet, text: str) -> EventQuerySet:
    # English stems titles and summaries; names are indexed unstemmed ('simple'), and the
    # English stemmer would turn "Zelenskyy" into "zelenskyi": query both ways.
    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    return (
        queryset.alias(search_vector=StoredSearchVector())
        .filter(
            Q(search_vector=query)
            | Q(search_actors__trigram_word_similar=text)
            | Q(title__trigram_word_similar=text)
        )
        .annotate(
            search_rank=SearchRank(F("search_vector"), query)
            + FUZZY_WEIGHT * TrigramWordSimilarity(text, "search_actors")
        )
    )
