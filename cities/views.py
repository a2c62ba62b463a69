"""Public pages of cities: the list with its filters, and each city's profile."""

from django.db.models import Prefetch
from django.views.generic import DetailView, ListView

from .forms import CityFilterForm
from .models import City, Mayor

# The cities app never imports the declarations app (DESIGN.md): what a city
# signed and hosted is read through the reverse relations declared there.
Signatory = City.signatures.rel.related_model
Declaration = Signatory.declaration.field.related_model


class CityListView(ListView):
    model = City
    context_object_name = "cities"

    def get_queryset(self):
        self.filter_form = CityFilterForm(
            self.request.GET or None, declarations=Declaration.objects.published()
        )
        cities = City.objects.prefetch_related(
            "mayors",
            Prefetch(
                "signatures",
                queryset=Signatory.objects.of_published_declarations().select_related(
                    "declaration"
                ),
            ),
        )
        return self.filter_form.filter(cities).distinct()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        return context


class CityDetailView(DetailView):
    model = City
    context_object_name = "city"

    def get_queryset(self):
        return City.objects.prefetch_related(
            Prefetch("mayors", queryset=Mayor.objects.order_by("-term_start"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        city = self.object
        context["signatures"] = (
            city.signatures.of_published_declarations()
            .select_related("declaration", "mayor")
            .order_by("declaration__date")
        )
        context["hosted_meetings"] = city.hosted_meetings.published().latest_first()
        context["initiatives"] = city.initiatives.published()
        return context
