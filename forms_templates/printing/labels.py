"""The fixed texts of the printed document, in both languages.

They are data like the definitions' texts (``T(sw, en)``), not gettext messages: the print's
language is chosen per request (``?lang=en``), independently of the reader's interface language,
and the signature page shows roles in both languages at once. Those the Word file uses too are
in forms_templates/labels.py; the print's templates see both as one set. ``{agency}`` stands for
the agency's configured name (forms_templates.identity).
"""

from __future__ import annotations

from forms_templates.definitions import T

REFERENCE = T("Kumbukumbu Na.", "Reference No.")
NO_REFERENCE = T("Bado haijapewa (hupewa inapowasilishwa)", "Not yet given (given at submission)")
INSTITUTION = T("Taasisi", "Institution")
DOCUMENT_TYPE = T("Aina ya hati", "Document type")
APPROVED_ON = T("Tarehe ya kuidhinishwa", "Date approved")
CONTENT_HASH = T("Alama ya maudhui (SHA-256)", "Content hash (SHA-256)")
NOT_ANSWERED = T("Halijajibiwa", "Not answered")
NO_ROWS = T("Hakuna mistari iliyojazwa", "No rows entered")
ROW_NUMBER = T("Na.", "No.")
SIGNED_AT = T("Tarehe na saa ya kusaini", "Date and time signed")
SIGNED_HASH = T("Alama ya maudhui iliyosainiwa", "Content hash signed")
ACTING = T("Amesaini kama kaimu", "Signed as acting officer")
ACTING_FOR = T("kaimu kwa", "acting for")
SIGNATURE_STATUS = {
    "signed": T("Amesaini", "Signed"),
    "pending": T("Bado hajasaini", "Not yet signed"),
    "declined": T("Amekataa kusaini", "Declined to sign"),
}
ANNEXES = T("Viambatisho", "Annexes")
ANNEXES_NOTE = T(
    "Viambatisho hivi ni sehemu ya hati: alama ya maudhui iliyosainiwa inajumuisha alama zao.",
    "These annexes are part of the document: the content hash that was signed covers theirs.",
)
ANNEX_KIND = T("Aina", "Kind")
ANNEX_NAME = T("Jina la faili", "File name")
ANNEX_SIZE = T("Ukubwa", "Size")
ANNEX_HASH = T("Alama ya faili (SHA-256)", "File hash (SHA-256)")
DECISION_HEADING = T("Uamuzi wa {agency}", "Decision of the {agency}")
DECISION = T("Uamuzi", "Decision")
REVIEWER = T("Mhakiki", "Reviewer")
DECIDED_AT = T("Tarehe ya uamuzi", "Date of decision")
COMMENT = T("Maoni", "Comment")
NO_DECISION = T(
    "Hati hii bado haijaidhinishwa na {agency}.",
    "This document has not yet been approved by the {agency}.",
)
CHECKLIST_HEADING = T("Orodha hakiki ya uhakiki", "Review checklist")
CHECKLIST_INTRO = T(
    "Vigezo vilivyohakikiwa, na alama walizoweka wahakiki wakati wa uamuzi.",
    "The criteria reviewed, as the reviewers marked them at the decision.",
)
CRITERION = T("Kigezo", "Criterion")
CHECKLIST_RESULT = T("Matokeo", "Result")
CHECKLIST_NOTE = T("Maelezo", "Note")
CHECKLIST_MARKS = {
    "met": T("Kimetimizwa", "Met"),
    "not_met": T("Hakijatimizwa", "Not met"),
    "na": T("Hakihusiki", "Not applicable"),
    "": T("Hakijawekewa alama", "Not marked"),
}
CHECKLIST_OVERRIDE = T(
    "Sababu ya kuidhinisha bila orodha hakiki kukamilika",
    "Reason for approving with the checklist incomplete",
)
VERIFY_HEADING = T("Uhakiki wa hati hii", "Verifying this document")
VERIFY_TEXT = T(
    "Hati hii imetiwa muhuri wa kidijitali wa {agency}. Skani msimbo wa QR, au fungua anwani "
    "hii, kuona kama ni halali:",
    "This document carries the digital seal of the {agency}. Scan the QR code, or open this "
    "address, to see whether it is genuine:",
)
VERIFICATION_CODE = T("Namba ya uhakiki", "Verification code")
DRAFT_NOTICE = T(
    "RASIMU: hati hii haijaidhinishwa na haina muhuri wa {agency}.",
    "DRAFT: this document is not approved and carries no seal of the {agency}.",
)
WATERMARK = "RASIMU / DRAFT"
TIME_ZONE_NOTE = T("saa za Afrika Mashariki", "East Africa Time")

MONTHS = {
    "sw": (
        "Januari",
        "Februari",
        "Machi",
        "Aprili",
        "Mei",
        "Juni",
        "Julai",
        "Agosti",
        "Septemba",
        "Oktoba",
        "Novemba",
        "Desemba",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
