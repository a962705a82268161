import copy
import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from reversion.models import Revision, Version

from events.choices import (
    ActorKind,
    AidAction,
    AidKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    SourceKind,
    TimelineStatus,
    Verification,
    VoteOption,
)
from events.demo.loader import DEMO_DIR, DemoDataError, DemoLoader
from events.models import (
    Actor,
    AidMeasure,
    ChangeStamp,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)
from tests.factories import UserFactory

ARTICLE_REFERENCE = "seed:000_45403a001ff315a8"
TIMELINE_SLUG = "us-shift-toward-russia-2025"

EXPECTED_COUNTS = {
    Actor: 17,
    Role: 8,
    Source: 7,
    Event: 20,
    Participation: 59,
    Citation: 21,
    EventRelation: 8,
    VoteRecord: 6,
    CountryVote: 16,
    AidMeasure: 5,
    Timeline: 1,
    TimelineEntry: 10,
}

DRAFTS = {
    "biden-signs-ukraine-supplemental-2024",
    "trump-putin-phone-call-2025-02-12",
    "us-russia-talks-istanbul-2025-02-27",
    "us-pauses-intelligence-sharing-with-ukraine",
    "jeddah-talks-us-resumes-aid-2025-03-11",
    "trump-putin-summit-anchorage-2025",
}

# The article's six headed sections in order (it numbers none); each caption quotes a heading.
TIMELINE_ORDER = [
    (
        "trump-says-ukraine-should-compensate-us-for-aid",
        "A Shift in U.S. Foreign Policy Under Trump",
    ),
    ("unga-es-11-7-us-votes-with-russia", "The U.S. Vote Against a Resolution Condemning Russia"),
    ("unga-es-11-8-us-abstains", "The U.S. Vote Against a Resolution Condemning Russia"),
    ("unsc-resolution-2774-2025", "The U.S. Vote Against a Resolution Condemning Russia"),
    ("us-pauses-military-aid-to-ukraine", "Halting Military Aid to Ukraine"),
    ("trump-says-ukraine-should-never-have-started-it", "Blaming Ukraine for the War"),
    ("trump-zelensky-oval-office-clash", "Blaming Ukraine for the War"),
    ("us-russia-talks-riyadh-2025-02-18", "Rebuilding U.S.-Russia Diplomatic Ties"),
    ("zelensky-says-ukraine-would-need-nuclear-weapons", "Rejecting Ukraine’s Nuclear Aspirations"),
    ("rubio-dismisses-ukraine-nuclear-aspirations", "Rejecting Ukraine’s Nuclear Aspirations"),
]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in EXPECTED_COUNTS}


def history_counts() -> dict:
    return {"revisions": Revision.objects.count(), "versions": Version.objects.count()}


@pytest.fixture
def demo(db):
    load_demo()
    return Timeline.objects.get(slug=TIMELINE_SLUG)


def test_loading_twice_yields_exactly_the_expected_rows_and_changes_nothing_the_second_time(db):
    first = load_demo()
    assert counts() == EXPECTED_COUNTS
    assert Event.objects.filter(status=EventStatus.PUBLISHED).count() == 14
    assert set(Event.objects.filter(status=EventStatus.DRAFT).values_list("slug", flat=True)) == (
        DRAFTS
    )
    assert "Demo timeline loaded." in first
    assert "events: 20 (20 created, 0 updated)" in first
    history, stamp = history_counts(), ChangeStamp.current().counter

    second = load_demo()

    assert counts() == EXPECTED_COUNTS
    assert history_counts() == history
    assert ChangeStamp.current().counter == stamp
    assert "already up to date" in second
    assert "events: 20 (0 created, 0 updated)" in second


def test_every_row_is_in_one_revision_with_the_reason_and_the_given_user(db):
    loader = UserFactory(username="loader")

    load_demo("--user", "loader")

    (revision,) = Revision.objects.all()
    assert (revision.user, revision.comment) == (loader, "load_demo")
    for model in EXPECTED_COUNTS:
        recorded = Version.objects.get_for_model(model).filter(revision=revision)
        assert recorded.count() == EXPECTED_COUNTS[model], model
    assert Event.objects.filter(created_by=loader, updated_by=loader).count() == 20


def test_history_has_no_user_by_default(demo):
    assert list(Revision.objects.values_list("user", flat=True)) == [None]


def test_an_unknown_user_is_refused_before_anything_is_written(db):
    with pytest.raises(CommandError, match="No user named “nobody”"):
        load_demo("--user", "nobody")
    assert Event.objects.count() == 0


def test_a_curators_edit_to_a_demo_row_is_kept_and_named_never_duplicated(demo):
    event = Event.objects.get(slug="us-pauses-military-aid-to-ukraine")
    event.title = "Edited by a curator"
    event.save()
    Actor.objects.filter(slug="marco-rubio").update(aliases="")
    Actor.objects.filter(slug="ukraine").update(slug="ukraine-renamed")

    out = load_demo()

    assert counts() == EXPECTED_COUNTS
    assert Event.objects.get(pk=event.pk).title == "Edited by a curator"
    assert Actor.objects.get(slug="marco-rubio").aliases == ""
    assert Actor.objects.get(iso3="UKR").slug == "ukraine-renamed"  # found by its ISO code
    assert "events: 20 (0 created, 0 updated, 1 kept as edited)" in out
    assert "actors: 17 (0 created, 0 updated, 2 kept as edited)" in out
    assert "Kept as a curator left them (edited since the demo loaded them):" in out
    assert "event “Edited by a curator”" in out
    assert "actor “Marco Rubio”" in out


def test_a_demo_row_nobody_edited_follows_the_file(db, monkeypatch):
    import tomllib

    from events.demo.loader import DATA_FILE

    data = tomllib.loads(DATA_FILE.read_text())
    DemoLoader(copy.deepcopy(data)).run()
    slug = "us-pauses-military-aid-to-ukraine"
    spec = next(spec for spec in data["events"] if spec["slug"] == slug)
    spec["title"] = "A corrected title from the file"

    report = DemoLoader(data).run()

    assert Event.objects.get(slug=slug).title == "A corrected title from the file"
    assert report.updated == {"events": 1} and report.kept == []


def test_a_row_the_demo_never_loaded_is_not_overwritten(db):
    from tests.factories import StateFactory

    StateFactory(slug="ukraine", name="Ukraine (a curator's own row)", iso3="UKR")
    out = load_demo()
    assert Actor.objects.get(slug="ukraine").name == "Ukraine (a curator's own row)"
    assert "actor “Ukraine (a curator's own row)”" in out


def test_the_load_is_all_or_nothing(db):
    data = DemoLoader.from_file().data
    broken = copy.deepcopy(data)
    broken["timelines"][0]["entries"].append({"event": "trump-putin-summit-anchorage-2025"})

    with pytest.raises(DemoDataError, match="is not published"):
        DemoLoader(broken).run()

    assert counts() == dict.fromkeys(EXPECTED_COUNTS, 0)


def test_a_quote_that_is_not_verbatim_in_the_article_is_refused(db):
    data = copy.deepcopy(DemoLoader.from_file().data)
    rubio = next(e for e in data["events"] if e["slug"].startswith("rubio"))
    rubio["citations"][0]["quote"] = "Marco Rubio dismissed the idea."

    with pytest.raises(DemoDataError, match="not verbatim"):
        DemoLoader(data).run()
    assert Event.objects.count() == 0


def test_publishing_without_a_supporting_citation_is_refused(db):
    data = copy.deepcopy(DemoLoader.from_file().data)
    rubio = next(e for e in data["events"] if e["slug"].startswith("rubio"))
    rubio["citations"][0]["stance"] = "context"

    with pytest.raises(DemoDataError, match="rubio-dismisses-ukraine-nuclear-aspirations"):
        DemoLoader(data).run()


def test_a_row_only_the_database_refuses_is_reported_and_nothing_is_written(db):
    data = copy.deepcopy(DemoLoader.from_file().data)
    rubio = next(e for e in data["events"] if e["slug"].startswith("rubio"))
    rubio["relations"] = [{"kind": "follows", "event": rubio["slug"]}]

    with pytest.raises(DemoDataError, match="the database refused a row"):
        DemoLoader(data).run()
    assert Actor.objects.count() == 0


def test_the_command_reports_bad_data_without_writing(db, monkeypatch):
    data = copy.deepcopy(DemoLoader.from_file().data)
    data["actors"][0]["iso3"] = "XXX"
    monkeypatch.setattr(DemoLoader, "from_file", classmethod(lambda cls, *a, **k: cls(data)))

    with pytest.raises(CommandError, match="nothing was written"):
        load_demo()
    assert Source.objects.count() == 0


def test_the_timeline_lists_only_published_events_in_the_articles_order(demo):
    assert demo.title == "Signs of a US shift toward Russia (2025)"
    assert demo.status == TimelineStatus.PUBLISHED
    assert "5 Signs America Is Now Supporting Russia" in demo.description
    entries = list(demo.entries.select_related("event").order_by("position"))

    assert [entry.event.slug for entry in entries] == [slug for slug, _ in TIMELINE_ORDER]
    for entry, (_, heading) in zip(entries, TIMELINE_ORDER, strict=True):
        assert entry.caption.startswith(heading)
    article = Source.objects.get(reference=ARTICLE_REFERENCE).full_text
    headings = {line.strip() for line in article.splitlines()}
    assert {heading for _, heading in TIMELINE_ORDER} <= headings
    assert not any("Sign " in entry.caption for entry in entries)
    public = set(Event.objects.public().values_list("pk", flat=True))
    assert all(entry.event_id in public for entry in entries)


def test_every_published_event_has_a_supporting_citation(demo):
    published = Event.objects.published()
    assert published.count() == 14
    assert published.with_supporting_citation().count() == 14
    assert not Event.objects.filter(slug__in=DRAFTS).with_supporting_citation().exists()


def test_every_quote_from_the_article_is_verbatim_and_located_by_its_heading(demo):
    article = Source.objects.get(reference=ARTICLE_REFERENCE)
    headings = {line.strip() for line in article.full_text.splitlines()}
    citations = Citation.objects.filter(source=article)
    assert citations.count() == 15
    for citation in citations:
        assert citation.quote in article.full_text
        assert citation.locator.removesuffix(" (photo caption)") in headings


def test_nothing_is_confirmed_without_a_source_independent_of_the_article(demo):
    # The article confirms nothing of its own; the UN texts state no tallies and no voting
    # record is entered yet: every published event is "reported", the drafts "unverified".
    by_slug = dict(Event.objects.values_list("slug", "verification"))
    assert {s for s, v in by_slug.items() if v == Verification.UNVERIFIED} == DRAFTS
    assert {s for s, v in by_slug.items() if v == Verification.REPORTED} == set(by_slug) - DRAFTS
    for citation in Citation.objects.filter(source__kind=SourceKind.OFFICIAL_DOCUMENT):
        assert "does not state the tally" in citation.note


def test_confirmed_without_an_independent_source_is_refused(db):
    data = copy.deepcopy(DemoLoader.from_file().data)
    rubio = next(e for e in data["events"] if e["slug"].startswith("rubio"))
    rubio["verification"] = "confirmed"

    with pytest.raises(DemoDataError, match=r"independent of the article.*rubio-dismisses"):
        DemoLoader(data).run()
    assert Event.objects.count() == 0


def test_published_texts_leave_out_what_their_sources_do_not_say(demo):
    texts = " ".join(
        f"{title} {summary} {location}"
        for title, summary, location in Event.objects.published().values_list(
            "title", "summary", "location_name"
        )
    )
    for unsourced in ("500 billion", "minerals", "Riyadh", "never started it", "anniversary"):
        assert unsourced not in texts
    blame = Event.objects.get(slug="trump-says-ukraine-should-never-have-started-it")
    assert blame.title == "Trump suggests Ukraine is partly responsible for the war"
    riyadh = Event.objects.get(slug="us-russia-talks-riyadh-2025-02-18")
    assert set(riyadh.participations.values_list("actor__slug", flat=True)) == {
        "united-states",
        "russia",
    }


def test_month_precision_events_store_the_first_day_and_never_show_it(demo):
    month_events = Event.objects.filter(start_precision=DatePrecision.MONTH).order_by("date_lower")
    assert [(e.start_date, e.display_date, e.edtf) for e in month_events] == [
        (dt.date(2025, 2, 1), "Feb 2025", "2025-02"),
        (dt.date(2025, 3, 1), "Mar 2025", "2025-03"),
    ]
    assert month_events[1].date_upper == dt.date(2025, 3, 31)


def test_the_seed_article_is_a_source_without_a_url(demo):
    article = Source.objects.get(reference=ARTICLE_REFERENCE)
    assert article.url is None
    assert article.kind == SourceKind.NEWS_ARTICLE
    assert article.title == "5 Signs America Is Now Supporting Russia – Shocking Truth!"
    assert (article.published_on, article.published_precision) == (
        dt.date(2025, 3, 1),
        DatePrecision.MONTH,
    )
    assert article.published_approximate
    assert article.display_published == "c. Mar 2025"
    assert article.language == "en"
    copy_in_repo = (DEMO_DIR / "000_45403a001ff315a8.txt").read_text(encoding="utf-8")
    assert article.full_text == copy_in_repo
    assert "Marko Rubio" in article.full_text


def test_un_documents_are_cited_by_their_undocs_address(demo):
    documents = Source.objects.filter(kind=SourceKind.OFFICIAL_DOCUMENT)
    assert set(documents.values_list("url", flat=True)) == {
        "https://undocs.org/A/RES/ES-11/1",
        "https://undocs.org/A/RES/ES-11/4",
        "https://undocs.org/A/RES/ES-11/6",
        "https://undocs.org/A/RES/ES-11/7",
        "https://undocs.org/A/RES/ES-11/8",
        "https://undocs.org/S/RES/2774(2025)",
    }
    assert set(documents.values_list("publisher", flat=True)) == {"United Nations"}
    # No other URL is invented: every source with a URL is a UN document.
    assert Source.objects.exclude(url=None).count() == documents.count()
    for record in VoteRecord.objects.select_related("event"):
        assert record.event.citations.filter(
            source__url=f"https://undocs.org/{record.document_symbol}",
            stance=CitationStance.SUPPORTS,
        ).exists()


def test_vote_records_carry_the_official_counts(demo):
    rows = VoteRecord.objects.order_by("event__date_lower", "document_symbol").values_list(
        "document_symbol", "body__slug", "yes_count", "no_count", "abstain_count", "result"
    )
    assert list(rows) == [
        ("A/RES/ES-11/1", "un-general-assembly", 141, 5, 35, "adopted"),
        ("A/RES/ES-11/4", "un-general-assembly", 143, 5, 35, "adopted"),
        ("A/RES/ES-11/6", "un-general-assembly", 141, 7, 32, "adopted"),
        ("A/RES/ES-11/7", "un-general-assembly", 93, 18, 65, "adopted"),
        ("A/RES/ES-11/8", "un-general-assembly", 93, 8, 73, "adopted"),
        ("S/RES/2774(2025)", "un-security-council", 10, 0, 5, "adopted"),
    ]
    assert not VoteRecord.objects.filter(roll_complete=True).exists()
    assert set(VoteRecord.objects.values_list("draft_symbol", flat=True)) == {""}


def test_the_us_and_russia_vote_alike_on_two_of_three_feb_2025_votes_never_before(demo):
    def alike(start, end):
        pairs = {}
        for vote in CountryVote.objects.filter(
            actor__iso3__in=["USA", "RUS"],
            vote_record__event__start_date__range=(start, end),
        ).values("vote_record_id", "actor__iso3", "option"):
            pairs.setdefault(vote["vote_record_id"], {})[vote["actor__iso3"]] = vote["option"]
        assert all(len(pair) == 2 for pair in pairs.values())
        return [pair["USA"] == pair["RUS"] for pair in pairs.values()]

    assert alike(dt.date(2022, 1, 1), dt.date(2023, 12, 31)) == [False, False, False]
    feb_24 = alike(dt.date(2025, 2, 24), dt.date(2025, 2, 24))
    assert sorted(feb_24) == [False, True, True]  # ES-11/8: the US abstains, Russia against
    es_11_8 = CountryVote.objects.filter(vote_record__document_symbol="A/RES/ES-11/8")
    assert dict(es_11_8.values_list("actor__iso3", "option")) == {
        "USA": VoteOption.ABSTAIN,
        "RUS": VoteOption.NO,
    }  # Ukraine's vote on ES-11/8 is not recorded
    assert set(CountryVote.objects.filter(actor__iso3="UKR").values_list("option", flat=True)) == {
        VoteOption.YES
    }
    assert CountryVote.objects.filter(actor__iso3="UKR").count() == 4


def test_aid_measures_record_the_pledge_the_pauses_and_the_resumption(demo):
    rows = AidMeasure.objects.order_by("event__date_lower", "kind").values_list(
        "event__start_date", "kind", "action", "amount", "currency", "note"
    )
    assert list(rows) == [
        (
            dt.date(2024, 4, 24),
            AidKind.MILITARY,
            AidAction.PLEDGE,
            Decimal("61000000000"),
            "USD",
            "about",
        ),
        (dt.date(2025, 3, 3), AidKind.MILITARY, AidAction.PAUSE, None, "", ""),
        (dt.date(2025, 3, 5), AidKind.INTELLIGENCE, AidAction.PAUSE, None, "", ""),
        (dt.date(2025, 3, 11), AidKind.INTELLIGENCE, AidAction.RESUMPTION, None, "", ""),
        (dt.date(2025, 3, 11), AidKind.MILITARY, AidAction.RESUMPTION, None, "", ""),
    ]
    assert set(AidMeasure.objects.values_list("donor__iso3", "recipient__iso3")) == {("USA", "UKR")}
    resumption = Event.objects.get(slug="jeddah-talks-us-resumes-aid-2025-03-11")
    assert set(resumption.relations_from.values_list("kind", "to_event__slug")) == {
        ("follows", "us-pauses-military-aid-to-ukraine"),
        ("follows", "us-pauses-intelligence-sharing-with-ukraine"),
    }


def test_actors_are_found_by_their_aliases_and_carry_only_known_wikidata_ids(demo):
    assert Actor.objects.search("Marko Rubio").get().slug == "marco-rubio"
    assert Actor.objects.search("Zelenskyy").get().slug == "volodymyr-zelensky"
    assert Actor.objects.search("Volodymyr Zelenskyy").get().slug == "volodymyr-zelensky"
    assert Actor.objects.search("United States of America").get().slug == "united-states"
    assert Actor.objects.resolve("rus")["rus"].short_name == "Russia"
    assert dict(Actor.objects.exclude(wikidata_id=None).values_list("slug", "wikidata_id")) == {
        "united-states": "Q30",
        "russia": "Q159",
        "ukraine": "Q212",
        "european-union": "Q458",
        "nato": "Q7184",
        "saudi-arabia": "Q851",
        "united-nations": "Q1065",
        "donald-trump": "Q22686",
        "joe-biden": "Q6279",
        "vladimir-putin": "Q7747",
        "volodymyr-zelensky": "Q3874799",
    }
    assert set(Actor.objects.exclude(iso3=None).values_list("iso3", flat=True)) == {
        "USA",
        "RUS",
        "UKR",
        "SAU",
    }
    organs = Actor.objects.filter(kind=ActorKind.ORGAN).values_list("slug", "parent__slug")
    assert set(organs) == {
        ("un-general-assembly", "united-nations"),
        ("un-security-council", "united-nations"),
    }
    assert Actor.objects.filter(kind=ActorKind.PERSON).count() == 8


def test_roles_give_each_persons_post_on_a_given_day(demo):
    def president_of_the_us(day):
        return Role.objects.active_on(day).get(organisation__iso3="USA", title="President")

    assert president_of_the_us(dt.date(2024, 4, 24)).person.slug == "joe-biden"
    assert president_of_the_us(dt.date(2025, 2, 18)).person.slug == "donald-trump"
    waltz = Role.objects.get(person__slug="mike-waltz")
    assert (waltz.title, waltz.start_date, waltz.end_date) == (
        "National Security Advisor",
        dt.date(2025, 1, 20),
        dt.date(2025, 5, 1),
    )
    assert Role.objects.get(person__slug="marco-rubio").start_date == dt.date(2025, 1, 21)


def test_participants_make_demo_events_searchable_by_actor_aliases(demo):
    rubio = Event.objects.get(slug="rubio-dismisses-ukraine-nuclear-aspirations")
    assert "Marko Rubio" in rubio.search_actors


def test_the_voting_bodies_carry_their_rules(demo):
    rules = Actor.objects.filter(kind=ActorKind.ORGAN).values_list(
        "slug", "voting_members", "votes_to_adopt", "veto_members"
    )
    assert set(rules) == {
        ("un-general-assembly", 193, None, ""),
        ("un-security-council", 15, 9, "CHN FRA GBR RUS USA"),
    }
