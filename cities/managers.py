"""QuerySets for cities and mayors: the only place their public filters live."""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone


class CityQuerySet(models.QuerySet):
    def ump_members(self):
        return self.filter(is_ump_member=True)

    def in_voivodeship(self, voivodeship):
        return self.filter(voivodeship=voivodeship)

    def signatories_of(self, declaration_slug):
        """Cities that signed the declaration with this slug (not those that refused)."""
        # The declarations app sits above this one: its model is looked up, not imported.
        signatory = apps.get_model("declarations", "Signatory")
        return self.filter(
            signatures__declaration__slug=declaration_slug,
            signatures__status=signatory.Status.SIGNED,
        )


class MayorQuerySet(models.QuerySet):
    def in_office(self, on=None):
        """Mayors whose term covers the date `on` (today by default)."""
        on = on or timezone.localdate()
        return self.filter(Q(term_start__isnull=True) | Q(term_start__lte=on)).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=on)
        )
