"""What form version 1 of the types asked and form version 2 no longer does (issue 15).

Documents stored before form version 2 (``Document.form_version`` 1) keep validating, printing
and signing as they were filed: the answers the project now holds stay valid in them, and they
keep the signatory chain they were numbered by.
"""

from forms_templates.definitions import (
    AUTHOR,
    Field,
    Signatory,
    T,
)
from forms_templates.signatories import (
    APPROVED_BY_ACCOUNTING_OFFICER,
    CHECKED_BY_HEAD_OF_ICT,
    PREPARED_BY,
)

RETIRED_PROJECT_FIELDS = (
    Field("institution_name", "text", T("Jina la taasisi", "Institution")),
    Field("project_title", "text", T("Jina la mradi/mfumo", "Project or system title")),
)

# Form version 1's signatory chains, as ``DocumentType.earlier_signatories``.
V1_PROJECT_CHAIN = ((1, (PREPARED_BY, CHECKED_BY_HEAD_OF_ICT, APPROVED_BY_ACCOUNTING_OFFICER)),)
V1_PROGRESS_CHAIN = ((1, (PREPARED_BY, CHECKED_BY_HEAD_OF_ICT)),)
V1_MAILBOX_CHAIN = (
    (
        1,
        (
            Signatory(AUTHOR, T("Mwombaji", "Requester"), T("Mwombaji", "Requester")),
            APPROVED_BY_ACCOUNTING_OFFICER,
        ),
    ),
)
