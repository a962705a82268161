"""Likely duplicates: the events, actors and sources a new or edited record may repeat.

One place answers "is this already here?" for every write path (admin, API, imports, article
ingestion). Each function returns the existing records, best first, each carrying
`duplicate_score` (0..1, higher is likelier) and `duplicate_reasons` (short phrases a curator
reads: "same title", "overlapping dates", "2 shared actors").

Events: a similar title, overlapping dates and shared actors. Title similarity is trigram
similarity (pg_trgm, created by migration 0004) on PostgreSQL, and on both databases a
normalised-token score (accents, case, punctuation and a few filler words removed; Dice
coefficient of the word sets); the better of the two counts, so SQLite and PostgreSQL agree on
the clear cases. Candidates are read from the date window first (the list index), so the cost
follows the events of those days, not the size of the table.

Actors: the same name, short name or alias (any of them against any of theirs, normalised),
the same ISO 3166 alpha-3 code or Wikidata id ("a second European Union").

Sources: the same normalised URL (events/urls_normalise.py), the same URL but for `www.` or a
trailing slash, or the same text (its SHA-256: `content_hash`).
"""

import bisect
import datetime as dt
import hashlib
import itertools
import re
import unicodedata
from collections import defaultdict

from django.db import connection
from django.db.models import Q

from events.urls_normalise import normalise_url

# A title this close is a likely duplicate even with no shared actor or date to back it.
TITLE_ALONE = 0.75
# A title this close is a likely duplicate when an actor or the type is shared too.
TITLE_WITH_SUPPORT = 0.4
# Dates a day or two apart are often the same event (time zones, "overnight", a late report).
DATE_SLACK = dt.timedelta(days=2)
# At most this many events of the date window are scored (a window holds a few days).
WINDOW_CANDIDATES = 2000
# At most this many events' dates are read to tell which windows hold any event.
SPANS_READ = 10_000
# A score at or above this should not be saved without a curator confirming it: the same title
# on overlapping dates (0.7), or a close title with a shared actor or type on those dates.
LIKELY = 0.7

_FILLER = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "by",
    "for",
    "from",
    "in",
    "into",
    "of",
    "on",
    "over",
    "the",
    "to",
    "with",
}


def fold(text: str) -> str:
    """Lower case, accents removed, punctuation as spaces, spaces collapsed."""
    text = text or ""
    if not text.isascii():  # ASCII has nothing to decompose (the common case, and quick)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold()
    return " ".join(re.findall(r"\w+", text))


def title_tokens(title: str) -> set[str]:
    """The words that say what a title is about: folded, filler words dropped, a plural `s`
    cut ("sanctions" and "sanction" are one word here)."""
    words = set()
    for word in fold(title).split():
        if word in _FILLER:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return words


def token_similarity(a: str, b: str) -> float:
    """Dice coefficient of the two titles' word sets: 1.0 for the same words in any order."""
    left, right = title_tokens(a), title_tokens(b)
    if not left or not right:
        return 0.0
    return 2 * len(left & right) / (len(left) + len(right))


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def windows_with_events(bounds: list[tuple[dt.date, dt.date]]) -> list[bool]:
    """For each (start, end) as `similar_events` takes them, whether any event's dates
    overlap its window (DATE_SLACK either side): where none does, `similar_events` has no
    candidate and finds nothing. One query for all the windows (an import's batch), which
    reads the date spans of the events in their whole range; past SPANS_READ events there,
    every window is taken to hold some, and each is left to `similar_events`."""
    from events.models import Event

    if not bounds:
        return []
    windows = [(start - DATE_SLACK, end + DATE_SLACK) for start, end in bounds]
    spans = sorted(
        Event.objects.overlapping(min(low for low, _ in windows), max(high for _, high in windows))
        .order_by()
        .values_list("date_lower", "date_upper")[: SPANS_READ + 1]
    )
    if len(spans) > SPANS_READ:
        return [True] * len(bounds)
    lowers = [lower for lower, _upper in spans]
    # reach[i]: the latest end among the spans starting no later than lowers[i].
    reach = list(itertools.accumulate((upper for _lower, upper in spans), max))
    found = []
    for low, high in windows:
        starting = bisect.bisect_right(lowers, high)  # spans that start by the window's end
        found.append(starting > 0 and reach[starting - 1] >= low)
    return found


def similar_events(
    *,
    title: str,
    start: dt.date | None,
    end: dt.date | None,
    actor_ids: list[int],
    type_id: int | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list:
    """Existing events (any status) that the described one may repeat, best first.

    `start`/`end` are the described event's possible bounds (for a month-precision date, its
    first and last day); with no start, only titles are compared. Each event returned carries
    `duplicate_score`, `duplicate_reasons` and `shared_actor_ids`.
    """
    from events.models import Event, Participation

    title = (title or "").strip()
    if not title and not (start and actor_ids):
        return []
    qs = Event.objects.select_related("event_type")
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if start is not None:
        qs = qs.overlapping(start - DATE_SLACK, (end or start) + DATE_SLACK)
    elif _is_postgresql():
        # No dates: the trigram index finds the look-alike titles (`%`, similarity >= 0.3).
        qs = qs.filter(title__trigram_similar=title)
    else:
        words = sorted(title_tokens(title), key=len, reverse=True)[:3]
        if not words:
            return []
        condition = Q()
        for word in words:
            condition |= Q(title__icontains=word)
        qs = qs.filter(condition)
    if _is_postgresql() and title:
        from django.contrib.postgres.search import TrigramSimilarity

        qs = qs.annotate(trigram=TrigramSimilarity("title", title)).order_by("-trigram", "pk")
    else:
        qs = qs.order_by("pk")
    candidates = list(qs[:WINDOW_CANDIDATES])
    wanted = set(actor_ids or [])
    undated_same_type = start is None and type_id is not None and bool(wanted)
    if undated_same_type:
        # A sentence with no date of its own (ingestion) rarely shares words with a short
        # title: events of the same type with the same actors are worth a look too.
        seen = {event.pk for event in candidates}
        others = (
            Event.objects.select_related("event_type")
            .filter(
                event_type_id=type_id,
                pk__in=Participation.objects.filter(actor_id__in=wanted).values("event_id"),
            )
            .exclude(pk__in=seen | ({exclude_pk} if exclude_pk is not None else set()))
            .order_by("pk")
        )
        candidates += list(others[:WINDOW_CANDIDATES])
    if not candidates:
        return []
    shared: dict[int, set[int]] = defaultdict(set)
    if wanted:
        for event_id, actor_id in Participation.objects.filter(
            event__in=[event.pk for event in candidates], actor_id__in=wanted
        ).values_list("event_id", "actor_id"):
            shared[event_id].add(actor_id)
    found = []
    for event in candidates:
        similarity = max(token_similarity(title, event.title), getattr(event, "trigram", 0.0))
        if fold(title) and fold(title) == fold(event.title):
            similarity = 1.0
        common = shared.get(event.pk, set())
        same_type = type_id is not None and event.event_type_id == type_id
        reworded = (
            same_type
            and bool(common)
            and (
                (start is not None and common == wanted)
                # Undated: the same type and at least two of its actors (or its only one).
                or (undated_same_type and len(common) >= min(2, len(wanted)))
            )
        )
        if not (
            similarity >= TITLE_ALONE
            or (similarity >= TITLE_WITH_SUPPORT and (common or same_type))
            # Same days, same type, the same actors: worded differently, possibly the same.
            or reworded
        ):
            continue
        share = len(common) / len(wanted) if wanted else 0.0
        score = 0.5 * similarity + 0.2 * (start is not None) + 0.2 * share + 0.1 * same_type
        reasons = ["same title" if similarity == 1.0 else f"similar title ({similarity:.0%})"]
        if start is not None:
            reasons.append("overlapping dates")
        if common:
            reasons.append(f"{len(common)} shared actor{'s' if len(common) > 1 else ''}")
        if same_type:
            reasons.append("same type")
        event.duplicate_score = round(min(score, 1.0), 3)
        event.duplicate_reasons = reasons
        event.shared_actor_ids = sorted(common)
        found.append(event)
    found.sort(key=lambda event: (-event.duplicate_score, event.pk))
    return found[:limit]


def actor_names(name: str = "", short_name: str = "", aliases="") -> set[str]:
    """An actor's names, folded, for comparison: name, short name and each alias line."""
    if isinstance(aliases, str):
        aliases = aliases.splitlines()
    return {fold(value) for value in (name, short_name, *aliases) if fold(value)}


def similar_actors(
    *,
    name: str = "",
    short_name: str = "",
    aliases: str | list[str] = "",
    iso3: str | None = None,
    wikidata_id: str | None = None,
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list:
    """Existing actors the described one may repeat: any of its names equals any of theirs
    (folded), or the same ISO 3166 alpha-3 code or Wikidata id. Best first: a shared code,
    then the same full name, then an alias."""
    from events.models import Actor

    names = actor_names(name, short_name, aliases)
    iso3 = (iso3 or "").strip().upper() or None
    wikidata_id = (wikidata_id or "").strip().upper() or None
    if not names and not iso3 and not wikidata_id:
        return []
    condition = Q(pk__in=[])
    if iso3:
        condition |= Q(iso3=iso3)
    if wikidata_id:
        condition |= Q(wikidata_id=wikidata_id)
    raw = {value.strip() for value in (name, short_name) if value and value.strip()}
    raw |= {
        line.strip()
        for line in (aliases.splitlines() if isinstance(aliases, str) else aliases)
        if line.strip()
    }
    for value in raw:
        # A candidate when the text appears among its names; the exact name is checked below.
        condition |= Q(search_names__icontains=value)
        words = fold(value).split()
        if words:  # accents or punctuation written differently: the longest word finds it
            condition |= Q(search_names__icontains=max(words, key=len))
    qs = Actor.objects.filter(condition)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    found = []
    for actor in qs.order_by("pk")[:500]:
        reasons, score = [], 0.0
        if iso3 and actor.iso3 == iso3:
            reasons.append(f"same ISO code {iso3}")
            score = max(score, 1.0)
        if wikidata_id and actor.wikidata_id == wikidata_id:
            reasons.append(f"same Wikidata id {wikidata_id}")
            score = max(score, 1.0)
        theirs = actor_names(actor.name, actor.short_name, actor.aliases)
        if fold(name) and fold(name) == fold(actor.name):
            reasons.append("same name")
            score = max(score, 0.95)
        elif names & theirs:
            shown = sorted(names & theirs)[0]
            reasons.append(f"also called “{shown}”")
            score = max(score, 0.8)
        if not reasons:
            continue
        actor.duplicate_score = score
        actor.duplicate_reasons = reasons
        found.append(actor)
    found.sort(key=lambda actor: (-actor.duplicate_score, actor.pk))
    return found[:limit]


def content_hash(text: str) -> str:
    """SHA-256 (hex) of a text with its whitespace collapsed: the same article pasted twice,
    or fetched twice, hashes the same."""
    return hashlib.sha256(" ".join((text or "").split()).encode()).hexdigest()


def _loose_url(url: str) -> str:
    """The normal form without `www.` and a trailing slash, which name the same page."""
    url = normalise_url(url)
    url = re.sub(r"^(https?://)www\.", r"\1", url)
    return url.rstrip("/") if "?" not in url else url


def similar_sources(
    *,
    url: str | None = None,
    full_text: str = "",
    exclude_pk: int | None = None,
    limit: int = 5,
) -> list:
    """Existing sources the described one may repeat: the same normalised URL, the same URL
    but for `www.` or a trailing slash, the same text (compared by `content_hash`, so
    spacing does not matter; the candidates are those whose text is equal as stored or with
    its whitespace collapsed), or, for a stored source (`exclude_pk`), an archived copy with
    the same SHA-256 as one of its own (the same page under two addresses)."""
    from events.models import Source, SourceSnapshot

    loose = _loose_url(url) if url and url.strip() else ""
    text = full_text.strip()
    # Other sources holding a copy with the same bytes as one of this source's copies.
    same_page = (
        set(
            SourceSnapshot.objects.filter(
                sha256__in=SourceSnapshot.objects.filter(source_id=exclude_pk).values("sha256")
            )
            .exclude(source_id=exclude_pk)
            .values_list("source_id", flat=True)
        )
        if exclude_pk is not None
        else set()
    )
    if not loose and not text and not same_page:
        return []
    condition = Q(pk__in=same_page)
    if loose:
        bare = re.sub(r"^https?://", "", loose)
        for prefix in ("https://", "https://www.", "http://", "http://www."):
            condition |= Q(url=prefix + bare) | Q(url=prefix + bare + "/")
    if text:
        condition |= Q(full_text__in={full_text, text, " ".join(text.split())})
    qs = Source.objects.filter(condition)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    digest = content_hash(text) if text else None
    found = []
    for source in qs.order_by("pk")[:100]:
        reasons = []
        if source.pk in same_page:
            reasons.append("same archived page")
        if loose and source.url and _loose_url(source.url) == loose:
            reasons.append("same address" if source.url == normalise_url(url) else "same page")
        if digest and source.full_text and content_hash(source.full_text) == digest:
            reasons.append("same text")
        if not reasons:
            continue
        source.duplicate_score = 0.9 if reasons == ["same page"] else 1.0
        source.duplicate_reasons = reasons
        found.append(source)
    found.sort(key=lambda source: (-source.duplicate_score, source.pk))
    return found[:limit]


def duplicates_of(obj, *, actor_ids: list[int] | None = None, limit: int = 5) -> list:
    """The likely duplicates of an actor, source or event as it is about to be saved (its
    own row left out). `actor_ids`: an event's participants, when they are not stored yet
    (a form's inline rows, an API body); by default its stored ones."""
    from events import dates
    from events.models import Actor, Event, Source

    if isinstance(obj, Event):
        if obj.start_date is None:
            return []
        start, end = dates.bounds(
            obj.start_date, obj.start_precision, obj.end_date, obj.end_precision or None
        )
        if actor_ids is None:
            actor_ids = (
                list(obj.participations.values_list("actor_id", flat=True)) if obj.pk else []
            )
        return similar_events(
            title=obj.title,
            start=start,
            end=end,
            actor_ids=actor_ids,
            type_id=obj.event_type_id,
            exclude_pk=obj.pk,
            limit=limit,
        )
    if isinstance(obj, Actor):
        return similar_actors(
            name=obj.name,
            short_name=obj.short_name,
            aliases=obj.aliases,
            iso3=obj.iso3,
            wikidata_id=obj.wikidata_id,
            exclude_pk=obj.pk,
            limit=limit,
        )
    if isinstance(obj, Source):
        return similar_sources(url=obj.url, full_text=obj.full_text, exclude_pk=obj.pk, limit=limit)
    return []


def is_likely(record) -> bool:
    """Whether a duplicate found is likely enough that a person must confirm the save."""
    return record.duplicate_score >= LIKELY
