"""What a unit's public profile still lacks, and the reminder an editor sends its staff.

The admin home shows editors a table of every unit with these checks, and city staff
the checklist of their own units (`ump_portal/admin_site.py`). The checks read the
approved profile, what the public sees, and only what the list query prefetched.
"""

from dataclasses import dataclass

from django.db.models import Max, Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.admin import fields_with_text, translated_fields
from core.languages import in_every_language, missing_languages

from .models import City, Mayor, ProposedChange, Reminder

CHECKS = {
    "contact": _("contact for migrants"),
    "head": _("current head"),
    "arms": _("coat of arms"),
    "english": _("English texts"),
    "ukrainian": _("Ukrainian texts"),
    "population": _("population"),
    "website": _("website"),
}

# What a city staff member reads in their checklist: what to add, and where.
HINTS = {
    "contact": _(
        "Fill in the integration office, or a public contact e-mail or phone: "
        "migrants look for it first."
    ),
    "head": _("Add the person now in office, with the start of the term."),
    "arms": _("Attach the coat of arms (PNG, JPEG or WebP)."),
    "english": _("Give the English version of every text that has a Polish one."),
    "ukrainian": _("Give the Ukrainian version of every text that has a Polish one."),
    "population": _("Give the population and the year it refers to."),
    "website": _("Give the address of the official website."),
}


@dataclass(frozen=True)
class Check:
    key: str
    done: bool

    @property
    def label(self):
        return CHECKS[self.key]

    @property
    def hint(self):
        return HINTS[self.key]


def checks(city):
    """Every check of `city`, in the table's order."""
    missing_translations = missing_languages(city, fields_with_text(city, translated_fields(City)))
    done = {
        "contact": bool(
            any(getattr(city, field, "") for field in in_every_language("integration_office"))
            or city.contact_email
            or city.contact_phone
        ),
        "head": city.current_mayor is not None,
        "arms": bool(city.coat_of_arms),
        "english": "en" not in missing_translations,
        "ukrainian": "uk" not in missing_translations,
        "population": city.population is not None,
        "website": bool(city.website),
    }
    return [Check(key, done[key]) for key in CHECKS]


def missing(city):
    return [check for check in checks(city) if not check.done]


@dataclass(frozen=True)
class UnitRow:
    city: City
    checks: list
    last_reminder: object
    open_change: ProposedChange | None

    @property
    def missing(self):
        return [check for check in self.checks if not check.done]

    @property
    def change_url(self):
        return reverse("admin:cities_city_change", args=[self.city.pk])


def unit_rows(cities=None):
    """A row per unit for the admin home's table, in two queries plus the prefetches."""
    cities = (cities if cities is not None else City.objects.all()).order_by("name")
    cities = cities.annotate(last_reminder=Max("reminders__sent_at")).prefetch_related(
        Prefetch("mayors", queryset=Mayor.objects.order_by("-term_start")),
        Prefetch(
            "proposed_changes", queryset=ProposedChange.objects.open(), to_attr="open_changes"
        ),
    )
    return [
        UnitRow(
            city=city,
            checks=checks(city),
            last_reminder=city.last_reminder,
            open_change=city.open_changes[0] if city.open_changes else None,
        )
        for city in cities
    ]


def staff_recipients(city):
    """The e-mail addresses of the city's active staff."""
    return sorted({user.email for user in city.editors.filter(is_active=True).exclude(email="")})


def record_reminder(city, editor, recipients, missing_checks):
    return Reminder.objects.create(
        city=city,
        sent_by=editor,
        recipients=", ".join(recipients),
        missing=[check.key for check in missing_checks],
    )
