"""The filter form of the cities list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Voivodeship


class CityFilterForm(forms.Form):
    """Filters by voivodeship and by a declaration signed. Unknown values are
    reported as form errors and ignored, never a server error."""

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
        if not self.is_valid():
            return cities
        if voivodeship := self.cleaned_data["voivodeship"]:
            cities = cities.in_voivodeship(voivodeship)
        if declaration := self.cleaned_data["declaration"]:
            cities = cities.signatories_of(declaration)
        return cities
