"""An ingestion and its candidates as JSON: the shapes the API and `ingest --json` print."""

from typing import TypedDict

from events import dates
from events.ingestion.models import Candidate, Ingestion


class CandidateJSON(TypedDict):
    id: int
    sentence: str
    paragraph: int
    date: str | None  # ISO, cut to its precision: 2025-02-18, 2025-02, 2025
    end: str | None
    precision: str | None  # null when no date was found
    approximate: bool
    actors: list[str]  # slugs
    type: str | None  # event-type slug
    confidence: float
    duplicates: list[str]  # slugs of existing events that may be the same
    state: str
    event: str | None  # slug of the event it produced or was merged into


class IngestionJSON(TypedDict):
    id: int
    url: str
    kind: str
    source_url: str | None
    file_name: str
    sha256: str
    title: str
    author: str
    published: str | None
    status: str
    error: str
    candidates_total: int
    skipped: int
    accepted: int
    merged: int
    rejected: int
    created_at: str
    candidates: list[CandidateJSON]


def candidates_of(ingestion: Ingestion):
    return ingestion.candidates.select_related("event_type", "event").prefetch_related(
        "actors", "duplicates"
    )


def candidate_json(candidate: Candidate) -> CandidateJSON:
    return {
        "id": candidate.pk,
        "sentence": candidate.sentence,
        "paragraph": candidate.paragraph,
        "date": dates.edtf_date(candidate.start_date, candidate.precision)
        if candidate.start_date
        else None,
        "end": candidate.end_date.isoformat() if candidate.end_date else None,
        "precision": candidate.precision if candidate.start_date else None,  # no date, none
        "approximate": candidate.approximate,
        "actors": sorted(actor.slug for actor in candidate.actors.all()),
        "type": candidate.event_type.slug if candidate.event_type else None,
        "confidence": round(candidate.confidence, 3),
        "duplicates": [event.slug for event in candidate.duplicates.all()],
        "state": candidate.state,
        "event": candidate.event.slug if candidate.event else None,
    }


def ingestion_json(ingestion: Ingestion, url: str = "") -> IngestionJSON:
    return {
        "id": ingestion.pk,
        "url": url,
        "kind": ingestion.kind,
        "source_url": ingestion.source.url,
        "file_name": ingestion.file_name,
        "sha256": ingestion.sha256,
        "title": ingestion.title,
        "author": ingestion.author,
        "published": ingestion.published.isoformat() if ingestion.published else None,
        "status": ingestion.status,
        "error": ingestion.error,
        "candidates_total": ingestion.candidate_count,
        "skipped": ingestion.skipped_count,
        "accepted": ingestion.accepted_count,
        "merged": ingestion.merged_count,
        "rejected": ingestion.rejected_count,
        "created_at": ingestion.created_at.isoformat(),
        "candidates": [candidate_json(c) for c in candidates_of(ingestion)],
    }
