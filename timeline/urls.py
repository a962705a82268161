from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from accounts.forms import CuratorLoginForm
from events.api.docs import RedocDocsView, SwaggerDocsView, redoc_bundle
from timeline.favicon import favicon

admin.site.site_header = "Timeline curation"
admin.site.site_title = "Timeline"
admin.site.index_title = "Curate actors, events and sources"
# The index lists every model; a second list beside each form cost 300 px of a laptop's width.
admin.site.enable_nav_sidebar = False
admin.site.login_form = CuratorLoginForm
admin.site.index_template = "admin/timeline_index.html"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("events.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerDocsView.as_view(), name="api-docs"),
    path("api/redoc/", RedocDocsView.as_view(), name="api-redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="api-redoc-bundle"),
    path("favicon.ico", favicon, name="favicon"),
    # Public pages, embeds, /embed.js and /oembed (embeds/urls.py); the home page is "".
    path("", include("embeds.urls")),
]

# Under /api/ Django's own errors answer JSON too, like every other API error.
handler400 = "events.api.exceptions.bad_request"
handler403 = "events.api.exceptions.permission_denied"
handler404 = "events.api.exceptions.not_found"
handler500 = "events.api.exceptions.server_error"
