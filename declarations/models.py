"""Declarations, their signatories, the UMP Team, its meetings and the initiatives."""

from dataclasses import replace
from pathlib import PurePath
from urllib.parse import urljoin

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cities.models import City, Mayor
from core.languages import HasOriginalLanguage, active_language, translated_text
from core.markdown import MarkdownField, StoresRenderedMarkdown, summary_text
from core.publishing import Publishable
from core.storage import documents_storage
from core.typography import quoted_name
from core.urls import cached_reverse

from .managers import DeclarationQuerySet, InitiativeQuerySet, MeetingQuerySet, SignatoryQuerySet


def validate_date_range(start, end):
    if start and end and end < start:
        raise ValidationError(
            {"end_date": _("The end date cannot be earlier than the start date.")}
        )


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        ordering = ["acronym", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Declaration(Publishable, HasOriginalLanguage, StoresRenderedMarkdown):
    markdown_fields = ("body",)

    title = models.CharField(_("title"), max_length=300)
    short_title = models.CharField(
        _("short title"),
        max_length=80,
        blank=True,
        help_text=_(
            "How filters, cards and maps name the declaration, e.g. “UMP mayors' declaration "
            "(2017)”. Left empty, the name in quotation marks in the title is used, or else "
            "the title itself."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    place = models.CharField(_("place"), max_length=120, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    body = MarkdownField(_("full text"), blank=True)
    source_url = models.URLField(_("source URL"), blank=True)
    # Private like meetings' documents: a draft's PDF is reached only through
    # `pdf_url`, whose view checks publication, on the local disk and in S3 alike.
    pdf = models.FileField(
        _("PDF"), upload_to="declarations/", storage=documents_storage, blank=True
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        # Undated declarations last on every database (PostgreSQL would put them
        # first, SQLite last).
        ordering = [models.F("date").desc(nulls_last=True), "title"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("declarations:declaration_detail", slug=self.slug)

    @property
    def pdf_url(self):
        """Through a view that checks the declaration is published."""
        return cached_reverse("declarations:declaration_pdf", slug=self.slug)

    document_url = pdf_url

    def json_ld(self, url):
        """schema.org data of the declaration's page: a `Legislation`, the closest
        type to a declaration adopted by local governments ("a legal document ...
        enforceable or not"), in the language of the text shown, with its date,
        the place of signing and the governments that signed it. Reads the
        signatories the view prefetched."""
        title = translated_text(self, "title")
        body = translated_text(self, "body")
        language = (body or title).language
        data = {
            "@context": "https://schema.org",
            "@type": "Legislation",
            "name": title.text,
            "url": url,
            "inLanguage": language,
            "legislationType": gettext("declaration"),
        }
        short = self.short_name().text
        if short != title.text:
            data["alternateName"] = short
        if self.date:
            data["legislationDate"] = self.date.isoformat()
        place = translated_text(self, "place").text
        if place:
            data["locationCreated"] = {
                "@type": "Place",
                "name": place,
                "address": {"@type": "PostalAddress", "addressCountry": "PL"},
            }
        summary = translated_text(self, "summary").text
        if summary:
            data["abstract"] = summary_text(summary, 60)
        signed = [s.city for s in self.signatories.all() if s.has_signed]
        if signed:
            data["legislationPassedBy"] = [
                {
                    "@type": "GovernmentOrganization",
                    "name": translated_text(city, "name").text,
                    "url": urljoin(url, city.get_absolute_url()),
                }
                for city in signed
            ]
        if language != self.original_language:
            data["translationOfWork"] = {
                "@type": "Legislation",
                "name": translated_text(self, "title", self.original_language).text,
                "inLanguage": self.original_language,
            }
        if self.source_url:
            data["sameAs"] = self.source_url
        if self.pdf:
            data["encoding"] = {
                "@type": "MediaObject",
                "contentUrl": urljoin(url, self.pdf_url),
                "encodingFormat": "application/pdf",
            }
        data["dateModified"] = self.updated_at.isoformat()
        return data

    def short_name(self):
        """The declaration's short name in the active language (a `TranslatedText`):
        its short title, else the name in quotation marks in its title, else the title."""
        short = translated_text(self, "short_title")
        if short:
            return short
        title = translated_text(self, "title")
        return replace(title, text=quoted_name(title.text) or title.text)


def pick_featured(declarations):
    """The declaration the home page presents: the one that set up the UMP Team
    (the 2017 declaration of mayors, the portal's subject); without a team, the
    earliest dated one. Reads only what the caller prefetched."""
    if not declarations:
        return None
    for declaration in declarations:
        if declaration.teams.all():
            return declaration
    return min(declarations, key=lambda d: (d.date is None, d.date))


class Signatory(models.Model):
    class Status(models.TextChoices):
        SIGNED = "signed", _("signed")
        NOT_SIGNED = "not_signed", _("listed, but did not sign")

    declaration = models.ForeignKey(
        Declaration,
        verbose_name=_("declaration"),
        related_name="signatories",
        on_delete=models.CASCADE,
    )
    city = models.ForeignKey(
        City, verbose_name=_("city"), related_name="signatures", on_delete=models.PROTECT
    )
    # The list of signatories is part of the public record: the mayor it names is
    # never deleted from under it (`Mayor.deletion_refusal` says so in the admin).
    mayor = models.ForeignKey(
        Mayor,
        verbose_name=_("mayor at signing"),
        related_name="signatures",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SIGNED
    )
    date = models.DateField(_("date"), null=True, blank=True)
    note = models.TextField(_("public note"), blank=True)
    source_title = models.CharField(
        _("source"), max_length=300, blank=True, help_text=_("Title and publisher of the source.")
    )
    source_url = models.URLField(_("source URL"), blank=True)

    objects = SignatoryQuerySet.as_manager()

    class Meta:
        ordering = ["declaration", "city__name"]
        verbose_name = _("signatory")
        verbose_name_plural = _("signatories")
        constraints = [
            models.UniqueConstraint(
                fields=["declaration", "city"],
                name="one_signatory_entry_per_city",
                violation_error_message=_("This city is already listed for this declaration."),
            )
        ]

    def __str__(self):
        return f"{self.city} ({self.declaration})"

    def clean(self):
        if self.mayor_id and self.city_id and self.mayor.city_id != self.city_id:
            raise ValidationError({"mayor": _("The mayor must belong to the selected city.")})

    @property
    def has_signed(self):
        return self.status == self.Status.SIGNED


class Team(StoresRenderedMarkdown, models.Model):
    markdown_fields = ("description",)

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    established_by = models.ForeignKey(
        Declaration,
        verbose_name=_("set up by"),
        related_name="teams",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    description = MarkdownField(_("description"), blank=True)
    partners = models.ManyToManyField(
        Organisation, verbose_name=_("partner organisations"), related_name="teams", blank=True
    )
    member_cities = models.ManyToManyField(
        City, verbose_name=_("member cities"), related_name="teams", blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("declarations:team")


class Initiative(Publishable, HasOriginalLanguage, StoresRenderedMarkdown):
    markdown_fields = ("body",)

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    summary = models.TextField(_("summary"), blank=True)
    body = MarkdownField(_("description"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, verbose_name=_("organisations"), related_name="initiatives", blank=True
    )
    cities = models.ManyToManyField(
        City, verbose_name=_("participating cities"), related_name="initiatives", blank=True
    )
    website = models.URLField(_("website"), blank=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("declarations:initiative_detail", slug=self.slug)

    def json_ld(self, url):
        """schema.org data of the initiative's page: a `Project` (an enterprise
        planned to achieve a particular aim), with the organisations and cities
        taking part as its members and the published meetings that discussed it as
        its events. Reads what the view prefetched."""
        data = {
            "@context": "https://schema.org",
            "@type": "Project",
            "name": translated_text(self, "title").text,
            "url": url,
        }
        summary = translated_text(self, "summary").text
        if summary:
            data["description"] = summary_text(summary, 60)
        if self.website:
            data["sameAs"] = self.website
        if self.start_date:
            data["foundingDate"] = self.start_date.isoformat()
        if self.end_date:
            data["dissolutionDate"] = self.end_date.isoformat()
        members = []
        for organisation in self.organisations.all():
            member = {"@type": "Organization", "name": translated_text(organisation, "name").text}
            if organisation.acronym:
                member["alternateName"] = organisation.acronym
            if organisation.website:
                member["url"] = organisation.website
            members.append(member)
        members.extend(
            {
                "@type": "GovernmentOrganization",
                "name": translated_text(city, "name").text,
                "url": urljoin(url, city.get_absolute_url()),
            }
            for city in self.cities.all()
        )
        if members:
            data["member"] = members
        events = [
            {
                "@type": "Event",
                "name": translated_text(meeting, "title").text,
                "startDate": meeting.start_date.isoformat(),
                "url": urljoin(url, meeting.get_absolute_url()),
            }
            for meeting in self.meetings.all()
            if meeting.is_public
        ]
        if events:
            data["event"] = events
        return data

    def clean(self):
        validate_date_range(self.start_date, self.end_date)


class Meeting(Publishable, HasOriginalLanguage, StoresRenderedMarkdown):
    markdown_fields = ("notes",)

    class Kind(models.TextChoices):
        MEETING = "meeting", _("team meeting")
        CONFERENCE = "conference", _("conference")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), related_name="meetings", on_delete=models.PROTECT
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    host_city = models.ForeignKey(
        City,
        verbose_name=_("host city"),
        related_name="hosted_meetings",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty for a one-day meeting.")
    )
    theme = models.TextField(_("theme"), blank=True)
    notes = MarkdownField(_("notes"), blank=True)
    initiatives = models.ManyToManyField(
        Initiative, verbose_name=_("initiatives discussed"), related_name="meetings", blank=True
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="meeting_ends_after_start",
                violation_error_message=_("The end date cannot be earlier than the start date."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return cached_reverse("declarations:meeting_detail", slug=self.slug)

    def json_ld(self, url):
        """schema.org data of the meeting's page: an `Event` in the active language."""

        def text(obj, field_name):
            return translated_text(obj, field_name).text

        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": text(self, "title"),
            "startDate": self.start_date.isoformat(),
            "endDate": (self.end_date or self.start_date).isoformat(),
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "url": url,
            "inLanguage": active_language(),
        }
        theme = text(self, "theme")
        if theme:
            data["description"] = summary_text(theme, 60)
        place = text(self, "place")
        city = self.host_city
        if place or city:
            location = {"@type": "Place", "name": place or text(city, "name")}
            if city is not None:
                location["address"] = {
                    "@type": "PostalAddress",
                    "addressLocality": text(city, "name"),
                    "addressCountry": "PL",
                }
            data["location"] = location
        data["organizer"] = {"@type": "Organization", "name": text(self.team, "name")}
        return data

    def clean(self):
        validate_date_range(self.start_date, self.end_date)


class MeetingDocument(models.Model):
    class Language(models.TextChoices):
        POLISH = "pl", _("Polish")
        ENGLISH = "en", _("English")
        OTHER = "other", _("other language")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), related_name="documents", on_delete=models.CASCADE
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="meetings/documents/", storage=documents_storage)
    language = models.CharField(
        _("language of the document"), max_length=5, choices=Language.choices, default="pl"
    )
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, editable=False)

    class Meta:
        ordering = ["meeting", "title"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.size = self.file.size
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Through a view that checks the meeting is published (never the storage's URL)."""
        return cached_reverse(
            "declarations:meeting_document", pk=self.pk, name=PurePath(self.file.name).name
        )

    @property
    def document_url(self):
        return self.get_absolute_url()

    @property
    def file_format(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""

    @property
    def file_size(self):
        """The size recorded when the file was stored: a page never asks the storage."""
        return self.size
