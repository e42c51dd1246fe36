"""The browser pages (the API lives under /api/v1/, routed in config/urls.py)."""

from django.urls import path

from portal.views import (
    actions,
    annexes,
    archive,
    audit,
    changes,
    check,
    checklist,
    delegation,
    documents,
    edit,
    figures,
    home,
    mailbox,
    notifications,
    pdf,
    projects,
    review,
    review_decide,
    section,
    signed,
    two_factor,
    word,
)

app_name = "web"

urlpatterns = [
    path("", home.dashboard, name="dashboard"),
    # Two-step verification: one's own authenticator app and recovery codes.
    path("account/two-factor/", two_factor.two_factor, name="two-factor"),
    path(
        "account/two-factor/recovery-codes/",
        two_factor.recovery_codes,
        name="two-factor-codes",
    ),
    path(
        "account/two-factor/recovery-codes/new/",
        two_factor.recovery_codes_new,
        name="two-factor-codes-new",
    ),
    path("account/two-factor/remove/", two_factor.two_factor_remove, name="two-factor-remove"),
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.project_new, name="project-new"),
    path("projects/<uuid:pk>/", projects.project_detail, name="project"),
    path("documents/new/", documents.document_new, name="document-new"),
    path("documents/<uuid:pk>/", documents.document_detail, name="document"),
    path("documents/<uuid:pk>/edit/", edit.document_edit, name="document-edit"),
    path(
        "documents/<uuid:pk>/edit/<slug:section>/",
        section.section_edit,
        name="document-section",
    ),
    path("documents/<uuid:pk>/checklist/", checklist.checklist_save, name="document-checklist"),
    path("documents/<uuid:pk>/check/", check.document_check, name="document-check"),
    path("documents/<uuid:pk>/changes/", changes.document_changes, name="document-changes"),
    path("documents/<uuid:pk>/word/", word.word_page, name="document-word"),
    path(
        "documents/<uuid:pk>/word/<int:upload>/",
        word.word_upload_done,
        name="document-word-upload",
    ),
    path(
        "documents/<uuid:pk>/word/<int:upload>/undo/",
        word.word_undo_view,
        name="document-word-undo",
    ),
    path("documents/<uuid:pk>/annexes/", annexes.annexes_page, name="document-annexes"),
    path(
        "documents/<uuid:pk>/annexes/<uuid:aid>/remove/",
        annexes.annex_remove,
        name="document-annex-remove",
    ),
    path("kaimu/", delegation.delegation_new, name="delegation-new"),
    path("kaimu/<int:pk>/withdraw/", delegation.delegation_end, name="delegation-withdraw"),
    path("document-types/", word.document_types, name="document-types"),
    path("documents/<uuid:pk>/pdf/", pdf.document_pdf, name="document-pdf"),
    path("documents/<uuid:pk>/signed/", signed.document_signed, name="document-signed"),
    path(
        "documents/<uuid:pk>/actions/<slug:action>/",
        actions.document_action,
        name="document-action",
    ),
    # The agency's pages (pgagency): the review page's decision and its seal's state.
    path("documents/<uuid:pk>/review/decide/", review_decide.review_decide, name="review-decide"),
    path("documents/<uuid:pk>/seal-status/", review.seal_status, name="seal-status"),
    path("documents/<uuid:pk>/audit.json", audit.audit_json, name="audit-json"),
    path("documents/<uuid:pk>/audit.csv", audit.audit_csv, name="audit-csv"),
    # The agency's mail administrators: approved mailbox requests (approvals.provisioning).
    path("mailboxes/", mailbox.mailbox_list, name="mailboxes"),
    path("mailboxes/<uuid:pk>/", mailbox.mailbox_page, name="mailbox"),
    path("mailboxes/<uuid:pk>/notice.pdf", mailbox.mailbox_notice, name="mailbox-notice"),
    path("mailboxes/<uuid:pk>/<slug:step>/", mailbox.mailbox_step, name="mailbox-step"),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/export.csv", figures.figures_csv, name="figures-csv"),
    path("archive/", archive.archive, name="archive"),
    path("archive/export.csv", archive.archive_csv, name="archive-csv"),
    path("archive/export.xlsx", archive.archive_xlsx, name="archive-xlsx"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        notifications.notification_read_all,
        name="notifications-read-all",
    ),
    path(
        "notifications/language/",
        notifications.notification_language,
        name="notifications-language",
    ),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification-read"),
    path("notifications/<int:pk>/open/", notifications.notification_open, name="notification-open"),
]
