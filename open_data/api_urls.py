"""The files themselves, under `/api/v1/` and outside the language prefix: one
file holds every language. Each file's route comes from the dataset's description;
`/api/v1/` lists them and `/api/v1/datapackage.json` describes their columns."""

from django.urls import path

from . import views
from .datasets import DATASETS

app_name = "api"
urlpatterns = [
    path("", views.api_index, name="index"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    *(
        path(
            dataset.file_name(fmt, slug="<slug:slug>"),
            views.dataset_file,
            {"key": key, "fmt": fmt},
            name=f"{key}_{fmt}",
        )
        for key, dataset in DATASETS.items()
        for fmt in dataset.formats
    ),
]
