"""The OpenAPI schema and the interactive docs (Swagger UI, Redoc), served from local files.

The site-wide Content-Security-Policy forbids inline script and style. Swagger UI runs with it
unchanged: the split view serves its start-up script as a same-origin file. Both UIs inject
style elements as they render, and Redoc runs its search in a blob: worker, so these two pages
(only) also allow inline styles and blob: workers; still no inline script, no other origin.
(Redoc's bundle hard-codes a logo from cdn.redoc.ly; the policy blocks it, so nothing leaves.)
"""

from csp.decorators import csp_update
from django.utils.decorators import method_decorator
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class SwaggerDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "schema"


@method_decorator(csp_update(DOCS_CSP), name="dispatch")
class RedocDocsView(SpectacularRedocView):
    template_name = "api/redoc.html"
    url_name = "schema"
