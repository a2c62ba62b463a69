"""Models of the portal itself: the seed loader's records and the accessibility statement.

`SeedRecord`: what the seed loader last wrote, so that a later load never overwrites
an editor. For every object the loader creates it keeps the values it wrote. On the next run a
field is updated only while its current value still equals what the loader wrote
last time; a field an editor has changed is left alone, and an object an editor
has deleted is not brought back.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.markdown import MarkdownField, StoresRenderedMarkdown


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


class AccessibilityStatement(StoresRenderedMarkdown, models.Model):
    """The portal's accessibility statement ("Deklaracja dostępności").

    One statement for the site (`current()`), required of Polish public bodies by the
    Act of 4 April 2019 on the digital accessibility of websites and mobile apps of
    public bodies. The page (`templates/accessibility.html`) wraps each part in the
    element id the Ministry's technical conditions name (`a11y-*`), so monitoring
    tools find them. A data migration creates the default statement; editors keep
    it current in the admin.
    """

    markdown_fields = (
        "non_compliance",
        "procedure",
        "architecture",
        "mobile_apps",
        "additional_information",
    )

    class Compliance(models.TextChoices):
        COMPLIANT = "compliant", _("compliant")
        PARTIAL = "partial", _("partially compliant")
        NON_COMPLIANT = "non_compliant", _("not compliant")

    class Assessment(models.TextChoices):
        SELF = "self", _("self-assessment by the publisher")
        EXTERNAL = "external", _("assessment by an external auditor")

    entity_name = models.CharField(
        _("public body"), max_length=200, help_text=_("Full official name of the publisher.")
    )
    site_url = models.URLField(
        _("website address"),
        blank=True,
        help_text=_("Leave empty to use the address the portal is served from."),
    )
    site_published_on = models.DateField(_("website publication date"))
    site_updated_on = models.DateField(_("date of the last significant update"))
    compliance = models.CharField(
        _("compliance status"),
        max_length=20,
        choices=Compliance.choices,
        default=Compliance.PARTIAL,
    )
    non_compliance = MarkdownField(
        _("inaccessible content and exclusions"),
        blank=True,
        help_text=_("What is not accessible, why, and what to use instead."),
    )
    disproportionate_burden_url = models.URLField(
        _("analysis of disproportionate burden"),
        blank=True,
        help_text=_("Only when content is left inaccessible because of a disproportionate burden."),
    )
    prepared_on = models.DateField(_("date the statement was drawn up"))
    reviewed_on = models.DateField(_("date of the last review of the statement"))
    assessment = models.CharField(
        _("assessment"), max_length=10, choices=Assessment.choices, default=Assessment.SELF
    )
    auditor = models.CharField(
        _("auditor"), max_length=200, blank=True, help_text=_("Only for an external assessment.")
    )
    contact_person = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    procedure = MarkdownField(_("requests and complaints procedure"))
    architecture = MarkdownField(_("architectural accessibility"), blank=True)
    mobile_apps = MarkdownField(_("mobile apps"), blank=True)
    additional_information = MarkdownField(
        _("additional information"),
        blank=True,
        help_text=_("Keyboard shortcuts, accessibility features and the like."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("accessibility statement")
        verbose_name_plural = _("accessibility statement")

    def __str__(self):
        return str(_("Accessibility statement"))

    def get_absolute_url(self):
        return reverse("accessibility")

    @classmethod
    def current(cls):
        """The statement the page shows: the first one (there is normally one).

        Not django-solo's singleton: its `get_solo()` creates the row when it is missing,
        which this model's required fields refuse; the data migration creates the
        statement and the page answers 404 without one."""
        return cls.objects.order_by("pk").first()
