"""Feeds: Atom feeds of meetings and declarations, and the Team's meetings as iCalendar.

All three live under the language prefix (`/pl/feeds/...`, `/en/feeds/...`) and give
the texts in that language, falling back to Polish like the pages. They list
published items only, through `published()`.

The calendar is written with the `icalendar` package, which takes care of what
RFC 5545 asks of the text: CRLF line endings, lines folded at 75 octets, and
commas, semicolons, backslashes and newlines escaped. Meetings are all-day events:
DTSTART and DTEND are dates (VALUE=DATE) and DTEND is the day after the last day,
as the RFC says (it is exclusive). Each meeting's UID is made of its primary key,
which does not change when an editor renames the meeting or its slug, so a calendar
app updates the event rather than adding a second one.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from declarations.models import Declaration, Meeting

from .languages import active_language, translated_text
from .markdown import render_markdown
from .search import plain_text

FEED_LENGTH = 50
CALENDAR_PRODID = "-//Union of Polish Metropolises//UMP Migration Portal//EN"


def _text(obj, field_name):
    return translated_text(obj, field_name).text


def _meeting_place(meeting):
    parts = [_text(meeting, "place")]
    if meeting.host_city is not None:
        city = _text(meeting.host_city, "name")
        if city and city not in parts[0]:
            parts.append(city)
    return ", ".join(part for part in parts if part)


def _date_range(meeting):
    start = date_format(meeting.start_date)
    if not meeting.end_date or meeting.end_date == meeting.start_date:
        return start
    return f"{start} \u2013 {date_format(meeting.end_date)}"


class MeetingFeed(Feed):
    """Published meetings, newest first."""

    feed_type = Atom1Feed

    def title(self):
        return gettext("UMP Migration Portal: meetings")

    def subtitle(self):
        return gettext(
            "Meetings of the UMP Team for Migration and Integration and related conferences."
        )

    def link(self):
        return reverse("declarations:meeting_list")

    def items(self):
        return Meeting.objects.published().select_related("host_city").latest_first()[:FEED_LENGTH]

    def item_title(self, item):
        return _text(item, "title")

    def item_description(self, item):
        lines = [
            escape(" · ".join(part for part in (_date_range(item), _meeting_place(item)) if part))
        ]
        theme = _text(item, "theme")
        if theme:
            lines.append(linebreaks(theme, autoescape=True))
        notes = _text(item, "notes")
        if notes:
            lines.append(render_markdown(notes))
        return "\n".join(lines)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


class DeclarationFeed(Feed):
    """Published declarations, newest publication first."""

    feed_type = Atom1Feed

    def title(self):
        return gettext("UMP Migration Portal: declarations")

    def subtitle(self):
        return gettext("Declarations on migration published on the UMP Migration Portal.")

    def link(self):
        return reverse("declarations:declaration_list")

    def items(self):
        return Declaration.objects.published().order_by("-published_at", "slug")[:FEED_LENGTH]

    def item_title(self, item):
        return _text(item, "title")

    def item_description(self, item):
        summary = _text(item, "summary")
        return linebreaks(summary, autoescape=True) if summary else ""

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at


def meetings_calendar(request):
    """The published meetings as an iCalendar object (bytes, RFC 5545)."""
    host = request.get_host().split(":")[0]
    now = timezone.now().astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", CALENDAR_PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", gettext("UMP Team for Migration and Integration: meetings"))
    meetings = Meeting.objects.published().select_related("host_city").order_by("start_date", "pk")
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", meeting.start_date)
        last_day = meeting.end_date or meeting.start_date
        event.add("dtend", last_day + datetime.timedelta(days=1))
        event.add("summary", _text(meeting, "title"))
        url = request.build_absolute_uri(meeting.get_absolute_url())
        description = [
            _text(meeting, "theme").strip(),
            plain_text(_text(meeting, "notes"), is_markdown=True),
            url,
        ]
        event.add("description", "\n\n".join(part for part in description if part))
        place = _meeting_place(meeting)
        if place:
            event.add("location", place)
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@require_safe
def meetings_ics(request):
    response = HttpResponse(meetings_calendar(request), content_type="text/calendar; charset=utf-8")
    filename = f"ump-meetings-{active_language()}.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
