"""`manage.py revoke_city_editor USERNAME CITY_SLUG`: take a city away from a user.

The console output is for the person running the command and stays in English,
like load_seed_content's.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from cities.models import City
from cities.roles import revoke_city_editor


class Command(BaseCommand):
    help = (
        "Stop USERNAME from editing the city CITY_SLUG. A user left with no city leaves the "
        "'City staff' group, and loses staff status unless another role needs it."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("city_slug")

    def handle(self, *args, username, city_slug, **options):
        user_model = get_user_model()
        user = user_model.objects.filter(**{user_model.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        city = City.objects.filter(slug=city_slug).first()
        if city is None:
            raise CommandError(f"No city has the slug {city_slug!r}.")
        if not revoke_city_editor(city, user):
            raise CommandError(f"{username} does not edit {city.name}.")
        self.stdout.write(f"{username} no longer edits {city.name}.")
        if not user.is_staff:
            self.stdout.write(f"{username} edits no other city and can no longer use the admin.")
