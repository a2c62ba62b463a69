"""QuerySets for the declarations app: the only place its public filters live."""

from django.db import models

from ump_portal.publishing import PublishableQuerySet


class DeclarationQuerySet(PublishableQuerySet):
    pass


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
