from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from notifications.receivers import on_document_transitioned
        from workflow.signals import document_transitioned

        document_transitioned.connect(
            on_document_transitioned, dispatch_uid="notifications.on_document_transitioned"
        )
