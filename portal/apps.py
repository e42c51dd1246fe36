from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Every server-rendered page: it imports the apps below it, and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Idhini portal"

    def ready(self) -> None:
        from portal.receivers import on_document_transitioned
        from workflow.signals import document_transitioned

        document_transitioned.connect(
            on_document_transitioned, dispatch_uid="portal.on_document_transitioned"
        )
