"""Popolo, PLOVER and FollowTheMoney exports validate against their reference definitions:
FtM's own model, and the Popolo and PLOVER JSON schemas written from their specifications
(tests/data/popolo, tests/data/plover)."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.core.management import call_command
from followthemoney import model

from events.dataset.ftm import ftm_lines
from events.dataset.plover import plover_lines
from events.dataset.popolo import popolo_lines

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "data"


def schema(name: str) -> jsonschema.Draft202012Validator:
    loaded = json.loads((DATA / name).read_text())
    jsonschema.Draft202012Validator.check_schema(loaded)
    return jsonschema.Draft202012Validator(
        loaded, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def lines(chunks) -> list[dict]:
    return [json.loads(line) for line in b"".join(chunks).splitlines()]


@pytest.mark.parametrize("include_drafts", [False, True])
def test_the_popolo_document_validates_and_every_voter_is_an_organization(
    export_dataset, include_drafts
):
    document = json.loads(b"".join(popolo_lines(include_drafts=include_drafts)))
    schema("popolo/popolo.schema.json").validate(document)
    organizations = {org["id"] for org in document["organizations"]}
    persons = {person["id"] for person in document["persons"]}
    (vote,) = document["vote_events"]
    assert vote["organization_id"] == "un-ga" in organizations
    assert vote["counts"] == [
        {"option": "yes", "value": 1},
        {"option": "no", "value": 1},
        {"option": "abstain", "value": 0},
        {"option": "not voting", "value": 0},
    ]
    assert vote["votes"] == [
        {"voter_id": "a-beta", "option": "no"},
        {"voter_id": "alpha", "option": "yes"},
    ]
    assert {v["voter_id"] for v in vote["votes"]} <= organizations
    assert vote["result"] == "fail"
    (membership,) = document["memberships"]
    assert membership["person_id"] in persons and membership["organization_id"] in organizations
    assert ("secret-state" in organizations) is include_drafts


def test_an_empty_dataset_is_a_valid_popolo_document(db):
    schema("popolo/popolo.schema.json").validate(json.loads(b"".join(popolo_lines())))


def test_a_popolo_schema_violation_is_caught(export_dataset):
    document = json.loads(b"".join(popolo_lines()))
    document["vote_events"][0]["counts"][0]["option"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        schema("popolo/popolo.schema.json").validate(document)


def test_every_plover_record_validates_with_category_mode_and_context(export_dataset):
    validator = schema("plover/plover-event.schema.json")
    records = {r["id"]: r for r in lines(plover_lines(include_drafts=True))}
    for record in records.values():
        validator.validate(record)
    aid = records["timeline:aid-pause"]
    # aid-suspension is coded REDUCE in the seeded taxonomy: not a PLOVER category.
    assert (aid["event"], aid["mode"], aid["context"]) == ("SANCTION", ["withdraw"], ["military"])
    assert aid["actor"] == aid["recipient"] == []  # the aid event has no participants
    assert "timeline:a-vote" not in records  # PLOVER has no category for a vote
    summit = records["timeline:summit"]
    assert summit["event"] == "CONSULT"
    assert summit["context"] == ["diplomatic"]
    assert {e["actorText"] for e in summit["actor"]} == {"Zed", "Alphaland"}


def test_the_default_plover_export_holds_no_draft(export_dataset):
    data = b"".join(plover_lines())
    assert b"draft-plan" not in data and b"Secret" not in data


def ftm_entities(**options) -> list[dict]:
    return lines(ftm_lines(**options))


@pytest.mark.parametrize("include_drafts", [False, True])
def test_every_ftm_entity_is_valid_in_the_followthemoney_model(export_dataset, include_drafts):
    entities = ftm_entities(include_drafts=include_drafts)
    ids = [entity["id"] for entity in entities]
    assert len(ids) == len(set(ids))
    for entity in entities:
        schema_ = model.get(entity["schema"])
        assert schema_ is not None, entity
        assert set(entity["properties"]) <= set(schema_.properties), entity
        assert schema_.validate(entity) is None
        assert set(schema_.required) <= set(entity["properties"]), entity
        # Values are already as FtM cleans them: reading them back changes nothing.
        proxy = model.get_proxy(entity, cleaned=False)
        for name, values in entity["properties"].items():
            assert sorted(proxy.get(name)) == sorted(values), (entity["id"], name)
            prop = schema_.get(name)
            if prop.type.name == "entity":  # references point at entities in the file
                assert set(values) <= set(ids), (entity["id"], name, values)
                for value in values:
                    target = model.get(entities[ids.index(value)]["schema"])
                    assert target.is_a(prop.range), (entity["id"], name, target)


def test_ftm_maps_actors_posts_sources_and_events_to_their_schemas(export_dataset):
    by_id = {entity["id"]: entity for entity in ftm_entities()}
    assert by_id["tl-actor-Zed-person"]["schema"] == "Person"
    assert by_id["tl-actor-alpha"]["schema"] == "PublicBody"
    assert by_id["tl-actor-un"]["schema"] == "Organization"
    schemas = {entity["schema"] for entity in by_id.values()}
    assert {"Position", "Occupancy", "Article", "Documentation", "Event"} <= schemas
    summit = by_id["tl-event-summit"]["properties"]
    assert summit["startDate"] == ["2025-02-18"]
    assert set(summit["involved"]) == {"tl-actor-Zed-person", "tl-actor-alpha"}
    assert summit["organizer"] == ["tl-actor-Zed-person"]
    assert "tl-event-draft-plan" not in by_id


@pytest.mark.parametrize("form", ["popolo", "plover", "ftm"])
def test_the_command_writes_each_format_the_same_way_twice(export_dataset, form, tmp_path):
    first, second = tmp_path / "1", tmp_path / "2"
    call_command("export_data", "--format", form, "-o", str(first))
    call_command("export_data", "--format", form, "-o", str(second))
    assert first.read_bytes() == second.read_bytes() != b""
