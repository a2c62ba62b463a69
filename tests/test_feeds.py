"""Atom feeds and the iCalendar feed (declarations/feeds.py), read by real parsers:
feedparser for Atom, icalendar for RFC 5545, plus checks on the raw bytes."""

import datetime
import re

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from core.publishing import Status
from tests.factories import CityFactory, DeclarationFactory, MeetingFactory, TeamFactory


@pytest.fixture
def meetings(db):
    team = TeamFactory()
    lublin = CityFactory(slug="lublin", name_pl="Lublin", name_en="Lublin")
    one_day = MeetingFactory(
        team=team,
        slug="warszawa-2017",
        title_pl="Pierwsze spotkanie robocze",
        title_en="First working meeting",
        title_uk="Перша робоча зустріч",
        start_date=datetime.date(2017, 6, 6),
        place_pl="Warszawa",
        place_en="Warsaw",
        place_uk="Варшава",
    )
    two_days = MeetingFactory(
        team=team,
        slug="lublin-2019",
        title_pl="Spotkanie w Lublinie",
        title_en="",  # falls back to Polish
        title_uk="",
        host_city=lublin,
        start_date=datetime.date(2019, 6, 12),
        end_date=datetime.date(2019, 6, 13),
        theme_pl="Integracja; rynek pracy, edukacja \\ zdrowie\nDrugi wiersz",
        theme_en="Integration; jobs, education \\ health\nSecond line",
    )
    MeetingFactory(team=team, slug="szkic", title_en="Draft meeting", status=Status.DRAFT)
    MeetingFactory(
        team=team,
        slug="pozniej",
        title_en="Scheduled meeting",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )
    return one_day, two_days


def fetch(client, name, language):
    with translation.override(language):
        url = reverse(name)
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize(
    ("language", "titles"),
    [
        ("en", ["Spotkanie w Lublinie", "First working meeting"]),
        ("pl", ["Spotkanie w Lublinie", "Pierwsze spotkanie robocze"]),
        ("uk", ["Spotkanie w Lublinie", "Перша робоча зустріч"]),
    ],
)
def test_meeting_feed_parses_as_atom(client, meetings, language, titles):
    response = fetch(client, "declarations:meeting_feed", language)
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.language == language
    assert [entry.title for entry in feed.entries] == titles
    with translation.override(language):
        expected_link = f"http://testserver{meetings[1].get_absolute_url()}"
    assert feed.entries[0].link == expected_link
    assert feed.entries[0].updated_parsed is not None


def test_feed_and_calendar_in_ukrainian(client, meetings):
    feed = feedparser.parse(fetch(client, "declarations:meeting_feed", "uk").content)
    assert feed.feed.title == "Міграційний портал UMP: засідання"
    summaries = {entry.title: entry.summary for entry in feed.entries}
    # Dates as the pages write them: the month in the genitive, en dash for a range.
    assert summaries["Перша робоча зустріч"].startswith("6 червня 2017 · Варшава")
    assert summaries["Spotkanie w Lublinie"].startswith("12\u201313 червня 2019")
    calendar = icalendar.Calendar.from_ical(raw_calendar(client, "uk"))
    assert str(calendar["X-WR-CALNAME"]) == (
        "Робоча група UMP з питань міграції та інтеграції: засідання"
    )
    assert "Перша робоча зустріч" in {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    response = fetch(client, "declarations:meeting_calendar", "uk")
    assert response["Content-Disposition"] == 'inline; filename="ump-meetings-uk.ics"'


def test_declaration_feed_lists_published_declarations_only(client, db):
    DeclarationFactory(title_en="Published declaration", summary_en="Short <b>summary</b>.")
    DeclarationFactory(title_en="Draft declaration", status=Status.DRAFT)
    feed = feedparser.parse(fetch(client, "declarations:declaration_feed", "en").content)
    assert not feed.bozo, feed.bozo_exception
    assert [entry.title for entry in feed.entries] == ["Published declaration"]
    # The editor's text is escaped, not turned into markup.
    assert "&lt;b&gt;" in feed.entries[0].summary


def raw_calendar(client, language="en"):
    response = fetch(client, "declarations:meeting_calendar", language)
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def test_calendar_is_valid_rfc5545(client, meetings):
    raw = raw_calendar(client)
    # CRLF line endings, and no line longer than 75 octets.
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    calendar = icalendar.Calendar.from_ical(raw)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    events = calendar.walk("VEVENT")
    assert len(events) == 2  # no draft, no scheduled meeting
    for event in events:
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event


def test_all_day_events_end_the_day_after(client, meetings):
    calendar = icalendar.Calendar.from_ical(raw_calendar(client))
    events = {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}
    one_day = events["First working meeting"]
    assert one_day["DTSTART"].params["VALUE"] == "DATE"
    assert one_day.decoded("DTSTART") == datetime.date(2017, 6, 6)
    assert one_day.decoded("DTEND") == datetime.date(2017, 6, 7)  # exclusive
    two_days = events["Spotkanie w Lublinie"]
    assert two_days.decoded("DTSTART") == datetime.date(2019, 6, 12)
    assert two_days.decoded("DTEND") == datetime.date(2019, 6, 14)
    assert two_days["DTEND"].params["VALUE"] == "DATE"


def test_text_is_escaped_and_round_trips(client, meetings):
    raw = raw_calendar(client)
    unfolded = raw.replace(b"\r\n ", b"")
    assert b"Integration\\; jobs\\, education \\\\ health\\nSecond line" in unfolded
    calendar = icalendar.Calendar.from_ical(raw)
    event = next(e for e in calendar.walk("VEVENT") if "Lublin" in str(e["SUMMARY"]))
    description = str(event["DESCRIPTION"])
    assert description.startswith("Integration; jobs, education \\ health\nSecond line")
    assert str(event["LOCATION"]) == "Lublin"


def test_uids_are_stable_and_unique(client, meetings):
    def uids(language):
        calendar = icalendar.Calendar.from_ical(raw_calendar(client, language))
        return [str(event["UID"]) for event in calendar.walk("VEVENT")]

    first = uids("en")
    assert len(set(first)) == len(first)
    meeting = meetings[0]
    meeting.title_en = "Renamed meeting"
    meeting.slug = "renamed"
    meeting.save()
    assert uids("en") == first
    assert uids("pl") == first  # the same event in either language


def test_meeting_pages_link_to_the_feeds(client, meetings):
    for name, kwargs in (
        ("declarations:meeting_list", {}),
        ("declarations:meeting_detail", {"slug": meetings[0].slug}),
    ):
        for language in ("pl", "en", "uk"):
            with translation.override(language):
                url = reverse(name, kwargs=kwargs)
                calendar_url = reverse("declarations:meeting_calendar")
                atom_url = reverse("declarations:meeting_feed")
            text = client.get(url).content.decode()
            assert '<link rel="alternate" type="text/calendar"' in text
            assert f'href="{calendar_url}"' in text
            assert '<link rel="alternate" type="application/atom+xml"' in text
            assert f'href="{atom_url}"' in text


# RFC 4287, checked on the XML itself ------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+\.[a-z]+,\d{4}(-\d\d){0,2}:[\w/.-]+$")
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")
FEEDS = ["declarations:meeting_feed", "declarations:declaration_feed"]


def atom(client, name, language, host="testserver"):
    with translation.override(language):
        url = reverse(name)
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    return etree.fromstring(response.content)


def one(element, tag):
    found = element.findall(f"{ATOM}{tag}")
    assert len(found) == 1, f"{element.tag} has {len(found)} <{tag}>"
    return found[0]


def moment(element, tag):
    value = one(element, tag).text
    assert RFC_3339.match(value), value
    return datetime.datetime.fromisoformat(value)


@pytest.fixture
def declarations(db):
    DeclarationFactory(title_en="UMP declaration", summary_en="Summary.")
    DeclarationFactory(title_en="Pomeranian declaration", summary_en="")


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("name", FEEDS)
def test_atom_feeds_follow_rfc_4287(client, meetings, declarations, name, language):
    feed = atom(client, name, language)
    assert feed.tag == f"{ATOM}feed"
    assert TAG_URI.match(one(feed, "id").text)
    assert one(feed, "title").text
    # An author for the feed stands for every entry that has none (4.1.1).
    assert one(one(feed, "author"), "name").text == (
        "Unia Metropolii Polskich" if language == "pl" else "Union of Polish Metropolises"
    )
    assert feed.xpath("atom:link[@rel='self']", namespaces={"atom": ATOM[1:-1]})
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2  # no draft, no scheduled item
    ids = [one(entry, "id").text for entry in entries]
    assert len(set(ids)) == len(ids)
    for entry, entry_id in zip(entries, ids, strict=True):
        assert TAG_URI.match(entry_id), entry_id
        assert one(entry, "title").text
        assert entry.xpath("atom:link[@rel='alternate']/@href", namespaces={"atom": ATOM[1:-1]})
        assert moment(entry, "published") <= moment(entry, "updated")
    # The feed changed when its latest entry did: a real moment, not the time of the request.
    assert moment(feed, "updated") == max(moment(entry, "updated") for entry in entries)


@pytest.mark.parametrize("name", FEEDS)
def test_atom_ids_do_not_depend_on_the_host_or_the_slug(client, meetings, declarations, name):
    def ids(host):
        feed = atom(client, name, "en", host=host)
        return [element.text for element in feed.iter(f"{ATOM}id")]

    here = ids("testserver")
    assert ids("localhost:8000") == here
    assert not any("testserver" in value or "localhost" in value for value in here)
    meetings[0].slug = "renamed"
    meetings[0].save()
    assert ids("127.0.0.1") == here
    # The same entry in Polish is another entry, with an id of its own.
    polish = [element.text for element in atom(client, name, "pl").iter(f"{ATOM}id")]
    assert not set(polish) & set(here)


def test_calendar_uids_do_not_depend_on_the_host(client, meetings):
    def uids(host):
        with translation.override("en"):
            url = reverse("declarations:meeting_calendar")
        calendar = icalendar.Calendar.from_ical(client.get(url, HTTP_HOST=host).content)
        return [str(event["UID"]) for event in calendar.walk("VEVENT")]

    here = uids("testserver")
    assert uids("localhost:8000") == here
    assert all(uid.endswith("@migration-portal.metropolie.pl") for uid in here)
