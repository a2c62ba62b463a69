"""Write the seed content to the database, keeping every change an editor has made since.

Ours, not Django's fixtures (`loaddata`): a fixture overwrites every field it names
and brings back what an editor deleted.

For each object it writes, the loader keeps a `SeedRecord` with the values written, as
JSON: dates as ISO strings, decimals as strings, a foreign key as the seed key of its
target (`gdansk`) and a many-to-many field as a sorted list of such keys. On the next
load, each field of the data file is compared with the object as it is now:

- it already equals the data: nothing to do;
- it still equals what the loader wrote last time: it is updated to the data;
- the loader did not manage it before and it is still empty or at its default: filled in;
- otherwise an editor has changed it: it is kept, and the report says so.

One exception: `published_at`, which the loader filled in with the moment of the first
load before the data file gave the real publication moments (30 June 2017 for the
declaration), is the loader's while no editor has saved the object in the admin. An
object whose publication moment comes from the data is "last updated" at that moment
too, until someone changes it, so feeds and the sitemap do not present old texts as new.

An object whose record exists but which is gone was deleted by an editor and is not
created again. An object with no record that already exists (same slug; for a mayor the
same city and name) was made by hand before the first load: it is taken over by the
same rules, so only its empty fields are filled in.

The caller runs `load_seed` inside a transaction: a `SeedError` leaves nothing written.
"""

import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.utils import timezone
from reversion.models import Version

from core.publishing import Status
from ump_portal.models import SeedRecord

from .sections import RESERVED_ENTRIES, SECTIONS


class SeedError(Exception):
    """The data file cannot be loaded as it is."""


@dataclass
class SectionReport:
    """What happened to the rows of one section. Every row ends in exactly one of
    created / updated / unchanged / deleted / skipped; `kept` lists, for any row,
    the fields left alone because an editor changed them."""

    name: str
    created: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)
    unchanged: list[str] = field(default_factory=list)
    kept: dict[str, list[str]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


@dataclass
class Report:
    sections: list[SectionReport]

    def count(self, outcome):
        return sum(len(getattr(section, outcome)) for section in self.sections)


def read_content(path):
    """The parsed data file; a `SeedError` when it is missing or not valid TOML."""
    try:
        with open(path, "rb") as content:
            return tomllib.load(content)
    except OSError as error:
        raise SeedError(f"cannot read {path}: {error.strerror}") from error
    except tomllib.TOMLDecodeError as error:
        raise SeedError(f"{path} is not valid TOML: {error}") from error


def load_seed(data):
    """Load parsed seed data (see `read_content`) and return a `Report`."""
    return SeedLoader(data).load()


def to_json(model_field, value):
    """A field's Python value as stored in a `SeedRecord` and compared with the data."""
    if value is None:
        return "" if isinstance(model_field, models.CharField | models.TextField) else None
    if isinstance(model_field, models.DecimalField):
        return str(Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places)))
    if isinstance(value, datetime):
        # One form whatever the offset it was written with: the database gives UTC.
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


class SeedLoader:
    def __init__(self, data):
        self.data = data
        self.records = {record.key: record for record in SeedRecord.objects.all()}
        # Seed keys ("cities.City:gdansk") of the objects that are in the database now,
        # and the reverse, (model label, pk) -> row key ("gdansk"), to describe a
        # current foreign key or many-to-many value in the terms of the data file.
        self.pks = {}
        self.keys = {}
        # Seed keys of rows that are in the data but not in the database: deleted by an
        # editor, or skipped because something they need was deleted.
        self.absent = set()

    def load(self):
        known = {section.name for section in SECTIONS}
        unknown = sorted(set(self.data) - known)
        if unknown:
            raise SeedError(f"unknown section(s) in the data file: {', '.join(unknown)}")
        return Report([self.load_section(section) for section in SECTIONS])

    def load_section(self, section):
        model = apps.get_model(section.model_label)
        report = SectionReport(section.name)
        for row in self.data.get(section.name, []):
            self.load_row(section, model, row, report)
        return report

    def load_row(self, section, model, row, report):
        try:
            key = section.key_of(row)
        except ValueError as error:
            raise SeedError(str(error)) from error
        seed_key = section.seed_key(key)
        if seed_key in self.pks or seed_key in self.absent:
            raise SeedError(f"{seed_key} appears twice in the data file")
        desired, unresolved = self.desired_values(model, seed_key, row)

        record = self.records.get(seed_key)
        previous = record.values if record else {}
        if record is not None:
            obj = model._default_manager.filter(pk=record.object_id).first()
            if obj is None:
                self.absent.add(seed_key)
                report.deleted.append(key)
                return
        else:
            obj = self.find_existing(model, section, desired)
        if obj is None:
            required = [name for name in unresolved if not model._meta.get_field(name).null]
            if required:
                self.absent.add(seed_key)
                report.skipped[key] = f"needs {', '.join(required)}, deleted in the admin"
                return
            obj = model()

        is_new = obj.pk is None
        written, changed, kept, m2m = self.write(obj, desired, previous, is_new)
        # A reference whose target an editor deleted stays as it was recorded.
        written.update({name: previous[name] for name in unresolved if name in previous})
        if is_new or changed:
            self.save(obj, seed_key, m2m)
            if "published_at" in desired and (is_new or changed == ["published_at"]):
                # Old texts are not new: until an editor changes them, last updated is
                # when they were published.
                model._default_manager.filter(pk=obj.pk).update(updated_at=obj.published_at)

        if is_new:
            report.created.append(key)
        elif changed:
            report.updated[key] = changed
        else:
            report.unchanged.append(key)
        if kept:
            report.kept[key] = kept
        if record is None:
            record = SeedRecord(key=seed_key, model=section.model_label)
        if record.pk is None or record.values != written or record.object_id != str(obj.pk):
            record.object_id = str(obj.pk)
            record.values = written
            record.save()
            self.records[seed_key] = record
        self.pks[seed_key] = obj.pk
        self.keys[(section.model_label, obj.pk)] = key

    def desired_values(self, model, seed_key, row):
        """The row's values in their JSON form, and the references that cannot be
        resolved because an editor deleted their target."""
        desired, unresolved = {}, []
        for name, value in row.items():
            if name in RESERVED_ENTRIES:
                continue
            try:
                model_field = model._meta.get_field(name)
            except FieldDoesNotExist as error:
                raise SeedError(f"{seed_key}: {model._meta.label} has no field {name!r}") from error
            if model_field.many_to_many:
                targets = [self.resolve(seed_key, model_field, key) for key in value]
                desired[name] = sorted(key for key, pk in zip(value, targets, strict=True) if pk)
            elif model_field.is_relation:
                if self.resolve(seed_key, model_field, value):
                    desired[name] = value
                else:
                    unresolved.append(name)
            else:
                if isinstance(value, str):
                    value = value.strip()
                try:
                    desired[name] = to_json(model_field, model_field.to_python(value))
                except ValidationError as error:
                    raise SeedError(f"{seed_key}: {name}: {'; '.join(error.messages)}") from error
        return desired, unresolved

    def resolve(self, seed_key, model_field, key):
        """The pk of the object a reference points to; None when an editor deleted it."""
        target = f"{model_field.related_model._meta.label}:{key}"
        if target in self.pks:
            return self.pks[target]
        if target in self.absent:
            return None
        raise SeedError(f"{seed_key}: {model_field.name} points to {target}, not above it")

    def find_existing(self, model, section, desired):
        lookup = {}
        for name in section.natural_lookup:
            if name not in desired:
                return None
            model_field = model._meta.get_field(name)
            if model_field.is_relation:
                target = f"{model_field.related_model._meta.label}:{desired[name]}"
                lookup[model_field.attname] = self.pks[target]
            else:
                lookup[name] = model_field.to_python(desired[name])
        existing = model._default_manager.filter(**lookup).first()
        if existing is None or (section.model_label, existing.pk) in self.keys:
            return None
        return existing

    def current_value(self, obj, model_field):
        if model_field.many_to_many:
            if obj.pk is None:
                return []
            pks = getattr(obj, model_field.name).values_list("pk", flat=True)
            return sorted(self.key_of_object(model_field.related_model, pk) for pk in pks)
        if model_field.is_relation:
            pk = getattr(obj, model_field.attname)
            return None if pk is None else self.key_of_object(model_field.related_model, pk)
        return to_json(model_field, getattr(obj, model_field.attname))

    def key_of_object(self, model, pk):
        # An object the data file does not know gets a key no row can have.
        return self.keys.get((model._meta.label, pk), f"#{pk}")

    def write(self, obj, desired, previous, is_new):
        """Set on `obj` the fields the rules allow. Returns what the record should hold,
        the fields changed, the fields kept because an editor changed them, and the
        many-to-many values to set once the object is saved."""
        written, changed, kept, m2m = {}, [], [], {}
        for name, new in desired.items():
            model_field = obj._meta.get_field(name)
            current = None if is_new else self.current_value(obj, model_field)
            if not is_new and current == new:
                written[name] = new
            elif (
                is_new
                or self.may_update(model_field, current, previous)
                or self.filled_by_loader(obj, name, previous)
            ):
                self.assign(obj, model_field, new, m2m)
                written[name] = new
                if not is_new:
                    changed.append(name)
            else:
                written[name] = previous.get(name, new)
                kept.append(name)
        return written, changed, kept, m2m

    @staticmethod
    def may_update(model_field, current, previous):
        """Whether no editor has changed the field since the loader last wrote it."""
        if model_field.name in previous:
            return current == previous[model_field.name]
        # Not managed before (a field new in the data file, or an object taken over):
        # only while it is still empty or at its default.
        if current in ("", None, []):
            return True
        return not model_field.many_to_many and current == to_json(
            model_field, model_field.get_default()
        )

    @staticmethod
    def filled_by_loader(obj, name, previous):
        """Whether `published_at`, not yet in the record, holds the moment of the first
        load, which the loader itself set before the data file gave the real one: so
        while no editor has saved the object in the admin (each such save is a
        django-reversion version with a user)."""
        if name != "published_at" or name in previous:
            return False
        saved_by_someone = Version.objects.get_for_object(obj).filter(revision__user__isnull=False)
        return not saved_by_someone.exists()

    def assign(self, obj, model_field, value, m2m):
        if model_field.many_to_many:
            label = model_field.related_model._meta.label
            m2m[model_field.name] = [self.pks[f"{label}:{key}"] for key in value]
        elif model_field.is_relation:
            label = model_field.related_model._meta.label
            setattr(obj, model_field.attname, self.pks[f"{label}:{value}"] if value else None)
        else:
            setattr(obj, model_field.attname, model_field.to_python(value))

    def save(self, obj, seed_key, m2m):
        if getattr(obj, "status", None) == Status.PUBLISHED and obj.published_at is None:
            # Published content is public from its first load; `published_at` is not
            # part of the data, so a second load does not move it.
            obj.published_at = timezone.now()
        try:
            obj.full_clean()
        except ValidationError as error:
            raise SeedError(f"{seed_key}: {error.message_dict}") from error
        obj.save()
        for name, pks in m2m.items():
            getattr(obj, name).set(pks)
