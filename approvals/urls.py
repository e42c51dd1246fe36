"""The browser pages (the API lives under /api/v1/, routed in config/urls.py)."""

from django.urls import path

from approvals import web, web_notifications

app_name = "web"

urlpatterns = [
    path("", web.dashboard, name="dashboard"),
    path("projects/", web.project_list, name="projects"),
    path("projects/new/", web.project_new, name="project-new"),
    path("projects/<uuid:pk>/", web.project_detail, name="project"),
    path("documents/new/", web.document_new, name="document-new"),
    path("documents/<uuid:pk>/", web.document_detail, name="document"),
    path("documents/<uuid:pk>/edit/", web.document_edit, name="document-edit"),
    path("documents/<uuid:pk>/actions/<slug:action>/", web.document_action, name="document-action"),
    path("notifications/", web_notifications.notification_list, name="notifications"),
    path(
        "notifications/read-all/",
        web_notifications.notification_read_all,
        name="notifications-read-all",
    ),
    path(
        "notifications/language/",
        web_notifications.notification_language,
        name="notifications-language",
    ),
    path(
        "notifications/<int:pk>/read/",
        web_notifications.notification_read,
        name="notification-read",
    ),
    path(
        "notifications/<int:pk>/open/",
        web_notifications.notification_open,
        name="notification-open",
    ),
]
