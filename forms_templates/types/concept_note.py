"""Dhana ya Uanzishaji wa Mfumo/Mradi — concept note, to start a new system or project.

Sections follow the agency's process and the Rwanda RISA concept note.
"""

from forms_templates.checklists.concept_note import CHECKLIST
from forms_templates.definitions import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    PREPARED_BY,
    Choice,
    DocumentType,
    Field,
    Section,
    T,
    Table,
)
from forms_templates.rules import DateOrder, DatesWithin, SumEquals

DEFINITION = DocumentType(
    key="concept_note",
    code="CN",
    name=T("Dhana ya Uanzishaji wa Mfumo/Mradi", "Concept note"),
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
            items=(
                Field(
                    "institution_name", "text", T("Jina la taasisi", "Institution"), required=True
                ),
                Field(
                    "project_title",
                    "text",
                    T("Jina la mradi/mfumo", "Project or system title"),
                    required=True,
                ),
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
                    columns=(
                        Field("item", "text", T("Kipengele", "Item"), required=True),
                        Field("quantity", "number", T("Idadi", "Quantity")),
                        Field("amount", "money", T("Kiasi (TZS)", "Amount (TZS)"), required=True),
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
    ),
    signatories=(
        PREPARED_BY,
        CHECKED_BY_HEAD_OF_ICT,
        APPROVED_BY_ACCOUNTING_OFFICER,
    ),
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
