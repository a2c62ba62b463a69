"""The page that describes the open data, under the language prefix."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "open_data"
urlpatterns = [
    path(_("open-data/"), views.OpenDataView.as_view(), name="index"),
]
