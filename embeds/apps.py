from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    """Public, server-rendered pages and the embeddable timeline (iframe, embed.js, oEmbed)."""

    name = "embeds"
    default_auto_field = "django.db.models.BigAutoField"
