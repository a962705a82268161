"""/api/v1/types/: the event types, as a tree, with their CAMEO and PLOVER codes.

The slugs are what `?type=` takes (a parent includes its subtypes); the codes' labels and the
codebooks they are checked against are in events/taxonomy.py.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from events.api.caching import ConditionalReadMixin
from events.api.openapi import NOT_MODIFIED, READ_ERRORS, error_responses, shape
from events.api.shapes import EventTypeNode, EventTypeTree
from events.models import EventType
from events.taxonomy import cameo_label, plover_label


def _code(code: str, label: str) -> dict | None:
    return {"code": code, "label": label} if code else None


def type_tree() -> EventTypeTree:
    """Every type once, each parent followed by its subtypes, by name (one query)."""
    rows = list(
        EventType.objects.order_by("name").values(
            "id", "slug", "name", "description", "parent_id", "cameo_code", "plover_code"
        )
    )
    children: dict[int | None, list[dict]] = {}
    for row in rows:
        children.setdefault(row["parent_id"], []).append(row)
    results: list[EventTypeNode] = []

    def add(parent: dict | None, depth: int) -> None:
        for row in children.get(parent["id"] if parent else None, []):
            results.append(
                {
                    "slug": row["slug"],
                    "name": row["name"],
                    "description": row["description"],
                    "parent": parent["slug"] if parent else None,
                    "depth": depth,
                    "subtypes": [child["slug"] for child in children.get(row["id"], [])],
                    "cameo": _code(row["cameo_code"], cameo_label(row["cameo_code"])),
                    "plover": _code(row["plover_code"], plover_label(row["plover_code"])),
                }
            )
            add(row, depth + 1)

    add(None, 0)
    return {"count": len(results), "results": results}


class EventTypeListView(ConditionalReadMixin, APIView):
    """The event taxonomy: what `?type=` accepts."""

    permission_classes = [AllowAny]  # read-only; the taxonomy is public
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Event types, with their hierarchy and CAMEO and PLOVER codes",
        description="Every event type once, in tree order (each parent followed by its "
        "subtypes), with its `parent`, `subtypes` and `depth`. Use a `slug` as `?type=` on "
        "the event lists (a parent type includes its subtypes). `cameo` and `plover` give the "
        "closest code of the CAMEO 1.1b3 and PLOVER "
        "0.7b1 codebooks with the codebook's label, or null where no code genuinely matches.",
        responses={200: shape(EventTypeTree), **NOT_MODIFIED, **error_responses(*READ_ERRORS)},
    )
    def get(self, request):
        return Response(type_tree())
