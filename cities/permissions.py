"""Who may edit which city: the one place the city-staff rule lives.

Two roles are data, created by the migration `declarations/0002_roles`:

- "City staff": may view and change cities and view, add, change and delete
  mayors, but only those of the cities that list them as editors (`City.editors`);
  a mayor that a list of signatories names is never deleted, by anybody
  (`declarations/0003`, `Mayor.deletion_refusal`);
- "Editors": every permission on the content, plus `cities.edit_all_cities`
  (which lifts the confinement below) and `cities.manage_city_staff` (grant and
  revoke city staff access in the admin).

Anybody without `cities.edit_all_cities` is *confined*: every admin view of a model
whose `ModelAdmin` uses `CityScopedAdminMixin` shows them only the objects of their
own cities, answers 404 for any other id (change, delete, history), 403 where they
may not act at all, and keeps the fields that define membership read-only. Models
with no such mixin (declarations, signatories, meetings, organisations, users) are
closed to them by Django's model permissions, which the "City staff" group lacks.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from .models import City

CITY_STAFF_GROUP = "City staff"
EDITORS_GROUP = "Editors"
# The groups' names in the user's language (the database keeps these English ones).
GROUP_NAMES = {CITY_STAFF_GROUP: _("City staff"), EDITORS_GROUP: _("Editors")}

EDIT_ALL_CITIES = "cities.edit_all_cities"
MANAGE_CITY_STAFF = "cities.manage_city_staff"
# Their names in the user's language (the database keeps the English ones).
PERMISSION_NAMES = {
    EDIT_ALL_CITIES: _("Can edit every city, including its membership fields"),
    MANAGE_CITY_STAFF: _("Can grant and revoke city staff access"),
}


def edits_every_city(user):
    """Editors and superusers: not confined to a list of cities."""
    return user.is_active and user.has_perm(EDIT_ALL_CITIES)


def may_manage_city_staff(user):
    return user.is_active and user.has_perm(MANAGE_CITY_STAFF)


def editable_cities(user):
    """The cities `user` may open in the admin."""
    if edits_every_city(user):
        return City.objects.all()
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return City.objects.none()
    return City.objects.filter(editors=user)


def may_edit_city(user, city):
    return editable_cities(user).filter(pk=city.pk).exists()


class CityScopedAdminMixin:
    """Confines a `ModelAdmin` to the cities of the user who is not an editor.

    Put it first among the bases. `city_field` is the path from the model to its
    city (`"city"` for a mayor); leave it empty for the City admin itself.
    `editor_only_fields` stay read-only for confined users; `hidden_from_city_staff`
    are not shown to them at all.
    """

    city_field = ""
    editor_only_fields = ()
    hidden_from_city_staff = ()

    def is_confined(self, request):
        return not edits_every_city(request.user)

    def _city_lookup(self):
        return f"{self.city_field}__in" if self.city_field else "pk__in"

    def _city_of(self, obj):
        return getattr(obj, self.city_field) if self.city_field else obj

    def _in_scope(self, request, obj):
        if obj is None or not self.is_confined(request):
            return True
        city = self._city_of(obj)
        return city is not None and may_edit_city(request.user, city)

    # Lists, search and autocomplete all start here.
    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.is_confined(request):
            queryset = queryset.filter(**{self._city_lookup(): editable_cities(request.user)})
        return queryset

    # An id outside the queryset is "not found", never a redirect to a form.
    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.is_confined(request):
            extra = [name for name in self._expand(self.editor_only_fields) if name not in readonly]
            readonly += extra
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        fields = super().get_prepopulated_fields(request, obj)
        if not self.is_confined(request):
            return fields
        readonly = set(self.get_readonly_fields(request, obj))
        return {
            name: sources
            for name, sources in fields.items()
            if name not in readonly and not readonly.intersection(sources)
        }

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self.is_confined(request) or not self.hidden_from_city_staff:
            return fieldsets
        hidden = set(self._expand(self.hidden_from_city_staff))
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in fieldsets
            if any(f not in hidden for f in options["fields"])
        ]

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        if self.is_confined(request):
            exclude += self._expand(self.hidden_from_city_staff)
        return exclude or None

    def _expand(self, names):
        """Translated fields stand for their per-language columns (modeltranslation)."""
        replace = getattr(self, "replace_orig_field", None)
        return list(replace(list(names))) if replace and names else list(names)

    def lookup_allowed(self, lookup, value, request):
        # Not even a filter in the list's URL may probe what is hidden from them.
        if self.is_confined(request) and lookup.split("__")[0] in self.hidden_from_city_staff:
            return False
        return super().lookup_allowed(lookup, value, request)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is City and self.is_confined(request):
            kwargs["queryset"] = editable_cities(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # Restoring versions replays whole revisions; it is an editor's tool.
    def can_restore(self, request):
        return not self.is_confined(request) and super().can_restore(request)

    def _editors_only(self, request):
        if self.is_confined(request):
            raise PermissionDenied

    def revision_view(self, request, object_id, version_id, extra_context=None):
        self._editors_only(request)
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        self._editors_only(request)
        return super().recover_view(request, version_id, extra_context)

    def recoverlist_view(self, request, extra_context=None):
        self._editors_only(request)
        return super().recoverlist_view(request, extra_context)
