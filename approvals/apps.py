from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "approvals"
    verbose_name = "Approvals"

    def ready(self) -> None:
        # Seal the approved PDF after an approval commits (approvals.receivers).
        from approvals import receivers  # noqa: F401
