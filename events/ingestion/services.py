"""From an article to reviewed events: ingest (read, archive, extract, store the candidates)
and the three review actions, accept, accept into and reject. The admin, the API and the
`ingest` command all call these; each runs in one transaction and one revision.

Bad input is refused before anything is written: `IngestRefused` carries a one-line reason
(the fetching guard's own, for every refusal of events.fetching).
"""

import datetime as dt
import hashlib
import logging
import re

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from events import dates, revisions
from events.archiving import store_snapshot
from events.authorship import stamp_author
from events.choices import CitationStance, DatePrecision, EventStatus, SourceKind
from events.duplicates import similar_events
from events.fetching import FetchRefused, FetchResult, fetch
from events.imports.records import event_slug
from events.ingestion import extraction
from events.ingestion.models import (
    Candidate,
    CandidateState,
    Ingestion,
    IngestionKind,
    IngestionStatus,
    Rejection,
)
from events.ingestion.reading import Article, Refused, decode_html, decode_text, read_html
from events.ingestion.reading import read_text as read_pasted
from events.models import Actor, Citation, Event, EventType, Participation, Source
from events.reviews import write_or_propose
from events.urls_normalise import normalise_url

logger = logging.getLogger(__name__)
INGEST_PERMISSION = "ingestion.add_ingestion"
TITLE_CHARS = 120


class IngestRefused(Exception):
    """Nothing was ingested; ``reason`` says why in one line."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def may_ingest(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm(INGEST_PERMISSION)


def _require(user) -> None:
    # None: a management command, run by whoever runs the server.
    if user is not None and not may_ingest(user):
        raise PermissionDenied("Only curators and editors ingest articles and review candidates.")


def _acting(user):
    return None if user is None or isinstance(user, AnonymousUser) else user


# --- ingesting ---------------------------------------------------------------------------------


def ingest_url(*, url: str, user=None, archive: bool = True) -> Ingestion:
    """Fetch the page at `url` (through the SSRF guard), read it, archive it, and propose its
    candidate events."""
    _require(user)
    try:
        result = fetch(url)
    except FetchRefused as exc:
        raise IngestRefused(exc.reason) from None
    try:
        html = decode_html(result.body, result.headers.get("content-type", ""))
        article = read_html(html, url=result.url)
    except Refused as exc:
        raise IngestRefused(exc.reason) from None
    return _ingest(
        kind=IngestionKind.URL,
        article=article,
        sha256=result.sha256,
        user=user,
        url=url.strip(),
        final_url=result.url,
        fetched=result if archive else None,
    )


def ingest_html(*, data: bytes, file_name: str, user=None) -> Ingestion:
    """An uploaded HTML file (a page saved from a browser)."""
    _require(user)
    try:
        article = read_html(decode_html(data))
    except Refused as exc:
        raise IngestRefused(exc.reason) from None
    return _ingest(
        kind=IngestionKind.FILE,
        article=article,
        sha256=hashlib.sha256(data).hexdigest(),
        user=user,
        file_name=file_name[:255],
    )


def ingest_text(
    *,
    text: str | bytes,
    user=None,
    title: str = "",
    published: dt.date | None = None,
    file_name: str = "",
) -> Ingestion:
    """Pasted text (or a plain-text file: bytes must be UTF-8)."""
    _require(user)
    try:
        if isinstance(text, bytes):
            text = decode_text(text)
        article = read_pasted(text, title=title, published=published)
    except Refused as exc:
        raise IngestRefused(exc.reason) from None
    return _ingest(
        kind=IngestionKind.TEXT,
        article=article,
        sha256=hashlib.sha256(article.text.encode()).hexdigest(),
        user=user,
        file_name=file_name[:255],
    )


def _ingest(
    *,
    kind: str,
    article: Article,
    sha256: str,
    user,
    url: str = "",
    final_url: str = "",
    file_name: str = "",
    fetched: FetchResult | None = None,
) -> Ingestion:
    extracted = extraction.extract_candidates(
        _extraction_text(article.text), published=article.published, title=article.title
    )
    actor = _acting(user)
    with transaction.atomic(), revisions.recorded(actor, "Ingested an article"):
        source = _source(article, sha256, url, final_url, actor)
        ingestion = Ingestion.objects.create(
            created_by=actor,
            kind=kind,
            url=url[:1000],
            file_name=file_name,
            sha256=sha256,
            source=source,
            title=article.title,
            author=article.author,
            published=article.published,
            text=article.text,
        )
        if fetched is not None:  # archived by default: the evidence outlives the link
            _archive(ingestion, fetched)
        _store_candidates(ingestion, extracted)
    return ingestion


def _archive(ingestion: Ingestion, fetched: FetchResult) -> None:
    """A storage that fails (a full disk, an unreachable bucket) does not lose the reading: the
    ingestion says so, and the source can be archived again from its admin page."""
    try:
        with transaction.atomic():
            store_snapshot(source=ingestion.source, result=fetched, text=ingestion.text)
    except OSError:
        logger.exception("Archiving %s failed", fetched.url)
        ingestion.error = (
            "The page could not be archived (the storage failed): archive the source again later."
        )
        ingestion.save(update_fields=["error"])


def _extraction_text(text: str) -> str:
    """The stored text (one paragraph a line) as the extractor reads it."""
    return text


def article_key(source: Source) -> str:
    """What a rejection is remembered under: the normalised URL, else the content's hash."""
    return source.url or source.reference or f"source:{source.pk}"


def _source(article: Article, sha256: str, url: str, final_url: str, user) -> Source:
    """The article's source: the existing one with the same normalised URL (as given or as
    redirected to), or the same pasted text, else a new one."""
    if url:
        keys = {normalise_url(url), normalise_url(final_url or url)}
        found = Source.objects.filter(url__in=keys).order_by("id").first()
        if found is not None:
            return found
        source = Source(url=normalise_url(final_url or url))
    else:
        reference = f"sha256:{sha256}"
        found = Source.objects.filter(reference=reference).first()
        if found is not None:
            return found
        source = Source(reference=reference)
    source.kind = SourceKind.NEWS_ARTICLE
    source.title = (article.title or _shorten(article.text.split("\n", 1)[0], 200))[:500]
    source.authors = article.author
    if article.published:
        source.published_on = article.published
        source.published_precision = DatePrecision.DAY
    stamp_author(source, user)
    source.full_clean()
    source.save()
    return source


def fingerprint(sentence: str) -> str:
    """The same sentence however it is spaced, cased or punctuated."""
    words = re.sub(r"[\W_]+", " ", sentence.casefold()).split()
    return hashlib.sha256(" ".join(words).encode()).hexdigest()


def _store_candidates(ingestion: Ingestion, extracted: list) -> None:
    rejected = set(
        Rejection.objects.filter(article=article_key(ingestion.source)).values_list(
            "fingerprint", flat=True
        )
    )
    slugs = {slug for item in extracted for slug in item.actors}
    actors = {actor.slug: actor for actor in Actor.objects.filter(slug__in=slugs)}
    types = {t.slug: t for t in EventType.objects.filter(slug__in={i.type for i in extracted})}
    skipped = 0
    stored = 0
    for item in extracted:
        print_ = fingerprint(item.sentence)
        if print_ in rejected:
            skipped += 1
            continue
        found = [actors[slug] for slug in item.actors if slug in actors]
        event_type = types.get(item.type) if item.type else None
        start = _fit(item.start, item.precision) if item.start else None
        # The extractor gives the last day a written date covers ("in February": the 28th);
        # only an end beyond the start's own period is a span.
        end = item.end if start and item.end and item.end > _period_end(start, item) else None
        candidate = Candidate.objects.create(
            ingestion=ingestion,
            sentence=item.sentence,
            paragraph=item.paragraph,
            fingerprint=print_,
            start_date=start,
            end_date=end,
            precision=item.precision or DatePrecision.DAY,
            approximate=item.approximate,
            event_type=event_type,
            confidence=min(max(float(item.confidence), 0.0), 1.0),
        )
        candidate.actors.set(found)
        candidate.duplicates.set(
            similar_events(
                title=item.sentence,
                start=start,
                end=candidate.end_date,
                actor_ids=[actor.pk for actor in found],
                type_id=event_type.pk if event_type else None,
            )
        )
        stored += 1
    ingestion.candidate_count = stored
    ingestion.skipped_count = skipped
    ingestion.status = IngestionStatus.PENDING if stored else IngestionStatus.REVIEWED
    ingestion.save(update_fields=["candidate_count", "skipped_count", "status"])


def _period_end(start: dt.date, item) -> dt.date:
    return dates.period_end(start, item.precision or DatePrecision.DAY)


def _fit(value: dt.date, precision: str) -> dt.date:
    """The first day of its month or year, as an event's date of that precision is stored."""
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


# --- reviewing ---------------------------------------------------------------------------------


def _pending(candidate: Candidate) -> Candidate:
    locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if locked.state != CandidateState.PENDING:
        raise ValidationError(
            f"This candidate was already {locked.get_state_display().lower()}.", code="decided"
        )
    return locked


def _decide(candidate: Candidate, state: str, user, event: Event | None = None) -> None:
    candidate.state = state
    candidate.event = event
    candidate.decided_by = user
    candidate.decided_at = timezone.now()
    candidate.save(update_fields=["state", "event", "decided_by", "decided_at"])
    revisions.touch(candidate)  # the decision is part of the revision, with who and when
    counter = {
        CandidateState.ACCEPTED: "accepted_count",
        CandidateState.MERGED: "merged_count",
        CandidateState.REJECTED: "rejected_count",
    }[state]
    ingestion = Ingestion.objects.select_for_update().get(pk=candidate.ingestion_id)
    setattr(ingestion, counter, getattr(ingestion, counter) + 1)
    still = ingestion.candidates.filter(state=CandidateState.PENDING).exists()
    ingestion.status = IngestionStatus.PENDING if still else IngestionStatus.REVIEWED
    ingestion.save(update_fields=[counter, "status"])


def _citation(candidate: Candidate, event: Event) -> Citation:
    return Citation(
        event=event,
        source=candidate.ingestion.source,
        quote=candidate.sentence,
        locator=f"paragraph {candidate.paragraph}",
        stance=CitationStance.SUPPORTS,
    )


def accept(
    *,
    candidate: Candidate,
    user,
    title: str = "",
    event_type: EventType | None = None,
    date: str = "",
) -> Event:
    """A draft event from the candidate, with its actors as participants and the sentence
    cited from the article. `title`, `event_type` and `date` (YYYY, YYYY-MM or YYYY-MM-DD)
    override what was extracted."""
    _require(user)
    actor = _acting(user)
    with transaction.atomic(), revisions.recorded(actor, "Accepted a candidate from an article"):
        candidate = _pending(candidate)
        revisions.current().add_reason(candidate.ingestion.change_reason)
        start, precision = _date(candidate, date)
        event_type = event_type or candidate.event_type
        if event_type is None:
            raise ValidationError({"event_type": "Choose a type for the event."})
        title = (title or "").strip() or _shorten(candidate.sentence.rstrip("."), TITLE_CHARS)
        event = Event(
            title=title[:300],
            slug=_free_slug(title, start, precision),
            event_type=event_type,
            start_date=start,
            start_precision=precision,
            start_approximate=candidate.approximate,
            end_date=candidate.end_date if date == "" else None,
            end_precision=DatePrecision.DAY if candidate.end_date and date == "" else "",
            status=EventStatus.DRAFT,
        )
        event.confirm_unusual_date = True  # the article said so; the curator reviews the draft
        stamp_author(event, actor)
        event.full_clean()
        event.save()
        Participation.objects.bulk_create(
            Participation(event=event, actor=a) for a in candidate.actors.all()
        )
        event.refresh_search_actors()  # bulk_create sends no signals
        citation = _citation(candidate, event)
        citation.full_clean()
        citation.save()
        revisions.touch(event, bulk=True)
        _decide(candidate, CandidateState.ACCEPTED, actor, event)
    return event


def accept_into(*, candidate: Candidate, event: Event, user) -> Event:
    """Cite the candidate's sentence on an existing event (a duplicate, or any event chosen).
    On a published event a curator's citation waits for an editor (events.reviews)."""
    _require(user)
    actor = _acting(user)
    with transaction.atomic(), revisions.recorded(actor, "Merged a candidate from an article"):
        candidate = _pending(candidate)
        revisions.current().add_reason(candidate.ingestion.change_reason)
        citation = _citation(candidate, event)
        already = Citation.objects.filter(
            event=event, source=citation.source, locator=citation.locator
        ).exists()
        if not already:

            def write():
                citation.full_clean()
                citation.save()

            write_or_propose(user=lambda: actor, write=write)
        _decide(candidate, CandidateState.MERGED, actor, event)
    return event


def reject(*, candidate: Candidate, user) -> Candidate:
    """Reject the candidate, and remember the sentence for this article: ingesting it again
    does not propose it again."""
    _require(user)
    actor = _acting(user)
    with transaction.atomic(), revisions.recorded(actor, "Rejected a candidate from an article"):
        candidate = _pending(candidate)
        revisions.current().add_reason(candidate.ingestion.change_reason)
        Rejection.objects.get_or_create(
            article=article_key(candidate.ingestion.source),
            fingerprint=candidate.fingerprint,
            defaults={"sentence": candidate.sentence, "created_by": actor},
        )
        _decide(candidate, CandidateState.REJECTED, actor)
    return candidate


def _date(candidate: Candidate, text: str) -> tuple[dt.date, str]:
    if text.strip():
        try:
            return dates.parse_partial(text)
        except ValueError as exc:
            raise ValidationError({"date": str(exc)}) from None
    if candidate.start_date is None:
        raise ValidationError({"date": "The sentence gave no date: give one (YYYY-MM-DD)."})
    return candidate.start_date, candidate.precision


def _free_slug(title: str, start: dt.date, precision: str) -> str:
    base = event_slug(title, start, precision)[:190] or slugify(title)[:190]
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
