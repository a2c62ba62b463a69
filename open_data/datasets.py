"""The open datasets under `/api/v1/`: the cities, the meetings, the declarations and each
declaration's signatories, as JSON and CSV, with the "Open data" page describing them.

- Outside the language prefix: one file holds every language of `LANGUAGES`, a column
  per language for each translated field (`name_pl`, `name_en`, `name_uk`).
  A column of the other language is empty when there is no text in it; the files
  never fill it with the Polish text, so a reuser can tell a translation from a copy.
- Stable ids: the slugs, the same ones the page URLs use.
- Published items only, through `published()`; a signatory of a draft declaration
  is not listed, and a draft declaration's signatories answer 404.
- Read-only: GET and HEAD only (405 otherwise); anyone may fetch them from any site
  (`Access-Control-Allow-Origin: *`), since they are public anyway.
- UTF-8 without a byte order mark; CSV with a header row, comma-separated, quoted
  where needed (RFC 4180), CRLF line ends; JSON an object with `dataset`, `licence`,
  `columns` and `items`.

Plain Django views rather than Django REST framework: four read-only files, whose
columns are documented on a page, need no serialisers, routers or browsable API.

Each dataset is described once, here (`DATASETS`): the views (`open_data/views.py`)
write exactly the columns the page documents.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Prefetch
from django.http import Http404
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from cities.models import City, Mayor, Voivodeship
from core.languages import translated_text
from core.urls import cached_reverse
from declarations.models import Declaration, Meeting, Signatory

LICENCE = {
    "name": "CC BY 4.0",
    "url": "https://creativecommons.org/licenses/by/4.0/",
    "attribution": "Portal Migracyjny UMP / UMP Migration Portal (Unia Metropolii Polskich)",
}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]

# Declarations oldest first, undated ones last on every database (PostgreSQL
# would put them first, SQLite last).
OLDEST_FIRST = (F("date").asc(nulls_last=True), "slug")


@dataclass(frozen=True)
class Column:
    name: str
    description: object  # a lazy translation
    value: object  # callable(obj) -> str | int | float | bool | date | None
    # The value needs the request too (absolute URLs): value(obj, request).
    needs_request: bool = False
    # Its Table Schema type (https://specs.frictionlessdata.io/table-schema/):
    # string, integer, number, boolean, date or datetime; `format` and `enum`
    # narrow it ("uri", "email"; the codes a column may hold).
    type: str = "string"
    format: str = ""
    enum: tuple = ()


def _lazy_format(template, **values):
    """`template % values`, translated when shown rather than at import."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in values.items()}, str)()


def _translations(name, description, of=None):
    """One column per language for a translated field: `name_pl`, `name_en`, ...
    `of` names the related object that has the field (`of="city"`: `city_name_pl`)."""

    def value(obj, attr):
        owner = getattr(obj, of) if of else obj
        return getattr(owner, attr) or ""

    prefix = f"{of}_" if of else ""
    return [
        Column(
            f"{prefix}{name}_{code}",
            _lazy_format(_("%(what)s in %(language)s"), what=description, language=label),
            lambda obj, attr=f"{name}_{code}": value(obj, attr),
        )
        for code, label in settings.LANGUAGES
    ]


def _urls(view_name):
    """One column per language with the page's address."""

    def page_url(obj, code, request):
        with translation.override(code):
            return request.build_absolute_uri(cached_reverse(view_name, slug=obj.slug))

    return [
        Column(
            f"url_{code}",
            _lazy_format(_("address of its page in %(language)s"), language=label),
            lambda obj, request, code=code: page_url(obj, code, request),
            needs_request=True,
            format="uri",
        )
        for code, label in settings.LANGUAGES
    ]


def _decimal(value):
    return float(value) if value is not None else None


@dataclass(frozen=True)
class Dataset:
    key: str
    title: object
    description: object
    formats: tuple
    columns: list
    # Whether the file is one per declaration (`declarations/<slug>/…`).
    per_declaration: bool = False
    # Table Schema keys: the column that identifies a row, and the columns that
    # hold the id of a row of another dataset ({column: dataset key}).
    primary_key: tuple = ()
    foreign_keys: tuple = ()

    def file_name(self, fmt, slug="<slug>"):
        if self.per_declaration:
            return f"declarations/{slug}/{self.key}.{fmt}"
        return f"{self.key}.{fmt}"


CITY_COLUMNS = [
    Column("id", _("stable id: the ASCII form of the Polish name"), lambda c: c.slug),
    *_translations("name", _("name")),
    Column(
        "kind",
        _("city, municipality, county or voivodeship"),
        lambda c: c.kind,
        enum=tuple(City.Kind.values),
    ),
    Column(
        "voivodeship",
        _("voivodeship (ASCII Polish name)"),
        lambda c: c.voivodeship,
        enum=tuple(Voivodeship.values),
    ),
    Column(
        "is_ump_member",
        _("member of the Union of Polish Metropolises"),
        lambda c: c.is_ump_member,
        type="boolean",
    ),
    Column("population", _("population, when known"), lambda c: c.population, type="integer"),
    Column(
        "population_year",
        _("year of the population figure"),
        lambda c: c.population_year,
        type="integer",
    ),
    Column(
        "latitude",
        _("latitude (WGS 84), when known"),
        lambda c: _decimal(c.latitude),
        type="number",
    ),
    Column(
        "longitude",
        _("longitude (WGS 84), when known"),
        lambda c: _decimal(c.longitude),
        type="number",
    ),
    Column(
        "current_mayor",
        _("full name of the mayor in office today"),
        lambda c: c.current_mayor.full_name if c.current_mayor else "",
    ),
    Column("website", _("official website"), lambda c: c.website, format="uri"),
    Column("contact_email", _("public contact e-mail"), lambda c: c.contact_email, format="email"),
    Column("contact_phone", _("public contact phone"), lambda c: c.contact_phone),
    *_urls("cities:city_detail"),
    Column("updated_at", _("last change (ISO 8601, UTC)"), lambda c: c.updated_at, type="datetime"),
]

MEETING_COLUMNS = [
    Column("id", _("stable id (the slug of its page)"), lambda m: m.slug),
    *_translations("title", _("title")),
    Column(
        "kind",
        _("team meeting or conference"),
        lambda m: m.kind,
        enum=tuple(Meeting.Kind.values),
    ),
    Column("start_date", _("first day (YYYY-MM-DD)"), lambda m: m.start_date, type="date"),
    Column(
        "end_date",
        _("last day (YYYY-MM-DD); the first day for a one-day meeting"),
        lambda m: m.end_date or m.start_date,
        type="date",
    ),
    Column(
        "host_city",
        _("id of the host city (see cities), when there is one"),
        lambda m: m.host_city.slug if m.host_city else "",
    ),
    *_translations("place", _("place")),
    *_translations("theme", _("theme")),
    Column("team", _("name of the team (Polish)"), lambda m: m.team.name_pl),
    *_urls("declarations:meeting_detail"),
    Column("updated_at", _("last change (ISO 8601, UTC)"), lambda m: m.updated_at, type="datetime"),
]

DECLARATION_COLUMNS = [
    Column("id", _("stable id (the slug of its page)"), lambda d: d.slug),
    *_translations("title", _("title")),
    Column("date", _("date of signing (YYYY-MM-DD)"), lambda d: d.date, type="date"),
    *_translations("place", _("place of signing")),
    Column(
        "original_language",
        _lazy_format(
            _("language of the original text (%(codes)s)"), codes=", ".join(LANGUAGE_CODES)
        ),
        lambda d: d.original_language,
        enum=tuple(LANGUAGE_CODES),
    ),
    *_translations("summary", _("summary by the portal's editors")),
    Column(
        "listed_count",
        _("number of signatories listed"),
        lambda d: d.listed_count,
        type="integer",
    ),
    Column(
        "signed_count",
        _("number of signatories that signed"),
        lambda d: d.signed_count,
        type="integer",
    ),
    Column("source_url", _("where the text was published"), lambda d: d.source_url, format="uri"),
    *_urls("declarations:declaration_detail"),
    Column("updated_at", _("last change (ISO 8601, UTC)"), lambda d: d.updated_at, type="datetime"),
]

SIGNATORY_COLUMNS = [
    Column("declaration", _("id of the declaration"), lambda s: s.declaration.slug),
    Column("city", _("id of the city (see cities)"), lambda s: s.city.slug),
    *_translations("name", _("name of the city"), of="city"),
    Column(
        "status",
        _("“signed”, or “not_signed”: listed, but did not sign"),
        lambda s: s.status,
        enum=tuple(Signatory.Status.values),
    ),
    Column("date", _("date of signing (YYYY-MM-DD), when known"), lambda s: s.date, type="date"),
    Column(
        "mayor",
        _("full name of the mayor who signed or was listed"),
        lambda s: s.mayor.full_name if s.mayor else "",
    ),
    Column(
        "mayor_office",
        _("office of that mayor (prezydent, burmistrz, wojt, starosta, marszalek)"),
        lambda s: s.mayor.office if s.mayor else "",
        enum=tuple(Mayor.Office.values),
    ),
    *_translations("note", _("public note")),
    Column("source_title", _("source of the entry"), lambda s: s.source_title),
    Column("source_url", _("address of the source"), lambda s: s.source_url, format="uri"),
]

DATASETS = {
    "cities": Dataset(
        "cities",
        _("Cities and regions"),
        _("Every city and region on the portal, whether or not it signed a declaration."),
        ("json", "csv"),
        CITY_COLUMNS,
        primary_key=("id",),
    ),
    "meetings": Dataset(
        "meetings",
        _("Meetings"),
        _(
            "The published meetings of the UMP Team for Migration and Integration "
            "and related conferences."
        ),
        ("json", "csv"),
        MEETING_COLUMNS,
        primary_key=("id",),
        foreign_keys=(("host_city", "cities"),),
    ),
    "declarations": Dataset(
        "declarations",
        _("Declarations"),
        _("The published declarations, with the number of signatories of each."),
        ("json", "csv"),
        DECLARATION_COLUMNS,
        primary_key=("id",),
    ),
    "signatories": Dataset(
        "signatories",
        _("Signatories of a declaration"),
        _(
            "For one declaration, every city or region listed, with the mayor "
            "and whether they signed."
        ),
        ("json", "csv"),
        SIGNATORY_COLUMNS,
        per_declaration=True,
        primary_key=("declaration", "city"),
        foreign_keys=(("declaration", "declarations"), ("city", "cities")),
    ),
}


def rows(dataset, objects, request):
    """The values of `dataset`'s columns for each of `objects`."""
    rows = []
    for obj in objects:
        row = {}
        for column in dataset.columns:
            row[column.name] = (
                column.value(obj, request) if column.needs_request else column.value(obj)
            )
        rows.append(row)
    return rows


def queryset(key, slug=None):
    """The objects of dataset `key` (for signatories, of the declaration `slug`)."""
    if key == "cities":
        return City.objects.prefetch_related(
            Prefetch("mayors", queryset=Mayor.objects.order_by("-term_start"))
        ).order_by("slug")
    if key == "meetings":
        return (
            Meeting.objects.published()
            .select_related("host_city", "team")
            .order_by("start_date", "slug")
        )
    if key == "declarations":
        return Declaration.objects.published().with_signatory_counts().order_by(*OLDEST_FIRST)
    declaration = Declaration.objects.published().filter(slug=slug).first()
    if declaration is None:
        raise Http404
    return signatories().filter(declaration=declaration)


def signatories():
    """The signatories of every published declaration, in one query."""
    return (
        Signatory.objects.of_published_declarations()
        .select_related("declaration", "city", "mayor")
        .order_by(F("declaration__date").asc(nulls_last=True), "declaration__slug", "city__slug")
    )


def published_declarations():
    """The declarations that have a signatories file, in the order they are listed."""
    return Declaration.objects.published().order_by(*OLDEST_FIRST)


# The Data Package (https://specs.frictionlessdata.io/data-package/) -----------

PACKAGE_NAME = "ump-migration-portal"


def _field(column):
    field = {"name": column.name, "type": column.type, "description": str(column.description)}
    if column.format:
        field["format"] = column.format
    if column.enum:
        field["constraints"] = {"enum": list(column.enum)}
    return field


def _schema(dataset):
    schema = {"fields": [_field(column) for column in dataset.columns]}
    if dataset.primary_key:
        schema["primaryKey"] = list(dataset.primary_key)
    if dataset.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": column, "reference": {"resource": key, "fields": "id"}}
            for column, key in dataset.foreign_keys
        ]
    return schema


def _resource(dataset, name, slug=None, title=None):
    return {
        "name": name,
        "title": title or str(dataset.title),
        "description": str(dataset.description),
        # Relative to the descriptor (`/api/v1/datapackage.json`), as the spec
        # prefers: the package works from any host and once downloaded.
        "path": dataset.file_name("csv", slug),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": _schema(dataset),
    }


def data_package(documentation_url):
    """The descriptor of every CSV file (`/api/v1/datapackage.json`), in English:
    each dataset's columns with their types, keys and the codes they may hold.
    The per-declaration signatories are one resource per published declaration,
    whose keys point at the declarations and cities resources."""
    with translation.override("en"):
        resources = []
        for dataset in DATASETS.values():
            if not dataset.per_declaration:
                resources.append(_resource(dataset, dataset.key))
                continue
            for declaration in published_declarations():
                title = translated_text(declaration, "title").text
                resources.append(
                    _resource(
                        dataset,
                        f"{dataset.key}-{declaration.slug}",
                        slug=declaration.slug,
                        title=f"{dataset.title}: {title}",
                    )
                )
        return {
            "profile": "tabular-data-package",
            "name": PACKAGE_NAME,
            "title": "UMP Migration Portal: open data",
            "description": str(
                _(
                    "The cities, meetings, declarations and signatories of the UMP Migration "
                    "Portal as JSON and CSV files, free to reuse."
                )
            ),
            "homepage": documentation_url,
            "licenses": [{"name": "CC-BY-4.0", "path": LICENCE["url"], "title": LICENCE["name"]}],
            "contributors": [{"title": LICENCE["attribution"], "role": "publisher"}],
            "languages": LANGUAGE_CODES,
            "resources": resources,
        }
