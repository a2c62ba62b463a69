"""Admin for cities and mayors, with a tab per language for translated fields.

City staff reach only their own cities (the rule is `cities.permissions`); editors
reach every city and, on a city's "City staff" page, grant and revoke access.
Every change is a version (django-reversion); a city's versions leave out who
edits it, so restoring an old version never gives access back.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from core.admin import HistoryAdmin, TranslationStatusMixin
from core.images import COAT_OF_ARMS_SIZE, ImageUploadField
from core.languages import in_every_language

from .models import City, Mayor
from .permissions import CityScopedAdminMixin, may_manage_city_staff
from .roles import grant_city_editor, password_set_path, revoke_city_editor

# Registered before the admin classes, which would otherwise register the models
# with every field.
reversion.register(Mayor)
reversion.register(City, exclude=["editors"], follow=["mayors"])


class MayorForm(forms.ModelForm):
    """Reports a term that ends before it starts on the end date. (The database
    constraint says the same; Django skips it once the field has an error.)"""

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("term_start"), cleaned_data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("The term cannot end before it starts."))
        return cleaned_data


class CityForm(forms.ModelForm):
    coat_of_arms = ImageUploadField(
        fit=COAT_OF_ARMS_SIZE,
        required=False,
        label=capfirst(_("coat of arms")),
        widget=AdminFileWidget,
    )


class GrantCityStaffForm(forms.Form):
    grant = forms.CharField(widget=forms.HiddenInput, initial="1")
    username = forms.CharField(
        label=capfirst(_("username")),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("An existing user, or a new one, created without a password."),
    )
    email = forms.EmailField(label=capfirst(_("e-mail address")), required=False)

    def clean_username(self):
        username = self.cleaned_data["username"]
        user = get_user_model().objects.filter(username=username).first()
        if user is not None and not user.is_active:
            raise forms.ValidationError(
                _("This account is deactivated. A superuser can reactivate it first.")
            )
        return username


class MayorInline(admin.TabularInline):
    model = Mayor
    form = MayorForm
    extra = 0
    fields = ["full_name", "office", "term_start", "term_end"]


@admin.register(City)
class CityAdmin(CityScopedAdminMixin, TranslationStatusMixin, HistoryAdmin, TabbedTranslationAdmin):
    form = CityForm
    list_display = ["name", "kind", "voivodeship", "is_ump_member", "updated_at"]
    list_filter = ["kind", "voivodeship", "is_ump_member"]
    search_fields = [*in_every_language("name"), "slug"]
    prepopulated_fields = {"slug": ["name_pl"]}
    inlines = [MayorInline]
    exclude = ["editors"]
    readonly_fields = ["city_staff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "voivodeship", "is_ump_member"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "summary",
                    "description",
                    "integration_office",
                    "coat_of_arms",
                    "website",
                    "contact_email",
                    "contact_phone",
                ]
            },
        ),
        (
            _("Population and map"),
            {"fields": ["population", "population_year", "latitude", "longitude"]},
        ),
        (_("City staff"), {"fields": ["city_staff"]}),
    ]
    # What defines the city and its membership is the editors' to change.
    editor_only_fields = ["name", "slug", "kind", "voivodeship", "is_ump_member"]
    hidden_from_city_staff = ["city_staff", "editors"]

    @admin.display(description=_("editors"))
    def city_staff(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        names = format_html_join(", ", "{}", ((user.get_username(),) for user in obj.editors.all()))
        link = reverse("admin:cities_city_staff", args=[obj.pk])
        return format_html(
            '{} <a class="button" href="{}">{}</a>',
            names or gettext("nobody yet"),
            link,
            gettext("Grant or revoke access"),
        )

    def get_urls(self):
        staff_view = self.admin_site.admin_view(self.staff_view)
        return [
            path("<path:object_id>/staff/", staff_view, name="cities_city_staff"),
            *super().get_urls(),
        ]

    def staff_view(self, request, object_id):
        """List a city's staff, grant access (creating the user), revoke it."""
        if not may_manage_city_staff(request.user):
            raise PermissionDenied
        city = self.get_object(request, unquote(object_id))
        form = GrantCityStaffForm(request.POST if "grant" in request.POST else None)
        new_link = None
        if request.method == "POST" and "revoke" in request.POST:
            user = city.editors.filter(pk=request.POST.get("revoke")).first()
            if user is not None:
                revoke_city_editor(city, user, acting_user=request.user)
                self.message_user(
                    request,
                    gettext("Access to %(city)s revoked from %(username)s.")
                    % {"username": user.get_username(), "city": city},
                    messages.SUCCESS,
                )
            return HttpResponseRedirect(request.path)
        if form.is_valid():
            grant = grant_city_editor(
                city,
                form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                acting_user=request.user,
            )
            self.message_user(
                request,
                gettext("Access to %(city)s granted to %(username)s.")
                % {"username": grant.user.get_username(), "city": city},
                messages.SUCCESS,
            )
            if not grant.needs_password:
                return HttpResponseRedirect(request.path)
            # Shown once, on this page only: it is as good as a password.
            new_link = {
                "user": grant.user,
                "url": request.build_absolute_uri(password_set_path(grant.user)),
            }
            form = GrantCityStaffForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("City staff of %(city)s") % {"city": city},
            "opts": self.opts,
            "original": city,
            "city": city,
            "editors": city.editors.order_by("username"),
            "form": form,
            "new_link": new_link,
        }
        return TemplateResponse(request, "admin/cities/city/staff.html", context)


@admin.register(Mayor)
class MayorAdmin(CityScopedAdminMixin, HistoryAdmin):
    form = MayorForm
    city_field = "city"
    list_display = ["full_name", "city", "office", "term_start", "term_end"]
    list_filter = ["office", ("city", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["full_name", *in_every_language("city__name")]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]
