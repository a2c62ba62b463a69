"""Site-wide views: the home page, the accessibility statement, robots.txt and the
error pages."""

import sys

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.query import uses_query_parameters
from declarations.models import Declaration, Meeting, Signatory, pick_featured
from declarations.templatetags.maps import map_cities

from .middleware.database_down import DATABASE_ERRORS, database_unavailable
from .models import AccessibilityStatement

LATEST_MEETINGS = 3


class HomeView(TemplateView):
    template_name = "home.html"
    query_parameters = ()

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
        # The map shows every city; the link below it counts them.
        context["map_cities"] = list(map_cities())
        context["city_count"] = len(context["map_cities"])
        return context


# The accessibility statement --------------------------------------------------

REQUIRED_IDS = (
    "a11y-wstep",
    "a11y-podmiot",
    "a11y-url",
    "a11y-data-publikacja",
    "a11y-data-aktualizacja",
    "a11y-status",
    "a11y-data-sporzadzenie",
    "a11y-audytor",
    "a11y-kontakt",
    "a11y-osoba",
    "a11y-email",
    "a11y-telefon",
    "a11y-procedura",
    "a11y-architektura",
    "a11y-aplikacje",
)


class AccessibilityStatementView(TemplateView):
    """The accessibility statement page ("Deklaracja dostępności", `/pl/dostepnosc/`).

    The content is the `AccessibilityStatement` editors keep in the admin; the
    template wraps each part in the `a11y-*` element id that the Ministry of Digital
    Affairs' "technical conditions of publication and structure of the accessibility
    statement" name, so automated monitoring finds them:

    a11y-wstep (the introductory statement), a11y-podmiot (the public body),
    a11y-url (the website), a11y-data-publikacja, a11y-data-aktualizacja (publication
    and last significant update of the site), a11y-status (compliance status),
    a11y-ocena (analysis of disproportionate burden, only when there is one),
    a11y-data-sporzadzenie, a11y-data-przeglad (statement drawn up, last reviewed),
    a11y-audytor (who assessed), a11y-kontakt (the feedback and contact section),
    a11y-osoba, a11y-email, a11y-telefon, a11y-procedura (requests and complaints),
    a11y-architektura (architectural accessibility), a11y-aplikacje (mobile apps).

    `REQUIRED_IDS` lists those every statement must have; the tests check the page
    against it. Every page's head links here with
    `<meta name="deklaracja-dostępności" content="…">` and every footer with a link.
    """

    template_name = "accessibility.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = AccessibilityStatement.current()
        if statement is None:
            raise Http404
        context["statement"] = statement
        context["site_url"] = statement.site_url or self.request.build_absolute_uri("/")
        return context


@uses_query_parameters()
@require_safe
def robots_txt(request):
    """`/robots.txt`: everything may be crawled but the admin; where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


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


def permission_denied(request, exception):
    """handler403: Django's own answer is an untranslated "403 Forbidden"; this one
    says, in the reader's language, where to go instead."""
    return render(request, "403.html", {"switcher_links": home_links()}, status=403)


def server_error(request):
    """handler500: the 503 page when the error came from the database, else the
    500 page. Rendered without the request context: no database, no session, no
    user, so the page still appears when those are what failed. The language is
    the one of the URL, since the error may have come before LocaleMiddleware ran."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "LANGUAGE_CODE": language,
            "LANGUAGE_BIDI": translation.get_language_bidi(),
            "switcher_links": home_links(),
        }
        body = loader.get_template("500.html").render(context)
    return HttpResponseServerError(body)
