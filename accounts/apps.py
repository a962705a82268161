from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Who may sign in and how: login lockouts, API tokens, their admin and permissions."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self):
        from accounts import lockout, one_time, schema  # noqa: F401  receivers; the token scheme
