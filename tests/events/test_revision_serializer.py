"""The revisions' own serializer writes what Django's JSON serializer writes."""

import pytest
from django.core import serializers

from events import revisions
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_writes_the_same_text_as_djangos_serializer_for_every_part_of_an_aggregate():
    event = factories.EventFactory()
    factories.ParticipationFactory(event=event)
    factories.CitationFactory(event=event)
    factories.AidMeasureFactory(event=event)
    factories.EventRelationFactory(from_event=event)
    record = factories.VoteRecordFactory(event=event)
    factories.CountryVoteFactory(vote_record=record)
    timeline = factories.TimelineFactory()
    timeline.query_actors.set([factories.ActorFactory(), factories.ActorFactory()])
    factories.TimelineEntryFactory(timeline=timeline, event=event)
    role = factories.RoleFactory()
    objects = [
        *revisions.aggregate_objects(event),
        *revisions.aggregate_objects(timeline),
        *revisions.aggregate_objects(role.person),
    ]
    assert len(objects) >= 10
    for obj in objects:
        fields = revisions._recorded_fields(type(obj))
        expected = serializers.serialize("json", [obj], fields=fields)
        assert revisions.serialize_object(obj) == expected
