"""What changed between two states of an object, told field by field and language by language.

Used by the history (a version against the one before it, the current object against
a version about to be restored) and by the review of city staff changes.

- `normalise_text`: text as a browser submits it, compared and stored one way (LF
  line ends, no trailing spaces at line ends, none around the whole text), so that
  saving a form nobody touched changes nothing; `NormalisedTextField` is the form
  field that applies it.
- `compared_fields(model)`: the fields worth telling a reader about, in the model's
  order, each translated field as one entry per language (`summary_pl`,
  `summary_en`, from django-modeltranslation), without the bookkeeping
  `auto_now` times.
- `object_state(obj)`: those fields' values, keyed like django-reversion's
  `Version.field_dict` (by `attname`), so a saved version and a live object compare.
- `compare(model, before, after, label)`: an `ObjectChange` with a `FieldChange` per
  field that differs: the label ("Summary (in English)"), both values as a reader
  would see them, and an inline word diff (`<del>` / `<ins>`).

Ours because what exists compares only two django-reversion versions of one model
(django-reversion-compare); the review compares a pending change that is not a
version, and the readers need the same presentation in all three places. The word
diff is the standard library's `difflib`.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from difflib import SequenceMatcher

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format, localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import NotRegistered, translator

from .languages import language_codes

LINE_ENDS = re.compile(r"\r\n?")
TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)
WORDS = re.compile(r"\s+|[^\s]+")

IN_LANGUAGE = {"pl": _("in Polish"), "en": _("in English"), "uk": _("in Ukrainian")}


def normalise_text(value):
    """Text as compared and stored: LF line ends, no spaces at line ends or around it."""
    if not isinstance(value, str):
        return value
    return TRAILING_SPACE.sub("", LINE_ENDS.sub("\n", value)).strip()


class NormalisedTextField(forms.CharField):
    """A textarea's text, normalised; unchanged when only line ends or trailing spaces
    differ from what is stored (a browser sends CRLF, the seed and the shell write LF)."""

    def to_python(self, value):
        return normalise_text(super().to_python(value))

    def has_changed(self, initial, data):
        return super().has_changed(normalise_text(initial), data)


# Which fields, in which order --------------------------------------------------------


def _translation_columns(model):
    """{original field name: [its per-language column names]} for a translated model."""
    try:
        names = translator.get_options_for_model(model).fields
    except NotRegistered:
        return {}
    codes = language_codes()
    return {name: [f"{name}_{code}" for code in codes] for name in names}


def compared_fields(model, names=None):
    """The model's fields a reader cares about, in order: a translated field as its
    language columns, no primary key and no `auto_now` time. `names` limits them
    (e.g. to the fields django-reversion keeps for the model)."""
    columns = _translation_columns(model)
    every_column = {column for group in columns.values() for column in group}
    result = []
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if model_field.primary_key or getattr(model_field, "auto_now", False):
            continue
        if model_field.name in every_column:
            continue
        group = columns.get(model_field.name)
        candidates = [model._meta.get_field(c) for c in group] if group else [model_field]
        for candidate in candidates:
            if names is None or candidate.name in names or candidate.attname in names:
                result.append(candidate)
    return result


def field_label(model_field):
    original = getattr(model_field, "translated_field", None)
    if original is None:
        return capfirst(model_field.verbose_name)
    language = getattr(model_field, "language", "")
    in_language = IN_LANGUAGE.get(language, language)
    return f"{capfirst(original.verbose_name)} ({in_language})"


# Values -------------------------------------------------------------------------------


def comparable(model_field, value):
    """A value in one form whatever it came from: a live object, a version, JSON."""
    if isinstance(value, FieldFile):
        return value.name or ""
    if model_field.many_to_many:
        return sorted(str(getattr(item, "pk", item)) for item in (value or []))
    if value is None:
        return "" if isinstance(model_field, models.CharField | models.TextField) else None
    if isinstance(model_field, models.TextField | models.CharField):
        return normalise_text(str(value))
    if isinstance(value, str) and not model_field.is_relation:
        try:
            value = model_field.to_python(value)
        except ValidationError:
            return value  # one that no longer parses is shown as stored
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def object_state(obj, names=None):
    """{attname: value} of `obj`'s compared fields (see `comparable`)."""
    state = {}
    for model_field in compared_fields(type(obj), names):
        if model_field.many_to_many:
            value = (
                list(getattr(obj, model_field.name).values_list("pk", flat=True)) if obj.pk else []
            )
        else:
            value = getattr(obj, model_field.attname)
        state[model_field.attname] = comparable(model_field, value)
    return state


def display_value(model_field, value):
    """A value as a reader sees it, as text."""
    if value in (None, "", []):
        return ""
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return gettext("yes") if value else gettext("no")
    if model_field.many_to_many:
        related = model_field.related_model._default_manager.filter(pk__in=value)
        names = sorted(str(obj) for obj in related)
        missing = len(value) - len(names)
        if missing > 0:
            names.append(gettext("%(count)d deleted") % {"count": missing})
        return ", ".join(names)
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return (
            str(related)
            if related is not None
            else gettext("(deleted, no. %(pk)s)") % {"pk": value}
        )
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(value, date):
        return date_format(value, "DATE_FORMAT")
    return str(localize(value)) if isinstance(value, int | float | Decimal) else str(value)


def inline_diff(before, after):
    """`after` with what was removed in `<del>` and what was added in `<ins>`, word by
    word; changed words separated only by spaces read as one change."""
    old, new = WORDS.findall(before), WORDS.findall(after)
    segments = []  # (changed, old text, new text)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        segments.append((operation != "equal", "".join(old[i1:i2]), "".join(new[j1:j2])))
    merged = []
    for index, (changed, old_text, new_text) in enumerate(segments):
        between_changes = (
            0 < index < len(segments) - 1 and segments[index - 1][0] and segments[index + 1][0]
        )
        if not changed and between_changes and old_text.isspace():
            changed = True
        if changed and merged and merged[-1][0]:
            merged[-1] = (True, merged[-1][1] + old_text, merged[-1][2] + new_text)
        else:
            merged.append((changed, old_text, new_text))
    parts = []
    for changed, old_text, new_text in merged:
        if not changed:
            parts.append(escape(old_text))
            continue
        if old_text:
            parts.append(f"<del>{escape(old_text)}</del>")
        if new_text:
            parts.append(f"<ins>{escape(new_text)}</ins>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


# Changes ------------------------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def inline(self):
        return inline_diff(self.before, self.after)


@dataclass
class ObjectChange:
    ADDED, REMOVED, CHANGED = "added", "removed", "changed"

    label: str
    action: str
    fields: list[FieldChange] = field(default_factory=list)

    @property
    def action_label(self):
        return {
            self.ADDED: gettext("added"),
            self.REMOVED: gettext("removed"),
            self.CHANGED: gettext("changed"),
        }[self.action]


def compare_named(model, before, after, name):
    """`compare` under the label "Kind: name", the model's verbose name first."""
    return compare(model, before, after, f"{model._meta.verbose_name.capitalize()}: {name}")


def compare(model, before, after, label, names=None):
    """What changed from state `before` to state `after` (either may be None: the
    object is added or removed); None when nothing did."""
    if before is None and after is None:
        return None
    action = (
        ObjectChange.ADDED
        if before is None
        else ObjectChange.REMOVED
        if after is None
        else ObjectChange.CHANGED
    )
    changes = []
    for model_field in compared_fields(model, names):
        key = model_field.attname
        old = comparable(model_field, (before or {}).get(key))
        new = comparable(model_field, (after or {}).get(key))
        if old == new or (old in (None, "", []) and new in (None, "", [])):
            continue
        changes.append(
            FieldChange(
                label=field_label(model_field),
                before=display_value(model_field, old),
                after=display_value(model_field, new),
            )
        )
    if action == ObjectChange.CHANGED and not changes:
        return None
    return ObjectChange(label=label, action=action, fields=changes)
