import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone

from events.choices import (
    ActorKind,
    DatePrecision,
    EventStatus,
    VoteOption,
    VoteResult,
)
from events.models import (
    Actor,
    ChangeStamp,
    ConcurrentEditError,
    DemoFingerprint,
    Event,
    EventType,
    Role,
    SlugRedirect,
    Source,
    SourceSnapshot,
    VoteRecord,
)
from tests.factories import (
    ActorFactory,
    AidMeasureFactory,
    CitationFactory,
    CountryVoteFactory,
    EventFactory,
    EventRelationFactory,
    ParticipationFactory,
    PersonFactory,
    PublishedEventFactory,
    RoleFactory,
    SourceFactory,
    StateFactory,
    TimelineEntryFactory,
    TimelineFactory,
    VoteRecordFactory,
    event_type,
)

D = dt.date


# -- Every database constraint rejects a bad row ---------------------------------------------
# Each case writes one bad row past clean(): by saving directly, or with QuerySet.update where
# save() would normalise the value. Keys are the constraint names (Meta.constraints) or
# "table.field" for unique fields; the coverage test below fails when a constraint has no case.


def _events(**changes):
    event = EventFactory()
    Event.objects.filter(pk=event.pk).update(**changes)


def _duplicate_participation():
    p = ParticipationFactory()
    ParticipationFactory(event=p.event, actor=p.actor, role=p.role)


def _duplicate_relation():
    r = EventRelationFactory()
    EventRelationFactory(from_event=r.from_event, to_event=r.to_event, kind=r.kind)


def _duplicate_citation():
    c = CitationFactory(locator="p. 2")
    CitationFactory(event=c.event, source=c.source, locator="p. 2")


def _duplicate_country_vote():
    v = CountryVoteFactory()
    CountryVoteFactory(vote_record=v.vote_record, actor=v.actor, option=VoteOption.NO)


def _duplicate_role():
    r = RoleFactory()
    RoleFactory(
        person=r.person, organisation=r.organisation, title=r.title, start_date=r.start_date
    )


def _duplicate_entry():
    entry = TimelineEntryFactory()
    TimelineEntryFactory(timeline=entry.timeline, event=entry.event)


def _second_vote_record_for_one_event():
    record = VoteRecordFactory()
    VoteRecordFactory(event=record.event)


def _own_parent(model, **lookup):
    obj = model.objects.get(**lookup) if lookup else ActorFactory()
    model.objects.filter(pk=obj.pk).update(parent=F("id"))


def _review(**values):
    from django.contrib.contenttypes.models import ContentType
    from reversion.models import Revision

    from events.models import RevisionReview

    return RevisionReview.objects.create(
        **{
            "revision": Revision.objects.create(date_created=timezone.now()),
            "root_type": ContentType.objects.get_for_model(Event),
            "root_id": "1",
            "root_repr": "An event",
            "base_version": 1,
            **values,
        }
    )


CASES = {
    # Actor
    "events_actor_iso3_only_for_states": lambda: ActorFactory(
        kind=ActorKind.ORGANISATION, iso3="USA"
    ),
    "events_actor_iso3_format": lambda: StateFactory(iso3="usa"),
    "events_actor_wikidata_id_format": lambda: ActorFactory(wikidata_id="X30"),
    "events_actor_not_own_parent": lambda: _own_parent(Actor),
    "events_actor.slug": lambda: ActorFactory.create_batch(2, slug="same"),
    "events_actor.iso3": lambda: StateFactory.create_batch(2, iso3="UKR"),
    "events_actor.wikidata_id": lambda: ActorFactory.create_batch(2, wikidata_id="Q30"),
    # Role
    "events_role_end_after_start": lambda: RoleFactory(
        start_date=D(2025, 1, 20), end_date=D(2025, 1, 19)
    ),
    "events_role_not_self": lambda: (
        (a := PersonFactory()) and RoleFactory(person=a, organisation=a)
    ),
    "events_role_unique_post": _duplicate_role,
    # EventType
    "events_eventtype_not_own_parent": lambda: _own_parent(EventType, slug="statement"),
    "events_eventtype.name": lambda: EventType.objects.create(name="Statement", slug="other"),
    "events_eventtype.slug": lambda: EventType.objects.create(name="Other", slug="statement"),
    # Event
    "events_event_end_after_start": lambda: _events(
        end_date=D(2025, 2, 1), end_precision=DatePrecision.DAY
    ),
    "events_event_end_precision_with_end_date": lambda: _events(end_precision=DatePrecision.DAY),
    "events_event_start_fits_precision": lambda: _events(start_precision=DatePrecision.MONTH),
    "events_event_bounds_ordered": lambda: _events(date_upper=D(2025, 2, 17)),
    "events_event_importance_range": lambda: _events(importance=6),
    # first_published_at set: each row breaks only the rule it tests (PostgreSQL names the first).
    "events_event_retraction_has_reason": lambda: _events(
        status=EventStatus.RETRACTED, retraction_reason="", first_published_at=timezone.now()
    ),
    "events_event_published_has_timestamp": lambda: _events(
        status=EventStatus.PUBLISHED, published_at=None, first_published_at=timezone.now()
    ),
    "events_event_public_was_published": lambda: Event.objects.filter(
        pk=PublishedEventFactory().pk
    ).update(first_published_at=None),
    "events_event.slug": lambda: EventFactory.create_batch(2, slug="same"),
    # Participation, EventRelation
    "events_participation_unique_role": _duplicate_participation,
    "events_eventrelation_unique": _duplicate_relation,
    "events_eventrelation_not_self": lambda: (
        (e := EventFactory()) and EventRelationFactory(from_event=e, to_event=e)
    ),
    # Source, Citation
    "events_source_publication_precision": lambda: SourceFactory(
        published_on=D(2025, 3, 1), published_precision=""
    ),
    "events_source_url_null_not_blank": lambda: Source.objects.filter(pk=SourceFactory().pk).update(
        url=""
    ),
    "events_source.url": lambda: SourceFactory.create_batch(2, url="https://example.org/a"),
    "events_source.reference": lambda: SourceFactory.create_batch(2, url=None, reference="seed:1"),
    "events_citation_unique_locator": _duplicate_citation,
    # VoteRecord, CountryVote
    "events_voterecord_counts_non_negative": lambda: VoteRecord.objects.filter(
        pk=VoteRecordFactory().pk
    ).update(non_voting_count=-1),
    "events_voterecord_adopted_has_majority": lambda: VoteRecordFactory(yes_count=2, no_count=9),
    "events_voterecord.event": _second_vote_record_for_one_event,
    "events_voterecord.document_symbol": lambda: VoteRecordFactory.create_batch(
        2, document_symbol="A/RES/ES-11/7"
    ),
    "events_countryvote_one_per_member": _duplicate_country_vote,
    # AidMeasure
    "events_aidmeasure_amount_non_negative": lambda: AidMeasureFactory(
        amount=Decimal("-1"), currency="USD"
    ),
    "events_aidmeasure_currency_with_amount": lambda: AidMeasureFactory(currency="USD"),
    "events_aidmeasure_donor_not_recipient": lambda: (
        (s := StateFactory()) and AidMeasureFactory(donor=s, recipient=s)
    ),
    # Timeline, TimelineEntry
    "events_timeline_query_period_ordered": lambda: TimelineFactory(
        query_from=D(2025, 3, 1), query_to=D(2025, 2, 1)
    ),
    "events_timeline.slug": lambda: TimelineFactory.create_batch(2, slug="same"),
    "events_timelineentry_unique_event": _duplicate_entry,
    # ChangeStamp
    "events_changestamp_public_or_staff": lambda: ChangeStamp.objects.create(id=3),
    # RevisionReview
    "events_revisionreview_rejection_has_reason": lambda: _review(status="rejected", reason=""),
    "events_revisionreview.revision": lambda: _review(revision=_review().revision),
    # SlugRedirect
    "events_slugredirect_one_per_slug": lambda: [
        SlugRedirect.objects.create(
            content_type=ContentType.objects.get_for_model(Actor),
            old_slug="eu",
            old_id=old_id,
            old_name="EU",
            target_id=1,
        )
        for old_id in (2, 3)
    ],
    # DemoFingerprint
    "events_demofingerprint_one_per_row": lambda: [
        DemoFingerprint.objects.create(
            content_type=ContentType.objects.get_for_model(Actor), object_id=1, digest=digest
        )
        for digest in ("a", "b")
    ],
    # SourceSnapshot
    "events_sourcesnapshot_unique_content": lambda: (
        (source := SourceFactory())
        and [
            SourceSnapshot.objects.create(
                source=source,
                file=f"snapshots/{n}.html",
                sha256="0" * 64,
                fetched_at=timezone.now(),
                status=200,
                final_url=source.url,
                content_type="text/html",
                size=1,
            )
            for n in (1, 2)
        ]
    ),
}

# Further bad values for constraints whose rule has more than one way to be broken.
MORE_CASES = [
    ("events_actor_iso3_format", lambda: StateFactory(iso3="US")),
    ("events_event_importance_range", lambda: _events(importance=0)),
    ("events_aidmeasure_currency_with_amount", lambda: AidMeasureFactory(amount=5, currency="")),
    (
        "events_aidmeasure_currency_with_amount",
        lambda: AidMeasureFactory(amount=5, currency="usd"),
    ),
    (
        "events_voterecord_counts_non_negative",
        lambda: VoteRecordFactory(yes_count=-1, result=VoteResult.REJECTED),
    ),
]


def _database_constraints() -> set[str]:
    names = set()
    for model in apps.get_app_config("events").get_models():
        if model.__name__.startswith("Historical"):
            continue
        names |= {constraint.name for constraint in model._meta.constraints}
        names |= {
            f"{model._meta.db_table}.{field.name}"
            for field in model._meta.fields
            if field.unique and not field.primary_key
        }
    return names


def test_every_database_constraint_has_a_case_here():
    assert _database_constraints() == set(CASES)


def _expected_error(name: str) -> str:
    """What the database says: PostgreSQL names the constraint, SQLite names checks only."""
    if name == "events_voterecord_counts_non_negative":
        # The columns are positive integers: their own checks may reject the row first.
        return rf"{name}|_count"
    if "." in name:  # a unique field
        table, field = name.split(".")
        return rf"{table}_{field}|{table}\.{field}|\({field}(_id)?\)"
    return rf"{name}|UNIQUE constraint failed" if "unique" in name or "one_per" in name else name


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "write"),
    [*sorted(CASES.items()), *MORE_CASES],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_database_rejects_a_row_that_breaks_a_constraint(name, write):
    with pytest.raises(IntegrityError, match=_expected_error(name)), transaction.atomic():
        write()


@pytest.mark.django_db
def test_an_actor_named_in_an_event_cannot_be_deleted():
    participation = ParticipationFactory()
    with pytest.raises(ProtectedError):
        participation.actor.delete()


@pytest.mark.django_db
def test_a_cited_source_cannot_be_deleted():
    citation = CitationFactory()
    with pytest.raises(ProtectedError):
        citation.source.delete()


# -- clean() says what to fix ---------------------------------------------------------------


def _messages(obj, field: str | None = None) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean(exclude=[f.name for f in type(obj)._meta.fields if not f.editable])
    if field is None:
        return excinfo.value.messages
    return excinfo.value.message_dict[field]


@pytest.mark.django_db
def test_a_start_date_that_does_not_fit_its_precision_is_explained():
    event = EventFactory.build(start_date=D(2025, 3, 15), start_precision=DatePrecision.MONTH)
    assert _messages(event, "start_date") == [
        "With month precision, enter the first day of the month (2025-03-01), "
        "or choose day precision."
    ]
    event = EventFactory.build(start_date=D(2025, 3, 1), start_precision=DatePrecision.YEAR)
    assert "enter 1 January (2025-01-01)" in _messages(event, "start_date")[0]


@pytest.mark.django_db
def test_an_end_before_the_start_is_explained():
    event = EventFactory.build(start_date=D(2025, 3, 3), end_date=D(2025, 3, 1))
    assert _messages(event, "end_date") == ["The end date cannot be before the start date."]
    role = RoleFactory.build(
        person=PersonFactory(), organisation=StateFactory(), end_date=D(2019, 1, 1)
    )
    assert _messages(role, "end_date") == ["A post cannot end before it starts."]


@pytest.mark.django_db
def test_an_end_date_without_a_precision_defaults_to_day_precision():
    event = EventFactory.build(start_date=D(2025, 3, 3), end_date=D(2025, 3, 11))
    event.full_clean(exclude=["date_lower", "date_upper"])
    assert event.end_precision == DatePrecision.DAY


@pytest.mark.django_db
def test_only_states_carry_an_iso_code():
    actor = ActorFactory.build(kind=ActorKind.ORGANISATION, iso3="USA")
    assert _messages(actor, "iso3") == ["Only states carry an ISO 3166 code."]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["XXX", "usa"])
def test_an_iso_code_must_be_a_real_upper_case_alpha_3_code(code):
    actor = StateFactory.build(iso3=code)
    assert _messages(actor, "iso3") == [
        f"{code} is not an ISO 3166-1 alpha-3 country code; use three capital letters "
        "such as USA, RUS or UKR."
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["30", "q30", "Q030", "Q30x"])
def test_a_wikidata_id_is_q_and_digits(value):
    actor = ActorFactory.build(wikidata_id=value)
    assert _messages(actor, "wikidata_id") == [
        "A Wikidata id is Q followed by digits, for example Q30."
    ]


@pytest.mark.django_db
def test_blank_codes_are_stored_as_null_so_uniqueness_ignores_them():
    first, second = ActorFactory(iso3="", wikidata_id=""), ActorFactory(iso3="", wikidata_id="")
    assert (first.iso3, second.wikidata_id) == (None, None)


@pytest.mark.django_db
def test_a_post_is_held_by_a_person():
    role = RoleFactory.build(person=StateFactory(), organisation=StateFactory())
    assert _messages(role, "person") == [
        "Posts are held by people: choose an actor of kind Person."
    ]


@pytest.mark.django_db
def test_a_currency_goes_with_an_amount_and_an_amount_with_a_currency():
    aid = AidMeasureFactory.build(donor=StateFactory(), recipient=StateFactory(), currency="USD")
    aid.event = EventFactory(event_type=event_type("aid-suspension"))
    assert _messages(aid, "currency") == ["A currency only goes with an amount."]
    aid.currency, aid.amount = "", Decimal("61000000000")
    assert _messages(aid, "currency") == ["Give the ISO 4217 currency of the amount, e.g. USD."]
    aid.currency = "XYZ"
    assert "XYZ is not an ISO 4217 currency code" in _messages(aid, "currency")[0]
    aid.currency = "USD"
    aid.full_clean()


@pytest.mark.django_db
def test_a_vote_record_belongs_to_a_un_vote_cast_by_an_organ_or_organisation():
    record = VoteRecordFactory.build(
        event=EventFactory(event_type=event_type("statement")), body=StateFactory()
    )
    errors = _messages(record)
    assert "A vote record belongs to an event of type “UN vote”." in errors
    assert "The voting body is an organisation or one of its organs." in errors


@pytest.mark.django_db
def test_a_complete_roll_that_disagrees_with_the_counts_is_refused():
    record = VoteRecordFactory(yes_count=2, no_count=1, abstain_count=0, roll_complete=True)
    for option in (VoteOption.YES, VoteOption.NO, VoteOption.NO):
        CountryVoteFactory(vote_record=record, option=option)

    with pytest.raises(ValidationError) as excinfo:
        record.check_roll()

    assert excinfo.value.messages == [
        "The roll is marked complete but does not match the official counts (In favour: the "
        "roll has 1, the official count is 2; Against: the roll has 2, the official count is 1)."
        " Fix the counts or the roll, or untick “roll is complete”."
    ]
    record.check_roll([VoteOption.YES, VoteOption.YES, VoteOption.NO])  # agrees: no error
    record.roll_complete = False
    record.check_roll([VoteOption.YES])  # an incomplete roll need not add up


@pytest.mark.django_db
def test_only_states_cast_country_votes():
    vote = CountryVoteFactory.build(vote_record=VoteRecordFactory(), actor=ActorFactory())
    assert "Only states cast votes here." in _messages(vote, "actor")


# -- Sources -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_source_url_is_normalised_on_save():
    source = SourceFactory(url="https://Example.org/a?utm_source=x#f")
    assert source.url == "https://example.org/a"
    assert Source.objects.get(pk=source.pk).url == "https://example.org/a"


@pytest.mark.django_db
def test_the_same_url_pasted_differently_is_one_source():
    SourceFactory(url="https://example.org/a")
    duplicate = SourceFactory.build(url="HTTPS://EXAMPLE.ORG:443/a?utm_source=x&fbclid=1#f")

    assert _messages(duplicate, "url") == ["Source with this URL already exists."]
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


@pytest.mark.django_db
def test_sources_without_a_url_may_coexist():
    first = SourceFactory(url=None, reference="seed:1")
    second = SourceFactory(url="", reference="")
    assert (first.url, second.url, second.reference) == (None, None, None)


@pytest.mark.django_db
def test_a_publication_date_in_month_precision_must_be_the_first_day():
    source = SourceFactory.build(published_on=D(2025, 3, 5), published_precision="month")
    assert "first day of the month (2025-03-01)" in _messages(source, "published_on")[0]


# -- Dates derived on save ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "precision", "end", "end_precision", "lower", "upper"),
    [
        (D(2025, 2, 18), "day", None, "", D(2025, 2, 18), D(2025, 2, 18)),
        (D(2025, 3, 1), "month", None, "", D(2025, 3, 1), D(2025, 3, 31)),
        (D(2024, 2, 1), "month", None, "", D(2024, 2, 1), D(2024, 2, 29)),
        (D(2025, 1, 1), "year", None, "", D(2025, 1, 1), D(2025, 12, 31)),
        (D(2025, 3, 3), "day", D(2025, 4, 1), "month", D(2025, 3, 3), D(2025, 4, 30)),
    ],
)
def test_the_date_bounds_are_derived_on_save(start, precision, end, end_precision, lower, upper):
    event = EventFactory(
        start_date=start, start_precision=precision, end_date=end, end_precision=end_precision
    )
    event.refresh_from_db()
    assert (event.date_lower, event.date_upper) == (lower, upper)


@pytest.mark.django_db
def test_the_bounds_follow_a_changed_date_even_when_saving_only_that_field():
    event = EventFactory(start_date=D(2025, 2, 18))
    event.start_date, event.start_precision = D(2025, 3, 1), DatePrecision.MONTH
    event.save(update_fields=["start_date", "start_precision"])
    event.refresh_from_db()
    assert (event.date_lower, event.date_upper) == (D(2025, 3, 1), D(2025, 3, 31))


@pytest.mark.django_db
def test_clearing_the_end_date_clears_its_precision():
    event = EventFactory(end_date=D(2025, 3, 1), end_precision=DatePrecision.DAY)
    event.end_date = None
    event.save()
    event.refresh_from_db()
    assert (event.end_precision, event.date_upper) == ("", event.start_date)


# -- Optimistic locking --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_save_from_a_stale_copy_raises_a_conflict_and_the_first_change_survives():
    event = EventFactory(title="Original")
    first, second = Event.objects.get(pk=event.pk), Event.objects.get(pk=event.pk)
    first.title = "First curator's title"
    first.save()
    second.title = "Second curator's title"

    with pytest.raises(ConcurrentEditError, match="was changed by someone else"):
        second.save()

    stored = Event.objects.get(pk=event.pk)
    assert stored.title == "First curator's title"
    assert stored.version == 2
    assert second.version == 1  # the stale copy is not bumped by the failed save


@pytest.mark.django_db
def test_each_save_bumps_the_version():
    actor = ActorFactory()
    actor.save()
    actor.save()
    assert actor.version == 3
    assert Actor.objects.get(pk=actor.pk).version == 3


# -- Query sets ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_roles_active_on_a_day_include_both_ends_and_open_ends():
    closed = RoleFactory(start_date=D(2021, 1, 20), end_date=D(2025, 1, 20))
    open_ended = RoleFactory(start_date=D(2025, 1, 20), end_date=None)
    undated = RoleFactory(start_date=None, end_date=None)

    def active(day):
        return set(Role.objects.active_on(day))

    assert active(D(2021, 1, 19)) == {undated}
    assert active(D(2021, 1, 20)) == {closed, undated}
    assert active(D(2025, 1, 20)) == {closed, open_ended, undated}
    assert active(D(2025, 1, 21)) == {open_ended, undated}


@pytest.mark.django_db
def test_overlapping_matches_an_event_anywhere_in_its_possible_period():
    march = EventFactory(start_date=D(2025, 3, 1), start_precision=DatePrecision.MONTH)
    day = EventFactory(start_date=D(2025, 2, 18))
    span = EventFactory(start_date=D(2025, 2, 24), end_date=D(2025, 3, 3), end_precision="day")

    def found(start, end):
        return set(Event.objects.overlapping(start, end))

    assert found(D(2025, 3, 15), D(2025, 3, 15)) == {march}
    assert found(D(2025, 2, 18), D(2025, 2, 18)) == {day}
    assert found(D(2025, 3, 2), None) == {march, span}
    assert found(None, D(2025, 2, 24)) == {day, span}
    assert found(None, None) == {march, day, span}
    assert found(D(2025, 4, 1), None) == set()


@pytest.mark.django_db
def test_involving_finds_events_with_any_or_all_of_the_actors():
    us, russia = StateFactory(), StateFactory()
    both = ParticipationFactory(actor=us).event
    ParticipationFactory(event=both, actor=russia)
    only_us = ParticipationFactory(actor=us).event
    EventFactory()  # involves nobody

    assert set(Event.objects.involving([us.pk, russia.pk])) == {both, only_us}
    assert set(Event.objects.involving([us.pk, russia.pk], match_all=True)) == {both}
    assert Event.objects.involving([]).count() == 3


@pytest.mark.django_db
def test_of_types_includes_the_subtypes_of_a_broader_type():
    pause = EventFactory(event_type=event_type("aid-suspension"))
    pledge = EventFactory(event_type=event_type("aid-pledge"))
    summit = EventFactory(event_type=event_type("summit"))

    assert set(Event.objects.of_types([event_type("aid").pk])) == {pause, pledge}
    assert set(Event.objects.of_types([event_type("aid-pledge").pk])) == {pledge}
    assert set(Event.objects.of_types([event_type("diplomacy").pk])) == {summit}


@pytest.mark.django_db
def test_public_shows_published_and_retracted_events_but_never_drafts():
    shown = {
        EventFactory(status=EventStatus.PUBLISHED, published_at=timezone.now()),
        EventFactory(
            status=EventStatus.RETRACTED,
            published_at=timezone.now(),
            retraction_reason="Wrong date.",
        ),
    }
    EventFactory(status=EventStatus.DRAFT)
    EventFactory(status=EventStatus.IN_REVIEW)

    assert set(Event.objects.public()) == shown
    assert Event.objects.published().get().status == EventStatus.PUBLISHED
