"""Sentences about a unit that depend on its kind: "This region…", not "This city…".

A whole sentence per kind, so each language words it with its own grammar (Polish
inflects the demonstrative and the verb for the noun's gender: "to miasto nie
podało", "ta gmina nie podała", "ten powiat nie podał"). Templates read them through
the `unit_sentence` tag of `cities/templatetags/units.py`.
"""

from django.utils.translation import gettext_lazy as _

from .models import City

Kind = City.Kind

SENTENCES = {
    "no_head": {
        Kind.CITY: _("The current mayor is not recorded on the portal."),
        Kind.MUNICIPALITY: _(
            "The current head of this municipality is not recorded on the portal."
        ),
        Kind.COUNTY: _("The current starosta of this county is not recorded on the portal."),
        Kind.VOIVODESHIP: _("The current marshal of this region is not recorded on the portal."),
    },
    "no_signatures": {
        Kind.CITY: _("This city is not listed as a signatory of any declaration on the portal."),
        Kind.MUNICIPALITY: _(
            "This municipality is not listed as a signatory of any declaration on the portal."
        ),
        Kind.COUNTY: _(
            "This county is not listed as a signatory of any declaration on the portal."
        ),
        Kind.VOIVODESHIP: _(
            "This region is not listed as a signatory of any declaration on the portal."
        ),
    },
    "no_contact": {
        Kind.CITY: _("This city has not yet given a public contact for migrants on the portal."),
        Kind.MUNICIPALITY: _(
            "This municipality has not yet given a public contact for migrants on the portal."
        ),
        Kind.COUNTY: _(
            "This county has not yet given a public contact for migrants on the portal."
        ),
        Kind.VOIVODESHIP: _(
            "This region has not yet given a public contact for migrants on the portal."
        ),
    },
}


def unit_sentence(city, key):
    """The sentence `key` worded for the kind of `city` (a city's, for an unknown kind)."""
    sentences = SENTENCES[key]
    return sentences.get(city.kind, sentences[Kind.CITY])
