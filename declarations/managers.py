"""QuerySets for the declarations app: the only place its public filters live."""

from django.db import models
from django.db.models import Count, Q

from ump_portal.publishing import PublishableQuerySet


class DeclarationQuerySet(PublishableQuerySet):
    def with_signatory_counts(self):
        """Annotate `listed_count` (cities listed) and `signed_count` (cities that signed)."""
        signed = self.model.signatories.rel.related_model.Status.SIGNED
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
        declarations = self.model._meta.get_field("declaration").related_model.objects
        return self.filter(declaration__in=declarations.published())

    def signed(self):
        return self.filter(status=self.model.Status.SIGNED)

    def not_signed(self):
        return self.filter(status=self.model.Status.NOT_SIGNED)
