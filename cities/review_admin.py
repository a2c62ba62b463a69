"""The admin side of the review (`cities/review.py`) and of the reminders (`cities/checklist.py`).

- `StagedForReviewMixin`, first among the bases of the city and mayor admins: their
  add, change, delete and list views run staged for city staff under review, the
  admin's "changed successfully" becomes "waiting for review", and the forms say
  when a change is waiting or was sent back.
- `CityReviewViewsMixin`, for the city admin: the pages of a change (what it changes
  against what is public now; approve, send back with a message, withdraw), the list
  of changes, the switch that lets a city's staff publish without review, and the
  reminder e-mail about what a profile lacks.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import checklist, review
from .models import City, DirectPublishing, ProposedChange
from .permissions import may_edit_city, may_manage_city_staff

# The session key of the change whose saving was just reported.
JUST_TOLD = "review_just_told"


def _when(moment):
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


class SendBackForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the author"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say what to correct; the author gets it by e-mail and on the form."),
        error_messages={"required": _("Write what the author should correct.")},
    )


class StagedForReviewMixin:
    """Routes city staff's changes through the review; put it first among the bases."""

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        # While staged, "changed successfully" would be untrue: `_tell` says what happened.
        if getattr(request, "review_staging", False) and level == messages.SUCCESS:
            return
        super().message_user(request, message, level, *args, **kwargs)

    def _staged(self, request, view, cities=None):
        if request.method == "GET":
            self._announce_open_changes(request, cities)
        response, outcomes = review.staged(request, view)
        for outcome in outcomes:
            self._tell(request, outcome)
        return response

    def _tell(self, request, outcome):
        city = outcome.city
        if outcome.event == review.Outcome.WITHDRAWN:
            text = gettext(
                "The profile of %(city)s is the same as the public one again: "
                "nothing is waiting for review."
            )
        elif outcome.event == review.Outcome.UPDATED:
            text = gettext(
                "Your change to %(city)s, waiting for review, is updated. The public page "
                "shows the approved version until an editor approves it."
            )
        else:
            text = gettext(
                "Your change to %(city)s is saved and sent to the editors for review. The "
                "public page shows the approved version until an editor approves it."
            )
        messages.success(request, text % {"city": city})
        if outcome.change is not None:
            # The page the admin redirects to need not say it again.
            request.session[JUST_TOLD] = outcome.change.pk

    def _announce_open_changes(self, request, cities=None):
        """Say, on the form, that a change is waiting or was sent back."""
        under_review = review.cities_under_review(request.user)
        if cities is not None:
            under_review = under_review.filter(pk__in=[city.pk for city in cities])
        open_changes = ProposedChange.objects.open().filter(city__in=under_review)
        just_told = request.session.pop(JUST_TOLD, None)
        open_changes = open_changes.exclude(pk=just_told, status=ProposedChange.Status.PENDING)
        for change in open_changes.select_related("city", "decided_by"):
            url = reverse("admin:cities_city_review", args=[change.pk])
            if change.status == ProposedChange.Status.RETURNED:
                messages.warning(
                    request,
                    format_html(
                        '{} <q class="review-message">{}</q> {} <a href="{}">{}</a>',
                        gettext("An editor sent your change to %(city)s back:")
                        % {"city": change.city},
                        change.message,
                        gettext(
                            "Your change is kept in the form below: correct it and save to "
                            "submit it again."
                        ),
                        url,
                        gettext("See the change or withdraw it"),
                    ),
                )
            else:
                messages.warning(
                    request,
                    format_html(
                        '{} <a href="{}">{}</a>',
                        gettext(
                            "Your change to %(city)s of %(when)s is waiting for review by the "
                            "editors. The form shows your change; the public page shows the "
                            "approved version until an editor approves it."
                        )
                        % {"city": change.city, "when": _when(change.updated_at)},
                        url,
                        gettext("See what it changes"),
                    ),
                )

    def _city_of_object(self, request, object_id):
        if self.model is not City:
            return None
        try:
            return City.objects.filter(pk=unquote(object_id)).first()
        except (ValueError, ValidationError):
            return None  # not an id: the admin's own view answers 404

    def add_view(self, request, form_url="", extra_context=None):
        return self._staged(
            request,
            lambda: super(StagedForReviewMixin, self).add_view(request, form_url, extra_context),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        city = self._city_of_object(request, object_id)
        if city is not None and review.may_review(request.user):
            self._tell_editor(request, city)
        return self._staged(
            request,
            lambda: super(StagedForReviewMixin, self).change_view(
                request, object_id, form_url, extra_context
            ),
            cities=[city] if city is not None else None,
        )

    def delete_view(self, request, object_id, extra_context=None):
        return self._staged(
            request,
            lambda: super(StagedForReviewMixin, self).delete_view(
                request, object_id, extra_context
            ),
        )

    def changelist_view(self, request, extra_context=None):
        return self._staged(
            request,
            lambda: super(StagedForReviewMixin, self).changelist_view(request, extra_context),
        )

    def _tell_editor(self, request, city):
        change = ProposedChange.objects.pending().filter(city=city).first()
        if change is not None and request.method == "GET":
            messages.info(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("The city staff's change to this profile is waiting for review."),
                    reverse("admin:cities_city_review", args=[change.pk]),
                    gettext("Review it"),
                ),
            )


class CityReviewViewsMixin:
    """The review's pages, under the city admin's URLs."""

    review_template = "admin/review/change.html"
    review_list_template = "admin/review/list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("review/", view(self.review_list_view), name="cities_city_review_list"),
            path("review/<int:change_id>/", view(self.review_view), name="cities_city_review"),
            path(
                "<path:object_id>/direct-publishing/",
                view(self.direct_publishing_view),
                name="cities_city_direct_publishing",
            ),
            path("<path:object_id>/remind/", view(self.remind_view), name="cities_city_remind"),
            *super().get_urls(),
        ]

    def _context(self, request, **context):
        return {**self.admin_site.each_context(request), "opts": self.opts, **context}

    def _redirect_back(self, request, default):
        target = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(default)

    def review_list_view(self, request):
        if review.may_review(request.user):
            changes = ProposedChange.objects.all()
        elif request.user.is_staff:
            changes = ProposedChange.objects.filter(
                city__in=review.cities_under_review(request.user)
            )
        else:
            raise PermissionDenied
        changes = changes.select_related("city", "author", "decided_by")
        context = self._context(
            request,
            title=gettext("Changes by city staff"),
            open_changes=changes.open().order_by("submitted_at"),
            decided_changes=changes.decided().order_by("-decided_at")[:30],
        )
        return TemplateResponse(request, self.review_list_template, context)

    def review_view(self, request, change_id):
        change = get_object_or_404(
            ProposedChange.objects.select_related("city", "author", "decided_by"), pk=change_id
        )
        editor = review.may_review(request.user)
        if not editor and not may_edit_city(request.user, change.city):
            raise Http404
        form = SendBackForm(request.POST if request.POST.get("action") == "send_back" else None)
        if request.method == "POST":
            response = self._decide(request, change, editor, form)
            if response is not None:
                return response
        if change.is_open:
            changes = review.changes_of(change)
        else:
            changes = review.describe(change.base, change.proposed)
        context = self._context(
            request,
            title=gettext("Change to %(city)s") % {"city": change.city},
            change=change,
            changes=changes,
            can_decide=editor and change.status == ProposedChange.Status.PENDING,
            can_withdraw=change.is_open and not editor and may_edit_city(request.user, change.city),
            form=form,
            public_url=change.city.get_absolute_url(),
            original=change.city,
        )
        return TemplateResponse(request, self.review_template, context)

    def _decide(self, request, change, editor, form):
        action = request.POST.get("action")
        review_url = reverse("admin:cities_city_review", args=[change.pk])
        if action == "withdraw":
            if not (change.is_open and may_edit_city(request.user, change.city)):
                raise PermissionDenied
            review.withdraw(change, request.user)
            messages.success(
                request,
                gettext("Your change is withdrawn; the profile is as the public sees it."),
            )
            return HttpResponseRedirect(reverse("admin:cities_city_change", args=[change.city_id]))
        if not editor:
            raise PermissionDenied
        if change.status != ProposedChange.Status.PENDING:
            messages.error(request, gettext("This change is no longer waiting for review."))
            return HttpResponseRedirect(review_url)
        if action == "approve":
            try:
                review.approve(change, request.user, request)
            except ValidationError as error:
                for text in error.messages:
                    messages.error(request, text)
                messages.error(
                    request,
                    gettext(
                        "The change was not approved: it breaks the rules above. Send it back "
                        "with a message, or correct the profile yourself."
                    ),
                )
                return HttpResponseRedirect(review_url)
            messages.success(
                request,
                gettext("The change to %(city)s is approved and public.") % {"city": change.city},
            )
            return HttpResponseRedirect(reverse("admin:index"))
        if action == "send_back":
            if not form.is_valid():
                return None
            review.send_back(change, request.user, form.cleaned_data["message"], request)
            messages.success(
                request,
                gettext("The change to %(city)s is sent back to its author.")
                % {"city": change.city},
            )
            return HttpResponseRedirect(reverse("admin:index"))
        return HttpResponseRedirect(review_url)

    def direct_publishing_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        if not may_manage_city_staff(request.user):
            raise PermissionDenied
        city = self.get_object(request, unquote(object_id))
        staff_url = reverse("admin:cities_city_staff", args=[city.pk])
        if request.POST.get("direct") == "1":
            DirectPublishing.objects.get_or_create(city=city, defaults={"granted_by": request.user})
            text = gettext("The staff of %(city)s now publish their changes without review.")
        else:
            DirectPublishing.objects.filter(city=city).delete()
            text = gettext("Changes by the staff of %(city)s now wait for an editor's review.")
        messages.success(request, text % {"city": city})
        return self._redirect_back(request, staff_url)

    def remind_view(self, request, object_id):
        if request.method != "POST":
            raise Http404
        if not review.may_review(request.user):
            raise PermissionDenied
        city = self.get_object(request, unquote(object_id))
        back = self._redirect_back(request, reverse("admin:index"))
        lacking = checklist.missing(city)
        if not lacking:
            messages.info(
                request, gettext("%(city)s lacks nothing: no reminder sent.") % {"city": city}
            )
            return back
        recipients = checklist.staff_recipients(city)
        if not recipients:
            messages.error(
                request,
                gettext(
                    "Nobody to remind: %(city)s has no staff with an e-mail address. "
                    "Give someone access on the city staff page first."
                )
                % {"city": city},
            )
            return back
        sent = review.send(
            _("what the profile of %(city)s still lacks"),
            "cities/email/reminder.txt",
            {
                "city": city,
                "missing": lacking,
                "url": request.build_absolute_uri(
                    reverse("admin:cities_city_change", args=[city.pk])
                ),
            },
            recipients,
        )
        if not sent:
            messages.error(
                request,
                gettext("The reminder could not be sent: the mail server did not accept it."),
            )
            return back
        checklist.record_reminder(city, request.user, recipients, lacking)
        messages.success(
            request,
            gettext("Reminder about %(city)s sent to: %(recipients)s.")
            % {"city": city, "recipients": ", ".join(recipients)},
        )
        return back
