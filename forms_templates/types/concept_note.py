"""Dhana ya Uanzishaji wa Mfumo/Mradi — concept note, to start a new system or project.

Sections follow what e-GA reviews (its ICT project checklist, the e-Government Act 2019, the
hosting prerequisites, the Personal Data Protection Act 2022): duplication and reuse, standards,
integration through GovESB, hosting, security and personal data, running costs, staffing and the
steering committee's endorsement. The institution and the project come from the project.
"""

from forms_templates.checklists.concept_note import CHECKLIST
from forms_templates.choices import COST_CATEGORIES, FINANCIAL_YEAR_HELP, FINANCIAL_YEARS
from forms_templates.definitions import (
    Choice,
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DateOrder, DatesWithin, ProductEquals, RequiredWhen, SumEquals
from forms_templates.signatories import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    ENDORSED_BY_SYSTEM_OWNER,
    PREPARED_BY,
)
from forms_templates.types.concept_note_sections import GOVERNANCE_SECTIONS, REVIEW_SECTIONS
from forms_templates.types.retired import RETIRED_PROJECT_FIELDS, V1_PROJECT_CHAIN

DEFINITION = DocumentType(
    key="concept_note",
    code="CN",
    name=T("Dhana ya Uanzishaji wa Mfumo/Mradi", "Project Concept Note"),
    description=T(
        "Kuomba idhini ya kuanzisha mfumo au mradi mpya wa TEHAMA.",
        "To request approval to start a new ICT system or project.",
    ),
    instructions=T(
        "Jaza kila sehemu kwa ufupi na kwa uwazi. Sehemu zenye alama * ni za lazima.",
        "Fill every section briefly and clearly. Sections marked * are required.",
    ),
    sections=(
        Section(
            key="project_information",
            title=T("Taarifa za mradi", "Project information"),
            help=T(
                "Jina la taasisi na la mradi huchukuliwa kutoka kwenye mradi.",
                "The institution's and the project's names come from the project.",
            ),
            items=(
                Field(
                    "project_owner",
                    "text",
                    T("Mmiliki wa mradi", "Project owner"),
                    required=True,
                    help=T(
                        "Idara au kitengo kinachomiliki mradi.",
                        "The department or unit that owns the project.",
                    ),
                ),
                Field(
                    "contact_person",
                    "text",
                    T("Mtu wa mawasiliano", "Contact person"),
                    required=True,
                ),
                Field(
                    "contact_email",
                    "email",
                    T("Barua pepe ya mawasiliano", "Contact e-mail"),
                    required=True,
                ),
                Field("contact_phone", "phone", T("Simu ya mawasiliano", "Contact phone")),
            ),
        ),
        Section(
            key="problem",
            title=T("Tatizo na njia mbadala", "Problem statement and alternatives"),
            items=(
                Field(
                    "problem_statement",
                    "long_text",
                    T("Tatizo linalotatuliwa", "Problem statement"),
                    required=True,
                    help=T(
                        "Eleza tatizo la sasa na athari zake.",
                        "Describe the current problem and its effects.",
                    ),
                ),
                Field(
                    "alternatives_considered",
                    "long_text",
                    T("Njia mbadala zilizozingatiwa", "Alternatives considered"),
                    help=T(
                        "Ikiwemo kutumia mifumo iliyopo serikalini.",
                        "Including reuse of existing government systems.",
                    ),
                ),
            ),
        ),
        Section(
            key="objectives",
            title=T("Malengo na uwiano na mipango", "Objectives and alignment"),
            items=(
                Field(
                    "objectives",
                    "long_text",
                    T("Malengo ya mradi", "Project objectives"),
                    required=True,
                ),
                Field(
                    "national_alignment",
                    "long_text",
                    T("Uwiano na mipango ya kitaifa", "Alignment with national plans"),
                    required=True,
                ),
                Field(
                    "ict_strategy_alignment",
                    "long_text",
                    T(
                        "Uwiano na mkakati wa TEHAMA wa taasisi",
                        "Alignment with the institution's ICT strategy",
                    ),
                ),
            ),
        ),
        Section(
            key="solution",
            title=T("Suluhisho linalopendekezwa na wigo", "Proposed solution and scope"),
            items=(
                Field(
                    "proposed_solution",
                    "long_text",
                    T("Suluhisho linalopendekezwa", "Proposed solution"),
                    required=True,
                ),
                Field("scope", "long_text", T("Wigo wa mradi", "Scope"), required=True),
                Field(
                    "delivery_approach",
                    "choice",
                    T("Njia ya utekelezaji", "Delivery approach"),
                    choices=(
                        Choice("in_house", T("Ndani ya taasisi", "In-house")),
                        Choice("outsourced", T("Mkandarasi", "Outsourced")),
                        Choice("mixed", T("Mchanganyiko", "Mixed")),
                    ),
                ),
            ),
        ),
        *REVIEW_SECTIONS,
        Section(
            key="stakeholders",
            title=T("Wadau na wanufaika", "Stakeholders and beneficiaries"),
            items=(
                Field("stakeholders", "long_text", T("Wadau", "Stakeholders"), required=True),
                Field("beneficiaries", "long_text", T("Wanufaika", "Beneficiaries"), required=True),
            ),
        ),
        Section(
            key="implementation_plan",
            title=T("Mpango wa utekelezaji", "Implementation plan"),
            items=(
                Field("start_date", "date", T("Tarehe ya kuanza", "Start date"), required=True),
                Field("end_date", "date", T("Tarehe ya kukamilisha", "End date"), required=True),
                Table(
                    "milestones",
                    T("Hatua kuu", "Milestones"),
                    required=True,
                    columns=(
                        Field("milestone", "text", T("Hatua", "Milestone"), required=True),
                        Field("due_date", "date", T("Tarehe", "Due date"), required=True),
                        Field("responsible", "text", T("Mhusika", "Responsible")),
                    ),
                ),
            ),
        ),
        Section(
            key="budget",
            title=T("Makadirio ya bajeti", "Budget estimate"),
            items=(
                Table(
                    "budget_items",
                    T("Vipengele vya bajeti", "Budget items"),
                    required=True,
                    help=T(
                        "Kila mstari: jumla ya mstari ni idadi × gharama ya kimoja.",
                        "Each row: the row total is the quantity × the unit cost.",
                    ),
                    columns=(
                        Field("item", "text", T("Kipengele", "Item"), required=True),
                        Field(
                            "cost_category",
                            "choice",
                            T("Aina ya gharama", "Cost category"),
                            required=True,
                            choices=COST_CATEGORIES,
                            since=2,
                        ),
                        Field(
                            "financial_year",
                            "choice",
                            T("Mwaka wa fedha", "Financial year"),
                            required=True,
                            choices=FINANCIAL_YEARS,
                            help=FINANCIAL_YEAR_HELP,
                            since=2,
                        ),
                        Field("quantity", "number", T("Idadi", "Quantity"), required=True, since=2),
                        Field(
                            "unit_cost",
                            "money",
                            T("Gharama ya kimoja (TZS)", "Unit cost (TZS)"),
                            required=True,
                            since=2,
                        ),
                        Field(
                            "amount",
                            "money",
                            T("Jumla ya mstari (TZS)", "Row total (TZS)"),
                            required=True,
                        ),
                    ),
                ),
                Field(
                    "total_budget",
                    "money",
                    T("Jumla ya bajeti (TZS)", "Total budget (TZS)"),
                    required=True,
                ),
                Field(
                    "funding_source",
                    "choice",
                    T("Chanzo cha fedha", "Funding source"),
                    required=True,
                    choices=(
                        Choice("government", T("Serikali", "Government")),
                        Choice("own_source", T("Mapato ya ndani", "Own source")),
                        Choice(
                            "development_partner", T("Mshirika wa maendeleo", "Development partner")
                        ),
                        Choice("other", T("Nyingine", "Other")),
                    ),
                ),
                Field(
                    "budget_vote",
                    "text",
                    T("Fungu la bajeti", "Budget vote"),
                    required=True,
                    max_length=20,
                    help=T("Mf. Fungu 52.", "E.g. Vote 52."),
                    since=2,
                ),
                Field(
                    "budget_subvote",
                    "text",
                    T("Kifungu kidogo", "Sub-vote"),
                    max_length=20,
                    help=T("Mf. 2001.", "E.g. 2001."),
                    since=2,
                ),
            ),
        ),
        Section(
            key="risks",
            title=T("Vihatarishi na njia za kupunguza", "Risks and mitigation"),
            items=(
                Table(
                    "risks",
                    T("Vihatarishi", "Risks"),
                    columns=(
                        Field("risk", "text", T("Kihatarishi", "Risk"), required=True),
                        Field(
                            "likelihood",
                            "choice",
                            T("Uwezekano", "Likelihood"),
                            choices=(
                                Choice("low", T("Chini", "Low")),
                                Choice("medium", T("Wastani", "Medium")),
                                Choice("high", T("Juu", "High")),
                            ),
                        ),
                        Field(
                            "mitigation",
                            "text",
                            T("Njia ya kupunguza", "Mitigation"),
                            required=True,
                        ),
                    ),
                ),
            ),
        ),
        Section(
            key="impact",
            title=T("Matokeo yanayotarajiwa na ufuatiliaji", "Expected impact and monitoring"),
            items=(
                Field(
                    "expected_impact",
                    "long_text",
                    T("Matokeo yanayotarajiwa", "Expected impact"),
                    required=True,
                ),
                Field(
                    "monitoring",
                    "long_text",
                    T("Ufuatiliaji na tathmini", "Monitoring and evaluation"),
                ),
            ),
        ),
        *GOVERNANCE_SECTIONS,
    ),
    signatories=(
        PREPARED_BY,
        ENDORSED_BY_SYSTEM_OWNER,
        CHECKED_BY_HEAD_OF_ICT,
        APPROVED_BY_ACCOUNTING_OFFICER,
    ),
    form_version=2,
    retired=RETIRED_PROJECT_FIELDS,
    earlier_signatories=V1_PROJECT_CHAIN,
    one_per_project=True,
    advances_project_to="implementation",
    rules=(
        DateOrder(
            "end_not_before_start",
            earlier="start_date",
            later="end_date",
            message=T(
                "Tarehe ya kukamilisha haiwezi kuwa kabla ya tarehe ya kuanza.",
                "The end date cannot be before the start date.",
            ),
        ),
        DatesWithin(
            "milestones_within_project",
            dates="milestones[*].due_date",
            start="start_date",
            end="end_date",
            message=T(
                "Tarehe ya kila hatua kuu iwe kati ya tarehe ya kuanza na tarehe ya kukamilisha.",
                "Every milestone's due date must fall between the start date and the end date.",
            ),
        ),
        ProductEquals(
            "budget_row_total",
            product="budget_items[*].amount",
            factor="budget_items[*].quantity",
            by="budget_items[*].unit_cost",
            message=T(
                "Jumla ya kila mstari wa bajeti iwe idadi × gharama ya kimoja.",
                "Each budget row's total must be its quantity × its unit cost.",
            ),
        ),
        RequiredWhen(
            "personal_data_needs_pdpc_registration",
            field="pdpc_registration",
            when="personal_data",
            values=("yes",),
            message=T(
                "Mfumo unaochakata taarifa binafsi unahitaji namba ya usajili wa Tume ya Ulinzi "
                "wa Taarifa Binafsi (au maelezo ya ombi la usajili).",
                "A system that processes personal data needs the Personal Data Protection "
                "Commission registration number (or the application's details).",
            ),
        ),
        SumEquals(
            "total_budget_matches_items",
            total="total_budget",
            lines="budget_items[*].amount",
            message=T(
                "Jumla ya bajeti lazima ilingane na jumla ya vipengele vya bajeti.",
                "The total budget must equal the sum of the budget items.",
            ),
        ),
    ),
    checklist=CHECKLIST,
    # The agency receives a concept note with the institution's covering letter.
    required_attachments=("cover_letter",),
)
