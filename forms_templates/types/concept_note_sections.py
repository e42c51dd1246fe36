"""The concept note's sections on what e-GA reviews (form version 2, issue 15): duplication,
standards, integration, hosting, security and personal data, running costs and staffing, and
the steering committee's endorsement. Kept beside ``concept_note.py`` to keep each file short."""

from forms_templates.choices import YES_NO
from forms_templates.definitions import Choice, Field, Section, T, Table

V2 = 2

SIMILAR_SYSTEMS = Section(
    key="similar_systems",
    title=T("Mifumo inayofanana Serikalini", "Similar systems in government"),
    help=T(
        "Taja mifumo iliyopo Serikalini inayotoa huduma inayofanana, na kwa nini haitumiki tena "
        "badala ya kujenga mpya. Ikiwa hakuna, andika “Hakuna” na mahali ulipotafuta.",
        "Name the government systems that provide a similar service, and why they are not "
        "reused instead of building anew. If there are none, write “None” and where you looked.",
    ),
    items=(
        Table(
            "similar_systems",
            T("Mifumo inayofanana", "Similar systems"),
            required=True,
            since=V2,
            columns=(
                Field("system", "text", T("Mfumo", "System"), required=True),
                Field("owner", "text", T("Taasisi inayoumiliki", "Institution"), required=True),
                Field(
                    "why_not_reused",
                    "text",
                    T("Kwa nini hautumiki tena", "Why it is not reused"),
                    required=True,
                ),
            ),
        ),
    ),
)

STANDARDS = Section(
    key="standards",
    title=T("Viwango vya Serikali Mtandao", "e-Government standards"),
    items=(
        Field(
            "egov_standards",
            "long_text",
            T(
                "Viwango vinavyohusika na jinsi muundo unavyovizingatia",
                "Standards that apply and how the design complies",
            ),
            required=True,
            since=V2,
            help=T(
                "Mf. Viwango na Miongozo ya Serikali Mtandao (usanifu, usalama, ubadilishanaji "
                "wa taarifa, tovuti), na jinsi kila kimoja kinavyotimizwa.",
                "E.g. the e-Government standards and guidelines (architecture, security, data "
                "exchange, websites), and how each is met.",
            ),
        ),
    ),
)

INTEGRATIONS = Section(
    key="integrations",
    title=T("Muunganiko na mifumo mingine", "Integrations"),
    help=T(
        "Mifumo ya Serikali hubadilishana taarifa kupitia GovESB (Sheria ya Serikali Mtandao, "
        "2019, kif. 48(2)); malipo kupitia GePG au ZanMalipo; utambuzi kupitia NIDA au ZanID.",
        "Government systems exchange data through GovESB (e-Government Act 2019, s.48(2)); "
        "payments through GePG or ZanMalipo; identification through NIDA or ZanID.",
    ),
    items=(
        Table(
            "integrations",
            T("Mifumo itakayounganishwa", "Systems to integrate with"),
            since=V2,
            columns=(
                Field("system", "text", T("Mfumo", "System"), required=True),
                Field(
                    "owner_institution",
                    "text",
                    T("Taasisi inayoumiliki", "Owner institution"),
                    required=True,
                ),
                Field(
                    "data_exchanged",
                    "text",
                    T("Taarifa zinazobadilishwa", "Data exchanged"),
                    required=True,
                ),
                Field(
                    "direction",
                    "choice",
                    T("Mwelekeo", "Direction"),
                    required=True,
                    choices=(
                        Choice("inbound", T("Kuingia", "Inbound")),
                        Choice("outbound", T("Kutoka", "Outbound")),
                        Choice("both", T("Pande zote", "Both ways")),
                    ),
                ),
                Field(
                    "via_govesb",
                    "choice",
                    T("Kupitia GovESB", "Through GovESB"),
                    required=True,
                    choices=YES_NO,
                ),
            ),
        ),
    ),
)

HOSTING = Section(
    key="hosting",
    title=T("Uhifadhi wa mfumo na mahitaji yake", "Hosting and its prerequisites"),
    items=(
        Field(
            "hosting_option",
            "choice",
            T("Mahali mfumo utakapohifadhiwa", "Where the system will be hosted"),
            required=True,
            since=V2,
            choices=(
                Choice(
                    "government_data_centre",
                    T(
                        "Kituo cha Kuhifadhi Data cha Serikali (Zanzibar: ZICTIA)",
                        "Government Data Centre (Zanzibar: ZICTIA)",
                    ),
                ),
                Choice("agency", T("Uhifadhi wa Mamlaka", "Agency hosting")),
                Choice("own", T("Kituo cha taasisi yenyewe", "The institution's own")),
                Choice("cloud", T("Wingu (cloud)", "Cloud")),
            ),
        ),
        Field(
            "hosting_reason",
            "long_text",
            T("Sababu ya uchaguzi huo", "Reason for this choice"),
            required=True,
            since=V2,
        ),
        Field(
            "platform",
            "text",
            T("Jukwaa (mf. Linux, Windows)", "Platform (e.g. Linux, Windows)"),
            required=True,
            since=V2,
        ),
        Field(
            "programming_language",
            "text",
            T("Lugha ya programu", "Programming language"),
            required=True,
            since=V2,
        ),
        Field("database", "text", T("Kanzidata", "Database"), required=True, since=V2),
        Field(
            "licence_type",
            "choice",
            T("Aina ya leseni", "Licence type"),
            required=True,
            since=V2,
            choices=(
                Choice("open_source", T("Chanzo huria", "Open source")),
                Choice("proprietary", T("Ya kibiashara", "Proprietary")),
                Choice("government_owned", T("Inamilikiwa na Serikali", "Government-owned")),
            ),
        ),
        Field(
            "users_internal",
            "number",
            T("Watumiaji wa ndani wanaotarajiwa", "Expected internal users"),
            required=True,
            since=V2,
        ),
        Field(
            "users_public",
            "number",
            T("Watumiaji wa umma wanaotarajiwa", "Expected public users"),
            required=True,
            since=V2,
        ),
        Field(
            "storage_gb",
            "number",
            T("Hifadhi inayohitajika (GB)", "Storage needed (GB)"),
            required=True,
            since=V2,
        ),
    ),
)

SECURITY = Section(
    key="security",
    title=T("Usalama na taarifa binafsi", "Security and personal data"),
    items=(
        Field(
            "data_classification",
            "choice",
            T("Daraja la taarifa", "Information classification"),
            required=True,
            since=V2,
            choices=(
                Choice("public", T("Wazi", "Public")),
                Choice("internal", T("Ya ndani", "Internal")),
                Choice("confidential", T("Siri", "Confidential")),
                Choice("secret", T("Siri kuu", "Secret")),
            ),
        ),
        Field(
            "personal_data",
            "choice",
            T("Mfumo utachakata taarifa binafsi?", "Will it process personal data?"),
            required=True,
            since=V2,
            choices=YES_NO,
        ),
        Field(
            "pdpc_registration",
            "text",
            T(
                "Usajili wa Tume ya Ulinzi wa Taarifa Binafsi",
                "Personal Data Protection Commission registration",
            ),
            since=V2,
            help=T(
                "Namba ya usajili, au tarehe ya ombi la usajili (Sheria ya Ulinzi wa Taarifa "
                "Binafsi, 2022).",
                "The registration number, or the date applied (Personal Data Protection Act 2022).",
            ),
        ),
        Field(
            "security_controls",
            "long_text",
            T("Hatua kuu za usalama", "Main security controls"),
            required=True,
            since=V2,
        ),
        Field(
            "backup_recovery",
            "long_text",
            T("Nakala rudufu na urejeshaji", "Backup and recovery"),
            required=True,
            since=V2,
        ),
    ),
)

REVIEW_SECTIONS = (SIMILAR_SYSTEMS, STANDARDS, INTEGRATIONS, HOSTING, SECURITY)

SUSTAINABILITY = Section(
    key="sustainability",
    title=T(
        "Uendelevu: gharama za uendeshaji na watumishi", "Sustainability: running costs and staff"
    ),
    items=(
        Field(
            "running_cost_per_year",
            "money",
            T(
                "Gharama za uendeshaji kwa mwaka baada ya kuanza kutumika (TZS)",
                "Running cost per year after go-live (TZS)",
            ),
            required=True,
            since=V2,
        ),
        Field(
            "running_cost_funder",
            "text",
            T("Atakayegharamia uendeshaji", "Who funds the running cost"),
            required=True,
            since=V2,
        ),
        Field(
            "staffing_training",
            "long_text",
            T("Watumishi na mafunzo", "Staffing and training"),
            required=True,
            since=V2,
            help=T(
                "Watakaoendesha mfumo, na mafunzo yatakayotolewa kwa wataalamu na watumiaji.",
                "Who will run the system, and the training for its staff and users.",
            ),
        ),
    ),
)

STEERING_COMMITTEE = Section(
    key="steering_committee",
    title=T("Ridhaa ya Kamati ya Uendeshaji ya TEHAMA", "The ICT steering committee's endorsement"),
    help=T(
        "Sheria ya Serikali Mtandao, 2019, kif. 18: kamati ya taasisi huidhinisha miradi yake.",
        "e-Government Act 2019, s.18: the institution's committee endorses its projects.",
    ),
    items=(
        Field(
            "committee_meeting_date",
            "date",
            T("Tarehe ya kikao", "Meeting date"),
            required=True,
            since=V2,
        ),
        Field(
            "committee_minute_ref",
            "text",
            T("Kumbukumbu namba ya muhtasari", "Minute reference"),
            required=True,
            since=V2,
            max_length=100,
        ),
    ),
)

GOVERNANCE_SECTIONS = (SUSTAINABILITY, STEERING_COMMITTEE)
