"""The browsable API (HTML for people exploring the API), under the site's strict CSP.

DRF's templates carry a few `style="…"` attributes and a `<style>` element for highlighted
code; the site-wide policy (`style-src 'self'`) blocks them and the page renders broken. This
renderer relaxes `style-src` for its own responses only: scripts stay `'self'`, and the data
shown is escaped by DRF's templates as ever.
"""

from rest_framework import renderers

BROWSABLE_CSP_UPDATE = {"style-src": ["'unsafe-inline'"]}


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = BROWSABLE_CSP_UPDATE  # read by django-csp's middleware
        return super().render(data, accepted_media_type, renderer_context)
