"""What the agency checks in a concept note before a new system or project may start.

Sources are named in forms_templates/checklists/__init__.py.
"""

from forms_templates.definitions import Criterion, T

CHECKLIST = (
    # [Orodha] the problem statement and justification of the project.
    Criterion(
        "problem_defined",
        "need",
        T(
            "Tatizo linalotatuliwa na uhitaji wa mfumo vimeelezwa wazi, pamoja na athari zake "
            "kwa huduma za taasisi.",
            "The problem and the need for the system are stated clearly, with their effect on "
            "the institution's services.",
        ),
        ("problem_statement", "objectives"),
        sources=("Orodha",),
    ),
    # [Orodha] the review's stated aim: no duplicate systems across government (urudufu);
    # [Act] s.5: the Authority harmonises and coordinates e-Government systems.
    Criterion(
        "no_duplication",
        "need",
        T(
            "Hakuna mfumo mwingine Serikalini unaotoa huduma hiyo hiyo: mfumo huu hautaleta "
            "urudufu.",
            "No other government system provides the same service: this one does not duplicate "
            "an existing system.",
        ),
        ("similar_systems", "alternatives_considered", "proposed_solution"),
        sources=("Orodha", "Act"),
    ),
    # [Orodha] reuse of shared government systems and services before building anew.
    Criterion(
        "reuse_considered",
        "need",
        T(
            "Kabla ya kujenga mfumo mpya, matumizi ya mifumo na huduma za pamoja zilizopo "
            "Serikalini yamezingatiwa.",
            "Before building anew, the reuse of existing shared government systems and services "
            "was considered.",
        ),
        ("similar_systems", "alternatives_considered"),
        sources=("Orodha",),
    ),
    # [Orodha] alignment with the national plans and policies.
    Criterion(
        "national_plans",
        "alignment",
        T(
            "Mradi unaendana na mipango ya kitaifa: Dira ya Taifa ya Maendeleo, Mpango wa "
            "Maendeleo wa Taifa wa Miaka Mitano, Sera ya Taifa ya TEHAMA na Mkakati wa Serikali "
            "Mtandao.",
            "The project fits the national plans: the National Development Vision, the Five-Year "
            "Development Plan, the National ICT Policy and the e-Government Strategy.",
        ),
        ("national_alignment",),
        sources=("Orodha",),
    ),
    # [Orodha] alignment with the institution's strategic plan; [Act] s.18: the institution's
    # ICT steering committee oversees its ICT strategy.
    Criterion(
        "institutional_plans",
        "alignment",
        T(
            "Mradi umo katika Mpango Mkakati wa taasisi na katika mkakati wake wa TEHAMA.",
            "The project is part of the institution's strategic plan and of its ICT strategy.",
        ),
        ("objectives", "ict_strategy_alignment"),
        sources=("Orodha", "Act"),
    ),
    # [Act] s.5 and ss.24-25: ICT projects and systems follow the Authority's standards;
    # [Standards] architecture, interoperability, security, project management.
    Criterion(
        "egov_standards",
        "standards",
        T(
            "Usanifu unaopendekezwa unazingatia Viwango na Miongozo ya Serikali Mtandao "
            "(usanifu wa mifumo, muunganiko, usalama na usimamizi wa miradi ya TEHAMA).",
            "The proposed design follows the e-Government Standards and Guidelines (systems "
            "architecture, interoperability, security and ICT project management).",
        ),
        ("egov_standards", "proposed_solution"),
        sources=("Act", "Standards"),
    ),
    # [Standards] systems development: the institution owns the source code and documentation.
    Criterion(
        "government_ownership",
        "standards",
        T(
            "Serikali itamiliki mfumo: msimbo chanzo, kanzidata na nyaraka zitakabidhiwa kwa "
            "taasisi, hata mfumo ukijengwa na mkandarasi.",
            "The government will own the system: its source code, database and documentation "
            "are handed to the institution, even when a contractor builds it.",
        ),
        ("delivery_approach",),
        sources=("Standards",),
    ),
    # [Act] s.48(2): public institutions share data through the GovESB.
    Criterion(
        "govesb",
        "integration",
        T(
            "Mifumo ambayo mfumo huu utabadilishana nayo taarifa imetajwa, na ubadilishanaji huo "
            "utafanyika kupitia GovESB.",
            "The systems this one will exchange data with are named, and the exchange goes "
            "through GovESB.",
        ),
        ("integrations", "proposed_solution"),
        sources=("Act",),
    ),
    # [Orodha] integrations with the payment gateways and national identification; [PFA] GePG.
    Criterion(
        "shared_services",
        "integration",
        T(
            "Malipo yatapitia GePG (Zanzibar: ZanMalipo) na utambuzi wa watu utatumia NIDA "
            "(Zanzibar: ZanID) pale inapohitajika, bila kuanzisha njia nyingine za pekee.",
            "Payments go through GePG (Zanzibar: ZanMalipo) and identification uses NIDA "
            "(Zanzibar: ZanID) where needed, without separate channels of its own.",
        ),
        ("integrations",),
        sources=("Orodha", "PFA"),
    ),
    # [Hosting] the Government Data Centre first; [Act] s.23: shared e-Government infrastructure.
    Criterion(
        "hosting_location",
        "hosting",
        T(
            "Mahali mfumo utakapohifadhiwa pameelezwa na panakubalika: Kituo cha Kuhifadhi Data "
            "cha Serikali (Zanzibar: kituo cha ZICTIA), au sababu za kuuhifadhi kwingine.",
            "Where the system will be hosted is stated and acceptable: the Government Data "
            "Centre (Zanzibar: the ZICTIA data centre), or the reasons to host it elsewhere.",
        ),
        ("hosting_option", "hosting_reason"),
        sources=("Hosting", "Act"),
    ),
    # [Hosting] the prerequisites the agency asks before it hosts a system.
    Criterion(
        "hosting_prerequisites",
        "hosting",
        T(
            "Mahitaji ya kuhifadhi mfumo yanajulikana: jukwaa na lugha ya programu, kanzidata, "
            "aina ya leseni, idadi ya watumiaji (wa ndani na wa umma) na ukubwa wa hifadhi.",
            "The hosting prerequisites are known: platform and programming language, database, "
            "licence type, number of users (internal and public) and storage.",
        ),
        (
            "platform",
            "programming_language",
            "database",
            "licence_type",
            "users_internal",
            "users_public",
            "storage_gb",
        ),
        sources=("Hosting",),
    ),
    # [Standards] information security; [Orodha] security.
    Criterion(
        "security_risks",
        "security",
        T(
            "Vihatarishi vya usalama wa taarifa vimebainishwa pamoja na hatua za kuvidhibiti: "
            "udhibiti wa ufikiaji, kumbukumbu za matukio, nakala rudufu na urejeshaji baada ya "
            "hitilafu.",
            "Information security risks are identified with their controls: access control, "
            "event logs, backups and recovery after a failure.",
        ),
        ("security_controls", "backup_recovery", "risks"),
        sources=("Standards", "Orodha"),
    ),
    # [PDPA] registration with the Commission; collection for a stated purpose only.
    Criterion(
        "personal_data",
        "security",
        T(
            "Ikiwa mfumo utachakata taarifa binafsi, taasisi imesajiliwa (au itasajiliwa) na "
            "Tume ya Ulinzi wa Taarifa Binafsi, na taarifa zitakusanywa kwa madhumuni "
            "yaliyoelezwa tu.",
            "If the system processes personal data, the institution is (or will be) registered "
            "with the Personal Data Protection Commission, and data is collected only for the "
            "stated purposes.",
        ),
        ("data_classification", "personal_data", "pdpc_registration"),
        sources=("PDPA",),
    ),
    # [Orodha] the budget estimate and its source.
    Criterion(
        "budget_realistic",
        "budget",
        T(
            "Makadirio ya bajeti yanaendana na wigo wa mradi, vipengele vyake vinajumlika kufikia "
            "jumla iliyotajwa, na chanzo cha fedha kimethibitishwa.",
            "The budget fits the scope, its items add up to the stated total, and the funding "
            "source is confirmed.",
        ),
        ("budget_items", "total_budget", "funding_source", "budget_vote"),
        sources=("Orodha",),
    ),
    # [Orodha] sustainability: what the system costs to run after go-live.
    Criterion(
        "running_costs",
        "budget",
        T(
            "Gharama za kuendesha mfumo baada ya kuanza kutumika (leseni, uhifadhi, matengenezo "
            "na wataalamu) zimezingatiwa na zina chanzo cha fedha.",
            "The cost of running the system after go-live (licences, hosting, maintenance and "
            "staff) is accounted for and funded.",
        ),
        ("running_cost_per_year", "running_cost_funder"),
        sources=("Orodha",),
    ),
    # [Orodha] human resources; [Act] s.21: the institution's ICT management unit.
    Criterion(
        "capacity",
        "budget",
        T(
            "Njia ya utekelezaji inafaa, na taasisi ina wataalamu wa kusimamia mradi na kuendesha "
            "mfumo, au mpango wa kuwapata na kuwafunza.",
            "The delivery approach suits the project, and the institution has the staff to "
            "manage it and run the system, or a plan to recruit and train them.",
        ),
        ("delivery_approach", "staffing_training"),
        sources=("Orodha", "Act"),
    ),
    # [Act] s.18: the institutional ICT steering committee endorses the institution's projects.
    Criterion(
        "steering_committee",
        "governance",
        T(
            "Mradi umejadiliwa na kuidhinishwa na Kamati ya Uendeshaji ya TEHAMA ya taasisi.",
            "The institution's ICT Steering Committee has discussed and endorsed the project.",
        ),
        ("committee_meeting_date", "committee_minute_ref"),
        sources=("Act",),
    ),
    # [Standards] ICT project management: an owner, a plan, milestones.
    Criterion(
        "plan_and_owner",
        "governance",
        T(
            "Mmiliki wa mradi na mtu wa mawasiliano wametajwa, na mpango wa utekelezaji una "
            "hatua kuu na tarehe zinazotekelezeka.",
            "The project owner and contact are named, and the implementation plan has "
            "milestones and dates that can be met.",
        ),
        ("project_owner", "contact_person", "start_date", "end_date", "milestones"),
        sources=("Standards",),
    ),
    # [Orodha] expected results; [Act] s.5: monitoring and evaluation of e-Government.
    Criterion(
        "monitoring",
        "governance",
        T(
            "Matokeo yanayotarajiwa yanapimika, na kuna utaratibu wa ufuatiliaji na tathmini "
            "wenye viashiria.",
            "The expected results can be measured, and there is monitoring and evaluation with "
            "indicators.",
        ),
        ("expected_impact", "monitoring"),
        sources=("Orodha", "Act"),
    ),
)
