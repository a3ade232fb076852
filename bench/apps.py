from django.apps import AppConfig


class BenchConfig(AppConfig):
    """Development only (``manage.py bench`` drops and creates databases): installed when ``DEBUG`` or
    ``PKK_DEV_TOOLS=1``, never in production (docker-compose sets ``DEBUG=0``)."""

    name = "bench"
    default_auto_field = "django.db.models.BigAutoField"
