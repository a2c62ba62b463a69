"""`{% signatory_map %}`: the map of the cities that signed a declaration.

Usage: `{% load maps %}{% signatory_map %}` shows the status of every city with
coordinates for the portal's main declaration (the one the home page features);
`{% signatory_map declaration %}` for another one, `declaration_slug=` to name it
by slug (a draft or unknown slug falls back to the main one), and `cities=` to
show only those cities (the cities list passes what its filters kept). With no
city to draw there is no map; with a few, a small one (`FEW_MARKERS`). `heading=`
gives it a heading of its own (hidden but for screen readers' heading lists). It reads
what it needs itself, in a constant number of queries, so a page adds it with one
line and its view needs no change. Like the site-wide views, this tag puts the
apps together; the drawing is in `cities/maps.py`.

The markup of each city (a link with its marker and label, and an item of the list
under the map) is written here with `format_html` rather than in the template: a
map has a marker per city, and the template language costs tens of microseconds per
variable, which made the map a quarter of the home page's rendering time.
"""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cities.maps import (
    NOT_LISTED,
    NOT_SIGNED,
    SIGNED,
    Marker,
    Projection,
    outline_path,
    place_labels,
)
from cities.models import City
from core.languages import translated_text
from declarations.models import Declaration, Signatory, pick_featured

register = template.Library()

# With this many cities or fewer on it (a filter left few), the map is drawn small:
# it still tells where they are, without pushing the page down.
FEW_MARKERS = 3

STATUS_LABELS = {
    SIGNED: _("signed"),
    NOT_SIGNED: _("listed, but did not sign"),
    NOT_LISTED: _("not listed as a signatory"),
}


def main_declaration():
    """The declaration the home page features (see `declarations.models.pick_featured`)."""
    return pick_featured(list(Declaration.objects.published().prefetch_related("teams")))


def _lang(marker, language):
    return (
        format_html(' lang="{}"', marker.name_language) if marker.name_language != language else ""
    )


def _shape(marker):
    if marker.status == SIGNED:
        return format_html(
            '<circle class="signatory-map__marker" cx="{}" cy="{}" r="6.5"/>',
            f"{marker.x:g}",
            f"{marker.y:g}",
        )
    return format_html('<polygon class="signatory-map__marker" points="{}"/>', marker.marker_points)


def svg_link(marker, language):
    """A city on the map: a link named by the city and its status, with its marker."""
    return format_html(
        '<a class="signatory-map__link signatory-map__link--{status}" href="{url}" '
        'aria-label="{name}: {label}"{lang} data-latitude="{latitude}" '
        'data-longitude="{longitude}">\n      <title>{name}: {label}</title>\n      {shape}\n'
        '      <text class="signatory-map__label" x="{x}" y="{y}" text-anchor="{anchor}">'
        "{name}</text>\n    </a>",
        status=marker.status,
        url=marker.city.get_absolute_url(),
        name=marker.name,
        label=str(marker.status_label),
        lang=_lang(marker, language),
        latitude=str(marker.city.latitude),
        longitude=str(marker.city.longitude),
        shape=_shape(marker),
        x=f"{marker.label_x:g}",
        y=f"{marker.label_y:g}",
        anchor=marker.label_anchor,
    )


def list_items(markers, language):
    """The cities of one status as items of the list under the map."""
    return format_html_join(
        "",
        '<li><a href="{}"{}>{}</a></li>',
        ((m.city.get_absolute_url(), _lang(m, language), m.name) for m in markers),
    )


def map_cities():
    """Every city, with only what the map shows of it."""
    return City.objects.only("slug", "name", "latitude", "longitude").order_by("name")


def map_context(declaration=None, cities=None, declaration_slug="", heading=""):
    if declaration is None and declaration_slug:
        declaration = Declaration.objects.published().filter(slug=declaration_slug).first()
    if declaration is None:
        declaration = main_declaration()
    statuses = {}
    if declaration is not None:
        # The signatories the page prefetched, if it did (the home page).
        statuses = {s.city_id: s.status for s in declaration.signatories.all()}
    projection = Projection.for_outline()
    markers = []
    unmapped = []
    if cities is None:
        cities = map_cities()
    for city in cities:
        status = {
            Signatory.Status.SIGNED: SIGNED,
            Signatory.Status.NOT_SIGNED: NOT_SIGNED,
        }.get(statuses.get(city.pk), NOT_LISTED)
        name = translated_text(city, "name")
        if city.latitude is None or city.longitude is None:
            unmapped.append(
                {
                    "city": city,
                    "name": name,
                    "status": status,
                    "status_label": STATUS_LABELS[status],
                }
            )
            continue
        x, y = projection.project(city.longitude, city.latitude)
        markers.append(
            Marker(city, name.text, name.language, status, x, y, status_label=STATUS_LABELS[status])
        )
    # Signatories first, so their labels get the best places.
    markers.sort(key=lambda m: (m.status != SIGNED, m.status != NOT_SIGNED, m.y))
    place_labels(markers, projection.width, projection.height)
    groups = [
        {
            "status": status,
            "label": STATUS_LABELS[status],
            "markers": sorted((m for m in markers if m.status == status), key=lambda m: m.name),
        }
        for status in (SIGNED, NOT_SIGNED, NOT_LISTED)
    ]
    language = get_language()
    for group in groups:
        group["items"] = list_items(group["markers"], language)
    return {
        "declaration": declaration,
        "heading": heading,
        "declaration_name": declaration.short_name().text if declaration is not None else "",
        "compact": len(markers) <= FEW_MARKERS,
        "width": projection.width,
        "height": projection.height,
        "outline": outline_path(),
        "markers": markers,
        "links": mark_safe("\n    ".join(svg_link(marker, language) for marker in markers)),  # noqa: S308 - each made by format_html
        "groups": [group for group in groups if group["markers"]],
        "unmapped": unmapped,
        "status_labels": STATUS_LABELS,
    }


@register.inclusion_tag("includes/signatory_map.html")
def signatory_map(declaration=None, cities=None, declaration_slug="", heading=""):
    return map_context(declaration, cities, declaration_slug, heading)
