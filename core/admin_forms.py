"""Admin forms without traps: what each field takes, what was kept, what to do again.

- `EditingAidsMixin` (every content admin has it through `core.admin.HistoryAdmin`):
  - a long text field says whether it is markdown (with a preview, drawn by
    static/js/admin_forms.js from `markdown_preview`) or plain text;
  - a required choice with one option only is preselected on the add page (the
    only team; the city of city staff who edit one city);
  - a file chosen in a form that failed validation is not kept by the browser,
    which cannot be made to send it again: the field then says, beside it, that
    the file was not saved and must be chosen again (`AdminUploadWidget`).
- `AdminUploadWidget`: a file field that shows the current file by its name, an
  image as a thumbnail, and the notice above.
- `markdown_preview`: the admin's preview endpoint; it renders with the same
  sanitiser as the public pages (`core.markdown.render_markdown`).

The language switch of translated fields is static/js/admin_forms.js alone: the
forms list every language's fields (django-modeltranslation's `TranslationAdmin`),
and the script shows one language at a time.
"""

import posixpath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.db import models
from django.http import HttpResponse, HttpResponseNotAllowed
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .markdown import MarkdownField, render_markdown

PLAIN_TEXT_NOTE = _("Plain text: shown as typed, with its line breaks, without formatting.")
MARKDOWN_NOTE = _(
    "Markdown: **bold**, *italics*, [link text](https://…), a line starting with "
    "“- ” for a list, with “## ” for a heading. The preview below shows the result."
)
# The longest text the preview renders (a declaration's full text is ~20,000 characters).
MAX_PREVIEW_CHARACTERS = 200_000


class AdminUploadWidget(AdminFileWidget):
    """The current file by its name (an image as a thumbnail), and a notice when a
    file chosen with a form that failed validation was not saved."""

    template_name = "admin/widgets/upload.html"

    def __init__(self, attrs=None, thumbnail=False):
        super().__init__(attrs)
        self.thumbnail = thumbnail
        self.lost_upload = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["thumbnail"] = self.thumbnail
        widget["lost_upload"] = self.lost_upload
        if self.lost_upload and widget["attrs"].get("id"):
            widget["lost_upload_id"] = f"{widget['attrs']['id']}_lost"
            described_by = widget["attrs"].get("aria-describedby", "")
            widget["attrs"]["aria-describedby"] = (
                f"{widget['lost_upload_id']} {described_by}".strip()
            )
        if widget["is_initial"]:
            widget["file_name"] = posixpath.basename(widget["value"].name)
        return context


def _with_note(help_text, note):
    return format_lazy("{} {}", help_text, note) if help_text else note


class EditingAidsMixin:
    """Put it before Django's `ModelAdmin` (or modeltranslation's `TranslationAdmin`)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None or not isinstance(db_field, models.TextField):
            return formfield
        # A browser cuts a pasted text at `maxlength` without a word: the form's error
        # says how long the text may be, and the whole text stays to be shortened.
        formfield.widget.attrs.pop("maxlength", None)
        if isinstance(db_field, MarkdownField):
            formfield.help_text = _with_note(formfield.help_text, MARKDOWN_NOTE)
            formfield.widget.attrs["data-markdown"] = ""
        elif isinstance(formfield.widget, forms.Textarea):
            formfield.help_text = _with_note(formfield.help_text, PLAIN_TEXT_NOTE)
        return formfield

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for field in self.opts.concrete_fields:
            if not field.many_to_one or field.null or field.name in initial:
                continue
            formfield = self.formfield_for_dbfield(field, request)
            choices = getattr(formfield, "queryset", None)
            if choices is not None and len(only := choices[:2]) == 1:
                initial[field.name] = only[0].pk
        return initial

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST" and request.FILES:
            forms_shown = [context["adminform"].form] + [
                form
                for inline in context.get("inline_admin_formsets", [])
                for form in inline.formset.forms
            ]
            for form in forms_shown:
                _mark_lost_uploads(form, request.FILES)
        return super().render_change_form(request, context, add, change, form_url, obj)


def _mark_lost_uploads(form, files):
    """Files the browser sent with this form, which it will not send again."""
    for name, field in form.fields.items():
        upload = files.get(form.add_prefix(name))
        widget = field.widget
        if upload is not None and isinstance(widget, AdminUploadWidget) and name not in form.errors:
            widget.lost_upload = upload.name


def markdown_preview(request):
    """The HTML of the markdown in the POST's `text`, as the public pages render it."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    text = request.POST.get("text", "")[:MAX_PREVIEW_CHARACTERS]
    response = HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
