from django.apps import AppConfig


class PortalConfig(AppConfig):
    """Every server-rendered page: it imports the apps below it, and nothing imports it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "portal"
    verbose_name = "Idhini portal"
