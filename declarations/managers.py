"""QuerySets for the declarations app: the only place its public filters live."""

from django.apps import apps
from django.db import models
from django.db.models import Count, Q

from core.publishing import PublishableQuerySet


class DeclarationQuerySet(PublishableQuerySet):
    def with_signatory_counts(self):
        """Annotate `listed_count` (cities listed) and `signed_count` (cities that signed)."""
        # models.py imports this module: its models are looked up, not imported.
        signed = apps.get_model("declarations", "Signatory").Status.SIGNED
        return self.annotate(
            listed_count=Count("signatories", distinct=True),
            signed_count=Count("signatories", filter=Q(signatories__status=signed), distinct=True),
        )


class MeetingQuerySet(PublishableQuerySet):
    def latest_first(self):
        return self.order_by("-start_date")


class InitiativeQuerySet(PublishableQuerySet):
    pass


class SignatoryQuerySet(models.QuerySet):
    def of_published_declarations(self):
        """Signatures whose declaration is public: what a city page may show."""
        declarations = apps.get_model("declarations", "Declaration").objects
        return self.filter(declaration__in=declarations.published())

    def signed(self):
        return self.filter(status=self.model.Status.SIGNED)

    def not_signed(self):
        return self.filter(status=self.model.Status.NOT_SIGNED)
