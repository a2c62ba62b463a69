"""The open-data files (`/api/v1/...`), their index and Data Package, and the page
that describes them.

See `open_data/datasets.py` for what each file holds and the rules they follow.
"""

import csv
import datetime
import io
import json
from itertools import groupby

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from core.query import uses_query_parameters

from .datasets import (
    DATASETS,
    LANGUAGE_CODES,
    LICENCE,
    data_package,
    published_declarations,
    queryset,
    rows,
    signatories,
)

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}
# What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return _iso(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        # A leading apostrophe makes Excel, LibreOffice and Google Sheets show the
        # text as it is instead of running it ("=HYPERLINK(...)", "+48 ..." alike).
        # Numbers are written as numbers: only text can carry a formula.
        return "'" + value
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


def _documentation_url(request):
    with translation.override("en"):
        return request.build_absolute_uri(reverse("open_data:index"))


def render_file(request, dataset, fmt, objects, slug=None):
    """The bytes of one file of `dataset` holding `objects`."""
    return encode_file(request, dataset, fmt, rows(dataset, objects, request), slug)


def encode_file(request, dataset, fmt, items, slug=None):
    """The bytes of one file of `dataset` holding `items`, its rows."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=[c.name for c in dataset.columns])
        writer.writeheader()
        for row in items:
            writer.writerow({name: _csv_value(value) for name, value in row.items()})
        return buffer.getvalue().encode("utf-8")
    with translation.override("en"):
        document = {
            "dataset": dataset.file_name("json", slug or "<slug>"),
            "description": str(dataset.description),
            "licence": LICENCE,
            "documentation": _documentation_url(request),
            "columns": [c.name for c in dataset.columns],
            "items": items,
        }
    return json.dumps(document, cls=_Encoder, ensure_ascii=False, indent=1).encode("utf-8")


def _open(response):
    """Open data is meant to be fetched by other sites' pages too."""
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@uses_query_parameters()
@require_safe
def dataset_file(request, key, fmt, slug=None):
    dataset = DATASETS[key]
    body = render_file(request, dataset, fmt, queryset(key, slug), slug)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'inline; filename="{dataset.file_name(fmt, slug).replace("/", "-")}"'
    )
    return _open(response)


@uses_query_parameters()
@require_safe
def datapackage(request):
    """`/api/v1/datapackage.json`: the Frictionless Data Package of every CSV file."""
    package = data_package(_documentation_url(request))
    return _open(JsonResponse(package, json_dumps_params={"ensure_ascii": False, "indent": 1}))


@uses_query_parameters()
@require_safe
def api_index(request):
    """`/api/v1/`: what the API holds, with the address of every file."""

    def urls(key, slug=None):
        kwargs = {"slug": slug} if slug else {}
        return {
            fmt: request.build_absolute_uri(reverse(f"api:{key}_{fmt}", kwargs=kwargs))
            for fmt in DATASETS[key].formats
        }

    declarations = list(published_declarations())
    with translation.override("en"):
        datasets = []
        for key, dataset in DATASETS.items():
            entry = {
                "name": key,
                "title": str(dataset.title),
                "description": str(dataset.description),
            }
            if dataset.per_declaration:
                entry["files"] = [
                    {"declaration": declaration.slug, **urls(key, declaration.slug)}
                    for declaration in declarations
                ]
            else:
                entry["files"] = urls(key)
            entry["columns"] = [c.name for c in dataset.columns]
            datasets.append(entry)
        index = {
            "title": "UMP Migration Portal: open data",
            "licence": LICENCE,
            "documentation": _documentation_url(request),
            "datapackage": request.build_absolute_uri(reverse("api:datapackage")),
            "datasets": datasets,
        }
    return _open(JsonResponse(index, json_dumps_params={"ensure_ascii": False, "indent": 1}))


class OpenDataView(TemplateView):
    """The page that describes the files, their columns and their licence, with a
    download button per file that says its size. The files are made here as they
    would be downloaded (so the size is exact), in a fixed number of queries: the
    signatories of every declaration are read at once, and each file's rows are read
    once for both of its formats."""

    template_name = "open_data/index.html"
    query_parameters = ()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        declarations = list(published_declarations())
        by_declaration = {
            slug: list(group)
            for slug, group in groupby(signatories(), key=lambda s: s.declaration.slug)
        }
        datasets = []
        for key, dataset in DATASETS.items():
            if dataset.per_declaration:
                files = [
                    self.file_entry(dataset, by_declaration.get(d.slug, []), d)
                    for d in declarations
                ]
            else:
                files = [self.file_entry(dataset, list(queryset(key)))]
            datasets.append({"dataset": dataset, "files": files})
        context["datasets"] = datasets
        context["licence"] = LICENCE
        context["language_suffixes"] = ", ".join(f"_{code}" for code in LANGUAGE_CODES)
        return context

    def file_entry(self, dataset, objects, declaration=None):
        slug = declaration.slug if declaration else None
        kwargs = {"slug": slug} if slug else {}
        items = rows(dataset, objects, self.request)
        downloads = [
            {
                "format": fmt,
                "url": reverse(f"api:{dataset.key}_{fmt}", kwargs=kwargs),
                "content_type": CONTENT_TYPES[fmt].split(";")[0],
                "size": len(encode_file(self.request, dataset, fmt, items, slug)),
            }
            # CSV first: what most readers of the page open, in a spreadsheet.
            for fmt in sorted(dataset.formats, key=lambda fmt: fmt != "csv")
        ]
        return {"declaration": declaration, "downloads": downloads}
