"""Truthful dates: the 2017 texts carry their real publication moments (the seed loader,
ump_portal/seed/), "published" and "last updated" are apart and both shown, and the
feeds and the sitemap do not present old texts as new."""

import datetime
from zoneinfo import ZoneInfo

import feedparser
import pytest
from django.core.management import call_command
from django.urls import reverse
from reversion.models import Version

from declarations.models import Declaration, Meeting
from ump_portal.models import SeedRecord

from .html import form_data, parse

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def warsaw_noon(year, month, day):
    return datetime.datetime(year, month, day, 12, tzinfo=WARSAW)


def test_the_declaration_is_published_on_30_june_2017(seeded):
    declaration = Declaration.objects.get(slug="deklaracja-ump-2017")
    assert declaration.published_at == warsaw_noon(2017, 6, 30)
    assert declaration.updated_at == declaration.published_at


def test_meetings_are_published_on_the_day_they_were_held(seeded):
    for meeting in Meeting.objects.all():
        assert meeting.published_at.astimezone(WARSAW).date() == meeting.start_date
        assert meeting.updated_at == meeting.published_at


def dates_shown(client, url):
    page = parse(client.get(url).content.decode())
    return {
        dt.text_content().strip(): dt.getnext().text_content().strip()
        for dt in page.xpath("//dt")
        if dt.getnext() is not None
    }


def test_both_dates_are_shown_on_the_pages(client, seeded):
    dates = dates_shown(client, "/pl/deklaracje/deklaracja-ump-2017/")
    assert dates["Data publikacji"] == "30 czerwca 2017"
    assert dates["Ostatnia aktualizacja"] == "30 czerwca 2017"
    dates = dates_shown(client, "/en/meetings/2019-06-lublin/")
    assert (dates["Published"], dates["Last updated"]) == ("12 June 2019", "12 June 2019")
    dates = dates_shown(client, "/en/initiatives/lublin4all/")
    assert dates["Published"] == "23 April 2020"


def test_feeds_and_sitemap_give_the_old_dates(client, seeded):
    feed = feedparser.parse(client.get("/en/feeds/declarations.atom").content)
    entry = next(e for e in feed.entries if "deklaracja-ump-2017" in e.link)
    assert entry.published.startswith("2017-06-30")
    assert entry.updated.startswith("2017-06-30")
    meetings = feedparser.parse(client.get("/en/feeds/meetings.atom").content)
    assert all(
        not e.published.startswith(str(datetime.date.today().year)) for e in meetings.entries
    )
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<lastmod>2017-06-30</lastmod>" in sitemap


def test_an_editors_publication_moment_is_kept_by_the_loader(client, seeded, editor):
    declaration = Declaration.objects.get(slug="deklaracja-ump-2017")
    client.force_login(editor)
    url = reverse("admin:declarations_declaration_change", args=[declaration.pk])
    data = form_data(client.get(url), "declaration_form")
    data.update(published_at_0="01.07.2017", published_at_1="09:00:00", _save="1")
    assert client.post(url, data).status_code == 302
    declaration.refresh_from_db()
    edited = declaration.published_at
    assert edited.astimezone(WARSAW).date() == datetime.date(2017, 7, 1)
    call_command("load_seed_content", verbosity=0)
    declaration.refresh_from_db()
    assert declaration.published_at == edited


def test_a_database_loaded_before_gets_the_real_moments(seeded):
    # As a first load left it before the data file gave the moment: the load's time.
    declaration = Declaration.objects.get(slug="deklaracja-ump-2017")
    record = SeedRecord.objects.get(key="declarations.Declaration:deklaracja-ump-2017")
    del record.values["published_at"]
    record.save()
    Declaration.objects.filter(pk=declaration.pk).update(
        published_at=datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC),
        updated_at=datetime.datetime(2026, 1, 5, 10, tzinfo=datetime.UTC),
    )
    assert not Version.objects.get_for_object(declaration).exists()
    call_command("load_seed_content", verbosity=0)
    declaration.refresh_from_db()
    assert declaration.published_at == warsaw_noon(2017, 6, 30)
    assert declaration.updated_at == declaration.published_at
