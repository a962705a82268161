"""Validators for codes curators type by hand; each message says what is allowed."""

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

wikidata_id_validator = RegexValidator(
    r"^Q[1-9][0-9]*$", "A Wikidata id is Q followed by digits, for example Q30."
)

un_symbol_validator = RegexValidator(
    r"^[A-Z]+(/[A-Za-z0-9.()\-]+)+$",
    "Use the UN document symbol as printed, for example A/RES/ES-11/7 or S/RES/2774(2025).",
)


def validate_iso3(value: str) -> None:
    if value != value.upper() or pycountry.countries.get(alpha_3=value) is None:
        raise ValidationError(
            "%(value)s is not an ISO 3166-1 alpha-3 country code; use three capital "
            "letters such as USA, RUS or UKR.",
            params={"value": value},
            code="invalid_iso3",
        )


def validate_iso3_list(value: str) -> None:
    for code in value.split():
        validate_iso3(code)


def validate_currency(value: str) -> None:
    if value != value.upper() or pycountry.currencies.get(alpha_3=value) is None:
        raise ValidationError(
            "%(value)s is not an ISO 4217 currency code; use three capital letters such as "
            "USD or EUR.",
            params={"value": value},
            code="invalid_currency",
        )
