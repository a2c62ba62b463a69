"""The filter form of the cities list."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Voivodeship


class LanguageMarkedSelect(forms.Select):
    """A <select> whose options may each say their own language.

    A declaration with no English name is listed by its Polish one on the
    English page; that option gets `lang="pl"` (valid on <option>), so a screen
    reader that honours it reads the title with Polish pronunciation. A notice
    like the one beside fallback blocks cannot go inside a <select>, and the
    option text stays the title alone, as it is in the other options.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_languages = {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if language := self.option_languages.get(value):
            option["attrs"]["lang"] = language
        return option


class CityFilterForm(forms.Form):
    """Filters by voivodeship and by a declaration signed. An unknown value is
    reported as an error on its field and that filter alone is left out; the
    other one still applies. Never a server error."""

    voivodeship = forms.ChoiceField(
        label=_("Voivodeship"),
        required=False,
        choices=[("", _("All voivodeships")), *Voivodeship.choices],
    )
    declaration = forms.ChoiceField(
        label=_("Signed the declaration"), required=False, widget=LanguageMarkedSelect
    )

    def __init__(self, *args, declarations=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Each declaration by its short name: a full title would stretch the select.
        titles = {declaration.slug: declaration.short_name() for declaration in declarations}
        field = self.fields["declaration"]
        field.choices = [("", _("Any or none")), *((slug, str(t)) for slug, t in titles.items())]
        field.widget.option_languages = {
            slug: title.language for slug, title in titles.items() if title.is_fallback
        }

    def filter(self, cities):
        if not self.is_bound:
            return cities
        self.is_valid()  # cleaned_data then holds the fields that are valid
        if voivodeship := self.cleaned_data.get("voivodeship"):
            cities = cities.in_voivodeship(voivodeship)
        if declaration := self.cleaned_data.get("declaration"):
            cities = cities.signatories_of(declaration)
        return cities
