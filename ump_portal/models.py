"""What the seed loader last wrote, so that a later load never overwrites an editor.

For every object the loader creates it keeps the values it wrote. On the next run a
field is updated only while its current value still equals what the loader wrote
last time; a field an editor has changed is left alone, and an object an editor
has deleted is not brought back.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SeedRecord(models.Model):
    key = models.CharField(_("seed key"), max_length=200, unique=True)
    model = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    values = models.JSONField(_("values written"), default=dict)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("seed record")
        verbose_name_plural = _("seed records")

    def __str__(self):
        return self.key
