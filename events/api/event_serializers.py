"""Event serializers: the write forms.

Reads are built without serializers: rows by events.api.rows, the detail by
events.api.event_detail; their shapes are declared in events.api.shapes.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from events import dates
from events.api.actor_serializers import ActorRefField
from events.api.writing import FullCleanModelSerializer, TextValue, VersionedWriteSerializer
from events.choices import ActorKind
from events.models import Actor, Citation, Event, EventType, Participation, Source


class WrittenDateField(serializers.CharField):
    """`date` as a source writes it, read by events.dates.parse_written_date."""

    MAX_LENGTH = 100  # checked here: validators would run on the parsed value

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        if len(text) > self.MAX_LENGTH:
            raise serializers.ValidationError(
                f"Ensure this field has no more than {self.MAX_LENGTH} characters."
            )
        try:
            return dates.parse_written_date(text)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc


class EventWriteSerializer(VersionedWriteSerializer):
    """Create or change an event. Status changes only through publish / unpublish / retract.

    The date is one field, `date`, written as a source gives it; the six stored fields
    (start_date … end_approximate) are still accepted instead, for older clients.
    """

    DATE_FIELDS = (
        "start_date",
        "start_precision",
        "start_approximate",
        "end_date",
        "end_precision",
        "end_approximate",
    )

    type = serializers.SlugRelatedField(
        source="event_type", slug_field="slug", queryset=EventType.objects.all()
    )
    location_country = ActorRefField(
        queryset=Actor.objects.filter(kind=ActorKind.STATE), required=False, allow_null=True
    )
    date = WrittenDateField(
        required=False,
        write_only=True,
        help_text=f"{dates.DATE_HELP} Stored as start_date, start_precision, start_approximate "
        "and the end_* fields; send either this or those.",
    )
    confirm_unusual_date = serializers.BooleanField(
        required=False,
        write_only=True,
        help_text="Send true to keep a year before 1800 or more than a year ahead (without it "
        "such a date is a 400: it is usually a typo).",
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "summary",
            "type",
            "date",
            "start_date",
            "start_precision",
            "start_approximate",
            "end_date",
            "end_precision",
            "end_approximate",
            "location_country",
            "location_name",
            "verification",
            "importance",
            "version",
            "confirm_unusual_date",
        ]
        extra_kwargs = {
            "start_date": {"required": False},
            "end_precision": {"required": False},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        written = attrs.pop("date", None)
        if written is not None:
            also = [name for name in self.DATE_FIELDS if name in self.initial_data]
            if also:
                raise serializers.ValidationError(
                    {"date": f"Send either date or {', '.join(also)}, not both."}
                )
            attrs.update(written.as_fields())
        elif self.instance is None and "start_date" not in attrs:
            raise serializers.ValidationError({"date": "Give the event's date."})
        return attrs

    def _clean_and_save(self, instance, validated_data):
        # Errors about the stored date fields are reported on `date` when the client sent it.
        try:
            return super()._clean_and_save(instance, validated_data)
        except DjangoValidationError as exc:
            if "date" not in self.initial_data or not hasattr(exc, "error_dict"):
                raise
            moved: dict = {}
            for name, errors in exc.error_dict.items():
                moved.setdefault("date" if name in self.DATE_FIELDS else name, []).extend(errors)
            raise DjangoValidationError(moved) from exc


class ParticipationSerializer(FullCleanModelSerializer):
    """An actor's role in an event, by slugs."""

    event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.all())
    actor = ActorRefField()

    class Meta:
        model = Participation
        fields = ["id", "event", "actor", "role", "note"]


class CitationSerializer(FullCleanModelSerializer):
    """A source cited for an event: the event by slug, the source by id."""

    event = serializers.SlugRelatedField(slug_field="slug", queryset=Event.objects.all())
    source = serializers.PrimaryKeyRelatedField(queryset=Source.objects.all())

    class Meta:
        model = Citation
        fields = ["id", "event", "source", "quote", "locator", "stance", "note"]


class RetractSerializer(serializers.Serializer):
    reason = TextValue(help_text="Why it is retracted; readers will see it.")
