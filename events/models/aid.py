"""Aid measures: who gives what to whom, and whether it is pledged, paused or resumed."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from events.choices import AidAction, AidKind
from events.models.actors import Actor
from events.models.events import Event
from events.validators import validate_currency


class AidMeasure(models.Model):
    """A measure of aid recorded by an aid event (pledge, pause, resumption …)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="aid_measures")
    # PROTECT: donors and recipients outlive the measures recorded about them.
    donor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="aid_given")
    recipient = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="aid_received")
    kind = models.CharField(max_length=12, choices=AidKind.choices)
    action = models.CharField(max_length=12, choices=AidAction.choices)
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, help_text="Leave blank if unknown."
    )
    currency = models.CharField(
        max_length=3,
        blank=True,
        validators=[validate_currency],
        help_text="ISO 4217 code, required with an amount (USD, EUR …).",
    )
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["event", "id"]
        indexes = [
            models.Index(fields=["donor", "recipient"], name="events_aid_donor_recipient_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gte=0),
                name="%(app_label)s_%(class)s_amount_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True, currency="")
                | Q(amount__isnull=False, currency__regex=r"^[A-Z]{3}$"),
                name="%(app_label)s_%(class)s_currency_with_amount",
                violation_error_message="An amount needs an ISO 4217 currency, and only then.",
            ),
            models.CheckConstraint(
                condition=~Q(donor=models.F("recipient")),
                name="%(app_label)s_%(class)s_donor_not_recipient",
                violation_error_message="Donor and recipient must differ.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} aid {self.get_action_display().lower()}"

    def clean(self) -> None:
        errors = {}
        if self.amount is not None and not self.currency:
            errors["currency"] = "Give the ISO 4217 currency of the amount, e.g. USD."
        if self.amount is None and self.currency:
            errors["currency"] = "A currency only goes with an amount."
        if self.donor_id and self.donor_id == self.recipient_id:
            errors["recipient"] = "Donor and recipient must differ."
        if errors:
            raise ValidationError(errors)
