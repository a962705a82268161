"""Sources: the list form, the detail with the events citing it, and the write form."""

from rest_framework import serializers

from events.api.writing import FullCleanModelSerializer
from events.choices import CitationStance
from events.models import Source


class SourceListSerializer(serializers.ModelSerializer):
    """Documents the list rows (built from a projection in source_views.source_rows)."""

    url = serializers.CharField(allow_null=True, help_text="The document's address, if any.")
    api_url = serializers.CharField(help_text="This source in the API.")
    authors = serializers.ListField(child=serializers.CharField())
    published = serializers.CharField(
        allow_null=True, help_text="Publication date in its precision: “Feb 2025”."
    )
    published_edtf = serializers.CharField(allow_null=True, help_text="EDTF: 2025-02.")

    class Meta:
        model = Source
        fields = [
            "id",
            "api_url",
            "kind",
            "title",
            "url",
            "reference",
            "publisher",
            "authors",
            "published",
            "published_edtf",
            "language",
            "archive_url",
        ]


class CitingEventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    display_date = serializers.CharField()
    edtf = serializers.CharField()
    status = serializers.CharField()
    stance = serializers.ChoiceField(choices=CitationStance.choices)
    quote = serializers.CharField()
    locator = serializers.CharField()


class SourceDetailSerializer(SourceListSerializer):
    """Documents the detail (built in source_views)."""

    events = CitingEventSerializer(
        many=True, help_text="Public events citing this source, by date, with the passage."
    )
    version = serializers.IntegerField()

    class Meta(SourceListSerializer.Meta):
        fields = [
            *SourceListSerializer.Meta.fields,
            "events",
            "version",
            "created_at",
            "updated_at",
        ]


class SourceWriteSerializer(FullCleanModelSerializer):
    """Create or change a source. URLs are normalised and deduplicated as in the admin."""

    authors = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="One per author."
    )
    version = serializers.IntegerField(
        required=False,
        help_text="The version you read; a stale one is refused with 409 (see also If-Match).",
    )

    class Meta:
        model = Source
        fields = [
            "kind",
            "title",
            "url",
            "reference",
            "publisher",
            "authors",
            "published_on",
            "published_precision",
            "published_approximate",
            "language",
            "archive_url",
            "full_text",
            "version",
        ]

    def validate(self, attrs):
        attrs.pop("version", None)  # checked against the object by VersionedWriteMixin
        if "authors" in attrs:
            attrs["authors"] = "\n".join(a.strip() for a in attrs["authors"] if a.strip())
        return attrs

    def to_representation(self, instance):
        from events.api.source_views import source_detail

        return source_detail(instance, self.context["request"])
