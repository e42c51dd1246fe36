"""The signatories the types share: who prepares, who endorses or accepts, who checks, who
approves (issue 15's chains as Tanzanian institutions sign; each role assigned in admin)."""

from forms_templates.definitions import AUTHOR, Signatory, T


def by_role(signatory: Signatory) -> bool:
    """Signed by whoever holds the signatory's role in the institution (not the author, not a
    person the form names): who is looked up by role, and asked for two-step verification."""
    return signatory.role != AUTHOR and not signatory.person_field


# The agency's usual signature block: who prepared, who checked, who approved.
PREPARED_BY = Signatory(
    AUTHOR, T("Imeandaliwa na", "Prepared by"), T("Afisa wa mradi", "Project officer")
)
CHECKED_BY_HEAD_OF_ICT = Signatory(
    "head_of_ict",
    T("Imehakikiwa na", "Checked by"),
    T("Mkuu wa Kitengo cha TEHAMA", "Head of ICT"),
)
# The head of the user department owns the system: endorses the concept, accepts the result.
ENDORSED_BY_SYSTEM_OWNER = Signatory(
    "system_owner",
    T("Imeridhiwa na", "Endorsed by"),
    T("Mkuu wa Idara Mtumiaji (Mmiliki wa Mfumo)", "Head of the user department (system owner)"),
)
ACCEPTED_BY_SYSTEM_OWNER = Signatory(
    "system_owner",
    T("Imepokelewa na", "Accepted by"),
    T("Mkuu wa Idara Mtumiaji (Mmiliki wa Mfumo)", "Head of the user department (system owner)"),
)
CHECKED_BY_HEAD_OF_PROCUREMENT = Signatory(
    "head_of_procurement",
    T("Imehakikiwa na", "Checked by"),
    T(
        "Mkuu wa Kitengo cha Usimamizi wa Ununuzi",
        "Head of the procurement management unit",
    ),
)
APPROVED_BY_ACCOUNTING_OFFICER = Signatory(
    "accounting_officer",
    T("Imeidhinishwa na", "Approved by"),
    T("Afisa Masuuli", "Accounting officer"),
)
