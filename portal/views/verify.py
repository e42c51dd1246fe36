"""``/verify/<code>/``: the public page a citizen reaches from the QR code on a sealed PDF.

Bilingual on one page (Kiswahili first, English second), whatever the reader's language
setting, and usable without JavaScript: it shows what the agency issued under the code and
lets the reader upload the PDF they hold to check that it is exactly that file. The verdict on
that file comes first and alone at the top: genuine (green, and only then anything green),
not genuine (red, the record shown below as "what the agency issued under this code"), or not
checked. ``/verify/`` takes a code typed from a paper copy.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from approvals import verification
from approvals.verify_api import VerifyRateThrottle
from forms_templates.definitions import T
from forms_templates.printing.html import format_datetime

TEMPLATE = "portal/verify.html"
# Problems that say nothing about the document: the file could not be checked at all.
UNKNOWN_PROBLEMS = frozenset({"not_pdf", "no_file", "too_large"})
CODE_ERROR = T(
    "Hii haiwezi kuwa namba ya uhakiki: namba ina herufi na tarakimu 16, kama ABCD-EFGH-JKLM-NPQR.",
    "This cannot be a verification code: a code has 16 letters and digits, like "
    "ABCD-EFGH-JKLM-NPQR.",
)

PROBLEM_TEXTS = {
    "not_issued": T(
        "Faili hili halikutolewa na Mamlaka: si mojawapo ya PDF zetu zenye muhuri, au "
        "limebadilishwa baada ya kutiwa muhuri.",
        "The agency did not issue this file: it is not one of our sealed PDFs, or it was "
        "changed after sealing.",
    ),
    "unsigned": T("Faili halina muhuri wa kidijitali.", "The file carries no digital seal."),
    "other_certificate": T(
        "Faili lina muhuri, lakini si wa cheti cha Mamlaka.",
        "The file is sealed, but not with the agency's certificate.",
    ),
    "modified": T(
        "Faili limebadilishwa baada ya kutiwa muhuri.", "The file was changed after it was sealed."
    ),
    "modified_after_sealing": T(
        "Kitu kimeongezwa kwenye faili baada ya kutiwa muhuri.",
        "Something was added to the file after it was sealed.",
    ),
    "broken_signature": T(
        "Muhuri umeharibika na hauthibitiki.", "The seal is damaged and does not validate."
    ),
    "untrusted": T(
        "Cheti cha muhuri si halali kwa kutia muhuri.",
        "The seal's certificate is not valid for sealing.",
    ),
    "unreadable": T(
        "Faili limeharibika: muhuri wake hausomeki.",
        "The file is damaged: its seal cannot be read.",
    ),
    "not_approved": T("Hati hii haijaidhinishwa tena.", "The document is no longer approved."),
    "not_pdf": T("Faili hili si PDF.", "This file is not a PDF."),
    "no_file": T("Chagua faili la PDF kwanza.", "Choose a PDF file first."),
    "too_large": T("Faili ni kubwa mno.", "The file is too large."),
    "other_document": T(
        "Faili ni halali, lakini ni la hati nyingine, si hii.",
        "The file is genuine, but it belongs to another document, not this one.",
    ),
}


def _when(value: str | None) -> dict[str, str] | None:
    if not value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return {"sw": format_datetime(moment, "sw"), "en": format_datetime(moment, "en")}


def _page_summary(summary: dict) -> dict:
    mailbox = summary.get("mailbox")
    return {
        **summary,
        "approved_when": _when(summary.get("approved_at")),
        "mailbox": {**mailbox, "when": _when(mailbox["since"])} if mailbox else None,
        "signatures": [
            {**signature, "signed_when": _when(signature.get("signed_at"))}
            for signature in summary.get("signatures") or []
        ],
        "files": [
            {**item, "lang_name": "Kiswahili" if item["lang"] == "sw" else "English"}
            for item in summary.get("files") or []
        ],
    }


def _check_upload(request, document) -> tuple[dict, int]:
    limit = settings.VERIFY_UPLOAD_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit + 64 * 1024:
        return {"problem": "too_large", "text": PROBLEM_TEXTS["too_large"]}, 413
    upload = request.FILES.get("file")
    if upload is None:
        return {"problem": "no_file", "text": PROBLEM_TEXTS["no_file"]}, 400
    if upload.size > limit:
        return {"problem": "too_large", "text": PROBLEM_TEXTS["too_large"]}, 413
    data = upload.read()
    if not verification.looks_like_pdf(data):
        return {"problem": "not_pdf", "text": PROBLEM_TEXTS["not_pdf"]}, 400
    result = verification.check_uploaded_pdf(data)
    problem = result["problem"]
    if problem is None and result["verification_code"] != document.verification_code:
        problem = "other_document"
    return {
        "valid": problem is None,
        "problem": problem,
        "text": PROBLEM_TEXTS.get(problem) if problem else None,
        "sha256": result["sha256"],
        "lang": result["lang"],
    }, 200


# A read-only public check: no session state to protect, and Django's CSRF check would parse
# the whole upload before the size check below could refuse it.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def verify_page(request, code: str):
    throttle = VerifyRateThrottle()
    if not throttle.allow_request(request, None):
        wait = throttle.wait()
        response = render(request, TEMPLATE, {"throttled": True, "code": code[:40]}, status=429)
        if wait:
            response["Retry-After"] = str(int(wait) + 1)
        return response
    document = verification.document_by_code(code)
    if document is None:
        context = {"found": False, "code": code[:40], "code_typed": code[:40]}
        return render(request, TEMPLATE, context, status=404)
    if code != document.verification_code:
        # Typed in lower case or without dashes: the page's address shows the code as printed.
        return redirect("verify", code=document.verification_code)
    context = {
        "found": True,
        "code": document.verification_code,
        "summary": _page_summary(verification.verification_summary(document)),
        "limit_mb": settings.VERIFY_UPLOAD_MAX_BYTES // (1024 * 1024),
        "unknown_problems": UNKNOWN_PROBLEMS,
    }
    status = 200
    if request.method == "POST":
        context["check"], status = _check_upload(request, document)
    return render(request, TEMPLATE, context, status=status)


@require_http_methods(["GET", "HEAD"])
def verify_start(request):
    """``/verify/``: type the code from a paper copy; any case, with or without dashes."""
    typed = request.GET.get("code", "")
    if not isinstance(typed, str):
        typed = ""
    typed = typed.strip()[:40]
    context = {"code_typed": typed}
    if typed:
        normal = verification.normalize_code(typed)
        if normal is not None:
            return redirect("verify", code=normal)
        context["code_error"] = CODE_ERROR
        return render(request, "portal/verify_start.html", context, status=400)
    return render(request, "portal/verify_start.html", context)
