"""What the admin says: page titles, messages and the history, in natural Polish.

Django's admin builds its sentences from a model's name in the nominative ("Add
%s", "The {name} “{obj}” was added successfully."), which Polish inflects by case
and gender: its own catalogue resorts to "Dodaj włodarz" and "został(a)(-ło)".
Two remedies, chosen per sentence:

- Titles and buttons that must name the model are written whole for each model:
  `AdminPhrases` on each `ModelAdmin` and inline ("Add a mayor" is "Dodaj
  włodarza"), applied by `AdminWordingMixin` and the templates in
  `templates/admin/` (breadcrumbs, the list's add button). A list's title is the
  plural name ("Włodarze"), which reads well in any language.
- Messages that can do without the model's name say the object's own name
  instead ("Dodano „Aleksandra Dulkiewicz (Gdańsk)”."): `DJANGO_SENTENCES` lists
  those msgids of Django and django-reversion, so that `make messages` keeps them
  in our catalogue, whose translations come first (`LOCALE_PATHS`). Their Polish
  leaves a placeholder out, so the xgettext comments switch off the format check.

The history: `AdminWordingMixin` stores the change message with field names that
the catalogue can translate (a field's verbose name, with the language of a
translated field: "summary [en]") as the version's comment, which
`describe_change()` puts in words in the language of each person who reads it.
"""

import json
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from django.utils.text import capfirst, get_text_list
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from reversion import is_active as reversion_is_active
from reversion import set_comment

DJANGO_SENTENCES = (
    # xgettext:no-python-brace-format
    gettext_noop("The {name} “{obj}” was added successfully."),
    # xgettext:no-python-brace-format
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    # xgettext:no-python-brace-format
    gettext_noop("The {name} “{obj}” was changed successfully."),
    # xgettext:no-python-brace-format
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    # xgettext:no-python-brace-format
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    # xgettext:no-python-format
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    # xgettext:no-python-format
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),  # noqa: RUF001
    gettext_noop("You may edit it again below."),
    # xgettext:no-python-format
    gettext_noop("Cannot delete %(name)s"),
    gettext_noop("Are you sure?"),
    gettext_noop("No, take me back"),
    gettext_noop(
        # xgettext:no-python-format
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? '
        "All of the following related items will be deleted:"
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting "
        "related objects, but your account doesn't have permission to delete the "
        "following types of objects:"
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Deleting the %(object_name)s '%(escaped_object)s' would require deleting the "
        "following protected related objects:"
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Deleting %(class_name)s %(instance)s would require deleting the following "
        "protected related objects: %(related_objects)s"
    ),
    # xgettext:no-python-format
    gettext_noop("Delete selected %(verbose_name_plural)s"),
    # xgettext:no-python-format
    gettext_noop("Successfully deleted %(count)d %(items)s."),
    gettext_noop(
        # xgettext:no-python-format
        "Are you sure you want to delete the selected %(objects_name)s? All of the "
        "following objects and their related items will be deleted:"
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Deleting the selected %(objects_name)s would result in deleting related "
        "objects, but your account doesn't have permission to delete the following "
        "types of objects:"
    ),
    gettext_noop(
        # xgettext:no-python-format
        "Deleting the selected %(objects_name)s would require deleting the following "
        "protected related objects:"
    ),
    # xgettext:no-python-format
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    # xgettext:no-python-format
    gettext_noop("Recover deleted %(name)s"),
    # xgettext:no-python-format
    gettext_noop("Recover deleted %(verbose_name)s"),
    gettext_noop(
        # xgettext:no-python-format
        'The %(model)s "%(name)s" was reverted successfully. You may edit it again below.'
    ),
    gettext_noop("Save and add another"),
    # The icons beside a choice of a related entry.
    # xgettext:no-python-format
    gettext_noop("Change selected %(model)s"),
    # xgettext:no-python-format
    gettext_noop("Add another %(model)s"),
    # xgettext:no-python-format
    gettext_noop("Delete selected %(model)s"),
    # xgettext:no-python-format
    gettext_noop("View selected %(model)s"),
    # xgettext:no-python-format
    gettext_noop("Add another %(verbose_name)s"),
)


@dataclass(frozen=True)
class AdminPhrases:
    """The sentences that name one model, written whole so that each language can
    inflect the name. A `ModelAdmin` needs the first three, an inline the others."""

    add: str = ""  # the add page's title, its breadcrumb, the list's button: "Add a mayor"
    change: str = ""  # the change page's title: "Edit mayor"
    view: str = ""  # the title for those who may only look: "Mayor details"
    add_another: str = ""  # an inline's "add a row" link: "Add another mayor"
    added: str = ""  # the history, an inline row added: "Added mayor “%(object)s”."
    changed: str = ""  # a row changed: "Changed %(fields)s of mayor “%(object)s”."
    deleted: str = ""  # a row deleted: "Deleted mayor “%(object)s”."


TRANSLATED_LABEL = re.compile(r"^(?P<name>.+) \[(?P<language>[a-z_-]+)\]$")


def field_label(form, name):
    """A field's name as the change message stores it: its verbose name untranslated
    (a msgid of the catalogue), with the language of a translated field in brackets.
    Call it with translations off (`translation.override(None)`)."""
    try:
        model_field = form._meta.model._meta.get_field(name)
    except (AttributeError, FieldDoesNotExist):
        field = form.fields.get(name)
        return str(getattr(field, "label", None) or name)
    original = getattr(model_field, "translated_field", None)
    if original is not None:
        return f"{original.verbose_name} [{model_field.language}]"
    return str(model_field.verbose_name)


def change_message(form, formsets, add):
    """Django's change message (`construct_change_message`), with `field_label()`s."""
    message = []
    with translation.override(None):
        if add:
            message.append({"added": {}})
        elif form.changed_data:
            fields = [field_label(form, name) for name in form.changed_data]
            message.append({"changed": {"fields": fields}})
        for formset in formsets or ():
            name = str(formset.model._meta.verbose_name)
            for obj in formset.new_objects:
                message.append({"added": {"name": name, "object": str(obj)}})
            for obj, changed in formset.changed_objects:
                fields = [field_label(formset.forms[0], field) for field in changed]
                message.append({"changed": {"name": name, "object": str(obj), "fields": fields}})
            for obj in formset.deleted_objects:
                message.append({"deleted": {"name": name, "object": str(obj)}})
    return message


def translate_label(label):
    """A stored field label in the active language: "summary [en]" is "streszczenie
    (angielski)" in Polish."""
    match = TRANSLATED_LABEL.match(label)
    if match is None:
        return gettext(label)
    language = dict(settings.LANGUAGES).get(match["language"], match["language"])
    return gettext("%(field)s (%(language)s)") % {
        "field": gettext(match["name"]),
        "language": language,
    }


def _fields(labels):
    return get_text_list([translate_label(label) for label in labels], gettext("and"))


def sentence_comment(text, **params):
    """A version's comment kept as `text` (an English msgid, marked with
    `gettext_noop`) and its parameters, which `describe_change` translates for each
    reader, as it does the admin's change messages."""
    return json.dumps([{"sentence": {"text": text, "params": params}}], ensure_ascii=False)


def sentence_of(comment):
    """The msgid of a comment kept by `sentence_comment`, or None."""
    try:
        entries = json.loads(comment)
    except (TypeError, ValueError):
        return None
    if isinstance(entries, list) and len(entries) == 1 and isinstance(entries[0], dict):
        return (entries[0].get("sentence") or {}).get("text")
    return None


def describe_change(message, inline_phrases=None):
    """The text of a change message (the admin's JSON) in the active language.
    `inline_phrases` maps an inline model's untranslated verbose name to its
    `AdminPhrases`, which say what happened to its rows."""
    try:
        entries = json.loads(message)
    except (TypeError, ValueError):
        return message
    if not isinstance(entries, list):
        return message
    inline_phrases = inline_phrases or {}
    sentences = []
    for entry in entries:
        for action, details in entry.items():
            if action == "added" and not details:
                sentences.append(gettext("Added."))
            elif action == "changed" and "name" not in details:
                sentences.append(
                    gettext("Changed: %(fields)s.") % {"fields": _fields(details["fields"])}
                )
            elif action == "sentence":
                sentences.append(gettext(details["text"]) % details.get("params", {}))
            else:
                sentences.append(_row_sentence(action, details, inline_phrases))
    return " ".join(capfirst(sentence) for sentence in sentences) or gettext("No fields changed.")


# What happened to a row of an inline that has no phrases of its own.
ROW_PHRASES = AdminPhrases(
    added=_("Row added: “%(object)s”."),
    changed=_("Row “%(object)s” changed: %(fields)s."),
    deleted=_("Row deleted: “%(object)s”."),
)


def _row_sentence(action, details, inline_phrases):
    phrases = inline_phrases.get(details.get("name"), ROW_PHRASES)
    params = {"object": details.get("object", "")}
    if action == "changed":
        params["fields"] = _fields(details.get("fields", []))
    sentence = getattr(phrases, action, "") or getattr(ROW_PHRASES, action)
    return str(sentence) % params


class AdminWordingMixin:
    """Titles from `phrases`, and a history in the words of `describe_change()`.

    Put it before django-reversion's `VersionAdmin` (and Django's `ModelAdmin`)."""

    phrases = AdminPhrases()

    def changelist_view(self, request, extra_context=None):
        context = {
            "title": capfirst(self.opts.verbose_name_plural),
            "add_label": self.phrases.add,
            **(extra_context or {}),
        }
        return super().changelist_view(request, context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if object_id is None:
            title = self.phrases.add
        elif self.has_change_permission(request):
            title = self.phrases.change
        else:
            title = self.phrases.view
        context = {"add_label": self.phrases.add}
        if title:
            context["title"] = title
        context.update(extra_context or {})
        return super().changeform_view(request, object_id, form_url, context)

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            add_another = getattr(inline_admin_formset.opts, "phrases", AdminPhrases()).add_another
            if add_another:
                inline_admin_formset.inline_formset_data = _with_add_text(
                    inline_admin_formset.inline_formset_data, add_another
                )
        return inline_admin_formsets

    def construct_change_message(self, request, form, formsets, add=False):
        return change_message(form, formsets, add)

    def get_deleted_objects(self, objs, request):
        """Django's list of what a deletion takes along, without the rows that link
        two entries (a city and its staff, a group and its permissions): nobody
        knows them as entries, and Django can name them only in English."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        links = [model._meta for model in apps.get_models(include_auto_created=True)]
        links = [opts for opts in links if opts.auto_created]
        plurals = {str(opts.verbose_name_plural) for opts in links}
        prefixes = tuple(f"{capfirst(opts.verbose_name)}: " for opts in links)
        counts = {name: count for name, count in counts.items() if str(name) not in plurals}
        return _without_links(deleted, prefixes), counts, perms_needed, protected

    def _inline_phrases(self, request, obj):
        """The phrases of this model and of its inlines, by untranslated name."""
        admins = [self, *self.get_inline_instances(request, obj)]
        with translation.override(None):
            return {
                str(model_admin.model._meta.verbose_name): model_admin.phrases
                for model_admin in admins
                if getattr(model_admin, "phrases", None)
            }

    def _comment(self, request, obj, entry):
        # Kept as the admin's message, and put in words when read (`describe_comment`),
        # so that each reader reads the history in their own language.
        if reversion_is_active():
            set_comment(entry.change_message)
        return entry

    def describe_comment(self, request, obj, comment):
        """A version's comment in the reader's language (a comment written as text
        before comments were kept as messages stays as it was written)."""
        return describe_change(comment, self._inline_phrases(request, obj))

    def log_addition(self, request, obj, message):
        return self._comment(request, obj, super().log_addition(request, obj, message))

    def log_change(self, request, obj, message):
        return self._comment(request, obj, super().log_change(request, obj, message))


def _with_add_text(inline_formset_data, add_another):
    """The inline's data for Django's inlines.js, with its own "add a row" link text.

    Django writes that text from the model's name ("Add another %(verbose_name)s")
    in `InlineAdminFormSet.inline_formset_data`, which the template calls; the
    method of this one object is replaced, not Django's class."""

    def data():
        options = json.loads(inline_formset_data())
        options["options"]["addText"] = str(add_another)
        return json.dumps(options)

    return data


def _without_links(nested, prefixes):
    """`nested` (Django's nested list of what is deleted) without the items that
    start with one of `prefixes`, and without what is listed under them."""
    kept = []
    skipping = False
    for item in nested:
        if isinstance(item, list):
            if not skipping:
                kept.append(_without_links(item, prefixes))
            continue
        skipping = str(item).startswith(prefixes)
        if not skipping:
            kept.append(item)
    return kept
