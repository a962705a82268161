"""Who acts: states, international bodies and their organs, people; and the posts people hold."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from events.choices import ActorKind
from events.models.base import TrackedModel, VersionedModel
from events.querysets import ActorQuerySet, RoleQuerySet
from events.validators import validate_iso3, validate_iso3_list, wikidata_id_validator


class Actor(TrackedModel, VersionedModel):
    """A state, an international organisation or one of its organs, a person, or another actor."""

    name = models.CharField(max_length=200, help_text="Full name, e.g. “Russian Federation”.")
    slug = models.SlugField(
        max_length=200,
        unique=True,
        help_text="The end of its web address, filled in from the name: lowercase letters, "
        "digits and hyphens.",
    )
    kind = models.CharField(max_length=20, choices=ActorKind.choices, db_index=True)
    short_name = models.CharField(
        max_length=100, blank=True, help_text="How it is usually written, e.g. “Russia”."
    )
    aliases = models.TextField(
        blank=True,
        help_text="Other names and spellings that search should find, one per line "
        "(e.g. “Marko Rubio”, “Zelenskyy”).",
    )
    iso3 = models.CharField(
        "ISO 3166-1 alpha-3",
        max_length=3,
        null=True,
        blank=True,
        unique=True,
        validators=[validate_iso3],
        help_text="For states only: USA, RUS, UKR …",
    )
    wikidata_id = models.CharField(
        "Wikidata id",
        max_length=20,
        null=True,
        blank=True,
        unique=True,
        validators=[wikidata_id_validator],
        help_text="For example Q30 for the United States.",
    )
    description = models.TextField(blank=True)
    # PROTECT: an organ must be moved or removed before its organisation can be deleted.
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="The organisation this organ belongs to (UN Security Council → United Nations).",
    )
    search_names = models.TextField(
        blank=True, editable=False, help_text="Name, short name and aliases, for search."
    )
    # The voting rules of a body, stored on it (not keyed in code by name) so any body can have
    # them; VoteRecord.clean checks recorded votes against them.
    voting_members = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a voting body: how many members vote (193 in the UN General Assembly, "
        "15 in the Security Council). Recorded counts may not add up to more.",
    )
    votes_to_adopt = models.PositiveSmallIntegerField(
        "votes needed to adopt",
        null=True,
        blank=True,
        help_text="For a voting body: the fewest votes in favour that adopt a text "
        "(9 in the Security Council).",
    )
    veto_members = models.CharField(
        max_length=100,
        blank=True,
        validators=[validate_iso3_list],
        help_text="For a voting body: ISO 3166 alpha-3 codes of the members whose vote against "
        "defeats a text, separated by spaces (CHN FRA GBR RUS USA in the Security Council).",
    )

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="events_actor_name_id_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(iso3__isnull=True) | Q(kind=ActorKind.STATE),
                name="%(app_label)s_%(class)s_iso3_only_for_states",
                violation_error_message="Only states carry an ISO 3166 code.",
            ),
            models.CheckConstraint(
                condition=Q(iso3__isnull=True) | Q(iso3__regex=r"^[A-Z]{3}$"),
                name="%(app_label)s_%(class)s_iso3_format",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id__isnull=True) | Q(wikidata_id__regex=r"^Q[1-9][0-9]*$"),
                name="%(app_label)s_%(class)s_wikidata_id_format",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")),
                name="%(app_label)s_%(class)s_not_own_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        """Its public page (the admin's "View on site"); staff see an actor known only from
        drafts there as a preview (events.preview), readers a 404."""
        return reverse("embeds:actor", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def veto_member_codes(self) -> set[str]:
        return set(self.veto_members.split())

    def derive_fields(self) -> None:
        """What every save derives (and a bulk insert, which calls no save, must too)."""
        self.iso3 = self.iso3 or None
        self.wikidata_id = self.wikidata_id or None
        self.search_names = "\n".join([self.name, self.short_name, *self.alias_list]).strip()

    def clean(self) -> None:
        # Blank form input means "no code": store NULL so uniqueness ignores it.
        self.iso3 = (self.iso3 or "").strip() or None
        self.wikidata_id = (self.wikidata_id or "").strip() or None
        if self.iso3 and self.kind != ActorKind.STATE:
            raise ValidationError({"iso3": "Only states carry an ISO 3166 code."})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": "An actor cannot be its own parent."})

    def save(self, *args, **kwargs):
        self.derive_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_names"}
        super().save(*args, **kwargs)


class Role(TrackedModel):
    """A post a person holds in an organisation or state over a period (a membership)."""

    # PROTECT: people and organisations are never deleted while their posts are recorded.
    person = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="roles")
    organisation = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="posts")
    title = models.CharField(
        max_length=200, help_text="The post, e.g. “National Security Advisor”."
    )
    start_date = models.DateField(null=True, blank=True, help_text="Blank if not known.")
    end_date = models.DateField(null=True, blank=True, help_text="Blank while in post.")

    objects = RoleQuerySet.as_manager()

    class Meta:
        # "Post", not "role": a participant's role in an event is another thing (Participation).
        verbose_name = "post"
        verbose_name_plural = "posts"
        ordering = ["person", "start_date", "id"]
        indexes = [
            models.Index(fields=["person", "start_date"], name="events_role_person_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="%(app_label)s_%(class)s_end_after_start",
                violation_error_message="A post cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(person=models.F("organisation")),
                name="%(app_label)s_%(class)s_not_self",
            ),
            models.UniqueConstraint(
                fields=["person", "organisation", "title", "start_date"],
                name="%(app_label)s_%(class)s_unique_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title}, {self.organisation}"

    def clean(self) -> None:
        errors = {}
        if self.person_id and self.person.kind != ActorKind.PERSON:
            errors["person"] = "Posts are held by people: choose an actor of kind Person."
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "A post cannot end before it starts."
        if errors:
            raise ValidationError(errors)
