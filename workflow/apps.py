from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Workflow"

    def ready(self) -> None:
        # Bind @shared_task to our Celery app (see celery_app.py).
        import celery_app  # noqa: F401

        # Idhini's own `check --deploy` checks.
        import config.checks  # noqa: F401
        import workflow.checks  # noqa: F401 - registers the system checks
