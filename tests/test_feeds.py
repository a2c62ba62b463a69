"""Atom feeds and the iCalendar feed (declarations/feeds.py), read by real parsers:
feedparser for Atom, icalendar for RFC 5545, plus checks on the raw bytes."""

import datetime

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone, translation

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
