from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Development only (``seed_demo`` writes synthetic people into the database): installed when ``DEBUG`` or
    ``PKK_DEV_TOOLS=1``, never in production (docker-compose sets ``DEBUG=0``)."""

    name = "demo"
    default_auto_field = "django.db.models.BigAutoField"
