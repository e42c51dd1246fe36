"""The agency's name for pages rendered without a request context (400, CSRF failure, 500)."""

from __future__ import annotations

from django import template

from forms_templates.identity import DEFAULT
from workflow.agency import current_agency

register = template.Library()


@register.simple_tag
def agency_names() -> str:
    """The agency's Swahili and English names as the administrator set them (like every other
    page's footer); the built-in identity when they cannot be read: a 500 page may be rendering
    because the database or the cache is what failed, and must not fail again."""
    try:
        agency = current_agency()
    except Exception:  # anything: this is the last page a person sees
        agency = DEFAULT
    return f"{agency.name.sw} — {agency.name.en}"
