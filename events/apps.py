from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Timeline data"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events import revisions, signals  # signals connects the search-text receivers

        signals.connect_change_stamps()
        signals.connect_aggregate_versions()
        signals.connect_public_changes()
        revisions.register_models()
