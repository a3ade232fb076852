from django.apps import AppConfig


class DasawismaConfig(AppConfig):
    name = "dasawisma"
    default_auto_field = "django.db.models.BigAutoField"
