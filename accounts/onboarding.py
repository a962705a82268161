"""Getting a person into the curators' admin: an account with staff status in the right group,
and a fresh password when one is lost. Used by `add_curator` and `ensure_admin`."""

import secrets

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import one_time

# The groups events/migrations/0002 creates: curators add and change, editors also publish.
CURATOR_GROUP = "Curator"
EDITOR_GROUP = "Editor"


def generated_password() -> str:
    """A password nobody chose: 24 URL-safe characters, shown once and never stored in clear."""
    return secrets.token_urlsafe(18)


@transaction.atomic
def curator_create(*, username: str, editor: bool = False, email: str = "") -> tuple:
    """A staff account in the Curator (or Editor) group, with a generated password.

    Staff status is what lets a person sign in to the admin at all; the group gives the
    permissions. Returns (user, password); the password is not kept anywhere else.
    """
    User = get_user_model()
    username = username.strip()
    if not username:
        raise ValidationError("Give the new curator a username.")
    if User.objects.filter(**{f"{User.USERNAME_FIELD}__iexact": username}).exists():
        raise ValidationError(
            f"There is already an account “{username}”. To give it a new password, run "
            f"manage.py ensure_admin --reset-password --username {username}."
        )
    user = User(**{User.USERNAME_FIELD: username}, email=email.strip(), is_staff=True)
    user.full_clean(exclude=["password"])
    password = generated_password()
    user.set_password(password)
    user.save()
    one_time.issue(user)  # theirs to replace at the first sign-in
    group_name = EDITOR_GROUP if editor else CURATOR_GROUP
    group = Group.objects.filter(name=group_name).first()
    if group is None:
        raise ValidationError(f"The group “{group_name}” is missing: run manage.py migrate.")
    user.groups.add(group)
    return user, password


def password_reset(*, user, password: str | None = None, one_time_use: bool = True) -> str:
    """Give `user` a new password (generated unless given) and lift any login lockout.

    A password handed to the person works once (`one_time_use`): at their next sign-in the
    admin asks for their own. An operator's own choice (TIMELINE_ADMIN_PASSWORD) is not.
    """
    password = password or generated_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    if one_time_use:
        one_time.issue(user)
    else:
        one_time.IssuedPassword.objects.filter(user=user).delete()
    # Forgetting the failed attempts lets the person sign in now, not in 15 minutes.
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    return password
