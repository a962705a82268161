"""Sources: the write form. Reads are built in source_views (shapes.SourceRow, SourceDetail)."""

from rest_framework import serializers

from events.api.writing import VersionedWriteSerializer
from events.archiving import archive_later
from events.models import Source


class SourceWriteSerializer(VersionedWriteSerializer):
    """Create or change a source. URLs are normalised and deduplicated as in the admin."""

    authors = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, help_text="One per author."
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
        attrs = super().validate(attrs)
        if "authors" in attrs:
            attrs["authors"] = "\n".join(a.strip() for a in attrs["authors"] if a.strip())
        return attrs

    def create(self, validated_data):
        source = super().create(validated_data)
        archive_later(source)  # a source added by hand is archived in the background
        return source

    def update(self, instance, validated_data):
        old_url = instance.url
        source = super().update(instance, validated_data)
        if source.url != old_url:
            archive_later(source)
        return source
