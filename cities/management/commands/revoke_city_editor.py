"""`manage.py revoke_city_editor USERNAME CITY_SLUG`: take a city away from a user.

(Django runs commands with translations off, so the messages print in English.)
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

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
            raise CommandError(_("No user is called %(username)s.") % {"username": username})
        city = City.objects.filter(slug=city_slug).first()
        if city is None:
            raise CommandError(_("No city has the slug %(slug)s.") % {"slug": city_slug})
        names = {"username": username, "city": city.name}
        if not revoke_city_editor(city, user):
            raise CommandError(_("%(username)s does not edit %(city)s.") % names)
        self.stdout.write(_("%(username)s no longer edits %(city)s.") % names)
        if not user.is_staff:
            self.stdout.write(
                _("%(username)s edits no other city and can no longer use the admin.") % names
            )
