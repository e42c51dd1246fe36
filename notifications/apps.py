from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from approvals.provisioning import mailbox_provisioning_changed
        from notifications.mailbox import on_mailbox_changed
        from notifications.receivers import on_document_transitioned
        from workflow.signals import document_transitioned

        mailbox_provisioning_changed.connect(
            on_mailbox_changed, dispatch_uid="notifications.on_mailbox_changed"
        )
        document_transitioned.connect(
            on_document_transitioned, dispatch_uid="notifications.on_document_transitioned"
        )
