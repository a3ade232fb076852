from django.apps import AppConfig


class PkkConfig(AppConfig):
    name = "pkk"
    default_auto_field = "django.db.models.BigAutoField"
