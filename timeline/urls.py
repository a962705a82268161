from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Timeline curation"
admin.site.site_title = "Timeline"
admin.site.index_title = "Curate actors, events and sources"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("events.api.urls")),
]
