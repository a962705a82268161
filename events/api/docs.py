"""The OpenAPI schema and the interactive docs (Swagger UI, Redoc), served from local files.

The site-wide Content-Security-Policy forbids inline script and style. Swagger UI runs with it
unchanged: the split view serves its start-up script as a same-origin file. Both UIs inject
style elements as they render, and Redoc runs its search in a blob: worker, so these two pages
(only) also allow inline styles and blob: workers; still no inline script, no other origin.

Redoc's bundle (from drf-spectacular-sidecar) hard-codes an image from cdn.redoc.ly in its
"API docs by Redocly" link. Rather than let the browser try (and the policy refuse it, with a
console error), the bundle is served from here with that one URL replaced by an empty `data:`
image, which the bundle's own error handler then hides: the docs ask nothing of another origin.
"""

from functools import cache

from csp.decorators import csp_update
from django.contrib.staticfiles import finders
from django.http import Http404
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from events.freshness import Validators, content_validators, fixed_content_response

DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}
REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOC_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "schema"


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class RedocDocsView(SpectacularRedocView):
    template_name = "api/redoc.html"
    url_name = "schema"

    @staticmethod
    def _redoc_standalone():
        return reverse("api-redoc-bundle")


@cache
def _redoc_bundle() -> tuple[bytes, Validators]:
    path = finders.find(REDOC_BUNDLE)
    if not path:
        raise Http404("Redoc's bundle is not installed (drf-spectacular-sidecar).")
    with open(path, "rb") as file:
        body = file.read().replace(REDOC_LOGO, b"data:,")
    return body, content_validators(body)


@require_safe
def redoc_bundle(request):
    """Redoc's standalone bundle without its one request to another origin."""
    body, validators = _redoc_bundle()
    return fixed_content_response(
        request,
        body,
        validators,
        content_type="text/javascript; charset=utf-8",
    )
