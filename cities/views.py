"""Public pages of cities: the list with its filters, and each city's profile."""

from django.apps import apps
from django.db.models import F, Prefetch
from django.views.generic import DetailView, ListView

from .forms import CityFilterForm
from .models import City, Mayor


def declarations_model(name):
    """A model of the declarations app, which sits above this one and is never
    imported here (docs/ARCHITECTURE.md, "Layers"); a city page reads what the
    city signed and hosted through the reverse relations declared there."""
    return apps.get_model("declarations", name)


class CityListView(ListView):
    model = City
    context_object_name = "cities"
    query_parameters = tuple(CityFilterForm.base_fields)

    def get_queryset(self):
        self.filter_form = CityFilterForm(
            self.request.GET or None,
            declarations=declarations_model("Declaration").objects.published(),
        )
        cities = City.objects.prefetch_related(
            "mayors",
            Prefetch(
                "signatures",
                queryset=declarations_model("Signatory")
                .objects.of_published_declarations()
                .select_related("declaration"),
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
    query_parameters = ()

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
            .order_by(F("declaration__date").asc(nulls_last=True))
        )
        context["hosted_meetings"] = city.hosted_meetings.published().latest_first()
        context["initiatives"] = city.initiatives.published()
        return context
