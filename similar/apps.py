from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SimilarConfig(AppConfig):
    name = "similar"
    verbose_name = _("Similar systems")

    def ready(self) -> None:
        # Keep the index in step with concept notes and projects (similar.receivers).
        from similar import receivers  # noqa: F401
