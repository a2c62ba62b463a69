"""Site-wide views: the home page and the error pages."""

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.views.generic import TemplateView

from cities.models import City
from declarations.models import Declaration, Meeting, Signatory

LATEST_MEETINGS = 3


def pick_featured(declarations):
    """The declaration the home page presents: the one that set up the UMP Team
    (the 2017 declaration of mayors, the portal's subject); without a team, the
    earliest dated one. Reads only what the caller prefetched."""
    if not declarations:
        return None
    for declaration in declarations:
        if declaration.teams.all():
            return declaration
    return min(declarations, key=lambda d: (d.date is None, d.date))


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declarations = list(
            Declaration.objects.published().prefetch_related(
                "teams",
                Prefetch(
                    "signatories",
                    queryset=Signatory.objects.select_related("city", "mayor").order_by(
                        "city__name"
                    ),
                ),
            )
        )
        featured = pick_featured(declarations)
        context["featured_declaration"] = featured
        context["other_declarations"] = [d for d in declarations if d is not featured]
        if featured is not None:
            signatories = featured.signatories.all()
            context["featured_signatories"] = signatories
            context["signed_count"] = sum(1 for s in signatories if s.has_signed)
        context["latest_meetings"] = (
            Meeting.objects.published().select_related("host_city").latest_first()[:LATEST_MEETINGS]
        )
        context["city_count"] = City.objects.count()
        return context


def home_links():
    """The home page in every language: where the language switcher of an error
    page leads, since the missing or failing page has no version to switch to."""
    links = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            links.append({"code": code, "name": name, "url": reverse("home")})
    return links


def page_not_found(request, exception):
    return render(request, "404.html", {"switcher_links": home_links()}, status=404)


def server_error(request):
    """Rendered without the request context: no database, no session, no user,
    so the page still appears when those are what failed. The language is the
    one of the URL, since the error may have come before LocaleMiddleware ran."""
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "LANGUAGE_CODE": language,
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "switcher_links": home_links(),
        }
        body = loader.get_template("500.html").render(context)
    return HttpResponseServerError(body)
