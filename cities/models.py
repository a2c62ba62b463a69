"""Local-government units (cities, municipalities, counties, regions) and their mayors."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import translated_text
from core.markdown import summary_text

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


class City(models.Model):
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
    coat_of_arms = models.ImageField(_("coat of arms"), upload_to="cities/arms/", blank=True)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    website = models.URLField(_("website"), blank=True)
    integration_office = models.TextField(
        _("integration office"),
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
        return reverse("cities:city_detail", kwargs={"slug": self.slug})

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
    term_start = models.DateField(_("term start"), null=True, blank=True)
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
