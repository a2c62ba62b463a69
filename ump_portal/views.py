"""Site-wide views: the home page and the error pages."""

from django.db.models import Prefetch
from django.shortcuts import render
from django.views.generic import TemplateView

from cities.models import City
from declarations.models import Declaration, Meeting, Signatory

LATEST_MEETINGS = 3


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declarations = list(
            Declaration.objects.published().prefetch_related(
                Prefetch(
                    "signatories",
                    queryset=Signatory.objects.select_related("city", "mayor").order_by(
                        "city__name"
                    ),
                )
            )
        )
        context["declarations"] = declarations
        context["featured_declaration"] = declarations[-1] if declarations else None
        context["latest_meetings"] = (
            Meeting.objects.published().select_related("host_city").latest_first()[:LATEST_MEETINGS]
        )
        context["city_count"] = City.objects.count()
        return context


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
