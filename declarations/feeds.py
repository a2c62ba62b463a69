"""Atom feeds of meetings and declarations (the calendar is in `calendar.py`).

Both live under the language prefix (`/pl/feeds/...`, `/uk/feeds/...`) and give
the texts and dates in that language, falling back to Polish like the pages. They list
published items only, through `published()`.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext

from core.languages import translated_text
from core.markdown import render_markdown
from core.templatetags.portal import date_range

from .models import Declaration, Meeting

FEED_LENGTH = 50


def text_of(obj, field_name):
    """The text of a translated field in the active language, or Polish."""
    return translated_text(obj, field_name).text


def meeting_place(meeting):
    parts = [text_of(meeting, "place")]
    if meeting.host_city is not None:
        city = text_of(meeting.host_city, "name")
        if city and city not in parts[0]:
            parts.append(city)
    return ", ".join(part for part in parts if part)


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
        return text_of(item, "title")

    def item_description(self, item):
        lines = [
            escape(
                " · ".join(
                    part
                    for part in (date_range(item.start_date, item.end_date), meeting_place(item))
                    if part
                )
            )
        ]
        theme = text_of(item, "theme")
        if theme:
            lines.append(linebreaks(theme, autoescape=True))
        notes = text_of(item, "notes")
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
        return text_of(item, "title")

    def item_description(self, item):
        summary = text_of(item, "summary")
        return linebreaks(summary, autoescape=True) if summary else ""

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at
