"""What the agency checks in a project's progress (implementation) report.

Sources are named in forms_templates/checklists/__init__.py.
"""

from forms_templates.definitions import Criterion, T

CHECKLIST = (
    # [Act] s.24: ICT projects of public institutions are reviewed by the Authority; [Orodha]
    # one approved project, no second system built under it (urudufu).
    Criterion(
        "approved_concept",
        "need",
        T(
            "Ripoti inahusu mradi ambao dhana yake iliidhinishwa na Mamlaka, na kazi "
            "inayoripotiwa iko ndani ya wigo ulioidhinishwa.",
            "The report is about a project whose concept note the Authority approved, and the "
            "work reported is within the approved scope.",
        ),
        ("concept_note_reference", "work_completed"),
        sources=("Act", "Orodha"),
    ),
    # [Orodha] alignment with the approved objectives and the institution's plans.
    Criterion(
        "still_aligned",
        "alignment",
        T(
            "Kazi zilizopangwa kipindi kijacho bado zinaelekea malengo ya dhana iliyoidhinishwa "
            "na Mpango Mkakati wa taasisi.",
            "The work planned for the next period still leads to the approved concept's "
            "objectives and the institution's strategic plan.",
        ),
        ("work_planned", "milestone_dates"),
        sources=("Orodha",),
    ),
    # [Act] ss.24-25, [Standards]: implementation follows the standards and the approved design.
    Criterion(
        "standards_followed",
        "standards",
        T(
            "Utekelezaji unafuata usanifu ulioidhinishwa na Viwango na Miongozo ya Serikali "
            "Mtandao.",
            "Implementation follows the approved design and the e-Government Standards and "
            "Guidelines.",
        ),
        ("work_completed", "status_ratings"),
        sources=("Act", "Standards"),
    ),
    # [Act] s.48(2): data shared through the GovESB.
    Criterion(
        "integration_on_track",
        "integration",
        T(
            "Muunganiko na mifumo mingine kupitia GovESB unaendelea kama ulivyopangwa, na "
            "changamoto zake zimeelezwa.",
            "Integration with other systems through GovESB is progressing as planned, and its "
            "difficulties are reported.",
        ),
        ("work_completed", "work_planned", "issues_risks"),
        sources=("Act",),
    ),
    # [Hosting] hosting at the Government Data Centre is prepared before go-live.
    Criterion(
        "hosting_on_track",
        "hosting",
        T(
            "Maandalizi ya kuhifadhi mfumo katika Kituo cha Kuhifadhi Data cha Serikali (au "
            "mahali palipoidhinishwa) yanakwenda kwa wakati.",
            "Preparations to host the system at the Government Data Centre (or the approved "
            "place) are on time.",
        ),
        ("work_planned",),
        sources=("Hosting",),
    ),
    # [Hosting] a security assessment before hosting; [PDPA] security of personal data.
    Criterion(
        "security_assessment_planned",
        "security",
        T(
            "Tathmini ya usalama wa mfumo imefanyika au imepangwa kabla ya kuanza kutumika, na "
            "ulinzi wa taarifa binafsi unazingatiwa wakati wa kujenga mfumo.",
            "A security assessment of the system is done or planned before go-live, and "
            "personal data protection is built in.",
        ),
        ("work_planned", "issues_risks"),
        sources=("Hosting", "PDPA"),
    ),
    # [Orodha] budget: spending against the approved budget.
    Criterion(
        "spending_within_budget",
        "budget",
        T(
            "Matumizi hadi sasa yako ndani ya bajeti iliyoidhinishwa na yanaendana na kazi "
            "zilizokamilika.",
            "Spending to date is within the approved budget and matches the work completed.",
        ),
        ("approved_budget", "spent_to_date", "budget_usage", "funds"),
        sources=("Orodha",),
    ),
    # [Standards] ICT project management: progress reported as it is.
    Criterion(
        "progress_credible",
        "governance",
        T(
            "Asilimia ya utekelezaji na tathmini za kila eneo zinaendana na kazi zilizokamilika "
            "kipindi hiki.",
            "The percent complete and the ratings by dimension match the work completed this "
            "period.",
        ),
        ("overall_rating", "percent_complete", "status_ratings", "work_completed"),
        sources=("Standards",),
    ),
    # [Standards] ICT project management: change control.
    Criterion(
        "changes_approved",
        "governance",
        T(
            "Mabadiliko ya wigo, muda au bajeti yaliombwa na kuidhinishwa kabla ya kutekelezwa.",
            "Changes of scope, schedule or budget were requested and approved before being "
            "carried out.",
        ),
        ("change_requests",),
        sources=("Standards",),
    ),
    # [Standards] ICT project management: issues and risks have owners and actions.
    Criterion(
        "risks_managed",
        "governance",
        T(
            "Masuala na vihatarishi vina hatua za kuchukuliwa na wahusika wake, na mapendekezo "
            "yanatekelezeka.",
            "Issues and risks have actions and owners, and the recommendations can be acted on.",
        ),
        ("issues_risks", "challenges", "recommendations"),
        sources=("Standards",),
    ),
    # [Act] s.18: the institutional ICT steering committee oversees the institution's projects.
    Criterion(
        "steering_committee",
        "governance",
        T(
            "Ripoti imewasilishwa na kujadiliwa na Kamati ya Uendeshaji ya TEHAMA ya taasisi.",
            "The report was presented to and discussed by the institution's ICT Steering "
            "Committee.",
        ),
        sources=("Act",),
    ),
)
