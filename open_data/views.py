"""The open-data files (`/api/v1/...`) and the page that describes them.

See `open_data/datasets.py` for what each file holds and the rules they follow.
"""

import csv
import datetime
import io
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from declarations.models import Declaration

from .datasets import DATASETS, LANGUAGE_CODES, LICENCE, queryset, rows


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return _iso(value)
    return value


def _iso(value):
    if hasattr(value, "tzinfo") and hasattr(value, "hour") and value.tzinfo is not None:
        return value.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")
    return value.isoformat()


class _Encoder(DjangoJSONEncoder):
    def default(self, o):
        if hasattr(o, "isoformat"):
            return _iso(o)
        return super().default(o)


@require_safe
def dataset_file(request, key, fmt, slug=None):
    dataset = DATASETS[key]
    items = rows(dataset, queryset(key, slug), request)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[c.name for c in dataset.columns])
        writer.writeheader()
        for row in items:
            writer.writerow({name: _csv_value(value) for name, value in row.items()})
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        with translation.override("en"):
            document = {
                "dataset": dataset.file_name("json", slug or "<slug>"),
                "description": str(dataset.description),
                "licence": LICENCE,
                "documentation": request.build_absolute_uri(reverse("open_data:index")),
                "columns": [c.name for c in dataset.columns],
                "items": items,
            }
        body = json.dumps(document, cls=_Encoder, ensure_ascii=False, indent=1)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    # Open data is meant to be fetched by other sites' pages too.
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    response["Content-Disposition"] = (
        f'inline; filename="{dataset.file_name(fmt, slug).replace("/", "-")}"'
    )
    return response


class OpenDataView(TemplateView):
    """The page that describes the files, their columns and their licence."""

    template_name = "open_data/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declarations = Declaration.objects.published().order_by("date", "slug")
        datasets = []
        for dataset in DATASETS.values():
            if dataset.per_declaration:
                files = [
                    {
                        "declaration": declaration,
                        "links": [
                            (
                                fmt,
                                reverse(
                                    f"api:{dataset.key}_{fmt}", kwargs={"slug": declaration.slug}
                                ),
                            )
                            for fmt in dataset.formats
                        ],
                    }
                    for declaration in declarations
                ]
            else:
                files = [
                    {
                        "declaration": None,
                        "links": [
                            (fmt, reverse(f"api:{dataset.key}_{fmt}")) for fmt in dataset.formats
                        ],
                    }
                ]
            datasets.append({"dataset": dataset, "files": files})
        context["datasets"] = datasets
        context["licence"] = LICENCE
        context["language_suffixes"] = ", ".join(f"_{code}" for code in LANGUAGE_CODES)
        return context
