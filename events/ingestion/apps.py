from django.apps import AppConfig


class IngestionConfig(AppConfig):
    """Its own app label, like imports: an ingestion and its candidates are a work queue, not
    curated data, so they stay out of the change stamps that every `events` model carries. The
    review actions are still recorded as revisions (services.py registers Candidate)."""

    name = "events.ingestion"
    label = "ingestion"
    verbose_name = "Ingestion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import reversion

        from events.ingestion.models import Candidate

        if not reversion.is_registered(Candidate):
            reversion.register(Candidate)
