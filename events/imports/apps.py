from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Its own app label: an import's records are a log of bulk work, not curated data, so
    they stay out of the change stamps and the history that every `events` model carries."""

    name = "events.imports"
    label = "imports"
    verbose_name = "Imports"
    default_auto_field = "django.db.models.BigAutoField"
