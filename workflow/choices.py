"""The engine's words for who people are and where a document stands: roles, statuses and a
signature's state (approvals stores signatures; the engine reads their state by these)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Project officer")
    HEAD_OF_ICT = "head_of_ict", _("Head of ICT")
    ACCOUNTING_OFFICER = "accounting_officer", _("Accounting officer")
    # The signatory chains as Tanzanian institutions sign (issue 15): the head of the user
    # department owns the system and accepts it; procurement signs the terms of reference;
    # human resources signs a mailbox request.
    SYSTEM_OWNER = "system_owner", _("Head of the user department (system owner)")
    HEAD_OF_PROCUREMENT = "head_of_procurement", _("Head of the procurement management unit")
    HEAD_OF_HR = "head_of_hr", _("Head of human resources")
    # Any servant of an institution: may file their own mailbox request and sign it.
    SERVANT = "servant", _("Public servant")
    REVIEWER = "reviewer", _("Agency reviewer")
    MAIL_ADMIN = "mail_admin", _("Agency mail administrator")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
    SIGNED = "signed", _("Signed")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class SignatureStatus(models.TextChoices):
    """A signature's state: the engine's word (who may sign reads it); approvals stores it."""

    PENDING = "pending", _("Pending")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
