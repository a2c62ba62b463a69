from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import calendar, feeds, views

app_name = "declarations"
urlpatterns = [
    path(_("declarations/"), views.DeclarationListView.as_view(), name="declaration_list"),
    path(
        _("declarations/<slug:slug>/"),
        views.DeclarationDetailView.as_view(),
        name="declaration_detail",
    ),
    path(_("team/"), views.TeamView.as_view(), name="team"),
    path(_("meetings/"), views.MeetingListView.as_view(), name="meeting_list"),
    path(_("meetings/<slug:slug>/"), views.MeetingDetailView.as_view(), name="meeting_detail"),
    path(_("initiatives/"), views.InitiativeListView.as_view(), name="initiative_list"),
    path(
        _("initiatives/<slug:slug>/"),
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
    path(
        "documents/meetings/<int:pk>/<str:name>",
        views.meeting_document,
        name="meeting_document",
    ),
    path("documents/declarations/<slug:slug>.pdf", views.declaration_pdf, name="declaration_pdf"),
    path("feeds/meetings.atom", feeds.MeetingFeed(), name="meeting_feed"),
    path("feeds/declarations.atom", feeds.DeclarationFeed(), name="declaration_feed"),
    path("feeds/meetings.ics", calendar.meetings_ics, name="meeting_calendar"),
]
