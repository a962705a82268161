"""The whole path with the real extractor (no stand-in): the article's actors and dates as the
gazetteer and the publication date read them."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("actors")]


def test_the_command_prints_what_the_extractor_found(server):
    out = StringIO()
    call_command("ingest", f"{server}/article", "--json", stdout=out)
    printed = json.loads(out.getvalue())
    pause = next(c for c in printed if "paused all military aid" in c["sentence"])
    assert pause["date"] == "2025-03-03"  # "on Monday", before Tuesday 4 March
    assert set(pause["actors"]) >= {"ukraine", "united-states"}
    vote = next(c for c in printed if "Feb. 24" in c["sentence"])
    assert (vote["date"], vote["precision"]) == ("2025-02-24", "day")
