"""The Team's meetings as an iCalendar feed (`/pl/feeds/meetings.ics`).

Under the language prefix, like the Atom feeds, with the texts in that language.
The calendar is written with the `icalendar` package, which takes care of what
RFC 5545 asks of the text: CRLF line endings, lines folded at 75 octets, and
commas, semicolons, backslashes and newlines escaped. Meetings are all-day events:
DTSTART and DTEND are dates (VALUE=DATE) and DTEND is the day after the last day,
as the RFC says (it is exclusive). Each meeting's UID is made of its primary key
and a name the portal owns (`UID_DOMAIN`), never of the host that served the
calendar: it does not change when an editor renames the meeting or its slug, nor
behind another host name or proxy, so a calendar app updates the event rather than
adding a second one. The same event has the same UID in either language.
"""

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event

from core.languages import active_language
from core.markdown import plain_text
from core.query import uses_query_parameters

from .feeds import meeting_place, text_of
from .models import Meeting

CALENDAR_PRODID = "-//Union of Polish Metropolises//UMP Migration Portal//EN"
# Never change it: every subscriber's calendar would get each meeting twice.
UID_DOMAIN = "migration-portal.metropolie.pl"


def meetings_calendar(request):
    """The published meetings as an iCalendar object (bytes, RFC 5545)."""
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
        event.add("uid", f"meeting-{meeting.pk}@{UID_DOMAIN}")
        event.add("dtstamp", now)
        event.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
        event.add("dtstart", meeting.start_date)
        last_day = meeting.end_date or meeting.start_date
        event.add("dtend", last_day + datetime.timedelta(days=1))
        event.add("summary", text_of(meeting, "title"))
        url = request.build_absolute_uri(meeting.get_absolute_url())
        description = [
            text_of(meeting, "theme").strip(),
            plain_text(text_of(meeting, "notes"), is_markdown=True),
            url,
        ]
        event.add("description", "\n\n".join(part for part in description if part))
        place = meeting_place(meeting)
        if place:
            event.add("location", place)
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


@uses_query_parameters()
@require_safe
def meetings_ics(request):
    response = HttpResponse(meetings_calendar(request), content_type="text/calendar; charset=utf-8")
    filename = f"ump-meetings-{active_language()}.ics"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
