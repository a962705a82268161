"""How well the extractor does: precision and recall on a labelled set of articles.

The set lives in tests/data/ingestion/ (labels.json says what each article reports; the
articles were written for the project about real events). Run it with

    DEBUG=1 python -m events.ingestion.quality            # actors from the demo data file
    DEBUG=1 python -m events.ingestion.quality --database # actors as curators have them now
    DEBUG=1 python -m events.ingestion.quality --verbose  # and every candidate and miss

How each figure is counted (docs/ingestion.md, "How well the extractor does"):
- a candidate is about a labelled event when its sentence contains one of the event's
  mentions; candidates about no labelled event are false positives;
- candidates: precision = candidates about an event / candidates; recall = events with at
  least one candidate / events;
- dates: precision = candidates whose date (start, end, precision) is the event's / candidates
  with a date; recall = events whose date some candidate has / events with a date;
- actors: precision = named actors that the event involves / actors named by candidates;
  recall = the event's actors named by some candidate / the events' actors;
- types: precision = candidates with the event's type / candidates with a type; recall =
  events whose type some candidate has / events.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from events.ingestion.extraction import ExtractedCandidate, extract_candidates
from events.ingestion.gazetteer import ActorNames, Gazetteer, iso_names
from events.ingestion.lexicon import Lexicon, default_lexicon

LABELLED_SET = Path(__file__).resolve().parents[2] / "tests" / "data" / "ingestion"
METRICS = ("candidates", "dates", "actors", "types")


@dataclass(frozen=True)
class LabelledEvent:
    about: str
    mentions: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    precision: str | None
    actors: frozenset[str]
    type: str | None

    def told_by(self, candidate: ExtractedCandidate) -> int | None:
        """Where in the candidate's sentence this event is told, or None."""
        text = " ".join(candidate.sentence.split())
        places = [text.find(" ".join(m.split())) for m in self.mentions]
        places = [place for place in places if place >= 0]
        return min(places) if places else None

    def dated_as(self, candidate: ExtractedCandidate) -> bool:
        return self.start is not None and (candidate.start, candidate.end, candidate.precision) == (
            self.start,
            self.end,
            self.precision,
        )


@dataclass(frozen=True)
class LabelledArticle:
    file: str
    title: str
    published: dt.date
    text: str
    events: tuple[LabelledEvent, ...]


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def __str__(self) -> str:
        value = self.value
        shown = "–" if value is None else f"{value:.2f}"
        return f"{shown} ({self.hits}/{self.total})"


@dataclass
class Scores:
    """Precision and recall of each metric, counted over the whole set."""

    precision: dict[str, Ratio] = field(default_factory=lambda: {m: Ratio() for m in METRICS})
    recall: dict[str, Ratio] = field(default_factory=lambda: {m: Ratio() for m in METRICS})
    articles: int = 0

    def as_dict(self) -> dict[str, dict[str, float | None]]:
        return {
            metric: {"precision": self.precision[metric].value, "recall": self.recall[metric].value}
            for metric in METRICS
        }

    def table(self) -> str:
        lines = [
            f"{self.articles} articles, {self.recall['candidates'].total} labelled events",
            "",
            "| what | precision | recall |",
            "|---|---|---|",
        ]
        for metric in METRICS:
            lines.append(f"| {metric} | {self.precision[metric]} | {self.recall[metric]} |")
        return "\n".join(lines)


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def load_labelled_set(directory: Path = LABELLED_SET) -> list[LabelledArticle]:
    data = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
    return [
        LabelledArticle(
            file=article["file"],
            title=article["title"],
            published=dt.date.fromisoformat(article["published"]),
            text=(directory / article["file"]).read_text(encoding="utf-8"),
            events=tuple(
                LabelledEvent(
                    about=event["about"],
                    mentions=tuple(event["mentions"]),
                    start=_day(event["start"]),
                    end=_day(event["end"]),
                    precision=event["precision"],
                    actors=frozenset(event["actors"]),
                    type=event["type"],
                )
                for event in article["events"]
            ),
        )
        for article in data["articles"]
    ]


def score(
    articles: list[LabelledArticle],
    *,
    gazetteer: Gazetteer,
    lexicon: Lexicon | None = None,
    log: Callable[[str], object] | None = None,
) -> Scores:
    """Run the extractor on every article and count its hits (see the module docstring).

    `log`, when given, receives a line for each candidate and each missed event.
    """
    lexicon = lexicon or default_lexicon()
    scores = Scores(articles=len(articles))
    p, r = scores.precision, scores.recall
    for article in articles:
        candidates = extract_candidates(
            article.text,
            published=article.published,
            title=article.title,
            gazetteer=gazetteer,
            lexicon=lexicon,
        )
        told: dict[int, list[ExtractedCandidate]] = {i: [] for i in range(len(article.events))}
        for candidate in candidates:
            event_index = _event_of(candidate, article.events)
            event = article.events[event_index] if event_index is not None else None
            if event_index is not None:
                told[event_index].append(candidate)
            p["candidates"].total += 1
            p["candidates"].hits += event is not None
            if candidate.start is not None:
                p["dates"].total += 1
                p["dates"].hits += bool(event and event.dated_as(candidate))
            p["actors"].total += len(candidate.actors)
            p["actors"].hits += len(set(candidate.actors) & event.actors) if event else 0
            if candidate.type is not None:
                p["types"].total += 1
                p["types"].hits += bool(event and candidate.type == event.type)
            if log:
                log(_describe(article, candidate, event))
        for index, event in enumerate(article.events):
            found = told[index]
            r["candidates"].total += 1
            r["candidates"].hits += bool(found)
            if log and not found:
                log(f"{article.file}: MISSED {event.about}")
            if event.start is not None:
                r["dates"].total += 1
                r["dates"].hits += any(event.dated_as(candidate) for candidate in found)
            named = {slug for candidate in found for slug in candidate.actors}
            r["actors"].total += len(event.actors)
            r["actors"].hits += len(named & event.actors)
            if event.type is not None:
                r["types"].total += 1
                r["types"].hits += any(candidate.type == event.type for candidate in found)
    return scores


def _describe(
    article: LabelledArticle, candidate: ExtractedCandidate, event: LabelledEvent | None
) -> str:
    if event is None:
        verdict = "NOT AN EVENT"
    else:
        wrong = [
            what
            for what, right in (
                ("date", event.start is None or event.dated_as(candidate)),
                ("actors", set(candidate.actors) == event.actors),
                ("type", candidate.type == event.type),
            )
            if not right
        ]
        verdict = f"{event.about}" + (f" (differs: {', '.join(wrong)})" if wrong else "")
    date = f"{candidate.start}/{candidate.end} {candidate.precision}" if candidate.start else "-"
    return (
        f"{article.file} ¶{candidate.paragraph}: {verdict}\n"
        f"    {date} {candidate.actors} {candidate.type} {candidate.confidence}: "
        f"{candidate.sentence[:100]}"
    )


def _event_of(candidate: ExtractedCandidate, events: tuple[LabelledEvent, ...]) -> int | None:
    """The labelled event a candidate tells first, or None."""
    places = [(event.told_by(candidate), index) for index, event in enumerate(events)]
    places = [(place, index) for place, index in places if place is not None]
    return min(places)[1] if places else None


def demo_gazetteer() -> Gazetteer:
    """The gazetteer of the demo data file as shipped (no database needed): reproducible."""
    from events.demo.loader import DATA_FILE

    data = tomllib.loads(DATA_FILE.read_text(encoding="utf-8"))
    return Gazetteer(
        ActorNames(
            actor["slug"],
            (
                actor["name"],
                actor.get("short_name", ""),
                *actor.get("aliases", []),
                *iso_names(actor.get("iso3")),
            ),
        )
        for actor in data["actors"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m events.ingestion.quality", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--database",
        action="store_true",
        help="Use the actors and aliases in the database (as curators edited them) instead of "
        "the demo data file.",
    )
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument(
        "--verbose",
        action="store_true",
        help="Also print every candidate (with the labelled event it is about, if any, and "
        "what differs) and every missed event.",
    )
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "timeline.settings")
    import django

    django.setup()
    gazetteer = Gazetteer.from_database() if options.database else demo_gazetteer()
    if not len(gazetteer):
        print("No actors in the database: run `manage.py load_demo` first.", file=sys.stderr)
        return 1
    scores = score(load_labelled_set(), gazetteer=gazetteer, log=print if options.verbose else None)
    print(json.dumps(scores.as_dict(), indent=2) if options.json else scores.table())
    return 0


if __name__ == "__main__":
    sys.exit(main())
