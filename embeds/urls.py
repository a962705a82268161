from django.urls import path

from embeds import loader, oembed, share, views

app_name = "embeds"

urlpatterns = [
    path("", views.home, name="home"),
    path("events/", views.events, name="events"),
    path("timeline/", views.old_timeline_address),
    path("timelines/<slug:slug>/", views.timeline_page, name="timeline"),
    path("events/<slug:slug>/", views.event_page, name="event"),
    path("actors/<slug:slug>/", views.actor_page, name="actor"),
    path("sources/<int:pk>/archived-copy/", views.archived_copy, name="archived_copy"),
    path("embed/timelines/<slug:slug>/", views.embed_timeline, name="embed_timeline"),
    path("embed/events/<slug:slug>/", views.embed_event, name="embed_event"),
    path("embed/timeline/", views.embed_query, name="embed_query"),
    path(
        "preview/embed/timelines/<slug:slug>/",
        views.preview_embed_timeline,
        name="preview_embed_timeline",
    ),
    path(
        "preview/embed/events/<slug:slug>/", views.preview_embed_event, name="preview_embed_event"
    ),
    path("embed.js", loader.embed_js, name="embed_js"),
    path("share/site.png", share.share_image, name="share_site"),
    path("share/<str:kind>/<slug:slug>.png", share.share_image, name="share_image"),
    path("oembed", oembed.oembed, name="oembed"),
]
