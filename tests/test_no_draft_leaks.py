"""Nothing unpublished reaches the public: every declaration, meeting and initiative
of the seed content is made a draft in turn, and then every public page in both
languages (the sitemap's), the feeds, the calendars and the open-data files are
read for its title and its short name. Related objects are where a draft hides:
the Team's founding declaration, a meeting's initiatives, a city's meetings,
initiatives and signatures, an initiative's meetings, the map and the filters.

Editors' prose may name a draft in passing ("took part in the Academy on ..."):
that is their text, not a related object shown, so before the walk the name is
masked in the prose fields of the other objects; whatever still shows the name
shows the object.
"""

import html
import json

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from lxml import etree

from cities.models import City
from declarations.models import Declaration, Initiative, Meeting, Signatory, Team

PROSE = {
    City: ("summary", "description", "integration_office"),
    Declaration: ("summary", "body"),
    Meeting: ("theme", "notes"),
    Initiative: ("summary", "body"),
    Team: ("description",),
    Signatory: ("note",),
}

SITEMAP = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def public_texts(client):
    """{address: the text a visitor or a program reads there} for every public page,
    feed and file. No-break spaces read as spaces, entities as their characters."""
    tree = etree.fromstring(client.get("/sitemap.xml").content)
    paths = [
        loc.removeprefix("http://testserver")
        for loc in tree.xpath("//s:loc/text()", namespaces=SITEMAP)
    ]
    for language in LANGUAGES:
        with translation.override(language):
            paths += [
                reverse("declarations:meeting_feed"),
                reverse("declarations:declaration_feed"),
                reverse("declarations:meeting_calendar"),
            ]
    index = client.get("/api/v1/").json()
    for dataset in index["datasets"]:
        files = dataset["files"] if isinstance(dataset["files"], list) else [dataset["files"]]
        paths += [
            url.removeprefix("http://testserver")
            for file in files
            for url in file.values()
            if url.startswith("http")
        ]
    paths += ["/api/v1/", "/api/v1/datapackage.json"]
    texts = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode("utf-8")
        if response["Content-Type"].startswith("application/json"):
            body = json.dumps(json.loads(body), ensure_ascii=False)
        # The calendar folds long lines; feeds and pages escape markup.
        body = body.replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
        texts[path] = html.unescape(html.unescape(body)).replace("\xa0", " ")
    return texts


def names_of(obj):
    names = {getattr(obj, f"title_{code}") for code in LANGUAGES}
    if isinstance(obj, Declaration):
        for code in LANGUAGES:
            with translation.override(code):
                names.add(obj.short_name().text)
    return {name for name in names if name}


def mask_mentions(names):
    """Each of `names` replaced by "[…]" in every object's prose."""
    for model, fields in PROSE.items():
        columns = [f"{field}_{code}" for field in fields for code in LANGUAGES]
        for obj in model.objects.all():
            changed = {}
            for column in columns:
                value = getattr(obj, column) or ""
                for name in names:
                    value = value.replace(name, "[…]")
                if value != (getattr(obj, column) or ""):
                    changed[column] = value
            if changed:
                model.objects.filter(pk=obj.pk).update(**changed)


def publishables():
    return [
        *Declaration.objects.published().order_by("slug"),
        *Meeting.objects.published().order_by("slug"),
        *Initiative.objects.published().order_by("slug"),
    ]


def test_the_walk_finds_every_published_title(client, seeded):
    """The check below can fail: with everything published, each title is found."""
    texts = "\n".join(public_texts(client).values())
    for obj in publishables():
        assert any(name in texts for name in names_of(obj)), obj


@pytest.mark.parametrize("kind", ["declaration", "meeting", "initiative"])
def test_a_draft_appears_nowhere(client, seeded, kind):
    model = {"declaration": Declaration, "meeting": Meeting, "initiative": Initiative}[kind]
    objects = list(model.objects.published().order_by("slug"))
    assert objects
    for obj in objects:
        mask_mentions(names_of(obj))
        obj.unpublish()
        leaks = {
            path: sorted(name for name in names_of(obj) if name in text)
            for path, text in public_texts(client).items()
        }
        leaks = {path: names for path, names in leaks.items() if names}
        assert not leaks, f"the draft {kind} {obj.slug} shows on {leaks}"
        obj.publish()
