"""Actors: a brief form for lists and nesting, a full form with posts over time, a write form."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from events.api.openapi import shape
from events.api.shapes import DuplicateWarning
from events.api.writing import SlugRefField, VersionedWriteSerializer
from events.models import Actor


class ActorRefField(SlugRefField):
    """An actor given by slug, a state by its ISO 3166 alpha-3 code, or by Wikidata id."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Actor.objects.all())
        super().__init__(slug_field="slug", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.strip():
            self.fail("invalid")
        if "\x00" in data:
            raise serializers.ValidationError("Null characters are not allowed.")
        actor = self.get_queryset().resolve(data).get(data)
        if actor is None:
            raise serializers.ValidationError(
                f"Unknown actor: {data}. Use an actor's slug, a state's ISO 3166 alpha-3 code "
                "or a Wikidata id."
            )
        return actor


class ActorLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = ["slug", "name", "short_name", "kind", "iso3", "url"]

    def get_url(self, actor) -> str:
        return reverse("actor-detail", args=[actor.slug], request=self.context.get("request"))


class ActorListSerializer(ActorLinkSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list")
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)

    class Meta(ActorLinkSerializer.Meta):
        fields = [*ActorLinkSerializer.Meta.fields, "aliases", "wikidata_id", "parent"]


class ActorPostSerializer(serializers.Serializer):
    """A post held over a period: by the actor (`organisation`) or within it (`person`)."""

    title = serializers.CharField()
    person = ActorLinkSerializer(required=False)
    organisation = ActorLinkSerializer(required=False)
    start_date = serializers.DateField(allow_null=True, help_text="Null if not known.")
    end_date = serializers.DateField(allow_null=True, help_text="Null while in post.")


class ActorDetailSerializer(ActorListSerializer):
    parent = ActorLinkSerializer(read_only=True, allow_null=True)
    children = ActorLinkSerializer(many=True, read_only=True, help_text="Organs and bodies.")
    roles = serializers.SerializerMethodField(help_text="Posts this person held, over time.")
    posts = serializers.SerializerMethodField(
        help_text="Posts within this organisation or state, over time."
    )
    events_url = serializers.SerializerMethodField()

    class Meta(ActorListSerializer.Meta):
        fields = [
            *ActorListSerializer.Meta.fields,
            "description",
            "children",
            "roles",
            "posts",
            "events_url",
            "version",
            "created_at",
            "updated_at",
        ]

    def _brief(self, actor) -> dict:
        return ActorLinkSerializer(actor, context=self.context).data

    @extend_schema_field(ActorPostSerializer(many=True))
    def get_roles(self, actor) -> list[dict]:
        return [
            {
                "title": role.title,
                "organisation": self._brief(role.organisation),
                "start_date": role.start_date,
                "end_date": role.end_date,
            }
            for role in actor.roles.all()
        ]

    @extend_schema_field(ActorPostSerializer(many=True))
    def get_posts(self, actor) -> list[dict]:
        return [
            {
                "title": role.title,
                "person": self._brief(role.person),
                "start_date": role.start_date,
                "end_date": role.end_date,
            }
            for role in actor.posts.all()
        ]

    def get_events_url(self, actor) -> str:
        return reverse("actor-events", args=[actor.slug], request=self.context.get("request"))


class ActorWriteSerializer(VersionedWriteSerializer):
    """Create or change an actor; the rules (ISO codes only for states …) are the admin's."""

    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200),
        source="alias_list",
        required=False,
        help_text="Other names and spellings that search should find.",
    )
    parent = ActorRefField(required=False, allow_null=True)

    class Meta:
        model = Actor
        fields = [
            "slug",
            "name",
            "short_name",
            "kind",
            "iso3",
            "wikidata_id",
            "aliases",
            "description",
            "parent",
            "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "alias_list" in attrs:
            attrs["aliases"] = "\n".join(a.strip() for a in attrs.pop("alias_list") if a.strip())
        return attrs


@extend_schema_field(shape(list[DuplicateWarning]))
class DuplicateWarningsField(serializers.ListField):
    """events.api.warnings: the records the one written may repeat."""


class ActorWrittenSerializer(ActorDetailSerializer):
    """The answer to a write (schema only): the actor as saved, and what it may duplicate."""

    warnings = DuplicateWarningsField(read_only=True)

    class Meta(ActorDetailSerializer.Meta):
        fields = [*ActorDetailSerializer.Meta.fields, "warnings"]
