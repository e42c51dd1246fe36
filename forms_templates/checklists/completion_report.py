"""What the agency checks in a project's completion (final) report.

Sources are named in forms_templates/checklists/__init__.py.
"""

from forms_templates.definitions import Criterion, T

CHECKLIST = (
    # [Orodha] the project delivered what its approved concept promised.
    Criterion(
        "objectives_achieved",
        "need",
        T(
            "Malengo ya dhana iliyoidhinishwa yamefikiwa, na yasiyofikiwa yameelezwa pamoja na "
            "sababu zake.",
            "The approved concept's objectives were achieved, and any not achieved are "
            "explained with the reasons.",
        ),
        ("objectives_achieved", "benefits", "summary"),
        sources=("Orodha",),
    ),
    # [Orodha] alignment: the benefits serve the national and institutional plans named.
    Criterion(
        "benefits",
        "alignment",
        T(
            "Manufaa yaliyopatikana yanachangia mipango ya kitaifa na Mpango Mkakati wa taasisi "
            "kama ilivyokusudiwa.",
            "The benefits achieved contribute to the national plans and the institution's "
            "strategic plan as intended.",
        ),
        ("objectives_achieved",),
        sources=("Orodha",),
    ),
    # [Standards] ICT project management: formal acceptance of the deliverables.
    Criterion(
        "acceptance_tested",
        "standards",
        T(
            "Mfumo umefanyiwa majaribio ya kukubalika na watumiaji, na kila kazi iliyowasilishwa "
            "imepokelewa rasmi.",
            "The system passed user acceptance testing, and every deliverable was formally "
            "accepted.",
        ),
        ("deliverables",),
        sources=("Standards",),
    ),
    # [Standards] systems development: the institution owns the source code and documentation.
    Criterion(
        "source_code_handed_over",
        "standards",
        T(
            "Msimbo chanzo, nyaraka za usanifu, na miongozo ya watumiaji na ya uendeshaji "
            "vimekabidhiwa kwa taasisi.",
            "The source code, design documents, and user and operations manuals were handed to "
            "the institution.",
        ),
        ("deliverables", "documents_handed_over", "source_code_handed_over"),
        sources=("Standards",),
    ),
    # [Act] s.48(2): data shared through the GovESB.
    Criterion(
        "integrated",
        "integration",
        T(
            "Muunganiko na mifumo mingine umefanyika kupitia GovESB na umejaribiwa.",
            "Integration with other systems is done through GovESB and tested.",
        ),
        ("deliverables",),
        sources=("Act",),
    ),
    # [Hosting] hosted at the Government Data Centre or where the Authority approved.
    Criterion(
        "hosted",
        "hosting",
        T(
            "Mfumo umehifadhiwa katika Kituo cha Kuhifadhi Data cha Serikali au mahali "
            "palipoidhinishwa na Mamlaka.",
            "The system is hosted at the Government Data Centre or at a place the Authority "
            "approved.",
        ),
        ("operations_unit",),
        sources=("Hosting",),
    ),
    # [Hosting] a security assessment before the system goes live; [Standards] security.
    Criterion(
        "security_assessed",
        "security",
        T(
            "Tathmini ya usalama ilifanyika kabla ya mfumo kuanza kutumika, na mapungufu "
            "yaliyoonekana yamerekebishwa au yana mpango wa kurekebishwa.",
            "A security assessment was done before go-live, and the weaknesses found are fixed "
            "or have a plan to be fixed.",
        ),
        ("outstanding_issues",),
        sources=("Hosting", "Standards"),
    ),
    # [PDPA] processing under the Act, registered with the Commission.
    Criterion(
        "personal_data",
        "security",
        T(
            "Taarifa binafsi katika mfumo zinachakatwa kwa mujibu wa Sheria ya Ulinzi wa Taarifa "
            "Binafsi, 2022, na taasisi imesajiliwa na Tume ya Ulinzi wa Taarifa Binafsi.",
            "Personal data in the system is processed under the Personal Data Protection Act, "
            "2022, and the institution is registered with the Personal Data Protection "
            "Commission.",
        ),
        sources=("PDPA",),
    ),
    # [Orodha] budget: the final cost against the approved budget.
    Criterion(
        "final_cost",
        "budget",
        T(
            "Gharama halisi zinaendana na bajeti iliyoidhinishwa, na tofauti zimeelezwa.",
            "The final cost is in line with the approved budget, and differences are explained.",
        ),
        ("approved_budget", "final_cost", "cost_items"),
        sources=("Orodha",),
    ),
    # [Orodha] sustainability: someone runs, supports and maintains the system after handover.
    Criterion(
        "operations_sustained",
        "budget",
        T(
            "Kitengo cha kuendesha mfumo, msimamizi wake, na utaratibu wa msaada na matengenezo "
            "vimewekwa, pamoja na kipindi cha dhamana.",
            "The unit that runs the system, its administrator, and the support and maintenance "
            "arrangements are in place, with the warranty period.",
        ),
        (
            "operations_unit",
            "system_administrator",
            "support_arrangement",
            "support_details",
            "warranty_end_date",
        ),
        sources=("Orodha",),
    ),
    # [Act] s.26(1)(d): government systems are registered with the Authority.
    Criterion(
        "system_registered",
        "governance",
        T(
            "Mfumo umesajiliwa na Mamlaka ya Serikali Mtandao katika rejista ya mifumo ya "
            "Serikali.",
            "The system is registered with the e-Government Authority in the register of "
            "government systems.",
        ),
        sources=("Act",),
    ),
    # [Standards] ICT project management: closure, follow-up and lessons learned.
    Criterion(
        "follow_up",
        "governance",
        T(
            "Masuala yaliyobaki yana hatua, wahusika na tarehe, na mafunzo yaliyopatikana "
            "yameandikwa kwa ajili ya miradi ijayo.",
            "Outstanding issues have actions, owners and dates, and the lessons learned are "
            "written down for future projects.",
        ),
        ("outstanding_issues", "lessons_learned"),
        sources=("Standards",),
    ),
)
