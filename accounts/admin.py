"""API tokens in the admin: each person lists, creates and revokes their own.

A new token is shown once, on the page that created it (never in a message cookie); only its
SHA-512 digest and its first characters are stored. Revoking is deleting. Superusers see
everyone's tokens, to revoke them.
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.utils import timezone
from knox.models import AuthToken, get_digest_token
from knox.settings import CONSTANTS

from accounts import one_time

admin.site.unregister(AuthToken)  # knox's own admin lists every user's tokens to anyone allowed

MAX_LIFETIME = timedelta(days=365)


class TokenCreateForm(forms.ModelForm):
    class Meta:
        model = AuthToken
        fields = ["expiry"]
        help_texts = {"expiry": "The token stops working then; at most a year from now."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expiry"].required = True
        self.fields["expiry"].initial = timezone.now() + settings.REST_KNOX["TOKEN_TTL"]

    def clean_expiry(self):
        expiry = self.cleaned_data["expiry"]
        now = timezone.now()
        if expiry <= now:
            raise forms.ValidationError("Choose a moment in the future.")
        if expiry > now + MAX_LIFETIME:
            raise forms.ValidationError("A token may live at most a year: choose an earlier date.")
        return expiry


@admin.register(AuthToken)
class TokenAdmin(admin.ModelAdmin):
    form = TokenCreateForm
    list_display = ["token_key", "user", "created", "expiry"]
    list_select_related = ["user"]
    ordering = ["-created"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return self.list_display
        return ["token_key", "created", "expiry"]

    def has_change_permission(self, request, obj=None):
        return False  # a token is never edited: revoke it and create another

    def save_model(self, request, obj, form, change):
        digest, token = get_digest_token()
        obj.digest = digest
        obj.token_key = token[: CONSTANTS.TOKEN_KEY_LENGTH]
        obj.user = request.user
        obj.save()
        request._new_api_token = token  # for response_add, this request only

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(
            request,
            "accounts/token_created.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": "Your new API token",
                "token": request._new_api_token,
                "expiry": obj.expiry,
            },
        )


# --- Users: a password someone sets for another person works once ----------------------------

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Django's user admin, but a password set here for someone else (a new account, or "Set
    password" on theirs) is one they must replace at their next sign-in (accounts/one_time.py)."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change and obj.has_usable_password():
            one_time.issue(obj)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            user = User.objects.filter(pk=id).first()
            if user is not None and user.pk != request.user.pk:
                one_time.issue(user)
        return response
