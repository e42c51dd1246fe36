"""Ripoti ya Kukamilisha — completion report, closing a project and handing it to operations.

Prepared when implementation ends: objectives and cost against plan, the deliverables accepted,
what is still outstanding, lessons learned, and who runs and supports the system from now on.
"""

from forms_templates.checklists.completion_report import CHECKLIST
from forms_templates.definitions import (
    Choice,
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DateOrder, DatesWithin, SumEquals
from forms_templates.signatories import (
    ACCEPTED_BY_SYSTEM_OWNER,
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    PREPARED_BY,
)
from forms_templates.types.report_sections import COMPLETION_SECTIONS
from forms_templates.types.retired import RETIRED_PROJECT_FIELDS, V1_PROJECT_CHAIN

DEFINITION = DocumentType(
    key="completion_report",
    code="CR",
    name=T("Ripoti ya Kukamilisha Mfumo/Mradi", "Project Final Report"),
    description=T(
        "Kutoa taarifa ya kukamilika kwa mradi na kukabidhi mfumo kwa uendeshaji.",
        "To report the completion of a project and hand the system over to operations.",
    ),
    instructions=T(
        "Andaa ripoti hii mradi unapokamilika. Linganisha malengo na gharama na kile "
        "kilichopangwa, na ueleze nani ataendesha na kusimamia mfumo. Sehemu zenye alama * ni "
        "za lazima.",
        "Prepare this report when the project is complete. Compare objectives and cost with the "
        "plan, and state who will run and support the system. Sections marked * are required.",
    ),
    sections=(
        Section(
            key="summary",
            title=T("Muhtasari", "Summary"),
            items=(
                Field(
                    "start_date",
                    "date",
                    T("Tarehe ya kuanza", "Start date"),
                    required=True,
                ),
                Field(
                    "completion_date",
                    "date",
                    T("Tarehe ya kukamilika", "Completion date"),
                    required=True,
                ),
                Field(
                    "summary",
                    "long_text",
                    T("Muhtasari wa mradi", "Project summary"),
                    required=True,
                    help=T(
                        "Kilichotekelezwa, kwa muda gani na kwa gharama gani, na hali ya mfumo "
                        "kwa sasa.",
                        "What was delivered, over what time and at what cost, and the system's "
                        "current state.",
                    ),
                ),
            ),
        ),
        Section(
            key="objectives",
            title=T("Malengo yaliyopangwa na yaliyofikiwa", "Objectives planned and achieved"),
            items=(
                Table(
                    "objectives_achieved",
                    T("Malengo", "Objectives"),
                    required=True,
                    help=T(
                        "Orodhesha malengo kama yalivyo kwenye dhana iliyoidhinishwa.",
                        "List the objectives as stated in the approved concept note.",
                    ),
                    columns=(
                        Field("objective", "text", T("Lengo", "Objective"), required=True),
                        Field(
                            "planned_result",
                            "text",
                            T("Matokeo yaliyopangwa", "Planned result"),
                        ),
                        Field(
                            "achieved_result",
                            "text",
                            T("Matokeo yaliyofikiwa", "Achieved result"),
                            required=True,
                        ),
                        Field(
                            "achievement",
                            "choice",
                            T("Hali ya kufikiwa", "Achievement"),
                            required=True,
                            choices=(
                                Choice("achieved", T("Limefikiwa", "Achieved")),
                                Choice("partly", T("Limefikiwa kwa sehemu", "Partly achieved")),
                                Choice("not_achieved", T("Halikufikiwa", "Not achieved")),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Section(
            key="final_cost",
            title=T("Gharama halisi dhidi ya bajeti", "Final cost against budget"),
            items=(
                Field(
                    "approved_budget",
                    "money",
                    T("Bajeti iliyoidhinishwa (TZS)", "Approved budget (TZS)"),
                    required=True,
                ),
                Field(
                    "final_cost",
                    "money",
                    T("Gharama halisi ya mwisho (TZS)", "Final cost (TZS)"),
                    required=True,
                    help=T(
                        "Jumla ya fedha zote zilizotumika kwenye mradi, kwa shilingi bila senti.",
                        "The total spent on the project, in whole shillings.",
                    ),
                ),
                Table(
                    "cost_items",
                    T("Gharama kwa kipengele", "Cost by item"),
                    required=True,
                    columns=(
                        Field("item", "text", T("Kipengele", "Item"), required=True),
                        Field(
                            "budgeted_amount",
                            "money",
                            T("Kiasi kilichopangwa (TZS)", "Budgeted amount (TZS)"),
                            required=True,
                        ),
                        Field(
                            "actual_amount",
                            "money",
                            T("Kiasi halisi (TZS)", "Actual amount (TZS)"),
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
        Section(
            key="deliverables",
            title=T(
                "Kazi zilizopokelewa na kukabidhiwa",
                "Deliverables accepted and handed over",
            ),
            items=(
                Table(
                    "deliverables",
                    T("Kazi zilizowasilishwa", "Deliverables"),
                    required=True,
                    help=T(
                        "Mifumo, moduli, nyaraka na mafunzo yaliyopokelewa rasmi, kila kimoja "
                        "kwenye mstari wake.",
                        "Systems, modules, documents and training formally accepted, one per row.",
                    ),
                    columns=(
                        Field(
                            "deliverable",
                            "text",
                            T("Kazi iliyowasilishwa", "Deliverable"),
                            required=True,
                        ),
                        Field(
                            "accepted_on",
                            "date",
                            T("Tarehe ya kupokelewa", "Accepted on"),
                            required=True,
                        ),
                        Field("accepted_by", "text", T("Imepokelewa na", "Accepted by")),
                        Field("handed_over_to", "text", T("Imekabidhiwa kwa", "Handed over to")),
                    ),
                ),
            ),
        ),
        Section(
            key="outstanding",
            title=T(
                "Masuala yaliyobaki na hatua za ufuatiliaji",
                "Outstanding issues and follow-up actions",
            ),
            items=(
                Table(
                    "outstanding_issues",
                    T("Masuala yaliyobaki", "Outstanding issues"),
                    help=T(
                        "Kila suala liwe na mhusika na tarehe ya kukamilisha.",
                        "Give every issue an owner and a due date.",
                    ),
                    columns=(
                        Field("issue", "text", T("Suala", "Issue"), required=True),
                        Field(
                            "follow_up_action",
                            "text",
                            T("Hatua ya ufuatiliaji", "Follow-up action"),
                            required=True,
                        ),
                        Field("owner", "text", T("Mhusika", "Owner"), required=True),
                        Field("due_date", "date", T("Tarehe ya mwisho", "Due date")),
                    ),
                ),
            ),
        ),
        Section(
            key="lessons",
            title=T("Mafunzo yaliyopatikana", "Lessons learned"),
            items=(
                Field(
                    "lessons_learned",
                    "long_text",
                    T("Mafunzo yaliyopatikana", "Lessons learned"),
                    required=True,
                    help=T(
                        "Kilichofanya kazi vizuri na kile ambacho kingefanywa tofauti katika "
                        "miradi ijayo.",
                        "What worked well and what should be done differently in future projects.",
                    ),
                ),
            ),
        ),
        Section(
            key="handover",
            title=T("Makabidhiano kwa uendeshaji", "Handover to operations"),
            items=(
                Field(
                    "operations_unit",
                    "text",
                    T("Kitengo kitakachoendesha mfumo", "Unit that runs the system"),
                    required=True,
                ),
                Field(
                    "system_administrator",
                    "text",
                    T("Msimamizi wa mfumo", "System administrator"),
                    required=True,
                    help=T(
                        "Jina na cheo cha afisa anayehusika na uendeshaji wa kila siku.",
                        "Name and title of the officer responsible for day-to-day operation.",
                    ),
                ),
                Field(
                    "administrator_email",
                    "email",
                    T("Barua pepe ya msimamizi wa mfumo", "System administrator's e-mail"),
                ),
                Field(
                    "support_arrangement",
                    "choice",
                    T("Utaratibu wa msaada wa kiufundi", "Support arrangement"),
                    required=True,
                    choices=(
                        Choice("in_house", T("Ndani ya taasisi", "In-house")),
                        Choice("vendor", T("Mtoa huduma", "Vendor")),
                        Choice("mixed", T("Mchanganyiko", "Mixed")),
                    ),
                ),
                Field(
                    "support_details",
                    "long_text",
                    T("Maelezo ya msaada na matengenezo", "Support and maintenance details"),
                    help=T(
                        "Mkataba wa matengenezo, muda wa kushughulikia hitilafu, na gharama za "
                        "uendeshaji za kila mwaka.",
                        "Maintenance contract, fault response times, and yearly running costs.",
                    ),
                ),
                Field(
                    "warranty_end_date",
                    "date",
                    T("Mwisho wa kipindi cha dhamana", "End of warranty period"),
                ),
                Field(
                    "documents_handed_over",
                    "long_text",
                    T("Nyaraka zilizokabidhiwa", "Documents handed over"),
                    help=T(
                        "Mf. mwongozo wa mtumiaji, mwongozo wa uendeshaji, msimbo chanzo.",
                        "E.g. user manual, operations manual, source code.",
                    ),
                ),
            ),
        ),
        *COMPLETION_SECTIONS,
    ),
    form_version=2,
    retired=RETIRED_PROJECT_FIELDS,
    earlier_signatories=V1_PROJECT_CHAIN,
    signatories=(
        PREPARED_BY,
        ACCEPTED_BY_SYSTEM_OWNER,
        CHECKED_BY_HEAD_OF_ICT,
        APPROVED_BY_ACCOUNTING_OFFICER,
    ),
    requires_approved=("implementation_report",),
    advances_project_to="completed",
    waived_for_existing_systems=True,
    rules=(
        DateOrder(
            "completion_not_before_start",
            earlier="start_date",
            later="completion_date",
            message=T(
                "Tarehe ya kukamilika haiwezi kuwa kabla ya tarehe ya kuanza.",
                "The completion date cannot be before the start date.",
            ),
        ),
        DateOrder(
            "warranty_not_before_completion",
            earlier="completion_date",
            later="warranty_end_date",
            message=T(
                "Mwisho wa kipindi cha dhamana hauwezi kuwa kabla ya tarehe ya kukamilika.",
                "The warranty cannot end before the completion date.",
            ),
        ),
        DatesWithin(
            "deliverables_accepted_within_project",
            dates="deliverables[*].accepted_on",
            start="start_date",
            end="completion_date",
            message=T(
                "Kazi zilizowasilishwa zipokelewe kati ya tarehe ya kuanza na tarehe ya "
                "kukamilika.",
                "Deliverables must be accepted between the start date and the completion date.",
            ),
        ),
        SumEquals(
            "final_cost_matches_items",
            total="final_cost",
            lines="cost_items[*].actual_amount",
            message=T(
                "Gharama halisi ya mwisho lazima ilingane na jumla ya kiasi halisi cha vipengele.",
                "The final cost must equal the sum of the items' actual amounts.",
            ),
        ),
        SumEquals(
            "approved_budget_matches_items",
            total="approved_budget",
            lines="cost_items[*].budgeted_amount",
            message=T(
                "Bajeti iliyoidhinishwa lazima ilingane na jumla ya kiasi kilichopangwa cha "
                "vipengele.",
                "The approved budget must equal the sum of the items' budgeted amounts.",
            ),
        ),
    ),
    checklist=CHECKLIST,
)
