"""Ombi la Barua Pepe ya Serikali — government e-mail account request.

A public servant asks for a mailbox on e-GA's Government Mailing System (GMS): a new one, a
rename, a password reset or a deactivation, for one of its four account types (personal,
institutional, group, special-purpose). It belongs to no project. Any servant of an institution
may file it; the servant named in it signs first (the person who needs the account, not whoever
filed it), then that servant's supervisor, then the head of human resources.
"""

from forms_templates.checklists.email_account_request import CHECKLIST
from forms_templates.definitions import (
    Choice,
    DocumentType,
    Field,
    Section,
    Signatory,
    T,
)
from forms_templates.rules import MailDomain, RequiredWhen
from forms_templates.types.retired import V1_MAILBOX_CHAIN

DEFINITION = DocumentType(
    key="email_account_request",
    code="EM",
    name=T("Ombi la Barua Pepe ya Serikali", "Government e-mail account request"),
    description=T(
        "Kuomba akaunti ya barua pepe ya serikali kwa mtumishi au kwa ofisi ya taasisi.",
        "To request a government e-mail account for a public servant or an office of the "
        "institution.",
    ),
    instructions=T(
        "Jaza taarifa za mtumishi kama zilivyo kwenye kumbukumbu za utumishi. Mtumishi "
        "anayeombewa akaunti atasaini kwanza, kisha msimamizi wake, kisha Mkuu wa Idara ya "
        "Utawala na Usimamizi wa Rasilimali Watu. Sehemu zenye alama * ni za lazima.",
        "Fill in the servant's details as they appear in the service records. The servant the "
        "account is for signs first, then their supervisor, then the head of human resources. "
        "Sections marked * are required.",
    ),
    needs_project=False,
    sections=(
        Section(
            key="request_kind",
            title=T("Aina ya ombi", "Kind of request"),
            items=(
                Field(
                    "request_kind",
                    "choice",
                    T("Ombi ni la", "The request is for"),
                    since=2,
                    required=True,
                    choices=(
                        Choice("new", T("Akaunti mpya", "A new account")),
                        Choice("rename", T("Kubadilisha jina la akaunti", "Renaming an account")),
                        Choice("reset", T("Kuweka upya nywila", "A password reset")),
                        Choice("deactivate", T("Kusitisha akaunti", "Deactivating an account")),
                    ),
                ),
            ),
        ),
        Section(
            key="requester",
            title=T("Taarifa za mwombaji", "Requester"),
            items=(
                Field(
                    "servant_username",
                    "text",
                    T("Jina la mtumiaji la mtumishi anayeombewa", "Username of the servant"),
                    since=2,
                    required=True,
                    max_length=150,
                    help=T(
                        "Jina lake la kuingia kwenye Idhini. Mtumishi huyu ndiye atasaini ombi "
                        "kwanza; ukijiombea mwenyewe, andika jina lako la mtumiaji.",
                        "Their Idhini sign-in name. This servant signs the request first; if "
                        "the account is for you, give your own username.",
                    ),
                ),
                Field(
                    "full_name",
                    "text",
                    T("Jina kamili", "Full name"),
                    required=True,
                    max_length=200,
                ),
                Field("job_title", "text", T("Cheo", "Job title"), required=True),
                Field(
                    "department",
                    "text",
                    T("Idara/Kitengo", "Department or unit"),
                    required=True,
                ),
                Field(
                    "phone",
                    "phone",
                    T("Namba ya simu", "Phone number"),
                    required=True,
                    help=T("Mf. +255 754 123 456.", "E.g. +255 754 123 456."),
                ),
                Field(
                    "check_number",
                    "text",
                    T("Namba ya cheki", "Check number"),
                    required=True,
                    max_length=30,
                    help=T(
                        "Namba ya cheki ya mtumishi, kama inavyoonekana kwenye hati ya mshahara.",
                        "The employee's check number (namba ya cheki), as shown on "
                        "the salary slip.",
                    ),
                ),
            ),
        ),
        Section(
            key="requested_address",
            title=T("Anwani inayoombwa", "Requested address"),
            items=(
                Field(
                    "requested_address",
                    "email",
                    T("Anwani ya barua pepe inayoombwa", "Requested e-mail address"),
                    required=True,
                    help=T(
                        "Kwa kawaida jina.ukoo@taasisi.go.tz kwa akaunti binafsi, au jina la "
                        "ofisi kwa akaunti ya taasisi, mf. tehama@taasisi.go.tz. Kwa kubadilisha "
                        "jina, kuweka upya nywila au kusitisha: anwani iliyopo. Iwe kwenye kikoa "
                        "cha barua pepe cha taasisi.",
                        "Usually firstname.lastname@institution.go.tz for a personal account, "
                        "or the office's name for an institutional one, e.g. "
                        "ict@institution.go.tz. For a rename, reset or deactivation: the "
                        "existing address. It must be in the institution's mail domain.",
                    ),
                ),
                Field(
                    "new_address",
                    "email",
                    T("Anwani mpya (kubadilisha jina tu)", "New address (renaming only)"),
                    since=2,
                    help=T(
                        "Jaza tu ombi likiwa la kubadilisha jina la akaunti.",
                        "Fill in only when the request is to rename an account.",
                    ),
                ),
            ),
        ),
        Section(
            key="account_type",
            title=T("Aina ya akaunti", "Account type"),
            items=(
                Field(
                    "account_type",
                    "choice",
                    T("Aina ya akaunti", "Account type"),
                    required=True,
                    choices=(
                        Choice("personal", T("Binafsi", "Personal")),
                        Choice("institutional", T("Ya taasisi", "Institutional")),
                        Choice("group", T("Ya kikundi", "Group")),
                        Choice("special_purpose", T("Ya matumizi maalum", "Special-purpose")),
                    ),
                    help=T(
                        "Akaunti binafsi ni ya mtumishi mmoja. Akaunti ya taasisi ni ya ofisi "
                        "au kitengo; ya kikundi hupeleka barua kwa wanakikundi wote; ya "
                        "matumizi maalum ni ya mfumo au huduma (mf. taarifa@taasisi.go.tz).",
                        "A personal account belongs to one employee. An institutional account "
                        "belongs to an office or unit; a group account delivers to all its "
                        "members; a special-purpose account serves a system or a service (e.g. "
                        "noreply@institution.go.tz).",
                    ),
                ),
                Field(
                    "custodian",
                    "text",
                    T("Mtunzaji wa akaunti", "Custodian of the account"),
                    since=2,
                    help=T(
                        "Kwa akaunti isiyo binafsi: jina na cheo cha mtumishi atakayewajibika "
                        "nayo.",
                        "For an account that is not personal: the name and title of the servant "
                        "answerable for it.",
                    ),
                ),
            ),
        ),
        Section(
            key="justification",
            title=T("Sababu za ombi", "Justification"),
            items=(
                Field(
                    "justification",
                    "long_text",
                    T("Sababu za ombi", "Justification"),
                    required=True,
                    max_length=2000,
                    help=T(
                        "Eleza kwa nini akaunti inahitajika kwa kazi za kiofisi.",
                        "Explain why the account is needed for official work.",
                    ),
                ),
            ),
        ),
        Section(
            key="acceptable_use",
            title=T("Tamko la matumizi sahihi", "Acceptable-use declaration"),
            items=(
                Field(
                    "acceptable_use",
                    "choice",
                    T("Tamko", "Declaration"),
                    since=2,
                    required=True,
                    choices=(
                        Choice(
                            "accepted",
                            T(
                                "Nimesoma na ninakubali kanuni za matumizi sahihi ya Mfumo wa "
                                "Barua Pepe wa Serikali",
                                "I have read and accept the Government Mailing System's "
                                "acceptable-use rules",
                            ),
                        ),
                    ),
                    help=T(
                        "Akaunti ni kwa kazi za Serikali tu; nywila haishirikiwi; barua za "
                        "Serikali hazipelekwi kwenye barua pepe binafsi.",
                        "The account is for government work only; the password is never "
                        "shared; government mail is not forwarded to private mailboxes.",
                    ),
                ),
            ),
        ),
        Section(
            key="supervisor",
            title=T("Msimamizi", "Supervisor"),
            items=(
                Field(
                    "supervisor_username",
                    "text",
                    T("Jina la mtumiaji la msimamizi", "Supervisor's username"),
                    since=2,
                    required=True,
                    max_length=150,
                    help=T(
                        "Jina la kuingia kwenye Idhini la msimamizi wa mtumishi: atasaini baada "
                        "ya mtumishi.",
                        "The supervisor's Idhini sign-in name: they sign after the servant.",
                    ),
                ),
                Field(
                    "supervisor_name",
                    "text",
                    T("Jina la msimamizi", "Supervisor's name"),
                    required=True,
                ),
                Field(
                    "supervisor_title",
                    "text",
                    T("Cheo cha msimamizi", "Supervisor's title"),
                    required=True,
                ),
                Field(
                    "supervisor_email",
                    "email",
                    T("Barua pepe ya msimamizi", "Supervisor's e-mail"),
                ),
            ),
        ),
    ),
    signatories=(
        Signatory(
            "requesting_servant",
            T("Mwombaji", "Requested by"),
            T("Mtumishi anayeombewa akaunti", "The servant the account is for"),
            person_field="servant_username",
        ),
        Signatory(
            "supervisor",
            T("Imethibitishwa na", "Confirmed by"),
            T("Msimamizi wa mtumishi", "The servant's supervisor"),
            person_field="supervisor_username",
        ),
        Signatory(
            "head_of_hr",
            T("Imeidhinishwa na", "Approved by"),
            T(
                "Mkuu wa Idara ya Utawala na Usimamizi wa Rasilimali Watu",
                "Head of human resources",
            ),
        ),
    ),
    rules=(
        MailDomain(
            "address_in_institution_domain",
            field="requested_address",
            message=T(
                "Anwani inayoombwa iwe kwenye kikoa cha barua pepe cha taasisi yako.",
                "The requested address must be in your institution's own mail domain.",
            ),
        ),
        MailDomain(
            "new_address_in_institution_domain",
            field="new_address",
            message=T(
                "Anwani mpya iwe kwenye kikoa cha barua pepe cha taasisi yako.",
                "The new address must be in your institution's own mail domain.",
            ),
        ),
        RequiredWhen(
            "rename_needs_new_address",
            field="new_address",
            when="request_kind",
            values=("rename",),
            message=T(
                "Ombi la kubadilisha jina linahitaji anwani mpya.",
                "A rename needs the new address.",
            ),
        ),
        RequiredWhen(
            "shared_mailbox_needs_custodian",
            field="custodian",
            when="account_type",
            values=("institutional", "group", "special_purpose"),
            message=T(
                "Akaunti isiyo binafsi inahitaji mtunzaji wake.",
                "An account that is not personal needs its custodian.",
            ),
        ),
    ),
    form_version=2,
    earlier_signatories=V1_MAILBOX_CHAIN,
    requires_approved=(),
    checklist=CHECKLIST,
)
