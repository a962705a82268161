"""Text search over events.

PostgreSQL: the stored, GIN-indexed `search_vector` column (title A, summary B, participants'
names and aliases C; added by migration 0004, not a model field, so the ORM never selects it)
matched with `websearch_to_tsquery` and ranked with `ts_rank` on that stored vector. Every
match carries a `search_rank` annotation.

Misspelt names ("Zelenski" for "Zelenskyy") are a fallback, not a second condition OR'd onto
every search: only when the full-text query matches none of the events the other filters
leave does the search become trigram word similarity on the participants' names
(`search_actors %> text`, which the trigram GIN index of migration 0004 answers), ranked by
that similarity. OR'ing trigram matches in made every search also collect every event whose
names or title merely resembled a common word (12,000 extra candidates for `sanctions` in
200,000 events, 46,000 in 1,000,000), all ranked before the page was cut. The fallback costs
one existence check on the full-text index per search (about 20 ms for a word in 70,000 of
1,000,000 events, under a millisecond for an unknown word). Trade-off: a text that matches
in full text no longer also returns look-alike spellings, and titles are no longer matched
by spelling (full text covers them, stemmed).

Every full-text match is still ranked (no bounded candidate set), so `ordering=relevance`
returns exactly the best matches, as the raw `tsquery` of the benchmark's limit does; its
cost grows with the number of matches, like the limit's.

With an actor, the filterset reads the actor from `events_event.participant_ids` instead of
the participations (EventQuerySet.with_participants): one GIN index of migration 0018 holds it
beside `search_vector`, so a single bitmap index scan intersects the text and the actor and
only the events matching both are read from the table (an EXISTS on the participations could
only be checked after each text match's page was read).

SQLite: a plain case-insensitive match of every word on the same text, `search_rank` 0, so the
embedded default behaves sensibly without the extensions.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVectorField,
    TrigramWordSimilarity,
)
from django.db import connection, connections
from django.db.models import Expression, F, FloatField, Q, Value
from django.db.models.expressions import Col
from django.db.models.functions import Cast

from events.querysets import EventQuerySet


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
    full_text = queryset.alias(search_vector=StoredSearchVector()).filter(search_vector=query)
    if _any_row(full_text):
        return full_text.annotate(search_rank=_exact(SearchRank(F("search_vector"), query)))
    # Nothing in full text: perhaps a misspelt name. `%>` (not a similarity expression) so
    # the trigram GIN index on search_actors finds the candidates.
    return queryset.filter(search_actors__trigram_word_similar=text).annotate(
        search_rank=_exact(TrigramWordSimilarity(text, "search_actors"))
    )


def _any_row(queryset: EventQuerySet) -> bool:
    # Not `.exists()`: the planner guesses any unknown word matches ~0.2 % of rows, so under
    # LIMIT 1 it walks the table hoping for an early match that a misspelt word never gives
    # (0.6 s at 1,000,000 events). A materialised CTE is planned for all its rows (the GIN
    # index) and still read only up to the first.
    sql, params = queryset.order_by().values("pk").query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(f"WITH m AS MATERIALIZED ({sql}) SELECT EXISTS (SELECT 1 FROM m)", params)
        return cursor.fetchone()[0]


def _exact(rank: Expression) -> Cast:
    # ts_rank and word_similarity return `real`; a page's cursor carries the rank back as a
    # double, which would never equal the `real` again: rank as a double from the start.
    return Cast(rank, FloatField())
