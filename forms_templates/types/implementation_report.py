"""Ripoti ya Utekelezaji — implementation report, the periodic progress report on a project.

Prepared for each reporting period once the concept note is approved: red/amber/green status by
dimension, work done and planned, spending against plan, issues, risks and change requests.
"""

from forms_templates.checklists.implementation_report import CHECKLIST
from forms_templates.definitions import (
    Choice,
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DateOrder, DatesWithin, Range
from forms_templates.signatories import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    PREPARED_BY,
)
from forms_templates.types.implementation_report_sections import (
    CHALLENGES,
    CHANGE_REQUESTS,
    ISSUES_AND_RISKS,
)
from forms_templates.types.report_sections import FUNDS_AND_MILESTONES
from forms_templates.types.retired import RETIRED_PROJECT_FIELDS, V1_PROGRESS_CHAIN

RAG_CHOICES = (
    Choice("red", T("Nyekundu", "Red")),
    Choice("amber", T("Njano", "Amber")),
    Choice("green", T("Kijani", "Green")),
)

RAG_HELP = T(
    "Kijani: kwa mujibu wa mpango. Njano: kuna dalili za kuchelewa au kuzidi, hatua "
    "zinachukuliwa. Nyekundu: nje ya mpango, uamuzi wa uongozi unahitajika.",
    "Green: on plan. Amber: at risk of slipping, being managed. Red: off plan, a management "
    "decision is needed.",
)

DEFINITION = DocumentType(
    key="implementation_report",
    code="IR",
    name=T("Ripoti ya Utekelezaji wa Mfumo/Mradi", "Project Progress Report"),
    description=T(
        "Kutoa taarifa ya maendeleo ya utekelezaji wa mradi au mfumo kwa kipindi husika.",
        "To report progress in implementing a project or system for a reporting period.",
    ),
    instructions=T(
        "Andaa ripoti hii kwa kila kipindi cha taarifa. Eleza hali halisi ya mradi, kazi "
        "zilizofanyika, matumizi ya fedha na changamoto. Sehemu zenye alama * ni za lazima.",
        "Prepare this report for every reporting period. Describe the project's actual status, "
        "the work done, spending and challenges. Sections marked * are required.",
    ),
    sections=(
        Section(
            key="reporting_period",
            title=T("Kipindi cha taarifa", "Reporting period"),
            items=(
                Field(
                    "concept_note_reference",
                    "text",
                    T("Kumbukumbu ya dhana iliyoidhinishwa", "Approved concept note reference"),
                    help=T(
                        "Namba ya kumbukumbu ya dhana ya mradi iliyoidhinishwa, "
                        "mf. EGA/CN/2025/0001.",
                        "The reference of the approved concept note, e.g. EGA/CN/2025/0001.",
                    ),
                ),
                Field(
                    "report_number",
                    "text",
                    T("Namba ya ripoti", "Report number"),
                    required=True,
                    help=T(
                        "Mfuatano wa ripoti za utekelezaji za mradi huu, mf. 3 kwa ripoti ya tatu.",
                        "The sequence of this project's implementation reports, e.g. 3 for the "
                        "third report.",
                    ),
                ),
                Field(
                    "period_start",
                    "date",
                    T("Mwanzo wa kipindi", "Period start"),
                    required=True,
                ),
                Field(
                    "period_end",
                    "date",
                    T("Mwisho wa kipindi", "Period end"),
                    required=True,
                ),
                Field("report_date", "date", T("Tarehe ya ripoti", "Report date")),
            ),
        ),
        Section(
            key="overall_status",
            title=T("Hali ya jumla ya mradi", "Overall status"),
            items=(
                Field(
                    "overall_rating",
                    "choice",
                    T("Tathmini ya jumla", "Overall rating"),
                    required=True,
                    choices=RAG_CHOICES,
                    help=RAG_HELP,
                ),
                Field(
                    "percent_complete",
                    "number",
                    T("Asilimia ya utekelezaji hadi sasa", "Percent complete to date"),
                    help=T(
                        "Makadirio ya kazi yote ya mradi iliyokamilika, kati ya 0 na 100.",
                        "An estimate of the project's total work completed, from 0 to 100.",
                    ),
                ),
                Field(
                    "status_summary",
                    "long_text",
                    T("Muhtasari wa hali ya mradi", "Status summary"),
                    required=True,
                    help=T(
                        "Kwa aya moja au mbili: mradi uko wapi ukilinganisha na mpango.",
                        "In one or two paragraphs: where the project stands against the plan.",
                    ),
                ),
                Table(
                    "status_ratings",
                    T("Tathmini kwa kila eneo", "Ratings by dimension"),
                    required=True,
                    help=RAG_HELP,
                    columns=(
                        Field(
                            "dimension",
                            "choice",
                            T("Eneo", "Dimension"),
                            required=True,
                            choices=(
                                Choice("time", T("Muda", "Time")),
                                Choice("cost", T("Gharama", "Cost")),
                                Choice("scope", T("Wigo", "Scope")),
                                Choice("quality", T("Ubora", "Quality")),
                                Choice("risk", T("Vihatarishi", "Risk")),
                                Choice("benefits", T("Manufaa", "Benefits")),
                            ),
                        ),
                        Field(
                            "rating",
                            "choice",
                            T("Kiwango", "Rating"),
                            required=True,
                            choices=RAG_CHOICES,
                        ),
                        Field("comment", "text", T("Maelezo", "Comment")),
                    ),
                ),
            ),
        ),
        *FUNDS_AND_MILESTONES,
        Section(
            key="work_completed",
            title=T("Kazi zilizokamilika katika kipindi hiki", "Work completed this period"),
            items=(
                Table(
                    "work_completed",
                    T("Kazi zilizokamilika", "Work completed"),
                    required=True,
                    columns=(
                        Field("activity", "text", T("Shughuli", "Activity"), required=True),
                        Field("completed_on", "date", T("Tarehe ya kukamilika", "Completed on")),
                        Field("remarks", "text", T("Maoni", "Remarks")),
                    ),
                ),
            ),
        ),
        Section(
            key="work_planned",
            title=T("Kazi zilizopangwa kwa kipindi kijacho", "Work planned for next period"),
            items=(
                Table(
                    "work_planned",
                    T("Kazi zilizopangwa", "Work planned"),
                    required=True,
                    columns=(
                        Field("planned_activity", "text", T("Shughuli", "Activity"), required=True),
                        Field("planned_date", "date", T("Tarehe iliyopangwa", "Planned date")),
                        Field("responsible", "text", T("Mhusika", "Responsible")),
                    ),
                ),
            ),
        ),
        Section(
            key="budget",
            title=T("Matumizi ya bajeti dhidi ya mpango", "Budget used against plan"),
            items=(
                Field(
                    "approved_budget",
                    "money",
                    T("Bajeti iliyoidhinishwa (TZS)", "Approved budget (TZS)"),
                    required=True,
                    help=T(
                        "Jumla ya bajeti ya mradi kama ilivyoidhinishwa, kwa shilingi bila senti.",
                        "The project's total approved budget, in whole shillings.",
                    ),
                ),
                Field(
                    "spent_to_date",
                    "money",
                    T("Jumla iliyotumika hadi sasa (TZS)", "Total spent to date (TZS)"),
                    required=True,
                ),
                Table(
                    "budget_usage",
                    T("Matumizi kwa kipengele", "Spending by item"),
                    required=True,
                    help=T(
                        "Kwa kila kipengele cha bajeti, kiasi kilichopangwa kwa kipindi hiki na "
                        "kilichotumika. Eleza tofauti yoyote.",
                        "For each budget item, the amount planned for this period and the amount "
                        "spent. Explain any variance.",
                    ),
                    columns=(
                        Field("item", "text", T("Kipengele", "Item"), required=True),
                        Field(
                            "planned_amount",
                            "money",
                            T("Kiasi kilichopangwa (TZS)", "Planned amount (TZS)"),
                            required=True,
                        ),
                        Field(
                            "spent_amount",
                            "money",
                            T("Kiasi kilichotumika (TZS)", "Spent amount (TZS)"),
                            required=True,
                        ),
                        Field(
                            "variance_comment",
                            "text",
                            T("Maelezo ya tofauti", "Variance comment"),
                        ),
                    ),
                ),
            ),
        ),
        ISSUES_AND_RISKS,
        CHANGE_REQUESTS,
        CHALLENGES,
    ),
    signatories=(
        PREPARED_BY,
        CHECKED_BY_HEAD_OF_ICT,
        APPROVED_BY_ACCOUNTING_OFFICER,
    ),
    form_version=2,
    retired=RETIRED_PROJECT_FIELDS,
    earlier_signatories=V1_PROGRESS_CHAIN,
    requires_approved=("concept_note",),
    waived_for_existing_systems=True,
    rules=(
        DateOrder(
            "period_end_not_before_start",
            earlier="period_start",
            later="period_end",
            message=T(
                "Mwisho wa kipindi hauwezi kuwa kabla ya mwanzo wake.",
                "The period's end cannot be before its start.",
            ),
        ),
        DateOrder(
            "report_not_before_period",
            earlier="period_start",
            later="report_date",
            message=T(
                "Tarehe ya ripoti haiwezi kuwa kabla ya mwanzo wa kipindi.",
                "The report date cannot be before the start of the period.",
            ),
        ),
        DatesWithin(
            "work_completed_within_period",
            dates="work_completed[*].completed_on",
            start="period_start",
            end="period_end",
            message=T(
                "Kazi zilizokamilika katika kipindi hiki ziwe na tarehe ndani ya kipindi.",
                "Work completed this period must be dated within the period.",
            ),
        ),
        Range(
            "percent_complete_range",
            field="percent_complete",
            low=0,
            high=100,
            message=T(
                "Asilimia ya utekelezaji iwe kati ya 0 na 100.",
                "The percent complete must be from 0 to 100.",
            ),
        ),
    ),
    checklist=CHECKLIST,
)
