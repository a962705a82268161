"""Events as PLOVER records, one JSON object a line (`export_data --format plover`).

PLOVER (Political Language Ontology for Verifiable Event Records, the Open Event Data
Alliance's successor to CAMEO: https://github.com/openeventdata/PLOVER, manual of 2021)
codes an event as a category, a `mode` (how) and a `context` (in which domain), between an
`actor` and a `recipient`, each a list of entities.

- `event`: the event type's PLOVER code (the taxonomy's `plover_code`), else its parent's.
  Codes of earlier PLOVER drafts are read as their successors (FIGHT → ASSAULT, DEMAND →
  REQUEST, DISAPPROVE → ACCUSE, and REDUCE, never a PLOVER category, → SANCTION). Events
  whose type has no PLOVER category (UN votes, statements, inaugurations: PLOVER dropped
  CAMEO's statements and has no vote) are left out.
- `mode` and `context`: from the event type (MODES, CONTEXTS below) and, for aid, the kind of
  each measure (military → `military`, financial → `economic`, humanitarian →
  `human_security`, intelligence → `intelligence`).
- `actor`: initiators, hosts, mediators, speakers, voters and plain participants;
  `recipient`: targets and subjects. Each entity: `actorText` (the name), `code` (ISO 3166
  alpha-3 for states, else our slug), `wikidata` where known.
- `date`: the start date; `datePrecision` and `dateEnd` say what PLOVER's single day cannot.
  `url`: the sources the event cites. `id`: `timeline:<slug>`.
"""

from collections.abc import Iterator

from events.choices import AidKind, ParticipantRole
from events.dataset.interchange import Reader, line
from events.dataset.records import Record

CATEGORIES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
SUCCESSORS = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "REDUCE": "SANCTION"}
# By event type slug: PLOVER modes (manual, tables of modes) and contexts (general contexts).
MODES = {"aid-suspension": ["withdraw"], "sanctions": ["discontinue"]}
CONTEXTS = {
    "diplomacy": ["diplomatic"],
    "summit": ["diplomatic"],
    "bilateral-talks": ["diplomatic"],
    "diplomatic-relations": ["diplomatic"],
    "agreement": ["diplomatic"],
    "sanctions": ["economic"],
    "military-action": ["military"],
    "inauguration-election": ["election"],
}
AID_CONTEXTS = {
    AidKind.MILITARY: "military",
    AidKind.FINANCIAL: "economic",
    AidKind.HUMANITARIAN: "human_security",
    AidKind.INTELLIGENCE: "intelligence",
}
RECIPIENT_ROLES = (ParticipantRole.TARGET, ParticipantRole.SUBJECT)


def category(type_slug: str, types: dict[str, Record]) -> str | None:
    """The PLOVER category of a type: its own code, else its nearest ancestor's."""
    seen = set()
    while type_slug and type_slug not in seen:
        seen.add(type_slug)
        event_type = types[type_slug]
        code = event_type["plover_code"].strip().upper()
        code = SUCCESSORS.get(code, code)
        if code in CATEGORIES:
            return code
        type_slug = event_type["parent"]
    return None


def entity(slug: str, actors: dict[str, Record]) -> dict:
    actor = actors[slug]
    found = {"actorText": actor["name"], "code": actor["iso3"] or slug}
    if actor["wikidata_id"]:
        found["wikidata"] = actor["wikidata_id"]
    return found


def plover_record(record: Record, event: str, actors: dict[str, Record]) -> dict:
    def side(roles_in: bool) -> list[dict]:
        slugs = []
        for part in record["participations"]:
            if (part["role"] in RECIPIENT_ROLES) == roles_in and part["actor"] not in slugs:
                slugs.append(part["actor"])
        return [entity(slug, actors) for slug in slugs]

    slug = record["event_type"]
    context = list(CONTEXTS.get(slug, []))
    for aid in record["aid_measures"]:
        extra = AID_CONTEXTS.get(aid["kind"])
        if extra and extra not in context:
            context.append(extra)
    found = {
        "id": f"timeline:{record['slug']}",
        "date": record["start_date"],
        "datePrecision": record["start_precision"],
        "dateEnd": record["end_date"],
        "event": event,
        "mode": MODES.get(slug, []),
        "context": context,
        "actor": side(False),
        "recipient": side(True),
        "eventText": record["title"],
        "text": record["summary"],
        "language": "en",
        "url": [
            citation["source"]
            for citation in record["citations"]
            if citation["source"].startswith(("http://", "https://"))
        ],
    }
    return found


def plover_lines(*, include_drafts: bool = False) -> Iterator[bytes]:
    reader = Reader(include_drafts=include_drafts)
    types: dict[str, Record] = {}
    for record in reader:
        if record["type"] == "event_type":
            types[record["slug"]] = record
        elif record["type"] == "event":
            event = category(record["event_type"], types)
            if event is not None:
                yield line(plover_record(record, event, reader.actors))
