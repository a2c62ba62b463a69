"""`manage.py grant_city_editor USERNAME CITY_SLUG`: make a user staff of a city.

The user is created if missing, with no usable password; the command then prints
a one-time link where they choose one. See `cities.roles`. The console output is
for the person running the command and stays in English, like load_seed_content's.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from cities.roles import grant_city_editor, password_set_path


def default_base_url():
    """In production the site's first host name over https; locally `make run`'s address."""
    hosts = [h for h in settings.ALLOWED_HOSTS if h != "*" and not h.startswith(".")]
    if not settings.DEBUG and hosts:
        return f"https://{hosts[0]}"
    return "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Let USERNAME edit the city CITY_SLUG in the admin (creating the user, without "
        "a password, if missing) and print a one-time link to set the password."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("city_slug")
        parser.add_argument("--email", default="", help="E-mail address of a new user.")
        parser.add_argument(
            "--base-url",
            default=default_base_url(),
            help=(
                "Scheme and host the printed link starts with (default: https:// and the first "
                "of DJANGO_ALLOWED_HOSTS with DEBUG off, else http://127.0.0.1:8000)."
            ),
        )

    def handle(self, *args, username, city_slug, email, base_url, **options):
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError as exc:
            raise CommandError(f"{username!r} is not a valid user name.") from exc
        city = City.objects.filter(slug=city_slug).first()
        if city is None:
            raise CommandError(f"No city has the slug {city_slug!r}.")
        try:
            grant = grant_city_editor(city, username, email=email)
        except Group.DoesNotExist as exc:
            raise CommandError("The 'City staff' group is missing: run manage.py migrate.") from exc
        new = " (a new user)" if grant.created else ""
        self.stdout.write(f"{username}{new} may now edit {city.name} in the admin.")
        if grant.needs_password:
            days = settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)
            self.stdout.write(
                f"They have no password yet. Send them this link to choose one; it works once, "
                f"within {days} days:"
            )
            self.stdout.write(base_url.rstrip("/") + password_set_path(grant.user))
