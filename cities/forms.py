"""The filter form of the cities list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Voivodeship


class CityFilterForm(forms.Form):
    """Filters by voivodeship and by a declaration signed. An unknown value is
    reported as an error on its field and that filter alone is left out; the
    other one still applies. Never a server error."""

    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"),
        required=False,
        choices=[("", _("All voivodeships")), *Voivodeship.choices],
    )
    declaration = forms.ChoiceField(label=_("Signed the declaration"), required=False)

    def __init__(self, *args, declarations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].choices = [
            ("", _("Any or none")),
            *((declaration.slug, declaration.title) for declaration in declarations),
        ]

    def filter(self, cities):
        if not self.is_bound:
            return cities
        self.is_valid()  # cleaned_data then holds the fields that are valid
        if voivodeship := self.cleaned_data.get("voivodeship"):
            cities = cities.in_voivodeship(voivodeship)
        if declaration := self.cleaned_data.get("declaration"):
            cities = cities.signatories_of(declaration)
        return cities
