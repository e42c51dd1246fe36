"""What the agency checks before it opens a mailbox in the Government Mailing System.

Sources are named in forms_templates/checklists/__init__.py. Integration, hosting and budget do
not apply: the agency runs the mail system.
"""

from forms_templates.definitions import Criterion, T

CHECKLIST = (
    # [GMS] government mailboxes are for official work.
    Criterion(
        "need_justified",
        "need",
        T(
            "Sababu za ombi zinaonyesha hitaji la kikazi la akaunti ya barua pepe ya Serikali.",
            "The justification shows a work need for a government e-mail account.",
        ),
        ("justification",),
        sources=("GMS",),
    ),
    # [GMS] one mailbox per person and purpose; [Orodha] no duplicates (urudufu).
    Criterion(
        "no_existing_account",
        "need",
        T(
            "Mwombaji hana akaunti nyingine ya aina hiyo katika Mfumo wa Barua Pepe Serikalini "
            "(GMS).",
            "The requester has no other account of this kind in the Government Mailing System "
            "(GMS).",
        ),
        ("full_name", "check_number"),
        sources=("GMS", "Orodha"),
    ),
    # [GMS] addresses in the institution's own government domain, named by the convention.
    Criterion(
        "address_convention",
        "standards",
        T(
            "Anwani inayoombwa inafuata utaratibu wa majina wa GMS na iko katika kikoa cha "
            "barua pepe cha taasisi (.go.tz).",
            "The requested address follows the GMS naming convention and is in the "
            "institution's mail domain (.go.tz).",
        ),
        ("request_kind", "requested_address", "new_address"),
        sources=("GMS",),
    ),
    # [GMS] the four account types: personal, institutional, group, special-purpose.
    Criterion(
        "account_type_fits",
        "standards",
        T(
            "Aina ya akaunti (binafsi, ya taasisi, ya kikundi au ya kazi maalum) inaendana na "
            "matumizi yaliyoelezwa.",
            "The account type (personal, institutional, group or special-purpose) fits the "
            "stated use.",
        ),
        ("account_type", "custodian", "justification"),
        sources=("GMS",),
    ),
    # [GMS] mailboxes for public servants of the institution; [Standards] access control.
    Criterion(
        "requester_verified",
        "security",
        T(
            "Mwombaji ni mtumishi wa umma wa taasisi hii: cheo, idara na namba ya cheki "
            "vinathibitika.",
            "The requester is a public servant of this institution: job title, department and "
            "check number can be verified.",
        ),
        ("full_name", "job_title", "department", "check_number"),
        sources=("GMS", "Standards"),
    ),
    # [PDPA] no more personal data than the purpose needs.
    Criterion(
        "personal_data_minimal",
        "security",
        T(
            "Taarifa binafsi zilizotolewa ni zile tu zinazohitajika kufungua na kusimamia akaunti.",
            "The personal data given is only what is needed to open and manage the account.",
        ),
        ("phone", "check_number"),
        sources=("PDPA",),
    ),
    # [GMS] the requester's supervisor supports the request.
    Criterion(
        "supervisor_endorsed",
        "governance",
        T(
            "Msimamizi wa mwombaji ametajwa na anaunga mkono ombi.",
            "The requester's supervisor is named and supports the request.",
        ),
        ("supervisor_username", "supervisor_name", "supervisor_title"),
        sources=("GMS",),
    ),
    # [GMS] acceptable use; [Act] s.33: electronic communication of government.
    Criterion(
        "acceptable_use",
        "governance",
        T(
            "Mwombaji anafahamu kwamba barua pepe ya Serikali ni kwa mawasiliano rasmi tu, kwa "
            "mujibu wa miongozo ya matumizi ya GMS.",
            "The requester knows that government e-mail is for official communication only, "
            "under the GMS acceptable-use guidelines.",
        ),
        sources=("GMS", "Act"),
    ),
)
