"""factory_boy factories for every model; tests build exactly the rows they need."""

import datetime as dt
from importlib import import_module

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from events.choices import (
    ActorKind,
    AidAction,
    AidKind,
    CitationStance,
    DatePrecision,
    EventStatus,
    ParticipantRole,
    SourceKind,
    TimelineStatus,
    Verification,
    VoteOption,
    VoteResult,
)
from events.models import (
    Actor,
    AidMeasure,
    Citation,
    CountryVote,
    Event,
    EventRelation,
    EventType,
    Participation,
    Role,
    Source,
    Timeline,
    TimelineEntry,
    VoteRecord,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    is_staff = True
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor

    name = factory.Sequence(lambda n: f"Actor {n}")
    slug = factory.Sequence(lambda n: f"actor-{n}")
    kind = ActorKind.ORGANISATION


class StateFactory(ActorFactory):
    kind = ActorKind.STATE
    name = factory.Iterator(["Freedonia", "Sylvania", "Latveria", "Genovia", "Ruritania"])
    slug = factory.Sequence(lambda n: f"state-{n}")
    iso3 = None


class PersonFactory(ActorFactory):
    kind = ActorKind.PERSON
    name = factory.Sequence(lambda n: f"Person {n}")
    slug = factory.Sequence(lambda n: f"person-{n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(StateFactory)
    title = "Minister"
    start_date = dt.date(2020, 1, 1)


def event_type(slug: str = "statement") -> EventType:
    """The seeded taxonomy is data from a migration; tests use it as it is.

    A transactional test (live server, second database) flushes every table afterwards, the
    migration's rows included, so the taxonomy is seeded again by the migration's own code.
    """
    try:
        return EventType.objects.get(slug=slug)
    except EventType.DoesNotExist:
        from django.apps import apps

        import_module("events.migrations.0002_taxonomy_and_groups").seed_types(apps, None)
        return EventType.objects.get(slug=slug)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "Something happened."
    event_type = factory.LazyFunction(event_type)
    start_date = dt.date(2025, 2, 18)
    start_precision = DatePrecision.DAY
    status = EventStatus.DRAFT
    verification = Verification.CONFIRMED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = SourceKind.NEWS_ARTICLE
    title = factory.Sequence(lambda n: f"Source {n}")
    url = factory.Sequence(lambda n: f"https://news.example.org/article/{n}")
    publisher = "Example News"


class CitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Citation

    event = factory.SubFactory(EventFactory)
    source = factory.SubFactory(SourceFactory)
    quote = "A passage that says so."
    stance = CitationStance.SUPPORTS


class PublishedEventFactory(EventFactory):
    """A published event with the supporting citation publishing requires."""

    status = EventStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    citation = factory.RelatedFactory(CitationFactory, factory_related_name="event")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(StateFactory)
    role = ParticipantRole.PARTICIPANT


class EventRelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRelation

    from_event = factory.SubFactory(EventFactory)
    to_event = factory.SubFactory(EventFactory)
    kind = "follows"


class VoteRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VoteRecord

    event = factory.SubFactory(
        EventFactory, event_type=factory.LazyFunction(lambda: event_type("un-vote"))
    )
    body = factory.SubFactory(ActorFactory, kind=ActorKind.ORGAN, name="General Assembly")
    document_symbol = factory.Sequence(lambda n: f"A/RES/ES-11/{n + 100}")
    title = "A resolution"
    result = VoteResult.ADOPTED
    yes_count = 2
    no_count = 1
    abstain_count = 0


class CountryVoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryVote

    vote_record = factory.SubFactory(VoteRecordFactory)
    actor = factory.SubFactory(StateFactory)
    option = VoteOption.YES


class AidMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AidMeasure

    event = factory.SubFactory(
        EventFactory, event_type=factory.LazyFunction(lambda: event_type("aid-suspension"))
    )
    donor = factory.SubFactory(StateFactory)
    recipient = factory.SubFactory(StateFactory)
    kind = AidKind.MILITARY
    action = AidAction.PAUSE


class TimelineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Timeline

    title = factory.Sequence(lambda n: f"Timeline {n}")
    slug = factory.Sequence(lambda n: f"timeline-{n}")
    status = TimelineStatus.PUBLISHED


class TimelineEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TimelineEntry

    timeline = factory.SubFactory(TimelineFactory)
    event = factory.SubFactory(PublishedEventFactory)
    position = factory.Sequence(lambda n: n)
