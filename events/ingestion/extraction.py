"""Candidate events in an article's text: sentences that carry a date and name an actor.

A pure domain module: it reads text and the curated gazetteer and lexicon, writes nothing.
The ingestion pipeline stores what it returns for a curator to review.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ExtractedCandidate:
    """One claim an article makes about an event, as the extractor read it."""

    sentence: str  # the sentence (or merged neighbouring sentences) as written
    paragraph: int  # 1-based paragraph index in the text
    start: date | None
    end: date | None
    precision: str  # "day" | "month" | "year" (events.choices.DatePrecision values)
    approximate: bool
    actors: list[str] = field(default_factory=list)  # actor slugs
    type: str | None = None  # event-type slug from the taxonomy, or None
    confidence: float = 0.0  # 0..1


def extract_candidates(
    text: str, *, published: date | None, title: str = ""
) -> list[ExtractedCandidate]:
    """The candidate events in `text`, in reading order.

    `published` anchors relative dates ("on Monday", "last week"); without it only dates that
    name their year are read. Not yet implemented: returns no candidates.
    """
    return []
