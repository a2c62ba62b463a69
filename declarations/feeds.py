"""Atom feeds of meetings and declarations (the calendar is in `calendar.py`).

Both live under the language prefix (`/pl/feeds/...`, `/uk/feeds/...`) and give
the texts and dates in that language, falling back to Polish like the pages. They list
published items only, through `published()`.

What RFC 4287 asks of them: an author (the Union of Polish Metropolises, for the
feed and so for every entry), an `updated` time for the feed (its latest entry's)
and for each entry (when it last changed), and ids that never change. The ids are
`tag:` URIs (RFC 4151) made of a name the portal owns and the object's primary
key, not of the address the feed was fetched from: a feed read through another
host name, a proxy or a test server has the same ids, and renaming an item or its
slug keeps its id. An entry in Polish and the same entry in English are two
entries, so the language is part of the id.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext

from core.languages import active_language, translated_text
from core.templatetags.portal import date_range

from .models import Declaration, Meeting

FEED_LENGTH = 50
# The authority and date of the portal's tag: URIs (RFC 4151): the domain of the
# Union of Polish Metropolises and the year the portal's subject began. Never
# change them: every feed reader would see every entry as new.
TAG_PREFIX = "tag:metropolie.pl,2017:migration-portal"


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


def tag_uri(*parts):
    """A stable id for the feeds: `tag:metropolie.pl,2017:migration-portal/en/meetings/12`."""
    return "/".join([TAG_PREFIX, *(str(part) for part in parts)])


class PortalFeed(Feed):
    """What both Atom feeds share: the author and the stable ids."""

    feed_type = Atom1Feed
    id_name = ""
    # No query parameter changes a feed (ump_portal/middleware/page_cache.py).
    query_parameters = ()

    def author_name(self):
        return gettext("Union of Polish Metropolises")

    def author_link(self):
        return self.request.build_absolute_uri(reverse("home"))

    def feed_guid(self):
        return tag_uri(active_language(), "feeds", self.id_name)

    def item_guid(self, item):
        return tag_uri(active_language(), self.id_name, item.pk)

    def item_guid_is_permalink(self, item):
        return False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def get_feed(self, obj, request):
        # The author's link is an absolute address of the site that served it.
        self.request = request
        return super().get_feed(obj, request)


class MeetingFeed(PortalFeed):
    """Published meetings, newest first."""

    id_name = "meetings"

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
        notes = translated_text(item, "notes")
        if notes:
            lines.append(item.markdown_html("notes", notes))
        return "\n".join(lines)


class DeclarationFeed(PortalFeed):
    """Published declarations, newest publication first."""

    id_name = "declarations"

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
