from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from approvals import api as approvals_api
from approvals import (
    checklist_api,
    delegation_api,
    docx_api,
    pdf_api,
    provisioning_api,
    verify_api,
)
from config import auth_views, login_code
from config.health import healthz
from notifications import api as notifications_api
from portal.views.verify import verify_page, verify_start
from similar import api as similar_api
from workflow.api import attachments as attachments_api
from workflow.api import auth as auth_api
from workflow.api import type_template
from workflow.api import versions as versions_api
from workflow.api import views as workflow_api

# A person with an authenticator signs in to the admin through our login (the code's step).
admin.site.login_form = auth_views.AdminLoginForm

api_v1 = [
    # Sign-in security: the token exchange (lockout, expiry) and logout (revokes the token).
    path("auth/token/", auth_api.TokenView.as_view(), name="api-token"),
    path("auth/logout/", auth_api.LogoutView.as_view(), name="api-logout"),
    path("document-types/", workflow_api.DocumentTypeList.as_view(), name="api-document-types"),
    path(
        "document-types/<str:key>/template.docx",
        type_template.DocumentTypeTemplate.as_view(),
        name="api-document-type-template",
    ),
    path(
        "document-types/<str:key>/",
        workflow_api.DocumentTypeDetail.as_view(),
        name="api-document-type",
    ),
    path("projects/", workflow_api.ProjectList.as_view(), name="api-projects"),
    path("projects/<str:pk>/", workflow_api.ProjectDetail.as_view(), name="api-project"),
    path("documents/", approvals_api.DocumentList.as_view(), name="api-documents"),
    path("documents/<str:pk>/", approvals_api.DocumentDetail.as_view(), name="api-document"),
    path(
        "documents/<str:pk>/history/",
        approvals_api.DocumentHistory.as_view(),
        name="api-document-history",
    ),
    path("documents/<str:pk>/docx/", docx_api.DocumentDocx.as_view(), name="api-document-docx"),
    path(
        "documents/<str:pk>/import-docx/",
        docx_api.DocumentImportDocx.as_view(),
        name="api-document-import-docx",
    ),
    path("documents/<str:pk>/pdf/", pdf_api.DocumentPdf.as_view(), name="api-document-pdf"),
    # Versions and what changed (workflow/versions.py, forms_templates/diff.py).
    path(
        "documents/<str:pk>/versions/",
        versions_api.DocumentVersions.as_view(),
        name="api-document-versions",
    ),
    path(
        "documents/<str:pk>/versions/<str:a>/diff/<str:b>/",
        versions_api.DocumentVersionDiff.as_view(),
        name="api-document-version-diff",
    ),
    # The review checklist (criteria per type, the assignee's marks).
    path(
        "documents/<str:pk>/checklist/",
        checklist_api.DocumentChecklist.as_view(),
        name="api-document-checklist",
    ),
    # Annexes: list and upload, download and remove (workflow/api/attachments.py).
    path(
        "documents/<str:pk>/attachments/",
        attachments_api.DocumentAttachments.as_view(),
        name="api-document-attachments",
    ),
    path(
        "documents/<str:pk>/attachments/<str:aid>/",
        attachments_api.DocumentAttachment.as_view(),
        name="api-document-attachment",
    ),
    # Similar systems across government (similar/).
    path(
        "documents/<str:pk>/similar/",
        similar_api.DocumentSimilar.as_view(),
        name="api-document-similar",
    ),
    path("similar-projects/", similar_api.SimilarProjects.as_view(), name="api-similar-projects"),
    # After a mailbox request's approval: the mail administrators' steps (approvals.provisioning).
    path(
        "documents/<str:pk>/mailbox/", provisioning_api.MailboxDetail.as_view(), name="api-mailbox"
    ),
    path(
        "documents/<str:pk>/mailbox/notice.pdf",
        provisioning_api.MailboxNotice.as_view(),
        name="api-mailbox-notice",
    ),
    path(
        "documents/<str:pk>/mailbox/<str:action>/",
        provisioning_api.MailboxAction.as_view(),
        name="api-mailbox-action",
    ),
    path(
        "documents/<str:pk>/<str:action>/",
        approvals_api.DocumentAction.as_view(),
        name="api-document-action",
    ),
    path("review-queue/", approvals_api.ReviewQueue.as_view(), name="api-review-queue"),
    path("mailbox-requests/", provisioning_api.MailboxQueue.as_view(), name="api-mailbox-queue"),
    path(
        "signature-requests/",
        approvals_api.SignatureRequests.as_view(),
        name="api-signature-requests",
    ),
    path("delegations/", delegation_api.DelegationList.as_view(), name="api-delegations"),
    path(
        "delegations/<str:pk>/withdraw/",
        delegation_api.DelegationWithdraw.as_view(),
        name="api-delegation-withdraw",
    ),
    path("notifications/", notifications_api.NotificationList.as_view(), name="api-notifications"),
    path(
        "notifications/read-all/",
        notifications_api.NotificationReadAll.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/preferences/",
        notifications_api.PreferenceView.as_view(),
        name="api-notification-preferences",
    ),
    path(
        "notifications/<str:pk>/read/",
        notifications_api.NotificationRead.as_view(),
        name="api-notification-read",
    ),
    path("verify/", verify_api.VerifyUpload.as_view(), name="api-verify-upload"),
    path("verify/<str:code>/", verify_api.VerifyCode.as_view(), name="api-verify"),
    path("seal-certificate/", verify_api.SealCertificate.as_view(), name="api-seal-certificate"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's settings script as a file (docs/?script=), not inline:
    # the page's Content-Security-Policy can then refuse every inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on their own; the pages link the SVG (pgagency)."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("idhini/favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    # Sign-in security: our login (lockout message, "shared computer"), before Django's.
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/login/code/", login_code.login_code, name="login-code"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Public: a citizen reaches it from the QR code on a sealed PDF.
    path("verify/", verify_start, name="verify-start"),
    path("verify/<str:code>/", verify_page, name="verify"),
    # The browser pages: dashboard, projects, documents (portal/urls.py).
    path("", include("portal.urls")),
]
