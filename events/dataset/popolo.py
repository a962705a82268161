"""Recorded votes as Popolo (`export_data --format popolo`): https://www.popoloproject.com/

One JSON document: `organizations` (every actor that is not a person: the voting bodies and
the member states that vote, with their parent organisation, ISO and Wikidata identifiers),
`persons`, `memberships` (the posts people hold) and `vote_events` (one per vote record:
the body as `organization_id`, counts per option, each member's vote with the member as
`voter_id`, the event's sources). Options are Popolo's: yes, no, abstain, and `not voting`
for our non-voting; results `pass` (adopted) or `fail` (rejected or vetoed).

Streamed: actors and posts (thousands) are held until the events start; vote events are
written one at a time.
"""

from collections.abc import Iterator

import orjson

from events.choices import ActorKind, VoteOption, VoteResult
from events.dataset.interchange import Reader, lines_of
from events.dataset.records import Record

OPTIONS = {
    VoteOption.YES: "yes",
    VoteOption.NO: "no",
    VoteOption.ABSTAIN: "abstain",
    VoteOption.NON_VOTING: "not voting",
}
COUNT_FIELDS = {
    "yes": "yes_count",
    "no": "no_count",
    "abstain": "abstain_count",
    "not voting": "non_voting_count",
}
RESULTS = {VoteResult.ADOPTED: "pass", VoteResult.REJECTED: "fail", VoteResult.VETOED: "fail"}


def dumps(obj) -> bytes:
    return orjson.dumps(obj, option=orjson.OPT_UTC_Z)


def identifiers(record: Record) -> list[dict]:
    found = [{"scheme": "timeline", "identifier": record["slug"]}]
    if record["iso3"]:
        found.append({"scheme": "iso-3166-1-alpha-3", "identifier": record["iso3"]})
    if record["wikidata_id"]:
        found.append({"scheme": "wikidata", "identifier": record["wikidata_id"]})
    return found


def other_names(record: Record) -> list[dict]:
    names = [record["short_name"], *lines_of(record["aliases"])]
    return [{"name": name} for name in dict.fromkeys(names) if name and name != record["name"]]


def organization(record: Record) -> dict:
    found = {
        "id": record["slug"],
        "name": record["name"],
        "classification": record["kind"],
        "identifiers": identifiers(record),
        "other_names": other_names(record),
    }
    if record["parent"]:
        found["parent_id"] = record["parent"]
    return found


def person(record: Record) -> dict:
    return {
        "id": record["slug"],
        "name": record["name"],
        "identifiers": identifiers(record),
        "other_names": other_names(record),
    }


def membership(record: Record) -> dict:
    found = {
        "person_id": record["person"],
        "organization_id": record["organisation"],
        "role": record["title"],
    }
    if record["start_date"]:
        found["start_date"] = record["start_date"]
    if record["end_date"]:
        found["end_date"] = record["end_date"]
    return found


def vote_event(record: Record) -> dict:
    vote = record["vote_record"]
    counts = [
        {"option": option, "value": vote[field]}
        for option, field in COUNT_FIELDS.items()
        if vote[field] is not None
    ]
    found = {
        "id": vote["document_symbol"] or record["slug"],
        "identifier": vote["document_symbol"] or "",
        "motion": {"text": vote["title"], "identifier": vote["draft_symbol"] or ""},
        "organization_id": vote["body"],
        "start_date": record["start_date"],
        "result": RESULTS[vote["result"]],
        "counts": counts,
        "votes": [
            {"voter_id": part["actor"], "option": OPTIONS[part["option"]]} for part in vote["roll"]
        ],
        "sources": [
            {"url": citation["source"]}
            for citation in record["citations"]
            if citation["source"].startswith(("http://", "https://"))
        ],
    }
    return found


def popolo_lines(*, include_drafts: bool = False) -> Iterator[bytes]:
    reader = Reader(include_drafts=include_drafts)
    posts: list[Record] = []
    started = False
    first_vote = True
    for record in reader:
        if record["type"] == "post":
            posts.append(record)
        elif record["type"] == "event" and record["vote_record"]:
            if not started:
                started = True
                yield _head(reader.actors, posts)
            yield (b"" if first_vote else b",\n") + dumps(vote_event(record))
            first_vote = False
    if not started:
        yield _head(reader.actors, posts)
    yield b"\n]}\n"


def _head(actors: dict[str, Record], posts: list[Record]) -> bytes:
    organizations = [organization(a) for a in actors.values() if a["kind"] != ActorKind.PERSON]
    persons = [person(a) for a in actors.values() if a["kind"] == ActorKind.PERSON]
    head = b'{"organizations":' + dumps(organizations)
    head += b',"persons":' + dumps(persons)
    head += b',"memberships":' + dumps([membership(post) for post in posts])
    return head + b',"vote_events":[\n'
