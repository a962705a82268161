"""events.bulk: the instances a Builder makes are the ones Model(**values) makes, and
insert_rows stores them as save() would."""

import datetime as dt

import pytest
from django.db.models.signals import post_init
from django.utils import timezone

from events.bulk import Builder, insert_rows
from events.choices import CitationStance, DatePrecision, ParticipantRole
from events.models import Actor, Citation, Event, EventType, Participation, Source
from tests.factories import event_type


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
