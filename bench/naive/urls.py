from django.urls import path

from bench.naive import views

urlpatterns = [
    path("api/v1/events/", views.EventList.as_view()),
    path("api/v1/events/<slug:slug>/", views.EventDetail.as_view()),
    path("api/v1/timeline/", views.GroupedTimeline.as_view()),
    path("api/v1/votes/", views.VoteList.as_view()),
]
