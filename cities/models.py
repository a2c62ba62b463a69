"""Local-government units (cities, municipalities, counties, regions) and their mayors.

The rules that keep the record of mayors true live on `Mayor` and are checked by
`full_clean()` (so by every admin form and by the seed loader): the office fits the
kind of unit (`HEAD_OFFICES`), and the terms of one unit's heads never overlap
(`term_conflicts`). A mayor that a declaration's list of signatories refers to is
never deleted (`Signatory.mayor` protects it; `Mayor.deletion_refusal` says why).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.images import COAT_OF_ARMS_SIZE, CheckedImageField, displayable, share_image_of
from core.languages import translated_text
from core.markdown import MarkdownField, StoresRenderedMarkdown, summary_text
from core.urls import cached_reverse

from .managers import CityQuerySet, MayorQuerySet


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "dolnoslaskie", _("Lower Silesian")
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", _("Kuyavian-Pomeranian")
    LUBELSKIE = "lubelskie", _("Lublin")
    LUBUSKIE = "lubuskie", _("Lubusz")
    LODZKIE = "lodzkie", _("Łódź")
    MALOPOLSKIE = "malopolskie", _("Lesser Poland")
    MAZOWIECKIE = "mazowieckie", _("Masovian")
    OPOLSKIE = "opolskie", _("Opole")
    PODKARPACKIE = "podkarpackie", _("Subcarpathian")
    PODLASKIE = "podlaskie", _("Podlaskie")
    POMORSKIE = "pomorskie", _("Pomeranian")
    SLASKIE = "slaskie", _("Silesian")
    SWIETOKRZYSKIE = "swietokrzyskie", _("Holy Cross")
    WARMINSKO_MAZURSKIE = "warminsko-mazurskie", _("Warmian-Masurian")
    WIELKOPOLSKIE = "wielkopolskie", _("Greater Poland")
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", _("West Pomeranian")


class City(StoresRenderedMarkdown, models.Model):
    markdown_fields = ("description",)

    class Kind(models.TextChoices):
        CITY = "city", _("city with county rights")
        MUNICIPALITY = "municipality", _("municipality")
        COUNTY = "county", _("county")
        VOIVODESHIP = "voivodeship", _("voivodeship (regional government)")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        help_text=_("ASCII form of the Polish name, the same in every language (e.g. lodz)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    voivodeship = models.CharField(_("voivodeship"), max_length=30, choices=Voivodeship.choices)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(
        _("population as of year"), null=True, blank=True
    )
    is_ump_member = models.BooleanField(
        _("member of the Union of Polish Metropolises"), default=False
    )
    coat_of_arms = CheckedImageField(
        _("coat of arms"),
        upload_to="cities/arms/",
        blank=True,
        fit=COAT_OF_ARMS_SIZE,
        width_field="coat_of_arms_width",
        height_field="coat_of_arms_height",
    )
    # The stored picture's size, kept by the field: pages never open the file.
    coat_of_arms_width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    coat_of_arms_height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # The texts city staff write have a length a page can show: a pasted document
    # gets the form's error, not a page of it (far above what the seed needs).
    summary = models.TextField(_("summary"), max_length=1000, blank=True)
    description = MarkdownField(_("description"), max_length=20000, blank=True)
    website = models.URLField(_("website"), blank=True)
    integration_office = models.TextField(
        _("integration office"),
        max_length=2000,
        blank=True,
        help_text=_("Where migrants can turn in the city: office name, address, opening hours."),
    )
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=40, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    editors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("editors"),
        related_name="edited_cities",
        blank=True,
        help_text=_("City staff who may edit this city's profile and mayors."),
    )
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("city")
        verbose_name_plural = _("cities")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return cached_reverse("cities:city_detail", slug=self.slug)

    def json_ld(self, url):
        """schema.org data of the city's page: the `GovernmentOrganization` that
        serves the `City` (or, for a region, the `AdministrativeArea`)."""
        name = translated_text(self, "name").text
        area_type = "AdministrativeArea" if self.kind == self.Kind.VOIVODESHIP else "City"
        area = {"@type": area_type, "name": name}
        if self.latitude is not None and self.longitude is not None:
            area["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentOrganization",
            "name": name,
            "url": url,
            "areaServed": area,
        }
        if self.website:
            data["sameAs"] = [self.website]
        if self.contact_email:
            data["email"] = self.contact_email
        if self.contact_phone:
            data["telephone"] = self.contact_phone
        summary = translated_text(self, "summary").text
        if summary:
            data["description"] = summary_text(summary, 60)
        return data

    @property
    def share_image(self):
        """The picture shared with the city's page on social sites: its coat of
        arms, when it has one (a `core.images.ShareImage`), else None."""
        name = translated_text(self, "name").text
        return share_image_of(
            self.coat_of_arms,
            self.coat_of_arms_width,
            self.coat_of_arms_height,
            _("Coat of arms of %(name)s") % {"name": name},
        )

    def shown_coat_of_arms(self):
        """The coat of arms when a page can show it with its size, else None."""
        arms = self.coat_of_arms
        size = (self.coat_of_arms_width, self.coat_of_arms_height)
        return arms if displayable(arms, *size) else None

    @property
    def head_office_label(self):
        """The office of this unit's head, named after its kind: the label to use
        when no mayor is recorded (a region's head is its marshal, not a mayor).
        Empty for a municipality, whose head is a burmistrz or a wójt."""
        office = {
            self.Kind.CITY: Mayor.Office.CITY_PRESIDENT,
            self.Kind.COUNTY: Mayor.Office.STAROSTA,
            self.Kind.VOIVODESHIP: Mayor.Office.MARSHAL,
        }.get(self.kind)
        return office.label if office else ""

    @property
    def body_label(self):
        """The kind of body the unit is, capitalised: "Regional government" for a
        region, else its kind ("City", "County")."""
        if self.kind == self.Kind.VOIVODESHIP:
            return gettext("Regional government")
        return capfirst(self.get_kind_display())

    @property
    def head_offices(self):
        """The offices a head of this kind of unit may hold."""
        return HEAD_OFFICES.get(self.kind, list(Mayor.Office))

    @property
    def is_headed_by_mayor(self):
        """True for a city or a municipality; a county or a region has a starosta or a
        marshal, whom the page names by that office rather than as a mayor."""
        return self.kind == self.Kind.CITY or not self.head_office_label

    @property
    def current_mayor(self):
        """The mayor in office today, derived from the term dates.

        Reads the prefetched `mayors` when the view prefetched them, so a list of
        cities costs no query per city.
        """
        today = timezone.localdate()
        in_office = [mayor for mayor in self.mayors.all() if mayor.is_in_office(today)]
        return max(in_office, key=lambda m: m.term_start or today, default=None)


class Mayor(models.Model):
    class Office(models.TextChoices):
        CITY_PRESIDENT = "prezydent", _("mayor (prezydent miasta)")
        BURMISTRZ = "burmistrz", _("mayor (burmistrz)")
        WOJT = "wojt", _("head of municipality (wójt)")
        STAROSTA = "starosta", _("head of county (starosta)")
        MARSHAL = "marszalek", _("marshal of the voivodeship (marszałek województwa)")

    city = models.ForeignKey(
        City, verbose_name=_("city"), related_name="mayors", on_delete=models.CASCADE
    )
    full_name = models.CharField(_("full name"), max_length=120)
    office = models.CharField(
        _("office"), max_length=20, choices=Office.choices, default=Office.CITY_PRESIDENT
    )
    # Required in every form; rows loaded before it was required may still lack it.
    term_start = models.DateField(_("term start"), null=True)
    term_end = models.DateField(
        _("term end"), null=True, blank=True, help_text=_("Leave empty while in office.")
    )

    objects = MayorQuerySet.as_manager()

    class Meta:
        ordering = ["city", "-term_start"]
        verbose_name = _("mayor")
        verbose_name_plural = _("mayors")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(term_end__isnull=True)
                | models.Q(term_start__isnull=True)
                | models.Q(term_end__gte=models.F("term_start")),
                name="mayor_term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.full_name} ({self.city})"

    def is_in_office(self, on=None):
        on = on or timezone.localdate()
        started = self.term_start is None or self.term_start <= on
        not_ended = self.term_end is None or self.term_end >= on
        return started and not_ended

    # Set by a form that ends, on this term's start, the term of the unit's head in
    # office then (`end_current_terms`); the terms are validated as if it were done.
    ends_current_term = False

    def current_terms_to_end(self):
        """The unit's terms without an end that started by this one's start."""
        if not (self.ends_current_term and self.city_id and self.term_start):
            return []
        return list(
            Mayor.objects.filter(
                city_id=self.city_id, term_end__isnull=True, term_start__lte=self.term_start
            ).exclude(pk=self.pk)
        )

    def end_current_terms(self):
        """End the terms of `current_terms_to_end()` on this term's start; return them."""
        ended = self.current_terms_to_end()
        for other in ended:
            other.term_end = self.term_start
            other.save(update_fields=["term_end"])
        return ended

    def clean(self):
        city = getattr(self, "city", None)  # None until a city is chosen
        if city is not None and self.office and self.office not in city.head_offices:
            raise ValidationError(
                {
                    "office": ValidationError(
                        _(
                            "This office does not head a unit of this kind (%(kind)s). "
                            "Choose one of: %(offices)s."
                        ),
                        code="office_unfit",
                        params={
                            "kind": city.get_kind_display(),
                            "offices": ", ".join(str(o.label) for o in city.head_offices),
                        },
                    )
                }
            )

    def validate_constraints(self, exclude=None):
        """The database constraints, and one that SQLite cannot state: the terms of
        one unit's heads never overlap. A form that leaves out the city (the mayors
        table on a city's page) checks the terms of all its rows together instead."""
        errors = {}
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not {"city", "term_start", "term_end"}.intersection(exclude or ()) and self.city_id:
            others = list(Mayor.objects.filter(city_id=self.city_id).exclude(pk=self.pk))
            ending = {other.pk for other in self.current_terms_to_end()}
            for other in others:
                if other.pk in ending:
                    other.term_end = self.term_start
            for field, messages in term_conflicts(self, others).items():
                errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def deletion_refusal(self):
        """Why this record cannot be deleted (a `ValidationError`), or None.

        A declaration's list of signatories that names this mayor is part of the
        public record; `Signatory.mayor` protects the row in the database too."""
        if self.pk is None:
            return None
        entry = self.signatures.select_related("declaration").first()
        if entry is None:
            return None
        return ValidationError(
            _(
                "“%(mayor)s” cannot be deleted: the list of signatories of “%(declaration)s” "
                "refers to this record, and that list is part of the public record. "
                "If the term has ended, enter the date it ended instead."
            ),
            code="mayor_in_signatories",
            params={"mayor": self.full_name, "declaration": entry.declaration},
        )


# Who may head each kind of unit. A city with county rights is headed by a prezydent
# (a few smaller ones kept a burmistrz); a municipality by a prezydent, a burmistrz or
# a wójt, depending on its size and history.
HEAD_OFFICES = {
    City.Kind.CITY: [Mayor.Office.CITY_PRESIDENT, Mayor.Office.BURMISTRZ],
    City.Kind.MUNICIPALITY: [
        Mayor.Office.CITY_PRESIDENT,
        Mayor.Office.BURMISTRZ,
        Mayor.Office.WOJT,
    ],
    City.Kind.COUNTY: [Mayor.Office.STAROSTA],
    City.Kind.VOIVODESHIP: [Mayor.Office.MARSHAL],
}


class ProposedChangeQuerySet(models.QuerySet):
    def open(self):
        """Changes not yet public: waiting for review, or sent back to their author."""
        return self.filter(status__in=ProposedChange.OPEN_STATUSES)

    def decided(self):
        """Changes approved or withdrawn."""
        return self.exclude(status__in=ProposedChange.OPEN_STATUSES)

    def pending(self):
        return self.filter(status=ProposedChange.Status.PENDING)


class ProposedChange(models.Model):
    """A change that city staff made to their city's profile and mayors, not yet public.

    `base` is the approved state it was made against and `proposed` the state its author
    saved, both as `cities.review.snapshot` writes them; what it changes is their
    difference. A city has at most one open change: saving again updates it.
    How it is made, shown, approved and sent back: `cities/review.py`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        RETURNED = "returned", _("sent back")
        APPROVED = "approved", _("approved")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # Not public yet: waiting for review, or sent back to the author (at most one
    # such change per city, the constraint below).
    OPEN_STATUSES = (Status.PENDING, Status.RETURNED)

    city = models.ForeignKey(
        City, verbose_name=_("city"), related_name="proposed_changes", on_delete=models.CASCADE
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        related_name="proposed_changes",
        on_delete=models.SET_NULL,
        null=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    base = models.JSONField(_("approved state it was made against"), default=dict)
    proposed = models.JSONField(_("proposed state"), default=dict)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        related_name="decided_changes",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    message = models.TextField(_("message to the author"), blank=True)

    objects = ProposedChangeQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=models.Q(status__in=["pending", "returned"]),
                name="one_open_change_per_city",
            )
        ]

    def __str__(self):
        return f"{self.city} ({self.get_status_display()})"

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


class DirectPublishing(models.Model):
    """An editor's decision that a city's staff publish without review, and who made it."""

    city = models.OneToOneField(
        City, verbose_name=_("city"), related_name="direct_publishing", on_delete=models.CASCADE
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)

    class Meta:
        verbose_name = _("publishing without review")
        verbose_name_plural = _("publishing without review")

    def __str__(self):
        return str(self.city)


class Reminder(models.Model):
    """A reminder an editor sent to a city's staff about what its profile lacks."""

    city = models.ForeignKey(
        City, verbose_name=_("city"), related_name="reminders", on_delete=models.CASCADE
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        related_name="+",
        on_delete=models.SET_NULL,
        null=True,
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    recipients = models.TextField(_("recipients"))
    missing = models.JSONField(_("what was missing"), default=list)

    class Meta:
        ordering = ["-sent_at"]
        get_latest_by = "sent_at"
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")

    def __str__(self):
        return f"{self.city} ({self.sent_at:%Y-%m-%d})"


def _end(term):
    return term.term_end or datetime.date.max


def _date(value):
    return date_format(value, "DATE_FORMAT")


def term_conflicts(term, others):
    """What is wrong with the dates of `term` (a mayor) beside `others`, the other
    heads of its unit: a dict of field name to error messages, empty when all is well.

    Two terms overlap when each starts before the other ends. A term may start on
    the day the previous one ends: the head changes on the day the new one takes
    office (`City.current_mayor` then shows the new one). Terms without a start
    date cannot be compared and are left out.
    """
    if term.term_start is None:
        return {}
    errors = {}
    for other in sorted(others, key=lambda other: other.term_start or datetime.date.min):
        if other.term_start is None or other is term:
            continue
        if not (term.term_start < _end(other) and other.term_start < _end(term)):
            continue
        params = {"name": other.full_name, "start": _date(other.term_start)}
        if term.term_end is None and other.term_start > term.term_start:
            message = _(
                "A term cannot start before the term of the unit's previous head: "
                "%(name)s, in office from %(start)s."
            )
            code = "before_previous_head"
        elif other.term_end is None:
            message = _(
                "This term overlaps the term of %(name)s, in office since %(start)s with "
                "no end date. Enter the date that term ended first (it may be the day "
                "this one starts)."
            )
            code = "overlaps_open_term"
        else:
            params["end"] = _date(other.term_end)
            message = _(
                "This term overlaps the term of %(name)s, from %(start)s to %(end)s. Terms of "
                "office of one unit cannot overlap."
            )
            code = "overlaps_term"
        errors.setdefault("term_start", []).append(
            ValidationError(message, code=code, params=params)
        )
    return errors
