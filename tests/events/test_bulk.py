"""events.bulk: the instances a Builder makes are the ones Model(**values) makes,
insert_rows stores them as save() would, and writes_behind() sends them from a second thread
without changing what is stored or in what order."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import post_init
from django.utils import timezone

from events import bulk
from events.bulk import Builder, insert_rows, writes_behind
from events.choices import CitationStance, DatePrecision, ParticipantRole
from events.models import Actor, Citation, Event, EventType, Participation, Source
from tests.factories import SourceFactory, event_type


def _state(obj) -> dict:
    values = {k: v for k, v in vars(obj).items() if k != "_state"}
    return {**values, "_adding": obj._state.adding, "_cache": dict(obj._state.fields_cache)}


@pytest.mark.django_db
def test_a_builder_makes_the_instance_the_model_makes():
    kind = EventType.objects.first() or event_type("statement")
    actor = Actor.objects.create(name="Builder state", kind="state")
    values = {
        "title": "Aid resumed",
        "slug": "aid-resumed",
        "event_type": kind,
        "start_date": dt.date(2025, 3, 11),
        "start_precision": DatePrecision.DAY,
        "location_country_id": actor.pk,
    }
    assert _state(Builder(Event)(**values)) == _state(Event(**values))
    source = Source(url="https://example.org/a", title="A")
    event = Event(**values)
    for model, kwargs in [
        (Participation, {"event": event, "actor": actor, "role": ParticipantRole.TARGET}),
        (Citation, {"event": event, "source": source, "stance": CitationStance.SUPPORTS}),
        (Source, {"url": "https://example.org/b", "title": "B", "publisher": "P"}),
    ]:
        built, made = Builder(model)(**kwargs), model(**kwargs)
        assert _state(built) == _state(made)
        assert built._state.fields_cache or model is Source  # related objects stay cached


@pytest.mark.django_db
def test_a_builder_gives_each_instance_its_own_mutable_defaults():
    build = Builder(Event)
    first, second = build(title="One"), build(title="Two")
    assert first.participant_ids == second.participant_ids == []  # default=list
    first.participant_ids.append(1)
    assert second.participant_ids == [] and build().participant_ids == []


@pytest.mark.django_db
def test_a_builder_still_calls_the_model_when_something_listens_to_its_creation():
    seen = []

    def listener(sender, instance, **kwargs):
        seen.append(instance)

    post_init.connect(listener, sender=Source)
    try:
        source = Builder(Source)(url="https://example.org/heard")
    finally:
        post_init.disconnect(listener, sender=Source)
    assert seen == [source]


@pytest.mark.django_db
def test_built_instances_are_stored_as_saved_ones():
    kind = EventType.objects.first() or event_type("statement")
    built = Builder(Event)(
        title="Built", slug="built", event_type=kind, start_date=dt.date(2025, 2, 1),
        start_precision=DatePrecision.MONTH,
    )  # fmt: skip
    built.date_lower, built.date_upper = dt.date(2025, 2, 1), dt.date(2025, 2, 28)
    insert_rows(Event, [built])
    stored = Event.objects.get(pk=built.pk)
    assert (stored.title, stored.start_precision, stored.event_type_id) == (
        "Built", DatePrecision.MONTH, kind.pk,
    )  # fmt: skip


@pytest.mark.django_db
def test_inserted_rows_get_their_creation_and_change_times():
    before = timezone.now()
    sources = [Builder(Source)(url=f"https://example.org/{n}", title=str(n)) for n in range(3)]
    insert_rows(Source, sources)
    stored = Source.objects.filter(pk__in=[source.pk for source in sources])
    for source in stored:
        assert before <= source.created_at <= source.updated_at <= timezone.now()
    assert {s.created_at for s in sources} == {s.created_at for s in stored}


# --- writes_behind: COPYs sent by a second thread (PostgreSQL) -----------------------------

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="writing behind is PostgreSQL's (COPY)"
)


def _sources(prefix: str, count: int) -> list[Source]:
    return [
        Builder(Source)(url=f"https://example.org/{prefix}/{n}", title=f"{prefix} {n}")
        for n in range(count)
    ]


@postgresql_only
@pytest.mark.django_db
def test_rows_written_behind_are_read_back_by_the_next_query_in_order():
    with writes_behind():
        first = _sources("first", 3)
        insert_rows(Source, first)
        # A read waits for the COPYs handed over before it: it sees them.
        assert Source.objects.filter(url__startswith="https://example.org/first/").count() == 3
        second = _sources("second", 2)
        insert_rows(Source, second)
        (behind,) = [t for t in threading.enumerate() if t.name == "writes-behind"]
    assert not behind.is_alive()  # the thread ends with the block
    stored = dict(Source.objects.values_list("url", "pk"))
    assert [stored[s.url] for s in first + second] == [s.pk for s in first + second]
    assert [s.pk for s in first + second] == sorted(s.pk for s in first + second)


@postgresql_only
@pytest.mark.django_db
def test_a_failed_copy_is_raised_here_and_nothing_after_it_is_sent():
    SourceFactory(url="https://example.org/taken/1")
    with pytest.raises(IntegrityError, match="url"), transaction.atomic(), writes_behind():
        insert_rows(Source, _sources("fine", 2))
        insert_rows(Source, _sources("taken", 2))  # the second URL is stored already
        insert_rows(Source, _sources("later", 2))
        Source.objects.count()  # raises the COPY's error, in this thread
        pytest.fail("the query after a failed COPY ran")
    assert not Source.objects.filter(url__contains="/fine/").exists()
    assert not any(t.name == "writes-behind" for t in threading.enumerate())


@postgresql_only
@pytest.mark.django_db
def test_keys_come_from_the_sequence_a_pool_at_a_time_and_a_small_write_takes_only_its_own(
    monkeypatch,
):
    monkeypatch.setattr(bulk, "KEYS_AHEAD", 10)
    with writes_behind():
        one = _sources("one", 2)
        insert_rows(Source, one)
    after_one = Source.objects.create(url="https://example.org/next", title="next")
    assert after_one.pk == one[-1].pk + 1  # the first call took two keys, no more
    with writes_behind():
        many = [_sources(f"batch{b}", 4) for b in range(8)]
        for sources in many:
            insert_rows(Source, sources)
    keys = [s.pk for sources in many for s in sources]
    assert len(set(keys)) == 32 and keys == sorted(keys)
    assert Source.objects.filter(pk__in=keys).count() == 32


def test_without_postgresql_writing_behind_writes_at_once(db):
    if connection.vendor == "postgresql":
        pytest.skip("SQLite's path")
    with writes_behind():
        sources = _sources("now", 2)
        insert_rows(Source, sources)
        assert not any(t.name == "writes-behind" for t in threading.enumerate())
        assert Source.objects.filter(pk__in=[s.pk for s in sources]).count() == 2


@postgresql_only
@pytest.mark.django_db
def test_a_query_made_while_a_copy_sends_its_rows_fails_instead_of_waiting_forever():
    def rows():
        Source.objects.count()  # the connection is the COPY's
        yield ("https://example.org/x", "x")

    with pytest.raises(RuntimeError, match="while a COPY"), transaction.atomic():
        bulk.insert_values(Source, ["url", "title"], rows())
