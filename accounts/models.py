"""What the accounts app stores of its own: which passwords were handed out, to be replaced."""

from django.conf import settings
from django.db import models


class IssuedPassword(models.Model):
    """A password someone else chose for this person (add_curator, a reset): it signs them in
    once, and then the admin asks for their own before anything else.

    The hash is the account's password hash when it was issued; once the person sets a new
    password the two differ, so nothing has to remember to clear it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="issued_password"
    )
    password_hash = models.CharField(max_length=128)
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "issued password"

    def __str__(self) -> str:
        return f"Password issued to {self.user} on {self.issued_at:%d %b %Y}"
