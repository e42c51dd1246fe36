"""The sections issue 15 adds to the progress report, the final report and the terms of
reference (form version 2): what e-GA checks in each. Beside the types to keep them short."""

from forms_templates.choices import FINANCIAL_YEAR_HELP, FINANCIAL_YEARS, YES_NO
from forms_templates.definitions import Choice, Field, Section, T, Table

V2 = 2


def _date(key: str, sw: str, en: str, *, required: bool = True) -> Field:
    return Field(key, "date", T(sw, en), required=required, since=V2)


def _text(key: str, sw: str, en: str, *, required: bool = True, long: bool = False) -> Field:
    return Field(key, "long_text" if long else "text", T(sw, en), required=required, since=V2)


def _yes_no(key: str, sw: str, en: str) -> Field:
    return Field(key, "choice", T(sw, en), required=True, choices=YES_NO, since=V2)


FUNDS_AND_MILESTONES = (
    Section(
        key="funds",
        title=T("Fedha kwa kipindi", "Funds by period"),
        items=(
            Table(
                "funds",
                T(
                    "Fedha zilizoidhinishwa, kutolewa na kutumika",
                    "Funds approved, released, spent",
                ),
                required=True,
                since=V2,
                columns=(
                    Field(
                        "financial_year",
                        "choice",
                        T("Mwaka wa fedha", "Financial year"),
                        required=True,
                        choices=FINANCIAL_YEARS,
                        help=FINANCIAL_YEAR_HELP,
                    ),
                    Field("period", "text", T("Kipindi (mf. robo ya 2)", "Period (e.g. Q2)")),
                    Field(
                        "approved",
                        "money",
                        T("Zilizoidhinishwa (TZS)", "Approved (TZS)"),
                        required=True,
                    ),
                    Field(
                        "released",
                        "money",
                        T("Zilizotolewa (TZS)", "Released (TZS)"),
                        required=True,
                    ),
                    Field("spent", "money", T("Zilizotumika (TZS)", "Spent (TZS)"), required=True),
                ),
            ),
        ),
    ),
    Section(
        key="milestone_dates",
        title=T("Hatua kuu: tarehe zilizopangwa na halisi", "Milestones: planned and actual"),
        items=(
            Table(
                "milestone_dates",
                T("Hatua kuu", "Milestones"),
                required=True,
                since=V2,
                columns=(
                    Field("milestone", "text", T("Hatua", "Milestone"), required=True),
                    Field(
                        "planned_date",
                        "date",
                        T("Tarehe iliyopangwa", "Planned date"),
                        required=True,
                    ),
                    Field("actual_date", "date", T("Tarehe halisi", "Actual date")),
                ),
            ),
        ),
    ),
)

COMPLETION_SECTIONS = (
    Section(
        key="benefits",
        title=T("Manufaa dhidi ya malengo ya dhana", "Benefits against the concept's objectives"),
        items=(
            Table(
                "benefits",
                T("Manufaa na viashiria", "Benefits and KPIs"),
                required=True,
                since=V2,
                columns=(
                    Field(
                        "objective", "text", T("Lengo la dhana", "Concept objective"), required=True
                    ),
                    Field("kpi", "text", T("Kiashiria (KPI)", "KPI"), required=True),
                    Field("target", "text", T("Lengo la kiashiria", "Target"), required=True),
                    Field("achieved", "text", T("Kilichofikiwa", "Achieved"), required=True),
                ),
            ),
        ),
    ),
    Section(
        key="acceptance",
        title=T("Majaribio, kuanza kutumika na makabidhiano", "Acceptance, go-live and handover"),
        items=(
            _date(
                "acceptance_test_date", "Tarehe ya majaribio ya kukubalika", "Acceptance test date"
            ),
            _date("go_live_date", "Tarehe ya kuanza kutumika", "Go-live date"),
            _yes_no(
                "security_test_done", "Majaribio ya usalama yamefanyika?", "Security test done?"
            ),
            _yes_no(
                "source_code_handed_over",
                "Programu chanzo na nyaraka zimekabidhiwa?",
                "Source code and documentation handed over?",
            ),
            _text(
                "ict_portal_reference",
                "Kumbukumbu ya usajili kwenye Tovuti ya Huduma za TEHAMA Serikalini",
                "Registration reference in the government ICT services portal",
            ),
            _yes_no("contract_closed", "Mkataba umefungwa?", "Contract closed?"),
            Field(
                "schedule_variance_days",
                "number",
                T("Tofauti ya ratiba (siku)", "Schedule variance (days)"),
                required=True,
                since=V2,
                help=T(
                    "Siku za kuchelewa ukilinganisha na mpango (hasi: kabla ya muda).",
                    "Days late against the plan (negative: early).",
                ),
            ),
        ),
    ),
)

TOR_SECTIONS = (
    Section(
        key="contract_terms",
        title=T("Masharti ya mkataba", "Contract terms"),
        items=(
            _text(
                "ip_ownership",
                "Umiliki wa programu chanzo na haki miliki",
                "Ownership of source code and intellectual property",
                long=True,
            ),
            _text("acceptance_testing", "Majaribio ya kukubalika", "Acceptance testing", long=True),
            Field(
                "warranty_months",
                "number",
                T("Muda wa dhamana na huduma (miezi)", "Warranty and support period (months)"),
                required=True,
                since=V2,
            ),
            _text(
                "training_documentation",
                "Mafunzo na nyaraka zitakazotolewa",
                "Training and documentation deliverables",
                long=True,
            ),
            Field(
                "selection_method",
                "choice",
                T("Njia ya uteuzi", "Selection method"),
                required=True,
                since=V2,
                choices=(
                    Choice("qcbs", T("Ubora na gharama (QCBS)", "Quality and cost (QCBS)")),
                    Choice("qbs", T("Ubora (QBS)", "Quality (QBS)")),
                    Choice("lcs", T("Gharama ndogo (LCS)", "Least cost (LCS)")),
                    Choice("fbs", T("Bajeti maalum (FBS)", "Fixed budget (FBS)")),
                    Choice("single_source", T("Chanzo kimoja", "Single source")),
                ),
            ),
            _text("evaluation_criteria", "Vigezo vya tathmini", "Evaluation criteria", long=True),
            Field(
                "contract_type",
                "choice",
                T("Aina ya mkataba", "Contract type"),
                required=True,
                since=V2,
                choices=(
                    Choice("lump_sum", T("Malipo ya jumla", "Lump sum")),
                    Choice("time_based", T("Kwa muda", "Time-based")),
                    Choice("framework", T("Mkataba wa mfumo", "Framework")),
                ),
            ),
        ),
    ),
)
