from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "cities"
urlpatterns = [
    path(_("cities/"), views.CityListView.as_view(), name="city_list"),
    path(_("cities/<slug:slug>/"), views.CityDetailView.as_view(), name="city_detail"),
]
