"""What the agency checks in the terms of reference of an ICT assignment.

Sources are named in forms_templates/checklists/__init__.py.
"""

from forms_templates.definitions import Criterion, T

CHECKLIST = (
    # [Orodha] the assignment serves the approved project and rebuilds nothing that exists
    # (urudufu).
    Criterion(
        "assignment_justified",
        "need",
        T(
            "Usuli na malengo ya kazi yanaendana na dhana iliyoidhinishwa, na kazi hii haijengi "
            "upya kitu kilichopo Serikalini.",
            "The background and objectives fit the approved concept note, and the assignment "
            "does not rebuild something the government already has.",
        ),
        ("background", "main_objective", "specific_objectives"),
        sources=("Orodha",),
    ),
    # [Standards] ICT project management: a scope that can be measured.
    Criterion(
        "scope_clear",
        "need",
        T(
            "Wigo wa kazi na yasiyo ndani ya wigo yameelezwa wazi kiasi cha kuweza kupimwa.",
            "The scope and what is out of scope are stated clearly enough to be measured.",
        ),
        ("scope_of_work", "out_of_scope"),
        sources=("Standards",),
    ),
    # [Act] ss.24-25, [Standards]: work for government follows the e-Government standards.
    Criterion(
        "standards_required",
        "standards",
        T(
            "Hadidu za rejea zinamtaka mtoa huduma kuzingatia Viwango na Miongozo ya Serikali "
            "Mtandao.",
            "The terms of reference require the provider to follow the e-Government Standards "
            "and Guidelines.",
        ),
        ("requirements",),
        sources=("Act", "Standards"),
    ),
    # [Standards] systems development: the institution owns the source code and documentation.
    Criterion(
        "ownership",
        "standards",
        T(
            "Msimbo chanzo, haki miliki na nyaraka zote za kazi ni mali ya taasisi, na "
            "vinakabidhiwa mwisho wa kazi.",
            "The source code, intellectual property and all documentation belong to the "
            "institution and are handed over at the end.",
        ),
        ("deliverables", "requirements"),
        sources=("Standards",),
    ),
    # [Act] s.48(2): data shared through the GovESB; [PFA] payments through GePG.
    Criterion(
        "govesb_required",
        "integration",
        T(
            "Muunganiko na mifumo mingine unatakiwa kufanyika kupitia GovESB, na kupitia GePG na "
            "NIDA pale inapohitajika.",
            "Integration with other systems is required through GovESB, and through GePG and "
            "NIDA where needed.",
        ),
        ("requirements",),
        sources=("Act", "PFA"),
    ),
    # [Hosting] the provider builds for the Government Data Centre's prerequisites.
    Criterion(
        "hosting_specified",
        "hosting",
        T(
            "Mahali mfumo utakapohifadhiwa (Kituo cha Kuhifadhi Data cha Serikali) na mahitaji "
            "yake vimeainishwa kwa mtoa huduma.",
            "Where the system will be hosted (the Government Data Centre) and its requirements "
            "are specified for the provider.",
        ),
        ("requirements", "institution_provides"),
        sources=("Hosting",),
    ),
    # [Standards] information security; [Hosting] assessment before hosting; [PDPA].
    Criterion(
        "security_clauses",
        "security",
        T(
            "Mahitaji ya usalama, tathmini ya usalama kabla ya kukabidhi, usiri, na ulinzi wa "
            "taarifa binafsi ni sehemu ya kazi.",
            "Security requirements, a security assessment before handover, confidentiality and "
            "personal data protection are part of the work.",
        ),
        ("requirements",),
        sources=("Standards", "Hosting", "PDPA"),
    ),
    # [Orodha] budget: a ceiling that fits the work, paid against accepted deliverables.
    Criterion(
        "budget_fits",
        "budget",
        T(
            "Ukomo wa bajeti unaendana na wigo na muda wa kazi, na malipo yanafungamana na "
            "matokeo ya kazi yaliyokubaliwa.",
            "The budget ceiling fits the scope and duration, and payments are tied to accepted "
            "deliverables.",
        ),
        ("budget_ceiling", "payment_milestones", "duration_weeks", "contract_type"),
        sources=("Orodha",),
    ),
    # [Orodha] sustainability: the institution can run the system after the provider leaves.
    Criterion(
        "support_training",
        "budget",
        T(
            "Mafunzo, uhamishaji wa ujuzi kwa watumishi, dhamana, na kipindi cha msaada baada ya "
            "kukabidhi vimeainishwa.",
            "Training, knowledge transfer to staff, warranty, and the support period after "
            "handover are specified.",
        ),
        ("deliverables", "expertise", "training_documentation"),
        sources=("Orodha",),
    ),
    # [Standards] ICT project management: acceptance criteria and reporting.
    Criterion(
        "deliverables_acceptance",
        "governance",
        T(
            "Kila tokeo la kazi lina vigezo vya kukubalika, na utaratibu wa kuwasilisha taarifa "
            "umeelezwa.",
            "Each deliverable has acceptance criteria, and reporting is defined.",
        ),
        ("deliverables", "reports_to", "reporting_requirements"),
        sources=("Standards",),
    ),
    # [PPA] procurement of the provider under the Act.
    Criterion(
        "procurement",
        "governance",
        T(
            "Sifa za wataalamu zinapimika, na ununuzi utafanyika kwa mujibu wa Sheria ya "
            "Ununuzi wa Umma.",
            "The experts' qualifications can be assessed, and procurement will follow the Public "
            "Procurement Act.",
        ),
        ("expertise",),
        sources=("PPA",),
    ),
)
