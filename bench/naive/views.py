"""Generic views over the public events, filtered on the ORM, paged by page number."""

from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncMonth
from rest_framework import generics
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from bench.naive.serializers import EventSerializer, VoteRecordSerializer
from events.models import Citation, Event, Participation, VoteRecord


class PageOf100(PageNumberPagination):
    """DRF's PageNumberPagination as settings would configure it (PAGE_SIZE = 100)."""

    page_size = 100


def public_events():
    return (
        Event.objects.public()
        .select_related("event_type", "location_country")
        .prefetch_related(
            Prefetch("participations", queryset=Participation.objects.select_related("actor")),
            Prefetch("citations", queryset=Citation.objects.select_related("source")),
        )
        .order_by("date_lower", "id")
    )


def filter_events(queryset, params):
    if params.get("actor"):
        actor = params["actor"]
        queryset = queryset.filter(
            Q(participations__actor__slug=actor) | Q(participations__actor__iso3=actor.upper())
        ).distinct()
    if params.get("from"):
        queryset = queryset.filter(date_upper__gte=params["from"])
    if params.get("to"):
        queryset = queryset.filter(date_lower__lte=params["to"])
    if params.get("q"):
        text = params["q"]
        queryset = queryset.filter(Q(title__icontains=text) | Q(summary__icontains=text))
    if params.get("timeline"):
        queryset = queryset.filter(timeline_entries__timeline__slug=params["timeline"])
    return queryset


class EventList(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = PageOf100

    def get_queryset(self):
        return filter_events(public_events(), self.request.query_params)


class EventDetail(generics.RetrieveAPIView):
    serializer_class = EventSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return public_events()


class GroupedTimeline(APIView):
    """Counts per month, and the first 500 events serialized."""

    def get_queryset(self):
        return filter_events(public_events(), self.request.query_params)

    def get(self, request):
        events = self.get_queryset()
        months = (
            events.annotate(month=TruncMonth("date_lower"))
            .order_by()
            .values("month")
            .annotate(count=Count("id", distinct=True))
            .order_by("month")
        )
        return Response(
            {
                "periods": [{"period": m["month"], "count": m["count"]} for m in months],
                "events": EventSerializer(events[:500], many=True).data,
            }
        )


class VoteList(generics.ListAPIView):
    serializer_class = VoteRecordSerializer
    pagination_class = PageOf100

    def get_queryset(self):
        queryset = (
            VoteRecord.objects.filter(event__status="published")
            .select_related("event", "body")
            .order_by("event__date_lower", "id")
        )
        actor = self.request.query_params.get("actor")
        if actor:
            queryset = queryset.filter(
                Q(country_votes__actor__slug=actor) | Q(country_votes__actor__iso3=actor.upper())
            )
        return queryset
