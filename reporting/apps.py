from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Register the tasks in every process (web too): lower apps send them by name, and in eager mode
        # (no broker) they are looked up in the registry and run in-process.
        from . import exports, tasks  # noqa: F401
