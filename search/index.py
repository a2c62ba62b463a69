"""What the search looks through: every public object, as a `Document`.

One query per kind of object (a constant six, whatever the query), read in the
active language with the Polish fallback field by field
(`core.languages.translated_text`), exactly what the pages show.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from cities.models import City, Mayor
from core.languages import translated_text
from core.markdown import plain_text
from declarations.models import Declaration, Initiative, Meeting, Team


@dataclass
class Document:
    """One searchable object: what is matched and what the result shows."""

    kind: str
    kind_label: str
    url: str
    title: str
    title_language: str
    texts: list = field(default_factory=list)  # (text, language) pairs
    keywords: str = ""  # matched, never shown (a city's ASCII slug)
    order: int = 0


def _translated(obj, field_name, is_markdown=False):
    text = translated_text(obj, field_name)
    return plain_text(text.text, is_markdown), text.language


def documents():
    """Every public object, one query per kind."""
    kinds = [
        ("declaration", _("Declaration")),
        ("city", _("City")),
        ("mayor", _("Mayor")),
        ("team", _("Team")),
        ("meeting", _("Meeting")),
        ("initiative", _("Initiative")),
    ]
    order = {kind: index for index, (kind, _label) in enumerate(kinds)}
    labels = dict(kinds)

    def document(kind, obj, url, title_field, text_fields, keywords=""):
        title, title_language = _translated(obj, title_field)
        texts = [_translated(obj, name, is_markdown) for name, is_markdown in text_fields]
        return Document(
            kind=kind,
            kind_label=labels[kind],
            url=url,
            title=title,
            title_language=title_language,
            texts=[(text, language) for text, language in texts if text],
            keywords=keywords,
            order=order[kind],
        )

    for declaration in Declaration.objects.published():
        yield document(
            "declaration",
            declaration,
            declaration.get_absolute_url(),
            "title",
            [("summary", False), ("body", True), ("place", False)],
        )
    for city in City.objects.all():
        doc = document(
            "city",
            city,
            city.get_absolute_url(),
            "name",
            [("summary", False), ("description", True), ("integration_office", False)],
            keywords=city.slug.replace("-", " "),
        )
        doc.texts.append((str(city.get_voivodeship_display()), ""))
        yield doc
    for mayor in Mayor.objects.select_related("city"):
        city_name, city_language = _translated(mayor.city, "name")
        yield Document(
            kind="mayor",
            kind_label=labels["mayor"],
            url=mayor.city.get_absolute_url(),
            title=mayor.full_name,
            title_language="",
            texts=[(f"{mayor.get_office_display()}: {city_name}", city_language)],
            order=order["mayor"],
        )
    for team in Team.objects.all():
        yield document("team", team, team.get_absolute_url(), "name", [("description", True)])
    meetings = Meeting.objects.published().select_related("host_city")
    for meeting in meetings:
        doc = document(
            "meeting",
            meeting,
            meeting.get_absolute_url(),
            "title",
            [("theme", False), ("notes", True), ("place", False)],
        )
        if meeting.host_city is not None:
            doc.texts.append(_translated(meeting.host_city, "name"))
        yield doc
    for initiative in Initiative.objects.published():
        yield document(
            "initiative",
            initiative,
            initiative.get_absolute_url(),
            "title",
            [("summary", False), ("body", True)],
        )
