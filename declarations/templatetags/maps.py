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
"""

from django import template
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


def map_context(declaration=None, cities=None, declaration_slug="", heading=""):
    if declaration is None and declaration_slug:
        declaration = Declaration.objects.published().filter(slug=declaration_slug).first()
    if declaration is None:
        declaration = main_declaration()
    statuses = {}
    if declaration is not None:
        statuses = dict(
            Signatory.objects.filter(declaration=declaration).values_list("city_id", "status")
        )
    projection = Projection.for_outline()
    markers = []
    unmapped = []
    if cities is None:
        cities = City.objects.order_by("name")
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
    return {
        "declaration": declaration,
        "heading": heading,
        "declaration_name": declaration.short_name().text if declaration is not None else "",
        "compact": len(markers) <= FEW_MARKERS,
        "width": projection.width,
        "height": projection.height,
        "outline": outline_path(),
        "markers": markers,
        "groups": [group for group in groups if group["markers"]],
        "unmapped": unmapped,
        "status_labels": STATUS_LABELS,
    }


@register.inclusion_tag("includes/signatory_map.html")
def signatory_map(declaration=None, cities=None, declaration_slug="", heading=""):
    return map_context(declaration, cities, declaration_slug, heading)
