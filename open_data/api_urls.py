"""The files themselves, under `/api/v1/` and outside the language prefix: one
file holds every language. Each route comes from the dataset's description."""

from django.urls import path

from . import views
from .datasets import DATASETS

app_name = "api"
urlpatterns = [
    path(
        dataset.file_name(fmt, slug="<slug:slug>"),
        views.dataset_file,
        {"key": key, "fmt": fmt},
        name=f"{key}_{fmt}",
    )
    for key, dataset in DATASETS.items()
    for fmt in dataset.formats
]
