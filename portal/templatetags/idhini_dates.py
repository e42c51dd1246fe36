"""Dates on the pages: ``{{ value|when }}`` (2 Desemba 2026, 10:42), ``{{ value|day }}``,
``{{ value|clock }}`` (10:42) and ``{{ value|ago }}`` (siku 3 zilizopita), see portal.dates."""

from __future__ import annotations

from django import template

from portal import dates

register = template.Library()

register.filter("when", dates.when)
register.filter("day", dates.day)
register.filter("clock", dates.clock)
register.filter("ago", dates.ago)
