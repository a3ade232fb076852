from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from dasawisma.panels import DASAWISMA_HOME_DUE, panel_register

        # Register the tasks in every process (web too): lower apps send them by name, and in eager mode
        # (no broker) they are looked up in the registry and run in-process.
        from . import exports, tasks  # noqa: F401
        from .panels import due_this_month

        # The dasawisma home page shows what is due now; dasawisma cannot import reporting, so it is handed
        # the panel here (see dasawisma.panels).
        panel_register(DASAWISMA_HOME_DUE, due_this_month)
