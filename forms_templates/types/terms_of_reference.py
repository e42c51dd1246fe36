"""Hadidu Rejea — terms of reference, for procuring the work an approved concept note describes.

Background, objectives and scope; the requirements by priority; deliverables, payment milestones
and reporting; the expertise sought, what the institution provides, and the budget ceiling.
"""

from forms_templates.checklists.terms_of_reference import CHECKLIST
from forms_templates.definitions import (
    Choice,
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DatesWithin, Range, SumAtMost, SumEquals
from forms_templates.signatories import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    CHECKED_BY_HEAD_OF_PROCUREMENT,
    PREPARED_BY,
)
from forms_templates.types.report_sections import TOR_SECTIONS
from forms_templates.types.retired import RETIRED_PROJECT_FIELDS, V1_PROJECT_CHAIN

DEFINITION = DocumentType(
    key="terms_of_reference",
    code="TOR",
    name=T("Hadidu za Rejea za Mfumo/Mradi", "Terms of Reference"),
    description=T(
        "Kuainisha kazi itakayofanywa na mtoa huduma au mtaalamu elekezi kwa mradi ulioidhinishwa.",
        "To set out the work a supplier or consultant will do for an approved project.",
    ),
    instructions=T(
        "Eleza kazi kwa uwazi ili mtoa huduma aelewe kinachotakiwa, kwa muda gani na kwa "
        "malipo gani. Mahitaji yapangwe kwa kipaumbele. Sehemu zenye alama * ni za lazima.",
        "Describe the work clearly so that a supplier understands what is required, by when and "
        "for what payment. Rank requirements by priority. Sections marked * are required.",
    ),
    sections=(
        Section(
            key="background",
            title=T("Usuli", "Background"),
            items=(
                Field(
                    "assignment_title",
                    "text",
                    T("Jina la kazi", "Assignment title"),
                    required=True,
                ),
                Field(
                    "background",
                    "long_text",
                    T("Usuli", "Background"),
                    required=True,
                    help=T(
                        "Taasisi, hali ya sasa na sababu ya kazi hii. Rejea dhana iliyoidhinishwa.",
                        "The institution, the current situation and why this work is needed. "
                        "Refer to the approved concept note.",
                    ),
                ),
            ),
        ),
        Section(
            key="objectives",
            title=T("Malengo", "Objectives"),
            items=(
                Field(
                    "main_objective",
                    "long_text",
                    T("Lengo kuu", "Main objective"),
                    required=True,
                ),
                Field(
                    "specific_objectives",
                    "long_text",
                    T("Malengo mahususi", "Specific objectives"),
                ),
            ),
        ),
        Section(
            key="scope",
            title=T("Wigo wa kazi", "Scope of work"),
            items=(
                Field(
                    "scope_of_work",
                    "long_text",
                    T("Wigo wa kazi", "Scope of work"),
                    required=True,
                    help=T(
                        "Shughuli zote ambazo mtoa huduma atatekeleza.",
                        "All the activities the supplier will carry out.",
                    ),
                ),
                Field(
                    "out_of_scope",
                    "long_text",
                    T("Yasiyo ndani ya wigo", "Out of scope"),
                    help=T(
                        "Mambo ambayo kwa makusudi hayamo kwenye kazi hii.",
                        "What is deliberately not part of this work.",
                    ),
                ),
            ),
        ),
        Section(
            key="requirements",
            title=T("Mahitaji", "Requirements"),
            items=(
                Table(
                    "requirements",
                    T("Mahitaji", "Requirements"),
                    required=True,
                    help=T(
                        "Lazima: bila hitaji hili kazi haikubaliki. Muhimu: linatakiwa lakini "
                        "linaweza kusubiri. Hiari: likipatikana ni bora zaidi.",
                        "Must: the work is unacceptable without it. Should: wanted but can wait. "
                        "Could: desirable if possible.",
                    ),
                    columns=(
                        Field("requirement", "text", T("Hitaji", "Requirement"), required=True),
                        Field(
                            "requirement_type",
                            "choice",
                            T("Aina ya hitaji", "Requirement type"),
                            choices=(
                                Choice("functional", T("La kiutendaji", "Functional")),
                                Choice(
                                    "non_functional",
                                    T("Lisilo la kiutendaji", "Non-functional"),
                                ),
                            ),
                        ),
                        Field(
                            "priority",
                            "choice",
                            T("Kipaumbele", "Priority"),
                            required=True,
                            choices=(
                                Choice("must", T("Lazima", "Must have")),
                                Choice("should", T("Muhimu", "Should have")),
                                Choice("could", T("Hiari", "Could have")),
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Section(
            key="deliverables",
            title=T("Matokeo ya kazi na ratiba", "Deliverables and timeline"),
            items=(
                Field(
                    "assignment_start_date",
                    "date",
                    T("Tarehe ya kuanza kazi", "Assignment start date"),
                ),
                Field(
                    "duration_weeks",
                    "number",
                    T("Muda wa kazi (wiki)", "Duration (weeks)"),
                    required=True,
                ),
                Table(
                    "deliverables",
                    T("Matokeo ya kazi", "Deliverables"),
                    required=True,
                    columns=(
                        Field(
                            "deliverable",
                            "text",
                            T("Matokeo ya kazi", "Deliverable"),
                            required=True,
                        ),
                        Field("description", "text", T("Maelezo", "Description")),
                        Field(
                            "due_date",
                            "date",
                            T("Tarehe ya kuwasilisha", "Due date"),
                            required=True,
                        ),
                    ),
                ),
            ),
        ),
        Section(
            key="payment",
            title=T("Hatua za malipo", "Payment milestones"),
            items=(
                Table(
                    "payment_milestones",
                    T("Hatua za malipo", "Payment milestones"),
                    required=True,
                    help=T(
                        "Kila malipo yafungamanishwe na matokeo ya kazi yaliyopokelewa. Jumla ya "
                        "asilimia iwe 100.",
                        "Tie every payment to an accepted deliverable. The percentages should "
                        "add up to 100.",
                    ),
                    columns=(
                        Field("milestone", "text", T("Hatua", "Milestone"), required=True),
                        Field(
                            "linked_deliverable",
                            "text",
                            T("Matokeo ya kazi yanayohusika", "Linked deliverable"),
                        ),
                        Field(
                            "percentage",
                            "number",
                            T("Asilimia ya malipo (%)", "Payment percentage (%)"),
                            required=True,
                        ),
                        Field("amount", "money", T("Kiasi (TZS)", "Amount (TZS)")),
                    ),
                ),
            ),
        ),
        Section(
            key="reporting",
            title=T("Utoaji wa taarifa", "Reporting"),
            items=(
                Field(
                    "reports_to",
                    "text",
                    T("Atawasilisha taarifa kwa", "Reports to"),
                    required=True,
                    help=T(
                        "Cheo cha afisa atakayepokea taarifa za mtoa huduma.",
                        "The title of the officer who receives the supplier's reports.",
                    ),
                ),
                Field(
                    "reporting_frequency",
                    "choice",
                    T("Mara za kuwasilisha taarifa", "Reporting frequency"),
                    choices=(
                        Choice("weekly", T("Kila wiki", "Weekly")),
                        Choice("monthly", T("Kila mwezi", "Monthly")),
                        Choice("quarterly", T("Kila robo mwaka", "Quarterly")),
                        Choice("per_milestone", T("Kwa kila hatua", "At each milestone")),
                    ),
                ),
                Field(
                    "reporting_requirements",
                    "long_text",
                    T("Taarifa zinazotakiwa", "Reports required"),
                ),
            ),
        ),
        Section(
            key="expertise",
            title=T("Utaalamu unaohitajika", "Required expertise"),
            items=(
                Table(
                    "expertise",
                    T("Wataalamu wanaohitajika", "Experts required"),
                    required=True,
                    columns=(
                        Field("role", "text", T("Nafasi", "Role"), required=True),
                        Field(
                            "qualifications",
                            "text",
                            T("Sifa za kitaaluma", "Qualifications"),
                            required=True,
                        ),
                        Field(
                            "experience_years",
                            "number",
                            T("Uzoefu (miaka)", "Experience (years)"),
                        ),
                        Field("number_required", "number", T("Idadi", "Number required")),
                    ),
                ),
            ),
        ),
        Section(
            key="institution_provides",
            title=T("Kitakachotolewa na taasisi", "What the institution provides"),
            items=(
                Field(
                    "institution_provides",
                    "long_text",
                    T("Kitakachotolewa na taasisi", "What the institution provides"),
                    help=T(
                        "Mf. ofisi, vifaa, upatikanaji wa mifumo na takwimu, na maafisa wa "
                        "kushirikiana.",
                        "E.g. office space, equipment, access to systems and data, and "
                        "counterpart staff.",
                    ),
                ),
            ),
        ),
        Section(
            key="assumptions_risks",
            title=T("Dhana za msingi na vihatarishi", "Assumptions and risks"),
            items=(
                Field("assumptions", "long_text", T("Dhana za msingi", "Assumptions")),
                Field("risks", "long_text", T("Vihatarishi", "Risks")),
            ),
        ),
        Section(
            key="budget",
            title=T("Ukomo wa bajeti", "Budget ceiling"),
            items=(
                Field(
                    "budget_ceiling",
                    "money",
                    T("Ukomo wa bajeti (TZS)", "Budget ceiling (TZS)"),
                    required=True,
                    help=T(
                        "Kiasi cha juu kisichopaswa kuzidishwa, kwa shilingi bila senti.",
                        "The most that may be spent, in whole shillings.",
                    ),
                ),
                Field(
                    "budget_notes",
                    "text",
                    T("Maelezo ya bajeti", "Budget notes"),
                    help=T(
                        "Mf. kama kiasi kinajumuisha Kodi ya Ongezeko la Thamani (VAT).",
                        "E.g. whether the amount includes VAT.",
                    ),
                ),
            ),
        ),
        *TOR_SECTIONS,
    ),
    form_version=2,
    retired=RETIRED_PROJECT_FIELDS[:1],
    earlier_signatories=V1_PROJECT_CHAIN,
    signatories=(
        PREPARED_BY,
        CHECKED_BY_HEAD_OF_ICT,
        CHECKED_BY_HEAD_OF_PROCUREMENT,
        APPROVED_BY_ACCOUNTING_OFFICER,
    ),
    requires_approved=("concept_note",),
    rules=(
        DatesWithin(
            "deliverables_after_start",
            dates="deliverables[*].due_date",
            start="assignment_start_date",
            message=T(
                "Matokeo ya kazi hayawezi kuwasilishwa kabla ya tarehe ya kuanza kazi.",
                "No deliverable can be due before the assignment starts.",
            ),
        ),
        Range(
            "payment_percentage_range",
            field="payment_milestones[*].percentage",
            low=0,
            high=100,
            message=T(
                "Asilimia ya kila malipo iwe kati ya 0 na 100.",
                "Each payment percentage must be from 0 to 100.",
            ),
        ),
        SumEquals(
            "payment_percentages_total_100",
            total=100,
            lines="payment_milestones[*].percentage",
            message=T(
                "Jumla ya asilimia za malipo iwe 100.",
                "The payment percentages must add up to 100.",
            ),
        ),
        SumAtMost(
            "payments_within_ceiling",
            ceiling="budget_ceiling",
            lines="payment_milestones[*].amount",
            message=T(
                "Jumla ya malipo isizidi ukomo wa bajeti.",
                "The payments must not add up to more than the budget ceiling.",
            ),
        ),
    ),
    checklist=CHECKLIST,
)
