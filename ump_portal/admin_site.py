"""The portal's admin site: Django's, with these additions.

- The index greets city staff with a link straight to the cities they edit, each
  with what its public profile lacks and whether a change waits for review; editors
  see the changes waiting for review and what every unit lacks (`cities.checklist`,
  `cities.review`).
- Autocomplete also asks for permission on the model whose form asks for it,
  so no one reads choices through a form they may not open.
- "View on site" redirects only for objects the user may see in the admin, and
  answers 404 for an id that is not one (`/admin/r/<ct>/abc/`), never 500.
- An object's history page first asks whether the user may see the model at all:
  Django's looks the object up first, so a user without permission got a redirect
  for a missing id and 403 for an existing one, which told ids apart
  (`PermissionFirstHistory`, mixed into every registered admin with
  `core.admin.SafeAutocompleteMixin`: an autocomplete field given an id that is no
  number gets a form error, never a server error).
- A one-time "set your password" page for accounts created without a password
  (`manage.py grant_city_editor`, or an editor in the admin), built on Django's
  password-reset tokens: the link stops working once the password is set.
- The preview of markdown fields (`core.admin_forms.markdown_preview`), for
  signed-in staff only.

Like the site URLs, this module puts the apps together: the city-staff rule it
applies lives in `cities.permissions`.
"""

from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import views as auth_views
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from cities.checklist import CHECKS, unit_rows
from cities.models import ProposedChange
from cities.permissions import editable_cities, edits_every_city
from core.admin import SafeAutocompleteMixin
from core.admin_forms import markdown_preview


class PortalAutocompleteJsonView(AutocompleteJsonView):
    def has_perm(self, request, obj=None):
        source_model = self.source_field.model
        source_admin = self.admin_site._registry.get(source_model)
        if source_admin is None or not source_admin.has_view_or_change_permission(request):
            return False
        return super().has_perm(request, obj)


class PermissionFirstHistory:
    def history_view(self, request, object_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return super().history_view(request, object_id, extra_context)


class PortalAdminSite(admin.AdminSite):
    site_header = _("UMP migration portal: administration")
    site_title = _("UMP migration portal")
    index_title = _("Administration")

    def index(self, request, extra_context=None):
        extra_context = extra_context or {}
        if not edits_every_city(request.user):
            my_cities = editable_cities(request.user)
            extra_context["my_cities"] = list(my_cities)
            extra_context["my_units"] = unit_rows(my_cities)
        else:
            extra_context["review_queue"] = (
                ProposedChange.objects.pending()
                .select_related("city", "author")
                .order_by("submitted_at")
            )
            extra_context["unit_rows"] = unit_rows()
            extra_context["check_labels"] = list(CHECKS.values())
        return super().index(request, extra_context)

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (PermissionFirstHistory, SafeAutocompleteMixin)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def autocomplete_view(self, request):
        return PortalAutocompleteJsonView.as_view(admin_site=self)(request)

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        model_admin = self._registry.get(model)
        if model_admin is None:
            raise Http404
        try:
            obj = model_admin.get_queryset(request).filter(pk=object_id).first()
        except (ValueError, ValidationError) as exc:
            raise Http404 from exc
        if obj is None:
            raise Http404
        if not model_admin.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        return contenttype_views.shortcut(request, content_type_id, object_id)

    def get_urls(self):
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<path:content_type_id>/<path:object_id>/",
                    self.admin_view(self.view_on_site),
                    name="view_on_site",
                )
        password_set = [
            path(
                "password-set/done/",
                auth_views.PasswordResetCompleteView.as_view(
                    title=_("Your password is set"),
                    extra_context={"site_header": self.site_header, "site_title": self.site_title},
                ),
                name="password_set_complete",
            ),
            path(
                "password-set/<uidb64>/<token>/",
                auth_views.PasswordResetConfirmView.as_view(
                    success_url=reverse_lazy("admin:password_set_complete"),
                    title=_("Set your password"),
                    extra_context={"site_header": self.site_header, "site_title": self.site_title},
                ),
                name="password_set",
            ),
        ]
        preview = path(
            "markdown-preview/", self.admin_view(markdown_preview), name="markdown_preview"
        )
        return [*password_set, preview, *urls]
