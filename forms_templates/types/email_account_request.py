"""Ombi la Barua Pepe ya Serikali — government e-mail account request.

A public servant asks for a personal account, or an office asks for an institutional (shared)
mailbox, on the government e-mail service. It belongs to no project: it needs no approved
document before it, and the institution's accounting officer approves it.
"""

from forms_templates.checklists.email_account_request import CHECKLIST
from forms_templates.definitions import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    AUTHOR,
    Choice,
    DocumentType,
    Field,
    Section,
    Signatory,
    T,
)
from forms_templates.rules import MailDomain

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
        "Jaza taarifa zako kama zilivyo kwenye kumbukumbu za utumishi. Ombi hili litaidhinishwa "
        "na Afisa Masuuli wa taasisi. Sehemu zenye alama * ni za lazima.",
        "Fill in your details as they appear in your service records. The institution's "
        "accounting officer approves this request. Sections marked * are required.",
    ),
    needs_project=False,
    sections=(
        Section(
            key="requester",
            title=T("Taarifa za muombaji", "Requester"),
            items=(
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
                        "ofisi kwa akaunti ya taasisi, mf. tehama@taasisi.go.tz.",
                        "Usually firstname.lastname@institution.go.tz for a personal account, "
                        "or the office's name for an institutional one, e.g. "
                        "ict@institution.go.tz.",
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
                    ),
                    help=T(
                        "Akaunti binafsi ni ya mtumishi mmoja. Akaunti ya taasisi ni ya ofisi "
                        "au kitengo na hutumiwa na zaidi ya mtu mmoja.",
                        "A personal account belongs to one employee. An institutional account "
                        "belongs to an office or unit and may be used by more than one person.",
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
            key="supervisor",
            title=T("Msimamizi", "Supervisor"),
            items=(
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
        Signatory(AUTHOR, T("Muombaji", "Requester"), T("Muombaji", "Requester")),
        APPROVED_BY_ACCOUNTING_OFFICER,
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
    ),
    requires_approved=(),
    checklist=CHECKLIST,
)
