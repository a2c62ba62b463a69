"""Admin for cities and mayors; translated fields in every language, one shown at a time.

City staff reach only their own cities (the rule is `cities.permissions`); editors
reach every city and, on a city's "City staff" page, grant and revoke access.
What city staff change waits for an editor's review (`cities.review_admin`).
Every change is a version (django-reversion); a city's versions leave out who
edits it, so restoring an old version never gives access back.
"""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin
from reversion.models import Version

from core.admin import HistoryAdmin, TranslationStatusMixin
from core.admin_forms import AdminUploadWidget
from core.admin_wording import AdminPhrases
from core.images import COAT_OF_ARMS_SIZE, ImageUploadField
from core.languages import in_every_language

from .models import City, Mayor, term_conflicts
from .permissions import CityScopedAdminMixin, may_manage_city_staff
from .review_admin import CityReviewViewsMixin, StagedForReviewMixin
from .roles import grant_city_editor, is_access_change, password_set_path, revoke_city_editor

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


class MayorAddForm(MayorForm):
    """Adding a head, who usually follows one still in office: one tick ends that
    term on the day this one starts (`Mayor.end_current_terms`)."""

    end_current_term = forms.BooleanField(
        label=_("End the term of the head in office"),
        required=False,
        help_text=_(
            "Tick when this head succeeds one whose term has no end date yet: that "
            "term then ends on the day this one starts."
        ),
    )

    def clean(self):
        cleaned_data = super().clean()
        self.instance.ends_current_term = bool(cleaned_data.get("end_current_term"))
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        # A term still open is in the way: the tick box is the way out, say so there.
        if self.instance.ends_current_term or not self.has_error("term_start"):
            return
        open_terms = [
            error
            for error in self.errors.as_data()["term_start"]
            if error.code == "overlaps_open_term"
        ]
        if open_terms:
            self.add_error(
                "end_current_term",
                forms.ValidationError(
                    _("Tick this box to end the term of %(name)s on the day this one starts."),
                    code="end_current_term",
                    params={"name": open_terms[0].params["name"]},
                ),
            )


class MayorFormSet(forms.BaseInlineFormSet):
    """The mayors table of a city's page, checked as a whole.

    The rows' terms may not overlap one another nor the city's other mayors, judged
    by the dates as submitted: ending one term and adding the next is one save,
    whatever the order of the rows. (The model's own check, which reads the other
    terms from the database, is left to this formset.) A row that a list of
    signatories refers to is not deleted (`Mayor.deletion_refusal`).
    """

    def clean(self):
        kept, deleted = [], []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                deleted.append(form)
            elif form.instance.pk is not None or form.has_changed():
                kept.append(form)
        # Before Django's own check, which lists the "protected related objects".
        refusals = [r for form in deleted if (r := form.instance.deletion_refusal())]
        if refusals:
            raise forms.ValidationError(refusals)
        super().clean()
        listed = [form.instance.pk for form in self.forms if form.instance.pk is not None]
        others = list(self.instance.mayors.exclude(pk__in=listed)) if self.instance.pk else []
        for form in kept:
            if form.has_error("term_start") or form.has_error("term_end"):
                continue
            siblings = others + [other.instance for other in kept if other is not form]
            for field, errors in term_conflicts(form.instance, siblings).items():
                for error in errors:
                    form.add_error(field, error)


class CityForm(forms.ModelForm):
    coat_of_arms = ImageUploadField(
        fit=COAT_OF_ARMS_SIZE,
        required=False,
        label=capfirst(_("coat of arms")),
        widget=AdminUploadWidget(thumbnail=True),
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
    formset = MayorFormSet
    extra = 0
    fields = ["full_name", "office", "term_start", "term_end"]
    phrases = AdminPhrases(
        add_another=_("Add another mayor"),
        added=_("Added mayor “%(object)s”."),
        changed=_("Changed %(fields)s of mayor “%(object)s”."),
        deleted=_("Deleted mayor “%(object)s”."),
    )

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A new row starts with the office that heads this kind of unit.
        if obj is not None and "office" in formset.form.base_fields:
            formset.form.base_fields["office"].initial = obj.head_offices[0]
        return formset


@admin.register(City)
class CityAdmin(
    StagedForReviewMixin,
    CityReviewViewsMixin,
    CityScopedAdminMixin,
    TranslationStatusMixin,
    HistoryAdmin,
    TranslationAdmin,
):
    form = CityForm
    phrases = AdminPhrases(add=_("Add a city"), change=_("Edit city"), view=_("City details"))
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

    def hidden_revisions(self, request, object_id):
        """City staff do not see who was given or refused access to their city."""
        if may_manage_city_staff(request.user):
            return set()
        versions = Version.objects.get_for_object_reference(City, object_id)
        return {
            version.revision_id
            for version in versions.select_related("revision")
            if is_access_change(version.revision.comment)
        }

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
            revoked = request.POST.get("revoke", "")
            user = city.editors.filter(pk=revoked).first() if revoked.isdigit() else None
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
class MayorAdmin(StagedForReviewMixin, CityScopedAdminMixin, HistoryAdmin):
    form = MayorForm
    phrases = AdminPhrases(
        add=_("Add a mayor"),
        change=_("Edit mayor"),
        view=_("Mayor details"),
        changed=MayorInline.phrases.changed,
    )
    city_field = "city"
    list_display = ["full_name", "city", "office", "term_start", "term_end"]
    list_filter = ["office", ("city", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["full_name", *in_every_language("city__name")]
    list_select_related = ["city"]
    autocomplete_fields = ["city"]

    def get_autocomplete_fields(self, request):
        """City staff pick from their own city or few: a plain list, which also has
        the empty first option a required <select> must have (the autocomplete
        widget renders none, which the HTML checker rejects)."""
        if self.is_confined(request):
            return []
        return super().get_autocomplete_fields(request)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        # The office that heads the preselected city's kind of unit. The city comes
        # from the address (`?city=`): one that is no id preselects nothing.
        try:
            city = City.objects.filter(pk=initial["city"]).first() if initial.get("city") else None
        except (ValueError, ValidationError):
            city = None
        if city is not None:
            initial.setdefault("office", city.head_offices[0])
        return initial

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs.setdefault("form", MayorAddForm)
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        form.ended_terms = obj.end_current_terms()

    def construct_change_message(self, request, form, formsets, add=False):
        message = super().construct_change_message(request, form, formsets, add)
        with translation.override(None):
            name = str(Mayor._meta.verbose_name)
            field = str(Mayor._meta.get_field("term_end").verbose_name)
        for ended in getattr(form, "ended_terms", []):
            message.append({"changed": {"name": name, "object": str(ended), "fields": [field]}})
        return message

    def delete_view(self, request, object_id, extra_context=None):
        """Says why a mayor named in a list of signatories stays, instead of
        Django's list of "protected related objects"."""
        obj = self.get_object(request, unquote(object_id))
        refusal = obj.deletion_refusal() if obj is not None else None
        if refusal is not None:
            extra_context = {
                "title": gettext("This record cannot be deleted"),
                "deletion_refusal": refusal.messages[0],
                **(extra_context or {}),
            }
        return super().delete_view(request, object_id, extra_context)
