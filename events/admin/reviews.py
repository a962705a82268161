"""The editors' review queue: curators' changes to published content, approved or rejected
here (the rules: events.reviews). Curators see the changes they proposed, and why one was
rejected."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST

from events import preview, reviews
from events.choices import ReviewStatus
from events.models import RevisionReview


@admin.register(RevisionReview)
class RevisionReviewAdmin(admin.ModelAdmin):
    list_display = ("root_repr", "status", "proposed_by", "created_at", "reviewed_by")
    list_filter = ("status",)
    list_select_related = ("proposed_by", "reviewed_by")
    search_fields = ("root_repr",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return reviews.visible_reviews(request.user)

    def has_module_permission(self, request) -> bool:
        return request.user.has_perm("events.view_event")

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("events.view_event")

    def has_add_permission(self, request) -> bool:
        return False  # proposed by saving published content, never added by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # decided by the approve and reject buttons only

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # the record of who proposed and who decided stays

    def get_urls(self):
        return [
            path(
                "<path:object_id>/approve/",
                self.admin_site.admin_view(self.approve_view),
                name="events_revisionreview_approve",
            ),
            path(
                "<path:object_id>/reject/",
                self.admin_site.admin_view(self.reject_view),
                name="events_revisionreview_reject",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        review = self.get_object(request, unquote(object_id))
        if review is None:
            raise Http404("No such proposed change, or not yours to see.")
        root = review.root
        context = {
            **self.admin_site.each_context(request),
            "title": str(review),
            "opts": self.opts,
            "review": review,
            "root": root,
            "root_url": _change_url(root),
            "preview_url": preview.proposal_preview_url(review, root),
            "diff": reviews.proposed_diff(review),
            "can_decide": review.status == ReviewStatus.PENDING
            and reviews.may_review(request.user),
        }
        return TemplateResponse(request, "admin/events/revision_review.html", context)

    def _decide(self, request, object_id, decide, done: str):
        review = self.get_object(request, unquote(object_id))
        if review is None:
            raise Http404("No such proposed change.")
        if not reviews.may_review(request.user):
            raise PermissionDenied
        try:
            decide(review)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return HttpResponseRedirect(
                reverse("admin:events_revisionreview_change", args=[review.pk])
            )
        messages.success(request, f"The change to “{review.root_repr}” was {done}.")
        return HttpResponseRedirect(reverse("admin:events_revisionreview_changelist"))

    @method_decorator(require_POST)
    def approve_view(self, request, object_id):
        return self._decide(
            request,
            object_id,
            lambda review: reviews.review_approve(review=review, user=request.user),
            "approved and is live",
        )

    @method_decorator(require_POST)
    def reject_view(self, request, object_id):
        reason = request.POST.get("reason", "")
        return self._decide(
            request,
            object_id,
            lambda review: reviews.review_reject(review=review, user=request.user, reason=reason),
            "rejected",
        )


def _change_url(obj) -> str | None:
    if obj is None:
        return None
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
