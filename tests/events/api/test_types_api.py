"""/api/v1/types/: the taxonomy with its hierarchy and codes checked against the codebooks."""

from importlib import import_module

import pytest
from django.apps import apps

from events.models import ChangeStamp, EventType
from events.taxonomy import CAMEO_LABELS, PLOVER_LABELS

pytestmark = pytest.mark.django_db

URL = "/api/v1/types/"


def by_slug(client) -> dict[str, dict]:
    return {item["slug"]: item for item in client.get(URL).json()["results"]}


def test_it_lists_every_type_once_each_parent_before_its_subtypes(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.json()
    slugs = [item["slug"] for item in body["results"]]
    assert body["count"] == EventType.objects.count() == len(set(slugs))
    types = by_slug(client)
    assert types["summit"]["parent"] == "diplomacy" and types["summit"]["depth"] == 1
    assert set(types["diplomacy"]["subtypes"]) == {
        "summit",
        "bilateral-talks",
        "diplomatic-relations",
    }
    for child in types["diplomacy"]["subtypes"]:
        assert slugs.index(child) > slugs.index("diplomacy")
    assert types["un-vote"]["parent"] is None and types["un-vote"]["cameo"] is None


def test_codes_come_with_the_codebooks_labels(client):
    types = by_slug(client)
    assert types["bilateral-talks"]["cameo"] == {"code": "046", "label": "Engage in negotiation"}
    assert types["bilateral-talks"]["plover"]["code"] == "CONSULT"
    assert types["aid-suspension"]["cameo"] == {"code": "162", "label": "Reduce or stop aid"}
    assert types["aid-suspension"]["plover"]["code"] == "SANCTION"
    assert types["agreement"]["plover"]["code"] == "SUPPORT"


def test_no_type_carries_a_code_the_codebooks_do_not_have(client):
    for item in by_slug(client).values():
        if item["plover"]:
            assert item["plover"]["code"] in PLOVER_LABELS, item
            assert item["plover"]["label"]
        if item["cameo"]:
            assert item["cameo"]["code"] in CAMEO_LABELS, item
    codes = set(EventType.objects.values_list("plover_code", flat=True))
    assert "REDUCE" not in codes
    # CAMEO 064 is "Share intelligence or information", not diplomatic relations.
    assert EventType.objects.get(slug="diplomatic-relations").cameo_code != "064"


def test_the_migration_corrects_the_first_releases_codes_but_keeps_a_curators(client):
    EventType.objects.filter(slug="aid-suspension").update(plover_code="REDUCE")
    EventType.objects.filter(slug="diplomatic-relations").update(
        cameo_code="064", plover_code="COOPERATE"
    )
    EventType.objects.filter(slug="agreement").update(plover_code="AGREE", cameo_code="0571")
    ChangeStamp.bump(public=True)  # the rows exist in a database in use
    before = ChangeStamp.current().counter
    import_module("events.migrations.0011_taxonomy_codes").correct(apps, None)
    codes = dict(EventType.objects.values_list("slug", "plover_code"))
    assert codes["aid-suspension"] == "SANCTION"
    assert codes["diplomatic-relations"] == ""
    assert codes["agreement"] == "AGREE"  # set by hand (another CAMEO code): left alone
    assert ChangeStamp.current().counter > before  # cached answers are not served stale


def test_it_answers_304_to_its_etag(client):
    response = client.get(URL)
    again = client.get(URL, headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304
