"""Routes of the API, mounted at /api/v1/. Each resource adds one router line here."""

from django.urls import path

from events.api import (
    actor_views,
    alignment,
    changes_feed,
    dataset_export,
    event_views,
    import_views,
    ingestion_views,
    review_views,
    source_views,
    timeline_views,
    type_views,
    vote_views,
)
from events.api.root import Router

router = Router()
router.register("events", event_views.EventViewSet, basename="event")
router.register("participations", event_views.ParticipationViewSet, basename="participation")
router.register("citations", event_views.CitationViewSet, basename="citation")
router.register("actors", actor_views.ActorViewSet, basename="actor")
router.register("sources", source_views.SourceViewSet, basename="source")
router.register("votes", vote_views.VoteViewSet, basename="vote")
router.register("timelines", timeline_views.TimelineViewSet, basename="timeline")
router.register("reviews", review_views.ReviewViewSet, basename="review")

urlpatterns = [
    path("timeline/", event_views.GroupedTimelineView.as_view(), name="timeline"),
    path("export.jsonl", dataset_export.DatasetExportView.as_view(), name="dataset-export"),
    path("alignment/", alignment.AlignmentView.as_view(), name="alignment"),
    path("types/", type_views.EventTypeListView.as_view(), name="type-list"),
    # Before the router: "changes" would otherwise be read as an event's slug.
    path("events/changes/", changes_feed.ChangesFeedView.as_view(), name="event-changes"),
    path("imports/", import_views.ImportListView.as_view(), name="import-list"),
    path("imports/<int:pk>/", import_views.ImportDetailView.as_view(), name="import-detail"),
    path("ingestions/", ingestion_views.IngestionListView.as_view(), name="ingestion-list"),
    path(
        "ingestions/<int:pk>/",
        ingestion_views.IngestionDetailView.as_view(),
        name="ingestion-detail",
    ),
    *router.urls,
]
