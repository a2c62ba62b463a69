"""Granting and revoking city staff access, for the commands and the admin alike.

Granting makes the user (created if missing) staff, a member of the "City staff"
group and an editor of the city. A user created here has no usable password: they
choose one through a one-time link made with Django's password-reset tokens
(`password_set_path`). The token is tied to the password hash, so it stops
working once they have set it, and it expires after `PASSWORD_RESET_TIMEOUT`.

Revoking removes the city; a user who no longer edits any city leaves the group,
and loses staff status unless another group or superuser status still needs it.

Each grant and revoke is recorded as a version of the city (django-reversion), so
it appears in the city's history with who did it.
"""

from dataclasses import dataclass

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext, gettext_noop

from core.admin_wording import sentence_comment, sentence_of

from .permissions import CITY_STAFF_GROUP


@dataclass(frozen=True)
class Grant:
    user: object
    created: bool

    @property
    def needs_password(self):
        return not self.user.has_usable_password()


GRANTED = gettext_noop("City staff access granted to %(username)s.")
REVOKED = gettext_noop("City staff access revoked from %(username)s.")


def is_access_change(comment):
    """Whether a revision comment records a grant or a revoke: kept as a sentence,
    or written out in any language (before comments were kept as sentences)."""
    if sentence_of(comment) in (GRANTED, REVOKED):
        return True
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for message in (GRANTED, REVOKED):
                before, _username, after = gettext(message).partition("%(username)s")
                if comment.startswith(before) and comment.endswith(after):
                    return True
    return False


def _record(city, comment, acting_user):
    with reversion.create_revision():
        reversion.add_to_revision(city)
        reversion.set_comment(comment)
        if acting_user is not None:
            reversion.set_user(acting_user)


@transaction.atomic
def grant_city_editor(city, username, email="", acting_user=None):
    """Make `username` city staff of `city`; create the user if missing."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        **{user_model.USERNAME_FIELD: username}, defaults={"email": email}
    )
    if created:
        user.set_unusable_password()
    elif email and not user.email:
        user.email = email
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=CITY_STAFF_GROUP))
    if not city.editors.filter(pk=user.pk).exists():
        city.editors.add(user)
        _record(city, sentence_comment(GRANTED, username=username), acting_user)
    return Grant(user, created)


@transaction.atomic
def revoke_city_editor(city, user, acting_user=None):
    """Take `city` away from `user`. Returns False when they did not edit it."""
    if not city.editors.filter(pk=user.pk).exists():
        return False
    city.editors.remove(user)
    if not user.edited_cities.exists():
        user.groups.remove(*Group.objects.filter(name=CITY_STAFF_GROUP))
        if not user.is_superuser and not user.groups.exists():
            user.is_staff = False
            user.save(update_fields=["is_staff"])
    _record(city, sentence_comment(REVOKED, username=user.get_username()), acting_user)
    return True


def password_set_path(user):
    """The path of the one-time page where `user` chooses a password."""
    return reverse(
        "admin:password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
