"""Proposed changes to published content in HTTP (the rules: events.reviews).

`ReviewedWriteMixin` goes first in the bases of every viewset that writes events, timelines or
their parts: a curator's write to published content answers `202 Accepted` with the pending
change instead of making it. `ReviewViewSet` is the editors' queue: /api/v1/reviews/, with
approve and reject actions.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.reverse import reverse

from events import reviews
from events.api.browsable import BrowsableAPIRenderer
from events.api.openapi import error_responses, shape
from events.api.renderers import ORJSONRenderer
from events.api.shapes import Review
from events.api.writing import TextValue
from events.choices import ReviewStatus
from events.models import RevisionReview

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def review_data(review: RevisionReview, request) -> dict:
    root = review.root
    return {
        "id": review.pk,
        "status": review.status,
        "object": {
            "type": review.root_type.model,
            "slug": getattr(root, "slug", None),
            "title": str(root) if root is not None else review.root_repr,
        },
        "proposed_by": review.proposed_by.get_username() if review.proposed_by else None,
        "proposed_at": review.created_at,
        "proposal_reason": review.revision.comment,
        "reviewed_by": review.reviewed_by.get_username() if review.reviewed_by else None,
        "reviewed_at": review.reviewed_at,
        "decision_reason": review.reason,
        "diff": reviews.proposed_diff(review).to_dict(),
        "url": reverse("review-detail", args=[review.pk], request=request),
    }


class ReviewedWriteMixin:
    """Writes by someone who may not publish, to published content, are held for review."""

    def dispatch(self, request, *args, **kwargs):
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        parent = super().dispatch
        outcome = reviews.write_or_propose(
            user=lambda: request.user,
            write=lambda: parent(request, *args, **kwargs),
            succeeded=lambda response: response.status_code < 400,
        )
        if not outcome.held:
            return outcome.result
        (review, *_others) = outcome.held
        response = Response(review_data(review, self.request), status=status.HTTP_202_ACCEPTED)
        response["Location"] = reverse("review-detail", args=[review.pk], request=self.request)
        return self.finalize_response(self.request, response, *args, **kwargs)


class RejectSerializer(serializers.Serializer):
    reason = TextValue(help_text="Why it is rejected; the curator sees it.")


STATUS_FILTER = OpenApiParameter(
    "status",
    str,
    enum=list(ReviewStatus.values),
    description="Default `pending`.",
)


@extend_schema_view(
    list=extend_schema(
        summary="Proposed changes to published content (editors)",
        parameters=[STATUS_FILTER],
        responses={200: shape(list[Review]), **error_responses(400, 401, 403, 429)},
    ),
    retrieve=extend_schema(
        summary="One proposed change (editors, and the curator who proposed it)",
        responses={200: shape(Review), **error_responses(401, 404, 429)},
    ),
)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The editors' review queue; curators read the changes they proposed (and why an editor
    rejected one) at their own `url`."""

    renderer_classes = [ORJSONRenderer, BrowsableAPIRenderer]
    permission_classes = [IsAuthenticated]
    queryset = RevisionReview.objects.none()  # for the schema; get_queryset decides
    serializer_class = RejectSerializer  # the only body any action takes
    lookup_value_regex = r"[^/]+"  # a malformed id is a JSON 404, not the site's HTML one
    pagination_class = None

    def initial(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not (pk.isascii() and pk.isdigit()):
            raise NotFound(f"No proposed change “{pk}”.")
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        return reviews.visible_reviews(self.request.user)

    def permission_denied(self, request, message=None, code=None):
        if not request.user.is_authenticated:
            raise NotAuthenticated("Log in as an editor to review proposed changes.")
        super().permission_denied(request, message, code)

    def _require_editor(self, request) -> None:
        if not reviews.may_review(request.user):
            raise PermissionDenied("Only editors see the review queue and decide on changes.")

    def list(self, request, *args, **kwargs):
        self._require_editor(request)
        wanted = request.query_params.get("status") or ReviewStatus.PENDING
        if wanted not in ReviewStatus.values:
            raise serializers.ValidationError(
                {"status": [f"Use one of {', '.join(ReviewStatus.values)}."]}
            )
        found = self.get_queryset().filter(status=wanted)
        return Response([review_data(review, request) for review in found])

    def retrieve(self, request, *args, **kwargs):
        return Response(review_data(self.get_object(), request))

    @extend_schema(
        summary="Approve: the change goes live, recorded as a revision by the editor",
        request=None,
        responses={200: shape(Review), **error_responses(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        self._require_editor(request)
        review = self.get_object()
        review = reviews.review_approve(review=review, user=request.user)
        return Response(review_data(review, request))

    @extend_schema(
        summary="Reject with a reason the curator sees",
        request=RejectSerializer,
        responses={200: shape(Review), **error_responses(400, 401, 403, 404, 429)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        self._require_editor(request)
        review = self.get_object()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        review = reviews.review_reject(
            review=review, user=request.user, reason=body.validated_data["reason"]
        )
        return Response(review_data(review, request))
