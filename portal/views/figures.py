"""``/figures/``: how the agency is doing (for its staff, every institution; for an institution's
staff, its own documents), as charts, tables and a CSV of the same numbers."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from approvals.dashboard_selectors import Figures, GroupFigures, dashboard_figures
from approvals.models import Decision
from forms_templates.definitions import current_lang
from forms_templates.registry import get_type
from portal import charts
from workflow.models import Institution
from workflow.roles import user_context


def _band(band: tuple[int, int | None]) -> str:
    low, high = band
    if high is None:
        return _("over %(days)d days") % {"days": low - 1}
    return _("%(low)d–%(high)d days") % {"low": low, "high": high}


def _row(group: GroupFigures, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "decided": group.decided,
        "median": group.median_days,
        "p90": group.p90_days,
        "within": group.within_share,
        "returned": group.returned_share,
        "rounds": group.rounds,
    }


def _tables(figures: Figures) -> dict[str, Any]:
    lang = current_lang()
    institutions = Institution.objects.in_bulk([g.key for g in figures.by_institution])
    by_institution = [
        _row(g, institutions[g.key].code + " — " + institutions[g.key].name(lang))
        for g in figures.by_institution
    ]
    by_type = [_row(g, get_type(g.key).name.get(lang)) for g in figures.by_type]
    weeks = [
        {
            "week": week,
            "approved": counts.get(Decision.APPROVED, 0),
            "returned": counts.get(Decision.CHANGES_REQUESTED, 0),
            "rejected": counts.get(Decision.REJECTED, 0),
        }
        for week, counts in figures.weeks
    ]
    for week in weeks:
        week["total"] = week["approved"] + week["returned"] + week["rejected"]
    bands = [(_band(band), count) for band, count in figures.waiting_by_age]
    return {
        "bands": bands,
        "weeks": weeks,
        "by_institution": by_institution,
        "by_type": by_type,
        "overall": _row(figures.overall, _("All")),
        "institution_codes": {pk: i.code for pk, i in institutions.items()},
    }


def _charts(figures: Figures, tables: dict[str, Any]) -> dict[str, charts.Chart]:
    codes = tables["institution_codes"]
    return {
        "waiting": charts.horizontal([(label, n, str(n)) for label, n in tables["bands"]]),
        "weeks": charts.vertical(
            [(date_format(w["week"], "d/m"), w["total"], str(w["total"])) for w in tables["weeks"]]
        ),
        "median": charts.horizontal(
            [
                (codes[g.key], g.median_days or 0, _days(g.median_days))
                for g in figures.by_institution
            ],
            label_width=70,
        ),
    }


def _days(value: float | None) -> str:
    if value is None:
        return "—"
    return ngettext("%(days).1f day", "%(days).1f days", round(value)) % {"days": value}


CACHE_SECONDS = 60


def _figures(institution_id: int | None) -> Figures:
    """Computed at most once a minute per scope (the page says as of when): every reviewer
    opening the dashboard in the same minute shares one computation."""
    key = f"idhini:figures:{institution_id or 'agency'}"
    figures = cache.get(key)
    if figures is None:
        figures = dashboard_figures(institution_id=institution_id)
        cache.set(key, figures, CACHE_SECONDS)
    return figures


def _scope(request: HttpRequest):
    ctx = user_context(request.user)
    if ctx.institution is None:
        raise PermissionDenied
    institution_id = None if ctx.is_agency else ctx.institution_id
    title = (
        _("How the agency is doing")
        if ctx.is_agency
        else _("How %(institution)s's documents are doing")
        % {"institution": ctx.institution.name(current_lang()) if ctx.institution else ""}
    )
    return institution_id, title, ctx.is_agency


@login_required
@require_GET
def figures_page(request: HttpRequest) -> HttpResponse:
    institution_id, title, agency = _scope(request)
    figures = _figures(institution_id)
    tables = _tables(figures)
    context = {
        "title": title,
        "agency": agency,
        "figures": figures,
        **tables,
        "charts": _charts(figures, tables),
    }
    return render(request, "portal/figures.html", context)


@login_required
@require_GET
def figures_csv(request: HttpRequest) -> HttpResponse:
    institution_id, _title, _agency = _scope(request)
    figures = _figures(institution_id)
    tables = _tables(figures)
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="idhini-figures-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("Table"), _("Row"), _("Figure"), _("Value")])
    waiting = _("Waiting at the agency")
    writer.writerow([waiting, _("All"), _("documents"), figures.waiting])
    for label, count in tables["bands"]:
        writer.writerow([waiting, label, _("documents"), count])
    for week in tables["weeks"]:
        for key, label in (
            ("approved", _("approved")),
            ("returned", _("returned for changes")),
            ("rejected", _("rejected")),
        ):
            writer.writerow([_("Decisions per week"), week["week"].isoformat(), label, week[key]])
    for table, rows in (
        (_("By institution"), tables["by_institution"]),
        (_("By type"), tables["by_type"]),
        (_("Overall"), [tables["overall"]]),
    ):
        for row in rows:
            for key, label in _measures():
                value = "" if row[key] is None else round(row[key], 4)
                writer.writerow([table, row["name"], label, value])
    writer.writerow([_("Overdue"), _("All"), _("documents"), figures.overdue_count])
    return response


def _measures() -> list[tuple[str, str]]:
    return [
        ("decided", _("decided")),
        ("median", _("median days to decision")),
        ("p90", _("90th percentile days to decision")),
        ("within", _("share decided within the target")),
        ("returned", _("share returned for changes")),
        ("rounds", _("rounds per document")),
    ]
