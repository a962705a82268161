"""Writes through the API follow the admin's rules: the model's `full_clean`, then `save`.

Every rule lives on the model (`clean()`, field validators, constraints), so the messages a
client gets here are the ones a curator sees in the admin. DRF's own unique validators are
dropped for the same reason: `full_clean` checks uniqueness with the model's messages.
"""

from django.db import transaction
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.validators import UniqueValidator

from events import revisions, services
from events.api.exceptions import Conflict
from events.authorship import stamp_author


def can_see_unpublished(request, model_name: str) -> bool:
    """Curators and editors (who may view the model) also see drafts; readers do not."""
    user = request.user
    return user.is_authenticated and user.has_perm(f"events.view_{model_name}")


def guard_deletion(obj, user) -> None:
    """The services' deletion rules in HTTP: 403 if this user may not, 409 if no one may."""
    problem = services.deletion_forbidden(obj=obj, user=user)
    if problem:
        raise PermissionDenied(problem)
    problem = services.deletion_conflict(obj)
    if problem:
        raise Conflict(problem)


class SlugRefField(serializers.SlugRelatedField):
    """A related object by slug; text PostgreSQL cannot hold (NUL) is a 400, not a 500."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError("Null characters are not allowed.")
        return super().to_internal_value(data)


class TextValue(serializers.CharField):
    """Text, as the schema says: a number or true/false is refused, not quietly made text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            raise serializers.ValidationError(
                "Give text here (in quotes), not a number or true/false."
            )
        return super().to_internal_value(data)


class FullCleanModelSerializer(serializers.ModelSerializer):
    """A write serializer that validates through the model and records who wrote.

    Subclasses list `Meta.fields`; nested or many-to-many data is popped in `pop_related()`
    and written in `save_related()`, inside the same transaction as the object.
    """

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.CharField:
            field_class = TextValue
        validators = [v for v in kwargs.get("validators", []) if not isinstance(v, UniqueValidator)]
        if "validators" in kwargs:
            kwargs["validators"] = validators
        return field_class, kwargs

    def get_validators(self):
        return []  # unique_together and constraints: full_clean checks them

    def pop_related(self, validated_data: dict) -> dict:
        return {}

    def save_related(self, instance, related: dict) -> None:
        """Write nested data; raise django ValidationError to reject the whole write."""

    @transaction.atomic
    def create(self, validated_data):
        return self._clean_and_save(self.Meta.model(), validated_data)

    @transaction.atomic
    def update(self, instance, validated_data):
        return self._clean_and_save(instance, validated_data)

    def _clean_and_save(self, instance, validated_data):
        # One revision for the object and its nested data (joins the request's, if open).
        with revisions.recorded(self.context["request"].user):
            return self._write(instance, validated_data)

    def _write(self, instance, validated_data):
        related = self.pop_related(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        stamp_author(instance, self.context["request"].user)
        instance.full_clean()
        instance.save()
        self.save_related(instance, related)
        return instance


class VersionedWriteSerializer(FullCleanModelSerializer):
    """The write form of a VersionedModel: `version` is the version the client read.

    The view checks it against the stored version (409 when stale, see
    events.api.caching.VersionedWriteMixin); it is never written itself.
    """

    version = serializers.IntegerField(
        required=False,
        write_only=True,
        help_text="The version you read; a stale one is refused with 409 (see also If-Match).",
    )

    def validate(self, attrs):
        attrs.pop("version", None)
        return super().validate(attrs)
