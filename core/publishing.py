"""Draft / published state shared by declarations, meetings and initiatives.

A published item is public from its `published_at` moment on, so scheduling needs
no cron job: `published()` compares with the current time on every query. Public
views read content only through `published()`.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """Items that are published and whose publication moment has come."""
        return self.filter(status=Status.PUBLISHED, published_at__lte=timezone.now())

    def published_or_scheduled(self):
        """Published items, those scheduled for later included (`is_public` tells them
        apart): for a reader that keeps what it read and must know when to read again."""
        return self.filter(status=Status.PUBLISHED)

    def next_scheduled_time(self):
        """When the next item scheduled for the future becomes public, or None."""
        return (
            self.filter(status=Status.PUBLISHED, published_at__gt=timezone.now())
            .order_by("published_at")
            .values_list("published_at", flat=True)
            .first()
        )

    def visible_to(self, user):
        """What `user` may open on the public site: editors preview drafts too."""
        opts = self.model._meta
        if user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return self.all()
        return self.published()


class Publishable(models.Model):
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication time"),
        null=True,
        blank=True,
        help_text=_("The item becomes public at this moment; a future time schedules it."),
    )

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return (
            self.status == Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    def publish(self, at=None):
        """Publish now, or at `at` (a future moment schedules the item)."""
        self.status = Status.PUBLISHED
        self.published_at = at or self.published_at or timezone.now()
        self.save(update_fields=["status", "published_at"])

    def unpublish(self):
        self.status = Status.DRAFT
        self.save(update_fields=["status"])
