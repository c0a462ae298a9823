"""``iso_datetime``: a supporter data row's ISO time back to a datetime, for ``|date``."""

from django import template
from django.utils.dateparse import parse_datetime

register = template.Library()


@register.filter
def iso_datetime(value):
    """``"2026-05-01T10:00:00+00:00"`` -> that datetime; anything else -> None (shown as nothing)."""
    return parse_datetime(value) if isinstance(value, str) else None
