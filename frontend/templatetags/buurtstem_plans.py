"""Template filters for the veiligheidsplan pages."""

from decimal import Decimal
from typing import Any

from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def item(mapping: Any, key: str) -> Any:
    """`row|item:"rate"`: a value of a frozen evidence row (a dict)."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None


@register.filter
def plan_number(value: Any) -> str:
    """A goal value without trailing zeros, localised: 5.90 → "5,9", 5.00 → "5"."""
    if value is None:
        return "–"
    decimal = Decimal(str(value)).normalize()
    places = max(0, -decimal.as_tuple().exponent)
    return floatformat(decimal, f"{places}g")
