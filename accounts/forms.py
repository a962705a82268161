"""The admin's sign-in form, with a message that says what is missing."""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError


class CuratorLoginForm(AdminAuthenticationForm):
    """Django answers a right password on an account without staff status with “enter the
    correct username and password”, which sends the person hunting for a typo. The password
    was right, so saying what is missing gives nothing away."""

    def confirm_login_allowed(self, user):
        if user.is_active and not user.is_staff:
            raise ValidationError(
                "Your password is right, but this account has no staff status, which the "
                "admin needs. Ask an editor to tick “Staff status” and choose your group "
                "(or to add you with manage.py add_curator).",
                code="no_staff_status",
            )
        super().confirm_login_allowed(user)
