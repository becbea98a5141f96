"""Template helpers for rendering form fields in the house style."""

from django import template
from django.forms import BoundField

register = template.Library()


@register.filter
def without_placeholder(field: BoundField) -> BoundField:
    """The field without a placeholder: every field has a visible label, and placeholder
    text in an empty box reads as if it were already filled in (and has too little
    contrast). Forms copy their fields per instance, so this changes only this form."""
    field.field.widget.attrs.pop("placeholder", None)
    return field
