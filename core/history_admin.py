"""The admin's history, made truthful: `TruthfulHistoryMixin` for django-reversion's
`VersionAdmin` (mixed into `core.admin.HistoryAdmin`).

- Saving a form nobody changed saves nothing and records no version; text fields
  compare as a browser submits them (`core.history.NormalisedTextField`). When only
  an inline changed (a mayor of a city), the parent still gets its version, so the
  city's history shows it.
- Each version on the history page links to what it changed against the version
  before it, field by field and language by language, the objects saved with it
  (a city's mayors) included.
- Restoring a version first shows what restoring would change, and asks to confirm.

The comparison itself lives in `core.history`.
"""

import logging

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Manager
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from reversion import add_to_revision
from reversion import is_active as reversion_is_active
from reversion.errors import RevertError
from reversion.models import Version
from reversion.revisions import _get_options, is_registered

from .history import NormalisedTextField, compare_named, object_state

logger = logging.getLogger(__name__)


def _key(model, object_id):
    return (ContentType.objects.get_for_model(model).pk, str(object_id))


def revision_states(revision):
    """{(content type id, object id): (model, label, field_dict)} of a revision's objects."""
    states = {}
    for version in revision.version_set.select_related("content_type"):
        model = version.content_type.model_class()
        if model is None:
            continue
        try:
            field_dict = version.field_dict
        except RevertError:
            # A version whose data no longer fits the model (a field since removed).
            logger.warning("Version %s cannot be read", version.pk)
            continue
        states[(version.content_type_id, version.object_id)] = (
            model,
            version.object_repr,
            field_dict,
        )
    return states


def followed_objects(obj):
    """The objects django-reversion saves with `obj` (a city's mayors)."""
    if not is_registered(type(obj)):
        return []
    related = []
    for name in _get_options(type(obj)).follow:
        value = getattr(obj, name, None)
        if isinstance(value, Manager):
            related.extend(value.all())
        elif isinstance(value, models.Model):
            related.append(value)
    return related


def current_states(obj):
    """`revision_states` for `obj` and its followed objects as they are now."""
    states = {}
    for item in [obj, *followed_objects(obj)]:
        states[_key(type(item), item.pk)] = (type(item), str(item), object_state(item))
    return states


def compare_states(before, after, root_key):
    """Every `ObjectChange` from `before` to `after` (both as `revision_states`),
    the root object first."""
    changes = []
    keys = [
        root_key,
        *sorted(
            (set(before) | set(after)) - {root_key},
            key=lambda key: (after.get(key) or before.get(key))[1],
        ),
    ]
    for key in keys:
        old, new = before.get(key), after.get(key)
        if old is None and new is None:
            continue
        model, name, _state = new or old
        change = compare_named(model, old and old[2], new and new[2], name)
        if change is not None:
            changes.append(change)
    return changes


class TruthfulHistoryMixin:
    formfield_overrides = {models.TextField: {"form_class": NormalisedTextField}}
    revision_form_template = "admin/revision_with_changes.html"
    version_changes_template = "admin/version_changes.html"

    # Saving without changes ---------------------------------------------------------

    def save_model(self, request, obj, form, change):
        # A restored version's form starts from the restored values: it is saved as it is.
        if change and not form.has_changed() and not getattr(request, "_history_restoring", False):
            request._history_form_unchanged = True
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not getattr(request, "_history_form_unchanged", False):
            return
        if any(formset.has_changed() for formset in formsets):
            # The inlines changed: the parent's version (which follows them) records it.
            if reversion_is_active():
                add_to_revision(form.instance)
        else:
            request._history_nothing_changed = True

    def log_change(self, request, obj, message):
        if getattr(request, "_history_nothing_changed", False):
            return None
        return super().log_change(request, obj, message)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "_history_nothing_changed", False) and level == messages.SUCCESS:
            message = gettext("Nothing was changed, so nothing was saved.")
            level = messages.INFO
        return super().message_user(request, message, level, *args, **kwargs)

    # What a version changed ---------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        view = self.admin_site.admin_view(self.version_changes_view)
        return [
            path(
                "<path:object_id>/changes/<int:version_id>/",
                view,
                name=f"{opts.app_label}_{opts.model_name}_version_changes",
            ),
            *super().get_urls(),
        ]

    def hidden_revisions(self, request, object_id):
        """Ids of the object's revisions `request.user` may not see, neither in the
        history nor by the address of their changes: none here."""
        return set()

    def _versions(self, object_id):
        return Version.objects.get_for_object_reference(self.model, object_id)

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        context = getattr(response, "context_data", None)
        if context and context.get("action_list"):
            opts = self.model._meta
            obj = context.get("object")
            hidden = self.hidden_revisions(request, object_id)
            context["action_list"] = [
                action for action in context["action_list"] if action["revision"].pk not in hidden
            ]
            for action in context["action_list"]:
                action["comment"] = self.describe_comment(request, obj, action["revision"].comment)
                version_id = action["url"].rstrip("/").rsplit("/", 1)[-1]
                action["changes_url"] = reverse(
                    f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_version_changes",
                    args=[object_id, version_id],
                )
        return response

    def version_changes_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        versions = self._versions(obj.pk)
        version = get_object_or_404(versions, pk=version_id)
        if version.revision_id in self.hidden_revisions(request, obj.pk):
            raise Http404
        previous = versions.filter(pk__lt=version.pk).order_by("-pk").first()
        before = revision_states(previous.revision) if previous else {}
        after = revision_states(version.revision)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("What this version changed"),
            "subtitle": str(obj),
            "opts": opts,
            "original": obj,
            "object_id": object_id,
            "version": version,
            "comment": self.describe_comment(request, obj, version.revision.comment),
            "shows_every_name": self.can_restore(request),
            "previous": previous,
            "changes": compare_states(before, after, _key(self.model, obj.pk)),
            "can_restore": self.can_restore(request),
            "restore_url": reverse(
                f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_revision",
                args=[object_id, version.pk],
            ),
        }
        return TemplateResponse(request, self.version_changes_template, context)

    # Restoring, with what it changes ------------------------------------------------

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        version = get_object_or_404(self._versions(unquote(object_id)), pk=version_id)
        changes = []
        if obj is not None:
            changes = compare_states(
                current_states(obj), revision_states(version.revision), _key(self.model, obj.pk)
            )
        context = {"restore_changes": changes, "restored_version": version, **(extra_context or {})}
        request._history_restoring = True
        return super().revision_view(request, object_id, version_id, context)

    def recover_view(self, request, version_id, extra_context=None):
        request._history_restoring = True
        return super().recover_view(request, version_id, extra_context)
