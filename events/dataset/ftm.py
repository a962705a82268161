"""The dataset as FollowTheMoney entities, one JSON entity a line (`export_data --format ftm`).

The format of Aleph, OpenSanctions and the investigative tools built on them
(https://followthemoney.tech/explorer/). Mapping:

- actors: a person is a `Person`; a state, an organ of an organisation and a government body
  a `PublicBody` (a state with its country as `jurisdiction`); a company a `Company`; every
  other actor (international organisations, parties, armed groups, NGOs) an `Organization`.
  Aliases and the short name are `alias`, the parent organisation `parent`.
- posts: a `Position` (the title in the organisation, one per organisation and title) and an
  `Occupancy` of it by the person, with its dates.
- sources: an `Article`, FtM's `Document` of published prose (title, URL, publisher,
  authors, publication date, language); a plain `Document` stands for a file and requires
  its file name, which a cited source does not have.
- events: an `Event` (dates cut to their precision, participants as `involved`, initiators
  as `organizer`, the location country), and one `Documentation` linking it to each source
  it cites (the stance as `role`, the quote as `summary`).

Ids are `tl-<kind>-<slug>`, or a digest of the natural key where there is no slug, so the
same dataset always gives the same entities. Not lossless (votes and aid measures have no
FtM schema here): the JSONL export is the lossless form.
"""

from collections.abc import Iterator

from events.choices import ActorKind, ParticipantRole
from events.dataset.interchange import (
    Reader,
    alpha2,
    digest,
    language_639_3,
    line,
    lines_of,
    partial_date,
)
from events.dataset.records import Record

PUBLIC_BODY_KINDS = (ActorKind.STATE, ActorKind.ORGAN, ActorKind.GOVERNMENT_BODY)


def actor_id(slug: str) -> str:
    return f"tl-actor-{slug}"


def source_id(key: str) -> str:
    return f"tl-source-{digest(key)}"


def event_id(slug: str) -> str:
    return f"tl-event-{slug}"


def entity(entity_id: str, schema: str, **properties) -> dict:
    """An entity with only the properties that have values, each a list of strings."""
    values = {}
    for name, value in properties.items():
        items = value if isinstance(value, list) else [value]
        items = [str(item) for item in items if item not in (None, "")]
        if items:
            values[name] = items
    return {"id": entity_id, "schema": schema, "properties": values}


def actor_schema(kind: str) -> str:
    if kind == ActorKind.PERSON:
        return "Person"
    if kind in PUBLIC_BODY_KINDS:
        return "PublicBody"
    if kind == ActorKind.COMPANY:
        return "Company"
    return "Organization"


def actor_entity(record: Record) -> dict:
    schema = actor_schema(record["kind"])
    aliases = [record["short_name"], *lines_of(record["aliases"])]
    properties = {
        "name": record["name"],
        "alias": [a for a in dict.fromkeys(aliases) if a and a != record["name"]],
        "wikidataId": record["wikidata_id"],
        "description": record["description"],
    }
    if schema != "Person":
        properties["parent"] = actor_id(record["parent"]) if record["parent"] else None
        properties["jurisdiction"] = alpha2(record["iso3"])
    return entity(actor_id(record["slug"]), schema, **properties)


def post_entities(record: Record) -> list[dict]:
    position = f"tl-position-{digest(record['organisation'], record['title'])}"
    occupancy = digest(
        record["person"],
        record["organisation"],
        record["title"],
        record["start_date"] or "",
    )
    return [
        entity(
            position,
            "Position",
            name=record["title"],
            organization=actor_id(record["organisation"]),
        ),
        entity(
            f"tl-occupancy-{occupancy}",
            "Occupancy",
            holder=actor_id(record["person"]),
            post=position,
            startDate=record["start_date"],
            endDate=record["end_date"],
        ),
    ]


def source_entity(record: Record) -> dict:
    return entity(
        source_id(record["key"]),
        "Article",
        title=record["title"],
        sourceUrl=record["url"],
        publisher=record["publisher"],
        author=lines_of(record["authors"]),
        publishedAt=partial_date(record["published_on"], record["published_precision"]),
        language=language_639_3(record["language"]),
    )


def event_entities(record: Record, actors: dict[str, Record]) -> list[dict]:
    country = actors.get(record["location_country"] or "")
    participants = [part["actor"] for part in record["participations"]]
    initiators = [
        part["actor"]
        for part in record["participations"]
        if part["role"] == ParticipantRole.INITIATOR
    ]
    entities = [
        entity(
            event_id(record["slug"]),
            "Event",
            name=record["title"],
            summary=record["summary"],
            startDate=partial_date(record["start_date"], record["start_precision"]),
            endDate=partial_date(record["end_date"], record["end_precision"]),
            involved=sorted({actor_id(slug) for slug in participants}),
            organizer=sorted({actor_id(slug) for slug in initiators}),
            country=alpha2(country["iso3"]) if country else None,
            location=record["location_name"],
        )
    ]
    for citation in record["citations"]:
        key = digest(record["slug"], citation["source"], citation["locator"])
        entities.append(
            entity(
                f"tl-documentation-{key}",
                "Documentation",
                document=source_id(citation["source"]),
                entity=event_id(record["slug"]),
                role=citation["stance"],
                summary=citation["quote"],
            )
        )
    return entities


def ftm_lines(*, include_drafts: bool = False) -> Iterator[bytes]:
    reader = Reader(include_drafts=include_drafts)
    positions: set[str] = set()
    for record in reader:
        kind = record["type"]
        if kind == "actor":
            yield line(actor_entity(record))
        elif kind == "post":
            position, occupancy = post_entities(record)
            if position["id"] not in positions:  # one Position per organisation and title
                positions.add(position["id"])
                yield line(position)
            yield line(occupancy)
        elif kind == "source":
            yield line(source_entity(record))
        elif kind == "event":
            for item in event_entities(record, reader.actors):
                yield line(item)
