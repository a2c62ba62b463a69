"""Template tags of the cities' pages: `{% unit_sentence city "no_contact" %}`."""

from django import template

from .. import wording

register = template.Library()


@register.simple_tag
def unit_sentence(city, key):
    """A sentence about `city` worded for its kind (`cities/wording.py`)."""
    return wording.unit_sentence(city, key)
