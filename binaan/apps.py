from django.apps import AppConfig


class BinaanConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "binaan"
    verbose_name = "Desa binaan"
