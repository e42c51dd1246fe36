from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from approvals import api as approvals_api
from workflow.api import views as workflow_api

api_v1 = [
    path("auth/token/", workflow_api.TokenView.as_view(), name="api-token"),
    path("document-types/", workflow_api.DocumentTypeList.as_view(), name="api-document-types"),
    path(
        "document-types/<str:key>/",
        workflow_api.DocumentTypeDetail.as_view(),
        name="api-document-type",
    ),
    path("projects/", workflow_api.ProjectList.as_view(), name="api-projects"),
    path("projects/<uuid:pk>/", workflow_api.ProjectDetail.as_view(), name="api-project"),
    path("documents/", approvals_api.DocumentList.as_view(), name="api-documents"),
    path("documents/<str:pk>/", approvals_api.DocumentDetail.as_view(), name="api-document"),
    path(
        "documents/<str:pk>/history/",
        approvals_api.DocumentHistory.as_view(),
        name="api-document-history",
    ),
    path(
        "documents/<str:pk>/<str:action>/",
        approvals_api.DocumentAction.as_view(),
        name="api-document-action",
    ),
    path("review-queue/", approvals_api.ReviewQueue.as_view(), name="api-review-queue"),
    path(
        "signature-requests/",
        approvals_api.SignatureRequests.as_view(),
        name="api-signature-requests",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include(api_v1)),
    path("healthz", workflow_api.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
]
