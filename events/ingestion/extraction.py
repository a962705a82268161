"""Candidate events in an article's text: sentences that say what an actor did, and when.

A pure domain module: it reads text, the curated gazetteer (actor names and aliases) and the
lexicon (lexicon.toml), and writes nothing; the ingestion pipeline stores what it returns for
a curator to review. No model is downloaded: everything it knows, curators can edit.

How a candidate is found:
1. The text is split into paragraphs and sentences (sentences.py).
2. Each sentence gets its date (dates_in_text.py: the most precise date it writes, resolved
   against the publication date; "the same day" or "hours later" take the last single day
   written before them), its actors (gazetteer.py) and a suggested type (lexicon.py).
3. A sentence that continues the one before it is merged into it: same paragraph, no date of
   its own (or the same one), and it starts with a pronoun ("He suggested …", "The decision
   …") or names one of the same actors. At most three sentences are merged.
4. What remains is a candidate when it names at least one actor and has a date or a type. A
   sentence with a date but no actor says nothing we can record; one with an actor but neither
   date nor type is commentary. A candidate with no date of its own is kept (many articles,
   the demo's seed among them, state facts without dates) with start, end None, precision ""
   and a low confidence: the curator supplies the date.
5. Confidence adds up the evidence, less for conjecture (see `confidence`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from events.ingestion.dates_in_text import DateMention, main_date
from events.ingestion.gazetteer import Gazetteer
from events.ingestion.lexicon import Lexicon, default_lexicon
from events.ingestion.sentences import sentences

MAX_MERGED = 3
# These take the date of the last sentence before them that names a single day.
_SAME_DAY = re.compile(
    r"\b(?:(?:on|of)\s+the\s+same\s+day|that\s+same\s+day|later\s+that\s+day|hours\s+later)\b",
    re.IGNORECASE,
)
# A sentence opening with one of these continues the one before it.
_ANAPHORA = re.compile(
    r"^(?:he|she|it|they|his|her|its|their|this|that|these|those|the\s+(?:move|decision|"
    r"vote|resolution|talks|meeting|pause|halt|announcement|statement|remarks|step|call)|"
    r"both|such|there)\b",
    re.IGNORECASE,
)
# Evidence weights; a candidate's confidence is their sum, at most 1.
_DATE_WEIGHT = {"day": 0.35, "month": 0.3, "year": 0.2}
_ONE_ACTOR, _MORE_ACTORS = 0.2, 0.15
_TYPE_WEIGHT, _STATEMENT_WEIGHT = 0.25, 0.1  # "said" alone is weak evidence of an event
_APPROXIMATE_PENALTY = 0.05
# Conjecture rather than report: "If the U.S. continues …", "Kyiv may struggle …".
_HEDGE = re.compile(r"^(?:if|whether|perhaps)\b|\b(?:could|might|may)\b", re.IGNORECASE)
_HEDGE_PENALTY = 0.15


@dataclass(frozen=True)
class ExtractedCandidate:
    """One claim an article makes about an event, as the extractor read it.

    `start`/`end` are the first and last day the written date covers: one day for "on Feb. 18"
    (end == start), the whole month for "in February" (precision "month", start the 1st), the
    whole year for "in 2024"; None (and precision "") when the sentence gives no date.
    """

    sentence: str  # the sentence (or merged neighbouring sentences) as written
    paragraph: int  # 1-based paragraph index in the text
    start: date | None
    end: date | None
    precision: str  # "day" | "month" | "year" (events.choices.DatePrecision values), or ""
    approximate: bool
    actors: list[str] = field(default_factory=list)  # actor slugs
    type: str | None = None  # event-type slug from the taxonomy, or None
    confidence: float = 0.0  # 0..1


@dataclass
class _Reading:
    """One sentence (or a run of merged ones) and what was found in it."""

    texts: list[str]
    paragraph: int
    date: DateMention | None
    actors: list[str]
    type: str | None

    def continued_by(self, other: _Reading) -> bool:
        if other.paragraph != self.paragraph or len(self.texts) >= MAX_MERGED:
            return False
        if not self.actors and not self.type:
            return False
        if other.date is not None and (
            self.date is None
            or (other.date.start, other.date.end) != (self.date.start, self.date.end)
        ):
            return False
        if _specific(self.type) and _specific(other.type) and self.type != other.type:
            return False  # a second event told in the next breath ("In return, it resumed aid")
        return (
            bool(_ANAPHORA.match(other.texts[0]))
            or not other.actors  # "Reports indicate that both nations …"
            or bool(set(self.actors) & set(other.actors))
        )

    def absorb(self, other: _Reading) -> None:
        self.texts.extend(other.texts)
        self.date = self.date or other.date
        self.actors += [slug for slug in other.actors if slug not in self.actors]
        # The more specific type wins: a statement that turns out to be about an aid pause.
        if self.type is None or (self.type == "statement" and other.type is not None):
            self.type = other.type


def extract_candidates(
    text: str,
    *,
    published: date | None,
    title: str = "",
    gazetteer: Gazetteer | None = None,
    lexicon: Lexicon | None = None,
) -> list[ExtractedCandidate]:
    """The candidate events in `text`, in reading order.

    `published` anchors relative dates ("on Monday", "last week", "in February"); without it
    only dates that name their year are read. `title` is not searched for events (a headline
    repeats the article's lead); it is accepted so callers pass what they have. The gazetteer
    is built from the database and the lexicon read from lexicon.toml unless given.
    """
    gazetteer = gazetteer if gazetteer is not None else Gazetteer.from_database()
    lexicon = lexicon if lexicon is not None else default_lexicon()
    readings: list[_Reading] = []
    last_day: DateMention | None = None
    for sentence in sentences(text):
        mention = main_date(sentence.text, published=published)
        if mention is None and last_day is not None and _SAME_DAY.search(sentence.text):
            mention = last_day
        if mention is not None and mention.precision == "day" and mention.start == mention.end:
            last_day = mention
        reading = _Reading(
            texts=[sentence.text],
            paragraph=sentence.paragraph,
            date=mention,
            actors=gazetteer.find(sentence.text),
            type=lexicon.suggest(sentence.text),
        )
        if readings and readings[-1].continued_by(reading):
            readings[-1].absorb(reading)
        else:
            readings.append(reading)
    return [_candidate(reading) for reading in readings if _is_candidate(reading)]


def _is_candidate(reading: _Reading) -> bool:
    if len(reading.texts) == 1 and _is_heading(reading.texts[0]):
        return False  # a heading names what the section's sentences tell
    return bool(reading.actors) and (reading.date is not None or reading.type is not None)


def _is_heading(text: str) -> bool:
    return not text.rstrip("\"'”’)").endswith((".", "!", "?", ":", ";")) and len(text.split()) <= 12


def _specific(type_slug: str | None) -> bool:
    return type_slug is not None and type_slug != "statement"


def confidence(
    *, precision: str, approximate: bool, actors: int, type_slug: str | None, hedged: bool = False
) -> float:
    """How much evidence a candidate has: a date (more for a precise one, less when
    approximate), one actor and more than one, a suggested type (little for "statement"), less
    when its first sentence conjectures ("if", "could", "may", "might")."""
    score = _DATE_WEIGHT.get(precision, 0.0)
    if hedged:
        score -= _HEDGE_PENALTY
    if precision and approximate:
        score -= _APPROXIMATE_PENALTY
    if actors >= 1:
        score += _ONE_ACTOR
    if actors >= 2:
        score += _MORE_ACTORS
    if type_slug == "statement":
        score += _STATEMENT_WEIGHT
    elif type_slug:
        score += _TYPE_WEIGHT
    return round(min(max(score, 0.0), 1.0), 2)


def _candidate(reading: _Reading) -> ExtractedCandidate:
    mention = reading.date
    candidate = ExtractedCandidate(
        sentence=" ".join(reading.texts),
        paragraph=reading.paragraph,
        start=mention.start if mention else None,
        end=mention.end if mention else None,
        precision=mention.precision if mention else "",
        approximate=mention.approximate if mention else False,
        actors=list(reading.actors),
        type=reading.type,
    )
    return replace(
        candidate,
        confidence=confidence(
            precision=candidate.precision,
            approximate=candidate.approximate,
            actors=len(candidate.actors),
            type_slug=candidate.type,
            hedged=bool(_HEDGE.search(reading.texts[0])),
        ),
    )
