"""Public pages of declarations, the Team, its meetings and the initiatives, and
their documents (served only while what they belong to is public)."""

from pathlib import PurePath

from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from core.documents import stored_file_response
from core.query import uses_query_parameters

from .models import Declaration, Initiative, Meeting, MeetingDocument, Signatory, Team


class PublishedMixin:
    """Read content through `visible_to()`: the public sees published items only,
    editors may open a draft on its public URL, shown with a draft banner, which no
    cache may keep. None of these pages reads a query parameter (core/query.py)."""

    query_parameters = ()

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = getattr(self, "object", None)
        context["is_preview"] = obj is not None and not obj.is_public
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        return response


class DeclarationListView(PublishedMixin, ListView):
    model = Declaration
    context_object_name = "declarations"

    def get_queryset(self):
        return super().get_queryset().with_signatory_counts()


class DeclarationDetailView(PublishedMixin, DetailView):
    model = Declaration
    context_object_name = "declaration"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                Prefetch(
                    "signatories",
                    queryset=Signatory.objects.select_related("city", "mayor").order_by(
                        "city__name"
                    ),
                ),
                "teams",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        signatories = self.object.signatories.all()  # prefetched: no query
        context["signed"] = [signatory for signatory in signatories if signatory.has_signed]
        context["not_signed"] = [s for s in signatories if not s.has_signed]
        context["listed_count"] = len(signatories)
        context["signed_count"] = len(context["signed"])
        return context


class TeamView(TemplateView):
    template_name = "declarations/team.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        team = get_object_or_404(
            Team.objects.select_related("established_by").prefetch_related(
                "partners", "member_cities"
            )[:1]
        )
        context["team"] = team
        # The Team itself is not publishable, but what it points to may be a draft.
        founding = team.established_by
        context["founding_declaration"] = founding if founding and founding.is_public else None
        context["meetings"] = team.meetings.published().select_related("host_city").latest_first()
        return context


class MeetingListView(PublishedMixin, ListView):
    model = Meeting
    context_object_name = "meetings"

    def get_queryset(self):
        return super().get_queryset().select_related("host_city").latest_first()


class MeetingDetailView(PublishedMixin, DetailView):
    model = Meeting
    context_object_name = "meeting"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("host_city", "team")
            .prefetch_related(
                "documents",
                Prefetch("initiatives", queryset=Initiative.objects.published()),
            )
        )


class InitiativeListView(PublishedMixin, ListView):
    model = Initiative
    context_object_name = "initiatives"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related("organisations")
            .annotate(city_count=Count("cities", distinct=True))
        )


class InitiativeDetailView(PublishedMixin, DetailView):
    model = Initiative
    context_object_name = "initiative"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .prefetch_related(
                "organisations",
                "cities",
                Prefetch(
                    "meetings",
                    queryset=Meeting.objects.published().select_related("host_city").latest_first(),
                ),
            )
        )


@uses_query_parameters()
@require_safe
def meeting_document(request, pk, name):
    """A meeting's document, for whoever may see the meeting: the public once it is
    published, editors in preview. Its stored URL is never shown."""
    meetings = Meeting.objects.visible_to(request.user)
    document = get_object_or_404(
        MeetingDocument.objects.select_related("meeting").filter(meeting__in=meetings), pk=pk
    )
    if PurePath(document.file.name).name != name:
        raise Http404
    return stored_file_response(document.file, private=not document.meeting.is_public)


@uses_query_parameters()
@require_safe
def declaration_pdf(request, slug):
    declaration = get_object_or_404(Declaration.objects.visible_to(request.user), slug=slug)
    if not declaration.pdf:
        raise Http404
    return stored_file_response(declaration.pdf, private=not declaration.is_public)
