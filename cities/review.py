"""Review before publishing: what city staff change waits for an editor.

City staff's changes to their city's profile and its mayors are not public until an
editor approves them, unless an editor let that city's staff publish directly
(`DirectPublishing`). Editors' own changes are public at once.

How it works
- The tables hold only what is approved. Every public reader (the pages, the sitemap,
  search, open data and the page cache) therefore shows the approved version with no
  filter of its own, and nothing pending can leak through a query someone forgets.
- A change waiting for review is a `ProposedChange`: the approved state it was made
  against (`base`) and the state its author saved (`proposed`), as `snapshot` writes
  them (the city's fields, each language apart, and its mayors by id). What it changes
  is their difference, so an editor's own edits made meanwhile to other fields stay.
- In the admin, a request of city staff whose city is under review runs in a
  transaction (`staged`): their open change is written first, so the forms show what
  they proposed; Django's admin view runs as usual (forms, inlines, validation,
  uploads); the state it leaves is read; everything is rolled back. The difference
  from the approved state becomes the city's open change. django-reversion shows an
  old version in the admin form the same way (`VersionAdmin._reversion_revisionform_view`).
- Editors see the queue on the admin home, open a change to see what it changes
  against what is public now, and approve it (`approve`: written and recorded as a
  version, in one transaction) or send it back with a message (`send_back`). E-mails
  go to the editors when a change is submitted and to its author when it is decided.

Why ours: django-moderation (last release 2022, up to Django 4.0) and django-approval
moderate one model's fields at a time; neither reviews a city together with the
mayors edited inline on its page, nor knows modeltranslation's language columns.
Keeping the approved state in the tables keeps every public query as it is.
"""

import logging
from dataclasses import dataclass
from smtplib import SMTPException

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from core.admin_wording import sentence_comment
from core.history import compare, compare_named, compared_fields, object_state

from .models import City, Mayor, ProposedChange
from .permissions import EDIT_ALL_CITIES, editable_cities, edits_every_city

logger = logging.getLogger(__name__)

# Who edits a city is the editors' to decide, never part of a change.
CITY_FIELDS = [f for f in compared_fields(City) if f.name != "editors"]
MAYOR_FIELDS = [f for f in compared_fields(Mayor) if f.name != "city"]


# States ------------------------------------------------------------------------------


def _to_json(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, bool | int | float | str | list):
        return str(value)
    return value


def _state(obj, fields):
    names = [f.name for f in fields]
    return {name: _to_json(value) for name, value in object_state(obj, names).items()}


def snapshot(city):
    """The city's reviewed fields and its mayors, as JSON: `{"city": {attname: value},
    "mayors": {"<id>": {attname: value}}}`."""
    return {
        "city": _state(city, CITY_FIELDS),
        "mayors": {str(mayor.pk): _state(mayor, MAYOR_FIELDS) for mayor in city.mayors.all()},
    }


def _changed(base, proposed):
    return {name: value for name, value in proposed.items() if base.get(name) != value}


def merged(current, base, proposed):
    """`current` with the change from `base` to `proposed` applied: fields the change
    does not touch keep their current values."""
    city = {**current["city"], **_changed(base["city"], proposed["city"])}
    mayors = dict(current["mayors"])
    for key in set(base["mayors"]) - set(proposed["mayors"]):
        mayors.pop(key, None)
    for key, values in proposed["mayors"].items():
        if key not in base["mayors"]:
            mayors[key] = values
        elif key in mayors:
            mayors[key] = {**mayors[key], **_changed(base["mayors"][key], values)}
    return {"city": city, "mayors": mayors}


def _assign(obj, fields, values):
    for model_field in fields:
        if model_field.attname in values:
            value = values[model_field.attname]
            if value is not None and not model_field.is_relation:
                value = model_field.to_python(value)
            setattr(obj, model_field.attname, value)


def write_state(city, current, target, validate=False, keep_ids=False):
    """Make the database hold `target` for `city` (from `current`). Returns
    {id in target: id written} for the mayors it creates. With `validate`, every
    object written is checked first (`full_clean`); with `keep_ids`, a new mayor
    gets the id it had in `target` when that id is free (see `staged`)."""
    errors = []

    def save(obj):
        if validate:
            try:
                obj.full_clean()
            except ValidationError as error:
                errors.extend(f"{obj}: {message}" for message in error.messages)
                return
        obj.save()

    city_changes = _changed(current["city"], target["city"])
    if city_changes:
        _assign(city, CITY_FIELDS, city_changes)
        save(city)
    ids = {}
    for key in set(current["mayors"]) - set(target["mayors"]):
        Mayor.objects.filter(pk=key, city=city).delete()
    for key, values in target["mayors"].items():
        if key in current["mayors"]:
            changes = _changed(current["mayors"][key], values)
            mayor = Mayor.objects.filter(pk=key, city=city).first() if changes else None
            if mayor is not None:
                _assign(mayor, MAYOR_FIELDS, changes)
                save(mayor)
            continue
        mayor = Mayor(city=city)
        _assign(mayor, MAYOR_FIELDS, values)
        if keep_ids and key.isdigit() and not Mayor.objects.filter(pk=key).exists():
            mayor.pk = int(key)
        save(mayor)
        ids[key] = str(mayor.pk)
    if errors:
        raise ValidationError(errors)
    return ids


def describe(current, target):
    """What going from `current` to `target` changes, as `core.history.ObjectChange`s:
    the city first, then its mayors."""
    changes = []
    city_label = gettext("Profile")
    city_change = compare(City, current["city"], target["city"], city_label)
    if city_change is not None:
        changes.append(city_change)
    keys = sorted(
        set(current["mayors"]) | set(target["mayors"]),
        key=lambda key: (target["mayors"].get(key) or current["mayors"][key]).get("full_name", ""),
    )
    for key in keys:
        before, after = current["mayors"].get(key), target["mayors"].get(key)
        name = (after or before).get("full_name", "")
        change = compare_named(Mayor, before, after, name)
        if change is not None:
            changes.append(change)
    return changes


def changes_of(proposed_change):
    """What approving `proposed_change` would change in what is public now."""
    current = snapshot(proposed_change.city)
    target = merged(current, proposed_change.base, proposed_change.proposed)
    return describe(current, target)


# Who is reviewed ---------------------------------------------------------------------


def cities_under_review(user):
    """The cities whose changes by `user` wait for review: their own cities, unless
    an editor let that city's staff publish directly. None for editors."""
    if edits_every_city(user):
        return City.objects.none()
    return editable_cities(user).filter(direct_publishing__isnull=True)


def may_review(user):
    return edits_every_city(user)


def editors_to_notify():
    return (
        get_user_model()
        .objects.with_perm(
            EDIT_ALL_CITIES,
            include_superusers=False,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        .filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
    )


# Staging the admin's requests --------------------------------------------------------


class _RollBack(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    """What a staged request did to one city's open change."""

    SUBMITTED, UPDATED, WITHDRAWN = "submitted", "updated", "withdrawn"

    city: City
    change: ProposedChange | None
    event: str


def staged(request, view):
    """Run the admin view `view()` for city staff under review (see the module
    docstring) and return its response with an `Outcome` per city it changed.
    For anybody else, or a GET with nothing pending, it is just `view()`."""
    user = request.user
    cities = list(cities_under_review(user)) if user.is_authenticated else []
    if not cities:
        return view(), []
    drafts = {
        change.city_id: change for change in ProposedChange.objects.open().filter(city__in=cities)
    }
    if request.method != "POST" and not drafts:
        return view(), []
    approved = {city.pk: snapshot(city) for city in cities}
    staged_states, results, renamed = {}, {}, {}
    request.review_staging = True
    try:
        with transaction.atomic():
            for city in cities:
                draft = drafts.get(city.pk)
                if draft is not None:
                    target = merged(approved[city.pk], draft.base, draft.proposed)
                    ids = write_state(city, approved[city.pk], target, keep_ids=True)
                    renamed[city.pk] = {old: new for old, new in ids.items() if old != new}
                staged_states[city.pk] = snapshot(city)
            response = view()
            if hasattr(response, "render") and not response.is_rendered:
                # Rendered now, while the forms' querysets still see the staged rows.
                response.render()
            for city in cities:
                fresh = City.objects.filter(pk=city.pk).first()
                results[city.pk] = snapshot(fresh) if fresh is not None else None
            raise _RollBack
    except _RollBack:
        pass
    finally:
        request.review_staging = False
    outcomes = []
    for city in cities:
        draft, after = drafts.get(city.pk), results.get(city.pk)
        if after is None or after == staged_states[city.pk]:
            if draft is not None and renamed.get(city.pk):
                _rename_new_mayors(draft, renamed[city.pk])
            continue
        outcomes.append(_record(request, city, draft, approved[city.pk], after))
    return response, outcomes


def _rename_new_mayors(draft, renamed):
    """A new mayor's id was taken meanwhile (SQLite hands rolled-back ids out again):
    keep the id the forms now show."""
    mayors = draft.proposed["mayors"]
    draft.proposed["mayors"] = {renamed.get(key, key): values for key, values in mayors.items()}
    draft.save(update_fields=["proposed"])


def _record(request, city, draft, approved, after):
    user = request.user
    now = timezone.now()
    if after == approved:
        if draft is not None:
            draft.status = ProposedChange.Status.WITHDRAWN
            draft.decided_by, draft.decided_at = user, now
            draft.save()
        return Outcome(city, None, Outcome.WITHDRAWN)
    was_pending = draft is not None and draft.status == ProposedChange.Status.PENDING
    if draft is None:
        draft = ProposedChange(city=city)
    if not was_pending:
        draft.submitted_at = now
    draft.base, draft.proposed = approved, after
    draft.author, draft.status, draft.message = user, ProposedChange.Status.PENDING, ""
    draft.save()
    if was_pending:
        return Outcome(city, draft, Outcome.UPDATED)
    notify_editors(request, draft)
    return Outcome(city, draft, Outcome.SUBMITTED)


# Decisions ---------------------------------------------------------------------------


def approve(change, editor, request=None):
    """Make `change` public: written over what is public now (fields it does not
    touch keep their current values), checked, recorded as one version of the city.
    Raises `ValidationError` (and changes nothing) when the result breaks a rule."""
    city = change.city
    with transaction.atomic(), reversion.create_revision():
        current = snapshot(city)
        write_state(city, current, merged(current, change.base, change.proposed), validate=True)
        reversion.add_to_revision(city)
        reversion.set_user(change.author or editor)
        reversion.set_comment(
            sentence_comment(
                gettext_noop(
                    "Change submitted for review on %(submitted)s, approved by %(editor)s."
                ),
                submitted=timezone.localtime(change.submitted_at).strftime("%Y-%m-%d %H:%M"),
                editor=editor.get_username(),
            )
        )
        change.status = ProposedChange.Status.APPROVED
        change.decided_by, change.decided_at = editor, timezone.now()
        change.save()
    notify_author(request, change)


def send_back(change, editor, message, request=None):
    """Return `change` to its author with `message`; nothing becomes public."""
    change.status = ProposedChange.Status.RETURNED
    change.message = message
    change.decided_by, change.decided_at = editor, timezone.now()
    change.save()
    notify_author(request, change)


def withdraw(change, user):
    change.status = ProposedChange.Status.WITHDRAWN
    change.decided_by, change.decided_at = user, timezone.now()
    change.save()


# E-mail ------------------------------------------------------------------------------


def _absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def send(subject, template, context, recipients):
    """Send one e-mail in the portal's language (`subject` is a lazy string, filled
    with `context`); False, and logged, when it cannot go."""
    if not recipients:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        body = render_to_string(template, context)
        subject = f"{gettext('UMP migration portal')}: {str(subject) % context}"
    try:
        send_mail(subject, body, None, recipients)
    except (SMTPException, OSError):
        logger.exception("E-mail %r to %s could not be sent", subject, ", ".join(recipients))
        return False
    return True


def notify_editors(request, change):
    url = _absolute(request, reverse("admin:cities_city_review", args=[change.pk]))
    with translation.override(settings.LANGUAGE_CODE):
        fields = [
            f"{item.label}: {', '.join(str(f.label) for f in item.fields)}"
            if item.fields
            else f"{item.label} ({item.action_label})"
            for item in changes_of(change)
        ]
    return send(
        _("change to review: %(city)s"),
        "cities/email/change_submitted.txt",
        {"change": change, "city": change.city, "url": url, "fields": fields},
        [user.email for user in editors_to_notify()],
    )


def notify_author(request, change):
    author = change.author
    if author is None or not author.email:
        return False
    url = _absolute(request, reverse("admin:cities_city_change", args=[change.city_id]))
    if change.status == ProposedChange.Status.APPROVED:
        subject = _("your change is public: %(city)s")
    else:
        subject = _("your change was sent back: %(city)s")
    return send(
        subject,
        "cities/email/change_decided.txt",
        {"change": change, "city": change.city, "url": url},
        [author.email],
    )
