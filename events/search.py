"""Text search over events.

PostgreSQL: the stored, GIN-indexed `search_vector` column (title A, summary B, participants'
names and aliases C; added by migration 0004, not a model field, so the ORM never selects it)
matched with `websearch_to_tsquery` and, when the caller orders by relevance, ranked with
`ts_rank` on that stored vector. Every match carries a `search_rank` annotation (0 when not
ranked).

Misspelt names ("Zelenski" for "Zelenskyy") are a fallback, not a second condition OR'd onto
every search: only when the full-text query matches none of the events the other filters
leave does the search become trigram word similarity on the participants' names
(`search_actors %> text`, which the trigram GIN index of migration 0004 answers), ranked by
that similarity. OR'ing trigram matches in made every search also collect every event whose
names or title merely resembled a common word (12,000 extra candidates for `sanctions` in
200,000 events, 46,000 in 1,000,000), all ranked before the page was cut. The fallback costs
one existence check per search (`_any_row`: under a millisecond, common word or unknown).
Trade-off: a text that matches in full text no longer also returns look-alike spellings, and
titles are no longer matched by spelling (full text covers them, stemmed).

Order: searches read in date order like every other list unless `ordering=relevance` asks for
the best matches first (see docs/api.md, Search). In date order the page costs what a list page
costs: PostgreSQL walks the list index in date order and checks the text of each event it meets
until the page is full (about 1,400 events for a word in 7 % of them). Ranked, every match is
ranked (no bounded candidate set), so the first page holds exactly the best matches, as the raw
`tsquery` of the benchmark's limit does; its cost grows with the number of matches (about 2.4
µs of PostgreSQL's CPU per match: 0.3 s for a word in 73,000 of 1,000,000 events).

With an actor, the filterset reads the actor from `events_event.participant_ids` instead of
the participations (EventQuerySet.with_participants). Ranked, one GIN index of migration 0018
holds those ids beside `search_vector`, so a single bitmap index scan intersects the text and
the actor. In date order, when other filters narrow the list (`narrowed`), the text is a
semi-join on the primary key: the list index, which carries the participant ids, dates and
types (migration 0020), drops the other events on its own tuples, and only the events left are
read from the table for their text (a filter on the same row would read each event the walk
meets first: 65 ms against 8 for `sanctions` and one common actor in 1,000,000 events).

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

from events.lru import LRUStore
from events.querysets import EventQuerySet

# The rank of a search not ordered by relevance: not computed (every match's vector read).
# A double, as a computed rank is (see _exact), whatever the driver makes of a parameter.
UNRANKED = Cast(Value(0.0), FloatField())


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


def search_events(
    queryset: EventQuerySet,
    text: str,
    *,
    ranked: bool = False,
    narrowed: bool = False,
    version: str | None = None,
) -> EventQuerySet:
    """Filter events matching the text and annotate `search_rank` (higher is better).

    `ranked`: the caller orders by `search_rank`. `narrowed`: other filters than the status
    select the events (an actor, a type, a period…); see the module's docstring for both.
    `version`: the public data's version (the change stamp's token) when the events are the
    public ones, under which the existence check is kept (`matched`).
    """
    text = text.strip()
    if not text:
        return queryset
    if is_postgresql():
        return _search_postgresql(queryset, text, ranked=ranked, narrowed=narrowed, version=version)
    condition = Q()
    for word in text.split():
        condition &= (
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(search_actors__icontains=word)
        )
    return queryset.filter(condition).annotate(search_rank=UNRANKED)


def _search_postgresql(
    queryset: EventQuerySet, text: str, *, ranked: bool, narrowed: bool, version: str | None
) -> EventQuerySet:
    # English stems titles and summaries; names are indexed unstemmed ('simple'), and the
    # English stemmer would turn "Zelenskyy" into "zelenskyi": query both ways.
    query = SearchQuery(text, config="english", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    if narrowed and not ranked:
        matching = queryset.model._base_manager.alias(search_vector=StoredSearchVector())
        full_text = queryset.filter(pk__in=matching.filter(search_vector=query).values("pk"))
        rank = UNRANKED
    else:
        full_text = queryset.alias(search_vector=StoredSearchVector()).filter(search_vector=query)
        rank = _exact(SearchRank(F("search_vector"), query)) if ranked else UNRANKED
    if _any_row(full_text, version):
        return full_text.annotate(search_rank=rank)
    # Nothing in full text: perhaps a misspelt name. `%>` (not a similarity expression) so
    # the trigram GIN index on search_actors finds the candidates.
    return queryset.filter(search_actors__trigram_word_similar=text).annotate(
        search_rank=_exact(TrigramWordSimilarity(text, "search_actors"))
    )


# Whether a search's full text matched anything, by (data version, statement): each page of
# a search's results (cursors), each of its formats and the embed of the same selection ask
# the same question until public data changes. Small: a key is one statement's text.
matched = LRUStore(max_entries=2_000)


def _any_row(queryset: EventQuerySet, version: str | None = None) -> bool:
    """Whether the full-text search finds anything, in well under a millisecond.

    The keys of a page in date order (LIMIT 101), materialised, and only their first read:
    planned for 101 rows, PostgreSQL takes a rare or unknown word's few matches from the GIN
    index, or walks the list index for a common word and stops at its first match (0.3 ms
    for a word in 73,000 of 1,000,000 events). Not `.exists()`, nor a LIMIT 1 around the
    page: planned for one row, an unknown word is guessed to match ~0.2 % of rows, and the
    walk looks through the whole table for a match it never finds (3.7 s at 1,000,000
    events). Nor a materialised CTE of every match (what this was): the GIN index gathers
    all 73,000 first (16–22 ms). With a `version`, kept in `matched`.
    """
    keys = queryset.order_by("date_lower", "id").values("pk")[:101]
    sql, params = keys.query.get_compiler(queryset.db).as_sql()

    def ask() -> bool:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                f"WITH m AS MATERIALIZED ({sql}) SELECT EXISTS (SELECT 1 FROM m)", params
            )
            return cursor.fetchone()[0]

    if version is None:
        return ask()
    # repr: the parameters hold lists (actor ids) and dates, all with exact reprs.
    return matched.remembered((version, sql, repr(params)), ask)


def _exact(rank: Expression) -> Cast:
    # ts_rank and word_similarity return `real`; a page's cursor carries the rank back as a
    # double, which would never equal the `real` again: rank as a double from the start.
    return Cast(rank, FloatField())
