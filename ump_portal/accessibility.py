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

from django.http import Http404
from django.views.generic import TemplateView

from .models import AccessibilityStatement

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
    template_name = "accessibility.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = AccessibilityStatement.current()
        if statement is None:
            raise Http404
        context["statement"] = statement
        context["site_url"] = statement.site_url or self.request.build_absolute_uri("/")
        return context
